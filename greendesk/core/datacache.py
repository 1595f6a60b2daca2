"""A small on-disk cache of parsed data files (schemes, carrier and factor tables).

Parsing YAML (and importing PyYAML) costs about 40 ms at start-up; a pickled result of the
same text loads in about 1 ms. The key is the SHA-1 of the file's text, the parser's own
source file (so a changed parser never reads an old result) and the Python version, so a
cached value can never disagree with the file. Any problem with the cache (missing,
unreadable, corrupt, read-only folder) falls back to parsing; errors in the file itself are
raised by the parser as usual and nothing is cached for it.

``GREENDESK_CACHE_DIR`` chooses the folder; set it to an empty string to turn the cache off.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from greendesk.core.digest import sha1

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder; None when turned off, or when there is no home folder to put it in (``Path.home``
    raises in a process without HOME and without a user entry): then nothing is cached, only slower."""
    env = os.environ.get("GREENDESK_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    try:
        if sys.platform == "win32":
            base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "GreenDesk"
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches" / "GreenDesk"
        else:
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "greendesk"
    except (RuntimeError, KeyError, OSError):
        return None
    return base / "parsed"


def _parser_stamp(parse: Callable) -> str:
    code = getattr(parse, "__code__", None)
    try:
        st = os.stat(code.co_filename) if code else None
    except OSError:
        st = None
    return f"{getattr(parse, '__module__', '')}.{getattr(parse, '__qualname__', '')}:{st.st_mtime_ns if st else 0}"


def parsed(text: str, parse: Callable[[str], T], kind: str, *, extra: str = "") -> T:
    """``parse(text)``, served from the cache when the same text was parsed before.

    ``extra`` goes into the key too (e.g. the file name that the parsed result carries).
    """
    folder = cache_dir()
    if folder is None:
        return parse(text)
    h = sha1(text.encode("utf-8"))
    h.update(f"|{extra}|{_parser_stamp(parse)}|{sys.version_info[:2]}".encode())
    path = folder / f"{kind}-{h.hexdigest()}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - any cache problem means: parse again
        pass
    value = parse(text)
    store(path, value)
    return value


def store(path: Path, value: Any) -> None:
    """Write ``value`` pickled to ``path`` atomically; a cache that cannot be written is only slower."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - not picklable: not cached
        return
    write_atomic(path, data)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then renamed); a cache that cannot
    be written is only slower."""
    import tempfile  # (only when something new is stored: not at start-up)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except Exception:  # noqa: BLE001
            pass


def _safe_load(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# path -> ((mtime_ns, size), pickled value): a data file asked for again in the same process (the import
# checks every series against plausibility.yaml: 114 reads and hashes of it for one ledger) costs a stat
# and an unpickle; every caller still gets its own copy, so changing it changes nobody else's
_memo: dict[tuple[str, str], tuple[tuple[int, int], bytes]] = {}


def load_yaml(path: Path, kind: str) -> Any:
    """A bundled YAML data file (plain safe load), through the cache."""
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    key = (str(path), kind)
    hit = _memo.get(key)
    if hit is not None and stamp is not None and hit[0] == stamp:
        return pickle.loads(hit[1])
    value = parsed(path.read_text(encoding="utf-8"), _safe_load, kind)
    if stamp is not None:
        try:
            _memo[key] = (stamp, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - not picklable: read again next time
            pass
    return value
