"""Start-up: the QApplication, language, and the main window."""

from __future__ import annotations

import gc
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
    """Once the watched window has been painted: resumes garbage collection (paused by greendesk.ui.startup),
    and with ``exit_when_ready`` saves a screenshot (when asked) and quits the application."""

    def __init__(self, app: QApplication, win=None, screenshot: Path | None = None, *, exit_when_ready: bool = True):
        super().__init__(app)
        self.app = app
        self.win = win
        self.screenshot = screenshot
        self.exit_when_ready = exit_when_ready
        self.fired = False

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self.fired:
            self.fired = True
            QTimer.singleShot(0, resume_gc)  # after this paint
            if self.exit_when_ready:
                # a screenshot waits a moment so that every child widget has painted too
                QTimer.singleShot(400 if self.screenshot else 0, self._done)
        return False

    def _done(self) -> None:
        rc = 0
        if self.screenshot is not None:
            rc = 0 if save_screenshot(self.win, self.screenshot) else 4
        self.app.exit(rc)


def resume_gc() -> None:
    """Garbage collection again, after start-up: what exists now lives as long as the window (gc.freeze keeps
    later collections, and the one at exit, from walking it again)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def save_screenshot(win, path: Path) -> bool:
    """Write what the display shows of ``win`` as PNG (the window system's pixels where it has them, as under
    X11; the widget's own rendering on the offscreen platform)."""
    QApplication.processEvents()
    screen = win.screen() or QGuiApplication.primaryScreen()
    pix = screen.grabWindow(win.winId()) if screen is not None else None
    if pix is None or pix.isNull() or pix.width() < 2:
        pix = win.grab()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return pix.save(str(path), "PNG")


def run(path: str | Path | None = None, *, exit_when_ready: bool = False, screenshot: str | Path | None = None) -> int:
    """Open the main window (on ``path`` when given, else the welcome screen) and run the event loop.

    ``exit_when_ready``: quit once the window is painted (exit 0; 3 when it never is). ``screenshot``: also
    save it as PNG then (exit 4 when the file cannot be written)."""
    app = create_app()
    from greendesk.ui.mainwindow import MainWindow

    exit_when_ready = exit_when_ready or screenshot is not None
    win = MainWindow(build=path is None)
    watcher = _PaintWatcher(app, win, Path(screenshot) if screenshot is not None else None,
                            exit_when_ready=exit_when_ready)
    win.installEventFilter(watcher)
    QTimer.singleShot(5000, resume_gc)  # a window that is never painted (minimised at start) collects too
    if exit_when_ready:
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
