"""The workspace: one SQLite file per factory (``*.greendesk``).

Durability rules (see the foundation issue):

* WAL journal, ``synchronous=FULL``, foreign keys on;
* every answer change is its own committed transaction, with a history row;
* a file that is not a workspace, is corrupt or comes from a newer GreenDesk is
  refused with a clear message and is never modified (it is only ever opened
  read-only until it has passed every check);
* a workspace open for writing in another process is detected through an OS
  lock on a sidecar file (released by the OS even when that process is killed)
  and reported;
* the schema version lives in ``PRAGMA user_version`` and is raised by ordered
  upgrade steps; the file is backed up before an upgrade.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from greendesk.core import factory_fields as _factory_fields
from greendesk.core import uscc as _uscc
from greendesk.core.errors import UserError, WorkspaceError, WorkspaceLocked


class AssessmentFinal(UserError):
    """A write to a final assessment was refused (reopen it as a draft first)."""


class BlobDamaged(WorkspaceError):
    """A stored file's bytes no longer match the SHA-256 they are stored under, or their pages are damaged."""


class WorkspaceReadOnly(WorkspaceError):
    """The workspace can be read but not written, by the file system's say: ``reason`` is "medium" (a
    read-only medium or share), "file" (the file itself is read-only) or "folder" (no right to write in its
    folder). It can be opened read-only (``Workspace.open(path, readonly=True)``). Not: locked by another
    process (WorkspaceLocked)."""

    def __init__(self, zh: str, en: str, *, reason: str = "medium", **kw):
        super().__init__(zh, en, **kw)
        self.reason = reason


EXTENSION = ".greendesk"
APPLICATION_ID = 0x47444B31  # "GDK1"
SQLITE_MAGIC = b"SQLite format 3\x00"

FACTORY_FIELDS = (
    "name", "uscc", "industry_code", "industry_name", "province", "city", "district", "address",
    "land_area_m2", "legal_rep", "contact_name", "contact_phone", "contact_email", "ownership",
    "description",
    # schema 4: the MIIT template's basic-information fields (core/factory_fields.py)
    "registration_authority", "established_on", "registered_capital", "business_term", "postcode",
    "contact_department", "contact_mobile", "contact_fax",
)

# Ordered upgrade steps. Step N takes a workspace from user_version N-1 to N.
# Never edit a released step: add a new one. Keep a fixture file made by each
# released version in tests/fixtures/ (workspace-vN.greendesk).
MIGRATIONS: list[str] = [
    # 1: foundation
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE factory (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL, uscc TEXT NOT NULL, industry_code TEXT, industry_name TEXT,
        province TEXT, city TEXT, district TEXT, address TEXT, land_area_m2 REAL,
        legal_rep TEXT, contact_name TEXT, contact_phone TEXT, contact_email TEXT,
        ownership TEXT, description TEXT, updated_at TEXT
    );
    CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        scheme_id TEXT NOT NULL, scheme_version TEXT NOT NULL, year INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final')),
        created_at TEXT NOT NULL, created_from TEXT, finalized_at TEXT
    );
    CREATE TABLE answers (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        field_id TEXT NOT NULL, value TEXT, value_type TEXT,
        source TEXT NOT NULL DEFAULT 'user', scheme_version TEXT, updated_at TEXT NOT NULL,
        PRIMARY KEY (assessment_id, field_id)
    );
    CREATE TABLE answer_history (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        field_id TEXT NOT NULL, old_value TEXT, new_value TEXT, source TEXT, changed_at TEXT NOT NULL
    );
    CREATE INDEX answer_history_field ON answer_history (assessment_id, field_id);
    CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL);
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        item_id TEXT, sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        name TEXT NOT NULL, mime TEXT, size INTEGER NOT NULL, added_at TEXT NOT NULL, note TEXT
    );
    CREATE INDEX evidence_item ON evidence (assessment_id, item_id);
    CREATE TABLE meter_imports (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER REFERENCES assessments(id) ON DELETE CASCADE,
        file_name TEXT NOT NULL, sha256 TEXT REFERENCES blobs(sha256),
        imported_at TEXT NOT NULL, report TEXT
    );
    CREATE TABLE meter_readings (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES meter_imports(id) ON DELETE CASCADE,
        meter TEXT NOT NULL, carrier TEXT NOT NULL, unit TEXT NOT NULL,
        period TEXT NOT NULL, value REAL, source_ref TEXT
    );
    CREATE INDEX meter_readings_period ON meter_readings (carrier, period);
    CREATE TABLE production (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        period TEXT NOT NULL, product TEXT NOT NULL DEFAULT '',
        quantity REAL, unit TEXT, output_value_wan_yuan REAL,
        PRIMARY KEY (assessment_id, period, product)
    );
    """,
    # 2: per-workspace corrections of figures from standards, and settings
    """
    CREATE TABLE benchmark_overrides (
        scheme_id TEXT NOT NULL, indicator_id TEXT NOT NULL, band TEXT NOT NULL DEFAULT '',
        baseline REAL, leading REAL, source TEXT, set_by TEXT, set_at TEXT NOT NULL,
        PRIMARY KEY (scheme_id, indicator_id, band)
    );
    CREATE TABLE factor_overrides (
        factor_id TEXT PRIMARY KEY, value REAL NOT NULL, unit TEXT, source TEXT,
        set_by TEXT, set_at TEXT NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
    """,
    # 3: the meter register, layouts the user settled, and the assessment's status log
    """
    CREATE TABLE meters (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL, carrier TEXT NOT NULL, unit TEXT,
        level INTEGER NOT NULL DEFAULT 1 CHECK (level IN (1, 2, 3)),
        parent_id INTEGER REFERENCES meters(id) ON DELETE SET NULL,
        role TEXT NOT NULL DEFAULT 'boundary',
        note TEXT, set_by TEXT, updated_at TEXT NOT NULL,
        UNIQUE (name, carrier)
    );
    CREATE TABLE meter_layouts (
        key TEXT PRIMARY KEY,
        description TEXT, mapping TEXT NOT NULL, file_name TEXT, saved_at TEXT NOT NULL
    );
    CREATE TABLE assessment_events (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        action TEXT NOT NULL, reason TEXT, by TEXT, at TEXT NOT NULL
    );
    """,
    # 4: the MIIT template's basic-information fields, and energy-quota values (单位产品能源消耗限额
    # grades) that a user or evaluator added, with who, when and the source
    """
    ALTER TABLE factory ADD COLUMN registration_authority TEXT;
    ALTER TABLE factory ADD COLUMN established_on TEXT;
    ALTER TABLE factory ADD COLUMN registered_capital TEXT;
    ALTER TABLE factory ADD COLUMN business_term TEXT;
    ALTER TABLE factory ADD COLUMN postcode TEXT;
    ALTER TABLE factory ADD COLUMN contact_department TEXT;
    ALTER TABLE factory ADD COLUMN contact_mobile TEXT;
    ALTER TABLE factory ADD COLUMN contact_fax TEXT;
    CREATE TABLE quotas (
        id TEXT PRIMARY KEY,
        product TEXT NOT NULL, standard TEXT, unit TEXT NOT NULL,
        grade1 REAL, grade2 REAL, grade3 REAL,
        source TEXT NOT NULL, note TEXT, set_by TEXT, set_at TEXT NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="milliseconds")


def _user() -> str:
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def encode_value(value: Any) -> tuple[str | None, str | None]:
    """Serialise an answer: (JSON text, type name)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        kind = "bool"
    elif isinstance(value, (int, float)):
        kind = "number"
    elif isinstance(value, str):
        kind = "text"
    elif isinstance(value, (list, tuple)):
        kind = "list"
    elif isinstance(value, dict):
        kind = "object"
    elif isinstance(value, (_dt.date, _dt.datetime)):
        return json.dumps(value.isoformat()), "date"
    else:
        raise TypeError(f"cannot store a {type(value).__name__} as an answer")
    return json.dumps(value, ensure_ascii=False), kind


def decode_value(text: str | None) -> Any:
    return None if text is None else json.loads(text)


# --- file checks ------------------------------------------------------------

_FULL_BELOW = 256 * 1024  # free bytes under which SQLite's -shm/-wal files cannot be made: the disk is full


def _medium_state(path: Path) -> str | None:
    """"readonly" or "full" when the folder of ``path`` is on a read-only or full file system, else None."""
    try:
        st = os.statvfs(path.parent if path.parent != Path("") else Path("."))
    except OSError:
        return None
    if st.f_flag & os.ST_RDONLY:
        return "readonly"
    if st.f_bavail * st.f_frsize < _FULL_BELOW:
        return "full"
    return None


def fault_error(path: Path, e: BaseException, *, saving: bool = False) -> WorkspaceError:
    """What happened, in words a user can act on, for an SQLite or OS error on the workspace ``path``.

    Disk full, read-only medium, locked by another program, missing, no permission, a read/write error of the
    medium, and damaged are told apart (by SQLite's error code, errno and the file system's state); a full
    disk is never reported as damage. ``saving``: the error came while storing a change (nothing was saved)."""
    import errno as _errno

    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    err = getattr(e, "errno", None)
    medium = _medium_state(path)
    what_zh, what_en = ("未能保存修改（之前保存的内容完好）", "the change was not saved (what was saved before is intact)") \
        if saving else ("无法打开", "cannot be opened")
    if primary == 13 or err == _errno.ENOSPC or (medium == "full" and primary in (None, 10, 14)):
        return WorkspaceError(
            f"工作区 {path} {what_zh}：磁盘已满。文件没有损坏；请在该磁盘上释放空间，或把工作区复制到空间充足的位置后重试。",
            f"Workspace {path} {what_en}: the disk is full. The file is not damaged; free some space on that disk "
            "(or copy the workspace to a disk with space) and try again.")
    if err == _errno.EROFS or (medium == "readonly" and primary in (None, 8, 10, 14)):
        return WorkspaceReadOnly(
            f"工作区 {path} {what_zh}：它位于只读的位置（如写保护的 U 盘、光盘或只读共享）。文件没有损坏；"
            "请把它复制到可写的文件夹后再编辑，或以只读方式打开查看。",
            f"Workspace {path} {what_en}: it is on a read-only medium (a write-protected USB stick, a disc or a "
            "read-only share). The file is not damaged; copy it to a writable folder to edit it, or open it "
            "read-only to look at it.", reason="medium")
    if primary == 8 and _readable_not_writable(path):
        return WorkspaceReadOnly(
            f"工作区 {path} {what_zh}：该文件被设为只读（文件属性或权限）。文件没有损坏；请在文件属性中取消“只读”，"
            "或把它复制一份后编辑副本，或以只读方式打开查看。",
            f"Workspace {path} {what_en}: the file is marked read-only (its properties or permissions). The file "
            "is not damaged; clear 'read-only' in its properties, or edit a copy of it, or open it read-only to "
            "look at it.", reason="file")
    if primary == 8:
        return WorkspaceReadOnly(
            f"工作区 {path} {what_zh}：它位于只读的位置（如写保护的 U 盘、光盘或只读共享）。文件没有损坏；"
            "请把它复制到可写的文件夹后再编辑，或以只读方式打开查看。",
            f"Workspace {path} {what_en}: it is on a read-only medium (a write-protected USB stick, a disc or a "
            "read-only share). The file is not damaged; copy it to a writable folder to edit it, or open it "
            "read-only to look at it.", reason="medium")
    if primary in (5, 6):
        return WorkspaceError(
            f"工作区 {path} {what_zh}：它正被其他程序锁定。请关闭正在使用它的程序（或另一个 GreenDesk 窗口）后重试。",
            f"Workspace {path} {what_en}: another program has it locked. Close the program (or the other "
            "GreenDesk window) that uses it and try again.")
    if err == _errno.ENOENT or (primary == 14 and not path.exists()):
        return WorkspaceError(
            f"找不到工作区文件：{path}。它可能已被移动、改名或删除，或所在的 U 盘/网络盘已断开。",
            f"Workspace file not found: {path}. It may have been moved, renamed or deleted, or its USB stick "
            "or network drive is disconnected.")
    if primary == 3 or err in (_errno.EACCES, _errno.EPERM) or primary == 14:
        # readable but not writable (its folder or the file): it can still be looked at, read-only
        cls = WorkspaceReadOnly if not saving and os.access(path, os.R_OK) and path.is_file() else WorkspaceError
        extra = dict(reason="folder") if cls is WorkspaceReadOnly else {}
        return cls(
            f"工作区 {path} {what_zh}：没有读写该文件或其所在文件夹的权限。文件没有损坏；请检查权限，或把它复制到自己的文件夹。",
            f"Workspace {path} {what_en}: no permission to read and write the file or its folder. The file is "
            "not damaged; check the permissions, or copy it to a folder of your own.", **extra)
    if primary in (11, 26):
        return _damaged(path, e)
    if primary == 10 or isinstance(e, OSError):
        return WorkspaceError(
            f"工作区 {path} {what_zh}：读写磁盘时出错（{e}）。这通常是磁盘或 U 盘的问题，不是文件损坏；"
            "请检查连接后重试，或把文件复制到本机硬盘。",
            f"Workspace {path} {what_en}: the disk reported a read/write error ({e}). This is usually the disk "
            "or USB stick, not a damaged file; check it and try again, or copy the file to a local disk.")
    return WorkspaceError(f"工作区 {path} {what_zh}（{e}）。", f"Workspace {path} {what_en} ({e}).")


def _readable_not_writable(path: Path) -> bool:
    """The file can be read, but its own permissions or attributes refuse writing (root ignores them)."""
    try:
        return path.is_file() and os.access(path, os.R_OK) and not os.access(path, os.W_OK)
    except OSError:
        return False


def _read_only_uri(path: Path) -> str:
    """The URI to read ``path``. On a read-only medium SQLite cannot make the -shm file a WAL database needs:
    then the file is read as immutable, which is exact when no -wal file with changes lies beside it (GreenDesk
    checkpoints the WAL into the file when it closes a workspace)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    if _medium_state(path) == "readonly" and not shm.exists() and (not wal.exists() or wal.stat().st_size == 0):
        uri += "&immutable=1"
    return uri


def _damaged(path: Path, e: BaseException) -> WorkspaceError:
    return WorkspaceError(
        f"工作区 {path} 已损坏，无法打开（{e}）。文件未被修改；请使用备份或联系技术支持。",
        f"Workspace {path} is damaged and cannot be opened ({e}). The file was not changed; "
        "please use a backup.",
    )


# A workspace larger than this is structure-checked at open without its blob store (the evidence and ledger
# files, most of the bytes): SQLite's quick_check reads every page, 65-77 ms for a workspace with 210 MB of
# evidence on a warm cache and seconds from a laptop's disk, where the other tables take 0.5 ms. Each file's
# content is checked against its SHA-256 whenever it is read (Workspace.blob), so damage there is still found,
# named, and never exported.
FULL_CHECK_BYTES = 32 * 1024 * 1024


def _structure_check(con: sqlite3.Connection, size: int) -> list:
    """quick_check's rows (["ok"] when sound): the whole file, or for a large one every table but the blobs."""
    if size > FULL_CHECK_BYTES:
        try:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                                "name != 'blobs'")]
            found = []
            for name in tables:
                quoted = name.replace('"', '""')
                rows = con.execute(f'PRAGMA quick_check("{quoted}")').fetchall()
                if [r[0] for r in rows] != ["ok"]:
                    found += rows
            return found or [("ok",)]
        except sqlite3.OperationalError:  # an SQLite before 3.33 checks only the whole file
            pass
    return con.execute("PRAGMA quick_check").fetchall()


def _check_file(path: Path) -> None:
    """Refuse anything that is not a usable workspace, reading the file only."""
    if not path.exists():
        raise WorkspaceError(f"找不到工作区文件：{path}", f"Workspace file not found: {path}")
    if not path.is_file():
        raise WorkspaceError(f"{path} 不是文件。", f"{path} is not a file.")
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError as e:
        raise fault_error(path, e) from e
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise WorkspaceError(
            f"{path} 不是 GreenDesk 工作区（不是 SQLite 数据库文件）。文件未被修改。",
            f"{path} is not a GreenDesk workspace (not an SQLite database). The file was not changed.",
        )
    try:
        con = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise WorkspaceError(
                    f"{path} 是 SQLite 数据库，但不是 GreenDesk 工作区。文件未被修改。",
                    f"{path} is an SQLite database but not a GreenDesk workspace. The file was not changed.",
                )
            if version > SCHEMA_VERSION:
                raise WorkspaceError(
                    f"{path} 由更新版本的 GreenDesk 创建（数据结构版本 {version}，本程序支持到 {SCHEMA_VERSION}）。"
                    "请升级 GreenDesk 后再打开；文件未被修改。",
                    f"{path} was made by a newer GreenDesk (schema version {version}; this one supports up to "
                    f"{SCHEMA_VERSION}). Please update GreenDesk to open it; the file was not changed.",
                )
            result = _structure_check(con, path.stat().st_size)
            if [r[0] for r in result] != ["ok"]:
                raise _damaged(path, "; ".join(str(r[0]) for r in result[:3]))
        finally:
            con.close()
    except WorkspaceError:
        raise
    except sqlite3.DatabaseError as e:
        # SQLite says "disk I/O error" when a full or read-only disk cannot take the -shm file: that is not damage
        raise fault_error(path, e) from e


# --- the lock ------------------------------------------------------------------

class _WriteLock:
    """An OS lock on ``<file>-lock``; the OS releases it when the process dies.

    The lock file is never deleted. Deleting it on release is what broke exclusion: a process
    that had opened the file just before the delete locked an inode about to vanish, and the
    next process created a fresh file and locked that too. After locking, the holder also checks
    that the path still names the file it locked (someone else may have removed or replaced it)
    and starts over if not. Byte 0 is the locked byte (Windows locks byte ranges); the holder's
    PID and host are written after it, so a process refused the lock can read who holds it.
    """

    _ATTEMPTS = 50

    def __init__(self, path: Path):
        self.path = path.with_name(path.name + "-lock")
        self.fd: int | None = None

    @staticmethod
    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def holds_path(self) -> bool:
        """True if the file this lock holds is still the one at ``self.path``."""
        if self.fd is None:
            return False
        if sys.platform == "win32":
            return True  # an open file cannot be deleted or replaced on Windows
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        held = os.fstat(self.fd)
        return (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)

    def acquire(self) -> None:
        for _ in range(self._ATTEMPTS):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                self._lock(fd)
            except OSError:
                try:
                    os.lseek(fd, 1, os.SEEK_SET)
                    holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "?"
                except OSError:
                    holder = "?"
                os.close(fd)
                raise WorkspaceLocked(
                    f"工作区 {self.path.name[:-5]} 已在另一个 GreenDesk 窗口或进程中打开（{holder}）。"
                    "请先关闭那里，再在此处编辑。",
                    f"Workspace {self.path.name[:-5]} is already open for editing in another GreenDesk window or "
                    f"process ({holder}). Close it there first.",
                ) from None
            self.fd = fd
            if self.holds_path():
                break
            # the file was removed or replaced between our open and our lock: that lock excludes nobody
            self.fd = None
            os.close(fd)
        else:  # pragma: no cover - only if something keeps replacing the lock file
            raise WorkspaceLocked(
                f"无法锁定工作区 {self.path.name[:-5]}：锁文件 {self.path.name} 不断被删除或替换。",
                f"Cannot lock workspace {self.path.name[:-5]}: its lock file {self.path.name} keeps being "
                "removed or replaced.",
            )
        host = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f" pid {os.getpid()} @ {host}".encode())

    def release(self) -> None:
        """Unlock and close; the file stays (see the class note) unless its workspace is gone (a refused
        create). Then it is removed while still locked: a process that opened it meanwhile finds after
        locking that the path no longer names that file, and starts over."""
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os.ftruncate(fd, 0)  # no stale holder text is left behind
        except OSError:
            pass
        workspace = self.path.with_name(self.path.name[: -len("-lock")])
        if not workspace.exists():
            try:
                self.path.unlink()
            except OSError:
                pass
        try:
            if sys.platform == "win32":
                import msvcrt

                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)


# --- the workspace ----------------------------------------------------------

class Workspace:
    """An open workspace. Use :meth:`create` or :meth:`open`; close with :meth:`close` or ``with``."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: _WriteLock | None, readonly: bool):
        self.path = path
        self.conn = conn
        self._db = None
        self._lock = lock
        self.readonly = readonly

    @property
    def db(self):
        """The sqlite-utils view of the workspace, made on first use (importing it costs ~75 ms at start-up)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def _query(self, sql: str, args: list | tuple = ()) -> list[dict]:
        cur = self.conn.execute(sql, args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur]

    # -- opening ---------------------------------------------------------------

    @staticmethod
    def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
        try:
            return Workspace._connect_raw(path, readonly)
        except sqlite3.DatabaseError as e:
            raise fault_error(path, e) from e

    @staticmethod
    def _connect_raw(path: Path, readonly: bool) -> sqlite3.Connection:
        if readonly:
            conn = sqlite3.connect(_read_only_uri(path), uri=True, isolation_level=None,
                                   check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise WorkspaceError(f"无法为 {path} 启用 WAL 日志。", f"Cannot enable WAL on {path}.")
            conn.execute("PRAGMA synchronous = FULL")
        return conn

    @classmethod
    def create(cls, path: str | Path, factory: dict, *, overwrite: bool = False,
               _schema_version: int | None = None) -> Workspace:
        """Create a new workspace with its factory profile. The USCC is verified."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise WorkspaceError(f"文件已存在：{path}（不会覆盖）。", f"File exists: {path} (not overwritten).")
        profile = cls._clean_factory(factory, require=True)
        if path.exists():
            path.unlink()
        for suffix in ("-wal", "-shm"):
            p = path.with_name(path.name + suffix)
            if p.exists():
                p.unlink()
        lock = _WriteLock(path)
        lock.acquire()
        try:
            conn = cls._connect(path, readonly=False)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            ws = cls(path, conn, lock, readonly=False)
            ws._migrate(upto=_schema_version)
            with ws.transaction():
                conn.execute(
                    f"INSERT INTO factory (id, {', '.join(profile)}, updated_at) VALUES "
                    f"(1, {', '.join('?' * len(profile))}, ?)",
                    [*profile.values(), now()],
                )
                conn.execute("INSERT INTO meta VALUES ('created_at', ?), ('created_by', ?)",
                             [now(), f"GreenDesk {_app_version()}"])
        except BaseException:
            lock.release()
            raise
        return ws

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Workspace:
        """Open an existing workspace after checking it, read-only until the checks pass."""
        path = Path(path)
        _check_file(path)
        if readonly:
            return cls(path, cls._connect(path, readonly=True), None, readonly=True)
        lock = _WriteLock(path)
        try:
            lock.acquire()
        except OSError as e:  # the lock file cannot be made: full or read-only disk, permissions
            raise fault_error(path, e) from e
        try:
            ws = cls(path, cls._connect(path, readonly=False), lock, readonly=False)
            ws._migrate()
        except sqlite3.DatabaseError as e:
            lock.release()
            raise fault_error(path, e) from e
        except BaseException:
            lock.release()
            raise
        return ws

    def close(self) -> None:
        if self.conn is not None:
            if not self.readonly:
                try:
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self, upto: int | None = None) -> None:
        target = SCHEMA_VERSION if upto is None else upto
        current = self.schema_version
        if current >= target:
            return
        if current > 0:
            self._backup(self.path.with_name(f"{self.path.name}.v{current}.bak"))
        for version in range(current + 1, target + 1):
            with self.transaction():
                for stmt in _split_sql(MIGRATIONS[version - 1]):
                    self.conn.execute(stmt)
                self.conn.execute(f"PRAGMA user_version = {version}")

    def _backup(self, dest: Path) -> None:
        if dest.exists():
            return
        target = sqlite3.connect(str(dest))
        try:
            self.conn.backup(target)
        finally:
            target.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction; rolled back whole on any error."""
        if self.readonly:
            raise WorkspaceError("工作区以只读方式打开。", "The workspace is open read-only.")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise fault_error(self.path, e, saving=True) from e
        try:
            yield self.conn
        except BaseException as e:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite rolled back already (e.g. after SQLITE_FULL)
            if isinstance(e, sqlite3.OperationalError) and getattr(e, "sqlite_errorcode", 0) & 0xFF in (5, 6, 8, 10, 13):
                raise fault_error(self.path, e, saving=True) from e
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as e:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise fault_error(self.path, e, saving=True) from e

    # -- factory -------------------------------------------------------------------

    @staticmethod
    def _clean_factory(data: dict, *, require: bool) -> dict:
        unknown = set(data) - set(FACTORY_FIELDS)
        if unknown:
            raise UserError(f"未知的工厂信息字段：{', '.join(sorted(unknown))}",
                            f"Unknown factory profile fields: {', '.join(sorted(unknown))}")
        out = {k: data[k] for k in FACTORY_FIELDS if k in data}
        if require:
            if not (out.get("name") or "").strip():
                raise UserError("请填写工厂名称。", "The factory name is required.")
            if "uscc" not in out:
                raise UserError("请填写统一社会信用代码。", "The unified social credit code is required.")
        if "name" in out:
            out["name"] = str(out["name"]).strip()
        if "uscc" in out:
            out["uscc"] = _uscc.normalize(out["uscc"])
        _factory_fields.clean(out)
        if out.get("land_area_m2") not in (None, ""):
            try:
                out["land_area_m2"] = float(out["land_area_m2"])
            except (TypeError, ValueError):
                raise UserError("用地面积应为数字（平方米）。", "Land area must be a number (m²).") from None
            if out["land_area_m2"] < 0:
                raise UserError("用地面积不能为负数。", "Land area cannot be negative.")
        return out

    def factory(self) -> dict:
        row = self.conn.execute("SELECT * FROM factory WHERE id = 1").fetchone()
        cols = [d[0] for d in self.conn.execute("SELECT * FROM factory LIMIT 0").description]
        return dict(zip(cols, row, strict=True)) if row else {}

    def update_factory(self, **fields) -> None:
        data = self._clean_factory(fields, require=False)
        if not data:
            return
        with self.transaction() as c:
            c.execute(
                f"UPDATE factory SET {', '.join(f'{k} = ?' for k in data)}, updated_at = ? WHERE id = 1",
                [*data.values(), now()],
            )

    # -- assessments -----------------------------------------------------------------

    def create_assessment(self, scheme_id: str, scheme_version: str, year: int,
                          *, created_from: str | None = None) -> int:
        if not (1990 <= int(year) <= 2100):
            raise UserError(f"年份 {year} 不合理。", f"Year {year} is not plausible.")
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO assessments (scheme_id, scheme_version, year, status, created_at, created_from) "
                "VALUES (?, ?, ?, 'draft', ?, ?)",
                [scheme_id, str(scheme_version), int(year), now(), created_from],
            )
            return cur.lastrowid

    def assessments(self) -> list[dict]:
        return self._query("SELECT * FROM assessments ORDER BY year, id")

    def assessment(self, assessment_id: int | None = None) -> dict:
        """One assessment; by default the latest (highest year, then newest)."""
        if assessment_id is None:
            rows = self._query("SELECT * FROM assessments ORDER BY year DESC, id DESC LIMIT 1")
        else:
            rows = self._query("SELECT * FROM assessments WHERE id = ?", [assessment_id])
        if not rows:
            raise UserError(
                "工作区中没有这项评价。" if assessment_id else "工作区中还没有评价。",
                "No such assessment in this workspace." if assessment_id else "The workspace has no assessment yet.",
            )
        return rows[0]

    def is_final(self, assessment_id: int) -> bool:
        row = self.conn.execute("SELECT status FROM assessments WHERE id = ?", [assessment_id]).fetchone()
        return bool(row) and row[0] == "final"

    def require_draft(self, assessment_id: int, c: sqlite3.Connection | None = None) -> None:
        """Raise :class:`AssessmentFinal` when the assessment is final (read-only until reopened as a draft).

        Every write that belongs to one assessment calls this first (answers, evidence, meter imports,
        production, benchmarks set for it), so the command line and the app obey the same rule. Pass the
        open transaction ``c`` to check inside it.
        """
        row = (c or self.conn).execute("SELECT status, year FROM assessments WHERE id = ?",
                                       [assessment_id]).fetchone()
        if row is None:
            self.assessment(assessment_id)  # raises "no such assessment"
        if row[0] == "final":
            raise AssessmentFinal(
                f"{row[1]} 年的评价已定稿，为只读，未做任何修改。如需修改，请先将其重新打开为草稿（需说明原因）。",
                f"The {row[1]} assessment is final and read-only; nothing was changed. To change it, reopen it as "
                "a draft first (a reason is required).")

    def set_status(self, assessment_id: int, status: str, *, reason: str | None = None,
                   by: str | None = None) -> None:
        """Mark the assessment final or draft, with a row in ``assessment_events`` (who, when, why).

        This is the bare state change: :func:`greendesk.core.finalize.finalize` checks the blocking problems
        first and :func:`greendesk.core.finalize.reopen` requires a reason.
        """
        if status not in ("draft", "final"):
            raise ValueError(status)
        stamp = now()
        with self.transaction() as c:
            row = c.execute("SELECT status FROM assessments WHERE id = ?", [assessment_id]).fetchone()
            if row is None:
                self.assessment(assessment_id)  # raises "no such assessment"
            if row[0] == status:
                return
            c.execute("UPDATE assessments SET status = ?, finalized_at = ? WHERE id = ?",
                      [status, stamp if status == "final" else None, assessment_id])
            c.execute("INSERT INTO assessment_events (assessment_id, action, reason, by, at) VALUES (?, ?, ?, ?, ?)",
                      [assessment_id, "finalize" if status == "final" else "reopen", reason, by or _user(), stamp])

    def assessment_events(self, assessment_id: int) -> list[dict]:
        """The status log of one assessment, oldest first: action (finalize/reopen), reason, by, at."""
        return self._query("SELECT id, action, reason, by, at FROM assessment_events WHERE assessment_id = ? "
                           "ORDER BY id", [assessment_id])

    def set_scheme_version(self, assessment_id: int, scheme_version: str) -> None:
        with self.transaction() as c:
            c.execute("UPDATE assessments SET scheme_version = ? WHERE id = ?", [scheme_version, assessment_id])

    # -- answers -----------------------------------------------------------------------

    def _write_answer(self, c: sqlite3.Connection, assessment_id: int, field_id: str, value: Any,
                      source: str, scheme_version: str | None, stamp: str) -> bool:
        new_text, kind = encode_value(value)
        row = c.execute("SELECT value, source FROM answers WHERE assessment_id = ? AND field_id = ?",
                        [assessment_id, field_id]).fetchone()
        old_text = row[0] if row else None
        if row is not None and old_text == new_text and row[1] == source:
            return False
        if new_text is None:
            c.execute("DELETE FROM answers WHERE assessment_id = ? AND field_id = ?", [assessment_id, field_id])
        else:
            c.execute(
                "INSERT INTO answers (assessment_id, field_id, value, value_type, source, scheme_version, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (assessment_id, field_id) DO UPDATE SET"
                " value = excluded.value, value_type = excluded.value_type, source = excluded.source,"
                " scheme_version = excluded.scheme_version, updated_at = excluded.updated_at",
                [assessment_id, field_id, new_text, kind, source, scheme_version, stamp],
            )
        c.execute(
            "INSERT INTO answer_history (assessment_id, field_id, old_value, new_value, source, changed_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [assessment_id, field_id, old_text, new_text, source, stamp],
        )
        return True

    def set_answer(self, assessment_id: int, field_id: str, value: Any, *, source: str = "user",
                   scheme_version: str | None = None) -> bool:
        """Store one answer in its own committed transaction. ``None`` clears it. Returns whether it changed."""
        with self.transaction() as c:
            self.require_draft(assessment_id, c)
            return self._write_answer(c, assessment_id, field_id, value, source, scheme_version, now())

    def set_answers(self, assessment_id: int, values: dict[str, Any] | Iterable[tuple[str, Any]],
                    *, source: str = "user", scheme_version: str | None = None) -> int:
        """Store several answers all-or-nothing. Returns how many changed."""
        items = values.items() if isinstance(values, dict) else values
        stamp = now()
        with self.transaction() as c:
            self.require_draft(assessment_id, c)
            return sum(self._write_answer(c, assessment_id, f, v, source, scheme_version, stamp) for f, v in items)

    def answers(self, assessment_id: int) -> dict[str, Any]:
        cur = self.conn.execute("SELECT field_id, value FROM answers WHERE assessment_id = ?", [assessment_id])
        return {f: decode_value(v) for f, v in cur}

    def answer_rows(self, assessment_id: int) -> list[dict]:
        rows = self._query(
            "SELECT field_id, value, value_type, source, scheme_version, updated_at FROM answers "
            "WHERE assessment_id = ? ORDER BY field_id", [assessment_id])
        for r in rows:
            r["value"] = decode_value(r["value"])
        return rows

    def history(self, assessment_id: int, field_id: str | None = None) -> list[dict]:
        sql = "SELECT * FROM answer_history WHERE assessment_id = ?"
        args: list = [assessment_id]
        if field_id is not None:
            sql += " AND field_id = ?"
            args.append(field_id)
        rows = self._query(sql + " ORDER BY id", args)
        for r in rows:
            r["old_value"] = decode_value(r["old_value"])
            r["new_value"] = decode_value(r["new_value"])
        return rows

    def rename_answer(self, assessment_id: int, old_id: str, new_id: str) -> None:
        """Move an answer to a new field id (scheme migrations), keeping its history."""
        with self.transaction() as c:
            self.require_draft(assessment_id, c)
            c.execute("UPDATE answers SET field_id = ? WHERE assessment_id = ? AND field_id = ?",
                      [new_id, assessment_id, old_id])
            c.execute("UPDATE answer_history SET field_id = ? WHERE assessment_id = ? AND field_id = ?",
                      [new_id, assessment_id, old_id])

    def copy_assessment(self, from_id: int, scheme_id: str, scheme_version: str, year: int,
                        *, source_label: str | None = None) -> int:
        """A new assessment whose answers are copied from ``from_id`` and marked ``carried``."""
        src = self.assessment(from_id)
        new_id = self.create_assessment(scheme_id, scheme_version, year,
                                        created_from=source_label or f"assessment:{src['id']}:{src['year']}")
        rows = self.conn.execute("SELECT field_id, value FROM answers WHERE assessment_id = ?", [from_id]).fetchall()
        self.set_answers(new_id, [(f, decode_value(v)) for f, v in rows], source=f"carried:{int(src['year'])}",
                         scheme_version=scheme_version)
        return new_id

    # -- evidence ----------------------------------------------------------------------

    def store_blob(self, data: bytes, c: sqlite3.Connection | None = None, *, sha256: str | None = None) -> str:
        """Store content once under its SHA-256, inside the caller's transaction ``c`` or in its own.
        ``sha256``: the hash of these bytes when the caller has just computed it from them (the meter import
        checks the file against its analysed hash), so it is not computed a second time."""
        if c is None:
            with self.transaction() as c2:
                return self.store_blob(data, c2, sha256=sha256)
        if sha256 is None:
            import hashlib

            sha256 = hashlib.sha256(data).hexdigest()
        c.execute("INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)", [sha256, len(data), data])
        return sha256

    def add_evidence(self, assessment_id: int, source: str | Path | bytes, *, name: str | None = None,
                     item_id: str | None = None, mime: str | None = None, note: str | None = None) -> dict:
        """Attach a file. The content is stored once per SHA-256, however often it is attached."""
        if isinstance(source, (str, Path)):
            p = Path(source)
            try:
                data = p.read_bytes()
            except OSError as e:
                raise UserError(f"无法读取证明材料 {p}：{e.strerror}", f"Cannot read evidence file {p}: {e.strerror}") from e
            name = name or p.name
        else:
            data = bytes(source)
            if not name:
                raise ValueError("name is required for evidence given as bytes")
        import mimetypes

        mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
        stamp = now()
        with self.transaction() as c:
            self.require_draft(assessment_id, c)
            sha = self.store_blob(data, c)
            existing = c.execute(
                "SELECT id FROM evidence WHERE assessment_id = ? AND sha256 = ? AND item_id IS ? AND name = ?",
                [assessment_id, sha, item_id, name]).fetchone()
            if existing:
                eid = existing[0]
            else:
                eid = c.execute(
                    "INSERT INTO evidence (assessment_id, item_id, sha256, name, mime, size, added_at, note)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [assessment_id, item_id, sha, name, mime, len(data), stamp, note]).lastrowid
        return self.evidence_item(eid)

    def evidence_item(self, evidence_id: int) -> dict:
        rows = self._query("SELECT * FROM evidence WHERE id = ?", [evidence_id])
        if not rows:
            raise UserError("找不到该证明材料。", "No such evidence file.")
        return rows[0]

    def evidence(self, assessment_id: int, item_id: str | None = None) -> list[dict]:
        if item_id is None:
            return self._query("SELECT * FROM evidence WHERE assessment_id = ? ORDER BY id", [assessment_id])
        return self._query("SELECT * FROM evidence WHERE assessment_id = ? AND item_id = ? ORDER BY id",
                           [assessment_id, item_id])

    def blob(self, sha256: str, *, check: bool = True) -> bytes:
        """A stored file's bytes, refused (BlobDamaged) when they no longer match the SHA-256 they are stored
        under or SQLite finds their pages damaged (the check at open leaves the blob store of a large workspace
        out: FULL_CHECK_BYTES).

        ``check=False`` leaves the SHA-256 to the caller, who must compare it before using the bytes (the
        package export hashes them beside its report rendering: :class:`greendesk.core.package.export.BlobCheck`);
        damaged pages are refused all the same."""
        try:
            row = self.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
        except sqlite3.DatabaseError as e:
            if isinstance(e, sqlite3.OperationalError) and "malformed" not in str(e):
                raise fault_error(self.path, e) from e
            raise self._blob_damaged(sha256) from e
        if row is None:
            raise UserError(f"工作区中缺少文件内容 {sha256[:12]}…", f"File content {sha256[:12]}… is missing.")
        data = bytes(row[0])
        if not check:
            return data
        import hashlib

        if hashlib.sha256(data).hexdigest() != sha256:
            raise self._blob_damaged(sha256)
        return data

    def _blob_damaged(self, sha256: str) -> BlobDamaged:
        return BlobDamaged(
            f"工作区 {self.path} 中的文件内容 {sha256[:12]}… 已损坏（与记录的 SHA-256 不符），未被使用。"
            "其余内容不受影响；请从备份中取回该文件，或重新添加原件。",
            f"The stored file {sha256[:12]}… in workspace {self.path} is damaged (it no longer matches its recorded "
            "SHA-256) and was not used. Nothing else is affected; take the file from a backup or attach the "
            "original again.")

    def remove_evidence(self, evidence_id: int) -> dict | None:
        """Detach a file; its content is dropped when nothing refers to it any more.

        Returns what was removed (the row and the content), for :meth:`restore_evidence` to undo it.
        """
        with self.transaction() as c:
            rows = [dict(zip([d[0] for d in cur.description], r, strict=True))
                    for cur in [c.execute("SELECT * FROM evidence WHERE id = ?", [evidence_id])] for r in cur]
            if not rows:
                return None
            row = rows[0]
            self.require_draft(row["assessment_id"], c)
            data = c.execute("SELECT data FROM blobs WHERE sha256 = ?", [row["sha256"]]).fetchone()
            c.execute("DELETE FROM evidence WHERE id = ?", [evidence_id])
            self._drop_blob_if_unused(c, row["sha256"])
        return {"row": row, "data": bytes(data[0]) if data else None}

    def restore_evidence(self, removed: dict) -> dict:
        """Attach a removed file again exactly as it was (same id, name, item, date), e.g. on undo."""
        row = dict(removed["row"])
        with self.transaction() as c:
            self.require_draft(row["assessment_id"], c)
            if removed.get("data") is not None:
                c.execute("INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
                          [row["sha256"], len(removed["data"]), removed["data"]])
            elif c.execute("SELECT 1 FROM blobs WHERE sha256 = ?", [row["sha256"]]).fetchone() is None:
                raise UserError("该证明材料的内容已不在工作区中，无法恢复。",
                                "The content of this evidence file is no longer in the workspace; it cannot be "
                                "restored.")
            if c.execute("SELECT 1 FROM evidence WHERE id = ?", [row["id"]]).fetchone():
                row["id"] = None  # the id was taken meanwhile: a new one
            cols = list(row)
            rid = c.execute(f"INSERT INTO evidence ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                            [row[k] for k in cols]).lastrowid
        return self.evidence_item(rid)

    @staticmethod
    def _drop_blob_if_unused(c: sqlite3.Connection, sha: str) -> None:
        used = c.execute(
            "SELECT (SELECT COUNT(*) FROM evidence WHERE sha256 = ?) + "
            "(SELECT COUNT(*) FROM meter_imports WHERE sha256 = ?)", [sha, sha]).fetchone()[0]
        if not used:
            c.execute("DELETE FROM blobs WHERE sha256 = ?", [sha])

    # -- overrides of figures from standards ------------------------------------------

    def set_benchmark(self, scheme_id: str, indicator_id: str, baseline: float | None, leading: float | None,
                      *, band: str = "", source: str | None = None, set_by: str | None = None) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO benchmark_overrides VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [scheme_id, indicator_id, band, baseline, leading, source, set_by or _user(), now()])

    def clear_benchmark(self, scheme_id: str, indicator_id: str, *, band: str = "") -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM benchmark_overrides WHERE scheme_id = ? AND indicator_id = ? AND band = ?",
                      [scheme_id, indicator_id, band])

    def benchmarks(self, scheme_id: str) -> list[dict]:
        return self._query("SELECT * FROM benchmark_overrides WHERE scheme_id = ? ORDER BY indicator_id, band",
                           [scheme_id])

    def set_factor(self, factor_id: str, value: float, *, unit: str | None = None, source: str | None = None,
                   set_by: str | None = None) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO factor_overrides VALUES (?, ?, ?, ?, ?, ?)",
                      [factor_id, float(value), unit, source, set_by or _user(), now()])

    def clear_factor(self, factor_id: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM factor_overrides WHERE factor_id = ?", [factor_id])

    def factor_overrides(self) -> dict[str, dict]:
        return {r["factor_id"]: r for r in self._query("SELECT * FROM factor_overrides")}

    def set_quota(self, quota_id: str, *, product: str, unit: str, source: str, standard: str | None = None,
                  grade1: float | None = None, grade2: float | None = None, grade3: float | None = None,
                  note: str | None = None, set_by: str | None = None) -> None:
        """Store a user-added energy-quota entry (checked by core/quotas.py before it gets here)."""
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO quotas VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [quota_id, product, standard, unit, grade1, grade2, grade3, source, note, set_by or _user(), now()])

    def remove_quota(self, quota_id: str) -> bool:
        with self.transaction() as c:
            return c.execute("DELETE FROM quotas WHERE id = ?", [quota_id]).rowcount > 0

    def quotas(self) -> list[dict]:
        return self._query("SELECT * FROM quotas ORDER BY id")

    # -- settings ------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, json.dumps(value, ensure_ascii=False)])

    # -- summary ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        q = self.conn.execute
        return {
            "assessments": q("SELECT COUNT(*) FROM assessments").fetchone()[0],
            "answers": q("SELECT COUNT(*) FROM answers").fetchone()[0],
            "history": q("SELECT COUNT(*) FROM answer_history").fetchone()[0],
            "evidence": q("SELECT COUNT(*) FROM evidence").fetchone()[0],
            "evidence_bytes": q("SELECT COALESCE(SUM(size), 0) FROM blobs").fetchone()[0],
            "meter_imports": q("SELECT COUNT(*) FROM meter_imports").fetchone()[0],
            "meter_readings": q("SELECT COUNT(*) FROM meter_readings").fetchone()[0],
        }

    def integrity_ok(self) -> bool:
        return [r[0] for r in self.conn.execute("PRAGMA integrity_check")] == ["ok"]


def _split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _app_version() -> str:
    from greendesk import __version__

    return __version__
