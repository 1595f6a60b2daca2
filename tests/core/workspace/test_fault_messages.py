"""Fault messages say what happened: disk full, read-only medium, locked, missing, no permission, damaged.

A full disk is never reported as damage. Where the test runs as root on Linux, real small file systems are
used (a tmpfs filled to the last byte, then remounted read-only); the SQLite error codes are also simulated
so the mapping is checked everywhere.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from greendesk.core import workspace as wsmod
from greendesk.core.errors import WorkspaceError
from greendesk.core.workspace import Workspace, fault_error


def _sqlite_error(code: int, name: str, text: str) -> sqlite3.OperationalError:
    e = sqlite3.OperationalError(text)
    e.sqlite_errorcode = code
    e.sqlite_errorname = name
    return e


@pytest.mark.parametrize(("code", "name", "text", "en", "zh"), [
    (13, "SQLITE_FULL", "database or disk is full", "the disk is full", "磁盘已满"),
    (8, "SQLITE_READONLY", "attempt to write a readonly database", "read-only medium", "只读"),
    (5, "SQLITE_BUSY", "database is locked", "another program has it locked", "锁定"),
    (6, "SQLITE_LOCKED", "database table is locked", "another program has it locked", "锁定"),
    (11, "SQLITE_CORRUPT", "database disk image is malformed", "is damaged", "已损坏"),
    (26, "SQLITE_NOTADB", "file is not a database", "is damaged", "已损坏"),
    (10 | (13 << 8), "SQLITE_IOERR_FSYNC", "disk I/O error", "read/write error", "读写磁盘时出错"),
    (3, "SQLITE_PERM", "access permission denied", "no permission", "没有"),
])
def test_each_sqlite_fault_has_its_own_message(demo_path, code, name, text, en, zh, monkeypatch):
    monkeypatch.setattr(wsmod, "_medium_state", lambda p: None)
    e = fault_error(demo_path, _sqlite_error(code, name, text))
    assert en in e.en and zh in e.zh
    if code not in (11, 26):
        assert "damaged and" not in e.en and "已损坏" not in e.zh


def test_disk_io_error_on_a_full_disk_says_full_not_damaged(demo_path, monkeypatch):
    """What SQLite says when it cannot make the -shm file on a full disk is "disk I/O error"."""
    monkeypatch.setattr(wsmod, "_medium_state", lambda p: "full")
    e = fault_error(demo_path, _sqlite_error(10 | (18 << 8), "SQLITE_IOERR_SHMSIZE", "disk I/O error"))
    assert "the disk is full" in e.en and "not damaged" in e.en and "磁盘已满" in e.zh


@pytest.mark.parametrize(("err", "en"), [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only medium"),
                                         (errno.EACCES, "no permission"), (errno.EIO, "read/write error")])
def test_os_errors(demo_path, monkeypatch, err, en):
    monkeypatch.setattr(wsmod, "_medium_state", lambda p: None)
    assert en in fault_error(demo_path, OSError(err, os.strerror(err), str(demo_path))).en


def test_open_maps_sqlite_errors(demo_path, monkeypatch):
    def full(*a, **k):
        raise _sqlite_error(13, "SQLITE_FULL", "database or disk is full")

    monkeypatch.setattr(Workspace, "_connect_raw", staticmethod(full))
    with pytest.raises(WorkspaceError, match="the disk is full"):
        Workspace.open(demo_path)


def test_missing_and_damaged_files(tmp_path, demo_path):
    with pytest.raises(WorkspaceError, match="not found"):
        Workspace.open(tmp_path / "nope.greendesk")
    bad = tmp_path / "bad.greendesk"
    data = bytearray(demo_path.read_bytes())
    for i in range(4096 + 200, len(data), 4096):  # scribble over every page but the header
        data[i:i + 64] = b"\xff" * 64
    bad.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError, match="is damaged") as e:
        Workspace.open(bad, readonly=True)
    assert "disk is full" not in e.value.en


def test_a_change_on_a_full_disk_says_it_was_not_saved(demo_path, monkeypatch):
    with Workspace.open(demo_path) as ws:
        monkeypatch.setattr(wsmod, "_medium_state", lambda p: None)
        with pytest.raises(WorkspaceError, match="the change was not saved .* the disk is full"):
            with ws.transaction():
                raise _sqlite_error(13, "SQLITE_FULL", "database or disk is full")
        ws.assessment()  # still usable


# -- real file systems ------------------------------------------------------------------------------

ROOT_LINUX = sys.platform.startswith("linux") and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def tiny_fs(tmp_path):
    """A 4 MiB tmpfs (root only); unmounted afterwards."""
    if not ROOT_LINUX:
        pytest.skip("needs root on Linux to mount a small file system")
    mnt = tmp_path / f"fs-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(mnt: Path) -> None:
    try:
        with open(mnt / "filler", "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError as e:
        assert e.errno == errno.ENOSPC
    assert shutil.disk_usage(mnt).free < 8192


def test_real_full_disk(tiny_fs, demo_path, run_cli):
    path = tiny_fs / "demo.greendesk"
    shutil.copy(demo_path, path)
    _fill(tiny_fs)
    for args in (("info", path), ("answers", path, "--set", "plot_ratio=1.3")):
        p = run_cli(*args)
        assert p.returncode == 1, p.stdout + p.stderr
        assert "disk is full" in p.stderr and "damaged and" not in p.stderr, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1
    p = run_cli("info", path, lang="zh")
    assert "磁盘已满" in p.stderr and "已损坏" not in p.stderr
    (tiny_fs / "filler").unlink()
    p = run_cli("info", path, "--json")
    assert p.returncode == 0, p.stderr  # intact once there is room


def test_real_read_only_medium(tiny_fs, demo_path, run_cli):
    path = tiny_fs / "demo.greendesk"
    shutil.copy(demo_path, path)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    p = run_cli("answers", path, "--set", "plot_ratio=1.3")
    assert p.returncode == 1
    assert "read-only medium" in p.stderr and "copy it to a writable folder" in p.stderr, p.stderr
    assert run_cli("info", path).returncode == 0  # reading still works
