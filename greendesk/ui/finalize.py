"""The finalize step: every blocking problem with jump-to, then mark the assessment final; reopening it.

The rules are the core's (:mod:`greendesk.core.finalize`), so the app refuses exactly where
``greendesk finalize`` refuses: invalid values, required or veto items unanswered, an answer that
contradicts the signed commitment letter. A final assessment is read-only until it is reopened as a
draft with a reason (recorded with who and when).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from greendesk.ui.errors import show_error
from greendesk.ui.i18n import _, language


def problems(view) -> tuple[list[tuple], list[tuple]]:
    """(blocking, warnings), each (text, item id, field id), from the core's finalize check."""
    if view.scheme is None:
        return [], []
    from greendesk.core.finalize import problems as core_problems
    from greendesk.ui.nav import COMMON_ID

    found = core_problems(view.ws, view.aid, lang=language())

    def rows(items):
        return [(p["text"], p["item"] or (COMMON_ID if p["field"] else None), p["field"]) for p in items]
    return rows(found["blocking"]), rows(found["warnings"])


class FinalizeDialog(QDialog):
    jump = Signal(str, str)
    finalized = Signal()

    def __init__(self, view):
        super().__init__(view)
        self.setObjectName("finalize")
        self.view = view
        self.setWindowTitle(_("Finalize the assessment"))
        self.resize(960, 540)  # problems name their item: room for the longer lines
        lay = QVBoxLayout(self)
        blocking, warnings = problems(view)
        self.blocking = blocking
        status = view.assessment.get("status")
        if blocking:
            head = _("{n} problems must be fixed before the assessment can be finalized. Double-click one to go "
                     "there.").format(n=len(blocking))
        elif status == "final":
            head = _("This assessment is already final.")
        else:
            head = _("No blocking problems. You can mark the assessment as final and export the package.")
        self.head = QLabel(head)
        self.head.setWordWrap(True)
        lay.addWidget(self.head)
        self.tree = QTreeWidget()
        self.tree.setObjectName("problems")
        self.tree.setHeaderLabels([_("Kind"), _("Problem")])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for kind, items in ((_("Blocking"), blocking), (_("Warning"), warnings)):
            for text, item_id, field_id in items:
                it = QTreeWidgetItem([kind, text])
                it.setToolTip(1, text)
                it.setData(0, Qt.ItemDataRole.UserRole, (item_id, field_id or ""))
                self.tree.addTopLevelItem(it)
        self.tree.itemActivated.connect(self._go)
        lay.addWidget(self.tree, 1)
        if not blocking and status != "final":
            note = QLabel(_("Once final, the assessment is read-only: answers, evidence, ledgers and benchmarks "
                            "cannot be changed until it is reopened as a draft (with a reason, recorded with who "
                            "and when)."))
            note.setWordWrap(True)
            note.setObjectName("final_note")
            lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.final_button = buttons.addButton(_("Mark as final"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.final_button.setEnabled(not blocking and status != "final" and not view.ws.readonly)
        self.final_button.clicked.connect(self._finalize)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        from greendesk.ui.fit import fit_to_screen

        fit_to_screen(self)

    def _go(self, item) -> None:
        item_id, field_id = item.data(0, Qt.ItemDataRole.UserRole)
        if item_id:
            self.jump.emit(item_id, field_id)
            self.accept()

    def _finalize(self) -> None:
        from greendesk.core.finalize import finalize

        try:
            finalize(self.view.ws, self.view.aid)
        except Exception as e:  # noqa: BLE001 - one error dialog (e.g. a problem found since the list was made)
            show_error(self, e)
            return
        self.view.assessment = self.view.ws.assessment(self.view.aid)
        self.finalized.emit()
        self.accept()


class ReopenDialog(QDialog):
    """Ask why a final assessment is reopened as a draft; OK only with a reason."""

    def __init__(self, parent=None, year=None):
        super().__init__(parent)
        self.setObjectName("reopen")
        self.setWindowTitle(_("Reopen as draft"))
        lay = QVBoxLayout(self)
        text = QLabel(_("The {year} assessment is final. Reopening it as a draft makes it editable again; the "
                        "reason is recorded with who and when. Finalize it again before exporting.")
                      .format(year=year if year is not None else ""))
        text.setWordWrap(True)
        lay.addWidget(text)
        lay.addWidget(QLabel(_("Reason (required):")))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(100)
        lay.addWidget(self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.ok_button = buttons.addButton(_("Reopen as draft"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("reopen_ok")
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(lambda: self.ok_button.setEnabled(bool(self.text())))
        self.ok_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(520, 260)
        from greendesk.ui.fit import fit_to_screen

        fit_to_screen(self)

    def text(self) -> str:
        return self.reason.toPlainText().strip()
