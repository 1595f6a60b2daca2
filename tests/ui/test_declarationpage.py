"""The 申报表 page: a tab of the workspace (Ctrl+6), the core's rows, copy per row and copy-all,
the 计算过程 of the selected row, Chinese and English, and the .xlsx export."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

pytestmark = pytest.mark.gui


def _open(window, demo_view, qtbot):
    from PySide6.QtGui import QAction

    act = next(a for a in window.findChildren(QAction) if a.shortcut().toString() == "Ctrl+6" and a.isEnabled())
    act.trigger()
    page = demo_view.declaration_page
    assert page is not None and demo_view.tabs.currentWidget() is demo_view._declaration_holder
    return page


def _row_of(page, code):
    return next(i for i in range(page.table.rowCount()) if page.table.item(i, 0).text() == code)


def test_rows_copy_and_detail_in_chinese(window, demo_view, qtbot, tmp_path):
    page = _open(window, demo_view, qtbot)
    t = page.table
    assert t.rowCount() == 22 and t.horizontalHeaderItem(0).text() == "序号"
    i = _row_of(page, "1")
    assert [t.item(i, j).text() for j in (1, 2, 3, 4, 5, 6, 7, 8)] == \
        ["能源消耗强度", "逆向定量", "11", "kgce/万元", "/", "/", "54.99", "是"]
    assert t.item(i, 9).background().color().name() == "#fce4d6"        # a value, no evidence attached
    t.selectRow(i)
    detail = page.detail.toPlainText()
    assert "计算过程：综合能源消费量（当量值） = 电力（外购电） 18,900,000 kWh × 0.1229 kgce/kWh" in detail
    assert "2025年能源月报.xlsx #1" in detail and "GB/T 2589-2020" in detail
    button = t.cellWidget(_row_of(page, "7"), t.columnCount() - 1)
    button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines()[1] == "序号：7" and "年度指标值：71.36" in copied and "计算过程：取水量（新水）" in copied
    assert "第 7 行已复制" in page.status.text()
    page.copy_all_button.click()
    lines = QGuiApplication.clipboard().text().split("\n")
    assert len(lines) == 23 and lines[0].startswith("一级指标\t序号\t二级/三级指标")
    assert lines[1 + i].split("\t")[9] == "54.99"
    out = page.export_to(str(tmp_path / "申报表"))
    assert out.name == "申报表.xlsx" and out.exists()


def test_english_and_evidence_attached(window, demo_view, qtbot):
    from greendesk.ui import i18n

    demo_view.ws.add_evidence(demo_view.aid, b"%PDF-1.4 x", name="calc.pdf", item_id="carbon_intensity")
    i18n.set_language("en")
    page = _open(window, window.view, qtbot)
    page.reload()
    t = page.table
    assert t.horizontalHeaderItem(2).text() == "Type"
    i = _row_of(page, "2")
    assert t.item(i, 2).text() == "quantitative, lower is better" and t.item(i, 9).text() == "calc.pdf"
    assert t.item(i, 9).background().style() == Qt.BrushStyle.NoBrush     # evidence attached: not flagged
    page.copy_row(i)
    assert QGuiApplication.clipboard().text().splitlines()[0] == "First-level indicator: Low-carbon energy"
    assert page.copy_row(None) is None and page.status.text() == "Select a row first."


def test_the_shown_table_follows_an_import_removed_and_restored_by_undo(window, demo_view, qtbot):
    from greendesk.ui.undo import RemoveImport

    page = _open(window, demo_view, qtbot)
    i = _row_of(page, "1")
    assert page.table.item(i, 7).text() == "54.99"
    (imp, *_rest) = demo_view.ws.conn.execute("SELECT id FROM meter_imports ORDER BY id").fetchall()
    window.undo_stack.push(RemoveImport(demo_view._current_view, imp[0], "remove"))   # removed while the 申报表 is on screen
    assert demo_view.tabs.currentWidget() is demo_view._declaration_holder
    assert page.table.item(_row_of(page, "1"), 7).text() != "54.99"
    window.undo_stack.undo()
    assert page.table.item(_row_of(page, "1"), 7).text() == "54.99"
