"""greendesk.ui.startup: while PySide6 is imported, shiboken's support modules come from the code cache,
compiled exactly as shiboken's own zip importer compiles them; every other compile() is left as it was."""

from __future__ import annotations

import ast
import builtins
import os
import subprocess
import sys
from pathlib import Path

import pytest

from greendesk.core import codecache
from greendesk.ui import startup

SRC = "def f(x: int) -> int:\n    return x\n"

# shiboken's importer runs in a module compiled with ``from __future__ import annotations``, so every
# compile() it makes inherits that flag; this stands in for it
IMPORTER = "from __future__ import annotations\ndef exec_module(source, filename):\n    return compile(source, filename, 'exec')\n"
PLAIN_CALLER = "def call(source, filename, mode, **kw):\n    return compile(source, filename, mode, **kw)\n"


def _caller(text: str, name: str, real):
    ns = {"__builtins__": dict(vars(builtins), compile=startup._compile_for_import(real))}
    exec(compile(text, "<caller>", "exec", dont_inherit=True), ns)  # noqa: S102
    return ns[name]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _annotations(code) -> dict:
    ns: dict = {}
    exec(code, ns)  # noqa: S102
    return ns["f"].__annotations__


def test_shiboken_module_is_cached_with_the_importers_future_flags(cache):
    calls = []

    def real(*a, **k):
        calls.append(a)
        return compile(*a, **k)

    exec_module = _caller(IMPORTER, "exec_module", real)
    code = exec_module(SRC.encode(), "shibokensupport/signature/loader.py")
    # the same code shiboken's own call makes: annotations stay strings, as under the inherited future
    assert _annotations(code) == {"x": "int", "return": "int"}
    assert code == compile(SRC, "shibokensupport/signature/loader.py", "exec",
                           __import__("__future__").annotations.compiler_flag, dont_inherit=True)
    assert calls == []  # compiled by the cache, not passed on
    assert len(list(cache.glob("code-*.marshal"))) == 1
    assert exec_module(SRC.encode(), "shibokensupport/signature/loader.py") == code


def test_other_calls_are_passed_on_with_their_callers_flags(cache):
    calls = []

    def real(*a, **k):
        calls.append(a[1])
        return compile(*a, **k)

    exec_module = _caller(IMPORTER, "exec_module", real)
    code = exec_module(SRC, "mine.py")  # not shiboken's: compiled as asked, the caller's future applied
    assert _annotations(code) == {"x": "int", "return": "int"}
    call = _caller(PLAIN_CALLER, "call", real)
    assert _annotations(call(SRC, "other.py", "exec")) == {"x": int, "return": int}  # no future: none added
    tree = call(SRC, "shibokensupport/x.py", "exec", flags=ast.PyCF_ONLY_AST)
    assert isinstance(tree, ast.Module)  # an AST asked for is an AST, never cached code
    assert call("1 + 1", "shibokensupport/x.py", "eval").co_filename == "shibokensupport/x.py"
    assert calls == ["mine.py", "other.py", "shibokensupport/x.py", "shibokensupport/x.py"]
    assert list(cache.glob("code-*.marshal")) == []


def test_a_cache_failure_falls_back_to_compiling(cache, monkeypatch):
    def broken(*_a, **_k):
        raise OSError("no cache today")

    monkeypatch.setattr(codecache, "compile_cached", broken)
    exec_module = _caller(IMPORTER, "exec_module", compile)
    assert _annotations(exec_module(SRC, "shibokensupport/feature.py")) == {"x": "int", "return": "int"}
    with pytest.raises(SyntaxError):
        exec_module("def (:", "shibokensupport/feature.py")


CHILD = """
import sys
from greendesk.core import codecache
real = codecache._compile
compiled = []
def counting(source, filename, *a, **k):
    compiled.append(filename)
    return real(source, filename, *a, **k)
codecache._compile = counting
real_re = codecache._re_compile
patterns = []
def counting_re(pattern, *a, **k):
    patterns.append(len(pattern))
    return real_re(pattern, *a, **k)
codecache._re_compile = counting_re
from greendesk.ui import startup
startup.import_pyside()
import builtins
assert builtins.compile is real, "compile() put back"
from PySide6.QtCore import QObject, Qt
try:  # the message is made by shiboken's signature loader and error handler (from the cached code)
    QObject().setObjectName(5)
except TypeError as e:
    sig = str(e).splitlines()[-1].strip()
print(len([f for f in compiled if f.startswith("shibokensupport/")]), len(patterns), sig.replace(" ", ""),
      Qt.AlignmentFlag.AlignLeft.name)
"""


@pytest.mark.gui
def test_pyside_imports_from_the_cache_in_a_new_process(tmp_path):
    env = dict(os.environ, GREENDESK_CACHE_DIR=str(tmp_path / "cache"), QT_QPA_PLATFORM="offscreen")
    outs = []
    for _run in range(2):
        p = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr[-2000:]
        outs.append(p.stdout.split())
    first, second = outs
    assert int(first[0]) >= 10 and int(first[1]) >= 1  # shiboken's support package and long patterns, once ...
    assert int(second[0]) == 0 and int(second[1]) == 0  # ... and read from the cache the next time
    assert first[2:] == second[2:] == ["PySide6.QtCore.QObject.setObjectName(name:str,/)", "AlignLeft"]


def test_long_patterns_are_cached_while_pyside_is_imported(cache, monkeypatch):
    import re

    seen = []

    def real(pattern, flags=0):
        seen.append(pattern)
        return re.compile(pattern, flags)

    compile_re = startup._regex_for_import(real)
    long = "|".join(f"name{i}" for i in range(400))
    assert len(long) >= startup.LONG_PATTERN
    assert compile_re("a+b", re.I) == re.compile("a+b", re.I) and seen == ["a+b"]  # short: as asked
    assert compile_re(long, re.VERBOSE) == re.compile(long, re.VERBOSE) and seen == ["a+b"]
    assert len(list(cache.glob("re-*.marshal"))) == 1

    def broken(*_a, **_k):
        raise OSError("no cache today")

    monkeypatch.setattr(codecache, "compile_regex", broken)
    assert startup._regex_for_import(real)(long) == re.compile(long) and seen[-1] == long


HOOK = Path(startup.__file__).with_name("frozen_hook.py")


def test_the_built_apps_run_time_hook_imports_pyside_the_apps_way(tmp_path):
    """build.spec runs greendesk/ui/frozen_hook.py before PyInstaller's PySide6 hook (which imports PySide6):
    run as a script, it imports PySide6 through the code cache."""
    spec = (Path(startup.__file__).parents[2] / "build.spec").read_text(encoding="utf-8")
    assert '"greendesk" / "ui" / "frozen_hook.py"' in spec and "runtime_hooks=" in spec
    code = ("import runpy, sys; runpy.run_path(sys.argv[1]); "
            "print('PySide6' in sys.modules, 'PySide6.QtCore' in sys.modules)")
    env = dict(os.environ, GREENDESK_CACHE_DIR=str(tmp_path / "cache"))
    p = subprocess.run([sys.executable, "-c", code, str(HOOK)], env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout.split() == ["True", "False"]  # PySide6 only: PyInstaller's hook imports QtCore after it
    assert len(list((tmp_path / "cache").glob("code-*.marshal"))) >= 10
    assert len(list((tmp_path / "cache").glob("re-*.marshal"))) >= 1


def test_the_run_time_hook_never_stops_a_start(monkeypatch):
    import runpy

    def broken():
        raise RuntimeError("no cache today")

    monkeypatch.setattr(startup, "import_pyside", broken)
    runpy.run_path(str(HOOK))  # nothing raised: PySide6 is then imported as usual
