"""The re-benchmarking page shows the core's comparison (figures: tests/core/schemes/test_compare.py), in
Chinese and English, reached by its tab and by Ctrl+7."""

from __future__ import annotations

import pytest

from tests.core.schemes.test_compare import NEW, OLD, make_2018

pytestmark = pytest.mark.gui


@pytest.fixture
def old_view(window, tmp_path):
    assert window.open_workspace(make_2018(tmp_path / "old.greendesk"))
    return window.view


def _row(table, text, col=0):
    return next(i for i in range(table.rowCount()) if table.item(i, col).text() == text)


def test_page_in_chinese_and_english(old_view, qtbot):
    from greendesk.ui import i18n

    old_view.show_page("compare")
    page = old_view.compare_page
    assert page is not None and old_view.tabs.currentWidget() is old_view._compare_holder
    assert page.scheme_ids() == [OLD, NEW]
    summary = page.summary.text()
    assert "69.25 / 100" in summary and "3 / 100" in summary and "不合格" in summary
    i = _row(page.topics, "基础设施、工艺与改造")
    assert page.topics.item(i, 1).text() == "18 / 20" and page.topics.item(i, 3).text() == "-18"
    assert page.topics.item(i, 0).background().color().name() == "#fce4d6"       # a loss is marked
    page.topics.selectRow(i)
    shown = {page.rows.item(r, 1).toolTip() for r in range(page.rows.rowCount())}
    assert shown == {"building", "lighting", "equipment", "advanced_equipment", "upgrade_projects",
                     "upgrade_investment"}
    j = next(r for r in range(page.needs.rowCount()) if page.needs.item(r, 1).toolTip() == "building_coefficient.footprint_m2")
    assert page.needs.item(j, 4).text() == "building_density.footprint_m2 = 9000"
    i18n.set_language("en")
    page.reload()
    assert "not qualified" in page.summary.text()
    assert page.topics.item(_row(page.topics, "Facilities, processes and retrofits"), 3).text() == "-18"
    i18n.set_language("zh")


def test_swapping_the_schemes(old_view):
    old_view.show_page("compare")
    page = old_view.compare_page
    page.set_schemes(NEW, OLD)
    i = _row(page.topics, "基础设施、工艺与改造")
    assert page.topics.item(i, 3).text() == "+18"
    assert page.topics.item(i, 0).background().color().name() == "#e2f0d9"
    page.set_schemes(OLD, OLD)                                                   # one scheme twice: said, not scored
    assert "两个方案相同" in page.summary.text() and page.topics.rowCount() == 0


def test_ctrl_7_opens_it(window, old_view):
    from PySide6.QtGui import QAction

    act = next(a for a in window._menu_owner.findChildren(QAction) if a.objectName() == "compare")
    assert act.shortcut().toString() == "Ctrl+7"
    act.trigger()
    assert old_view.tabs.currentWidget() is old_view._compare_holder
