"""A three-year workspace (2023-2025) built through the core APIs, never hand-edited.

Each year: an assessment (2024 and 2025 carried over from the year before), a monthly CSV ledger
imported through greendesk.core.meters (analyse + commit), production for the year and a few answers.
The figures are round so that the tests can compute the return by hand:

=====  ==================  ===============  ===========  ======  ==========  =================
year   electricity/month   gas/month        water/month  output  reused      solid waste
=====  ==================  ===============  ===========  ======  ==========  =================
2023   100,000 kWh         10,000 m3        2,000 m3     1000 t  96,000 m3   500 t, 450 used
2024   110,000 kWh         10,000 m3        1,900 m3     1000 t  96,000 m3   500 t, 440 used
2025   125,000 kWh         10,000 m3        1,800 m3     1000 t  96,000 m3   500 t, 430 used
=====  ==================  ===============  ===========  ======  ==========  =================

(2022 is used only by the test of a listing year before the three years: 95,000 kWh, 10,000 m3,
2,100 m3 a month, 455 t used.)

Output value 5,000 万元 every year. Energy per output value and the solid-waste utilisation rate
get worse every year (the slipping indicators); water intensity and water reuse improve.
"""

from __future__ import annotations

from pathlib import Path

from greendesk.core import uscc

SCHEME = "gbt36132-2025"
ELECTRICITY = {2022: 95_000, 2023: 100_000, 2024: 110_000, 2025: 125_000}
GAS = {2022: 10_000, 2023: 10_000, 2024: 10_000, 2025: 10_000}
WATER = {2022: 2_100, 2023: 2_000, 2024: 1_900, 2025: 1_800}
UTILISED = {2022: 455.0, 2023: 450.0, 2024: 440.0, 2025: 430.0}
OUTPUT_T = 1000.0
OUTPUT_WAN_YUAN = 5000.0
REUSED_M3 = 96_000.0
GENERATED_T = 500.0
GRID = 0.5       # kgCO2/kWh, set as a workspace override so that CO2 is easy to check


def write_ledger(folder: Path, year: int) -> Path:
    p = folder / f"{year}年能源月报.csv"
    rows = ["月份,电（外购）,天然气,新水", ",kWh,m³,m³"]
    rows += [f"{m}月,{ELECTRICITY[year]},{GAS[year]},{WATER[year]}" for m in range(1, 13)]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def import_year(ws, aid: int, folder: Path, year: int) -> None:
    from greendesk.core.meters import analyse, commit

    plan = analyse([write_ledger(folder, year)], year=year)
    assert not plan.errors, plan.errors
    commit(ws, aid, plan)


def year_answers(year: int) -> dict:
    return {
        "energy_intensity.quota_applies": "no",
        "water_intensity.quota_applies": "no",
        "water_reuse.reused_m3": REUSED_M3,
        "solid_waste_use.generated_t": GENERATED_T,
        "solid_waste_use.utilised_t": UTILISED[year],
        "wastewater_concentration.discharges": "yes",
        "wastewater_concentration.pollutants": [{"name": "COD", "annual_mean": 100.0, "limit": 500.0}],
        "waste_gas_concentration.emits": "no",
    }


def build(path: Path, *, years=(2023, 2024, 2025), skip_data: tuple = (), listing_year: int | None = 2023):
    """The workspace at ``path``; ``skip_data``: years that get an assessment but no ledger, production or
    answers of their own (a year the factory has not filled in)."""
    from greendesk.core.annual.returns import set_listing_year
    from greendesk.core.energy import set_production
    from greendesk.core.schemes import continuity
    from greendesk.core.schemes.registry import get_scheme
    from greendesk.core.workspace import Workspace

    folder = path.parent
    scheme = get_scheme(SCHEME)
    ws = Workspace.create(path, {"name": "三年测试铸造厂", "uscc": uscc.complete("91350100M000100Y4"),
                                 "industry_code": "C3392"})
    ws.set_factor("co2.grid", GRID, unit="kgCO2/kWh", source="test")
    ids = {}
    for i, year in enumerate(years):
        if i == 0:
            aid = ws.create_assessment(scheme.id, scheme.version, year)
        else:
            aid = continuity.carry_over(ws, year)["assessment_id"]
        ids[year] = aid
        if year in skip_data:
            continue
        ws.set_answers(aid, year_answers(year))
        import_year(ws, aid, folder, year)
        set_production(ws, aid, period=str(year), product="铝铸件", quantity=OUTPUT_T, unit="t",
                       output_value_wan_yuan=OUTPUT_WAN_YUAN)
    if listing_year is not None:
        set_listing_year(ws, listing_year)
    return ws, ids


# -- the figures by hand (GB/T 2589-2020: electricity 0.1229 kgce/kWh 当量值, natural gas 1.2143 kgce/m3) --

def energy_tce(year: int) -> float:
    return 12 * ELECTRICITY[year] * 0.1229 / 1000 + 12 * GAS[year] * 1.2143 / 1000


def co2_t(year: int, gas_factor_t_per_1e4m3: float) -> float:
    return 12 * ELECTRICITY[year] * GRID / 1000 + 12 * GAS[year] * gas_factor_t_per_1e4m3 / 1e4
