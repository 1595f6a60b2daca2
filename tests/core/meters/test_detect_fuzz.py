"""Property tests: parsers round-trip, and no grid of cells makes the analyser crash."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from greendesk.core.meters.catalog import fold
from greendesk.core.meters.detect import Context, analyse_sheet
from greendesk.core.meters.reader import Sheet
from greendesk.core.meters.values import parse_number, parse_period

FW = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
       st.booleans(), st.booleans(), st.sampled_from(["", " kWh", "万kWh", " m³", "吨"]))
def test_number_text_round_trip(d, grouped, fullwidth, unit):
    text = f"{d:,.2f}" if grouped else f"{d:.2f}"
    if fullwidth:
        text = text.translate(FW)
    value, u = parse_number(text + unit)
    assert value == float(f"{d:.2f}")
    assert (u or "") == fold(unit.strip())


@given(st.integers(1990, 2100), st.integers(1, 12),
       st.sampled_from(["{y}年{m}月", "{y}-{m:02d}", "{y}.{m:02d}", "{y}/{m}", "{y}{m:02d}", "{y}年{m:02d}月份"]))
def test_month_label_forms(y, m, fmt):
    p = parse_period(fmt.format(y=y, m=m))
    assert (p.year, p.month) == (y, m)


CELL = st.one_of(
    st.none(), st.just(""), st.floats(allow_nan=True, allow_infinity=True, width=32), st.integers(-10**6, 10**6),
    st.sampled_from(["电", "天然气", "月份", "合计", "kWh", "万kWh", "m³", "—", "无", "1月", "2025-01", "Jan",
                     "表号", "起码", "止码", "倍率", "用量", "单位", "计量点", "能源品种", "1,234.5", "１２", "abc",
                     "单位：万kWh", "2025年能源台账", "光伏", "柴油", "L", "吨"]),
    st.dates(dt.date(1980, 1, 1), dt.date(2110, 12, 31)),
    st.text(max_size=6),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(CELL, min_size=0, max_size=6), min_size=0, max_size=10), st.sampled_from([None, 2025]))
def test_analyser_never_crashes(rows, year):
    res = analyse_sheet(Sheet("S", [list(r) for r in rows]), Context("f.xlsx", year))
    for s in res.series:
        for k, v in s.months.items():
            assert len(k) == 7 and 1990 <= int(k[:4]) <= 2100
            assert v == v
    res.to_dict()
