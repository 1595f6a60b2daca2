"""``greendesk screenshots FILE OUTDIR``: PNGs of the main screens in Chinese and English (QWidget.grab)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def _settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def _save(widget: QWidget, path: Path, app: QApplication) -> Path:
    _settle(app)
    widget.grab().save(str(path))
    return path


def take_all(workspace: str | Path, outdir: str | Path) -> list[Path]:
    """Save the screenshots; the workspace is copied first, so the user's file is not touched."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="greendesk-shots-"))
    os.environ.setdefault("GREENDESK_SETTINGS_DIR", str(tmp / "settings"))
    copy = tmp / Path(workspace).name
    shutil.copy2(workspace, copy)
    from greendesk.ui import i18n
    from greendesk.ui import settings as app_settings
    from greendesk.ui.app import create_app
    from greendesk.ui.mainwindow import MainWindow

    app = create_app()
    app_settings.add_recent(copy)
    files: list[Path] = []
    try:
        for lang in ("zh", "en"):
            i18n.set_language(lang)
            win = MainWindow()
            win.resize(1280, 800)
            win.show()
            files.append(_save(win, outdir / f"welcome-{lang}.png", app))
            if not win.open_workspace(copy):
                raise SystemExit(f"cannot open {workspace}")
            files += shots_of_workspace(win, lang, outdir, app)
            win.close()
            win.deleteLater()
            _settle(app)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return files


def shots_of_workspace(win, lang: str, outdir: Path, app: QApplication) -> list[Path]:
    view = win.view
    files = []
    view.show_page("form")
    files.append(_save(win, outdir / f"form-{lang}.png", app))
    return files
