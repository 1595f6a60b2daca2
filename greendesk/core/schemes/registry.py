"""The bundled schemes (forms/*.yaml) by id, and loading of any scheme file.

``get_scheme(id)`` and ``list_schemes()`` serve the bundled files (cached), plus the ``*.yaml`` files
of the folders in ``GREENDESK_SCHEME_PATH`` (os.pathsep-separated; a bundled id wins);
``load_scheme_file(path)`` strictly loads any file (for ``scheme-check`` and custom profiles).
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from greendesk.core.errors import UserError
from greendesk.core.paths import forms_dir
from greendesk.core.schemes import built
from greendesk.core.schemes.loader import BaseCycleError, LMap, build_scheme, load_raw
from greendesk.core.schemes.model import Scheme

_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z0-9_\-]+)", re.MULTILINE)
_lock = threading.RLock()
_schemes: dict[str, Scheme] = {}
_raws: dict[str, LMap] = {}
_bases: dict[str, str] = {}    # scheme id -> the id of the scheme its file is based on (profiles)
_index: dict[str, Path] | None = None
_unindexed: list[Path] = []    # *.yaml files of the scheme folders without a top-level id line


def _scan() -> dict[str, Path]:
    global _index
    with _lock:
        if _index is None:
            found: dict[str, Path] = {}
            dirs = [forms_dir()] + [Path(d) for d in os.environ.get("GREENDESK_SCHEME_PATH", "").split(os.pathsep) if d]
            files = [p for d in dirs if d.is_dir() for p in sorted(d.glob("*.yaml"))]
            for p in files:
                try:   # only the id line is needed here; a broken file is reported when it is loaded
                    with p.open("rb") as f:
                        m = _ID_LINE.search(f.read(1 << 16).decode("utf-8", "replace"))
                except OSError:
                    m = None
                if m:
                    found.setdefault(m.group(1), p)
                else:
                    _unindexed.append(p)
            _index = found
        return _index


def scheme_ids() -> list[str]:
    return list(_scan())


def scheme_path(scheme_id: str) -> Path:
    idx = _scan()
    if scheme_id not in idx:
        raise UserError(f"未知的评价方案：{scheme_id}（可用：{', '.join(idx)}）",
                        f"Unknown scheme: {scheme_id} (available: {', '.join(idx)})")
    return idx[scheme_id]


def _raw(scheme_id: str, _chain: tuple[str, ...] = ()) -> tuple[LMap, str]:
    if scheme_id in _chain:
        raise BaseCycleError(f"方案的 base 形成循环：{' -> '.join(_chain + (scheme_id,))}；请让配置基于内置方案",
                             f"scheme bases form a cycle: {' -> '.join(_chain + (scheme_id,))}; base a profile on a "
                             "bundled scheme")
    with _lock:
        if scheme_id not in _raws:
            path = scheme_path(scheme_id)

            def base(base_id: str) -> tuple[LMap, str]:
                _bases[scheme_id] = base_id
                return _raw(base_id, _chain + (scheme_id,))

            _raws[scheme_id] = load_raw(path, resolve_base=base)
        return _raws[scheme_id], str(scheme_path(scheme_id))


def get_scheme(scheme_id: str) -> Scheme:
    """A bundled scheme by id; UserError for an unknown id."""
    with _lock:
        s = _schemes.get(scheme_id)
        if s is None:
            s = built.load(scheme_id, scheme_path(scheme_id), lambda: _build(scheme_id), _base_files, scheme_path)
            _schemes[scheme_id] = s
        return s


def _build(scheme_id: str) -> Scheme:
    raw, path = _raw(scheme_id)
    s = build_scheme(raw, path)
    if s.id != scheme_id:
        where = f"{path}:{raw.line_of('id') or 1}"
        raise UserError(f"文件中的 id 是 {s.id}，与 {scheme_id} 不符", f"the file's id is {s.id}, not {scheme_id}",
                        where=where)
    return s


def _base_files(scheme_id: str) -> list[tuple[str, Path]]:
    """The (id, file) of each scheme a built one was based on (a profile's base, its base's base ...)."""
    out = []
    while scheme_id in _bases:
        scheme_id = _bases[scheme_id]
        out.append((scheme_id, scheme_path(scheme_id)))
    return out


def list_schemes(problems: list[UserError] | None = None) -> list[Scheme]:
    """Every loadable scheme. A broken file from ``GREENDESK_SCHEME_PATH`` is left out (and its error
    appended to ``problems`` when given) so that one bad custom profile does not hide the others;
    a broken bundled scheme is a bug and raises."""
    out = []
    bundled = forms_dir().resolve()
    for i in scheme_ids():
        try:
            out.append(get_scheme(i))
        except UserError as e:
            if scheme_path(i).resolve().parent == bundled:
                raise
            if problems is not None:
                problems.append(e)
    if problems is not None:   # a file that cannot even say its id is named too, not skipped in silence
        for p in _unindexed:
            problems.append(UserError("没有顶层的 “id:” 行，无法作为方案列出", "no top-level 'id:' line; it cannot be "
                                      "listed as a scheme", where=f"{p}:1"))
    return out


def load_scheme_file(path: str | Path) -> Scheme:
    """Strictly load any scheme or profile file (not cached). Errors name file:line and key."""
    path = Path(path)
    raw = load_raw(path, resolve_base=lambda b: _raw(b))
    return build_scheme(raw, str(path))


def clear_cache() -> None:
    global _index
    with _lock:
        _schemes.clear()
        _raws.clear()
        _bases.clear()
        _index = None
        _unindexed.clear()
