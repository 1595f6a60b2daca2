"""The open workspace: score bar on top; tabs for the assessment form, the dashboard and the settings."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from greendesk.ui.i18n import _


class WorkspaceView(QWidget):
    saved_state = Signal(str)

    def __init__(self, ws, parent=None):
        super().__init__(parent)
        self.setObjectName("workspace_view")
        self.ws = ws
        self.assessment = ws.assessment()
        self.aid = self.assessment["id"]
        self.undo_stack = QUndoStack(self)
        self._saved_at: float | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.score_label = QLabel()
        self.score_label.setObjectName("score_bar")
        lay.addWidget(self.score_label)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        lay.addWidget(self.tabs, 1)
        empty = QLabel(_("The content of this scheme is not available."))
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tabs.addTab(empty, _("Assessment"))

    def saved_text(self) -> str:
        if self._saved_at is None:
            return _("All changes saved")
        return _("Saved at {time}").format(time=time.strftime("%H:%M:%S", time.localtime(self._saved_at)))

    def state(self) -> dict:
        return {"tab": self.tabs.currentIndex()}

    def restore_state(self, state: dict) -> None:
        self.tabs.setCurrentIndex(state.get("tab", 0))

    def flush(self) -> None:
        pass

    def show_page(self, name: str) -> None:
        pass

    def finalize(self) -> None:
        pass

    def import_ledger(self) -> None:
        pass

    def export_package(self) -> None:
        pass
