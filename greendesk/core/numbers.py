"""One parser for numbers people type or paste (app fields, ``answers --set``, factor and benchmark values).

It accepts what a number looks like on a Chinese desk: a cell pasted from Excel with its line end,
surrounding spaces, thousands separators (``2,350``), full-width digits (``２３５０``), the Chinese full
stop or the full-width dot as decimal point (``23。5``), a leading minus (ASCII, full-width or the
Unicode minus ``−``), an exponent (``1e3``) and a trailing unit that is the field's own (``2,350 t`` in a
t field, ``85%`` in a percent field).

It refuses everything else with a reason in Chinese and English (:class:`NumberRefused`, a
``UserError``) and never guesses: a decimal in an integer field is refused (``7.5`` is not 75), a
misplaced thousands separator (``2,35``) is refused, a different unit is refused, NaN and infinity
are refused, and so is anything beyond ±1e15 (no factory figure is that large; larger values are
typing accidents and break the report).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from greendesk.core.errors import UserError

# No figure GreenDesk stores comes near this; beyond it floats lose whole units and reports print 1e+15.
LIMIT = 1e15

# Spellings of the same unit (compared after NFKC and casefold; keys are canonical).
_UNIT_ALIASES = {
    "%": {"%", "percent", "百分比"},
    "t": {"t", "吨", "tonne", "tonnes", "ton", "tons"},
    "kg": {"kg", "千克", "公斤"},
    "tce": {"tce", "吨标准煤", "吨标煤", "t标准煤"},
    "kgce": {"kgce", "千克标准煤", "kg标准煤"},
    "m2": {"m2", "m²", "㎡", "平方米", "sqm"},
    "m3": {"m3", "m³", "㎥", "立方米", "方"},
    "nm3": {"nm3", "nm³", "标准立方米", "标方"},
    "kwh": {"kwh", "千瓦时", "度"},
    "万元": {"万元", "万"},
    "项": {"项"},
}

_MINUS = "\u2212\u2012\u2013\ufe63\uff0d"  # minus sign, figure dash, en dash, small and full-width hyphen-minus
_POINTS = "\u3002\uff0e\uff61"              # 。 ． ｡
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_NUMBER = re.compile(r"""
    (?P<sign>[+-])?
    (?P<int>\d{1,3}(?:,\d{3})+|\d+)?
    (?:\.(?P<frac>\d*))?
    (?:[eE](?P<exp>[+-]?\d+))?
    """, re.VERBOSE)
_NONFINITE = {"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "∞", "+∞", "-∞"}


class NumberRefused(UserError):
    """A typed or pasted number that cannot be taken as it stands."""


def _refuse(where: str, zh: str, en: str) -> NumberRefused:
    return NumberRefused(f"{where}：{zh}" if where else zh, f"{where}: {en}" if where else en)


def _fmt(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e6 else f"{x:,.0f}" if x == int(x) else f"{x:,g}"


def unit_key(unit: str | None) -> str | None:
    """The canonical spelling of a unit, for comparison (``m²`` and ``平方米`` are both ``m2``)."""
    if not unit:
        return None
    u = _SPACES.sub("", unicodedata.normalize("NFKC", unit)).casefold()
    for key, names in _UNIT_ALIASES.items():
        if u in names:
            return key
    return u


def normalise_text(text: str) -> str:
    """Full-width forms to ASCII, the Chinese decimal points to '.', the minus signs to '-', no outer space."""
    s = unicodedata.normalize("NFKC", text)
    s = s.translate({ord(c): "-" for c in _MINUS} | {ord(c): "." for c in _POINTS} | {ord("，"): ","})
    return _SPACES.sub(" ", s).strip()


def parse_number(value: Any, *, kind: str = "number", unit: str | None = None, minimum: float | None = None,
                 maximum: float | None = None, where: str = "") -> int | float | None:
    """The number in ``value`` for a field of ``kind`` ("number", "percent" or "integer") in ``unit``.

    ``value`` is text as typed or pasted, or an int/float (from JSON or a spreadsheet cell). Empty text
    gives None (no answer). Integral values come back as int. Raises :class:`NumberRefused` saying why.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _refuse(where, "应为数值，不是是/否", "expected a number, not yes/no")
    if isinstance(value, (int, float)):
        x = float(value) if isinstance(value, float) else value
        shown = repr(value)
    elif isinstance(value, str):
        shown = value.strip()
        x = _parse_text(value, kind=kind, unit=unit, where=where)
        if x is None:
            return None
    else:
        raise _refuse(where, "应为数值", "expected a number")
    return _check(x, shown, kind=kind, minimum=minimum, maximum=maximum, where=where)


def _parse_text(text: str, *, kind: str, unit: str | None, where: str) -> float | int | None:
    raw = text.strip()
    s = normalise_text(text)
    if not s:
        return None
    if s.casefold() in _NONFINITE:
        raise _refuse(where, f"“{raw}”不是有限的数值", f"'{raw}' is not a finite number")
    if len(s) > 64:
        raise _refuse(where, f"“{raw[:20]}…”太长，不是可接受的数值", f"'{raw[:20]}…' is too long to be a number")
    m = _NUMBER.match(s)
    if not (m.group("int") or m.group("frac")):
        raise _refuse(where, f"“{raw}”不是数值", f"'{raw}' is not a number")
    rest = s[m.end():]
    if rest.startswith(",") or ("," in s[:m.end()] and rest[:1].isdigit()) or (rest[:1].isdigit()):
        raise _refuse(where, f"“{raw}”中的千位分隔符位置不对（应为 2,350 或 2350）",
                      f"'{raw}': the thousands separator is misplaced (write 2,350 or 2350)")
    if rest[:1] in (".",):
        raise _refuse(where, f"“{raw}”有多个小数点", f"'{raw}' has more than one decimal point")
    rest = rest.strip()
    if rest[:1].isdigit():
        raise _refuse(where, f"“{raw}”中间有空格（千位请用逗号或不分隔：2,350 或 2350）",
                      f"'{raw}' has a space inside the number (write 2,350 or 2350)")
    if rest:
        _check_unit(raw, rest, kind=kind, unit=unit, where=where)
    number = s[:m.end()].replace(",", "")
    if m.group("frac") is None and m.group("exp") is None:
        return int(number)
    try:
        return float(number)
    except (ValueError, OverflowError):  # pragma: no cover - the pattern only lets valid floats through
        raise _refuse(where, f"“{raw}”不是数值", f"'{raw}' is not a number") from None


def _check_unit(raw: str, written: str, *, kind: str, unit: str | None, where: str) -> None:
    field_unit = unit or ("%" if kind == "percent" else None)
    got = unit_key(written)
    if field_unit and got == unit_key(field_unit):
        return
    if not field_unit:
        raise _refuse(where, f"“{raw}”不是数值（此处不带单位）", f"'{raw}' is not a number (this field has no unit)")
    raise _refuse(where, f"“{raw}”的单位 {written} 与本栏的单位 {field_unit} 不符；请换算为 {field_unit} 后填写",
                  f"'{raw}': the unit {written} is not this field's unit {field_unit}; convert to {field_unit}")


def _check(x: float | int, shown: str, *, kind: str, minimum: float | None, maximum: float | None,
           where: str) -> int | float:
    if isinstance(x, float) and not math.isfinite(x):
        raise _refuse(where, f"“{shown}”不是有限的数值", f"'{shown}' is not a finite number")
    if abs(x) > LIMIT:
        raise _refuse(where, f"“{shown}”超出可接受范围（绝对值不超过 1e15）",
                      f"'{shown}' is out of range (at most 1e15 in size)")
    if kind == "integer" and x != int(x):
        raise _refuse(where, f"“{shown}”不是整数：本栏只接受整数（小数点不会被忽略）",
                      f"'{shown}' is not a whole number: this field takes whole numbers only")
    if minimum is not None and x < minimum:
        if minimum == 0:
            raise _refuse(where, f"“{shown}”是负数，小于下限 0（本栏不能为负）",
                          f"'{shown}' is below the minimum 0 (this field cannot be negative)")
        raise _refuse(where, f"“{shown}”小于下限 {_fmt(minimum)}", f"'{shown}' is below the minimum {_fmt(minimum)}")
    if maximum is not None and x > maximum:
        raise _refuse(where, f"“{shown}”大于上限 {_fmt(maximum)}", f"'{shown}' is above the maximum {_fmt(maximum)}")
    if isinstance(x, float) and x == int(x):
        return int(x)
    return x


def parse_field(value: Any, field, *, where: str | None = None) -> int | float | None:
    """:func:`parse_number` with the kind, unit and bounds of a scheme field (percent: 0–100 unless set)."""
    kind = field.type if field.type in ("integer", "percent") else "number"
    lo = field.min if field.min is not None else (0.0 if kind == "percent" else None)
    hi = field.max if field.max is not None else (100.0 if kind == "percent" else None)
    return parse_number(value, kind=kind, unit=getattr(field, "unit", None), minimum=lo, maximum=hi,
                        where=field.id if where is None else where)
