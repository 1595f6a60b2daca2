"""计算过程: the demo's figures recomputed by hand from the ledger cells, the production record and
the factor table, and the structure a reviewer follows (origin of every input, factor sources)."""

from __future__ import annotations

import pytest

from greendesk.core.i18n import using_language
from greendesk.core.schemes.scoring import score_assessment
from greendesk.core.workspace import Workspace


def _factors() -> dict:
    import yaml

    from greendesk.core.paths import resources_dir

    data = yaml.safe_load((resources_dir() / "factors.yaml").read_text(encoding="utf-8"))
    return {f["id"]: f for f in data["factors"]} if isinstance(data.get("factors"), list) else data["factors"]


def _ledger_sums(ws) -> dict[str, float]:
    rows = ws.conn.execute("SELECT carrier, SUM(value) FROM meter_readings GROUP BY carrier").fetchall()
    return dict(rows)


@pytest.fixture
def demo(demo_path):
    with Workspace.open(demo_path) as ws, using_language("zh"):
        yield ws, score_assessment(ws, lang="zh"), _ledger_sums(ws)


def _row(result, iid):
    return next(r for r in result["indicators"] if r["id"] == iid)


def test_energy_intensity_from_the_ledger_by_hand(demo):
    ws, result, sums = demo
    elec, gas, pv = sums["electricity"], sums["natural_gas"], sums["pv_self_use"]
    assert (elec, pv) == (18_900_000, 1_320_000)
    tce = elec * 0.1229 / 1000 + gas * 1.2143 / 1000 + pv * 0.1229 / 1000      # GB/T 2589 factors
    output = ws.conn.execute("SELECT SUM(output_value_wan_yuan) FROM production").fetchone()[0]
    assert output == 65300
    calc = _row(result, "energy_intensity")["calculation"]
    energy, value = calc["inputs"]
    assert energy["origin"] == "ledger" and energy["value"] == pytest.approx(tce, abs=1e-4)
    assert energy["imports"] == [{"id": 1, "file": "2025年能源月报.xlsx"}]
    parts = {p["carrier"]: p for p in energy["parts"]}
    assert parts["electricity"]["value"] == elec and parts["electricity"]["factor"]["value"] == 0.1229
    assert parts["electricity"]["factor"]["id"] == "sce.electricity.calorific"
    assert parts["electricity"]["factor"]["certainty"] == "confirmed" and parts["electricity"]["factor"]["source"]
    assert parts["natural_gas"]["factor"]["value"] == 1.2143
    assert value["origin"] == "answer" and value["via"] == "production" and value["value"] == output
    assert calc["result"] == {"value": pytest.approx(tce * 1000 / output, rel=1e-6), "unit": "kgce/万元"}
    assert round(tce * 1000 / output, 2) == 54.99
    t = calc["text"]
    assert "电力（外购电） 18,900,000 kWh × 0.1229 kgce/kWh" in t and "= 3,591.12 tce" in t
    assert "导入 #1" in t and "65,300 万元" in t and t.endswith("= 54.99 kgce/万元")
    assert {f["id"] for f in calc["factors"]} >= {"sce.electricity.calorific", "sce.natural_gas"}


def test_carbon_and_renewable_share_by_hand(demo):
    ws, result, sums = demo
    grid = 0.5306                          # the national grid factor (2023) the demo uses, kgCO2/kWh
    co2 = sums["electricity"] * grid / 1000 + sums["natural_gas"] * 21.6219 / 1e4   # gas: tCO2/10^4 m3
    calc = _row(result, "carbon_intensity")["calculation"]
    assert calc["inputs"][0]["value"] == pytest.approx(co2, rel=1e-6)
    assert calc["result"]["value"] == pytest.approx(co2 * 1000 / 65300, rel=1e-6)
    gas = next(p for p in calc["inputs"][0]["parts"] if p["carrier"] == "natural_gas")
    assert gas["factor"]["id"] == "co2.natural_gas" and gas["factor"]["unit"] == "tCO2/10^4Nm3"
    pv = next(p for p in calc["inputs"][0]["parts"] if p["carrier"] == "pv_self_use")
    assert pv["result"] == 0 and pv["factor"] is None                     # self-used PV emits nothing
    share = _row(result, "renewable_share")["calculation"]
    tce_pv = sums["pv_self_use"] * 0.1229 / 1000
    energy = next(i for i in share["inputs"] if i["ref"] == "common.energy_tce")
    assert share["result"]["value"] == pytest.approx(tce_pv / energy["value"] * 100, rel=1e-9)
    renewable = next(i for i in share["inputs"] if i["ref"] == "common.renewable_tce")
    assert [p["carrier"] for p in renewable["parts"]] == ["pv_self_use"]


def test_answers_rows_and_qualitative_rows(demo):
    ws, result, _ = demo
    aid = ws.assessment()["id"]
    answers = ws.answers(aid)
    reuse = _row(result, "water_reuse")["calculation"]
    reused = answers["water_reuse.reused_m3"]
    intake = _ledger_sums(ws)["water"]
    assert reuse["result"]["value"] == pytest.approx(reused / (reused + intake) * 100)
    assert {i["ref"]: i["origin"] for i in reuse["inputs"]} == {"common.water_intake_m3": "ledger",
                                                                "water_reuse.reused_m3": "answer"}
    ww = _row(result, "wastewater_concentration")["calculation"]
    margins = [(1 - p["annual_mean"] / p["limit"]) * 100 for p in answers["wastewater_concentration.pollutants"]]
    assert ww["result"]["value"] == pytest.approx(min(margins))
    assert "取最小[" in ww["text"] and "(1 − 86 mg/L ÷ 500 mg/L) × 100 = 82.8" in ww["text"]
    for iid in ("negative_list", "material_saving", "green_design"):
        assert _row(result, iid)["calculation"] is None                 # qualitative rows
    assert _row(result, "energy_saving_products")["calculation"] is None  # not applicable


def test_entered_value_missing_input_and_english(demo_path):
    with Workspace.open(demo_path) as ws:
        aid = ws.assessment()["id"]
        ws.set_answer(aid, "land_output", 1.5)                           # the indicator entered as a whole
        ws.set_answer(aid, "building_coefficient.footprint_m2", None)        # cleared
        with using_language("en"):
            result = score_assessment(ws, lang="en")
    land = _row(result, "land_output")["calculation"]
    assert land["inputs"][0]["origin"] == "answer" and land["result"]["value"] == 1.5 and "(entered)" in land["text"]
    b = _row(result, "building_coefficient")["calculation"]
    assert b["result"]["value"] is None and "building_coefficient.footprint_m2" in b["missing"]
    assert "cannot compute, missing" in b["text"]
    e = _row(result, "energy_intensity")["calculation"]
    assert "Electricity (grid) 18,900,000 kWh × 0.1229 kgce/kWh" in e["text"] and "import #1" in e["text"]


def test_multi_product_rows(demo_path):
    with Workspace.open(demo_path) as ws:
        aid = ws.assessment()["id"]
        ws.set_answer(aid, "energy_intensity.quota_applies", "yes")
        ws.set_answer(aid, "energy_intensity.products", [
            {"name": "压铸件A", "quantity": 8000, "energy_tce": 2400, "quota_grade1": 250, "quota_grade2": 350},
            {"name": "压铸件B", "quantity": 4000, "energy_tce": 1000, "quota_grade1": 200, "quota_grade2": 300}])
        result = score_assessment(ws, lang="zh")
    calc = _row(result, "energy_intensity")["calculation"]
    got = {p["name"]: p for p in calc["products"]}
    assert got["压铸件A"]["value"] == pytest.approx(2400 * 1000 / 8000) and got["压铸件A"]["weight"] == 2400
    assert got["压铸件B"]["value"] == pytest.approx(250.0)
    assert "压铸件A: 2,400 tce × 1000 ÷ 8,000 = 300" in calc["text"]
    assert "按" in calc["formula"] and "加权" in calc["formula"]
