"""The annual return and the three-year check on a three-year workspace built through the core APIs."""

from __future__ import annotations

import pytest

from greendesk.core.annual.check import check_years
from greendesk.core.annual.returns import build_return, listing_year, set_listing_year
from greendesk.core.errors import UserError
from tests.core.annual import threeyears as T


@pytest.fixture
def three(tmp_path):
    ws, ids = T.build(tmp_path / "three.greendesk")
    yield ws, ids
    ws.close()


def _rows(doc):
    return {r["id"]: r for r in doc["rows"]}


def _gas_factor(ws) -> float:
    from greendesk.core.energy import factor_table

    return float(factor_table(ws)["co2.natural_gas"]["value"])


def test_figures_match_hand_computed_values(three):
    ws, _ = three
    doc = build_return(ws, 2025, lang="en")
    assert doc["years"] == [2023, 2024, 2025] and doc["listing_year"] == 2023
    rows = _rows(doc)
    gas = _gas_factor(ws)
    for y in (2023, 2024, 2025):
        v = lambda rid, y=y: rows[rid]["values"][str(y)]["value"]  # noqa: E731
        e = T.energy_tce(y)
        assert v("energy_tce_calorific") == pytest.approx(e, rel=1e-9)
        # 等价值: electricity at 0.300 kgce/kWh (GB/T 2589 equivalent value), gas unchanged
        assert v("energy_tce_equivalent") == pytest.approx(12 * T.ELECTRICITY[y] * 0.300 / 1000 + 12 * T.GAS[y] * 1.2143 / 1000,
                                                           rel=1e-9)
        assert v("energy_per_product") == pytest.approx(e * 1000 / T.OUTPUT_T, rel=1e-6)
        assert v("energy_per_output") == pytest.approx(e * 1000 / T.OUTPUT_WAN_YUAN, rel=1e-6)
        assert v("co2_t") == pytest.approx(T.co2_t(y, gas), rel=1e-6)
        assert v("co2_per_output") == pytest.approx(T.co2_t(y, gas) * 1000 / T.OUTPUT_WAN_YUAN, rel=1e-6)
        assert v("renewable_share") == 0.0           # ledgers with no renewables: a true zero
        assert v("fresh_water_m3") == 12 * T.WATER[y]
        assert v("water_per_output") == pytest.approx(12 * T.WATER[y] / T.OUTPUT_WAN_YUAN, rel=1e-6)
        assert v("water_reuse") == pytest.approx(T.REUSED_M3 / (T.REUSED_M3 + 12 * T.WATER[y]) * 100, rel=1e-6)
        assert v("solid_waste_t") == T.GENERATED_T
        assert v("solid_waste_use") == pytest.approx(T.UTILISED[y] / T.GENERATED_T * 100, rel=1e-6)
        assert v("wastewater_margin") == pytest.approx(80.0)
        assert v("output_value") == T.OUTPUT_WAN_YUAN
        assert v("product_quantity") == T.OUTPUT_T
    # the figures of the worked example, written out once
    assert rows["energy_tce_calorific"]["values"]["2023"]["value"] == pytest.approx(293.196)
    assert rows["energy_per_output"]["values"]["2025"]["value"] == pytest.approx(66.0132)
    assert rows["energy_per_product"]["unit"] == "kgce/t"


def test_sources_are_named(three):
    ws, _ = three
    rows = _rows(build_return(ws, 2025, lang="en"))
    src = {rid: r["values"]["2025"]["source"] for rid, r in rows.items()}
    assert src["energy_tce_calorific"] == "ledger"
    assert "2025年能源月报.csv" in rows["energy_tce_calorific"]["values"]["2025"]["detail"]
    assert src["co2_t"] == "factor"
    assert src["solid_waste_t"] == "answer"
    assert src["energy_per_output"] == "computed"
    assert src["output_value"] == "ledger"
    assert src["waste_gas_margin"] == "missing"
    assert rows["waste_gas_margin"]["values"]["2025"].get("not_applicable") is True
    assert "energy_tce_calorific" in rows and "renewable_tce" not in rows     # helper rows are not printed


def test_an_entered_answer_wins_over_the_ledger_as_in_the_score(three):
    ws, ids = three
    ws.set_answer(ids[2025], "common.energy_tce", 300.0)
    rows = _rows(build_return(ws, 2025, lang="en"))
    cell = rows["energy_tce_calorific"]["values"]["2025"]
    assert cell["value"] == 300.0 and cell["source"] == "answer"
    assert rows["energy_per_output"]["values"]["2025"]["value"] == pytest.approx(300.0 * 1000 / T.OUTPUT_WAN_YUAN)
    assert rows["energy_tce_calorific"]["values"]["2024"]["source"] == "ledger"


def test_change_against_previous_year(three):
    ws, _ = three
    rows = _rows(build_return(ws, 2025, lang="en"))
    ch = rows["energy_per_output"]["change"]
    assert ch["abs"] == pytest.approx(66.0132 - 61.5888)
    assert ch["pct"] == pytest.approx((66.0132 - 61.5888) / 61.5888 * 100, abs=0.01)
    assert ch["judgement"] == "worse"
    assert rows["water_per_output"]["change"]["judgement"] == "better"
    assert rows["wastewater_margin"]["change"]["judgement"] == "same"
    assert rows["output_value"]["change"]["judgement"] is None        # a total is not judged
    assert rows["energy_tce_calorific"]["change_since_listing"]["abs"] == pytest.approx(T.energy_tce(2025)
                                                                                       - T.energy_tce(2023))


def test_slipping_indicators_are_flagged_with_what_to_do(three):
    ws, _ = three
    chk = check_years(ws, 2025, lang="en")
    f = {x["id"]: x for x in chk["findings"]}
    assert f["energy_per_output"]["status"] == "flagged"
    codes = [r["code"] for r in f["energy_per_output"]["reasons"]]
    assert codes == ["worsened_two_years", "worse_than_listing"]
    assert "58.64" in f["energy_per_output"]["reasons"][0]["message"]
    assert "66.01" in f["energy_per_output"]["reasons"][0]["message"]
    assert f["energy_per_output"]["reasons"][0]["action"]
    assert f["solid_waste_use"]["status"] == "flagged"
    for ok in ("water_per_output", "water_reuse", "wastewater_margin", "renewable_share"):
        assert f[ok]["status"] == "ok", ok
    assert f["waste_gas_margin"]["status"] == "not_applicable"
    assert chk["counts"] == {"flagged": 5, "missing": 0, "ok": 4, "not_applicable": 1}
    zh = check_years(ws, 2025, lang="zh")
    assert "连续两年变差" in next(x for x in zh["findings"] if x["id"] == "energy_per_output")["reasons"][0]["message"]


def test_one_bad_year_is_not_a_trend(tmp_path):
    ws, ids = T.build(tmp_path / "t.greendesk", listing_year=None)
    try:
        # 2025 back to the 2023 level of solid-waste use: worse in 2024 only, better in 2025
        ws.set_answer(ids[2025], "solid_waste_use.utilised_t", 450.0)
        f = {x["id"]: x for x in check_years(ws, 2025, lang="en")["findings"]}
        assert f["solid_waste_use"]["trend"] == ["worse", "better"]
        assert f["solid_waste_use"]["status"] == "ok"
        assert f["energy_per_output"]["status"] == "flagged"
        assert [r["code"] for r in f["energy_per_output"]["reasons"]] == ["worsened_two_years"]
    finally:
        ws.close()


def test_below_the_baseline_is_flagged(three):
    ws, _ = three
    # a 基准值 of 60 kgce/万元 entered by the evaluator: 2025 (66.01) is worse; 2023 would not be
    ws.set_benchmark(T.SCHEME, "energy_intensity", 60.0, 40.0, source="test sector value")
    ws.set_benchmark(T.SCHEME, "water_reuse", 85.0, 95.0, source="test sector value")
    chk = check_years(ws, 2025, lang="en")
    f = {x["id"]: x for x in chk["findings"]}
    assert f["energy_per_output"]["baseline"] == 60.0
    assert "worse_than_baseline" in [r["code"] for r in f["energy_per_output"]["reasons"]]
    # water reuse improves every year but stays under its 基准值 of 85 %
    assert [r["code"] for r in f["water_reuse"]["reasons"]] == ["worse_than_baseline"]
    assert f["water_reuse"]["status"] == "flagged"
    # 2023 (58.64) earns part of the 11 energy-intensity points, 2025 (66.01) none: the total fell below listing
    sc = chk["score"]
    assert sc["totals"]["2023"] > sc["totals"]["2025"]
    assert sc["status"] == "flagged" and sc["reasons"][0]["code"] == "score_below_listing"


def test_a_missing_year_is_missing_not_zero(tmp_path):
    ws, ids = T.build(tmp_path / "gap.greendesk", skip_data=(2024,))
    try:
        doc = build_return(ws, 2025, lang="en")
        rows = _rows(doc)
        for rid in ("energy_tce_calorific", "energy_per_output", "co2_t", "fresh_water_m3", "output_value",
                    "product_quantity", "renewable_share"):
            cell = rows[rid]["values"]["2024"]
            assert cell["value"] is None and cell["source"] == "missing", rid
        assert rows["energy_tce_calorific"]["values"]["2025"]["value"] == pytest.approx(T.energy_tce(2025))
        assert rows["energy_tce_calorific"]["change"] == {"abs": None, "pct": None, "judgement": None}
        # 2024 carried the 2023 answers over and nobody confirmed them: shown, with a note
        sw = rows["solid_waste_t"]["values"]["2024"]
        assert sw["value"] == T.GENERATED_T and sw["source"] == "answer" and "carried over" in sw["note"]
        f = {x["id"]: x for x in doc["check"]["findings"]}
        e = f["energy_per_output"]
        assert e["values"]["2024"] is None
        assert e["trend"] == [None, None]
        # not judged as a trend, but still worse than at listing in 2023
        assert [r["code"] for r in e["reasons"]] == ["missing_year", "worse_than_listing"]
        assert e["reasons"][0]["message"].startswith("no figure for 2024 (")
        assert "not counted as zero" in e["reasons"][0]["message"] and "2024" in e["reasons"][0]["action"]
        assert f["water_reuse"]["status"] == "missing"
        assert doc["columns"][1]["year"] == 2024 and doc["columns"][1]["has_energy_data"] is False
    finally:
        ws.close()


def test_years_before_the_first_assessment_are_missing(three):
    ws, _ = three
    doc = build_return(ws, 2024, lang="en")
    rows = _rows(doc)
    assert doc["years"] == [2022, 2023, 2024]
    assert rows["energy_tce_calorific"]["values"]["2022"] == {"value": None, "source": "missing",
                                                              "detail": "no meter ledger imported for 2022",
                                                              "note": None}
    assert doc["columns"][0]["assessment"] is None
    # one reason naming every year without a figure, not one per year
    f = {x["id"]: x for x in doc["check"]["findings"]}
    assert [r["code"] for r in f["energy_per_output"]["reasons"]] == ["missing_year", "worse_than_listing"]
    assert "no figure for 2022 (" in f["energy_per_output"]["reasons"][0]["message"]


def test_listing_year_outside_the_three_years(tmp_path):
    ws, _ = T.build(tmp_path / "l.greendesk", years=(2022, 2023, 2024, 2025), listing_year=2022)
    try:
        doc = build_return(ws, 2025, lang="en")
        assert [c["year"] for c in doc["columns"]] == [2022, 2023, 2024, 2025]
        assert doc["columns"][0]["role"] == "listing"
        assert _rows(doc)["energy_tce_calorific"]["values"]["2022"]["value"] is not None
    finally:
        ws.close()


def test_listing_year_setting(three):
    ws, _ = three
    assert listing_year(ws) == 2023
    set_listing_year(ws, None)
    assert listing_year(ws) is None
    doc = build_return(ws, 2025, lang="en")
    assert doc["listing_year"] is None and "listing year is not set" in doc["notes"][0]
    assert "change_since_listing" not in doc["rows"][0]
    with pytest.raises(UserError):
        set_listing_year(ws, 1800)


def test_default_year_is_the_latest_assessment(three):
    ws, _ = three
    assert build_return(ws, lang="en", with_check=False)["year"] == 2025


def test_workbook_prints_a4_landscape_and_holds_the_figures(three, tmp_path):
    from openpyxl import load_workbook

    from greendesk.core.annual.workbook import write_return

    ws, _ = three
    doc = build_return(ws, 2025, lang="zh")
    p = write_return(doc, tmp_path / "动态管理表.xlsx", lang="zh")
    wb = load_workbook(p)
    assert wb.sheetnames == ["动态管理表", "三年核查", "逐年对比图"]
    sh = wb["动态管理表"]
    assert sh.page_setup.orientation == "landscape"
    assert int(sh.page_setup.paperSize) == 9            # A4
    assert sh.sheet_properties.pageSetUpPr.fitToPage and int(sh.page_setup.fitToWidth) == 1
    assert sh.print_title_rows == "$4:$4"       # the header repeats on every printed page
    header = [c.value for c in sh[4]]
    assert header[:6] == ["序号", "指标", "单位", "2023（认定年）", "2024", "2025"]
    labels = {sh.cell(r, 2).value: r for r in range(5, 5 + len(doc["rows"]))}
    r = labels["单位产值综合能耗（当量值）"]
    assert sh.cell(r, 4).value == pytest.approx(58.6392) and sh.cell(r, 6).value == pytest.approx(66.0132)
    assert sh.cell(r, 9).value == "变差"
    r = labels["主要污染物排放（废气）：年均浓度低于许可限值的最小幅度"]
    assert sh.cell(r, 6).value == "不适用"
    chk = wb["三年核查"]
    assert chk.page_setup.orientation == "landscape"
    statuses = [chk.cell(r, 8).value for r in range(4, 4 + len(doc["check"]["findings"]))]
    assert statuses.count("需关注") == 5
    score_row = next(r for r in range(4, chk.max_row + 1) if chk.cell(r, 1).value == "总分")
    assert [chk.cell(score_row, c).value for c in (3, 4, 5)] == [doc["check"]["score"]["totals"][str(y)]
                                                                for y in (2023, 2024, 2025)]


def test_workbook_shows_missing_not_zero(tmp_path):
    from openpyxl import load_workbook

    from greendesk.core.annual.workbook import write_return

    ws, _ = T.build(tmp_path / "gap.greendesk", skip_data=(2024,))
    try:
        p = write_return(build_return(ws, 2025, lang="en"), tmp_path / "r.xlsx", lang="en")
    finally:
        ws.close()
    sh = load_workbook(p).active
    r = next(r for r in range(5, 30) if sh.cell(r, 2).value == "Industrial output value (current prices)")
    assert sh.cell(r, 5).value == "missing"            # 2024 column (2023 listed, 2024, 2025)
    assert sh.cell(r, 4).value == 5000 and sh.cell(r, 6).value == 5000
