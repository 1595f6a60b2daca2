"""greendesk annual-return and check-years as subprocesses, on the three-year workspace."""

from __future__ import annotations

import json

import pytest

from tests.core.annual import threeyears as T


@pytest.fixture
def three_path(tmp_path):
    ws, _ = T.build(tmp_path / "three.greendesk", listing_year=None)
    ws.close()
    return tmp_path / "three.greendesk"


def test_listing_year_then_the_return_as_json_and_xlsx(run_cli, three_path, tmp_path):
    r = run_cli("annual-return", three_path, "--listing-year", "2023")
    assert r.returncode == 0, r.stderr
    assert "2023" in r.stdout
    out = tmp_path / "动态管理表.xlsx"
    r = run_cli("annual-return", three_path, "--year", "2025", "--out", out, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["listing_year"] == 2023 and doc["years"] == [2023, 2024, 2025]
    rows = {x["id"]: x for x in doc["rows"]}
    assert rows["energy_per_output"]["values"]["2025"]["value"] == pytest.approx(66.0132)
    assert doc["check"]["counts"]["flagged"] == 5
    from openpyxl import load_workbook

    sh = load_workbook(out).active
    assert sh.page_setup.orientation == "landscape"
    # the same figures in the workbook as in the JSON
    labels = {sh.cell(r, 2).value: r for r in range(5, 5 + len(doc["rows"]))}
    assert sh.cell(labels["Energy per output value (calorific value)"], 6).value == pytest.approx(66.0132)


def test_text_output_in_chinese(run_cli, three_path, tmp_path):
    out = tmp_path / "r.xlsx"
    r = run_cli("annual-return", three_path, "--out", out, lang="zh")
    assert r.returncode == 0, r.stderr
    assert "已写入" in r.stdout and "需关注 5 项" in r.stdout
    from openpyxl import load_workbook

    assert load_workbook(out).sheetnames == ["动态管理表", "三年核查", "逐年对比图"]
    r = run_cli("annual-return", three_path, lang="zh")
    assert r.returncode == 0 and "单位产值综合能耗" in r.stdout and "未设置" in r.stdout


def test_check_years_exit_0_with_findings(run_cli, three_path):
    r = run_cli("check-years", three_path, "--json")
    assert r.returncode == 0, r.stderr
    c = json.loads(r.stdout)
    f = {x["id"]: x for x in c["findings"]}
    assert f["energy_per_output"]["status"] == "flagged"
    assert [x["code"] for x in f["energy_per_output"]["reasons"]] == ["worsened_two_years"]
    assert "listing year is not set" in c["notes"][0]
    r = run_cli("check-years", three_path, lang="zh")
    assert r.returncode == 0 and "连续两年变差" in r.stdout and "建议：" in r.stdout


def test_input_problems_exit_1(run_cli, three_path, tmp_path):
    r = run_cli("check-years", tmp_path / "none.greendesk")
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    r = run_cli("annual-return", three_path, "--template", "atlantis")
    assert r.returncode == 1 and "national" in r.stderr
    r = run_cli("annual-return", three_path, "--out", tmp_path / "r.pdf")
    assert r.returncode == 1 and ".xlsx" in r.stderr
    assert not (tmp_path / "r.pdf").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: {zh: a, en: b}\nsource_notes: {zh: a, en: b}\nrows: []\n", encoding="utf-8")
    r = run_cli("check-years", three_path, "--template", bad)
    assert r.returncode == 1 and "bad.yaml:4" in r.stderr
    r = run_cli("annual-return", three_path, "--listing-year", "1800")
    assert r.returncode == 2


def test_a_year_without_assessment_is_reported_missing(run_cli, three_path):
    r = run_cli("annual-return", three_path, "--year", "2027", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert all(x["values"]["2027"]["value"] is None and x["values"]["2027"]["source"] == "missing" for x in doc["rows"])
    assert doc["check"]["counts"]["missing"] == len(doc["check"]["findings"]) - doc["check"]["counts"]["not_applicable"]
