"""Which CO2 factor grid electricity and purchased green power take (one method, never both).

The MEE/NBS announcements publish, beside the average grid factor, a national factor that
*excludes market-traded non-fossil power* (``national_excl_market_nonfossil``, the residual mix).
The rule followed here (shared/domain/public-facts-2026.md §4.1 (c)):

* green power **deducted** (workspace setting ``energy.green_power_zero``, default on): the purchased
  green power counts at zero CO2 and the rest of grid use takes the residual factor of the same year
  (national only; a chosen region or province is not used then). Counting green power at zero while
  the rest takes the average factor would count the green attribute twice.
* **no deduction**: green power is counted at the chosen grid factor like any other grid kWh.
* no green power: grid use takes the chosen grid factor.

When the chosen year has no residual factor (e.g. the 0.5703 reporting value) nothing is deducted
and an issue says so. ``co2.grid.residual`` can be overridden per workspace like any factor.
"""

from __future__ import annotations

from greendesk.core.i18n import language

SETTING_GREEN_ZERO = "energy.green_power_zero"
RESIDUAL_REGION = "national_excl_market_nonfossil"
RESIDUAL_ID = "co2.grid.residual"


def source_text(gd: dict, year, entry: dict) -> str:
    """The source of one grid value: its own named source, else the year's announcement."""
    key = entry.get("source")
    return (gd.get("sources") or {}).get(key) or gd["source_by_year"].get(year, "") or str(key or "")


def residual_entry(gd: dict, year, overrides: dict) -> dict | None:
    """The ``co2.grid.residual`` factor of ``year`` (an override wins), or None when none is known."""
    yv = gd["values"].get(year) or gd["values"].get(str(year)) or {}
    e = yv.get(RESIDUAL_REGION)
    o = overrides.get(RESIDUAL_ID)
    if e is None and o is None:
        return None
    names = (gd.get("region_names") or {}).get(RESIDUAL_REGION) or {}
    out = {"id": RESIDUAL_ID, "zh": f"电网剩余组合排放因子（{year}，{names.get('zh', RESIDUAL_REGION)}）",
           "en": f"Grid residual-mix CO2 factor ({year}, {names.get('en', RESIDUAL_REGION)})",
           "value": e["value"] if e else None, "unit": "kgCO2/kWh",
           "source": source_text(gd, year, e) if e else "", "certainty": e.get("certainty", "secondary") if e else None,
           "overridden": False, "year": year, "region": RESIDUAL_REGION}
    if o is not None:
        out.update(value=o["value"], source=o.get("source") or "workspace override", certainty="override",
                   overridden=True)
    return out


def choose(ws, table: dict, green_kwh: float) -> dict:
    """The method for this workspace: ``{"method", "grid_id", "green_id", "issue"}``.

    ``grid_id``: the factor id grid electricity takes; ``green_id``: the one green power takes.
    """
    deduct = bool(ws.setting(SETTING_GREEN_ZERO, True)) if ws is not None else True
    if green_kwh <= 0:
        return {"method": "no_green_power", "grid_id": "co2.grid", "green_id": None, "issue": None}
    if not deduct:
        return {"method": "no_deduction", "grid_id": "co2.grid", "green_id": "co2.grid", "issue": None}
    r = table.get(RESIDUAL_ID)
    if r is None or r.get("value") is None:
        g = table["co2.grid"]
        return {"method": "no_deduction", "grid_id": "co2.grid", "green_id": "co2.grid",
                "issue": ("no_residual_factor",
                          f"{g.get('year')} 年没有“扣除市场化交易的非化石能源电量”的电网因子，绿电未扣除（按电网因子 "
                          f"{g.get('value')} 计）。请选用 2021–2023 年的因子，或用 greendesk factor 设置 {RESIDUAL_ID}。",
                          f"{g.get('year')} has no grid factor excluding market-traded non-fossil power, so green power "
                          f"is not deducted (counted at the grid factor {g.get('value')}). Choose a 2021-2023 factor "
                          f"or set {RESIDUAL_ID} with greendesk factor.")}
    return {"method": "residual_mix", "grid_id": RESIDUAL_ID, "green_id": "co2.green_power", "issue": None}


METHOD_TEXT = {
    "residual_mix": ("外购绿电已扣除（计零），其余电网用电按剩余组合因子（全国，扣除市场化交易的非化石能源电量）计算",
                     "purchased green power deducted (zero CO2); the rest of grid use at the residual-mix factor "
                     "(national, excluding market-traded non-fossil power)"),
    "no_deduction": ("外购绿电未扣除，与其余电网用电一样按电网排放因子计算",
                     "purchased green power not deducted: counted at the grid factor like the rest of grid use"),
    "no_green_power": ("无外购绿电，电网用电按所选电网排放因子计算",
                       "no purchased green power: grid use at the chosen grid factor"),
}


def describe(choice: dict, table: dict, grid_kwh: float, green_kwh: float) -> dict:
    """The ``electricity_co2`` block of ``greendesk energy --json``: method, factors and kWh, in words."""
    zh, en = METHOD_TEXT[choice["method"]]
    g = table[choice["grid_id"]]
    out = {"method": choice["method"], "text": zh if language() == "zh" else en,
           "grid_kwh": round(grid_kwh, 6), "green_power_kwh": round(green_kwh, 6),
           "grid_factor": {k: g.get(k) for k in ("id", "year", "region", "value", "unit", "source", "certainty")},
           "location_factor": {k: table["co2.grid"].get(k) for k in ("year", "region", "value", "unit")}}
    if choice["green_id"]:
        gf = table[choice["green_id"]]
        out["green_power_factor"] = {"id": gf["id"], "value": gf.get("value"), "unit": gf.get("unit")}
    return out
