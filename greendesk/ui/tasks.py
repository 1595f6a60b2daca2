"""Long work off the GUI thread: a worker function, progress, cancel, result back on the GUI thread.

Like Anki's ``QueryOp``: the worker never touches widgets. It receives ``progress(done, total, text)``
and ``cancel()`` (returns True when the user asked to stop) and returns a value; ``success``
or ``failure`` then run on the GUI thread through a queued signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from greendesk.ui.i18n import _

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="greendesk")


class _Bridge(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object, object)  # result, exception


class Task(QObject):
    """One background job. Keep a reference (``parent`` owns it) until ``done`` fires."""

    done = Signal()
    progressed = Signal(int, int, str)

    def __init__(self, parent: QObject | None, work: Callable[..., Any], *, success: Callable[[Any], None] | None = None,
                 failure: Callable[[BaseException], None] | None = None):
        super().__init__(parent)
        self._work = work
        self._success = success
        self._failure = failure
        self._cancel = threading.Event()
        self._bridge = _Bridge()
        self._bridge.progressed.connect(self.progressed, Qt.ConnectionType.QueuedConnection)
        self._bridge.finished.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        self.running = False
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self) -> Task:
        self.running = True
        bridge, work, cancel = self._bridge, self._work, self._cancel.is_set

        def progress(done=0, total=0, text=""):
            bridge.progressed.emit(int(done or 0), int(total or 0), str(text or ""))

        def run():
            try:
                result = work(progress, cancel)
            except BaseException as e:  # noqa: BLE001 - reported on the GUI thread
                bridge.finished.emit(None, e)
            else:
                bridge.finished.emit(result, None)

        _executor.submit(run)
        return self

    def _finish(self, result, error) -> None:
        self.running = False
        self.result, self.error = result, error
        try:
            if error is not None:
                if self._failure:
                    self._failure(error)
                else:
                    from greendesk.ui.errors import show_error

                    show_error(self.parent() if isinstance(self.parent(), QWidget) else None, error)
            elif self._success:
                self._success(result)
        finally:
            self.done.emit()


def run_with_progress(parent: QWidget, label: str, work, *, success=None, failure=None,
                      delay_ms: int = 400) -> Task:
    """Run ``work`` in the background with a cancellable progress dialog shown after ``delay_ms``."""
    task = Task(parent, work, success=success, failure=failure)
    dlg = QProgressDialog(label, _("Cancel"), 0, 0, parent)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(delay_ms)
    dlg.setAutoClose(False)
    dlg.setAutoReset(False)
    dlg.canceled.connect(task.cancel)

    def on_progress(done, total, text):
        dlg.setMaximum(max(total, 0))
        dlg.setValue(min(done, total) if total else 0)
        if text:
            dlg.setLabelText(text)

    task.progressed.connect(on_progress)
    task.done.connect(dlg.reset)
    task.done.connect(dlg.deleteLater)
    task.start()
    return task
