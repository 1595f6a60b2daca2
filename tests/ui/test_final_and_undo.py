"""The app: a final assessment is read-only until reopened with a reason; evidence and ledger imports are
removed only after confirmation and come back with undo."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

pytestmark = pytest.mark.gui


@pytest.fixture
def sink(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_SETTINGS_DIR", str(tmp_path / "settings"))
    from greendesk.ui import errors, i18n

    s: list = []
    monkeypatch.setattr(errors, "_sink", s)
    i18n.set_language("zh")
    yield s
    i18n.set_language("zh")


@pytest.fixture
def window(qtbot, qapp, sink):
    from greendesk.ui.app import create_app
    from greendesk.ui.mainwindow import MainWindow

    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_workspace()


def _action(win, name) -> QAction:
    """The action in the current menus (the menus are rebuilt when the state changes)."""
    for menu_action in win.menuBar().actions():
        for a in menu_action.menu().actions():
            if a.objectName() == name:
                return a
    raise LookupError(name)


def _finalize(win, qtbot):
    from greendesk.ui.finalize import FinalizeDialog

    dlg = FinalizeDialog(win.view)
    qtbot.addWidget(dlg)
    assert not dlg.blocking and dlg.final_button.isEnabled()
    dlg.finalized.connect(win.view.status_changed)
    dlg.final_button.click()


def test_final_assessment_is_read_only_until_reopened(window, demo_path, qtbot, sink):
    assert window.open_workspace(demo_path)
    view = window.view
    assert view.score_bar.status.text() == "草稿" and view.score_bar.finalize.isVisibleTo(view)
    assert _action(window, "import").isEnabled() and not _action(window, "reopen").isEnabled()
    _finalize(window, qtbot)
    view = window.view  # rebuilt read-only
    assert view.final and not view.editable and window.ws.is_final(view.aid)
    assert "定稿" in view.score_bar.status.text() and "定稿" in window.windowTitle()
    assert view.score_bar.reopen.isVisibleTo(view) and not view.score_bar.finalize.isVisibleTo(view)
    assert not _action(window, "import").isEnabled() and not _action(window, "finalize").isEnabled()
    assert _action(window, "reopen").isEnabled()
    for item in ("negative_list", "energy_intensity", "__common__"):
        view.jump_to(item)
        page = view.pages[item]
        assert page.editors and all(not ed.isEnabled() for ed in page.editors.values()), item
    ev = view.right.evidence
    assert ev.list.count() > 0 and not ev.add_button.isEnabled()
    ev.list.item(0).setSelected(True)
    assert ev.open_button.isEnabled() and not ev.remove_button.isEnabled()
    view.show_page("settings")
    from PySide6.QtCore import Qt

    bench = view.settings_page.bench
    assert all(not (bench.item(r, c).flags() & Qt.ItemFlag.ItemIsEditable)
               for r in range(bench.rowCount()) for c in range(bench.columnCount()))
    view.show_page("dashboard")
    view.dashboard.imports.topLevelItem(0).setSelected(True)
    assert not view.dashboard.remove_import_button.isEnabled()
    # a write that slips through anyway (e.g. a dropped ledger) is refused by the core, with one message
    before = window.ws.answers(view.aid)
    view.store("common.site_area_m2", 1)
    assert window.ws.answers(view.aid) == before and "已定稿" in sink[-1][0]
    view.import_ledger([demo_path])
    assert "已定稿" in sink[-1][0]

    assert view.reopen(reason="补充排污许可证")
    view = window.view
    assert not view.final and view.editable and view.score_bar.status.text() == "草稿"
    events = window.ws.assessment_events(view.aid)
    assert [(e["action"], e["reason"]) for e in events] == [("finalize", None), ("reopen", "补充排污许可证")]
    view.jump_to("negative_list")
    assert all(ed.isEnabled() for ed in view.pages["negative_list"].editors.values())


def test_reopen_dialog_needs_a_reason(window, demo_path, qtbot):
    from greendesk.ui.finalize import ReopenDialog

    dlg = ReopenDialog(window, 2025)
    qtbot.addWidget(dlg)
    assert not dlg.ok_button.isEnabled()
    dlg.reason.setPlainText("   ")
    assert not dlg.ok_button.isEnabled()
    dlg.reason.setPlainText("更正用地面积")
    assert dlg.ok_button.isEnabled() and dlg.text() == "更正用地面积"


def test_unmet_commitment_blocks_finalize_in_the_app(window, demo_path, qtbot):
    from greendesk.ui.finalize import FinalizeDialog

    assert window.open_workspace(demo_path)
    window.view.on_edited("negative_list.not_defaulter", "no")
    dlg = FinalizeDialog(window.view)
    qtbot.addWidget(dlg)
    assert not dlg.final_button.isEnabled()
    assert [(b[1], b[2]) for b in dlg.blocking] == [("negative_list", "negative_list.not_defaulter")]
    assert "未被列入严重失信主体名单" in dlg.blocking[0][0]


def test_evidence_removal_asks_and_undo_restores_it(window, demo_path, qtbot):
    assert window.open_workspace(demo_path)
    view = window.view
    view.jump_to("__common__")
    ev = view.right.evidence
    n = ev.list.count()
    before = window.ws.evidence(view.aid)
    asked = []
    ev.confirm_remove = lambda rows: asked.append(rows) or False
    ev.list.item(0).setSelected(True)
    ev.remove_selected()
    assert len(asked) == 1 and ev.list.count() == n  # refused: nothing removed
    ev.confirm_remove = lambda rows: True
    ev.list.item(0).setSelected(True)
    ev.remove_selected()
    assert ev.list.count() == n - 1 and len(window.ws.evidence(view.aid)) == len(before) - 1
    assert view.undo_stack.canUndo()
    view.undo_stack.undo()
    assert window.ws.evidence(view.aid) == before and view.right.evidence.list.count() == n
    view.undo_stack.redo()
    assert len(window.ws.evidence(view.aid)) == len(before) - 1


def test_meter_imports_are_listed_removed_and_restored(window, demo_path, qtbot):
    assert window.open_workspace(demo_path)
    view = window.view
    view.show_page("dashboard")
    dash = view.dashboard
    assert dash.imports.topLevelItemCount() == 1
    it = dash.imports.topLevelItem(0)
    assert it.text(0) == "2025年能源月报.xlsx" and "12 个月" in it.text(2) and "48 条数据" in it.text(3)
    assert not dash.remove_import_button.isEnabled()
    it.setSelected(True)
    assert dash.remove_import_button.isEnabled()
    total_before = view.live.auto
    dash.confirm_remove_import = lambda r: True
    dash.remove_import_button.click()
    assert window.ws.conn.execute("SELECT COUNT(*) FROM meter_readings").fetchone()[0] == 0
    assert dash.imports.topLevelItemCount() == 1 and dash.imports.topLevelItem(0).text(0) == "尚未导入台账。"
    assert view.live.auto != total_before
    view.undo_stack.undo()
    assert window.ws.conn.execute("SELECT COUNT(*) FROM meter_readings").fetchone()[0] == 48
    assert view.dashboard.imports.topLevelItem(0).text(0) == "2025年能源月报.xlsx"
    assert view.live.auto == total_before
