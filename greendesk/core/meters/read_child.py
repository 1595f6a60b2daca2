"""Run the native spreadsheet reader (python-calamine) where it cannot take the process down.

python-calamine is fast but native: a crafted file can make it panic or abort (a failed
allocation of 512 GB for one cell in XFD1048576 ends the process with exit 134, no Python
exception). So the workbook is read in a forked child process with an address-space limit
(read_limits.CHILD_MEMORY above what the process already has) and a wall-clock limit
(CHILD_SECONDS); the child writes each sheet's rows, 512 at a time, as pickles to a memory file,
where the parent unpickles them while the child reads on. Where fork is not available (Windows),
the same reading runs in-process.

``read_workbook`` returns the raw sheets; ``ReadFailure`` says what went wrong and where,
and the reader turns it into the user's message.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
import select
import signal
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

from greendesk.core.meters import read_limits as L


@dataclass
class RawSheet:
    name: str
    rows: list[list]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class RawBook:
    sheets: list[RawSheet]
    skipped: list[str]                 # hidden sheets and chart sheets, by name
    isolated: bool                     # read in a child process


class ReadFailure(Exception):
    """kind: open | sheet | cells | total | sheets | merged | memory | time | crash; sheet where known."""

    def __init__(self, kind: str, detail: str = "", sheet: str | None = None, cells: int = 0):
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail, self.sheet, self.cells = kind, detail, sheet, cells


def _visible_names(wb) -> tuple[list[str], list[str]]:
    names = list(wb.sheet_names)
    try:
        meta = wb.sheets_metadata
        show = {m.name for m in meta if str(m.visible).endswith(".Visible") and str(m.typ).endswith("WorkSheet")}
    except Exception:
        return names, []
    return [n for n in names if n in show], [n for n in names if n not in show]


def _read(path: Path, data: bytes | None, emit) -> None:
    """Read every visible sheet; emit(tag, payload) for 'start' (a sheet name), 'rows' (a chunk of its rows),
    'restart' (its rows come again, at once), 'sheet' (the sheet, its rows sent before) and 'done'."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data)) if data is not None else \
            CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types
        raise ReadFailure("open", _short(e)) from None
    names, skipped = _visible_names(wb)
    if len(names) + len(skipped) > L.MAX_SHEETS:
        raise ReadFailure("sheets", cells=len(names) + len(skipped))
    total = 0
    for name in names:
        emit("start", name)
        try:
            sh = wb.get_sheet_by_name(name)
        except Exception as e:
            raise ReadFailure("sheet", _short(e), name) from None
        try:
            h, w = sh.total_height, sh.total_width
        except Exception:
            h, w = 0, 0
        # the grid to_python builds runs from A1 to the last cell; either count can be 0 when the other is not
        cells = max(h, sh.height, 1) * max(w, sh.width, 1)
        if cells > L.MAX_CELLS:
            raise ReadFailure("cells", sheet=name, cells=cells)
        total += cells
        if total > L.MAX_TOTAL_CELLS:
            raise ReadFailure("total", sheet=name, cells=total)
        try:
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sh.merged_cell_ranges or [])]
        except Exception:
            merged = []
        if len(merged) > L.MAX_MERGED_RANGES:
            raise ReadFailure("merged", sheet=name, cells=len(merged))
        try:
            try:
                n = 0
                for chunk in _row_chunks(sh):
                    emit("rows", chunk)
                    n += len(chunk)
                if sh.end is not None and n != sh.end[0] + 1:  # rows from A1 to the last, no fewer or more
                    raise _NotAsExpected
            except _NotAsExpected:
                # rows that do not line up as expected (another python-calamine): the sheet again, at once
                emit("restart", None)
                emit("rows", sh.to_python(skip_empty_area=False))
        except Exception as e:
            raise ReadFailure("sheet", _short(e), name) from None
        emit("sheet", RawSheet(name, [], merged))
    try:
        wb.close()
    except Exception:
        pass
    emit("done", skipped)


CHUNK_ROWS = 512  # rows per frame: the parent unpickles one while the child reads and pickles the next


class _NotAsExpected(Exception):
    """iter_rows gave a row of another width than the sheet's first and last columns make, or another number
    of rows than from row 1 to the last."""


def _row_chunks(sh):
    """The sheet's rows, as ``to_python(skip_empty_area=False)`` gives them, CHUNK_ROWS at a time. Read row by
    row (``iter_rows``), so that the rows already sent are unpickled in the parent while the rest are made here.

    ``iter_rows`` starts its rows at the sheet's first column with a cell (``sh.start``): each row gets the
    columns before it back (empty), so that every row is as wide as from A1. A row of any other width raises
    _NotAsExpected (the caller reads the sheet at once instead, as it does when the number of rows is not
    the sheet's), never a row shifted by a column."""
    end = sh.end
    if end is None:  # an empty sheet
        return
    if not hasattr(sh, "iter_rows"):
        raise _NotAsExpected
    width = end[1] + 1
    first = sh.start[1] if sh.start is not None else 0
    pad = [""] * first
    chunk: list = []
    for row in sh.iter_rows():
        if first and len(row) == width - first:
            row = pad + row
        elif len(row) != width:
            raise _NotAsExpected
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _short(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text[:200] + ("…" if len(text) > 200 else "")


def _collect(path: Path, data: bytes | None) -> RawBook:
    book = _Book()
    _read(path, data, book.take)
    return RawBook(book.sheets, book.skipped or [], False)


class _Book:
    """The sheets as their frames arrive: a sheet's rows come in chunks ("rows"), then the sheet itself."""

    def __init__(self):
        self.sheets: list[RawSheet] = []
        self.skipped: list[str] | None = None   # set by "done": everything was read
        self.current: str | None = None          # the sheet being read
        self._rows: list = []

    def take(self, tag: str, payload) -> None:
        if tag == "start":
            self.current = payload
            self._rows = []
        elif tag == "rows":
            self._rows.extend(_unpack_rows(payload))
        elif tag == "restart":  # the sheet's rows come again, at once
            self._rows = []
        elif tag == "sheet":
            payload.rows, self._rows = self._rows, []
            self.sheets.append(payload)
        elif tag == "done":
            self.skipped = list(payload)
        elif tag == "fail":
            kind, detail, sheet, cells = payload
            raise ReadFailure(kind, detail, sheet or (self.current if kind not in ("open", "sheets") else None), cells)


def can_isolate() -> bool:
    return hasattr(os, "fork") and os.environ.get("GREENDESK_READ_INPROCESS") != "1"


def read_workbook(path: Path, data: bytes | None, while_reading=None) -> RawBook:
    """Read a workbook with python-calamine, in a child process where the platform allows it.

    while_reading() (optional) runs in this process while the child reads (the reader uses it
    for its own XML scan); its result is ignored here, its exceptions propagate after the
    child has been stopped.
    """
    if not can_isolate():
        if while_reading is not None:
            while_reading()
        return _collect(path, data)
    import python_calamine  # noqa: F401  (imported once here, not in every child)

    # The sheets go through a memory file, whose whole frames the parent reads as they come (it looks
    # every 5 ms): through a pipe, 9 MB took 150 hand-overs of 64 kB between the two processes, slow on a
    # busy machine. The pipe only tells the parent that the child has ended (its end closes).
    out_fd = _memory_file()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, write, and leave without running any of the parent's clean-up
        code = 0
        # No garbage collection in the child: it makes no cycles worth freeing before its os._exit, and each
        # collection would walk (and so copy, page by page) every object inherited from the parent.
        gc.disable()
        try:
            os.close(rfd)
            _quiet_stderr()
            _limit_memory()
            out = os.fdopen(out_fd, "wb", buffering=1 << 20)

            def emit(tag, payload):
                if tag == "rows":
                    payload = _pack_rows(payload)
                blob = pickle.dumps((tag, payload), protocol=pickle.HIGHEST_PROTOCOL)
                out.write(struct.pack("<Q", len(blob)))
                out.write(blob)
                out.flush()  # (each frame whole in the file: the parent reads them as they come)

            try:
                _read(path, data, emit)
            except ReadFailure as f:
                emit("fail", (f.kind, f.detail, f.sheet, f.cells))
            except MemoryError:
                emit("fail", ("memory", "", None, 0))
            except BaseException as e:  # a Rust panic arrives as pyo3's PanicException (a BaseException)
                emit("fail", ("crash", _short(e), None, 0))
            out.flush()
            os.close(wfd)  # the parent goes on now, while this process's memory is still being freed
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    os.close(wfd)
    try:
        return _receive(pid, rfd, out_fd, while_reading)
    finally:
        os.close(rfd)
        os.close(out_fd)


def _memory_file() -> int:
    if hasattr(os, "memfd_create"):
        try:
            return os.memfd_create("greendesk-read", os.MFD_CLOEXEC)
        except OSError:
            pass
    import tempfile

    fd, name = tempfile.mkstemp(prefix="greendesk-read-")
    os.unlink(name)
    return fd


def _quiet_stderr() -> None:
    """A panic's backtrace is not for the user's terminal: the parent reports the failure."""
    import faulthandler

    faulthandler.disable()  # it would dump this child's stack on an abort (to a copy of stderr)
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as f:
            vm = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = vm + L.CHILD_MEMORY
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (OSError, ValueError, ImportError):
        pass  # no /proc (macOS): the time limit still applies


POLL_SECONDS = 0.005  # how often the parent looks for new frames while the child reads


def _receive(pid: int, fd: int, out_fd: int, while_reading) -> RawBook:
    """The book the child writes, frame by frame as it comes: the rows already written are unpickled here while
    the child reads and pickles the rest (for a sheet of a million cells, about 0.1 s sooner than reading it
    all once the child has ended)."""
    deadline = time.monotonic() + L.CHILD_SECONDS
    ended = False     # the child closed its end of the pipe: it has written all it will write
    book = _Book()
    frames = _FrameReader(out_fd)
    # a million cells become a few thousand row lists: collections meanwhile would only walk the parent's own
    # objects again and again (about 40 ms for this step alone)
    paused = gc.isenabled()
    gc.disable()
    try:
        if while_reading is not None:
            while_reading()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                frames.feed(book)
                raise ReadFailure("time", sheet=book.current)
            ready, _, _ = select.select([fd], [], [], min(left, POLL_SECONDS))
            if ready and not os.read(fd, 4096):
                ended = True
                break
            frames.feed(book)
        frames.feed(book)
    finally:
        if paused:
            gc.enable()
        if not ended:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)  # after the sheets are unpickled: the child's exit overlaps that
    if book.skipped is not None:
        return RawBook(book.sheets, book.skipped, True)
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    # an abort or a kill by the memory limit: the sheet being read needed more than the budget
    kind = "memory" if sig in (signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS) else "crash"
    raise ReadFailure(kind, f"signal {sig}" if sig else f"exit {os.WEXITSTATUS(status)}", book.current)


class _FrameReader:
    """The whole frames (8-byte length, then a pickle) written to the memory file so far, from where the
    last call stopped; a frame still being written waits for the next call."""

    def __init__(self, fd: int):
        self.fd = fd
        self.at = 0

    def feed(self, book: _Book) -> None:
        size = os.fstat(self.fd).st_size
        while self.at + 8 <= size:
            (n,) = struct.unpack("<Q", os.pread(self.fd, 8, self.at))
            if self.at + 8 + n > size:
                return
            data = os.pread(self.fd, n, self.at + 8)
            if len(data) < n:
                return
            self.at += 8 + n
            book.take(*pickle.loads(data))


def _pack_rows(rows: list) -> list | tuple:
    """Empty rows travel as None (with the width): a sheet with one value in row 1,048,576 is a million of
    them, and pickling a million small lists takes seconds."""
    width = len(rows[0]) if rows else 0
    empty = [""] * width
    if sum(1 for row in rows if row == empty) > len(rows) // 4:
        return ([None if row == empty else row for row in rows], width)
    return rows


def _unpack_rows(payload: list | tuple) -> list:
    if isinstance(payload, tuple):
        rows, width = payload
        return [row if row is not None else [""] * width for row in rows]
    return payload
