"""The finalize step: every blocking error with jump-to, then mark the assessment final."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from greendesk.ui import schemeview
from greendesk.ui.i18n import _


def problems(view) -> tuple[list[tuple], list[tuple]]:
    """(blocking, warnings): each (text, item id, field id)."""
    live, scheme = view.live, view.scheme
    s = live.score or {}
    blocking: list[tuple] = []
    warnings: list[tuple] = []
    if scheme is None:
        return blocking, warnings
    for fid, msg in live.messages.items():
        if msg and live.relevant(fid):
            blocking.append((f"{schemeview.answer_label(scheme, fid)}: {msg}", view.item_of(fid), fid))
    for fid in s.get("missing_answers") or []:
        fid = fid if isinstance(fid, str) else str(fid.get("id") if isinstance(fid, dict) else fid)
        blocking.append((_("Required but not answered: {name}").format(name=schemeview.answer_label(scheme, fid)),
                         view.item_of(fid), fid))
    for iid in s.get("vetoes_failed") or []:
        iid = iid if isinstance(iid, str) else str(iid.get("id") if isinstance(iid, dict) else iid)
        warnings.append((_("Basic requirement not met (not qualified): {name}").format(
            name=schemeview.answer_label(scheme, iid)), iid, None))
    for iid in s.get("missing_benchmarks") or []:
        iid = iid if isinstance(iid, str) else str(iid.get("id") if isinstance(iid, dict) else iid)
        warnings.append((_("Benchmark needed: {name}").format(name=schemeview.answer_label(scheme, iid)), iid, None))
    return blocking, warnings


class FinalizeDialog(QDialog):
    jump = Signal(str, str)

    def __init__(self, view):
        super().__init__(view)
        self.setObjectName("finalize")
        self.view = view
        self.setWindowTitle(_("Finalize the assessment"))
        self.resize(720, 480)
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.final_button = buttons.addButton(_("Mark as final"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.final_button.setEnabled(not blocking and status != "final")
        self.final_button.clicked.connect(self._finalize)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _go(self, item) -> None:
        item_id, field_id = item.data(0, Qt.ItemDataRole.UserRole)
        if item_id:
            self.jump.emit(item_id, field_id)
            self.accept()

    def _finalize(self) -> None:
        self.view.ws.set_status(self.view.aid, "final")
        self.view.assessment = self.view.ws.assessment(self.view.aid)
        self.accept()
