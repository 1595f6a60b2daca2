"""Compiled code kept between runs, for source that Python's own bytecode cache never sees.

Three kinds of source are compiled by hand at every start-up:

- shiboken's support modules (``shibokensupport``: the signature loader, its parser and mapping, the
  ``__feature__`` switch), which PySide6 keeps inside its library as a zip and compiles with ``compile()``
  each time it is imported: 15 files, about 110 M instructions (25-30 ms on the 2-core test machine);
- three regular expressions of about 6,000 characters those modules build (nested brackets, for reading
  signatures), which ``re`` compiles in Python: 20 ms (:func:`compile_regex`);
- the ``__init__`` that :mod:`greendesk.core.frozen` writes for each frozen value class.

:func:`compile_cached` serves such source from a file written the first time. The key is the SHA-1 of the
source, its file name, the compiler flags, the interpreter (its exact version and build) and its optimisation
level, so a cached result can only be the code that ``compile`` would return now. Each file carries the
SHA-1 of its contents, checked before it is read (``marshal`` is only given bytes it wrote itself). Any
problem (no folder, unreadable, damaged, read-only) means: compile as usual. ``GREENDESK_CACHE_DIR`` set to
an empty string turns it off, as it does the parsed-data cache beside it.
"""

from __future__ import annotations

import _sre
import marshal
import re
import sys
from types import CodeType

from greendesk.core import datacache
from greendesk.core.digest import sha1

_DIGEST = 20  # bytes of SHA-1 at the start of each file


# the interpreter (its exact build: bytecode changes between versions) and its optimisation level (-O)
_STAMP = f"{sys.implementation.cache_tag}|{sys.version}|{sys.flags.optimize}".encode()


# the real ones, whatever ``builtins.compile`` and ``re.compile`` are set to while PySide6 is imported
_compile = compile
_re_compile = re.compile


def _read(path) -> object | None:
    """The value marshalled in ``path`` when the file is whole (its SHA-1 matches); None otherwise."""
    try:
        with open(path, "rb") as f:
            blob = f.read()
        payload = blob[_DIGEST:]
        if len(blob) > _DIGEST and sha1(payload).digest() == blob[:_DIGEST]:
            return marshal.loads(payload)
    except Exception:  # noqa: BLE001 - any cache problem means: make it again
        pass
    return None


def _write(path, value) -> None:
    try:
        payload = marshal.dumps(value)
    except ValueError:  # (only code, numbers, strings, lists, tuples and dicts are stored)
        return
    datacache.write_atomic(path, sha1(payload).digest() + payload)


def _path(kind: str, data: bytes, *extra: str):
    folder = datacache.cache_dir()  # (None: turned off, or no home folder to put it in)
    if folder is None:
        return None
    key = sha1(data)
    key.update("\0".join(("", *extra, "")).encode("utf-8", "surrogatepass") + _STAMP)
    return folder / f"{kind}-{key.hexdigest()}.marshal"


def compile_cached(source: str | bytes, filename: str, flags: int = 0) -> CodeType:
    """``compile(source, filename, "exec", flags, dont_inherit=True)``, from the cache when compiled before.
    ``flags``: ``from __future__`` compiler flags only (code comes back, never an AST)."""
    data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
    path = _path("code", data, filename, str(flags))
    if path is not None:
        code = _read(path)
        if isinstance(code, CodeType):
            return code
    code = _compile(source, filename, "exec", flags, dont_inherit=True)
    if path is not None:
        _write(path, code)
    return code


def compile_regex(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)`` for a long pattern, whose compiling (``re``'s parser and compiler are
    written in Python) costs milliseconds: the compiled program is kept and handed to ``_sre`` again.

    What is kept was checked when it was made: the pattern built from it equals ``re.compile``'s own (a
    Pattern's equality compares its flags and its whole compiled program). ``_sre`` checks any program it is
    given before using it. Anything unexpected (another Python's ``re``) means plain ``re.compile``."""
    flags = int(flags)
    path = _path("re", pattern.encode("utf-8", "surrogatepass"), str(flags))
    if path is not None and not flags & re.DEBUG:
        args = _read(path)
        if isinstance(args, tuple) and len(args) == 5:
            try:
                return _sre.compile(pattern, *args)
            except Exception:  # noqa: BLE001 - not a program this Python takes: compile it
                pass
    compiled = _re_compile(pattern, flags)
    if path is not None and not flags & re.DEBUG:
        try:
            from re import _compiler, _parser

            parsed = _parser.parse(pattern, flags)
            groupindex = dict(parsed.state.groupdict)
            indexgroup = [None] * parsed.state.groups
            for name, i in groupindex.items():
                indexgroup[i] = name
            code = [int(op) for op in _compiler._code(parsed, flags)]  # (opcodes are int subclasses)
            args = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
            if _sre.compile(pattern, *args) == compiled:
                _write(path, args)
        except Exception:  # noqa: BLE001 - this Python's re is built otherwise: not kept
            pass
    return compiled


__all__ = ["compile_cached", "compile_regex"]
