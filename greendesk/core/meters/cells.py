"""Cell-level helpers shared by the layout finders: empties, numbers, totals, notes, titles."""

from __future__ import annotations

import re
from functools import lru_cache

from greendesk.core.meters.values import NotANumber, parse_number

HEADER_SCAN = 40
_TOTAL_RE = re.compile(r"(合\s*计|小\s*计|总\s*计|共\s*计|累\s*计|全年|年度合计|^total\b|\btotal$|^sum$|subtotal|grand total)",
                       re.I)
_NOT_INTAKE = re.compile(r"回用|中水|循环水|重复利用|排水|废水|污水|冷凝水回收|recycl|reuse|discharge|waste ?water", re.I)
_UNIT_NOTE = re.compile(r"(?:计量)?单位\s*[:：]\s*([^\s,，;；)）]+)|\bunits?\s*[:：]\s*(\S+)", re.I)


_DAY = re.compile(r"^\s*(\d{1,2})\s*[日号]\s*$")


def _days_of_a_month(values: list) -> bool:
    """Day-of-month labels (1日, 2号, or 1..31 for more than 12 rows): a daily sheet of one month."""
    def day(v) -> bool:
        if type(v) is int or (type(v) is float and v.is_integer()):
            return 1 <= v <= 31
        m = _DAY.match(_txt(v))
        return bool(m) and 1 <= int(m.group(1)) <= 31
    vals = [v for v in values if not _empty(v) and not is_total(v)]
    if not vals or sum(map(day, vals)) < len(vals) * 0.6:
        return False
    return len(vals) > 12 or any(_DAY.match(_txt(v)) for v in vals)


_NOT_METER = re.compile(r"产量|产值|单耗|单位产品|强度|折标|标煤|\btce\b|intensity|per unit|\boutput\b", re.I)


def _not_a_meter(label: str, unit: str | None) -> bool:
    """Output, output value, per-unit and converted (tce) figures that ledgers carry next to the meters."""
    return bool(_NOT_METER.search(label)) or bool(unit and "/" in unit)


# a note about when the sheet was made: a preparation word, or a full day (a ledger's period is a year or a month)
_MADE_ON = re.compile(r"制表|填表|填报日期|编制日期|打印|导出|报送日期|审核日期|printed|exported|prepared"
                      r"|\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}", re.I)

_MONEY = re.compile(r"费|金额|单价|价格|[(（/]\s*万?元|^万?元$|元\s*[)）]|\bcost\b|\bprice\b|\bcny\b|\brmb\b|yuan", re.I)
_NOTE = re.compile(r"^[^:：]{1,12}[:：]\s*\S")
_TITLE = re.compile(r"(统计表|台账|报表|月报|年报|日报|汇总表|汇总|一览表|明细表|记录表|情况表|登记表|消耗表|抄表单|report|ledger)\s*$"
                    r"|^\S{2,}(公司|工厂|厂)\S*\d{4}", re.I)


_PARTIAL = re.compile(r"季|半年|上旬|中旬|下旬|\bq[1-4]\b|\bh[12]\b|quarter", re.I)


def _partial(row: list, pc: int | None) -> bool:
    """A subtotal of part of the year (a quarter, a half): left out, not cross-checked."""
    upto = (pc if pc is not None else 0) + 1
    return any(isinstance(v, str) and _PARTIAL.search(v) for v in row[:max(upto, 3)])


def is_total(text) -> bool:
    return type(text) is str and bool(text) and _is_total_str(text)


@lru_cache(maxsize=8192)
def _is_total_str(text: str) -> bool:
    return bool(_TOTAL_RE.search(text.strip()))


def _empty(v) -> bool:
    return v is None or v == "" or (type(v) is str and not v.strip())


def _is_num(v) -> bool:
    t = type(v)
    if t is float or t is int:
        return True
    if t is str:
        try:
            x, _ = parse_number(v)
        except NotANumber:
            return False
        return x is not None
    return False



def _txt(v) -> str:
    if _empty(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _row_cells(row: list) -> list[tuple[int, object]]:
    return [(c, v) for c, v in enumerate(row) if not _empty(v)]



# The fix of a conflicting duplicate: never "delete the wrong row" (the rows may be real time-of-use parts)
DUP_FIX_ZH = ("核对这两处：如是分时电量（尖峰/高峰/平段/低谷）或不同的表计，请在“时段”或“计量点”列注明；"
              "如确是重复录入，请更正其中一处的数值。")
DUP_FIX_EN = ("Check both places: if they are time-of-use parts (peak, flat, valley) or different meters, say so in a "
              "time-of-use or meter column; if one was typed twice, correct its value.")
