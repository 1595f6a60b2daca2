"""Undo/redo across fields: each stored change is one QUndoCommand on the view's QUndoStack."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand


class SetAnswer(QUndoCommand):
    """Set one answer. ``redo`` (also run when pushed) stores ``new``; ``undo`` stores ``old``.

    ``view`` is a callable returning the current workspace view: the view is rebuilt on a language
    switch while the undo history (owned by the main window for the open workspace) lives on.
    """

    def __init__(self, view, field_id: str, old, new, text: str):
        super().__init__(text)
        self.view = view
        self.field_id = field_id
        self.old = old
        self.new = new

    def redo(self) -> None:
        self.view().store(self.field_id, self.new, from_undo=True)

    def undo(self) -> None:
        self.view().store(self.field_id, self.old, from_undo=True)
