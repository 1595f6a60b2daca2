"""Switching the language rebuilds the menus without keeping the old ones (each switch leaked 26 actions
and 6 menus, found by the soak test)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


def _count(win, qapp) -> tuple[int, int]:
    for _ in range(10):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        qapp.processEvents()
    return len(win.findChildren(QAction)), len(win.findChildren(QMenu))


def test_menus_and_actions_do_not_pile_up_over_language_switches(window, demo_path, qapp):
    assert window.open_workspace(demo_path)
    for lang in ("en", "zh") * 2:
        window.set_language(lang)
    before = _count(window, qapp)
    for lang in ("en", "zh") * 5:
        window.set_language(lang)
    after = _count(window, qapp)
    # before the fix every switch kept 26 actions and 6 menus (+260 and +60 here); one action may come and go
    # with the text box that has the focus
    assert after[0] <= before[0] + 1 and after[1] == before[1], (before, after)
    # the rebuilt menus still work: Ctrl+2 shows the dashboard
    dash = next(a for a in window.findChildren(QAction) if a.shortcut().toString() == "Ctrl+2")
    dash.trigger()
    assert window.view.tabs.currentIndex() == 1
