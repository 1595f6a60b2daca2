"""greendesk.core.codecache: compiled code kept between runs is the code compile() returns now, or nothing."""

from __future__ import annotations
import __future__

import pytest

from greendesk.core import codecache

SRC = "def f(x: int) -> int:\n    return x + 1\n"
ANNOTATIONS = __future__.annotations.compiler_flag


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(folder))
    return folder


def _files(folder):
    return sorted(folder.glob("code-*.marshal")) if folder.exists() else []


def _refuse_compiling(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("compiled again")

    monkeypatch.setattr(codecache, "_compile", refuse)


def test_equals_compile_and_is_served_from_the_file(cache, monkeypatch):
    first = codecache.compile_cached(SRC, "<t>")
    assert first == compile(SRC, "<t>", "exec", dont_inherit=True)
    assert len(_files(cache)) == 1
    _refuse_compiling(monkeypatch)
    again = codecache.compile_cached(SRC, "<t>")
    assert again == first
    ns: dict = {}
    exec(again, ns)  # noqa: S102
    assert ns["f"](1) == 2


def test_key_holds_source_file_name_and_flags(cache):
    codecache.compile_cached(SRC, "<t>")
    codecache.compile_cached(SRC + "\n", "<t>")
    codecache.compile_cached(SRC, "<u>")
    plain = codecache.compile_cached(SRC, "<t>", 0)
    lazy = codecache.compile_cached(SRC, "<t>", ANNOTATIONS)
    assert len(_files(cache)) == 4
    ns_plain: dict = {}
    ns_lazy: dict = {}
    exec(plain, ns_plain)  # noqa: S102
    exec(lazy, ns_lazy)  # noqa: S102
    assert ns_plain["f"].__annotations__ == {"x": int, "return": int}
    assert ns_lazy["f"].__annotations__ == {"x": "int", "return": "int"}  # the future flag was applied
    assert lazy.co_filename == "<t>"


def test_bytes_source_shares_the_entry_of_its_text(cache, monkeypatch):
    codecache.compile_cached(SRC, "<t>")
    _refuse_compiling(monkeypatch)
    assert codecache.compile_cached(SRC.encode(), "<t>") == compile(SRC, "<t>", "exec", dont_inherit=True)


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "garbage"])
def test_a_damaged_file_is_never_unmarshalled_and_is_written_again(cache, monkeypatch, damage):
    codecache.compile_cached(SRC, "<t>")
    (path,) = _files(cache)
    data = path.read_bytes()
    broken = {"flip": data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:], "truncate": data[: len(data) // 2],
              "empty": b"", "garbage": b"\x00" * 20 + b"\xff" * 40}[damage]
    path.write_bytes(broken)
    loads = []
    real_loads = codecache.marshal.loads
    monkeypatch.setattr(codecache.marshal, "loads", lambda b: loads.append(b) or real_loads(b))
    assert codecache.compile_cached(SRC, "<t>") == compile(SRC, "<t>", "exec", dont_inherit=True)
    assert loads == []  # the digest refused it before marshal saw it
    assert path.read_bytes() == data  # and the good entry is back


def test_a_syntax_error_is_raised_and_nothing_is_kept(cache):
    with pytest.raises(SyntaxError):
        codecache.compile_cached("def (:\n", "<bad>")
    assert _files(cache) == []


def test_no_home_folder_only_compiles(monkeypatch):
    from pathlib import Path

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    for var in ("GREENDESK_CACHE_DIR", "XDG_CACHE_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert codecache.compile_cached(SRC, "<t>") == compile(SRC, "<t>", "exec", dont_inherit=True)
    assert codecache.compile_regex(PATTERN, re.VERBOSE) == re.compile(PATTERN, re.VERBOSE)


def test_cache_off_or_unwritable_only_compiles(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_CACHE_DIR", "")
    assert codecache.compile_cached(SRC, "<t>") == compile(SRC, "<t>", "exec", dont_inherit=True)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(blocker / "cache"))
    assert codecache.compile_cached(SRC, "<t>") == compile(SRC, "<t>", "exec", dont_inherit=True)


# -- regular expressions ----------------------------------------------------------------------------------

import re  # noqa: E402

# like shiboken's: nested brackets, verbose, named and numbered groups
PATTERN = r"""
    (?P<name> \w+ (\.\w+)* )                  # a dotted name
    \s* \( (?P<args> ( [^()] | \( [^()]* \) )* ) \)   # its arguments, one level of brackets inside
    (\s* -> \s* (?P<ret> [\w.\[\], ]+ ))?     # an optional result
""" + "|" + "|".join(f"word{i}" for i in range(300))


def test_regex_equals_re_compile_and_is_served_from_the_file(cache, monkeypatch):
    first = codecache.compile_regex(PATTERN, re.VERBOSE)
    assert first == re.compile(PATTERN, re.VERBOSE)  # same flags and the same compiled program
    assert len(list(cache.glob("re-*.marshal"))) == 1

    def refuse(*_a, **_k):
        raise AssertionError("compiled again")

    monkeypatch.setattr(codecache, "_re_compile", refuse)
    again = codecache.compile_regex(PATTERN, re.VERBOSE)
    assert again == first and again.groupindex == first.groupindex and again.groups == first.groups
    m = again.match("QObject.setObjectName(name: str, parent (x)) -> None")
    assert m["name"] == "QObject.setObjectName" and m["args"] == "name: str, parent (x)" and m["ret"] == "None"
    assert again.fullmatch("word299") and not again.fullmatch("word300")


def test_regex_flags_are_part_of_the_key(cache):
    verbose = codecache.compile_regex(PATTERN, re.VERBOSE)
    both = codecache.compile_regex(PATTERN, re.VERBOSE | re.IGNORECASE)
    assert both == re.compile(PATTERN, re.VERBOSE | re.IGNORECASE) and both != verbose
    assert both.fullmatch("WORD7") and not verbose.fullmatch("WORD7")


@pytest.mark.parametrize("stored", ["bogus program", "not a tuple", "damaged"])
def test_a_bad_regex_entry_falls_back_to_re_compile(cache, stored):
    codecache.compile_regex(PATTERN, re.VERBOSE)
    (path,) = cache.glob("re-*.marshal")
    if stored == "damaged":
        path.write_bytes(path.read_bytes()[:-5])
    else:
        value = ((re.VERBOSE | re.UNICODE).value, [17, 99999, 3], 0, {}, (None,)) if stored == "bogus program" \
            else [1, 2, 3]
        codecache._write(path, value)  # a whole file (its digest matches) with a program _sre must refuse
    assert codecache.compile_regex(PATTERN, re.VERBOSE) == re.compile(PATTERN, re.VERBOSE)
