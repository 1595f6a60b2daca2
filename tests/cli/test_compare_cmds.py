"""``greendesk compare FILE --scheme OLD --scheme NEW [--json]`` (figures: see tests/core/schemes/test_compare.py)."""

from __future__ import annotations

import json

from tests.core.schemes.test_compare import NEW, OLD, make_2018


def test_compare_json_and_text(tmp_path, run_cli):
    path = make_2018(tmp_path / "old.greendesk")
    p = run_cli("compare", path, "--scheme", OLD, "--scheme", NEW, "--json")
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert [(s["id"], s["total"]) for s in r["schemes"]] == [(OLD, 69.25), (NEW, 3)]
    assert next(x for x in r["topics"] if x["id"] == "facilities")["delta"] == -18
    p = run_cli("compare", path, "--scheme", OLD, "--scheme", NEW)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "Re-benchmarking: gbt36132-2018 → gbt36132-2025" in out
    assert "gbt36132-2018: 69.25 / 100; not qualified (required (必选) lines not met (1)" in out
    assert "Change in score: -66.25 percentage points" in out
    assert "▼ Facilities, processes and retrofits" in out and "(-18)" in out
    assert "building_coefficient.footprint_m2) (related old answer building_density.footprint_m2 = 9000" in out
    zh = run_cli("compare", path, "--scheme", OLD, "--scheme", NEW, lang="zh").stdout
    assert "重新对标：gbt36132-2018 → gbt36132-2025" in zh and "基础设施、工艺与改造" in zh


def test_compare_needs_two_schemes(tmp_path, run_cli):
    path = make_2018(tmp_path / "old.greendesk")
    p = run_cli("compare", path, "--scheme", OLD)
    assert p.returncode == 1 and "Give --scheme twice (old, then new), not 1 time(s)." in p.stderr
    p = run_cli("compare", path, "--scheme", OLD, "--scheme", "nope")
    assert p.returncode == 1 and "nope" in p.stderr
    p = run_cli("compare", path)
    assert p.returncode == 2
