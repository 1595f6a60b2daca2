"""The year picker at the right of the workspace's tabs: one entry per assessment of the workspace (each year
is its own assessment with its own answers, ledgers, evidence and status), and "New year…", which starts
next year's assessment with this year's answers carried over ("from 2025, please confirm")."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from greendesk.ui.i18n import _


def assessment_text(a: dict) -> str:
    status = _("final") if a.get("status") == "final" else _("draft")
    return f"{a['year']} ({status})"


class YearPicker(QWidget):
    """``YearPicker(ws, current_id)``; ``chosen(assessment id)`` when another year is picked, ``new_requested``."""

    chosen = Signal(int)
    new_requested = Signal()

    def __init__(self, ws, current_id: int, parent=None):
        super().__init__(parent)
        self.setObjectName("year_picker")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.addWidget(QLabel(_("Year")))
        self.combo = QComboBox()
        self.combo.setObjectName("year_combo")
        self.combo.setToolTip(_("Each year is its own assessment: its answers, ledgers, evidence and status"))
        rows = sorted(ws.assessments(), key=lambda a: (int(a["year"]), int(a["id"])), reverse=True)
        for a in rows:
            self.combo.addItem(assessment_text(a), int(a["id"]))
        i = self.combo.findData(int(current_id))
        self.combo.setCurrentIndex(max(0, i))
        self.combo.setEnabled(len(rows) > 1)
        lay.addWidget(self.combo)
        self.new_button = QPushButton(_("New year…"))
        self.new_button.setObjectName("new_year")
        self.new_button.setToolTip(_("Start next year's assessment in this workspace, with this year's answers "
                                     "carried over to confirm"))
        self.new_button.setEnabled(not getattr(ws, "readonly", False))
        lay.addWidget(self.new_button)
        self.combo.activated.connect(lambda i: self._picked(i))
        self.new_button.clicked.connect(self.new_requested)
        self.current_id = int(current_id)

    def _picked(self, i: int) -> None:
        aid = self.combo.itemData(i)
        if aid is not None and int(aid) != self.current_id:
            self.chosen.emit(int(aid))
