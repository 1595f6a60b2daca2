"""greendesk finalize / reopen / imports / import-remove, and answers --set on a final assessment."""

from __future__ import annotations

import json

from greendesk.core.workspace import Workspace


def _answers(path):
    with Workspace.open(path, readonly=True) as ws:
        return ws.answers(ws.assessment()["id"]), ws.assessment()["status"]


def test_finalize_locks_answers_until_reopened(demo_path, run_cli):
    r = run_cli("finalize", demo_path, "--json", "--by", "张三")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["finalized"] is True and out["blocking"] == []
    before, status = _answers(demo_path)
    assert status == "final"
    r = run_cli("answers", demo_path, "--set", "common.site_area_m2=1")
    assert r.returncode == 1 and "final" in r.stderr and "Traceback" not in r.stderr
    assert _answers(demo_path) == (before, "final")
    r = run_cli("finalize", demo_path)
    assert r.returncode == 1 and "already final" in r.stderr
    r = run_cli("reopen", demo_path, "--reason", "")
    assert r.returncode == 1 and "reason" in r.stderr
    r = run_cli("reopen", demo_path, "--reason", "更正用地面积", "--json", lang="zh")
    assert r.returncode == 0, r.stderr
    ev = json.loads(r.stdout)
    assert ev["action"] == "reopen" and ev["reason"] == "更正用地面积" and ev["by"]
    r = run_cli("answers", demo_path, "--set", "common.site_area_m2=1")
    assert r.returncode == 0, r.stderr
    assert _answers(demo_path)[0]["common.site_area_m2"] == 1


def test_finalize_refused_lists_blocking_problems(demo_path, run_cli):
    assert run_cli("answers", demo_path, "--set", "negative_list.not_defaulter=否").returncode == 0
    r = run_cli("finalize", demo_path, lang="zh")
    assert r.returncode == 1
    assert "未定稿" in r.stderr and "未被列入严重失信主体名单" in r.stderr
    r = run_cli("finalize", demo_path, "--json")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["finalized"] is False and [p["kind"] for p in out["blocking"]] == ["commitment"]
    assert _answers(demo_path)[1] == "draft"


def test_imports_and_removal(demo_path, run_cli):
    r = run_cli("imports", demo_path, "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [x["readings"] for x in rows] == [48]
    r = run_cli("imports", demo_path, lang="zh")
    assert "2025年能源月报.xlsx" in r.stdout and "18,900,000 kWh" in r.stdout
    r = run_cli("import-remove", demo_path, str(rows[0]["id"]))
    assert r.returncode == 0 and "48" in r.stdout
    assert json.loads(run_cli("imports", demo_path, "--json").stdout) == []
    r = run_cli("import-remove", demo_path, str(rows[0]["id"]))
    assert r.returncode == 1 and "No meter import" in r.stderr


def test_production_and_benchmark_refused_on_final(demo_path, run_cli):
    assert run_cli("finalize", demo_path).returncode == 0
    with Workspace.open(demo_path, readonly=True) as ws:
        prod = ws.conn.execute("SELECT * FROM production ORDER BY 1, 2, 3").fetchall()
        bench = ws.conn.execute("SELECT * FROM benchmark_overrides").fetchall()
    r = run_cli("production", demo_path, "--year", "2025", "--output", "1", "--unit", "t")
    assert r.returncode == 1 and "final" in r.stderr
    r = run_cli("benchmark", demo_path, "water_reuse", "--baseline", "80", "--leading", "95", "--source", "x")
    assert r.returncode == 1 and "final" in r.stderr
    with Workspace.open(demo_path, readonly=True) as ws:
        assert ws.conn.execute("SELECT * FROM production ORDER BY 1, 2, 3").fetchall() == prod
        assert ws.conn.execute("SELECT * FROM benchmark_overrides").fetchall() == bench
