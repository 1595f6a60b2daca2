import pickle

import pytest

from greendesk.core import datacache
from greendesk.core.schemes.loader import SchemeError, read_yaml


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def counting(calls):
    def parse(text):
        calls.append(text)
        return {"n": len(text)}
    return parse


def test_second_parse_of_same_text_comes_from_cache(cache):
    calls = []
    parse = counting(calls)
    assert datacache.parsed("abc", parse, "t") == {"n": 3}
    assert datacache.parsed("abc", parse, "t") == {"n": 3}
    assert calls == ["abc"]
    assert datacache.parsed("abcd", parse, "t") == {"n": 4}  # changed text: parsed again
    assert datacache.parsed("abc", parse, "t", extra="other.yaml") == {"n": 3}  # other file name
    assert calls == ["abc", "abcd", "abc"]


def test_corrupt_cache_file_is_parsed_again(cache):
    calls = []
    parse = counting(calls)
    datacache.parsed("abc", parse, "t")
    for f in cache.iterdir():
        f.write_bytes(b"not a pickle")
    assert datacache.parsed("abc", parse, "t") == {"n": 3}
    assert len(calls) == 2


def test_unwritable_cache_and_disabled_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(blocker / "sub"))  # cannot be created
    calls = []
    assert datacache.parsed("abc", counting(calls), "t") == {"n": 3}
    monkeypatch.setenv("GREENDESK_CACHE_DIR", "")
    datacache.parsed("abc", counting(calls), "t")
    datacache.parsed("abc", counting(calls), "t")
    assert len(calls) == 3


def test_parse_errors_are_not_cached(cache):
    bad = "a: 1\nb: [unclosed\n"
    for _ in range(2):
        with pytest.raises(SchemeError):
            read_yaml(bad, "bad.yaml")
    assert not cache.exists() or not list(cache.iterdir())


def test_cached_scheme_tree_keeps_files_and_lines(cache):
    text = "id: x\nsections:\n  - id: s1\n    title: {zh: 一, en: One}\n  - id: s2\n"
    fresh = read_yaml(text, "f.yaml")
    again = read_yaml(text, "f.yaml")
    assert len(list(cache.iterdir())) == 1
    assert again == fresh and again is not fresh
    assert (again.file, again.line_of("sections")) == ("f.yaml", 2)
    assert again["sections"].item_lines == [3, 5]
    assert again["sections"][1].line_of("id") == 5 and again["sections"][0]["title"].file == "f.yaml"
    assert pickle.loads(pickle.dumps(fresh)) == fresh


def test_bundled_scheme_loads_the_same_from_cache(cache, run_cli):
    first = run_cli("scheme-show", "gbt36132-2018", "--json", env={"GREENDESK_CACHE_DIR": str(cache)})
    assert first.returncode == 0 and any(p.name.startswith("scheme-") for p in cache.iterdir())
    second = run_cli("scheme-show", "gbt36132-2018", "--json", env={"GREENDESK_CACHE_DIR": str(cache)})
    assert second.stdout == first.stdout


def test_a_data_file_asked_again_is_not_read_again_and_each_caller_gets_its_own_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_CACHE_DIR", "")  # the on-disk cache off: only the in-process memo is left
    f = tmp_path / "d.yaml"
    f.write_text("a: [1, 2]\n", encoding="utf-8")
    reads = []
    real = type(f).read_text
    monkeypatch.setattr(type(f), "read_text", lambda self, *a, **k: reads.append(self) or real(self, *a, **k))
    first = datacache.load_yaml(f, "memo-test")
    first["a"].append(3)  # a caller changing its copy changes nobody else's
    assert datacache.load_yaml(f, "memo-test") == {"a": [1, 2]}
    assert reads == [f]
    f.write_text("a: [1, 2, 3, 4]\n", encoding="utf-8")  # changed (size and time): read again
    assert datacache.load_yaml(f, "memo-test") == {"a": [1, 2, 3, 4]}
    assert reads == [f, f]


def test_no_home_folder_means_no_cache_not_a_failure(monkeypatch):
    from pathlib import Path

    monkeypatch.delenv("GREENDESK_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert datacache.cache_dir() is None
    assert datacache.parsed("a: 1\n", datacache._safe_load, "t") == {"a": 1}
