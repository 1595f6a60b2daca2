"""The built scheme kept between runs (greendesk.core.schemes.built): read back when the file, its bases and the
program are unchanged; built again when any of them changed or the entry is damaged."""

from __future__ import annotations

import pickle

import pytest

from greendesk.core import expr
from greendesk.core.paths import forms_dir
from greendesk.core.schemes import registry


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(folder))
    registry.clear_cache()
    yield folder
    registry.clear_cache()


def _entries(folder):
    return sorted(folder.glob("built-scheme-*.pickle"))


def _no_building(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("built again")

    monkeypatch.setattr(registry, "build_scheme", refuse)


def test_read_back_unchanged(cache, monkeypatch):
    first = registry.get_scheme("gbt36132-2025")
    assert len(_entries(cache)) == 1
    registry.clear_cache()
    _no_building(monkeypatch)
    again = registry.get_scheme("gbt36132-2025")
    assert again == first and again is not first
    assert again.fields_by_id.keys() == first.fields_by_id.keys()
    # the expressions work again: the same answers score the same under both
    from greendesk.core.schemes.scoring import evaluate

    answers = {"common.site_area_m2": 86000, "common.output_value_10k_yuan": 65300}
    assert evaluate(again, answers) == evaluate(first, answers)
    assert any(isinstance(f.relevant or f.constraint or f.calculation, expr.Expr)
               for f in again.fields_by_id.values())


def _bundled_as(scheme_id: str, new_id: str) -> str:
    """A bundled scheme file's text under another id (a scheme of one's own, for GREENDESK_SCHEME_PATH)."""
    return (forms_dir() / f"{scheme_id}.yaml").read_text(encoding="utf-8").replace(f"id: {scheme_id}",
                                                                                   f"id: {new_id}", 1)


@pytest.fixture
def own_schemes(tmp_path, monkeypatch):
    """A folder of schemes of one's own; write files there, then ``registry.clear_cache()``."""
    d = tmp_path / "schemes"
    d.mkdir()
    monkeypatch.setenv("GREENDESK_SCHEME_PATH", str(d))
    return d


def test_a_changed_base_is_built_again(cache, own_schemes):
    base = _bundled_as("gbt36132-2018", "test-base")
    (own_schemes / "base.yaml").write_text(base, encoding="utf-8")
    (own_schemes / "prof.yaml").write_text(
        _bundled_as("ningbo-2023", "test-prof").replace("base: gbt36132-2018", "base: test-base", 1), encoding="utf-8")
    registry.clear_cache()
    assert registry.get_scheme("test-prof").sections[0].title["zh"] == "基本要求"
    registry.clear_cache()
    (own_schemes / "base.yaml").write_text(base.replace('title: {zh: "基本要求"', 'title: {zh: "改过的基本要求"', 1),
                                           encoding="utf-8")
    assert registry.get_scheme("test-prof").sections[0].title["zh"] == "改过的基本要求"


def test_a_base_found_in_another_file_is_another_base(cache, own_schemes, tmp_path, monkeypatch):
    import os

    (own_schemes / "base.yaml").write_text(_bundled_as("gbt36132-2018", "test-base"), encoding="utf-8")
    (own_schemes / "prof.yaml").write_text(
        _bundled_as("ningbo-2023", "test-prof").replace("base: gbt36132-2018", "base: test-base", 1), encoding="utf-8")
    registry.clear_cache()
    assert registry.get_scheme("test-prof").sections[0].title["zh"] == "基本要求"
    # a folder searched first now has a scheme of the same id: the base is that file (the old one is unchanged)
    other = tmp_path / "other"
    other.mkdir()
    (other / "base.yaml").write_text(_bundled_as("gbt36132-2018", "test-base").replace(
        'title: {zh: "基本要求"', 'title: {zh: "另一个基础方案"', 1), encoding="utf-8")
    monkeypatch.setenv("GREENDESK_SCHEME_PATH", f"{other}{os.pathsep}{own_schemes}")
    registry.clear_cache()
    assert registry.get_scheme("test-prof").sections[0].title["zh"] == "另一个基础方案"


def test_a_changed_file_is_built_again(cache, own_schemes):
    text = _bundled_as("gbt36132-2018", "test-own")
    (own_schemes / "own.yaml").write_text(text, encoding="utf-8")
    registry.clear_cache()
    registry.get_scheme("test-own")
    registry.clear_cache()
    (own_schemes / "own.yaml").write_text(text.replace("2018 版国标", "本地副本", 1), encoding="utf-8")
    assert "本地副本" in registry.get_scheme("test-own").description["zh"]


def test_a_damaged_entry_is_built_again_and_replaced(cache):
    first = registry.get_scheme("gbt36132-2025")
    (entry,) = _entries(cache)
    entry.write_bytes(b"\x80\x05not a pickle")
    registry.clear_cache()
    assert registry.get_scheme("gbt36132-2025") == first
    bases, scheme = pickle.loads(entry.read_bytes())
    assert bases == [] and scheme == first


def test_another_program_does_not_read_it(cache, monkeypatch):
    registry.get_scheme("gbt36132-2025")
    registry.clear_cache()
    from greendesk.core.schemes import built

    monkeypatch.setattr(built, "code_stamp", lambda: "another GreenDesk")
    registry.get_scheme("gbt36132-2025")
    assert len(_entries(cache)) == 2


def test_an_expression_pickles_as_its_text():
    e = expr.parse("${a} * 2 + max(${b}, 1)")
    back = pickle.loads(pickle.dumps(e))
    assert back == e and back.refs == e.refs
    assert back.evaluate({"a": 3, "b": 0.5}) == e.evaluate({"a": 3, "b": 0.5}) == 7
