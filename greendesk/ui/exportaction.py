"""One .xlsx export for the pages that show a computed document (the 申报表, the annual return):
ask for the file name, add ``.xlsx`` where it is missing, write through the core, show a refusal."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from greendesk.core.errors import UserError
from greendesk.ui.errors import show_error


def ask_path(parent: QWidget, title: str, suggested: str) -> str | None:
    """The save dialog for an .xlsx file; None when cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, suggested, "Excel (*.xlsx)")
    return path or None


def write_xlsx(parent: QWidget, path: str | Path, write) -> Path | None:
    """``write(path)`` to ``path`` (``.xlsx`` added when missing); a refusal or a disk error is shown, None returned."""
    path = str(path)
    if not path.lower().endswith(".xlsx"):
        path = f"{path}.xlsx"
    try:
        return write(path)
    except (UserError, OSError) as e:
        show_error(parent, e)
        return None


def export_clicked(page, title: str, stem: str, export_to) -> None:
    """The export button: nothing without a document; else ask ``<stem> <year>.xlsx`` and call ``export_to``."""
    if page.doc is None:
        return
    path = ask_path(page, title, f"{stem} {page.doc['year']}.xlsx")
    if path:
        export_to(path)
