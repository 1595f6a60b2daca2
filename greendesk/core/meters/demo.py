"""Demo data for the meters area: a 2025 monthly energy ledger of the demo die-casting plant.

Importing this module registers :func:`add_demo_meters` with :mod:`greendesk.core.demo`.
All figures are invented but plausible for ~12,000 t/yr of aluminium die castings:
grid electricity ~19 GWh, natural gas for melting ~0.9 million m³, fresh water
~60,000 m³, rooftop PV self-use ~1.3 GWh, output value ~65,000 万元.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from greendesk.core import demo as _demo

# monthly shape: Chinese New Year dip in February, summer cooling load
_LOAD = [0.93, 0.72, 1.02, 1.03, 1.04, 1.06, 1.09, 1.10, 1.04, 1.02, 1.00, 0.95]
_SUN = [0.55, 0.62, 0.80, 0.95, 1.10, 1.12, 1.35, 1.38, 1.10, 0.85, 0.65, 0.53]
_COOL = [0.9, 0.85, 0.95, 1.0, 1.05, 1.12, 1.2, 1.22, 1.08, 1.0, 0.92, 0.9]


def ledger_rows(year: int = 2025) -> list[list]:
    n = sum(_LOAD)
    s = sum(_SUN)
    rows = [[f"重庆渝锐精密压铸有限公司 {year}年能源与水消耗月报"],
            ["月份", "电（外购）", "天然气（熔炼）", "新水", "光伏自发自用"],
            ["", "kWh", "m³", "m³", "kWh"]]
    for m in range(12):
        rows.append([f"{m + 1}月",
                     round(18_900_000 * _LOAD[m] / n, 0),
                     round(905_000 * _LOAD[m] / n * (1.03 if m in (0, 1, 11) else 1.0), 1),
                     round(61_000 * _LOAD[m] * _COOL[m] / sum(a * b for a, b in zip(_LOAD, _COOL, strict=True)), 1),
                     round(1_320_000 * _SUN[m] / s, 0)])
    totals = ["合计"] + [round(sum(r[i] for r in rows[3:]), 1) for i in range(1, 5)]
    rows.append(totals)
    return rows


def production_rows(year: int = 2025) -> list[tuple[str, float, float]]:
    n = sum(_LOAD)
    return [(f"{year}-{m + 1:02d}", round(12_050 * _LOAD[m] / n, 1), round(65_300 * _LOAD[m] / n, 1))
            for m in range(12)]


def write_ledger(path: Path, year: int = 2025) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "能源月报"
    for r in ledger_rows(year):
        ws.append(r)
    ws.merge_cells("A1:E1")
    wb.save(path)
    return path


def add_demo_meters(ws, assessment_id: int) -> None:
    from greendesk.core.energy import set_production
    from greendesk.core.meters import analyse, commit

    year = ws.assessment(assessment_id)["year"]
    with tempfile.TemporaryDirectory() as d:
        p = write_ledger(Path(d) / f"{year}年能源月报.xlsx", year)
        plan = analyse([p], year=year)
        commit(ws, assessment_id, plan)
    for period, qty, value in production_rows(year):
        set_production(ws, assessment_id, period=period, product="铝合金压铸件", quantity=qty, unit="t",
                       output_value_wan_yuan=value)


if add_demo_meters not in _demo._EXTENSIONS:
    _demo._EXTENSIONS.append(add_demo_meters)
