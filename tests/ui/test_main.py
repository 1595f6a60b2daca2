"""GUI tests (pytest-qt, offscreen): wizard, main window, editing, undo, evidence, language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui


def _wizard_at_mapping(view, qtbot, ledger, year):
    """The import wizard on one ledger, past the background analysis, showing the mapping page."""
    from greendesk.ui.importwizard import ImportWizard

    wiz = ImportWizard(view.ws, view.aid, year, view)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.add_files([ledger])
    assert wiz.files_page.isComplete()
    wiz.next()  # analysis runs in the background, then the wizard moves on
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.mapping_page, timeout=20000)
    return wiz

def test_wizard_creates_workspace(qtbot, qapp, tmp_path, isolated_ui):
    from greendesk.core.workspace import Workspace
    from greendesk.ui.newwizard import NewWorkspaceWizard

    wiz = NewWorkspaceWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    assert wiz.currentPage() is wiz.start_page
    wiz.next()
    page = wiz.profile_page
    assert not page.isComplete()
    page.edits["name"].setText("测试工厂")
    qtbot.keyClicks(page.edits["uscc"], "91500113MA61RYP3X0")
    assert "校验位" in page.uscc_msg.text()  # live check says what is wrong
    assert not page.isComplete()
    from greendesk.core import uscc

    page.edits["uscc"].setText(uscc.complete("91500113MA61RYP3X"))
    assert page.isComplete()
    assert "有效" in page.uscc_msg.text()
    wiz.next()
    assert wiz.scheme_page.scheme_id()
    wiz.scheme_page.year.setValue(2025)
    wiz.next()
    target = tmp_path / "new.greendesk"
    wiz.file_page.path.setText(str(target))
    assert wiz.file_page.isComplete()
    wiz.button(wiz.WizardButton.FinishButton).click()
    assert not isolated_ui, isolated_ui
    assert wiz.created_path == target
    with Workspace.open(target, readonly=True) as ws:
        assert ws.factory()["name"] == "测试工厂"
        assert ws.assessment()["year"] == 2025


def test_wizard_continue_from_last_year(qtbot, qapp, tmp_path, demo_path, isolated_ui):
    from greendesk.core.workspace import Workspace
    from greendesk.ui.newwizard import NewWorkspaceWizard

    with Workspace.open(demo_path) as ws:
        aid = ws.assessment()["id"]
        ws.set_answer(aid, "upgrade_projects.count_3y", 42)
    wiz = NewWorkspaceWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.start_page.cont.setChecked(True)
    wiz.start_page.prev_path.setText(str(demo_path))
    assert wiz.start_page.isComplete()
    wiz.next()
    assert wiz.profile_page.edits["name"].text() == "重庆渝锐精密压铸有限公司"
    wiz.next()
    assert wiz.scheme_page.year.value() == 2026
    wiz.next()
    target = tmp_path / "next.greendesk"
    wiz.file_page.path.setText(str(target))
    wiz.button(wiz.WizardButton.FinishButton).click()
    assert not isolated_ui, isolated_ui
    with Workspace.open(target, readonly=True) as ws:
        a = ws.assessment()
        assert a["year"] == 2026 and a["created_from"].startswith("workspace:")
        rows = {r["field_id"]: r for r in ws.answer_rows(a["id"])}
        row = rows["upgrade_projects.count_3y"]
        assert row["value"] == 42 and row["source"] == "carried:2025"


def test_welcome_and_open(window, demo_path, qtbot):
    from greendesk.ui import settings as app_settings

    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.empty.isVisibleTo(window)
    assert window.open_workspace(demo_path)
    assert window.view is not None and window.stack.currentWidget() is window.view
    qtbot.waitUntil(lambda: app_settings.recent_files() == [str(demo_path.resolve())], timeout=2000)
    window.close_workspace_to_welcome()
    assert window.welcome.recent.count() == 1
    assert "重庆渝锐精密压铸有限公司 · 2025" in window.welcome.recent.item(0).text()
    # a recent file that has gone is reported once and leaves the list
    demo_path.rename(demo_path.with_suffix(".moved"))
    assert not window.open_workspace(demo_path)
    assert window.welcome.recent.count() == 0


def test_the_recent_entry_waits_for_the_window_but_not_for_closing(window, demo_path):
    """The recent list (a QSettings write, synced to disk) is written after the window is up, not before its
    first paint; a workspace closed sooner is in the list all the same."""
    from greendesk.ui import settings as app_settings

    assert window.open_workspace(demo_path)
    assert app_settings.recent_files() == []          # not yet: the window paints first
    window.close_workspace_to_welcome()                # closed at once: written now
    assert app_settings.recent_files() == [str(demo_path.resolve())]
    assert app_settings.recent_title(str(demo_path.resolve())) == "重庆渝锐精密压铸有限公司 · 2025"


def test_reopening_the_same_workspace_rewrites_no_settings(window, demo_path, tmp_path):
    """Closing a workspace that is first in the recent list already, with panes as they were, leaves the
    settings file as it is (no rewrite and disk sync at every close); a changed pane size is still kept."""
    from greendesk.ui import settings as app_settings

    ini = tmp_path / "settings" / "greendesk.ini"
    assert window.open_workspace(demo_path)
    window.close_workspace_to_welcome()
    first = ini.read_bytes()
    ini_ns = ini.stat().st_mtime_ns
    assert window.open_workspace(demo_path)
    window.close_workspace_to_welcome()
    assert ini.stat().st_mtime_ns == ini_ns and ini.read_bytes() == first
    app_settings.add_recent(demo_path, "another title")  # a new title is written
    assert app_settings.recent_title(str(demo_path.resolve())) == "another title"
    assert window.open_workspace(demo_path)
    sizes = window.view.splitter.sizes()
    window.view.splitter.setSizes([sizes[0] + 60, sizes[1] - 60, sizes[2]])
    moved = window.view.splitter.saveState()
    window.close_workspace_to_welcome()
    assert app_settings.settings().value("splitter") == moved


def test_open_bad_file_shows_one_error(window, tmp_path, isolated_ui):
    bad = tmp_path / "junk.greendesk"
    bad.write_bytes(b"not a database" * 20)
    assert not window.open_workspace(bad)
    assert len(isolated_ui) == 1
    message, advice, exc = isolated_ui[0]
    assert "GreenDesk" in message and advice


def test_workspace_with_an_unknown_scheme_opens_with_an_explanation(window, tmp_path):
    from greendesk.core import uscc
    from greendesk.core.workspace import Workspace

    path = tmp_path / "custom.greendesk"
    with Workspace.create(path, {"name": "厂", "uscc": uscc.complete("91500113MA61RYP3X")}) as ws:
        aid = ws.create_assessment("province-x-2030", "1", 2025)
        ws.set_answer(aid, "x.y", 1)
    assert window.open_workspace(path)
    view = window.view
    label = view.findChild(QLabel, "no_scheme")
    assert label is not None and "province-x-2030" in label.text()
    view.show_page("dashboard")
    view.show_page("settings")
    view.step_item(1)
    assert not view.score_bar.finalize.isEnabled()
    assert view.ws.answers(view.aid) == {"x.y": 1}


def test_factory_profile_dialog(view, qtbot):
    from greendesk.ui.factory import FactoryDialog

    dlg = FactoryDialog(view.ws, view)
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    dlg.edits["uscc"].setText("91500113MA61RYP3X0")
    assert not ok.isEnabled() and "校验位" in dlg.uscc_msg.text()
    from greendesk.core import uscc

    dlg.edits["uscc"].setText(uscc.complete("91500113MA61RYP3X"))
    dlg.edits["legal_rep"].setText("陈建国")
    dlg.description.setPlainText("铝合金压铸件")
    assert ok.isEnabled()
    ok.click()
    f = view.ws.factory()
    assert f["legal_rep"] == "陈建国" and f["description"] == "铝合金压铸件"


def test_locked_workspace_can_be_opened_read_only(window, fresh_path, isolated_ui, monkeypatch):
    from greendesk.core.workspace import Workspace
    from greendesk.ui import errors

    other = Workspace.open(fresh_path)  # "another GreenDesk" has it open for writing
    try:
        assert not window.open_workspace(fresh_path)  # the question is declined in tests
        assert len(isolated_ui) == 1 and "另一个" in isolated_ui[0][0]
        monkeypatch.setattr(errors, "ask", lambda *a: True)
        assert window.open_workspace(fresh_path)
        assert window.ws.readonly and "只读" in window.windowTitle()
        window.view.jump_to("material_saving")
        assert not window.view.pages["material_saving"].editors["material_saving.case"].isEnabled()
    finally:
        window.close_workspace()
        other.close()


def test_language_switch(window, demo_path):
    from greendesk.core.errors import UserError
    from greendesk.ui import i18n

    window.open_workspace(demo_path)
    window.view.jump_to("material_saving")
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[0] == "文件(&F)"
    assert "节约" in window.view.nav.items["material_saving"].text(0)  # scheme labels from the scheme
    assert window.view.tabs.tabText(1) == "总览"
    window.set_language("en")
    assert i18n.language() == "en"
    assert [a.text() for a in window.menuBar().actions()][0] == "&File"
    assert window.view is not None and window.ws is not None
    assert window.view.current_id == "material_saving"  # the place is kept
    assert "saving" in window.view.nav.items["material_saving"].text(0).lower()
    assert window.view.tabs.tabText(1) == "Dashboard"
    assert UserError("中", "en").message() == "en"  # core messages follow
    window.view.on_edited("material_saving.case", "described")
    window.set_language("zh")
    assert window.view.ws.answers(window.view.aid)["material_saving.case"] == "described"
    window.view.undo_stack.undo()  # the history survives the rebuilt window
    assert window.view.ws.answers(window.view.aid)["material_saving.case"] == "quantified"
    assert [a.text() for a in window.menuBar().actions()][0] == "文件(&F)"


def test_carried_over_answers_are_marked_until_kept(window, fresh_path):
    from greendesk.core.workspace import Workspace

    with Workspace.open(fresh_path) as ws:
        ws.set_answer(ws.assessment()["id"], "material_saving.case", "described", source="carried")
    window.open_workspace(fresh_path)
    view = window.view
    view.jump_to("material_saving")
    note = view.pages["material_saving"].notes["material_saving.case"]
    assert note.isVisibleTo(view) and "上一年度" in note.text()
    note.linkActivated.emit("keep")
    rows = {r["field_id"]: r for r in view.ws.answer_rows(view.aid)}
    assert rows["material_saving.case"]["source"] == "user"
    assert not note.isVisibleTo(view)


def test_find_an_item(view, qtbot):
    view.search.setText("碳足迹")
    visible = [iid for iid, it in view.nav.items.items() if not it.isHidden()]
    assert visible == ["carbon_footprint"]
    view.search.returnPressed.emit()
    assert view.current_id == "carbon_footprint"
    view.search.clear()
    assert all(not it.isHidden() for it in view.nav.items.values())


def test_f6_cycles_the_panes(view, qtbot):
    view.window().activateWindow()
    view.jump_to("material_saving")
    view.nav.setFocus()
    view.next_pane()
    page = view.pages["material_saving"]
    assert page.isAncestorOf(view.focusWidget()) or view.focusWidget() is page
    view.next_pane()
    assert view.focusWidget() is view.right.evidence.list
    view.next_pane()
    assert view.focusWidget() is view.nav
    view.nav.itemActivated.emit(view.nav.items["material_saving"], 0)  # Enter on an item: into its form
    assert page.isAncestorOf(view.focusWidget())


def test_keyboard_navigation_between_items(view, qtbot):
    view.jump_to("material_saving")
    view.step_item(1)
    assert view.current_id == "material_substitution"
    view.step_item(-1)
    assert view.current_id == "material_saving"
    view.next_gap()
    assert view.current_id != "material_saving"


def test_answers_change_the_score(view, qtbot):
    bar = view.score_bar
    assert view.live.score["total"] == 0
    # choice: a checklist item earns its points
    view.jump_to("material_saving")
    combo = view.pages["material_saving"].editors["material_saving.case"].combo
    combo.setCurrentIndex(combo.findData("quantified"))
    assert view.live.score["total"] == 4
    assert "4" in bar.total.text()
    assert "4" in view.nav.items["material_saving"].text(1)
    # yes/no: a failed veto makes the factory not qualified (the score is still shown)
    view.jump_to("negative_list")
    qtbot.mouseClick(view.pages["negative_list"].editors["negative_list.operating"].buttons["no"],
                     Qt.MouseButton.LeftButton)
    assert view.live.score["vetoes_failed"] == ["negative_list"]
    assert "不合格" in bar.veto.text()
    # number: after the evaluator's benchmark is entered in the settings page, the count scores
    view.show_page("settings")
    table = view.settings_page.bench
    row = next(r for r in range(table.rowCount())
               if table.item(r, 0).data(Qt.ItemDataRole.UserRole)[0] == "upgrade_projects")
    table.item(row, 5).setText("0")
    table.item(row, 6).setText("4")
    assert view.ws.benchmarks(view.scheme.id)[0]["leading"] == 4
    view.jump_to("upgrade_projects")
    edit = view.pages["upgrade_projects"].editors["upgrade_projects.count_3y"]
    qtbot.keyClicks(edit.edit, "2")
    edit.flush()
    assert view.live.score["total"] > 4  # half of the indicator's points (section weights apply)
    ind = view.live.indicator_result("upgrade_projects")
    assert 0 < ind["score"] < ind["max"]
    assert f"{view.live.score['total']:.1f}" in bar.total.text()


SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "meters"


@pytest.mark.skipif(not (SAMPLES / "a_months_down.xlsx").exists(), reason="shared sample ledgers not available")
def test_import_wizard_on_a_sample_ledger(demo_view, qtbot, monkeypatch):
    view = demo_view
    import json

    from greendesk.ui import errors

    # the sample is a 2024 ledger and the demo has only 2025: the wizard asks to create 2024 (yes, here)
    monkeypatch.setattr(errors, "offer", lambda *a, **k: True)


    expected = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
    wiz = _wizard_at_mapping(view, qtbot, SAMPLES / "a_months_down.xlsx", expected["year"])
    table = wiz.mapping_page.table
    carriers = {table.cellWidget(r, 3).currentData() for r in range(table.rowCount())}
    assert {"electricity", "natural_gas", "water", "steam"} <= carriers
    assert "能源月报" in wiz.mapping_page.sheets.text()
    wiz.next()
    assert wiz.currentPage() is wiz.preview_page
    assert wiz.preview_page.months.rowCount() == 4
    assert wiz.preview_page.isComplete()
    wiz.next()  # the import runs in the background
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.done_page, timeout=20000)
    assert wiz.imported and wiz.summary.readings == 48
    rows = view.ws.conn.execute(
        "SELECT carrier, SUM(value) FROM meter_readings r JOIN meter_imports i ON i.id = r.import_id "
        "WHERE i.file_name = 'a_months_down.xlsx' GROUP BY carrier").fetchall()
    got = {c: v for c, v in rows}
    assert got["electricity"] == pytest.approx(expected["files"]["a_months_down.xlsx"]["electricity"]["kwh"])
    wiz.accept()
    view.live.auto = None
    view.reevaluate()
    view.show_page("dashboard")
    assert view.dashboard.energy_table.rowCount() >= 4


def test_import_wizard_mapping_is_editable(view, qtbot):

    wiz = _wizard_at_mapping(view, qtbot, SAMPLES / "a_months_down.xlsx", 2024)
    table = wiz.mapping_page.table
    row = next(r for r in range(table.rowCount()) if table.cellWidget(r, 3).currentData() == "steam")
    combo = table.cellWidget(row, 3)
    combo.setCurrentIndex(combo.findData("ignore"))
    qtbot.waitUntil(lambda: all(wiz.mapping_page.table.cellWidget(r, 3).currentData() != "steam"
                                for r in range(wiz.mapping_page.table.rowCount())), timeout=5000)
    wiz.next()
    assert wiz.preview_page.months.rowCount() == 3


def test_every_ui_string_has_a_chinese_translation():
    from greendesk.ui.i18n_check import missing, unused

    assert missing() == {}
    assert unused() == []  # no stale entries in resources/i18n/zh_CN.json


def _row_visible(page, fid) -> bool:
    lab, box = page.rows[fid]
    return page.form.isRowVisible(box)


def test_relevance_shows_and_hides(view, qtbot):
    view.jump_to("energy_saving_products")
    page = view.pages["energy_saving_products"]
    assert view.current_id == "energy_saving_products"
    assert not _row_visible(page, "energy_saving_products.share_pct")
    yes = page.editors["energy_saving_products.standard_applies"].buttons["yes"]
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    assert view.ws.answers(view.aid)["energy_saving_products.standard_applies"] == "yes"
    assert _row_visible(page, "energy_saving_products.share_pct")
    no = page.editors["energy_saving_products.standard_applies"].buttons["no"]
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert not _row_visible(page, "energy_saving_products.share_pct")


def test_typing_autosaves_with_debounce_and_constraint_message(view, qtbot):
    view.jump_to("carbon_footprint")
    page = view.pages["carbon_footprint"]
    total = page.editors["carbon_footprint.categories_total"]
    covered = page.editors["carbon_footprint.categories_covered"]
    qtbot.keyClicks(total.edit, "5")
    qtbot.waitUntil(lambda: view.ws.answers(view.aid).get("carbon_footprint.categories_total") == 5, timeout=2000)
    qtbot.keyClicks(covered.edit, "7")
    covered.flush()  # focus-out flushes at once
    assert view.ws.answers(view.aid)["carbon_footprint.categories_covered"] == 7
    msg = page.messages["carbon_footprint.categories_covered"]
    assert msg.isVisibleTo(page) and msg.text()
    assert view.live.indicator_state("carbon_footprint") == "error"
    from greendesk.ui.nav import state_icon

    assert view.nav.items["carbon_footprint"].icon(0).cacheKey() == state_icon("error").cacheKey()


def test_refused_value_is_not_stored(view, qtbot):
    view.jump_to("energy_saving_products")
    page = view.pages["energy_saving_products"]
    view.on_edited("energy_saving_products.share_pct", 150)
    assert "energy_saving_products.share_pct" not in view.ws.answers(view.aid)
    assert page.messages["energy_saving_products.share_pct"].text()


def test_undo_redo_across_fields(view, qtbot):
    view.jump_to("carbon_footprint")
    view.on_edited("carbon_footprint.categories_total", 4)
    view.jump_to("material_saving")
    page = view.pages["material_saving"]
    combo = page.editors["material_saving.case"].combo
    combo.setCurrentIndex(combo.findData("quantified"))
    answers = view.ws.answers(view.aid)
    assert answers["material_saving.case"] == "quantified"
    assert answers["carbon_footprint.categories_total"] == 4
    view.undo_stack.undo()
    assert "material_saving.case" not in view.ws.answers(view.aid)
    assert combo.currentData() is None
    view.undo_stack.undo()  # the other field, on another page: the view goes there
    assert "carbon_footprint.categories_total" not in view.ws.answers(view.aid)
    assert view.current_id == "carbon_footprint"
    assert view.pages["carbon_footprint"].editors["carbon_footprint.categories_total"].edit.text() == ""
    view.undo_stack.redo()
    view.undo_stack.redo()
    answers = view.ws.answers(view.aid)
    assert answers["carbon_footprint.categories_total"] == 4 and answers["material_saving.case"] == "quantified"
    # the shortcuts are on the Edit menu
    names = {a.objectName(): a for a in view.window().findChildren(QAction)}
    assert names["undo"].shortcut().toString() == "Ctrl+Z"
    assert {s.toString() for s in names["redo"].shortcuts()} == {"Ctrl+Shift+Z", "Ctrl+Y"}


def test_ctrl_z_in_a_text_box_undoes_across_fields(view, qtbot):
    view.window().activateWindow()
    view.jump_to("upgrade_projects")
    edit = view.pages["upgrade_projects"].editors["upgrade_projects.count_3y"].edit
    edit.setFocus()
    qtbot.keyClicks(edit, "3")
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # the typed value was stored first, then undone by the window's undo stack
    assert "upgrade_projects.count_3y" not in view.ws.answers(view.aid)
    assert view.undo_stack.canRedo()
    qtbot.keyClick(edit, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert view.ws.answers(view.aid)["upgrade_projects.count_3y"] == 3


def test_rows_table_edits(view, qtbot):
    view.jump_to("energy_intensity")
    page = view.pages["energy_intensity"]
    qtbot.mouseClick(page.editors["energy_intensity.quota_applies"].buttons["yes"], Qt.MouseButton.LeftButton)
    rows = page.editors["energy_intensity.products"]
    assert _row_visible(page, "energy_intensity.products")
    rows.add.click()
    first_text_col = next(i for i, c in enumerate(rows.columns) if c.type == "text")
    rows.table.item(0, first_text_col).setText("变速箱壳体")
    stored = view.ws.answers(view.aid)["energy_intensity.products"]
    assert stored[0][rows.columns[first_text_col].id] == "变速箱壳体"
    # a calculated column updates live from the row's own cells
    col = {c.id: i for i, c in enumerate(rows.columns)}
    rows.table.item(0, col["quantity"]).setText("2000")
    rows.table.item(0, col["energy_tce"]).setText("500")
    assert rows.table.item(0, col["intensity"]).text() == "250"
    assert not (rows.table.item(0, col["intensity"]).flags() & Qt.ItemFlag.ItemIsEditable)
    # a mistyped number is refused: the stored figure is kept and the typed text stays to be corrected
    rows.table.item(0, col["quantity"]).setText("2ooo")
    assert view.ws.answers(view.aid)["energy_intensity.products"][0]["quantity"] == 2000
    assert rows.table.item(0, col["quantity"]).text() == "2ooo"
    msg = page.messages["energy_intensity.products"]
    assert msg.isVisibleTo(page) and "产量" in msg.text()
    rows.table.item(0, col["quantity"]).setText("2500")
    assert view.ws.answers(view.aid)["energy_intensity.products"][0]["quantity"] == 2500
    assert not msg.isVisibleTo(page)


def test_adding_evidence(view, tmp_path):
    view.jump_to("carbon_footprint")
    f = tmp_path / "碳足迹报告.pdf"
    f.write_bytes(b"%PDF-1.4 demo")
    ev = view.right.evidence
    assert ev.list.count() == 0 and ev.empty.isVisibleTo(view)
    assert ev.add_files([f]) == 1
    assert ev.list.count() == 1
    rows = view.ws.evidence(view.aid, "carbon_footprint")
    assert [r["name"] for r in rows] == ["碳足迹报告.pdf"]
    ev.list.item(0).setSelected(True)
    ev.remove_selected()  # not confirmed (no one can answer in a test): nothing is removed
    assert len(view.ws.evidence(view.aid, "carbon_footprint")) == 1
    ev.confirm_remove = lambda rows: True
    ev.remove_selected()
    assert view.ws.evidence(view.aid, "carbon_footprint") == []


def test_dashboard_and_settings_pages(view, qtbot):
    view.show_page("dashboard")
    assert view.dashboard is not None
    view.show_page("settings")
    assert view.settings_page.bench.rowCount() > 0
    assert view.settings_page.factors.rowCount() > 0


def test_export_through_the_dialog_with_a_generated_certificate(demo_view, qtbot, tmp_path):
    view = demo_view
    from greendesk.ui.exportdialog import ExportDialog

    dlg = ExportDialog(view.ws, view)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.generate.isChecked()
    out = tmp_path / "申报包.pdf"
    dlg.out.setText(str(out))
    dlg.lang.setCurrentIndex(dlg.lang.findData("en"))
    dlg.export_button.click()
    assert dlg.task is not None and not dlg.export_button.isEnabled()
    qtbot.waitUntil(lambda: dlg.task is None, timeout=120000)
    assert dlg.verification is not None, dlg.outcome.text()
    assert dlg.verification["valid"], dlg.verification
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    assert "✓" in dlg.outcome.text()
    assert "自签发" in dlg.outcome.text()
    assert not list(tmp_path.glob("*.tmp*"))
    from greendesk.ui import settings as app_settings

    assert app_settings.remembered("export/folder") == str(tmp_path)
    again = ExportDialog(view.ws, view)
    qtbot.addWidget(again)
    assert Path(again.out.text()).parent == tmp_path and not again.passphrase.text()


def test_finalize_lists_blocking_errors_and_jumps(view, qtbot):
    from greendesk.ui.finalize import FinalizeDialog

    view.on_edited("carbon_footprint.categories_total", 2)
    view.on_edited("carbon_footprint.categories_covered", 5)  # breaks the constraint
    dlg = FinalizeDialog(view)
    qtbot.addWidget(dlg)
    assert dlg.blocking and not dlg.final_button.isEnabled()
    assert ("negative_list", None) in [(b[1], b[2]) for b in dlg.blocking]  # vetoes not yet answered
    texts = [dlg.tree.topLevelItem(i).text(1) for i in range(dlg.tree.topLevelItemCount())]
    assert any("carbon_footprint" in str(dlg.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole))
               for i in range(dlg.tree.topLevelItemCount())), texts
    target = next(dlg.tree.topLevelItem(i) for i in range(dlg.tree.topLevelItemCount())
                  if dlg.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)[1]
                  == "carbon_footprint.categories_covered")
    dlg.jump.connect(view.jump_to)
    view.jump_to("material_saving")
    dlg.tree.itemActivated.emit(target, 0)
    assert view.current_id == "carbon_footprint"


def test_dropping_files_on_the_evidence_list(view, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    view.jump_to("green_design")
    f = tmp_path / "绿色设计评价报告.txt"
    f.write_text("报告", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    ev = view.right.evidence
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    ev.dropEvent(event)
    assert [r["name"] for r in view.ws.evidence(view.aid, "green_design")] == ["绿色设计评价报告.txt"]
    assert ev.list.count() == 1


def test_export_with_a_missing_certificate_shows_one_error(demo_view, qtbot, tmp_path, isolated_ui):
    from greendesk.ui.exportdialog import ExportDialog

    dlg = ExportDialog(demo_view.ws, demo_view)
    qtbot.addWidget(dlg)
    dlg.use_p12.setChecked(True)
    dlg.p12.setText(str(tmp_path / "nope.p12"))
    dlg.passphrase.setText("x")
    out = tmp_path / "pkg.pdf"
    dlg.out.setText(str(out))
    dlg.export_button.click()
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60000)
    assert len(isolated_ui) == 1 and isolated_ui[0][0]
    assert not out.exists() and dlg.export_button.isEnabled()


def test_cancelled_export_writes_nothing(demo_view, qtbot, tmp_path, isolated_ui):
    from greendesk.ui.exportdialog import ExportDialog

    dlg = ExportDialog(demo_view.ws, demo_view)
    qtbot.addWidget(dlg)
    target = tmp_path / "out"
    target.mkdir()
    dlg.out.setText(str(target / "pkg.pdf"))
    dlg.export_button.click()
    dlg.reject()  # Escape while exporting: cancels, the dialog stays
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60000)
    assert "已取消" in dlg.outcome.text()
    assert not isolated_ui
    assert list(target.iterdir()) == []


def test_demo_button_builds_and_opens_the_demo_off_the_gui_thread(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(type(window), "demo_path", lambda self: tmp_path / "demo" / "demo.greendesk")
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.view is not None, timeout=30000)
    assert window.ws.factory()["name"] == "重庆渝锐精密压铸有限公司"


def test_dashboard_gap_list_jumps_to_the_item(demo_view, qtbot):
    view = demo_view
    view.show_page("dashboard")
    dash = view.dashboard
    assert dash.gaps.topLevelItemCount() > 0
    gains = [float(dash.gaps.topLevelItem(i).text(1).replace(",", ""))
             for i in range(dash.gaps.topLevelItemCount())]
    assert gains == sorted(gains, reverse=True)  # ranked by points to gain
    first = dash.gaps.topLevelItem(0)
    item_id = first.data(0, Qt.ItemDataRole.UserRole)[0]
    dash.gaps.itemClicked.emit(first, 0)
    assert view.tabs.currentIndex() == 0 and view.current_id == item_id
    view.show_page("dashboard")
    assert dash.energy_table.rowCount() >= 3 and dash.factors_used.text()


@pytest.mark.parametrize("scheme_id", ["gbt36132-2018", "gbt36132-2025", "ningbo-2023"])
def test_every_page_of_every_bundled_scheme_builds(window, tmp_path, scheme_id):
    from greendesk.core import uscc
    from greendesk.core.schemes.registry import scheme_ids
    from greendesk.ui.schemeview import create_workspace

    if scheme_id not in scheme_ids():
        pytest.skip(f"{scheme_id} is not bundled")
    path = create_workspace(tmp_path / f"{scheme_id}.greendesk",
                            {"name": "测试工厂", "uscc": uscc.complete("91500113MA61RYP3X")}, scheme_id, 2025)
    assert window.open_workspace(path)
    view = window.view
    for item_id in list(view.nav.items):
        view.jump_to(item_id)
        assert view.current_id == item_id
        page = view.pages[item_id]
        assert page.editors or item_id != "__common__"
    view.show_page("dashboard")
    view.show_page("settings")


def test_export_with_a_p12_file_and_a_wrong_then_right_passphrase(demo_view, qtbot, tmp_path, isolated_ui):
    from greendesk.core.package.certs import new_identity, write_p12
    from greendesk.ui.exportdialog import ExportDialog

    p12 = write_p12(new_identity("重庆渝锐精密压铸有限公司"), tmp_path / "org.p12", "s3cret")
    dlg = ExportDialog(demo_view.ws, demo_view)
    qtbot.addWidget(dlg)
    dlg.use_p12.setChecked(True)
    dlg.p12.setText(str(p12))
    dlg.passphrase.setText("wrong")
    out = tmp_path / "out" / "pkg.pdf"
    out.parent.mkdir()
    dlg.out.setText(str(out))
    dlg.export_button.click()
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60000)
    assert len(isolated_ui) == 1 and not out.exists()  # refused before anything was written
    dlg.passphrase.setText("s3cret")
    dlg.export_button.click()
    qtbot.waitUntil(lambda: dlg.task is None, timeout=120000)
    assert dlg.verification and dlg.verification["valid"] and out.exists()


def test_import_wizard_blocks_on_errors_until_the_mapping_is_fixed(view, qtbot, tmp_path):

    ledger = tmp_path / "台账.csv"
    ledger.write_text("月份,电,神秘能源\n,kWh,桶\n1月,100,5\n2月,110,6\n", encoding="utf-8")
    wiz = _wizard_at_mapping(view, qtbot, ledger, 2025)
    wiz.next()
    assert not wiz.preview_page.isComplete()  # an unknown carrier stops the import
    assert "✕" in wiz.preview_page.status.text()
    wiz.back()
    table = wiz.mapping_page.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 2).text() == "神秘能源")
    combo = table.cellWidget(row, 3)
    combo.setCurrentIndex(combo.findData("ignore"))
    qtbot.waitUntil(lambda: wiz.plan.ok, timeout=5000)
    wiz.next()
    assert wiz.preview_page.isComplete()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.done_page, timeout=20000)
    assert wiz.summary.readings == 2


def test_large_evidence_is_attached_off_the_gui_thread(view, qtbot, tmp_path):
    view.jump_to("green_design")
    big = tmp_path / "产品生命周期评价报告.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (9 * 1024 * 1024))
    ev = view.right.evidence
    assert ev.add_files([big]) == 0  # returns at once; stored in the background
    qtbot.waitUntil(lambda: ev.list.count() == 1, timeout=30000)
    assert [r["name"] for r in view.ws.evidence(view.aid, "green_design")] == [big.name]


def test_values_typed_in_the_settings_page_are_recorded_as_the_users_not_the_schemes(view, qtbot):
    """A 基准值 typed over a row whose 来源 cell shows the scheme's source must not be stored under that
    source (the report would present the user's figure as the published one); the row then says 'user'."""
    from greendesk.ui.guidance import certainty_short

    view.show_page("settings")
    page = view.settings_page
    table = page.bench
    row = next(r for r in range(table.rowCount())
               if table.item(r, 0).data(Qt.ItemDataRole.UserRole)[0] == "solid_waste_use")
    scheme_source = table.item(row, 8).text()
    assert scheme_source  # the scheme's own source is on show
    table.item(row, 5).setText("50")
    table.item(row, 6).setText("95")
    (o,) = view.ws.benchmarks(view.scheme.id)
    assert (o["baseline"], o["leading"]) == (50, 95)
    assert o["source"] != scheme_source and o["source"] == "用户录入"
    row = next(r for r in range(table.rowCount())
               if table.item(r, 0).data(Qt.ItemDataRole.UserRole)[0] == "solid_waste_use")
    assert table.item(row, 7).text() == certainty_short("user")
    # a source the user types is kept
    table.item(row, 8).setText("评价机构函 2026-03")
    assert view.ws.benchmarks(view.scheme.id)[0]["source"] == "评价机构函 2026-03"

    # the same for a conversion factor
    ft = page.factors
    frow = next(r for r in range(ft.rowCount()) if ft.item(r, 5).text())
    fid, factor_source = ft.item(frow, 0).data(Qt.ItemDataRole.UserRole), ft.item(frow, 5).text()
    ft.item(frow, 3).setText("0.5")
    o = view.ws.factor_overrides()[fid]
    assert o["value"] == 0.5 and o["source"] != factor_source
    # editing keeps the keyboard user's place in the table
    ft.setCurrentCell(frow, 3)
    ft.item(frow, 3).setText("0.6")
    assert (ft.currentRow(), ft.currentColumn()) == (frow, 3)


def test_finalize_names_each_field_with_its_item(view, qtbot):
    """Several items ask for a field called 案例情况 / Case: the finalize list must say which item it is."""
    from greendesk.ui.finalize import FinalizeDialog

    dlg = FinalizeDialog(view)
    qtbot.addWidget(dlg)
    rows = {dlg.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)[1]: dlg.tree.topLevelItem(i).text(1)
            for i in range(dlg.tree.topLevelItemCount())}
    saving, substitution = rows["material_saving.case"], rows["material_substitution.case"]
    assert saving != substitution
    assert "节约原材料" in saving and "5a" in saving
    target = next(dlg.tree.topLevelItem(i) for i in range(dlg.tree.topLevelItemCount())
                  if dlg.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)[1] == "material_substitution.case")
    assert target.toolTip(1) == substitution  # the whole line, where a long one is cut short
    dlg.jump.connect(view.jump_to)
    dlg.tree.itemActivated.emit(target, 1)
    assert view.current_id == "material_substitution"


def test_evidence_buttons_follow_the_selection_and_read_only(window, demo_path, isolated_ui, monkeypatch):
    """Open/Remove act on the selected files: disabled with nothing selected; in a workspace opened
    read-only nothing can be removed (no write is attempted, no traceback)."""
    from greendesk.core.workspace import Workspace
    from greendesk.ui import errors

    assert window.open_workspace(demo_path)
    window.view.jump_to("__common__")
    ev = window.view.right.evidence
    assert ev.list.count() > 0
    assert not ev.remove_button.isEnabled() and not ev.open_button.isEnabled()
    ev.list.item(0).setSelected(True)
    assert ev.remove_button.isEnabled() and ev.open_button.isEnabled()
    window.close_workspace()

    other = Workspace.open(demo_path)
    try:
        monkeypatch.setattr(errors, "ask", lambda *a: True)
        assert window.open_workspace(demo_path)
        assert window.ws.readonly
        window.view.jump_to("__common__")
        ev = window.view.right.evidence
        n = ev.list.count()
        ev.list.item(0).setSelected(True)
        assert ev.open_button.isEnabled() and not ev.remove_button.isEnabled()
        ev.remove_selected()
        assert ev.list.count() == n and len(window.ws.evidence(window.view.aid)) >= n
    finally:
        window.close_workspace()
        other.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_score_bar_fits_a_small_window_and_names_failed_vetoes(window, demo_path, lang):
    """At 1024 px nothing in the score bar is cut off mid-character (long texts end in "…" with the whole text
    in the tooltip), and the tooltip of a failed
    veto names the item, not its scheme id."""
    from greendesk.ui import i18n

    i18n.set_language(lang)
    assert window.open_workspace(demo_path)
    window.resize(1024, 700)
    window.view.jump_to("negative_list")
    window.view.on_edited("negative_list.operating", "no")
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    bar = window.view.score_bar
    for lab in (bar.factory, bar.scheme_line, bar.total, bar.veto, bar.grade, bar.missing, bar.finalize):
        assert lab.width() >= lab.minimumSizeHint().width(), (lab.objectName(), lab.width(), lab.minimumSizeHint())
    assert bar.height() < 120  # the bar does not grow into a tall block either
    assert "重庆渝锐精密压铸有限公司" in bar.factory_box.toolTip()
    tip = window.view.score_bar.veto.toolTip()
    assert "negative_list" not in tip and ("负面清单" in tip or "Negative list" in tip), tip


def test_export_asks_before_replacing_an_existing_package(demo_view, qtbot, tmp_path, isolated_ui):
    """The default file name is the same every time: an earlier signed package (perhaps already handed in)
    is not replaced without a question; declining writes nothing."""
    from greendesk.ui.exportdialog import ExportDialog

    out = tmp_path / "申报包.pdf"
    out.write_bytes(b"%PDF-1.7 the package handed in last week")
    dlg = ExportDialog(demo_view.ws, demo_view)
    qtbot.addWidget(dlg)
    dlg.out.setText(str(out))
    dlg.export_button.click()  # the question is declined in tests
    assert dlg.task is None and len(isolated_ui) == 1 and out.name in isolated_ui[0][0]
    assert out.read_bytes() == b"%PDF-1.7 the package handed in last week"


def test_every_benchmark_row_shows_a_source(view):
    """Banded rows (可再生能源利用率 by energy use) have no source of their own: the rule's is shown."""
    view.show_page("settings")
    t = view.settings_page.bench
    empty = [t.item(r, 0).text() + " " + t.item(r, 1).text() for r in range(t.rowCount()) if not t.item(r, 8).text()]
    assert not empty, empty


def test_scheme_list_tooltips_hold_the_whole_description(qtbot, qapp):
    """The last line of a scheme's description can be cut short in the list: the tooltip has all of it."""
    from greendesk.ui import schemeview
    from greendesk.ui.newwizard import NewWorkspaceWizard

    wiz = NewWorkspaceWizard()
    qtbot.addWidget(wiz)
    schemes = {s["id"]: s for s in schemeview.available_schemes()}
    lst = wiz.scheme_page.list
    for i in range(lst.count()):
        it = lst.item(i)
        assert schemes[it.data(Qt.ItemDataRole.UserRole)]["description"] in it.toolTip()


def test_wizard_choosing_another_previous_workspace_refills_the_profile(qtbot, qapp, tmp_path, demo_path,
                                                                         fresh_path, isolated_ui):
    """Continue from last year: going back and picking another workspace must not keep the first one's
    name and credit code (the new workspace would carry the wrong factory); what the user typed is kept."""
    from greendesk.ui.newwizard import NewWorkspaceWizard

    wiz = NewWorkspaceWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.start_page.cont.setChecked(True)
    wiz.start_page.prev_path.setText(str(demo_path))
    wiz.next()
    page = wiz.profile_page
    assert page.edits["name"].text() == "重庆渝锐精密压铸有限公司"
    page.edits["contact_phone"].setText("023-0000 0000")  # typed by the user
    wiz.back()
    wiz.start_page.prev_path.setText(str(fresh_path))
    wiz.next()
    assert page.edits["name"].text() == "测试工厂"
    assert page.edits["legal_rep"].text() == ""  # the demo's legal representative is not left behind
    assert page.edits["contact_phone"].text() == "023-0000 0000"


def test_explanations_name_missing_inputs_by_label(view):
    """"cannot compute: missing energy_intensity.quota_applies" is shown with the input's label, in the form
    and in the dashboard's gap list."""
    view.jump_to("energy_intensity")
    text = view.pages["energy_intensity"].result.text()
    assert "energy_intensity.quota_applies" not in text and "国家强制性单位产品能耗限额标准" in text, text
    view.show_page("dashboard")
    from PySide6.QtWidgets import QTableWidget, QTreeWidget

    cells = []
    for t in view.dashboard.findChildren(QTableWidget):
        cells += [t.item(r, c).text() for r in range(t.rowCount()) for c in range(t.columnCount()) if t.item(r, c)]
    for t in view.dashboard.findChildren(QTreeWidget):
        cells += [t.topLevelItem(r).text(c) for r in range(t.topLevelItemCount()) for c in range(t.columnCount())]
    assert cells and not [c for c in cells if "common.co2_t" in c or "quota_applies" in c]


def test_import_wizard_texts_read_naturally(view, qtbot, tmp_path):
    """Chinese totals are separated by "；" and labelled with "：" (not "; " and ": "); one error is "1 error
    stops the import" in English."""
    from greendesk.ui import i18n

    ledger = tmp_path / "台账.csv"
    ledger.write_text("月份,电(kWh),天然气(m3)\n2025-01,100,5\n2025-02,110,6\n", encoding="utf-8")
    wiz = _wizard_at_mapping(view, qtbot, ledger, 2025)
    wiz.next()
    status = wiz.preview_page.status.text()
    assert "; " not in status and "；" in status, status
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.done_page, timeout=20000)
    assert ": " not in wiz.done_page.text.text() and "：" in wiz.done_page.text.text()

    i18n.set_language("en")
    bad = tmp_path / "bad.csv"
    bad.write_text("月份,电(kWh)\n2025-01,abc\n2025-02,110\n", encoding="utf-8")
    wiz = _wizard_at_mapping(view, qtbot, bad, 2025)
    wiz.next()
    assert wiz.preview_page.status.text().startswith("✕ 1 error stops the import."), wiz.preview_page.status.text()


def test_english_singulars_in_the_score_bar(window, demo_path):
    """One failed veto reads "1 veto item not met", not "1 veto items"."""
    from greendesk.ui import i18n

    i18n.set_language("en")
    assert window.open_workspace(demo_path)
    window.view.on_edited("negative_list.operating", "no")
    assert "1 veto item not met" in window.view.score_bar.veto.text()


def test_a_leading_value_worse_than_the_baseline_is_refused_in_the_settings_page(view, isolated_ui):
    """As `greendesk benchmark` does: 引领值 below 基准值 on a higher-is-better indicator would score backwards
    (x = 94 % between 95 and 50 earned 2 %)."""
    view.show_page("settings")
    t = view.settings_page.bench

    def row():
        return next(r for r in range(t.rowCount()) if t.item(r, 0).data(Qt.ItemDataRole.UserRole)[0] == "solid_waste_use")

    t.item(row(), 5).setText("95")
    t.item(row(), 6).setText("50")
    assert len(isolated_ui) == 1 and "引领值" in isolated_ui[0][0]
    (o,) = view.ws.benchmarks(view.scheme.id)
    assert (o["baseline"], o["leading"]) == (95, None)
    assert t.item(row(), 6).text() == ""  # the refused figure is not left on show as if it were in use


def test_a_negative_factor_is_refused_in_the_settings_page(view, isolated_ui):
    """As `greendesk factor` does: a negative conversion/emission factor would subtract energy or CO2."""
    view.show_page("settings")
    ft = view.settings_page.factors
    fid = ft.item(0, 0).data(Qt.ItemDataRole.UserRole)
    ft.item(0, 3).setText("-0.5")
    assert len(isolated_ui) == 1
    assert fid not in view.ws.factor_overrides()
    assert ft.item(0, 3).text() == ""


def test_settings_page_is_read_only_in_a_read_only_workspace(window, fresh_path, isolated_ui, monkeypatch):
    """No cell invites typing that could not be saved (each edit ended in an error dialog)."""
    from greendesk.core.workspace import Workspace
    from greendesk.ui import errors

    other = Workspace.open(fresh_path)
    try:
        monkeypatch.setattr(errors, "ask", lambda *a: True)
        assert window.open_workspace(fresh_path) and window.ws.readonly
        window.view.show_page("settings")
        page = window.view.settings_page
        for t in (page.bench, page.factors):
            editable = [(r, c) for r in range(t.rowCount()) for c in range(t.columnCount())
                        if t.item(r, c) and t.item(r, c).flags() & Qt.ItemFlag.ItemIsEditable]
            assert not editable
        assert not page.reset_button.isEnabled()
    finally:
        window.close_workspace()
        other.close()


def test_import_is_unavailable_in_a_read_only_workspace(window, fresh_path, isolated_ui, monkeypatch):
    """Importing a ledger writes to the workspace: in read-only mode the menu entry is off, and a dropped
    ledger says why instead of running the wizard to a failed commit."""
    from greendesk.core.workspace import Workspace
    from greendesk.ui import errors

    other = Workspace.open(fresh_path)
    try:
        monkeypatch.setattr(errors, "ask", lambda *a: True)
        assert window.open_workspace(fresh_path) and window.ws.readonly
        action = window.findChild(QAction, "import")
        assert not action.isEnabled()
        opened = []
        monkeypatch.setattr("greendesk.ui.importwizard.ImportWizard.exec", lambda self: opened.append(1))
        window.view.import_ledger([SAMPLES / "a_months_down.xlsx"])
        assert not opened and len(isolated_ui) == 1  # one explanation
    finally:
        window.close_workspace()
        other.close()


def test_recent_workspaces_show_both_lines(window, demo_path, qtbot):
    """Each recent entry shows its title and its path: the row is two lines high (it was one: the title ended
    in "…" and the path was not visible)."""
    from greendesk.ui import settings as app_settings

    assert window.open_workspace(demo_path)
    qtbot.waitUntil(lambda: app_settings.recent_files() == [str(demo_path.resolve())], timeout=2000)
    window.close_workspace_to_welcome()
    window.resize(1280, 800)
    lst = window.welcome.recent
    qtbot.waitUntil(lambda: lst.visualItemRect(lst.item(0)).height() > 0, timeout=2000)
    rect = lst.visualItemRect(lst.item(0))
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()  # lays the text out with the fallback font the Chinese title really uses
    doc.setDefaultFont(lst.font())
    doc.setDocumentMargin(0)
    doc.setPlainText(lst.item(0).text())
    # + the 6 px paddings and the item's frame (at exactly text + padding the path was pushed out)
    assert rect.height() >= doc.size().height() + 12 + 6, (rect.height(), doc.size().height())


def test_guidance_source_line_uses_chinese_punctuation(view):
    view.jump_to("solid_waste_use")
    text = view.right.guidance.toPlainText()
    assert "来源：" in text and "来源:" not in text


def test_yes_no_answers_can_be_given_with_the_keyboard(view, qtbot):
    """Tab reaches 否 and 不适用 (only 是 could be reached: a keyboard user could not answer "no")."""
    from PySide6.QtWidgets import QApplication

    view.window().activateWindow()
    view.jump_to("negative_list")
    ed = view.pages["negative_list"].editors["negative_list.operating"]
    ed.buttons["yes"].setFocus()
    qtbot.keyClick(ed.buttons["yes"], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ed.buttons["no"]
    qtbot.keyClick(ed.buttons["no"], Qt.Key.Key_Space)
    assert view.ws.answers(view.aid)["negative_list.operating"] == "no"
    qtbot.keyClick(ed.buttons["no"], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ed.buttons["na"]
    qtbot.keyClick(ed.buttons["na"], Qt.Key.Key_Space)
    assert view.ws.answers(view.aid)["negative_list.operating"] == "na"
    assert not ed.buttons["no"].isChecked()


def test_export_file_name_follows_the_report_language(demo_view, qtbot):
    """Choosing the English report changes the suggested name, so the Chinese and English packages do not
    land on the same file; a name the user typed is left alone."""
    from greendesk.ui.exportdialog import ExportDialog

    dlg = ExportDialog(demo_view.ws, demo_view)
    qtbot.addWidget(dlg)
    assert dlg.out.text().endswith("绿色工厂自评价报告.pdf")
    dlg.lang.setCurrentIndex(dlg.lang.findData("en"))
    assert dlg.out.text().endswith("green-factory-self-evaluation.pdf")
    dlg.out.setText("/tmp/我的申报包.pdf")
    dlg.lang.setCurrentIndex(dlg.lang.findData("zh"))
    assert dlg.out.text() == "/tmp/我的申报包.pdf"
