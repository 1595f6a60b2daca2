"""The safe expression language: parsing, precedence, missing values, division by zero."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from greendesk.core.expr import ComputeError, ExprError, Missing, parse


def ev(text, values=None, **kw):
    return parse(text).evaluate(values or {}, **kw)


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 - 4 - 3", 3),              # left associative
    ("12 / 3 / 2", 2),
    ("-2 * 3", -6),
    ("- -2", 2),
    ("2 * -3 + 1", -5),
    ("1 + 2 > 2", True),            # arithmetic binds tighter than comparison
    ("1 < 2 and 2 < 1 or 3 = 3", True),   # and binds tighter than or
    ("not 1 = 2", True),            # not applies to the comparison
    ("not 1 = 1 or 1 = 1", True),
    ("1 = 1 and not (2 = 2)", False),
    ("1.5e2", 150),
    (".5 + .5", 1),
    ('"yes" = "yes"', True),
    ("'a' != 'b'", True),
    ("true and not false", True),
    ("3 == 3.0", True),
    ("if(1 > 2, 10, 20)", 20),
    ("min(4, 2, 8)", 2),
    ("max(4, 2, 8)", 8),
    ("abs(-3)", 3),
    ("round(2.345, 2)", 2.35),
    ("round(2.5)", 2),
])
def test_values_and_precedence(text, expected):
    assert ev(text) == expected


def test_field_references_and_rows():
    values = {"a.x": 4, "a.rows": [{"q": 2, "w": 3}, {"q": 5, "w": 1}], "a.multi": ["p", "q"], "a.y": "yes"}
    assert ev("${a.x} * 2", values) == 8
    assert ev("sum(${a.rows}, ${q} * ${w})", values) == 11
    assert ev("count(${a.rows})", values) == 2
    assert ev("count(${a.rows}, ${q} > 3)", values) == 1
    assert ev("min_over(${a.rows}, ${q})", values) == 2
    assert ev("max_over(${a.rows}, ${q} / ${w})", values) == 5
    assert ev("count(${a.multi})", values) == 2
    assert ev('selected(${a.multi}, "q")', values) is True
    assert ev('selected(${a.multi}, "z")', values) is False
    assert ev('${a.y} = "yes"', values) is True
    # a row column shadows a field of the same name only inside the row expression
    assert ev("sum(${a.rows}, ${q} + ${a.x})", values) == 2 + 4 + 5 + 4


def test_missing_values_name_what_is_missing():
    with pytest.raises(Missing) as e:
        ev("${a.x} + ${a.y}", {"a.x": 1})
    assert e.value.ref == "a.y"
    assert e.value.describe("en") == "cannot compute: missing a.y"
    assert e.value.describe("zh") == "无法计算：缺少 a.y"
    with pytest.raises(Missing) as e:
        ev("sum(${r}, ${q})", {"r": [{"q": 1}, {"q": None}]})
    assert e.value.ref == "r[2].q"
    # empty text and empty lists count as missing, zero does not
    with pytest.raises(Missing):
        ev("${a}", {"a": ""})
    assert ev("${a} + 1", {"a": 0}) == 1


def test_missing_values_in_lazy_branches_are_not_needed():
    assert ev("if(${c} = 1, 5, ${missing})", {"c": 1}) == 5
    assert ev("1 = 2 and ${missing} > 0", {}) is False
    assert ev("1 = 1 or ${missing} > 0", {}) is True
    assert ev("answered(${missing})", {}) is False
    assert ev("coalesce(${missing}, 7)", {}) == 7


def test_division_by_zero():
    with pytest.raises(ComputeError) as e:
        ev("${a} / ${b}", {"a": 1, "b": 0})
    assert e.value.describe("en") == "cannot compute: division by zero"
    assert e.value.describe("zh") == "无法计算：除数为零"
    assert not isinstance(e.value, Missing)
    assert ev("if(${b} = 0, 0, ${a} / ${b})", {"a": 1, "b": 0}) == 0


def test_type_errors_are_compute_errors():
    with pytest.raises(ComputeError, match="is not a number"):
        ev("${a} + 1", {"a": "abc"})


@pytest.mark.parametrize("text, message", [
    ("1 +", "unexpected end of expression (at column 4)"),
    ("(1 + 2", "expected ')' but found end of expression (at column 7)"),
    ("1 2", "unexpected '2' (at column 3)"),
    ("foo(1)", "unknown function 'foo' (known: abs, answered, coalesce, count, if, max, max_over, min, min_over, "
               "round, selected, sum) (at column 1)"),
    ("if(1, 2)", "if() takes 3 argument(s), got 2 (at column 1)"),
    ("$x + 1", "a field reference must look like ${field.id} (at column 1)"),
    ("1 < 2 < 3", "comparisons cannot be chained; use 'and' (at column 7)"),
    ('"abc', "unterminated string (at column 1)"),
    ("1 # 2", "unexpected character '#' (at column 3)"),
    ("", "empty expression (at column 1)"),
    ("sum(1 + 2, 3)", "the first argument of sum(rows, ...) must be a ${rows} reference (at column 1)"),
])
def test_syntax_errors(text, message):
    with pytest.raises(ExprError) as e:
        parse(text)
    assert str(e.value) == message


def test_never_evaluates_python():
    for text in ("__import__('os')", "open('x')", "${a}.__class__", "lambda: 1"):
        with pytest.raises(ExprError):
            parse(text)


def test_refs_are_collected():
    assert parse("${a.b} + sum(${r}, ${c})").refs == {"a.b", "r", "c"}


@given(st.integers(-1000, 1000), st.integers(-1000, 1000), st.integers(-1000, 1000))
def test_arithmetic_matches_python(a, b, c):
    assert ev("${a} + ${b} * ${c}", {"a": a, "b": b, "c": c}) == a + b * c
    assert ev("(${a} - ${b}) * -${c}", {"a": a, "b": b, "c": c}) == (a - b) * -c
    assert ev("${a} < ${b} or ${b} <= ${c}", {"a": a, "b": b, "c": c}) == (a < b or b <= c)


def test_absurdly_deep_nesting_is_an_expression_error_not_a_crash():
    with pytest.raises(ExprError, match="nested too deeply"):
        parse("(" * 3000 + "1" + ")" * 3000)


def test_number_too_large_is_an_expression_error():
    with pytest.raises(ExprError, match="too large"):
        parse("${a} * 1e999")
