"""Cell values: numbers typed as text, placeholders, and month/date labels."""

from __future__ import annotations

import datetime as dt
import re

from greendesk.core.meters.catalog import fold

PLACEHOLDERS = frozenset({"", "-", "--", "---", "—", "——", "－", "/", "\\", "无", "暂无", "空", "缺", "缺数", "n/a", "na",
                          "null", "none", "nan", "#n/a", "#value!", "#div/0!", "#ref!", "x", "*", "?", "？", "…", "...",
                          "未抄", "未抄表", "停用"})


_INF = float("inf")


class NotANumber(ValueError):
    pass


_NUM = re.compile(r"^([+-]?)\s*(\d[\d,，' ]*(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?\s*(.*)$")


def parse_number(v) -> tuple[float | None, str | None]:
    """(value or None for missing, unit text written after the number or None).

    Raises NotANumber for text that is neither a number nor a placeholder.
    """
    t = type(v)
    if t is float:
        if v != v:
            return None, None
        if v in (_INF, -_INF):
            raise NotANumber(str(v))
        return v, None
    if t is int:
        return float(v), None
    if v is None:
        return None, None
    if t is bool:
        raise NotANumber(str(v))
    if isinstance(v, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise NotANumber(str(v))
    if t is str:
        try:
            x = float(v)
        except ValueError:
            pass
        else:
            if x != x:
                return None, None
            if x in (_INF, -_INF):
                raise NotANumber(v)
            return x, None
    s = fold(str(v)).strip()
    if s.lower() in PLACEHOLDERS:
        return None, None
    neg = False
    if s.startswith("(") and s.endswith(")"):  # accounting negative
        s, neg = s[1:-1].strip(), True
    m = _NUM.match(s)
    if not m:
        raise NotANumber(s)
    digits = m.group(2).replace(",", "").replace("，", "").replace("'", "").replace(" ", "")
    try:
        x = float(digits + (f"e{m.group(3)}" if m.group(3) else ""))
    except ValueError:
        raise NotANumber(s) from None
    if x != x or x in (float("inf"), float("-inf")):
        raise NotANumber(s)
    if m.group(1) == "-" or neg:
        x = -x
    unit = m.group(4).strip() or None
    if unit is not None and not _unit_like(unit):
        raise NotANumber(s)
    return x, unit


_UNIT_LIKE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9³/·.^-]{0,9}|(?:万|千|百万)?[a-zA-Z0-9³·.]*(?:千瓦时|度|立方米|立方|方|吨|千克|公斤|升|吉焦|兆焦|瓦时))$")


def _unit_like(text: str) -> bool:
    from greendesk.core.meters.catalog import catalog

    return catalog().unit(text) is not None or bool(_UNIT_LIKE.match(text))


# -- periods ------------------------------------------------------------------------

_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11,
             "十二": 12, "正": 1, "冬": 11, "腊": 12}
_EN_MONTH = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_EN_MONTH.update({"sept": 9, "june": 6, "july": 7})

_YM = re.compile(r"^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月份?|月)?$")
_YMD = re.compile(r"^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?"
                  r"(?:[ T]+(\d{1,2})[:：时](\d{1,2})?(?:[:：分](\d{1,2}))?\s*(?:秒)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_YYYYMM = re.compile(r"^(\d{4})(\d{2})$")
_MM_YYYY = re.compile(r"^(\d{1,2})\s*[-/]\s*((?:19|20)\d\d)$")   # 01/2025 (not "12.3456": a number)
_Y_M_STAT = re.compile(r"^(\d{4})\s*m\s*(\d{1,2})$")           # 2025M01 (statistics style)
_M_ONLY = re.compile(r"^(\d{1,2})\s*月份?$")
_M_CN = re.compile(r"^(十[一二]?|[一二三四五六七八九正冬腊])\s*月份?$")
_EN = re.compile(r"^([a-z]{3,9})\.?(?:[\s\-/,']*(\d{2}|\d{4}))?$")
_EN_Y_FIRST = re.compile(r"^(\d{4})[\s\-/]*([a-z]{3,9})\.?$")
# a year, never a meter or line number (2019#变压器, 2020号线, 2021线)
_YEAR = re.compile(r"(?<![\d#＃])(19[9]\d|20\d\d|2100)(?!\d)(?!\s*(?:[#＃号台线]|车间|回路|变))")

# a billing cycle: two dates joined by ~ 至 到 or a dash before the second year
_CYCLE = re.compile(r"^(\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?)\s*(?:~|～|至|到|—|–|-)\s*"
                    r"(\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?)$")

EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class Period:
    """A parsed time label. year may be None for month-only labels (1月, Jan)."""

    __slots__ = ("year", "month", "stamp", "fine", "cycle")

    def __init__(self, year: int | None, month: int, stamp: str | None = None, fine: bool = False,
                 cycle: tuple[str, str] | None = None):
        self.year = year
        self.month = month
        self.stamp = stamp  # full timestamp text for dates/times (duplicates are found on it)
        self.fine = fine    # finer than a month (a day or an hour)
        self.cycle = cycle  # a billing cycle (start, end) booked to the end date's month

    def key(self, year: int | None = None) -> str:
        return f"{self.year or year:04d}-{self.month:02d}"

    def __repr__(self) -> str:
        return f"Period({self.year}, {self.month}, {self.stamp!r})"


def _mk(y: int, m: int) -> Period | None:
    if 1 <= m <= 12 and 1 <= y <= 9999:
        return Period(y, m)
    return None


def parse_period(v, *, allow_serial: bool = True, allow_month_number: bool = False) -> Period | None:
    """Parse a month or date label; None when ``v`` is not one."""
    t = type(v)
    if t is dt.datetime:
        fine = v.day != 1 or v.hour or v.minute
        return Period(v.year, v.month, v.isoformat(), bool(fine))
    if t is dt.date:
        return Period(v.year, v.month, v.isoformat(), v.day != 1)
    if t is float or t is int:
        if v != v:
            return None
        if allow_month_number and float(v).is_integer() and 1 <= v <= 12:
            return Period(None, int(v))
        if 190001 <= v <= 210012 and float(v).is_integer():
            return _mk(int(v) // 100, int(v) % 100)
        if 1990 <= v < 2101 and not float(v).is_integer():
            y = int(v)
            frac = round((v - y) * 100)
            m = frac if 1 <= frac <= 12 else round((v - y) * 10)
            return _mk(y, m)
        if allow_serial and 20000 < v < 80000:
            d = EXCEL_EPOCH + dt.timedelta(days=float(v))
            fine = d.day != 1 or d.hour or d.minute
            return Period(d.year, d.month, d.isoformat(), bool(fine))
        return None
    if t is not str:
        return None
    s = fold(v).strip().lower()
    if not s or len(s) > 40:
        return None
    m = _CYCLE.match(s)
    if m:
        a, b = parse_period(m.group(1)), parse_period(m.group(2))
        if a is not None and b is not None and a.year and b.year and (a.year, a.month) <= (b.year, b.month):
            # 2024-12-26 ~ 2025-01-25: a billing cycle, booked to the month its end date falls in
            return Period(b.year, b.month, f"{a.stamp or a.key()}~{b.stamp or b.key()}", False,
                          (a.stamp or a.key(), b.stamp or b.key()))
        return None
    m = _YM.match(s)
    if m:
        return _mk(int(m.group(1)), int(m.group(2)))
    m = _YMD.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            stamp = dt.datetime(y, mo, d, int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0))
        except ValueError:
            return None
        return Period(y, mo, stamp.isoformat(), d != 1 or m.group(4) is not None)
    m = _YYYYMM.match(s) or _Y_M_STAT.match(s)
    if m:
        return _mk(int(m.group(1)), int(m.group(2)))
    m = _MM_YYYY.match(s)
    if m:
        return _mk(int(m.group(2)), int(m.group(1)))
    m = _M_ONLY.match(s)
    if m:
        mo = int(m.group(1))
        return Period(None, mo) if 1 <= mo <= 12 else None
    m = _M_CN.match(s)
    if m:
        return Period(None, _CN_MONTH[m.group(1)])
    m = _DMY.match(s)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            stamp = dt.datetime(y, mo, d, int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0))
        except ValueError:
            return None
        return Period(y, mo, stamp.isoformat(), True)
    m = _EN.match(s)
    if m and m.group(1) in _EN_MONTH or (m and m.group(1)[:3] in _EN_MONTH and len(m.group(1)) > 3
                                         and _full_month(m.group(1))):
        mo = _EN_MONTH.get(m.group(1)) or _EN_MONTH[m.group(1)[:3]]
        ys = m.group(2)
        if ys:
            y = int(ys) + (2000 if len(ys) == 2 else 0)
            return Period(y, mo)
        return Period(None, mo)
    m = _EN_Y_FIRST.match(s)
    if m and m.group(2)[:3] in _EN_MONTH and (len(m.group(2)) == 3 or _full_month(m.group(2))):
        return Period(int(m.group(1)), _EN_MONTH[m.group(2)[:3]])
    return None


_FULL = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december", "sept")


def _full_month(s: str) -> bool:
    return s in _FULL


def find_year(text) -> int | None:
    """A plausible 4-digit year inside a title, sheet name or header text."""
    if text is None:
        return None
    m = _YEAR.search(fold(str(text)))
    return int(m.group(1)) if m else None
