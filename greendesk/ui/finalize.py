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


def _id(x) -> str:
    return x if isinstance(x, str) else str(x.get("id") if isinstance(x, dict) else x)


def problems(view) -> tuple[list[tuple], list[tuple]]:
    """(blocking, warnings), each (text, item id, field id), from the core's live evaluation and score.

    Blocking: values that break a constraint, fields required when finalizing, veto items not answered.
    Warnings: vetoes not met (the package can still be made, it says "not qualified"), answers missing for
    the score, benchmarks needed, answers carried over from last year and not yet reviewed.
    """
    live, scheme = view.live, view.scheme
    s = live.score or {}
    blocking: list[tuple] = []
    warnings: list[tuple] = []
    if scheme is None:
        return blocking, warnings
    name = schemeview.answer_place  # a field with its item: several items have a field called 案例情况
    for fid, msg in live.messages.items():
        if msg and live.relevant(fid):
            blocking.append((f"{name(scheme, fid)}: {msg}", view.item_of(fid), fid))
    required = [_id(f) for f in s.get("required_missing") or []]
    for fid in required:
        blocking.append((_("Required but not answered: {name}").format(name=name(scheme, fid)), view.item_of(fid), fid))
    for iid in s.get("vetoes_unanswered") or []:
        iid = _id(iid)
        blocking.append((_("Basic requirement not answered: {name}").format(name=name(scheme, iid)), iid, None))
    for iid in s.get("vetoes_failed") or []:
        iid = _id(iid)
        warnings.append((_("Basic requirement not met (not qualified): {name}").format(name=name(scheme, iid)),
                         iid, None))
    for fid in s.get("missing_answers") or []:
        fid = _id(fid)
        if fid not in required and fid in scheme.fields_by_id:
            warnings.append((_("Not answered (no points until it is): {name}").format(name=name(scheme, fid)),
                             view.item_of(fid), fid))
    for iid in s.get("missing_benchmarks") or []:
        iid = _id(iid)
        warnings.append((_("Benchmark needed: {name}").format(name=name(scheme, iid)), iid, None))
    for fid, src in live.sources.items():
        if src == "carried":
            warnings.append((_("Carried over from last year, not yet reviewed: {name}").format(name=name(scheme, fid)),
                             view.item_of(fid), fid))
    return blocking, warnings


class FinalizeDialog(QDialog):
    jump = Signal(str, str)

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
