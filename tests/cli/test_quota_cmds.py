"""greendesk quota list|show|add|remove|use: values stored with their source, applied as 基准值/引领值."""

import json

import pytest


@pytest.fixture
def ws18(tmp_path, run_cli):
    p = tmp_path / "f.greendesk"
    r = run_cli("init", p, "--name", "测试厂", "--uscc", "91350100M000100Y43", "--industry", "C3392", "--year", "2025",
                "--scheme", "gbt36132-2018")
    assert r.returncode == 0, r.stderr
    return p


def test_list_marks_missing_values(demo_path, run_cli):
    r = run_cli("quota", "list", demo_path, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    fa = next(q for q in d["quotas"] if q["id"] == "ferroalloy")
    assert fa["grade1"] is None and fa["certainty"] == "uncertain" and not fa["usable"] and fa["source"]
    assert "⚠" in run_cli("quota", "list", demo_path).stdout


def test_add_use_show_remove(ws18, run_cli):
    r = run_cli("quota", "add", ws18, "ferroalloy", "--grade1", "800", "--grade2", "900", "--source",
                "GB 21341-2023 表 1", "--by", "评价员", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["quota"]["set_by"] == "评价员"
    r = run_cli("quota", "use", ws18, "ferroalloy", "--json")
    assert r.returncode == 0, r.stderr
    (b,) = json.loads(r.stdout)["applied"]["benchmarks"]
    assert (b["indicator"], b["baseline"], b["leading"]) == ("energy_per_product", 900, 800)
    s = json.loads(run_cli("quota", "show", ws18, "ferroalloy", "--json").stdout)
    assert (s["grade1"], s["grade2"], s["origin"], s["source"]) == (800, 900, "workspace", "GB 21341-2023 表 1")
    r = run_cli("answers", ws18, "--set", "common.energy_tce=850", "--set", "common.output_quantity=1000")
    assert r.returncode == 0, r.stderr
    sc = json.loads(run_cli("score", ws18, "--json").stdout)
    ind = next(i for i in sc["indicators"] if i["id"] == "energy_per_product")
    # 850 kgce/t between 基准值 900 and 引领值 800: half the points, the quota named as the benchmarks' source
    assert ind["score"] == pytest.approx(ind["max"] / 2)
    assert "GB 21341" in ind["benchmark_source"] and "quota:ferroalloy" in ind["benchmark_source"]
    r = run_cli("quota", "remove", ws18, "ferroalloy", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["applied"]["benchmarks"] == [
        {"indicator": "energy_per_product", "cleared": True}]


@pytest.mark.parametrize("args,msg", [
    (["add", "ferroalloy", "--grade1", "900", "--grade2", "800", "--source", "x"], "cannot exceed"),
    (["add", "new-one", "--grade1", "1", "--grade2", "2", "--source", "x"], "product"),
    (["use", "nonesuch"], "No quota entry"),
    (["remove", "methanol_coke_oven_gas"], "bundled entry"),
    (["show", "nonesuch"], "No quota entry"),
])
def test_errors_are_one_line_and_change_nothing(ws18, run_cli, args, msg):
    r = run_cli("quota", args[0], ws18, *args[1:])
    assert r.returncode == 1 and msg in r.stderr and "Traceback" not in r.stderr
    assert json.loads(run_cli("quota", "list", ws18, "--json").stdout)["used"] == []
