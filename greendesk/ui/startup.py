"""``greendesk open``: what can be done before Qt is loaded, then the app (greendesk.ui.app.run).

Two costs that a plain PySide6 window does not pay and this app would:

- Once PySide6 is imported, every later ``import`` of a module runs PySide's ``__feature__`` hook, which reads
  the module's source to see whether it mentions PySide6 (about 0.2 ms a module). The core and the standard
  modules it needs (about 50, none of them Qt) are imported first, so the hook never sees them.
- That hook asks ``inspect.getsource`` for the whole source of every module it meets (about 60 at start-up,
  12 ms). :func:`quicken_pyside_import_hook` gives it the same answer from one read of the file's bytes.
- PySide6 keeps shiboken's support modules (its signature loader, parser and ``__feature__`` switch) as a zip
  inside its library and compiles their source at every import (15 files, about 110 M instructions, 25-30 ms),
  and then three regular expressions of 6,000 characters (20 ms). While PySide6 is imported, ``compile`` and
  ``re.compile`` serve them from :mod:`greendesk.core.codecache` (see :func:`import_pyside`).
- Python's cyclic garbage collector ran about 60 times while Qt's enums, the scheme and the window were made
  (20-30 ms of nothing: all of it stays alive). It is paused until the window has been painted (at most a
  few seconds); what exists then is frozen (``gc.freeze``), so later collections and the one at exit do not
  walk it again. ``greendesk.ui.app.run`` resumes it.
"""

from __future__ import annotations

import gc
import importlib
import sys

# core modules that opening a workspace needs (each imports its own dependencies); none imports Qt
CORE = ("greendesk.core.workspace", "greendesk.core.schemes.registry", "greendesk.core.schemes.scoring",
        "greendesk.core.energy", "greendesk.core.meters.register", "greendesk.core.schemes.continuity",
        "greendesk.core.plausibility", "greendesk.core.readable", "greendesk.core.errors", "json")


def preload_core() -> None:
    for name in CORE:
        try:
            importlib.import_module(name)
        except ImportError:  # a module renamed by a later change: start-up is only slower, never broken
            pass


# the compiler flags of ``from __future__`` features that compile() inherits from its caller (CPython's PyCF_MASK)
_FUTURE = ("division", "absolute_import", "with_statement", "print_function", "unicode_literals", "barry_as_FLUFL",
           "generator_stop", "annotations")


def _compile_for_import(real):
    """``compile`` while PySide6 is imported: shiboken's bootstrap and the modules of its support package
    (compiled by its zip importer as ``compile(source, "shibokensupport/....py", "exec")``, inheriting the
    importer's ``annotations`` future) come from the code cache, compiled with the same flags; any other call
    goes to ``real`` as made (with the future flags of its caller, which is what inheriting them means)."""
    import __future__

    from greendesk.core.codecache import compile_cached  # (imported before ``compile`` is replaced)

    mask = 0
    for name in _FUTURE:
        feature = getattr(__future__, name, None)
        mask |= getattr(feature, "compiler_flag", 0)

    def compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **kw):  # noqa: A001
        if not dont_inherit:
            flags |= sys._getframe(1).f_code.co_flags & mask
        if (mode == "exec" and not flags & ~mask and optimize == -1 and not kw and isinstance(filename, str)
                and (filename.startswith("shibokensupport/") or filename == "signature_bootstrap.py")
                and isinstance(source, (str, bytes))):
            try:
                return compile_cached(source, filename, flags)
            except Exception:  # noqa: BLE001 - shiboken aborts the process on any error here: compile as asked
                pass
        return real(source, filename, mode, flags, True, optimize, **kw)

    return compile


LONG_PATTERN = 1000  # characters: a regular expression worth keeping compiled (shiboken's are about 6,000)


def _regex_for_import(real):
    """``re.compile`` while PySide6 is imported: a long pattern comes from the code cache."""
    from greendesk.core.codecache import compile_regex

    def compile(pattern, flags=0):  # noqa: A001
        if isinstance(pattern, str) and len(pattern) >= LONG_PATTERN:
            try:
                return compile_regex(pattern, flags)
            except Exception:  # noqa: BLE001 - as in _compile_for_import: compile as asked
                pass
        return real(pattern, flags)

    return compile


def import_pyside() -> None:
    """``import PySide6``, with shiboken's support modules and its long regular expressions compiled once and
    then read from the code cache."""
    if "PySide6" in sys.modules:
        return
    import builtins
    import re

    real, real_re = builtins.compile, re.compile
    builtins.compile, re.compile = _compile_for_import(real), _regex_for_import(real_re)
    try:
        import PySide6  # noqa: F401
    finally:
        builtins.compile, re.compile = real, real_re


def quicken_pyside_import_hook() -> bool:
    """Import PySide6 and answer its import hook's question ("does this module's source mention PySide6?",
    which selects the module's ``__feature__`` set) by reading the module's file, instead of through
    ``inspect.getsource``. Modules without a readable ``.py`` file keep PySide's own check. False when this
    PySide6 has no such hook (nothing changed)."""
    import_pyside()  # (installs the hook)

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "_greendesk", False):
        return False

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as f:
                return b"PySide6" in f.read()
        except OSError:
            return original(module)

    uses_pyside._greendesk = True
    feature._mod_uses_pyside = uses_pyside
    # the standard library's modules never mention PySide6: their answer (-1) is known without asking
    answers = getattr(feature, "pyside_feature_dict", None)
    if isinstance(answers, dict):
        stdlib = sys.stdlib_module_names
        for name in list(sys.modules):
            if name.partition(".")[0] in stdlib:
                answers.setdefault(name, -1)
    return True


def run(path=None, *, exit_when_ready: bool = False, screenshot=None, headless: bool = False) -> int:
    paused = gc.isenabled()
    gc.disable()
    try:
        preload_core()
        quicken_pyside_import_hook()
        from greendesk.ui import app

        if headless:
            from greendesk.ui import errors

            errors.set_headless(True)
        return app.run(path, exit_when_ready=exit_when_ready, screenshot=screenshot)
    finally:
        if paused and not gc.isenabled():
            gc.enable()
