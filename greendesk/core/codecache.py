"""Compiled code kept between runs, for source that Python's own bytecode cache never sees.

Two kinds of source are compiled by hand at every start-up:

- shiboken's support modules (``shibokensupport``: the signature loader, its parser and mapping, the
  ``__feature__`` switch), which PySide6 keeps inside its library as a zip and compiles with ``compile()``
  each time it is imported: 14 modules, about 125 M instructions (30 ms on the 2-core test machine);
- the ``__init__`` that :mod:`greendesk.core.frozen` writes for each frozen value class.

:func:`compile_cached` serves such source from a file written the first time. The key is the SHA-1 of the
source, its file name, the compiler flags, the interpreter (its exact version and build) and its optimisation
level, so a cached result can only be the code that ``compile`` would return now. Each file carries the
SHA-1 of its contents, checked before it is read (``marshal`` is only given bytes it wrote itself). Any
problem (no folder, unreadable, damaged, read-only) means: compile as usual. ``GREENDESK_CACHE_DIR`` set to
an empty string turns it off, as it does the parsed-data cache beside it.
"""

from __future__ import annotations

import marshal
import sys
from types import CodeType

from greendesk.core import datacache
from greendesk.core.digest import sha1

_DIGEST = 20  # bytes of SHA-1 at the start of each file


# the interpreter (its exact build: bytecode changes between versions) and its optimisation level (-O)
_STAMP = f"{sys.implementation.cache_tag}|{sys.version}|{sys.flags.optimize}".encode()


_compile = compile  # the builtin, whatever ``builtins.compile`` is later set to


def compile_cached(source: str | bytes, filename: str, flags: int = 0) -> CodeType:
    """``compile(source, filename, "exec", flags, dont_inherit=True)``, from the cache when compiled before.
    ``flags``: ``from __future__`` compiler flags only (code comes back, never an AST)."""
    folder = datacache.cache_dir()
    if folder is None:
        return _compile(source, filename, "exec", flags, dont_inherit=True)
    data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
    key = sha1(data)
    key.update(b"\0" + filename.encode("utf-8", "surrogatepass") + f"\0{flags}\0".encode() + _STAMP)
    path = folder / f"code-{key.hexdigest()}.marshal"
    try:
        with open(path, "rb") as f:
            blob = f.read()
        payload = blob[_DIGEST:]
        if len(blob) > _DIGEST and sha1(payload).digest() == blob[:_DIGEST]:
            code = marshal.loads(payload)
            if isinstance(code, CodeType):
                return code
    except Exception:  # noqa: BLE001 - any cache problem means: compile again
        pass
    code = _compile(source, filename, "exec", flags, dont_inherit=True)
    try:
        payload = marshal.dumps(code)
    except ValueError:  # (a code object always marshals; kept safe all the same)
        return code
    datacache.write_atomic(path, sha1(payload).digest() + payload)
    return code


__all__ = ["compile_cached"]
