"""The energy-quota (能耗限额) panel of the settings page: add, complete, refuse, remove, read-only."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from greendesk.core import quotas
from greendesk.ui import errors
from greendesk.ui.quotapanel import COLUMNS, USED

ID = COLUMNS.index("id")

pytestmark = pytest.mark.gui


def _panel(view):
    view.show_page("settings")
    panel = view.settings_page.quotas
    panel.reload()
    return panel


def _row(panel, quota_id: str) -> int:
    for r in range(panel.table.rowCount()):
        if panel.table.item(r, ID).text() == quota_id:
            return r
    raise LookupError(quota_id)


def _cells(panel, quota_id: str) -> list[str]:
    r = _row(panel, quota_id)
    return [panel.table.item(r, c).text() for c in range(ID, panel.table.columnCount())]   # from the id on


def _by_id(ws) -> dict:
    return {q.id: q for q in quotas.all_quotas(ws)}


def test_the_panel_lists_the_bundled_entries_and_marks_missing_values(view):
    panel = _panel(view)
    assert panel.table.rowCount() == len(quotas.bundled().quotas)
    cells = _cells(panel, "ferroalloy")
    assert cells[1] == "铁合金" and cells[2] == "GB 21341" and cells[3] == "kgce/t"
    assert cells[4] == cells[5] == "⚠ 缺少数值"
    assert cells[9] == "随程序提供"
    assert panel.add_button.isEnabled() and not panel.edit_button.isEnabled()


def test_adding_a_product_through_the_form_stores_it_and_shows_it(view, isolated_ui):
    panel = _panel(view)
    panel.add_button.click()
    dlg = panel.dialog
    assert dlg is not None and dlg.isVisible() and not dlg.fields["id"].isReadOnly()
    # the app's number parsing: thousands separators and full-width digits are taken as meant
    dlg.set_values(id="cement_clinker", product="水泥熟料", standard="GB 16780-2021", unit="kgce/t",
                   grade1="100", grade2="1,234.5", grade3="１２３５", source="GB 16780-2021 表 1", note="评价机构确认")
    dlg.accept()
    assert not isolated_ui
    assert dlg.result() == QDialog.DialogCode.Accepted
    q = _by_id(view.ws)["cement_clinker"]
    assert (q.grade1, q.grade2, q.grade3) == (100.0, 1234.5, 1235.0)
    assert (q.name("zh"), q.unit, q.standard, q.source, q.origin, q.certainty) == (
        "水泥熟料", "kgce/t", "GB 16780-2021", "GB 16780-2021 表 1", "workspace", "user")
    assert q.set_by  # recorded with who
    cells = _cells(panel, "cement_clinker")
    assert cells[1] == "水泥熟料" and cells[9] == "本工作区" and "⚠" not in cells[4] + cells[5]
    assert panel.selected().id == "cement_clinker"
    assert panel.remove_button.isEnabled()


def test_completing_a_bundled_entry_keeps_its_id_product_and_unit(view, isolated_ui):
    panel = _panel(view)
    panel.table.selectRow(_row(panel, "ferroalloy"))
    assert panel.edit_button.isEnabled()
    assert not panel.remove_button.isEnabled()       # a bundled entry without values of this workspace
    panel.edit_button.click()
    dlg = panel.dialog
    assert dlg.fields["id"].text() == "ferroalloy" and dlg.fields["id"].isReadOnly()
    assert dlg.fields["product"].isReadOnly() and dlg.fields["unit"].text() == "kgce/t"
    assert dlg.fields["source"].text() == ""         # the pack's source is not the source of the user's values
    dlg.set_values(grade1="800", grade2="900", source="GB 21341-2023 表 1")
    dlg.accept()
    assert not isolated_ui and dlg.result() == QDialog.DialogCode.Accepted
    q = _by_id(view.ws)["ferroalloy"]
    assert q.usable and (q.grade1, q.grade2, q.standard) == (800.0, 900.0, "GB 21341")
    cells = _cells(panel, "ferroalloy")
    assert "⚠" not in cells[4] + cells[5]
    assert cells[9] == "本工作区（补充随程序提供的条目）"


@pytest.mark.parametrize(("values", "said"), [
    ({"grade1": "900", "grade2": "800", "source": "GB 21341-2023"}, "不能大于"),
    ({"grade1": "800", "grade2": "900", "source": "  "}, "来源"),
    ({"grade1": "800", "grade2": "2,35", "source": "x"}, "2 级"),
    ({"grade1": "", "grade2": "900", "source": "x"}, "1 级和 2 级"),
])
def test_a_bad_entry_is_refused_with_a_message_and_nothing_is_stored(view, isolated_ui, values, said):
    panel = _panel(view)
    panel.add_button.click()
    dlg = panel.dialog
    dlg.set_values(id="my_product", product="某产品", unit="kgce/t", **values)
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted and dlg.isVisible()   # the form stays, text as typed
    assert len(isolated_ui) == 1 and said in isolated_ui[0][0]
    assert "--" not in isolated_ui[0][0]              # no CLI option names in the app
    assert view.ws.quotas() == []
    with pytest.raises(LookupError):
        _row(panel, "my_product")
    dlg.reject()


def test_the_core_messages_name_no_cli_option(view, isolated_ui):
    panel = _panel(view)
    for values in ({"product": ""}, {"unit": ""}):
        panel.open_dialog(None)
        dlg = panel.dialog
        dlg.set_values(id="my_product", product="某产品", unit="kgce/t", grade1="1", grade2="2", source="x")
        dlg.set_values(**values)
        dlg.accept()
        dlg.reject()
    assert [m for m, _a, _e in isolated_ui] == ["请写明产品名称。", "请写明限额的单位，如 kgce/t。"]
    assert view.ws.quotas() == []


def test_deleting_asks_and_removes_only_when_confirmed(view, isolated_ui, monkeypatch):
    panel = _panel(view)
    panel.save({"id": "my_product", "product": "某产品", "standard": "", "unit": "kgce/t", "grade1": 1.0,
                "grade2": 2.0, "grade3": None, "source": "评价机构", "note": ""})
    asked = []

    def answer(reply):
        def question(parent, text, question):
            asked.append(text)
            return reply
        return question

    panel.table.selectRow(_row(panel, "my_product"))
    monkeypatch.setattr(errors, "ask", answer(False))
    assert not panel.remove_selected()
    assert [r["id"] for r in view.ws.quotas()] == ["my_product"] and "my_product" in asked[-1]
    monkeypatch.setattr(errors, "ask", answer(True))
    panel.remove_button.click()
    assert view.ws.quotas() == [] and len(asked) == 2
    with pytest.raises(LookupError):
        _row(panel, "my_product")
    # a bundled entry goes back to its data-file state: the row stays, without the values
    panel.save({"id": "ferroalloy", "product": "", "standard": "", "unit": "", "grade1": 800.0, "grade2": 900.0,
                "grade3": None, "source": "x", "note": ""})
    panel.table.selectRow(_row(panel, "ferroalloy"))
    assert panel.remove_selected() and "随程序提供的条目仍保留" in asked[-1]
    assert view.ws.quotas() == [] and _cells(panel, "ferroalloy")[4] == "⚠ 缺少数值"
    assert not isolated_ui


def test_saved_grades_become_the_benchmarks_of_the_2018_energy_indicator(window, tmp_path, isolated_ui, monkeypatch):
    from PySide6.QtCore import Qt

    from greendesk.core import uscc
    from greendesk.core.energy import set_production
    from greendesk.core.workspace import Workspace
    from greendesk.ui.schemeview import create_workspace

    path = create_workspace(tmp_path / "w2018.greendesk", {"name": "测试工厂", "uscc": uscc.complete("91500113MA61RYP3X")},
                            "gbt36132-2018", 2025)
    with Workspace.open(path) as ws:
        set_production(ws, ws.assessments()[0]["id"], period="2025", product="硅铁", quantity=1000, unit="t",
                       output_value_wan_yuan=5000)
    assert window.open_workspace(path)
    view = window.view
    panel = _panel(view)
    assert _cells(panel, "ferroalloy")[10] == "硅铁"        # matched to the factory's product by its alias
    panel.table.selectRow(_row(panel, "ferroalloy"))
    panel.edit_button.click()
    panel.dialog.set_values(grade1="800", grade2="900", source="GB 21341-2023 表 1")
    panel.dialog.accept()
    assert not isolated_ui
    (b,) = [b for b in view.ws.benchmarks("gbt36132-2018") if b["indicator_id"] == "energy_per_product"]
    assert (b["baseline"], b["leading"], b["set_by"]) == (900, 800, "quota:ferroalloy")
    bench = view.settings_page.bench
    (r,) = [r for r in range(bench.rowCount()) if tuple(bench.item(r, 0).data(Qt.ItemDataRole.UserRole)) == ("energy_per_product", "")]
    assert (bench.item(r, 5).text(), bench.item(r, 6).text()) == ("900", "800")
    # removing the values takes the benchmark with them
    panel.table.selectRow(_row(panel, "ferroalloy"))
    monkeypatch.setattr(errors, "ask", lambda *a: True)
    assert panel.remove_selected()
    assert not [b for b in view.ws.benchmarks("gbt36132-2018") if b["indicator_id"] == "energy_per_product"]


def _buttons_off(panel) -> None:
    panel.table.selectRow(0)
    assert not panel.add_button.isEnabled()
    assert not panel.edit_button.isEnabled() and not panel.remove_button.isEnabled()
    assert panel.add_button.toolTip()                # says why
    assert panel.open_dialog(None) is None and panel.dialog is None


def test_a_read_only_workspace_disables_the_buttons(window, fresh_path, isolated_ui, monkeypatch):
    from greendesk.core.workspace import Workspace

    with Workspace.open(fresh_path) as ws:
        quotas.add(ws, "my_product", source="评价机构", grade1=1, grade2=2, product="某产品", unit="kgce/t")
    other = Workspace.open(fresh_path)
    try:
        monkeypatch.setattr(errors, "ask", lambda *a: True)
        assert window.open_workspace(fresh_path) and window.ws.readonly
        panel = _panel(window.view)
        assert "my_product" in _cells(panel, "my_product")[0]
        _buttons_off(panel)
        panel.table.selectRow(_row(panel, "my_product"))
        assert not panel.remove_button.isEnabled() and not panel.remove_selected()
    finally:
        window.close_workspace()
        other.close()


def test_a_final_assessment_disables_the_buttons(window, demo_path, qtbot):
    from greendesk.ui.finalize import FinalizeDialog

    assert window.open_workspace(demo_path)
    dlg = FinalizeDialog(window.view)
    qtbot.addWidget(dlg)
    dlg.finalized.connect(window.view.status_changed)
    dlg.final_button.click()
    view = window.view
    assert view.final and not view.editable
    _buttons_off(_panel(view))


def _used(panel) -> list[str]:
    from PySide6.QtCore import Qt

    return [panel.table.item(r, ID).text() for r in range(panel.table.rowCount())
            if panel.table.item(r, USED).checkState() == Qt.CheckState.Checked]


def test_the_used_column_chooses_the_entries_and_refuses_a_fourth(view, isolated_ui):
    from PySide6.QtCore import Qt

    from greendesk.core import quota_apply

    panel = _panel(view)
    panel.save({"id": "my_product", "product": "某产品", "standard": "", "unit": "kgce/t", "grade1": 1.0,
                "grade2": 2.0, "grade3": None, "source": "评价机构", "note": ""})
    assert quotas.used(view.ws) == [] and _used(panel) == [q.id for q in quota_apply.chosen(view.ws)]
    three = ["ferroalloy", "methanol_coke_oven_gas", "aluminium_castings_shanghai"]
    for qid in three:
        panel.table.item(_row(panel, qid), USED).setCheckState(Qt.CheckState.Checked)
    assert quotas.used(view.ws) == three and _used(panel) == sorted(three, key=lambda i: _row(panel, i))
    # a fourth is refused with the reason, shown unticked again, nothing stored
    panel.table.item(_row(panel, "my_product"), USED).setCheckState(Qt.CheckState.Checked)
    (message, _advice, _exc), = isolated_ui
    assert "最多 3 种产品" in message
    assert quotas.used(view.ws) == three and "my_product" not in _used(panel)
    panel.table.item(_row(panel, "methanol_coke_oven_gas"), USED).setCheckState(Qt.CheckState.Unchecked)
    assert quotas.used(view.ws) == ["ferroalloy", "aluminium_castings_shanghai"]
    assert "methanol_coke_oven_gas" not in _used(panel)
