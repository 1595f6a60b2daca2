"""``greendesk.core.textsafety.escape_html`` and ``greendesk.core.digest.sha1``: the stand-ins kept out of
start-up give what the standard library gives."""

from __future__ import annotations

import hashlib
import html

import pytest

from greendesk.core.digest import sha1
from greendesk.core.textsafety import escape_html

SAMPLES = ["", "plain", "a < b & c > d", "\"quoted\" and 'single'", "<script>alert('x')</script>",
           "单位产品综合能耗 ≤ 0.5 tce/t & “引领值”", "&amp; already escaped", "\u202eRTL override", 12.5]


@pytest.mark.parametrize("text", SAMPLES)
def test_escape_html_is_html_escape(text):
    assert escape_html(text) == html.escape(str(text))


def test_sha1_is_hashlib_sha1():
    h = sha1(b"GreenDesk ")
    h.update("绿色工厂".encode())
    assert h.hexdigest() == hashlib.sha1("GreenDesk 绿色工厂".encode()).hexdigest()
