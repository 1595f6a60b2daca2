"""Text from an older workspace that still holds control characters is printed visibly, never raw."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


def test_control_characters_in_stored_text_are_printed_as_escapes(tmp_path):
    from greendesk.core.demo import build_demo
    from greendesk.core.package import export_package
    from greendesk.core.workspace import Workspace

    ws_path = build_demo(tmp_path / "c.greendesk")
    with Workspace.open(ws_path) as ws, ws.transaction() as c:
        # as a workspace written before text was checked would hold it (the app and CLI now refuse it)
        c.execute("UPDATE factory SET address = ?", ["重庆市\x1b[31m某路\u202e1号"])
    pdf = tmp_path / "c.pdf"
    export_package(ws_path, pdf, lang="zh", generate_cert=True)
    txt = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "\x1b" not in txt and "\u202e" not in txt
    assert "\\u001b[31m" in txt.replace("\n", "") and "\\u202e" in txt.replace("\n", "")
