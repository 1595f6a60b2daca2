"""Numbers given on the command line must be finite: nan/inf are usage errors, never stored."""

import json

import pytest

from greendesk.core.workspace import Workspace


@pytest.mark.parametrize("bad", ["nan", "inf", "1e999", "NaN"])
def test_benchmark_refuses_non_finite_numbers(run_cli, demo_path, bad):
    p = run_cli("benchmark", demo_path, "water_reuse", "--baseline", bad, "--leading", "90")
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and "finite" in p.stderr
    with Workspace.open(demo_path, readonly=True) as ws:
        assert ws.benchmarks("gbt36132-2025") == []


@pytest.mark.parametrize("bad", ["nan", "inf"])
def test_factor_refuses_non_finite_numbers(run_cli, demo_path, bad):
    p = run_cli("factor", demo_path, "co2.grid", bad, "--source", "test")
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and "finite" in p.stderr
    e = json.loads(run_cli("energy", demo_path, "--json").stdout)
    assert e["grid_factor"]["value"] == pytest.approx(0.5306)


def test_production_refuses_non_finite_numbers(run_cli, demo_path):
    p = run_cli("production", demo_path, "--year", "2025", "--output", "100", "--value", "inf")
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and "finite" in p.stderr
