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
    from greendesk.core.errors import UserError

    if not Path(workspace).is_file():
        raise UserError(f"找不到工作区文件：{workspace}", f"Workspace file not found: {workspace}")
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
    from greendesk.core.workspace import Workspace
    from greendesk.ui import errors

    errors.set_headless(True)  # an error is printed, never a modal dialog that nobody closes

    with Workspace.open(workspace, readonly=True) as ws:  # checks the user's file (errors name it)
        title = f"{ws.factory().get('name') or copy.stem} · {ws.assessment()['year']}"
    app_settings.add_recent(copy, title)
    files: list[Path] = []
    try:
        for lang in ("zh", "en"):
            i18n.set_language(lang)
            win = MainWindow()
            win.resize(1280, 800)
            win.show()
            files.append(_save(win, outdir / f"welcome-{lang}.png", app))
            if not win.open_workspace(copy):
                raise UserError(f"无法打开工作区：{workspace}", f"Cannot open the workspace: {workspace}")
            files += shots_of_workspace(win, lang, outdir, app)
            win.close()
            win.deleteLater()
            _settle(app)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return files


def _pick(view, candidates: list[str]) -> str | None:
    for c in candidates:
        if view.nav is not None and c in view.nav.items:
            return c
    return next(iter(view.nav.items), None) if view.nav is not None else None


def _quantitative_with_benchmark(view) -> str | None:
    """An indicator whose rule shows 基准值/引领值 (from the scheme, or corrected in the workspace)."""
    scheme = view.scheme
    overrides = {b["indicator_id"] for b in view.ws.benchmarks(scheme.id)}
    for ind in scheme.indicators():
        r = ind.rule
        if r.kind in ("quantitative", "count") and (ind.id in overrides or (r.baseline is not None and
                                                                          r.leading is not None)):
            return ind.id
    return _pick(view, [i.id for i in scheme.indicators() if i.rule.kind == "quantitative"])


def _ledger_file(ws, tmp: Path) -> Path | None:
    """A ledger to show in the import wizard: one stored in the workspace, else a shared sample."""
    row = ws.conn.execute("SELECT file_name, sha256 FROM meter_imports WHERE sha256 IS NOT NULL ORDER BY id LIMIT 1"
                          ).fetchone()
    if row:
        p = tmp / row[0]
        p.write_bytes(ws.blob(row[1]))
        return p
    sample = Path(__file__).resolve().parents[3] / "shared" / "samples" / "meters" / "a_months_down.xlsx"
    return sample if sample.exists() else None


def _wait(app: QApplication, cond, timeout: float = 60.0) -> bool:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.02)
    return False


def shots_of_workspace(win, lang: str, outdir: Path, app: QApplication) -> list[Path]:
    view = win.view
    files = []
    tmp = Path(tempfile.mkdtemp(prefix="greendesk-shot-"))
    try:
        view.show_page("form")
        view.jump_to(_pick(view, ["solid_waste_use", "energy_saving_products", "carbon_footprint"]))
        files.append(_save(win, outdir / f"form-{lang}.png", app))
        view.jump_to(_quantitative_with_benchmark(view))
        files.append(_save(view.right, outdir / f"guidance-{lang}.png", app))
        files.append(_save(win, outdir / f"form-quantitative-{lang}.png", app))
        view.show_page("dashboard")
        files.append(_save(win, outdir / f"dashboard-{lang}.png", app))
        view.show_page("settings")
        files.append(_save(win, outdir / f"settings-{lang}.png", app))
        view.show_page("form")

        from greendesk.ui.importwizard import ImportWizard

        ledger = _ledger_file(view.ws, tmp)
        if ledger is not None:
            wiz = ImportWizard(view.ws, view.aid, view.assessment["year"], win)
            wiz.show()
            wiz.add_files([ledger])
            wiz.next()
            if _wait(app, lambda: wiz.currentPage() is wiz.mapping_page):
                files.append(_save(wiz, outdir / f"import-mapping-{lang}.png", app))
                wiz.next()
                files.append(_save(wiz, outdir / f"import-preview-{lang}.png", app))
            wiz.reject()
            wiz.deleteLater()

        from greendesk.ui.exportdialog import ExportDialog

        dlg = ExportDialog(view.ws, win)
        dlg.out.setText(str(tmp / "package.pdf"))
        dlg.show()
        files.append(_save(dlg, outdir / f"export-{lang}.png", app))
        dlg.start()
        if _wait(app, lambda: dlg.task is None, 180):
            files.append(_save(dlg, outdir / f"export-done-{lang}.png", app))
        dlg.hide()
        dlg.deleteLater()

        from greendesk.ui.finalize import FinalizeDialog

        fin = FinalizeDialog(view)
        fin.show()
        files.append(_save(fin, outdir / f"finalize-{lang}.png", app))
        fin.hide()
        fin.deleteLater()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return files
