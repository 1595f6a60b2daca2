"""The write lock excludes: many processes racing to open and close one workspace never overlap.

Every process appends ``A <pid>`` to a shared O_APPEND log right after it got the workspace
open for writing and ``R <pid>`` right before it closes it. With an exclusive lock the log
alternates A, R, A, R ...; a second ``A`` before the ``R`` of the holder is an overlap.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from greendesk.core.errors import WorkspaceLocked
from greendesk.core.workspace import Workspace, _WriteLock

PROCESSES = 8
CYCLES = int(os.environ.get("GREENDESK_LOCK_RACE_N", "200"))

CHILD = textwrap.dedent("""
    import os, sys, time
    from greendesk.core.errors import WorkspaceLocked
    from greendesk.core.workspace import Workspace, _WriteLock
    path, log, cycles, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    pid = os.getpid()
    holds = 0
    go = path + ".go"
    while not os.path.exists(go):      # start together
        time.sleep(0.001)
    for _ in range(cycles):
        try:
            if mode == "workspace":
                ws = Workspace.open(path)
            else:
                ws = _WriteLock(__import__("pathlib").Path(path)); ws.acquire()
        except WorkspaceLocked:
            continue
        os.write(fd, f"A {pid}\\n".encode())
        holds += 1
        if mode == "workspace":
            ws.conn.execute("SELECT COUNT(*) FROM answers").fetchone()
        os.write(fd, f"R {pid}\\n".encode())
        if mode == "workspace":
            ws.close()
        else:
            ws.release()
    print(holds)
""")


def _race(tmp_path, path, mode: str, processes: int, cycles: int) -> tuple[int, int, int]:
    """Run the race; returns (holds, overlapping holds, attempts)."""
    log = tmp_path / "holds.log"
    log.write_bytes(b"")
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(log), str(cycles), mode],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(processes)]
    (tmp_path / (path.name + ".go")).write_text("go")
    reported = 0
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        reported += int(out.strip())
    holders: set[str] = set()
    holds = overlaps = 0
    for line in log.read_text().splitlines():
        kind, pid = line.split()
        if kind == "A":
            holds += 1
            if holders:
                overlaps += 1
            holders.add(pid)
        else:
            holders.discard(pid)
    assert holds == reported
    return holds, overlaps, processes * cycles


def test_many_processes_opening_one_workspace_never_overlap(demo_path, tmp_path):
    holds, overlaps, attempts = _race(tmp_path, demo_path, "workspace", PROCESSES, CYCLES)
    print(f"workspace race: {PROCESSES} processes x {CYCLES} cycles = {attempts} attempts, "
          f"{holds} holds, {overlaps} overlapping")
    assert holds >= PROCESSES  # each process got the workspace at least once: the race really ran
    assert overlaps == 0


@pytest.mark.parametrize("workspace_exists", [True, False], ids=["lock-file-kept", "lock-file-removed"])
def test_bare_lock_race_never_overlaps(tmp_path, workspace_exists):
    """The lock alone, without SQLite's work in between: a much tighter race window. Without a workspace
    file every release removes the lock file, so this also races the after-lock path check."""
    path = tmp_path / "x.greendesk"
    if workspace_exists:
        path.write_bytes(b"")
    holds, overlaps, attempts = _race(tmp_path, path, "lock", PROCESSES, CYCLES * 5)
    print(f"bare lock race ({'kept' if workspace_exists else 'removed'}): {attempts} attempts, {holds} holds, "
          f"{overlaps} overlapping")
    assert holds >= PROCESSES
    assert overlaps == 0


def test_lock_file_replaced_between_open_and_lock_is_retried(tmp_path, monkeypatch):
    """If the lock file vanishes after our open (someone removed it), the lock on the old inode
    excludes nobody: acquire starts over and ends holding the file that is at the path."""
    path = tmp_path / "x.greendesk"
    lock = _WriteLock(path)
    real_open = os.open
    opened = []

    def open_then_vanish(p, *a, **k):
        fd = real_open(p, *a, **k)
        if str(p) == str(lock.path) and not opened:
            opened.append(fd)
            os.unlink(p)  # removed right after we opened it
        return fd

    monkeypatch.setattr(os, "open", open_then_vanish)
    lock.acquire()
    monkeypatch.setattr(os, "open", real_open)
    try:
        assert opened  # the vanishing really happened
        assert lock.path.exists()
        assert lock.holds_path()
        with pytest.raises(WorkspaceLocked):
            _WriteLock(path).acquire()  # a newcomer is refused: the file at the path is the locked one
    finally:
        lock.release()


def test_lock_file_stays_and_says_who_holds_it(tmp_path):
    path = tmp_path / "x.greendesk"
    path.write_bytes(b"")  # the workspace exists
    lock = _WriteLock(path)
    lock.acquire()
    try:
        with pytest.raises(WorkspaceLocked, match=f"pid {os.getpid()}"):
            _WriteLock(path).acquire()
    finally:
        lock.release()
    assert lock.path.exists()  # never deleted: deleting it is what let two processes hold it
    again = _WriteLock(path)
    again.acquire()  # a left lock file does not lock anything by itself
    again.release()


def test_workspace_lock_released_on_close_and_reopened(demo_path):
    ws = Workspace.open(demo_path)
    with pytest.raises(WorkspaceLocked):
        Workspace.open(demo_path)
    ws.close()
    Workspace.open(demo_path).close()


def test_lock_of_a_workspace_that_does_not_exist_is_removed(tmp_path):
    """A refused create leaves nothing behind, not even the lock file."""
    path = tmp_path / "never.greendesk"
    lock = _WriteLock(path)
    lock.acquire()
    lock.release()
    assert list(tmp_path.iterdir()) == []
