"""Fixtures shared by the core tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_package_zh(tmp_path_factory):
    """The demo workspace exported once as a signed Chinese package (self-issued certificate): read, never
    changed, by the tests that judge the file (declaration table, structure tags)."""
    from greendesk.core.demo import build_demo
    from greendesk.core.package.export import export_package

    d = tmp_path_factory.mktemp("demo-package")
    ws = build_demo(d / "demo.greendesk")
    pdf = d / "申报包.pdf"
    export_package(ws, pdf, lang="zh", generate_cert=True)
    return pdf
