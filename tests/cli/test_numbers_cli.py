"""The command line parses numbers as the app does (core.numbers) and prints only valid JSON."""

from __future__ import annotations

import io
import json
import math

import pytest

from greendesk.core.workspace import Workspace


def _strict(text: str):
    """json.loads that refuses NaN / Infinity (Python's own reader accepts them; JSON does not)."""
    def no(c):
        raise ValueError(f"not JSON: {c}")
    return json.loads(text, parse_constant=no)


def _answers(path):
    with Workspace.open(path, readonly=True) as ws:
        return ws.answers(ws.assessment()["id"])


@pytest.mark.parametrize(("text", "stored"), [("2,350 t", 2350), ("２３５０", 2350), ("23。5", 23.5), ("−0", 0),
                                              (" 2350\r\n", 2350)])
def test_answers_set_takes_numbers_as_typed(run_cli, demo_path, text, stored):
    p = run_cli("answers", demo_path, "--set", f"solid_waste_use.utilised_t={text}")
    assert p.returncode == 0, p.stderr
    assert _answers(demo_path)["solid_waste_use.utilised_t"] == stored


@pytest.mark.parametrize(("setting", "reason"), [
    ("upgrade_projects.count_3y=7.5", "is not a whole number"),
    ("upgrade_projects.count_3y=-3", "below the minimum 0"),
    ("solid_waste_use.utilised_t=2,350 kg", "unit kg is not this field's unit t"),
    ("solid_waste_use.utilised_t=1e308", "out of range"),
    ("solid_waste_use.utilised_t=-1e308", "out of range"),
    ("solid_waste_use.utilised_t=nan", "not a finite number"),
    ("solid_waste_use.utilised_t=2,35", "thousands separator"),
    ("carbon_intensity=1e308", "out of range"),          # a whole-indicator value
])
def test_answers_set_refuses_with_the_reason_and_changes_nothing(run_cli, demo_path, setting, reason):
    before = _answers(demo_path)
    p = run_cli("answers", demo_path, "--set", setting)
    assert p.returncode == 1, p.stdout + p.stderr
    assert reason in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    assert _answers(demo_path) == before


def test_answers_refusal_in_chinese(run_cli, demo_path):
    p = run_cli("answers", demo_path, "--set", "upgrade_projects.count_3y=7.5", lang="zh")
    assert p.returncode == 1 and "不是整数" in p.stderr


def test_benchmark_and_factor_values_as_typed(run_cli, demo_path):
    p = run_cli("benchmark", demo_path, "water_reuse", "--baseline", "８０", "--leading", "95。5", "--source", "test")
    assert p.returncode == 0, p.stderr
    with Workspace.open(demo_path, readonly=True) as ws:
        b = ws.benchmarks("gbt36132-2025")[0]
    assert (b["baseline"], b["leading"]) == (80, 95.5)
    p = run_cli("factor", demo_path, "co2.grid", "1e999", "--source", "test")
    assert p.returncode == 2 and "finite" in p.stderr
    p = run_cli("factor", demo_path, "co2.grid", "0,5", "--source", "test")
    assert p.returncode == 2 and "thousands separator" in p.stderr, p.stderr


@pytest.mark.parametrize("args", [("info",), ("score",), ("energy",), ("factors",), ("answers",)])
def test_every_json_output_is_strict_json(run_cli, demo_path, args):
    p = run_cli(args[0], demo_path, *args[1:], "--json")
    assert p.returncode == 0, p.stderr
    _strict(p.stdout)


def test_print_json_never_writes_nan_or_infinity(monkeypatch):
    from greendesk.cli import common

    out = io.StringIO()
    monkeypatch.setattr(common.sys, "stdout", out)
    common.print_json({"a": math.nan, "b": [math.inf, -math.inf, 1.5], "c": ("x", {"d": math.nan}), "e": "中"})
    assert _strict(out.getvalue()) == {"a": None, "b": [None, None, 1.5], "c": ["x", {"d": None}], "e": "中"}
    assert "中" in out.getvalue()
