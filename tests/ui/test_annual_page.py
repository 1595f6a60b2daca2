"""The annual-return page shows the core's figures and findings, stores the listing year, exports .xlsx."""

from __future__ import annotations

import pytest

from tests.core.annual import threeyears as T

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_SETTINGS_DIR", str(tmp_path / "settings"))
    from greendesk.ui import errors, i18n

    sink: list = []
    monkeypatch.setattr(errors, "_sink", sink)
    yield sink
    i18n.set_language("zh")


@pytest.fixture
def page(qtbot, qapp, tmp_path):
    from greendesk.ui.annualpage import AnnualPage
    from greendesk.ui.app import create_app

    create_app()
    ws, _ = T.build(tmp_path / "three.greendesk", listing_year=None)
    p = AnnualPage(ws, 2025)
    qtbot.addWidget(p)
    p.show()
    p.reload()
    yield p
    ws.close()


def _col(table, text):
    return next(j for j in range(table.columnCount()) if table.horizontalHeaderItem(j).text().startswith(text))


def _row(table, label):
    return next(i for i in range(table.rowCount()) if table.item(i, 0).text() == label)


def test_figures_sources_and_findings_in_chinese(page):
    from greendesk.ui import i18n

    i18n.set_language("zh")
    page.reload()
    t = page.table
    r = _row(t, "单位产值综合能耗（当量值）")
    assert t.item(r, _col(t, "2025")).text() == "66.01"
    assert t.item(r, _col(t, "2023")).text() == "58.64"
    assert t.item(r, t.columnCount() - 1).text() == "计算"
    assert t.item(_row(t, "综合能源消费量（当量值）"), t.columnCount() - 1).text() == "台账"
    f = page.findings
    fr = _row(f, "单位产值综合能耗（当量值）")
    assert f.item(fr, 1).text() == "需关注"
    assert "连续两年变差" in f.item(fr, 2).text() and f.item(fr, 3).text()
    assert "三年核查：需关注 5 项" in page.note.text()


def test_listing_year_is_stored_and_compared(page, qtbot):
    from greendesk.core.annual.returns import listing_year

    with qtbot.waitSignal(page.changed, timeout=2000):
        page.listing.setValue(2023)
        page.listing.editingFinished.emit()
    assert listing_year(page.ws) == 2023
    heads = [page.table.horizontalHeaderItem(j).text() for j in range(page.table.columnCount())]
    assert any(h.startswith("2023 (") for h in heads)
    f = page.findings
    fr = _row(f, page.doc["check"]["findings"][0]["label"])
    assert page.doc["check"]["findings"][0]["reasons"][-1]["code"] == "worse_than_listing"
    assert f.item(fr, 2).text().count("\n") == 1


def test_a_missing_year_shows_missing(qtbot, qapp, tmp_path):
    from greendesk.ui import i18n
    from greendesk.ui.annualpage import AnnualPage

    i18n.set_language("en")
    ws, _ = T.build(tmp_path / "gap.greendesk", skip_data=(2024,))
    try:
        p = AnnualPage(ws, 2025)
        qtbot.addWidget(p)
        p.reload()
        t = p.table
        r = _row(t, "Industrial output value (current prices)")
        assert t.item(r, _col(t, "2024")).text() == "no figure"
        assert t.item(r, _col(t, "2025")).text() == "5,000"
    finally:
        ws.close()


def test_export_writes_the_workbook(page, tmp_path):
    from openpyxl import load_workbook

    out = page.export_to(str(tmp_path / "return"))
    assert out is not None and out.suffix == ".xlsx"
    wb = load_workbook(out)
    assert wb.active.page_setup.orientation == "landscape"
    assert len(wb.sheetnames) == 3          # the return, the three-year check, the charts
