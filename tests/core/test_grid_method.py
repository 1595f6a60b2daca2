"""Green power and the grid factor, hand-computed: deducted -> zero + residual mix, else the grid factor."""

import pytest
from fixtures.meters.ledgers import workspace, xlsx

from greendesk.core import energy
from greendesk.core.energy import energy_summary, factor_table
from greendesk.core.meters import analyse, commit

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
GRID_KWH = 12 * 100_000.0      # 1 200 000 kWh from the grid
GREEN_KWH = 12 * 20_000.0      # 240 000 kWh of purchased green power


@pytest.fixture
def ws(tmp_path):
    ws, aid = workspace(tmp_path / "w.greendesk")
    rows = [["月份", "电（kWh）", "绿电（kWh）"]] + [[m, 100_000.0, 20_000.0] for m in MONTHS]
    commit(ws, aid, analyse([xlsx(tmp_path / "e.xlsx", {"S": rows})]))
    yield ws
    ws.close()


@pytest.fixture
def ws_no_green(tmp_path):
    ws, aid = workspace(tmp_path / "n.greendesk")
    rows = [["月份", "电（kWh）"]] + [[m, 100_000.0] for m in MONTHS]
    commit(ws, aid, analyse([xlsx(tmp_path / "e.xlsx", {"S": rows})]))
    yield ws
    ws.close()


def test_deducted_green_power_is_zero_and_the_rest_takes_the_residual_factor(ws):
    d = energy_summary(ws, 2025)   # default: latest year (2023), deduction on
    c = d["carriers"]
    assert c["green_power"]["total"] == GREEN_KWH and c["green_power"]["co2_t"] == 0
    # 1 200 000 kWh × 0.6096 kgCO2/kWh = 731.52 t (not 0.5306, the average: that would count green twice)
    assert c["electricity"]["co2_t"] == pytest.approx(731.52)
    assert d["total_co2_t"] == pytest.approx(731.52)
    assert d["grid_factor"] == {"year": 2023, "region": "national_excl_market_nonfossil", "value": 0.6096,
                                "unit": "kgCO2/kWh", "method": "residual_mix"}
    e = d["electricity_co2"]
    assert e["method"] == "residual_mix" and e["grid_kwh"] == GRID_KWH and e["green_power_kwh"] == GREEN_KWH
    assert e["grid_factor"]["id"] == "co2.grid.residual" and e["green_power_factor"]["value"] == 0
    assert e["location_factor"]["value"] == 0.5306
    ids = {f["id"]: f for f in d["factors"]}
    assert "co2.grid.residual" in ids and "co2.grid" not in ids   # the average factor is not used at all
    assert "163.com" in ids["co2.grid.residual"]["source"] and ids["co2.grid.residual"]["certainty"] == "confirmed"


def test_residual_of_the_chosen_year_even_with_a_province_chosen(ws):
    ws.set_setting(energy.SETTING_GRID, {"year": 2022, "region": "浙江"})
    d = energy_summary(ws, 2025)
    # the residual factor is national only: 1 200 000 × 0.5856 = 702.72 t
    assert d["carriers"]["electricity"]["co2_t"] == pytest.approx(702.72)
    assert d["electricity_co2"]["location_factor"] == {"year": 2022, "region": "浙江", "value": 0.5153,
                                                       "unit": "kgCO2/kWh"}
    ws.set_setting(energy.SETTING_GRID, {"year": 2021, "region": "national"})
    # 2021: 0.5942 [secondary] -> 713.04 t
    assert energy_summary(ws, 2025)["carriers"]["electricity"]["co2_t"] == pytest.approx(713.04)


def test_no_deduction_counts_green_power_at_the_grid_factor(ws):
    ws.set_setting(energy.SETTING_GREEN_ZERO, False)
    ws.set_setting(energy.SETTING_GRID, {"year": 2022, "region": "浙江"})
    d = energy_summary(ws, 2025)
    c = d["carriers"]
    # (1 200 000 + 240 000) kWh × 0.5153 = 742.032 t; green power is not zero
    assert c["electricity"]["co2_t"] == pytest.approx(618.36)
    assert c["green_power"]["co2_t"] == pytest.approx(123.672)
    assert d["total_co2_t"] == pytest.approx(742.032)
    assert d["grid_factor"]["method"] == "no_deduction" and d["grid_factor"]["value"] == 0.5153
    # renewable tce still counts the green power (the tce is the same either way)
    assert d["renewable_tce"] == pytest.approx(240_000 * 0.1229 / 1000)


def test_a_year_without_residual_factor_does_not_deduct_and_says_so(ws):
    ws.set_setting(energy.SETTING_GRID, {"year": "mee-2022-reporting", "region": "national"})
    d = energy_summary(ws, 2025)
    assert d["grid_factor"]["method"] == "no_deduction"
    assert d["total_co2_t"] == pytest.approx((GRID_KWH + GREEN_KWH) * 0.5703 / 1000)
    assert any(i["code"] == "no_residual_factor" for i in d["issues"])
    # an evaluator's residual factor makes the deduction possible again: 1 200 000 × 0.6 = 720 t
    ws.set_factor("co2.grid.residual", 0.6, unit="kgCO2/kWh", source="test")
    d = energy_summary(ws, 2025)
    assert d["grid_factor"]["method"] == "residual_mix" and d["total_co2_t"] == pytest.approx(720.0)


def test_without_green_power_the_chosen_factor_applies(ws_no_green):
    ws_no_green.set_setting(energy.SETTING_GRID, {"year": 2022, "region": "广东"})
    d = energy_summary(ws_no_green, 2025)
    assert d["carriers"]["electricity"]["co2_t"] == pytest.approx(1_200_000 * 0.4403 / 1000)
    assert d["electricity_co2"]["method"] == "no_green_power"
    assert d["grid_factor"]["method"] == "no_green_power"


def test_grid_table_has_every_2022_province_and_2021_regions_with_source_and_certainty():
    opts = energy.grid_options()
    by = {(o["year"], o["region"]): o for o in opts}
    provinces = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
                 "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南",
                 "陕西", "甘肃", "青海", "宁夏", "新疆"]
    assert all((2022, p) in by for p in provinces)
    assert by[(2022, "浙江")]["value"] == 0.5153 and by[(2022, "浙江")]["certainty"] == "secondary"
    assert by[(2022, "四川")]["certainty"] == "confirmed"
    for r, v in {"华北": 0.7120, "东北": 0.6012, "华东": 0.5992, "华中": 0.5354, "西北": 0.5951, "南方": 0.4326,
                 "西南": 0.2113}.items():
        assert by[(2021, r)]["value"] == v
    assert by[(2021, "national_excl_market_nonfossil")]["value"] == 0.5942
    assert (2023, "浙江") not in by and (2021, "北京") not in by    # not public: absent, not invented
    for o in opts:
        assert o["source"] and not o["source"].startswith(("repo-", "mee-")) and o["certainty"]


def test_factor_table_lists_the_residual_factor_of_the_chosen_year(ws_no_green):
    t = factor_table(ws_no_green)
    assert t["co2.grid.residual"]["value"] == 0.6096 and t["co2.grid"]["value"] == 0.5306
