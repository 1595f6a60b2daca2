"""Energy and carbon accounting from the imported meter readings.

* standard coal per GB/T 2589-2020 (electricity 0.1229 kgce/kWh 当量值 by default;
  等价值 selectable with the workspace setting ``energy.electricity_basis``);
* CO2 with the grid factor chosen by year and region (setting ``energy.grid_factor``,
  default: the latest national average), heat/steam 0.11 tCO2/GJ, fuels by
  EF = NCV × CC × OF × 44/12;
* PV self-use and purchased green power count as renewable; when green power is deducted (zero CO2)
  the rest of grid use takes the residual-mix factor, otherwise green power takes the grid factor
  (``core/grid_method.py``: one method, never zero green power beside the average factor);
* every factor comes from resources/factors.yaml, can be overridden per workspace
  (``Workspace.set_factor``), and is listed with its source and certainty in results.

:func:`energy_summary` is the ``greendesk energy --json`` document;
:func:`auto_values` feeds indicator inputs of the scoring engine.
"""

from __future__ import annotations

import re
from functools import cache

from greendesk.core import datacache, grid_method
from greendesk.core.errors import UserError
from greendesk.core.i18n import language
from greendesk.core.paths import resources_dir

KGCE_PER_KJ = 1 / 29307.6
RENEWABLE = ("pv_self_use", "green_power")
SETTING_BASIS = "energy.electricity_basis"       # "calorific" (当量值, default) | "equivalent" (等价值)
SETTING_GRID = "energy.grid_factor"              # {"year": 2023, "region": "national"}
SETTING_COUNT_WATER = "energy.count_water"       # count fresh water as an energy-consuming medium (default False)
SETTING_GREEN_ZERO = grid_method.SETTING_GREEN_ZERO  # deduct purchased green power (zero CO2, residual mix; default True)


@cache
def _data() -> dict:
    return datacache.load_yaml(resources_dir() / "factors.yaml", "factors")


@cache
def _base_table() -> dict[str, dict]:
    d = _data()
    out = {}
    for group in ("standard_coal", "emission"):
        for e in d[group]:
            out[e["id"]] = dict(e)
    return out


def grid_options() -> list[dict]:
    d = _data()["grid"]
    out = []
    for year, regions in d["values"].items():
        for region, v in regions.items():
            out.append({"year": year, "region": region, "value": v["value"], "unit": "kgCO2/kWh",
                        "certainty": v.get("certainty"), "source": grid_method.source_text(d, year, v)})
    return out


def _latest_national() -> tuple:
    years = [y for y in _data()["grid"]["values"] if isinstance(y, int)]
    return max(years), "national"


def factor_table(ws=None) -> dict[str, dict]:
    """Every factor with its value in force for this workspace (overrides applied, derived values computed)."""
    table = {k: dict(v, overridden=False) for k, v in _base_table().items()}
    overrides = ws.factor_overrides() if ws is not None else {}
    for fid, o in overrides.items():
        if fid in table:
            table[fid].update(value=o["value"], source=o.get("source") or "workspace override",
                              certainty="override", overridden=True, set_by=o.get("set_by"), set_at=o.get("set_at"))
            if o.get("unit"):
                table[fid]["unit"] = o["unit"]
    # natural gas: measured calorific value first
    ncv = table.get("ncv.natural_gas.measured")
    if ncv and ncv.get("value") and not table["sce.natural_gas"]["overridden"]:
        v = float(ncv["value"]) * KGCE_PER_KJ
        table["sce.natural_gas"].update(value=round(v, 5), source=f"实测低位发热量 {ncv['value']} kJ/m³ ÷ 29 307.6",
                                        certainty="measured", formula="ncv.natural_gas.measured / 29307.6")
    if ncv and ncv.get("value") and not table["ncv.natural_gas"]["overridden"]:
        # the CO2 factor rests on the same heating value as the tce: kJ/m3 × 10^4 m3 / 10^6 = GJ/10^4 m3
        table["ncv.natural_gas"].update(value=round(float(ncv["value"]) / 100, 6), certainty="measured",
                                        source=f"实测低位发热量 {ncv['value']} kJ/m³ = {float(ncv['value']) / 100:g} GJ/10⁴m³",
                                        formula="ncv.natural_gas.measured / 100")
    # derived emission factors
    for e in table.values():
        if e.get("components") and not e["overridden"]:
            vals = [table[c]["value"] for c in e["components"]]
            if all(v is not None for v in vals):
                v = 1.0
                for x in vals:
                    v *= float(x)
                e["value"] = round(v * float(e.get("scale", 1)) * 44 / 12, 6)
                e["inputs"] = {c: table[c]["value"] for c in e["components"]}
    # the grid factor
    grid = ws.setting(SETTING_GRID) if ws is not None else None
    gy, gr = (grid.get("year"), grid.get("region")) if isinstance(grid, dict) else _latest_national()
    gd = _data()["grid"]
    yv = gd["values"].get(gy) or gd["values"].get(str(gy)) or {}
    if gr not in yv:
        raise UserError(f"没有 {gy} 年“{gr}”的电网排放因子。", f"No grid emission factor for {gy}, '{gr}'.")
    g = yv[gr]
    rname, yname = (gd.get("region_names") or {}).get(gr) or {}, (gd.get("year_names") or {}).get(gy) or {}
    table["co2.grid"] = {"id": "co2.grid", "zh": f"电网排放因子（{yname.get('zh', gy)}，{rname.get('zh', gr)}）",
                         "en": f"Grid CO2 factor ({yname.get('en', gy)}, {rname.get('en', gr)})",
                         "value": g["value"], "unit": "kgCO2/kWh", "source": grid_method.source_text(gd, gy, g),
                         "certainty": g.get("certainty", "secondary"), "overridden": False, "year": gy, "region": gr}
    if "co2.grid" in overrides:
        o = overrides["co2.grid"]
        table["co2.grid"].update(value=o["value"], source=o.get("source") or "workspace override",
                                 certainty="override", overridden=True)
    residual = grid_method.residual_entry(gd, gy, overrides)
    if residual is not None:
        table[grid_method.RESIDUAL_ID] = residual
    return table


def _public(e: dict) -> dict:
    lang = language()
    out = {"id": e["id"], "name": e.get("zh") if lang == "zh" else e.get("en"), "value": e.get("value"),
           "unit": e.get("unit"), "source": e.get("source"), "certainty": e.get("certainty"),
           "overridden": e.get("overridden", False)}
    if e.get("note"):     # the user-facing note of factors.yaml; its maintainer_note is never shown
        out["note"] = e["note"].get(lang) or e["note"].get("en" if lang == "zh" else "zh") or ""
    if e.get("formula"):
        out["formula"] = e["formula"]
        if e.get("inputs"):
            out["inputs"] = e["inputs"]
            out["formula"] += " = " + " × ".join(f"{v:g}" for v in e["inputs"].values()) + (
                f" × {e['scale']:g}" if e.get("scale") and e["scale"] != 1 else "") + " × 44/12"
    for k in ("year", "region"):
        if k in e:
            out[k] = e[k]
    return out


# -- production ----------------------------------------------------------------------------------

_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


def set_production(ws, assessment_id: int, *, period: str, product: str = "", quantity: float | None = None,
                   unit: str | None = None, output_value_wan_yuan: float | None = None) -> None:
    """Enter production output and/or output value (万元) for a year ``YYYY`` or a month ``YYYY-MM``."""
    if not _PERIOD.match(str(period)):
        raise UserError(f"期间“{period}”应为 YYYY 或 YYYY-MM。", f"Period '{period}' must be YYYY or YYYY-MM.")
    for name, v in (("quantity", quantity), ("output value", output_value_wan_yuan)):
        if v is not None and (v != v or v < 0):
            raise UserError(f"{'产量' if name == 'quantity' else '产值'}不能为负数。", f"The {name} cannot be negative.")
    if quantity is None and output_value_wan_yuan is None:
        raise UserError("请填写产量或产值。", "Give the output quantity or the output value.")
    if quantity is not None and not unit:
        raise UserError("请填写产量的单位（如 t、件）。", "Give the unit of the output quantity (e.g. t, pcs).")
    ws.assessment(assessment_id)
    with ws.transaction() as c:
        ws.require_draft(assessment_id, c)  # a final assessment is read-only
        row = c.execute("SELECT quantity, unit, output_value_wan_yuan FROM production WHERE assessment_id = ? AND "
                        "period = ? AND product = ?", [assessment_id, period, product]).fetchone()
        q, u, v = row if row else (None, None, None)
        q = quantity if quantity is not None else q
        u = unit if unit else u
        v = output_value_wan_yuan if output_value_wan_yuan is not None else v
        c.execute("INSERT OR REPLACE INTO production (assessment_id, period, product, quantity, unit, "
                  "output_value_wan_yuan) VALUES (?, ?, ?, ?, ?, ?)", [assessment_id, period, product, q, u, v])


def production_totals(ws, assessment_id: int, year: int | None = None) -> dict:
    """Yearly output and output value: a yearly row wins, else the months are summed."""
    if year is None:
        year = ws.assessment(assessment_id)["year"]
    rows = ws.conn.execute("SELECT period, product, quantity, unit, output_value_wan_yuan FROM production "
                           "WHERE assessment_id = ? AND (period = ? OR period LIKE ?)",
                           [assessment_id, str(year), f"{year}-%"]).fetchall()
    out: dict = {"year": year, "products": {}}
    qty = 0.0
    val = 0.0
    have_q = have_v = False
    units = set()
    for product in sorted({r[1] for r in rows}):
        pr = [r for r in rows if r[1] == product]
        yearly = [r for r in pr if r[0] == str(year)]
        monthly = [r for r in pr if r[0] != str(year)]
        d = {}
        yq = [r[2] for r in yearly if r[2] is not None]
        mq = [r[2] for r in monthly if r[2] is not None]
        if yq or mq:
            d["quantity"] = yq[0] if yq else sum(mq)
            d["unit"] = next((r[3] for r in (yearly + monthly) if r[3]), None)
            d["months_quantity"] = len(mq)
            qty += d["quantity"]
            have_q = True
            units.add(d["unit"])
        yv = [r[4] for r in yearly if r[4] is not None]
        mv = [r[4] for r in monthly if r[4] is not None]
        if not yq and not yv:
            # summed from months only: name the months without a figure (a partial year understates the output)
            have = {r[0] for r in monthly if r[2] is not None or r[4] is not None}
            d["months_missing"] = [f"{year}-{m:02d}" for m in range(1, 13) if f"{year}-{m:02d}" not in have]
        if yv or mv:
            d["output_value_wan_yuan"] = yv[0] if yv else sum(mv)
            val += d["output_value_wan_yuan"]
            have_v = True
        out["products"][product or "-"] = d
    if have_q:
        out["quantity"] = qty if len(units) == 1 else None
        out["unit"] = units.pop() if len(units) == 1 else None
    if have_v:
        out["output_value_wan_yuan"] = val
    return out


# -- the summary -----------------------------------------------------------------------------------

def _assessment_for(ws, year: int | None, assessment_id: int | None) -> dict | None:
    if assessment_id is not None:
        return ws.assessment(assessment_id)
    rows = ws.assessments()
    if year is not None:
        same = [a for a in rows if a["year"] == year]
        return same[-1] if same else None
    return ws.assessment() if rows else None


def _issue(level, code, zh, en, where="") -> dict:
    return {"level": level, "code": code, "message": zh if language() == "zh" else en, "where": where}


def energy_summary(ws, year: int | None = None, *, assessment_id: int | None = None) -> dict:
    """The ``greendesk energy --json`` document for one year (default: the assessment year)."""
    from greendesk.core.meters.catalog import catalog

    cat = catalog()
    a = _assessment_for(ws, year, assessment_id)
    if year is None:
        if a is None:
            raise UserError("工作区中还没有评价，请用 --year 指定年份。", "The workspace has no assessment; give --year.")
        year = int(a["year"])
    from greendesk.core.meters.register import counting_filter_sql

    # only meters that count (boundary and standalone ones; sub-meters are checked against them, never added)
    sql = ("SELECT r.meter, r.carrier, r.unit, r.period, r.value, r.source_ref, i.file_name, i.id "
           "FROM meter_readings r JOIN meter_imports i ON r.import_id = i.id WHERE r.period LIKE ? AND "
           + counting_filter_sql("r"))
    args: list = [f"{year}-%"]
    if assessment_id is not None:
        sql += " AND i.assessment_id = ?"
        args.append(assessment_id)
    rows = ws.conn.execute(sql + " ORDER BY i.id, r.id", args).fetchall()
    issues: list[dict] = []
    table = factor_table(ws)
    basis = ws.setting(SETTING_BASIS, "calorific")
    if basis not in ("calorific", "equivalent"):
        basis = "calorific"
    count_water = bool(ws.setting(SETTING_COUNT_WATER, False))
    used: dict[str, dict] = {}

    def f(fid: str) -> float:
        e = table[fid]
        used[fid] = e
        for c in e.get("components") or []:
            used[c] = table[c]
        return float(e["value"])

    # the same meter and carrier from two imports: one meter when the values agree wherever both have a month
    # (the overlap counts once), otherwise different meters that share a name (everything counts, reported);
    # the same rule as the import preview (meters.plan._cross_file)
    groups: dict[tuple, dict] = {}
    for meter, carrier, unit, period, value, ref, fname, iid in rows:
        if value is None:
            continue
        g = groups.setdefault((meter, carrier, iid), {"file": fname, "cells": {}})
        cells_g = g["cells"]
        n = 0
        while (period, n) in cells_g:   # a month stored twice by one import: both kept
            n += 1
        cells_g[(period, n)] = (value, unit, ref)
    cells: dict[tuple, tuple] = {}
    earlier: dict[tuple, list[dict]] = {}
    for (meter, carrier, iid), g in groups.items():
        mine = {p: v for (p, n), v in g["cells"].items() if n == 0}
        drop: set[str] = set()
        for o in earlier.get((meter, carrier), []):
            theirs = {p: v for (p, n), v in o["cells"].items() if n == 0}
            common = sorted(set(mine) & set(theirs))
            if not common:
                continue
            differ = [p for p in common if theirs[p][1] != mine[p][1]
                      or abs(theirs[p][0] - mine[p][0]) > 1e-9 * max(1.0, abs(mine[p][0]))]
            if not differ:
                drop.update(common)
            else:
                p = differ[0]
                issues.append(_issue("warning", "same_meter_other_file",
                                     f"表“{meter}”同时出现在 {o['file']} 与 {g['file']} 中且数值不同（如 {p}）：两者都计入。",
                                     f"Meter '{meter}' appears in {o['file']} and in {g['file']} with different values "
                                     f"(e.g. {p}): both are counted.", f"{o['file']}, {theirs[p][2]} / {g['file']}, "
                                     f"{mine[p][2]}"))
        earlier.setdefault((meter, carrier), []).append(g)
        for (period, n), (value, unit, ref) in g["cells"].items():
            if n == 0 and period in drop:
                continue
            cells[(meter, carrier, period, iid, n)] = (value, unit, ref, g["file"])
    # aggregate
    per: dict[str, dict] = {}
    meters: dict[str, dict[str, set]] = {}
    files: dict[str, set] = {}
    gj_per_t = None
    for (meter, carrier, period, *_), (value, unit, _ref, _f) in cells.items():
        if carrier not in cat.carriers:
            continue
        d = per.setdefault(carrier, {"units": {}, "months": {}})
        d["units"].setdefault(unit, {}).setdefault(period, 0.0)
        d["units"][unit][period] += value
        meters.setdefault(carrier, {}).setdefault(meter, set()).add(period)
        files.setdefault(carrier, set()).add(_f)
    carriers: dict[str, dict] = {}
    all_months = [f"{year}-{m:02d}" for m in range(1, 13)]
    kwh = {c: sum(sum(m.values()) for m in per[c]["units"].values()) if c in per else 0.0
           for c in ("electricity", "green_power")}
    method = grid_method.choose(ws, table, kwh["green_power"])
    if method["issue"]:
        issues.append(_issue("warning", *method["issue"], "green_power"))
    for cid in cat.carriers:
        if cid not in per:
            continue
        units = per[cid]["units"]
        if cid == "steam" and len(units) > 1:
            gj_per_t = f("steam.gj_per_t")
            merged: dict[str, float] = {}
            for u, months in units.items():
                for p, v in months.items():
                    merged[p] = merged.get(p, 0.0) + (v * gj_per_t if u == "t" else v)
            unit, months = "GJ", merged
        else:
            unit, months = next(iter(units.items()))
        total = sum(months.values())
        tce, co2 = _convert(cid, unit, total, f, basis, count_water, method)
        c = cat.carriers[cid]
        carriers[cid] = {"unit": unit, "total": round(total, 6),
                         "months": {p: round(months[p], 6) for p in sorted(months)},
                         "tce": None if tce is None else round(tce, 6), "co2_t": None if co2 is None else round(co2, 6),
                         "name": c.zh if language() == "zh" else c.en, "kind": c.kind,
                         "tce_months": ({p: round(months[p] * tce / total, 6) for p in sorted(months)}
                                        if tce is not None and total else {}),
                         "co2_months": ({p: round(months[p] * co2 / total, 6) for p in sorted(months)}
                                        if co2 is not None and total else {}),
                         "renewable": cid in RENEWABLE, "meters": len(meters.get(cid, {})),
                         "files": sorted(files.get(cid, ()))}
        missing = [p for p in all_months if p not in months]
        if missing:
            issues.append(_issue("warning", "missing_months",
                                 f"{c.zh}缺少 {len(missing)} 个月的数据：{'、'.join(missing)}（缺失不按零计）。",
                                 f"{c.en}: no data for {len(missing)} months: {', '.join(missing)} (missing is not zero).",
                                 cid))
        else:
            for meter, ps in sorted(meters.get(cid, {}).items()):
                mm = [p for p in all_months if p not in ps]
                if mm and len(mm) < 12:
                    issues.append(_issue("warning", "missing_months",
                                         f"表 {meter}（{c.zh}）缺少：{'、'.join(mm)}。",
                                         f"Meter {meter} ({c.en}) has no data for {', '.join(mm)}.", f"{cid}/{meter}"))
    if not carriers:
        issues.append(_issue("warning", "no_data", f"{year} 年没有导入的能源数据。", f"No energy data imported for {year}.", ""))
    # totals
    counted = [c for c, d in carriers.items() if d["tce"] is not None]
    total_tce = sum(carriers[c]["tce"] for c in counted)
    total_co2 = sum(d["co2_t"] for d in carriers.values() if d["co2_t"] is not None)
    renewable = sum(carriers[c]["tce"] for c in RENEWABLE if c in carriers and carriers[c]["tce"] is not None)
    other_basis = "equivalent" if basis == "calorific" else "calorific"
    alt = 0.0
    for c in counted:
        d = carriers[c]
        if c in ("electricity", "pv_self_use", "green_power"):
            alt += d["total"] * float(table[f"sce.electricity.{other_basis}"]["value"]) / 1000
        else:
            alt += d["tce"]
    out: dict = {"year": year, "carriers": carriers, "issues": issues}
    out["total_tce"] = round(total_tce, 6)
    out["electricity_basis"] = basis
    out[f"total_tce_{other_basis}"] = round(alt, 6)
    out[f"total_tce_{basis}"] = round(total_tce, 6)
    out["total_co2_t"] = round(total_co2, 6)
    out["renewable_tce"] = round(renewable, 6)
    out["renewable_share_pct"] = round(renewable / total_tce * 100, 4) if total_tce > 0 else None
    applied = table[method["grid_id"]]
    out["grid_factor"] = {k: applied[k] for k in ("year", "region", "value", "unit")} | {"method": method["method"]}
    out["electricity_co2"] = grid_method.describe(method, table, kwh["electricity"], kwh["green_power"])
    if a is not None:
        prod = production_totals(ws, a["id"], year)
        out["production"] = prod
        for name, d in prod["products"].items():
            gap = d.get("months_missing") or []
            if gap:
                zh = "" if name == "-" else f"（{name}）"
                en = "" if name == "-" else f" of '{name}'"
                issues.append(_issue("warning", "production_partial",
                                     f"产量/产值{zh}只录入了部分月份，缺少：{'、'.join(gap)}；强度指标会因此偏高。"
                                     "请补齐各月或录入全年数。",
                                     f"Output{en} is entered for part of the year only; missing: {', '.join(gap)}; "
                                     "intensities will come out too high. Enter the missing months or a yearly figure.",
                                     "production"))
        v = prod.get("output_value_wan_yuan")
        q = prod.get("quantity")
        inten = {}
        if v:
            inten["kgce_per_wan_yuan"] = round(total_tce * 1000 / v, 6)
            inten["tce_per_wan_yuan"] = round(total_tce / v, 8)
            inten["kgco2_per_wan_yuan"] = round(total_co2 * 1000 / v, 6)
            if "water" in carriers:
                inten["water_m3_per_wan_yuan"] = round(carriers["water"]["total"] / v, 6)
        if q:
            inten["kgce_per_unit"] = round(total_tce * 1000 / q, 6)
            inten["kgco2_per_unit"] = round(total_co2 * 1000 / q, 6)
            if "water" in carriers:
                inten["water_m3_per_unit"] = round(carriers["water"]["total"] / q, 6)
            inten["product_unit"] = prod.get("unit")
        out["intensity"] = inten
    if carriers.get("electricity"):
        f(method["grid_id"])
    out["factors"] = [_public(e) for e in used.values()]
    # meters checked, not counted: each boundary meter against its sub-meters (线损/未计量)
    from greendesk.core.meters.register import loss_report

    out["sub_meter_checks"] = loss_report(ws, year)
    return out


def _convert(cid: str, unit: str, total: float, f, basis: str, count_water: bool,
             method: dict) -> tuple[float | None, float | None]:
    """(tce, tCO2) for a carrier total in its unit; ``method`` from grid_method.choose."""
    if cid in ("electricity", "pv_self_use", "green_power"):
        tce = total * f(f"sce.electricity.{basis}") / 1000
        if cid == "electricity":
            co2 = total * f(method["grid_id"]) / 1000
        elif cid == "green_power":
            co2 = total * f(method["green_id"] or "co2.grid") / 1000
        else:
            co2 = 0.0
        return tce, co2
    if cid == "pv_export":
        return None, None
    if cid == "natural_gas":
        return total * f("sce.natural_gas") / 1000, total * f("co2.natural_gas") / 1e4
    if cid == "steam":
        if unit == "t":
            return total * f("sce.steam"), total * f("steam.gj_per_t") * f("co2.heat")
        return total * f("sce.heat"), total * f("co2.heat")
    if cid == "heat":
        return total * f("sce.heat"), total * f("co2.heat")
    if cid in ("diesel", "gasoline", "fuel_oil", "coal", "lpg"):
        return total * f(f"sce.{cid}"), total * f(f"co2.{cid}")
    if cid == "water":
        return (total * f("sce.water") / 1000 if count_water else None), None
    return None, None


def auto_values(ws, assessment_id: int) -> dict[str, float]:
    """Indicator inputs computed from the workspace data (only keys that have data)."""
    s = energy_summary(ws, assessment_id=assessment_id)
    c = s["carriers"]
    out: dict[str, float] = {}
    energy = [k for k, d in c.items() if d["tce"] is not None]
    if energy:
        out["energy.total_tce"] = s["total_tce"]
        out["energy.total_tce_equivalent"] = s.get("total_tce_equivalent", s["total_tce"])
        out["energy.total_tce_calorific"] = s.get("total_tce_calorific", s["total_tce"])
        out["energy.co2_t"] = s["total_co2_t"]
        out["energy.renewable_tce"] = s["renewable_tce"]
        if s["renewable_share_pct"] is not None:
            out["energy.renewable_share_pct"] = s["renewable_share_pct"]
    for cid, key in (("electricity", "energy.electricity_kwh"), ("natural_gas", "energy.natural_gas_m3"),
                     ("pv_self_use", "energy.pv_self_use_kwh"), ("green_power", "energy.green_power_kwh"),
                     ("pv_export", "energy.pv_export_kwh"), ("water", "water.intake_m3")):
        if cid in c:
            out[key] = c[cid]["total"]
    prod = s.get("production") or {}
    if prod.get("quantity") is not None:
        out["production.quantity"] = prod["quantity"]
    if prod.get("output_value_wan_yuan") is not None:
        out["production.output_value_wan_yuan"] = prod["output_value_wan_yuan"]
    inten = s.get("intensity") or {}
    for k in ("kgce_per_wan_yuan", "kgco2_per_wan_yuan", "kgce_per_unit", "kgco2_per_unit"):
        if k in inten and energy:
            out[f"energy.{k}"] = inten[k]
    for k in ("water_m3_per_wan_yuan", "water_m3_per_unit"):
        if k in inten:
            out[f"water.{k[6:]}"] = inten[k]
    return out
