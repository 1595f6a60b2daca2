"""The years side by side: the data the charts draw (core/annual/series.py), the .xlsx chart sheet and the
report's charts across years, on the three-year workspace (figures by hand in threeyears.py)."""

from __future__ import annotations

import pytest

from greendesk.core.annual.returns import build_return
from greendesk.core.annual.series import indicators, years_with_data
from tests.core.annual import threeyears as T


@pytest.fixture
def three(tmp_path):
    ws, ids = T.build(tmp_path / "three.greendesk")
    yield ws, ids
    ws.close()


def test_monthly_series_per_carrier_and_year(three):
    ws, _ = three
    doc = build_return(ws, 2025, lang="en")
    m = {c["carrier"]: c for c in doc["monthly"]}
    assert set(m) == {"electricity", "natural_gas", "water"}
    for y in (2023, 2024, 2025):
        assert m["electricity"]["years"][str(y)] == [T.ELECTRICITY[y]] * 12
        assert m["water"]["years"][str(y)] == [T.WATER[y]] * 12
        assert m["natural_gas"]["totals"][str(y)] == 12 * T.GAS[y]
    assert m["electricity"]["unit"] == "kWh" and m["electricity"]["label"]
    assert years_with_data(doc) == [2023, 2024, 2025]


def test_a_year_without_ledgers_is_none_not_zero(tmp_path):
    ws, _ = T.build(tmp_path / "gap.greendesk", skip_data=(2024,))
    try:
        doc = build_return(ws, 2025, lang="en")
    finally:
        ws.close()
    el = next(c for c in doc["monthly"] if c["carrier"] == "electricity")
    assert el["years"]["2024"] == [None] * 12 and el["totals"]["2024"] is None
    ind = {r["id"]: r for r in indicators(doc)}
    assert ind["energy_per_output"]["values"]["2024"] is None
    assert ind["energy_per_output"]["values"]["2025"] == pytest.approx(T.energy_tce(2025) * 1000 / T.OUTPUT_WAN_YUAN)


def test_xlsx_chart_sheet_holds_the_figures_and_one_chart_each(three, tmp_path):
    from openpyxl import load_workbook

    from greendesk.core.annual.workbook import write_return

    ws, _ = three
    doc = build_return(ws, 2025, lang="zh")
    p = write_return(doc, tmp_path / "r.xlsx", lang="zh")
    sh = load_workbook(p)["逐年对比图"]
    # first table: electricity, months down, 2023-2025 across
    assert sh["A1"].value == "电力（外购电）（kWh）" or sh["A1"].value.endswith("（kWh）")
    assert [sh.cell(2, c).value for c in (2, 3, 4)] == [2023, 2024, 2025]
    assert [sh.cell(3, c).value for c in (2, 3, 4)] == [100_000, 110_000, 125_000]
    # the key indicators table: energy per output value, 2023 listed
    r = next(r for r in range(1, sh.max_row + 1) if sh.cell(r, 1).value == "单位产值综合能耗（当量值）")
    assert sh.cell(r, 2).value == pytest.approx(58.6392) and sh.cell(r, 4).value == pytest.approx(66.0132)
    n_key = len(indicators(doc))
    # openpyxl does not read charts back: count the chart parts in the package
    import zipfile

    with zipfile.ZipFile(p) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3 + n_key


def test_report_draws_the_years_side_by_side(three):
    from reportlab.graphics.shapes import Drawing

    from greendesk.core.package.yearcharts import collect_years, flowables

    ws, ids = three
    y = collect_years(ws, 2025, "zh")
    assert [c["carrier"] for c in y["monthly"]] == ["electricity", "natural_gas", "water"]
    ind = {r["id"]: r for r in y["indicators"]}
    assert ind["solid_waste_use"]["values"] == {"2023": pytest.approx(90.0), "2024": pytest.approx(88.0),
                                                "2025": pytest.approx(86.0)}
    drawings = [f for f in flowables(y, "zh") if isinstance(f, Drawing)]
    assert len(drawings) == 3 + -(-len(y["indicators"]) // 3)     # one per carrier, key indicators three to a row


def test_report_leaves_the_charts_out_with_one_year_only(tmp_path):
    from greendesk.core.package.yearcharts import collect_years

    ws, _ = T.build(tmp_path / "one.greendesk", years=(2025,), listing_year=None)
    try:
        assert collect_years(ws, 2025, "zh") is None
    finally:
        ws.close()
