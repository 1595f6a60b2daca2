"""The three shared sample ledgers give exactly the expected totals."""

import json

import pytest
from conftest import SHARED

from greendesk.core.meters import analyse

SAMPLES = SHARED / "samples" / "meters"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
UNIT_KEYS = {"kwh": "kWh", "m3": "m3", "gj": "GJ", "t": "t"}


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_sample_totals(name):
    plan = analyse([SAMPLES / name], year=EXPECTED["year"])
    assert plan.ok, [i.text() for i in plan.errors]
    totals = plan.totals()
    want = {k: v for k, v in EXPECTED["files"][name].items() if isinstance(v, dict)}
    got = {}
    for d in totals.values():
        got[d["carrier"]] = (d["unit"], d["total"])
    assert set(got) == set(want)
    for carrier, spec in want.items():
        (ukey, value), = spec.items()
        assert got[carrier][0] == UNIT_KEYS[ukey]
        assert got[carrier][1] == pytest.approx(value, abs=1e-6)
    # every month of 2024 is there
    for f in plan.files:
        for s in f.series:
            assert sorted(s.months) == [f"2024-{m:02d}" for m in range(1, 13)]


def test_sample_a_year_from_assessment_and_total_row_checked():
    plan = analyse([SAMPLES / "a_months_down.xlsx"], year=2024)
    sheet = plan.files[0].sheets[0]
    assert sheet.year == 2024 and sheet.year_from == "assessment"
    assert sheet.header_rows == [1, 2]
    assert sheet.totals and all(t["ok"] for t in sheet.totals)
    # without an assessment year there is nothing to date "1月" by
    plan2 = analyse([SAMPLES / "a_months_down.xlsx"])
    assert any(i.code == "year_unknown" for i in plan2.errors)


def test_sample_c_rollover_reported_usage_column_wins():
    plan = analyse([SAMPLES / "c_readings_with_usage.xlsx"], year=2024)
    codes = {i.code for i in plan.issues}
    assert "reading_chain" in codes
    s = plan.files[0].series[0]
    assert s.meter == "M-03" and s.carrier == "electricity"
    assert s.months["2024-07"] == pytest.approx(37920.0)


def test_mapping_a_long_format_value_column_keeps_the_layout():
    plan = analyse([SAMPLES / "b_quarter_sheets.xlsx"], year=2024)
    for q in range(1, 5):
        plan.set_column(f"第{q}季度!C", carrier="green_power")
    assert plan.ok
    assert plan.totals() == {"green_power": {"carrier": "green_power", "unit": "kWh", "total": 2964400.0, "meters": 1}}
    plan = analyse([SAMPLES / "c_readings_with_usage.xlsx"], year=2024)
    plan.set_column("抄表!F", carrier="water", unit="m3")
    assert plan.ok and plan.totals()["water"]["total"] == pytest.approx(399525.0)
