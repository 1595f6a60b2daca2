"""Run in a child process on a screen of a given size: open the main window and every dialog, and report
(as JSON on stdout) each window's geometry and whether its action buttons lie inside the available screen.

``python tests/ui/fit_probe.py WORKSPACE`` with ``QT_QPA_PLATFORM=offscreen:configfile=screen.json``
(a screen of the wanted logical size) and optionally ``QT_SCALE_FACTOR``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(path: str) -> None:
    from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWizard

    from greendesk.ui import errors
    from greendesk.ui.app import create_app
    from greendesk.ui.fit import available, global_rect, inside_screen
    from greendesk.ui.mainwindow import MainWindow

    errors._sink = []  # noqa: SLF001 - no modal dialogs
    app = create_app()
    report: dict = {"screen": None, "windows": {}}

    def rect(r):
        return [r.x(), r.y(), r.width(), r.height()]

    def check(name, w, buttons):
        w.show()
        for _ in range(3):
            app.processEvents()
        avail = available(w)
        report["screen"] = rect(avail)
        lay = w.layout()
        need = lay.totalMinimumSize() if lay is not None else w.minimumSizeHint()
        if need.width() < 0:
            need = w.minimumSizeHint()
        report["windows"][name] = {
            "frame": rect(w.frameGeometry()),
            "size": [w.width(), w.height()],
            "layout_min": [need.width(), need.height()],
            "squeezed": need.width() > w.width() or need.height() > w.height(),
            "inside": avail.contains(w.frameGeometry()),
            "buttons": {b: {"rect": rect(global_rect(btn)), "inside": inside_screen(btn, avail)}
                        for b, btn in buttons.items()},
        }

    win = MainWindow()
    win.show()
    app.processEvents()
    w = win.welcome
    check("welcome", win, {"new": w.new_button, "open": w.open_button, "demo": w.demo_button})
    assert win.open_workspace(Path(path))
    view = win.view
    bar = view.score_bar
    check("main", win, {"finalize": bar.finalize, "evidence_add": view.right.evidence.add_button})
    view.show_page("dashboard")
    check("main_dashboard", win, {})
    view.show_page("settings")
    quotas = view.settings_page.quotas
    check("main_settings", win, {"reset": view.settings_page.reset_button, "quota_add": quotas.add_button,
                                 "quota_remove": quotas.remove_button})
    dlg = quotas.open_dialog(None)
    box = dlg.findChild(QDialogButtonBox)
    check("quota", dlg, {"save": box.button(QDialogButtonBox.StandardButton.Save),
                         "cancel": box.button(QDialogButtonBox.StandardButton.Cancel)})
    dlg.close()
    view.show_page("form")

    from greendesk.ui.finalize import FinalizeDialog, ReopenDialog

    dlg = FinalizeDialog(view)
    check("finalize", dlg, {"mark_final": dlg.final_button})
    dlg.close()
    dlg = ReopenDialog(win, 2025)
    check("reopen", dlg, {"ok": dlg.ok_button})
    dlg.close()

    from greendesk.ui.exportdialog import ExportDialog

    dlg = ExportDialog(win.ws, view)
    check("export", dlg, {"export": dlg.export_button, "cancel": dlg.cancel_button})
    dlg.close()

    from greendesk.ui.importwizard import ImportWizard

    wiz = ImportWizard(win.ws, view.aid, 2025, view)
    check("import_wizard", wiz, {"next": wiz.button(QWizard.WizardButton.NextButton),
                                 "cancel": wiz.button(QWizard.WizardButton.CancelButton)})
    wiz.close()

    from greendesk.ui.factory import FactoryDialog

    dlg = FactoryDialog(win.ws, win)
    check("factory", dlg, {"ok": dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)})
    dlg.close()

    from greendesk.ui.newwizard import NewWorkspaceWizard

    wiz = NewWorkspaceWizard(win)
    for i, page_id in enumerate(wiz.pageIds()):
        if i:
            wiz.setStartId(page_id)
            wiz.restart()
        last = i == len(wiz.pageIds()) - 1
        check(f"new_wizard_{i}", wiz, {
            "next": wiz.button(QWizard.WizardButton.FinishButton if last else QWizard.WizardButton.NextButton),
            "cancel": wiz.button(QWizard.WizardButton.CancelButton)})
    wiz.close()
    win.close_workspace()
    win.close()
    json.dump(report, sys.stdout)
    QApplication.processEvents()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main(sys.argv[1])
