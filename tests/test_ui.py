"""GUI tests (pytest-qt, offscreen): wizard, main window, editing, undo, evidence, language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def isolated_ui(tmp_path, monkeypatch):
    """Keep QSettings in tmp, collect error dialogs instead of showing them, start in Chinese."""
    monkeypatch.setenv("GREENDESK_SETTINGS_DIR", str(tmp_path / "settings"))
    monkeypatch.delenv("GREENDESK_UI_LANG", raising=False)
    from greendesk.ui import errors, i18n

    sink: list = []
    monkeypatch.setattr(errors, "_sink", sink)
    i18n.set_language("zh")
    yield sink
    i18n.set_language("zh")


@pytest.fixture
def window(qtbot, qapp):
    from greendesk.ui.app import create_app
    from greendesk.ui.mainwindow import MainWindow

    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_workspace()


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
        ws.set_answer(aid, "some_field", 42)
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
        assert rows["some_field"]["value"] == 42 and rows["some_field"]["source"] == "carried"


def test_welcome_and_open(window, demo_path, qtbot):
    from greendesk.ui import settings as app_settings

    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.empty.isVisibleTo(window)
    assert window.open_workspace(demo_path)
    assert window.view is not None and window.stack.currentWidget() is window.view
    assert app_settings.recent_files() == [str(demo_path.resolve())]
    window.close_workspace_to_welcome()
    assert window.welcome.recent.count() == 1


def test_open_bad_file_shows_one_error(window, tmp_path, isolated_ui):
    bad = tmp_path / "junk.greendesk"
    bad.write_bytes(b"not a database" * 20)
    assert not window.open_workspace(bad)
    assert len(isolated_ui) == 1
    message, advice, exc = isolated_ui[0]
    assert "GreenDesk" in message and advice


def test_language_switch(window, demo_path):
    from greendesk.ui import i18n

    window.open_workspace(demo_path)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[0] == "文件(&F)"
    window.set_language("en")
    assert i18n.language() == "en"
    assert [a.text() for a in window.menuBar().actions()][0] == "&File"
    assert window.view is not None and window.ws is not None
    window.set_language("zh")
    assert [a.text() for a in window.menuBar().actions()][0] == "文件(&F)"


def test_every_ui_string_has_a_chinese_translation():
    from greendesk.ui.i18n_check import missing

    assert missing() == {}
