"""The 申报表 rows: the platform's columns for both shipped schemes and a profile, the evidence
attached to each row, and the .xlsx read back (cells, print settings)."""

from __future__ import annotations

import pytest

from greendesk.core.declaration.table import COLUMNS, declaration_table, row_text
from greendesk.core.declaration.workbook import write_workbook
from greendesk.core.workspace import Workspace

PROFILE = {"name": "测试厂", "uscc": "91350100M000100Y43"}


def _row(doc, iid):
    return next(r for r in doc["rows"] if r["id"] == iid)


def test_demo_rows_2025(demo_path):
    with Workspace.open(demo_path) as ws:
        aid = ws.assessment()["id"]
        ws.add_evidence(aid, b"%PDF-1.4 calc", name="能耗计算表.pdf", item_id="energy_intensity")
        ws.add_evidence(aid, b"%PDF-1.4 ww", name="监测报告.pdf", item_id="wastewater_concentration.pollutants")
        doc = declaration_table(ws, lang="zh")
    assert [c["zh"] for c in doc["columns"]][:3] == ["一级指标", "序号", "二级/三级指标"]
    assert len(doc["rows"]) == 22 and doc["factory"] == "重庆渝锐精密压铸有限公司" and doc["year"] == 2025
    e = _row(doc, "energy_intensity")
    assert (e["level1"], e["code"], e["type"], e["points"], e["unit"]) == ("能源低碳化", "1", "逆向定量", 11, "kgce/万元")
    assert e["leading_text"] == e["baseline_text"] == "/"            # no sourced benchmark: said, not invented
    assert e["value"] == pytest.approx(3591.12262 * 1000 / 65300) and e["value_text"] == "54.99"
    assert e["calculation_text"].endswith("= 54.99 kgce/万元")
    assert [f["name"] for f in e["evidence_files"]] == ["能耗计算表.pdf"]
    assert e["evidence_certainty"] == "secondary" and "计算表" in e["evidence_text"] and "二手来源" in e["evidence_text"]
    # a file attached to a field of the row counts for the row
    assert [f["name"] for f in _row(doc, "wastewater_concentration")["evidence_files"]] == ["监测报告.pdf"]
    p = _row(doc, "platform_functions")
    assert (p["type"], p["leading"], p["baseline"], p["value"]) == ("正向定量", 8, 0, 5)
    assert _row(doc, "green_design")["type"] == "定性" and _row(doc, "green_design")["calculation"] is None
    na = _row(doc, "energy_saving_products")
    assert (na["applicable"], na["applicable_text"], na["value_text"]) == (False, "否", "不适用")
    assert "energy_intensity" not in doc["missing_evidence"] and "carbon_intensity" in doc["missing_evidence"]
    assert "energy_saving_products" not in doc["missing_evidence"]
    assert len(doc["general_evidence"]) == 3                         # the demo's files not tied to a row
    text = row_text(e, "zh").splitlines()
    assert len(text) == len(COLUMNS) and text[0] == "一级指标：能源低碳化" and text[6] == "引领值（标杆值）：/"


@pytest.mark.parametrize("scheme_id", ["gbt36132-2018", "ningbo-2023"])
def test_2018_scheme_and_profile(tmp_path, scheme_id):
    with Workspace.create(tmp_path / "f.greendesk", PROFILE) as ws:
        aid = ws.create_assessment(scheme_id, "1", 2025)
        ws.set_answers(aid, {"common.site_area_m2": 50000, "plot_ratio.floor_area_m2": 60000,
                             "compliance.legal": "yes"})
        doc = declaration_table(ws, lang="en")
    pr = _row(doc, "plot_ratio")
    assert pr["value"] == pytest.approx(1.2) and pr["type"] == "quantitative, higher is better"
    assert pr["calculation_text"] == "Plot ratio = 60,000 m2 ÷ 50,000 m2 = 1.2"
    assert pr["evidence_certainty"] == "uncertain" and "⚠ uncertain" in pr["evidence_text"]
    assert _row(doc, "building")["type"] == "qualitative" and _row(doc, "building")["calculation_text"] == "/"
    from greendesk.core.schemes.registry import get_scheme

    scheme = get_scheme(scheme_id)
    assert [r["level1"] for r in doc["rows"]] == [s.name("en") for s in scheme.sections for _ in s.indicators]
    if scheme_id == "ningbo-2023":
        assert _row(doc, "ningbo_direct_recognition")["evidence_certainty"] == "uncertain"


def test_workbook_cells_and_print_settings(demo_path, tmp_path):
    import openpyxl

    with Workspace.open(demo_path) as ws:
        doc = declaration_table(ws, lang="zh")
    out = write_workbook(doc, tmp_path / "申报表.xlsx", lang="zh")
    wb = openpyxl.load_workbook(out)
    ws = wb["申报表"]
    assert [c.value for c in ws[3]] == [zh for _k, zh, _en in COLUMNS]
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "D4"
    ps = ws.page_setup
    assert (ps.orientation, str(ps.paperSize), ps.fitToWidth, ps.fitToHeight) == ("landscape", "9", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    rows = {r[1].value: r for r in ws.iter_rows(min_row=4, max_row=3 + len(doc["rows"]))}
    e = rows["1"]
    assert e[9].value == pytest.approx(54.994221, abs=1e-6) and e[9].number_format == "#,##0.00"
    assert e[13].value.startswith("综合能源消费量") and e[13].alignment.wrap_text
    assert e[12].fill.fgColor.rgb.endswith("FCE4D6")                # value but no evidence: orange
    assert rows["4"][6].value == 8 and rows["4"][7].value == 0          # numbers stay numbers
    det = wb["计算过程明细"]
    lines = [[c.value for c in r] for r in det.iter_rows(min_row=2)]
    elec = next(r for r in lines if r[0] == "1" and r[2].strip() == "电力（外购电）")
    assert elec[3] == 18_900_000 and elec[4] == "kWh"
    fac = lines[lines.index(elec) + 1]
    assert fac[3] == 0.1229 and fac[5] == "因子" and fac[7] == "confirmed" and "GB/T 2589" in fac[6]
