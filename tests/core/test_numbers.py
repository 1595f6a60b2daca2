"""greendesk.core.numbers: what people type and paste is taken as meant, or refused saying why."""

from __future__ import annotations

import json
import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greendesk.core.numbers import LIMIT, NumberRefused, parse_field, parse_number, unit_key
from greendesk.core.schemes.model import Field


@pytest.mark.parametrize(("text", "kind", "unit", "expected"), [
    ("2350", "number", None, 2350),
    ("2350\r\n", "number", "t", 2350),            # an Excel cell pasted with its line end
    ("2350\n", "integer", None, 2350),
    ("\t 2350 ", "number", None, 2350),
    (" 2350", "number", None, 2350),
    ("2,350", "number", None, 2350),
    ("1,234,567.25", "number", None, 1234567.25),
    ("2,350 t", "number", "t", 2350),             # the field's own unit
    ("2,350t", "number", "t", 2350),
    ("2350 吨", "number", "t", 2350),
    ("86,000 m²", "number", "m2", 86000),
    ("86000平方米", "number", "m2", 86000),
    ("85%", "percent", None, 85),
    ("85 ％", "percent", None, 85),
    ("12.5 %", "number", "%", 12.5),
    ("２３５０", "number", None, 2350),            # full-width digits
    ("２，３５０", "number", None, 2350),
    ("23。5", "number", None, 23.5),              # Chinese full stop as the decimal point
    ("23．5", "number", None, 23.5),              # full-width dot
    ("２３。５", "number", None, 23.5),
    ("-3", "number", None, -3),
    ("−3.5", "number", None, -3.5),               # U+2212 minus sign
    ("－3", "number", None, -3),                  # full-width hyphen-minus
    ("+4", "number", None, 4),
    ("1e3", "number", None, 1000),
    ("1e3", "integer", None, 1000),               # integral: accepted in an integer field
    ("1.5E3", "integer", None, 1500),
    ("2.5e-3", "number", None, 0.0025),
    ("0.1229", "number", None, 0.1229),
    (".5", "number", None, 0.5),
    ("5.", "number", None, 5),
    ("7.0", "integer", None, 7),                  # no digit is lost: 7.0 is 7
    ("0", "integer", None, 0),
    ("1e15", "number", None, 10**15),
    ("-1e15", "number", None, -(10**15)),
    ("", "number", None, None),
    ("  \r\n", "number", None, None),
])
def test_accepted(text, kind, unit, expected):
    got = parse_number(text, kind=kind, unit=unit)
    assert got == expected
    if expected is not None:
        assert type(got) is type(expected)


@pytest.mark.parametrize(("text", "kind", "unit", "minimum", "reason_en", "reason_zh"), [
    ("7.5", "integer", None, None, "not a whole number", "不是整数"),     # never 75
    ("1e-3", "integer", None, None, "not a whole number", "不是整数"),    # never 13
    ("2.25", "integer", None, None, "not a whole number", "不是整数"),
    ("-3", "integer", None, 0, "below the minimum 0", "小于下限 0"),       # never 3
    ("−0.5", "number", "t", 0, "below the minimum 0", "不能为负"),
    ("5", "number", None, 10, "below the minimum 10", "小于下限 10"),
    ("nan", "number", None, None, "not a finite number", "有限"),
    ("NaN", "number", None, None, "not a finite number", "有限"),
    ("inf", "number", None, None, "not a finite number", "有限"),
    ("-Infinity", "number", None, None, "not a finite number", "有限"),
    ("∞", "number", None, None, "not a finite number", "有限"),
    ("1e308", "number", None, None, "out of range", "超出"),
    ("-1e308", "number", None, None, "out of range", "超出"),
    ("1e400", "number", None, None, "not a finite number", "有限"),
    ("1000000000000001", "integer", None, None, "out of range", "超出"),
    ("9" * 5000, "number", None, None, "too long", "太长"),
    ("2,35", "number", None, None, "thousands separator", "千位分隔符"),
    ("23,50,000", "number", None, None, "thousands separator", "千位分隔符"),
    ("1,0000", "number", None, None, "thousands separator", "千位分隔符"),
    ("2 350", "number", None, None, "space inside", "空格"),
    ("1.2.3", "number", None, None, "more than one decimal point", "多个小数点"),
    ("23。5。1", "number", None, None, "more than one decimal point", "多个小数点"),
    ("2,350 kg", "number", "t", None, "not this field's unit t", "单位 t 不符"),
    ("5 m3", "number", "m2", None, "not this field's unit m2", "不符"),
    ("85%", "number", "t", None, "not this field's unit t", "不符"),
    ("12 t", "number", None, None, "has no unit", "不带单位"),
    ("abc", "number", None, None, "is not a number", "不是数值"),
    ("-", "number", None, None, "is not a number", "不是数值"),
    (".", "number", None, None, "is not a number", "不是数值"),
    ("e5", "number", None, None, "is not a number", "不是数值"),
    ("(2,350)", "number", None, None, "is not a number", "不是数值"),
    ("0x10", "number", None, None, "has no unit", "不带单位"),
])
def test_refused_with_reason(text, kind, unit, minimum, reason_en, reason_zh):
    with pytest.raises(NumberRefused) as e:
        parse_number(text, kind=kind, unit=unit, minimum=minimum, where="f.x")
    assert reason_en in e.value.en
    assert reason_zh in e.value.zh
    assert e.value.en.startswith("f.x: ") and e.value.zh.startswith("f.x：")


@pytest.mark.parametrize(("value", "kind", "expected"), [
    (2350, "number", 2350), (2350.0, "number", 2350), (23.5, "number", 23.5), (7, "integer", 7),
    (7.0, "integer", 7),
])
def test_numbers_from_json_or_cells(value, kind, expected):
    got = parse_number(value, kind=kind)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("value", [7.5, float("nan"), float("inf"), -float("inf"), 1e308, True, False, [1], {}])
def test_bad_numbers_from_json_or_cells(value):
    with pytest.raises(NumberRefused):
        parse_number(value, kind="integer")


def test_maximum_and_percent_field_bounds():
    pct = Field(id="share", type="percent", label={"zh": "占比", "en": "Share"})
    assert parse_field("99.5%", pct) == 99.5
    with pytest.raises(NumberRefused, match="above the maximum 100"):
        parse_field("150", pct)
    with pytest.raises(NumberRefused, match="below the minimum 0"):
        parse_field("-1", pct)
    count = Field(id="n", type="integer", min=0, unit="项", label={"zh": "数", "en": "n"})
    assert parse_field("３ 项", count) == 3
    with pytest.raises(NumberRefused, match="n: '7.5' is not a whole number"):
        parse_field("7.5", count)


def test_unit_spellings():
    assert unit_key("m²") == unit_key("m2") == unit_key("平方米") == unit_key("㎡")
    assert unit_key("kWh") == unit_key("kwh") == unit_key("度")
    assert unit_key("t") != unit_key("kg")
    assert unit_key(None) is None


FUZZ_N = int(os.environ.get("GREENDESK_FUZZ_N", "200"))


@pytest.mark.fuzz
@settings(max_examples=FUZZ_N, deadline=None)
@given(st.floats(min_value=-LIMIT, max_value=LIMIT, allow_nan=False, allow_infinity=False))
def test_any_finite_float_round_trips(x):
    """repr, a thousands-grouped form and a full-width form of any number in range parse back to it."""
    assert parse_number(repr(x)) == x
    grouped = f"{x:,.6f}"
    assert math.isclose(parse_number(grouped), float(f"{x:.6f}"), rel_tol=0, abs_tol=0)
    full = repr(x).translate(str.maketrans("0123456789.-", "０１２３４５６７８９。−"))
    assert parse_number(full) == x


@pytest.mark.fuzz
@settings(max_examples=FUZZ_N, deadline=None)
@given(st.text(max_size=30))
def test_any_text_is_a_number_or_a_reason(text):
    """No text crashes the parser or yields a value JSON cannot carry."""
    try:
        v = parse_number(text, kind="number", unit="t")
    except NumberRefused as e:
        assert e.zh and e.en
        return
    if v is not None:
        assert math.isfinite(v) and abs(v) <= LIMIT
        json.dumps(v, allow_nan=False)
