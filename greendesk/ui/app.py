"""Start-up: the QApplication, language, and the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from greendesk.ui import i18n
from greendesk.ui import settings as app_settings


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(app_settings.ORG)
    app.setApplicationName(app_settings.APP)
    app.setApplicationDisplayName("GreenDesk")
    from greendesk import __version__

    app.setApplicationVersion(__version__)
    i18n.set_language(app_settings.language())
    return app


class _PaintWatcher(QObject):
    """Quits the application once the watched window has been painted."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.fired = False

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self.fired:
            self.fired = True
            QTimer.singleShot(0, lambda: self.app.exit(0))
        return False


def run(path: str | Path | None = None, *, exit_when_ready: bool = False) -> int:
    """Open the main window (on ``path`` when given, else the welcome screen) and run the event loop."""
    app = create_app()
    from greendesk.ui.mainwindow import MainWindow

    win = MainWindow(build=path is None)
    if exit_when_ready:
        watcher = _PaintWatcher(app)
        win.installEventFilter(watcher)
        timeout = float(os.environ.get("GREENDESK_READY_TIMEOUT", "60"))
        QTimer.singleShot(int(timeout * 1000), lambda: app.exit(3))
    if path is not None and not win.open_workspace(Path(path)):
        if exit_when_ready:
            return 1
        win.build()
    win.show()
    rc = app.exec()
    win.close_workspace()
    return rc
