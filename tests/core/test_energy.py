"""Accounting, hand-computed: standard coal (GB/T 2589), CO2 with the chosen grid factor, overrides."""

import time

import pytest
from fixtures.meters.ledgers import workspace, xlsx

from greendesk.core.energy import auto_values, energy_summary, factor_table, production_totals, set_production
from greendesk.core.errors import UserError
from greendesk.core.meters import analyse, commit

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
HEADER = ["月份", "电（kWh）", "天然气（m³）", "外购蒸汽（GJ）", "柴油（t）", "新水（m³）", "光伏自用（kWh）"]
ROW = [100_000.0, 10_000.0, 10.0, 1.0, 500.0, 10_000.0]

DIESEL_EF = 43.33 * 20.2 * 0.98 * 0.001 * 44 / 12       # tCO2/t
GAS_EF = 389.31 * 15.3 * 0.99 * 0.001 * 44 / 12          # tCO2/10^4 m3


@pytest.fixture
def ws(tmp_path):
    ws, aid = workspace(tmp_path / "w.greendesk")
    rows = [HEADER] + [[m, *ROW] for m in MONTHS]
    commit(ws, aid, analyse([xlsx(tmp_path / "e.xlsx", {"S": rows})]))
    ws.aid = aid
    yield ws
    ws.close()


def test_tce_and_co2_hand_computed_with_chosen_grid_factor(ws):
    ws.set_setting("energy.grid_factor", {"year": 2022, "region": "华东"})
    d = energy_summary(ws, 2025)
    c = d["carriers"]
    assert c["electricity"]["total"] == 1_200_000 and c["electricity"]["unit"] == "kWh"
    assert c["electricity"]["tce"] == pytest.approx(1_200_000 * 0.1229 / 1000)
    assert c["natural_gas"]["tce"] == pytest.approx(120_000 * 1.2143 / 1000)
    assert c["steam"]["tce"] == pytest.approx(120 * 0.03412) and c["steam"]["unit"] == "GJ"
    assert c["diesel"]["tce"] == pytest.approx(12 * 1.4571)
    assert c["pv_self_use"]["tce"] == pytest.approx(120_000 * 0.1229 / 1000)
    assert c["water"]["tce"] is None and c["water"]["total"] == 6000
    total = 147.48 + 145.716 + 4.0944 + 17.4852 + 14.748
    assert d["total_tce"] == pytest.approx(total)
    assert c["electricity"]["co2_t"] == pytest.approx(1_200_000 * 0.5617 / 1000)
    assert c["natural_gas"]["co2_t"] == pytest.approx(12 * GAS_EF)
    assert c["steam"]["co2_t"] == pytest.approx(120 * 0.11)
    assert c["diesel"]["co2_t"] == pytest.approx(12 * DIESEL_EF)
    assert c["pv_self_use"]["co2_t"] == 0
    assert d["total_co2_t"] == pytest.approx(674.04 + 12 * GAS_EF + 13.2 + 12 * DIESEL_EF)
    assert d["renewable_tce"] == pytest.approx(14.748)
    assert d["renewable_share_pct"] == pytest.approx(14.748 / total * 100, abs=1e-4)
    ids = {f["id"]: f for f in d["factors"]}
    assert ids["co2.grid"]["value"] == 0.5617 and ids["co2.grid"]["region"] == "华东"
    for f in d["factors"]:
        assert f["source"] and f["certainty"] and f["unit"]
    assert "44/12" in ids["co2.diesel"]["formula"]
    assert GAS_EF == pytest.approx(21.62, abs=0.01)


def test_default_grid_factor_is_latest_national_and_equivalent_basis(ws):
    d = energy_summary(ws)
    assert d["grid_factor"]["value"] == 0.5306 and d["year"] == 2025
    ws.set_setting("energy.electricity_basis", "equivalent")
    d2 = energy_summary(ws)
    assert d2["carriers"]["electricity"]["tce"] == pytest.approx(1_200_000 * 0.300 / 1000)
    assert d2["total_tce_calorific"] == pytest.approx(d["total_tce"])


def test_overrides_and_measured_calorific_value(ws):
    ws.set_factor("ncv.natural_gas.measured", 35_000, source="供气方化验单 2025")
    t = factor_table(ws)
    assert t["sce.natural_gas"]["value"] == pytest.approx(35_000 / 29307.6, abs=1e-5)
    assert t["sce.natural_gas"]["certainty"] == "measured"
    ws.set_factor("sce.natural_gas", 1.33, source="油田天然气")
    d = energy_summary(ws)
    assert d["carriers"]["natural_gas"]["tce"] == pytest.approx(120_000 * 1.33 / 1000)
    f = {x["id"]: x for x in d["factors"]}["sce.natural_gas"]
    assert f["overridden"] and f["source"] == "油田天然气"
    ws.set_factor("cc.diesel", 20.0, source="实测")
    assert factor_table(ws)["co2.diesel"]["value"] == pytest.approx(43.33 * 20.0 * 0.98 * 0.001 * 44 / 12, abs=1e-6)
    ws.set_setting("energy.grid_factor", {"year": 2023, "region": "火星"})
    with pytest.raises(UserError):
        energy_summary(ws)


def test_measured_calorific_value_also_drives_the_gas_co2_factor(ws):
    # tce and CO2 of natural gas must rest on the same heating value: 35 000 kJ/m3 = 350 GJ/10^4 m3
    ws.set_factor("ncv.natural_gas.measured", 35_000, source="供气方化验单 2025")
    t = factor_table(ws)
    assert t["ncv.natural_gas"]["value"] == pytest.approx(350.0) and t["ncv.natural_gas"]["certainty"] == "measured"
    assert t["co2.natural_gas"]["value"] == pytest.approx(350.0 * 15.3 * 0.99 * 0.001 * 44 / 12, abs=1e-6)
    d = energy_summary(ws)
    assert d["carriers"]["natural_gas"]["co2_t"] == pytest.approx(12 * 1.0 * 350.0 * 15.3 * 0.99 * 0.001 * 44 / 12,
                                                                 rel=1e-6)
    # an explicit NCV override still wins over the measured value
    ws.set_factor("ncv.natural_gas", 380.0, source="核算报告")
    assert factor_table(ws)["co2.natural_gas"]["value"] == pytest.approx(380.0 * 15.3 * 0.99 * 0.001 * 44 / 12,
                                                                         abs=1e-6)


def test_missing_month_absent_and_named(tmp_path):
    ws, aid = workspace(tmp_path / "w.greendesk")
    rows = [["月份", "电（kWh）"]] + [[m, 10.0] for m in MONTHS if m != "2025-04"]
    commit(ws, aid, analyse([xlsx(tmp_path / "e.xlsx", {"S": rows})]))
    d = energy_summary(ws)
    assert "2025-04" not in d["carriers"]["electricity"]["months"]
    assert any(i["code"] == "missing_months" and "2025-04" in i["message"] for i in d["issues"])
    ws.close()


def test_production_and_intensities_and_auto_values(ws):
    set_production(ws, ws.aid, period="2025", quantity=1000, unit="t", output_value_wan_yuan=5000)
    d = energy_summary(ws)
    total = d["total_tce"]
    assert d["intensity"]["kgce_per_wan_yuan"] == pytest.approx(total * 1000 / 5000)
    assert d["intensity"]["kgce_per_unit"] == pytest.approx(total)
    v = auto_values(ws, ws.aid)
    for key in ("energy.total_tce", "energy.co2_t", "energy.renewable_tce", "energy.renewable_share_pct",
                "energy.electricity_kwh", "water.intake_m3", "production.quantity",
                "production.output_value_wan_yuan"):
        assert key in v
    assert v["water.intake_m3"] == 6000 and v["production.quantity"] == 1000
    assert v["energy.total_tce"] == pytest.approx(total)
    # monthly entries are summed when no yearly row exists
    set_production(ws, ws.aid, period="2025-01", product="B", quantity=5, unit="t")
    set_production(ws, ws.aid, period="2025-02", product="B", quantity=7, unit="t", output_value_wan_yuan=3)
    p = production_totals(ws, ws.aid)
    assert p["quantity"] == 1012 and p["output_value_wan_yuan"] == 5003
    with pytest.raises(UserError):
        set_production(ws, ws.aid, period="2025-13", quantity=1, unit="t")
    with pytest.raises(UserError):
        set_production(ws, ws.aid, period="2025", quantity=-1, unit="t")


def test_production_of_a_partial_year_is_reported(ws):
    # six months of output against twelve months of energy would double every intensity without a word
    for m in range(1, 7):
        set_production(ws, ws.aid, period=f"2025-{m:02d}", quantity=100, unit="t", output_value_wan_yuan=50)
    d = energy_summary(ws)
    part = [i for i in d["issues"] if i["code"] == "production_partial"]
    assert len(part) == 1 and "2025-07" in part[0]["message"] and "2025-12" in part[0]["message"]
    # a yearly figure, or all twelve months, is complete
    for m in range(7, 13):
        set_production(ws, ws.aid, period=f"2025-{m:02d}", quantity=100, unit="t", output_value_wan_yuan=50)
    assert not [i for i in energy_summary(ws)["issues"] if i["code"] == "production_partial"]


def test_auto_values_empty_workspace_has_no_energy_keys(tmp_path):
    ws, aid = workspace(tmp_path / "w.greendesk")
    assert auto_values(ws, aid) == {}
    ws.close()


def test_demo_energy_and_auto_values_fast(demo_path):
    from greendesk.core.workspace import Workspace

    with Workspace.open(demo_path, readonly=True) as ws:
        aid = ws.assessment()["id"]
        auto_values(ws, aid)
        t0 = time.perf_counter()
        v = auto_values(ws, aid)
        ms = (time.perf_counter() - t0) * 1000
        d = energy_summary(ws)
    assert ms < 20
    assert 18e6 <= v["energy.electricity_kwh"] <= 20e6
    assert 60_000 <= v["production.output_value_wan_yuan"] <= 70_000
    assert 11_000 <= v["production.quantity"] <= 13_000
    assert v["energy.renewable_tce"] > 0
    assert set(d["carriers"]) >= {"electricity", "natural_gas", "water", "pv_self_use"}
    assert not [i for i in d["issues"] if i["level"] != "info"]
