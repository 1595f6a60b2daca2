"""greendesk declaration-table: JSON, .xlsx, language, and the refusals."""

from __future__ import annotations

import json


def test_declaration_table_json_and_xlsx(run_cli, demo_path, tmp_path):
    r = run_cli("declaration-table", demo_path, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    e = next(x for x in doc["rows"] if x["id"] == "energy_intensity")
    assert e["type"] == "quantitative, lower is better" and round(e["value"], 2) == 54.99
    assert e["calculation"]["inputs"][0]["imports"][0]["file"] == "2025年能源月报.xlsx"
    out = tmp_path / "申报表.xlsx"
    r = run_cli("declaration-table", demo_path, "--out", out, "--lang", "zh", lang="en")
    assert r.returncode == 0, r.stderr and out.exists()
    assert "22 rows" in r.stdout                                       # messages follow GREENDESK_LANG
    import openpyxl

    assert openpyxl.load_workbook(out).sheetnames == ["申报表", "计算过程明细"]   # the table follows --lang
    zh = run_cli("declaration-table", demo_path, lang="zh").stdout
    assert "能源消耗强度  [逆向定量]  54.99 kgce/万元" in zh


def test_declaration_table_refusals(run_cli, demo_path, tmp_path):
    r = run_cli("declaration-table", demo_path, "--out", tmp_path / "t.csv")
    assert r.returncode == 1 and ".xlsx" in r.stderr
    r = run_cli("declaration-table", tmp_path / "none.greendesk")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    score = json.loads(run_cli("score", demo_path, "--json").stdout)
    rows = {x["id"]: x for x in score["indicators"]}
    assert rows["green_design"]["calculation"] is None and rows["water_reuse"]["calculation"]["result"]["unit"] == "%"
