"""The built Scheme of a scheme file, kept between runs (in greendesk.core.datacache's folder).

Checking the 2025 scheme file and building its Scheme (46 fields, 22 indicators, 42 expressions) took 8-9 ms
of every start of the app and of every command; reading the built one back takes about 1 ms. An entry is found
by the SHA-1 of the file's text and name, GreenDesk's version, the Python version and the size and time of
every module that checks, builds or defines a scheme (in a frozen build: of the executable), so a changed file
or a changed program never reads an old one. It lists the files the scheme is based on (a profile's base) with
the SHA-1 of their text, and is used only while the same files are found for them and all still match. Expressions are stored as their text and
parsed again on reading (``Expr.__reduce__``). Any problem with an entry (missing, unreadable, damaged, of
another scheme) means: build again, and store the new one.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from greendesk.core import datacache
from greendesk.core.digest import sha1
from greendesk.core.schemes.model import Scheme

_CORE = Path(__file__).resolve().parent.parent
# what the built objects are made by and of: the schemes package and the modules it builds with
_CODE = ("expr.py", "frozen.py", "safe_yaml.py", "i18n.py", "textsafety.py", "errors.py")


@cache
def code_stamp() -> str:
    from greendesk import __version__

    parts = [__version__, f"{sys.version_info[0]}.{sys.version_info[1]}"]
    files = sorted((_CORE / "schemes").glob("*.py")) + [_CORE / name for name in _CODE]
    if getattr(sys, "frozen", False):
        files.append(Path(sys.executable))
    for f in files:
        try:
            st = os.stat(f)
            parts.append(f"{f.name}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f"{f.name}:-")
    return "|".join(parts)


def _digest(data: bytes) -> str:
    return sha1(data).hexdigest()


def load(scheme_id: str, path: Path, build: Callable[[], Scheme],
         bases_of: Callable[[str], list[tuple[str, Path]]], locate: Callable[[str], Path]) -> Scheme:
    """The Scheme of ``path``: from its entry when that is current, else ``build()`` (and stored).

    ``bases_of(id)``: the (id, file) of each scheme a built one is based on; ``locate(id)``: where a scheme id is
    found now (a base found in another file since is another base)."""
    folder = datacache.cache_dir()
    if folder is None:
        return build()
    try:
        own = sha1(path.read_bytes())
    except OSError:
        return build()   # (build says what is wrong with the file)
    own.update(f"|{path.resolve()}|{scheme_id}|{code_stamp()}".encode())
    entry = folder / f"built-scheme-{own.hexdigest()}.pickle"
    try:
        bases, scheme = pickle.loads(entry.read_bytes())
        if isinstance(scheme, Scheme) and scheme.id == scheme_id and all(
                str(locate(i)) == p and _digest(Path(p).read_bytes()) == h for i, p, h in bases):
            return scheme
    except Exception:  # noqa: BLE001 - any problem with the entry means: build again
        pass
    scheme = build()
    try:
        bases = [(i, str(p), _digest(p.read_bytes())) for i, p in bases_of(scheme_id)]
    except OSError:
        return scheme
    datacache.store(entry, (bases, scheme))
    return scheme
