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


class _Undoable(QUndoCommand):
    """A command whose first ``redo`` (run when it is pushed) does the change; a refusal makes it obsolete."""

    def __init__(self, view, text: str):
        super().__init__(text)
        self.view = view

    def _run(self, fn) -> bool:
        from greendesk.ui.errors import show_error

        try:
            fn()
        except Exception as e:  # noqa: BLE001 - one error dialog; the stack drops the command
            show_error(self.view(), e)
            self.setObsolete(True)
            return False
        return True


class RemoveEvidence(_Undoable):
    """Detach evidence files; ``undo`` attaches them again exactly (same ids, names, items, dates)."""

    def __init__(self, view, evidence_ids: list[int], text: str):
        super().__init__(view, text)
        self.ids = list(evidence_ids)
        self.removed: list[dict] = []

    def redo(self) -> None:
        def remove():
            ws = self.view().ws
            self.removed = [r for r in (ws.remove_evidence(i) for i in self.ids) if r is not None]
        self._run(remove)
        self.view().evidence_changed_by_undo()

    def undo(self) -> None:
        def restore():
            ws = self.view().ws
            for r in reversed(self.removed):
                ws.restore_evidence(r)
        self._run(restore)
        self.view().evidence_changed_by_undo()


class RemoveImport(_Undoable):
    """Remove one meter import with its readings; ``undo`` puts the same rows back (core meters.history)."""

    def __init__(self, view, import_id: int, text: str):
        super().__init__(view, text)
        self.import_id = import_id
        self.snapshot: dict | None = None

    def redo(self) -> None:
        from greendesk.core.meters import history

        def remove():
            self.snapshot = history.remove(self.view().ws, self.import_id)
        self._run(remove)
        self.view().meter_data_changed()

    def undo(self) -> None:
        from greendesk.core.meters import history

        def restore():
            if self.snapshot is not None:
                self.import_id = history.restore(self.view().ws, self.snapshot)
        self._run(restore)
        self.view().meter_data_changed()
