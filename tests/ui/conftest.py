"""Fixtures shared by the GUI tests: settings in tmp, error dialogs collected, Chinese first; a main window
on a fresh workspace (``view``) or on the demo (``demo_view``)."""

from __future__ import annotations

import pytest


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


@pytest.fixture
def fresh_path(tmp_path):
    """A new workspace with an empty 2025 assessment (the demo has answers already)."""
    from greendesk.core import uscc
    from greendesk.ui.schemeview import create_workspace

    return create_workspace(tmp_path / "fresh.greendesk",
                            {"name": "测试工厂", "uscc": uscc.complete("91500113MA61RYP3X")}, "gbt36132-2025", 2025)


@pytest.fixture
def view(window, fresh_path):
    assert window.open_workspace(fresh_path)
    return window.view


@pytest.fixture
def demo_view(window, demo_path):
    assert window.open_workspace(demo_path)
    return window.view
