"""Where an evidence file is written so the desktop can open it (Qt-free).

A workspace stores each evidence file's name as given; a crafted workspace can name one
``../../x``, ``/etc/passwd`` or ``C:\\x``. So the file is written into a private folder of this
process (``mkdtemp``: mode 0700, unpredictable name) under the user's cache folder
(``GREENDESK_CACHE_DIR`` when set), one sub-folder per content hash, under a cleaned name: the
last path part only, no control or reserved characters, no reserved Windows device name, at
most ``MAX_NAME_BYTES`` bytes in UTF-8 with the extension kept. The final path is checked to be
inside the folder before anything is written, and the file is created without following links.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
import unicodedata
from pathlib import Path

from greendesk.core.errors import UserError

MAX_NAME_BYTES = 120
_MAX_EXT_CHARS = 16
_RESERVED_WINDOWS = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
                     *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")}
_BAD_CHARS = set('<>:"/\\|?*')
_SHA = re.compile(r"[0-9a-f]{64}")

_folder: Path | None = None


def _cache_base() -> Path:
    env = os.environ.get("GREENDESK_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "GreenDesk"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "GreenDesk"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "greendesk"


def _usable_base(base: Path) -> bool:
    """A folder only we can rename things in: ours, not a link, not writable by others (POSIX)."""
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(base)
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        return False
    if sys.platform != "win32":
        if st.st_uid != os.getuid():
            return False
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not st.st_mode & stat.S_ISVTX:
            return False
    return True


def private_folder() -> Path:
    """This process's private folder for opened evidence (created on first use, mode 0700)."""
    global _folder
    if _folder is not None and _folder.is_dir():
        return _folder
    base = _cache_base()
    parent = str(base) if _usable_base(base) else None  # else the system temp folder (mkdtemp is private there too)
    _folder = Path(tempfile.mkdtemp(prefix="evidence-", dir=parent))
    return _folder


def _truncate_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def safe_name(stored: str, sha256: str = "") -> str:
    """A file name made from a stored evidence name that cannot leave the folder it is put in."""
    name = str(stored or "")
    name = re.split(r"[/\\]", name)[-1]  # the last part for either separator (and drive letters below)
    name = "".join(ch for ch in name
                   if ch not in _BAD_CHARS and not unicodedata.category(ch).startswith("C"))
    name = name.strip().rstrip(". ")  # Windows drops trailing dots and spaces
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > _MAX_EXT_CHARS or not ext:
        stem, ext = name, ""
    if stem.split(".")[0].strip().upper() in _RESERVED_WINDOWS:
        stem = "_" + stem
    fallback = f"evidence-{sha256[:12]}" if sha256 else "evidence"
    if not stem.strip(". "):
        stem = fallback
    suffix = f".{ext}" if ext else ""
    stem = _truncate_utf8(stem, MAX_NAME_BYTES - len(suffix.encode("utf-8"))).rstrip(". ") or fallback
    return stem + suffix


def file_for_opening(stored_name: str, sha256: str, data: bytes | None = None, *, read=None) -> Path:
    """Write one evidence file into the private folder and return its path.

    ``data`` is the content, or ``read()`` returns it (only called when the file is not there yet).
    """
    if not isinstance(sha256, str) or not _SHA.fullmatch(sha256):
        raise UserError("该证明材料的哈希值无效，无法打开。", "This evidence file has an invalid hash and cannot be opened.")
    root = private_folder()
    folder = root / sha256[:16]
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / safe_name(stored_name, sha256)
    # cannot fail after safe_name; checked anyway (without following a link at the last part)
    if Path(os.path.abspath(target)).parent != Path(os.path.abspath(folder)) or target.name in ("", ".", ".."):
        raise UserError("证明材料的文件名无效。", "The evidence file name is not valid.")
    if target.is_file() and not target.is_symlink():
        return target
    content = data if data is not None else read()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    return target
