"""The one place where an exception becomes a dialog (Anki's ``show_exception``)."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QWidget

from greendesk.core.errors import Cancelled, UserError
from greendesk.ui.i18n import _, language

log = logging.getLogger(__name__)

# Tests set this to collect errors instead of showing modal dialogs; headless runs print them.
_sink: list | None = None
_headless = False


def set_headless(on: bool = True) -> None:
    """Print errors to stderr instead of showing a modal dialog (``open --exit-when-ready``)."""
    global _headless
    _headless = on


def error_text(exc: BaseException) -> tuple[str, str]:
    """(message, what to do next) for an exception."""
    if isinstance(exc, UserError):
        return exc.message(language()), _("Correct the input and try again. Nothing else was changed.")
    if isinstance(exc, MemoryError):
        return _("Not enough memory to finish this task."), _("Close other programs and try again.")
    if isinstance(exc, OSError):
        return f"{_('A file could not be read or written')}: {exc}", _(
            "Check that the file exists, is not open in another program, and that the disk is not full.")
    return f"{_('An unexpected error occurred')}: {type(exc).__name__}: {exc}", _(
        "Your answers are saved. Please send the details below to support.")


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    """Show ``exc`` in GreenDesk's one error dialog; cancellations are silent."""
    if isinstance(exc, Cancelled):
        return
    message, advice = error_text(exc)
    if not isinstance(exc, (UserError, OSError)):
        log.error("unexpected error", exc_info=exc)
    if _sink is not None:
        _sink.append((message, advice, exc))
        return
    if _headless:
        import sys

        print(f"greendesk: {message} {advice}", file=sys.stderr)
        return
    from PySide6.QtWidgets import QMessageBox  # (when needed: loading the class costs start-up)

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, UserError) else QMessageBox.Icon.Critical)
    box.setWindowTitle(title or _("GreenDesk"))
    box.setText(message)
    box.setInformativeText(advice)
    if not isinstance(exc, UserError):
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def ask(parent: QWidget | None, text: str, question: str) -> bool:
    """A yes/no question in the same style; False when no one can answer (tests, headless checks)."""
    if _sink is not None or _headless:
        if _sink is not None:
            _sink.append((text, question, None))
        return False
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("GreenDesk"))
    box.setText(text)
    box.setInformativeText(question)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def offer(parent: QWidget | None, text: str, question: str, action: str) -> bool:
    """Say what happened and offer one way on (a button named ``action``) besides Cancel; False when no one
    can answer (tests, headless checks)."""
    if _sink is not None or _headless:
        if _sink is not None:
            _sink.append((text, question, None))
        return False
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("GreenDesk"))
    box.setText(text)
    box.setInformativeText(question)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    go.setObjectName("offer_action")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(go)
    box.exec()
    return box.clickedButton() is go
