"""The import wizard shows every series with its role and asks before summing; the meter register page decides."""

from __future__ import annotations

import pytest
from fixtures.meters.ledgers import xlsx

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
A = [30000.0 + 500 * ((m * 7) % 5) for m in range(12)]
B = [20000.0 + 300 * ((m * 3) % 4) for m in range(12)]
LOSS = [1200.0 + 10 * m for m in range(12)]


def _wizard(view, qtbot, ledger):
    from greendesk.ui.importwizard import ImportWizard

    wiz = ImportWizard(view.ws, view.aid, 2025, view)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.add_files([ledger])
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.mapping_page, timeout=20000)
    return wiz


def test_wizard_asks_for_the_role_then_imports_the_boundary_meter_only(view, qtbot, tmp_path):
    from PySide6.QtWidgets import QComboBox

    rows = [["月份", "电表甲(kWh)", "电表乙(kWh)", "电表丙(kWh)"]]
    rows += [[m, a + b + x, a, b] for m, a, b, x in zip(MONTHS, A, B, LOSS, strict=True)]
    wiz = _wizard(view, qtbot, xlsx(tmp_path / "q.xlsx", {"S": rows}))
    table = wiz.mapping_page.series
    assert table.rowCount() == 3
    assert table.item(0, 4).text() == "待确认：请选择角色"
    combo = table.cellWidget(0, 3)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("boundary"))
    qtbot.waitUntil(lambda: wiz.plan.ok, timeout=5000)
    qtbot.waitUntil(lambda: wiz.mapping_page.series.item(1, 4).text() == "与“电表甲”核对", timeout=5000)
    wiz.next()
    assert wiz.currentPage() is wiz.preview_page and wiz.preview_page.isComplete()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.imported, timeout=20000)
    from greendesk.core.energy import energy_summary

    assert energy_summary(view.ws, 2025)["carriers"]["electricity"]["total"] == pytest.approx(
        sum(a + b + x for a, b, x in zip(A, B, LOSS, strict=True)))


def test_register_page_makes_a_meter_a_sub_meter_and_the_total_follows(view, qtbot, tmp_path):
    from greendesk.core.energy import energy_summary
    from greendesk.core.meters import analyse, commit

    rows = [["月份", "压铸车间(kWh)", "空压站(kWh)"]] + [[m, a, b] for m, a, b in zip(MONTHS, A, B, strict=True)]
    commit(view.ws, view.aid, analyse([xlsx(tmp_path / "e.xlsx", {"S": rows})], year=2025, ws=view.ws))
    view.show_page("meters")
    page = view.meters_page
    assert page.table.rowCount() == 2
    names = [page.table.item(r, 0).text() for r in range(2)]
    r = names.index("空压站")
    parent = page.table.cellWidget(r, 3)
    parent.setCurrentIndex(parent.findText("压铸车间"))
    assert energy_summary(view.ws, 2025)["carriers"]["electricity"]["total"] == pytest.approx(sum(A))
    r = [page.table.item(i, 0).text() for i in range(2)].index("空压站")
    assert page.table.cellWidget(r, 4).currentData() == "sub"
    assert "线损/未计量" in page.losses.text()
    pix = page.grab()
    assert not pix.isNull() and pix.width() > 200


def test_the_annual_return_tab_opens_on_the_workspace(view, qtbot):
    view.show_page("annual")
    assert view.tabs.currentIndex() == 4 and view.annual_page is not None
    assert view.tabs.tabText(4) == "动态管理表"
    qtbot.waitUntil(view.annual_page.isVisible, timeout=5000)
    assert view.annual_page.grab().width() > 200
