"""Layout detection and normalisation of one sheet, with no mapping file needed.

Recognised shapes:

* title and note rows above the header (a year or a "单位：万kWh" note there is used);
* one to three header rows (names, sub-names, a units row);
* months down the rows (a period column: month labels, dates, timestamps) with
  carriers/meters across the columns; interval rows (daily/hourly) are summed to months;
* long format: a period column plus meter / carrier / unit / value columns, or
  meter readings (previous, current, multiplier, usage);
* months across the columns with carriers/meters down the rows;
* one sheet per month (the period is in the sheet name);
* totals rows and columns, left out of the data and used as a cross-check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from greendesk.core.meters.catalog import Catalog, catalog, norm, split_label
from greendesk.core.meters.model import Column, Issue, Series
from greendesk.core.meters.reader import Sheet, cell_ref, col_letter
from greendesk.core.meters.values import NotANumber, Period, find_year, parse_number, parse_period

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


@dataclass
class Context:
    file: str
    year: int | None = None                  # the assessment year (fallback for month-only labels)
    mapping: dict = field(default_factory=dict)
    fast: bool = True


@dataclass
class SheetResult:
    name: str
    layout: str = "none"      # months_down | long | readings | months_across | sheet_period | none
    header_rows: list[int] = field(default_factory=list)   # 1-based
    title: str = ""
    year: int | None = None
    year_from: str = ""
    columns: list[Column] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    data_rows: int = 0
    interval: bool = False

    def periods(self) -> list[str]:
        return sorted({p for s in self.series for p in s.months})

    def to_dict(self) -> dict:
        return {"name": self.name, "layout": self.layout, "header_rows": self.header_rows, "title": self.title,
                "year": self.year, "year_from": self.year_from, "data_rows": self.data_rows,
                "interval": self.interval, "periods": self.periods(),
                "columns": [c.to_dict() for c in self.columns], "series": [s.to_dict() for s in self.series],
                "totals_checks": self.totals, "preview": self.preview,
                "issues": [i.to_dict() for i in self.issues]}


# -- helpers ------------------------------------------------------------------------------

def _txt(v) -> str:
    if _empty(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _row_cells(row: list) -> list[tuple[int, object]]:
    return [(c, v) for c, v in enumerate(row) if not _empty(v)]


class _Analyser:
    def __init__(self, sheet: Sheet, ctx: Context):
        self.sheet = sheet
        self.ctx = ctx
        self.cat: Catalog = catalog()
        self.rows = sheet.rows
        self.res = SheetResult(sheet.name)
        self.default_unit: str | None = None
        self.default_carrier: str | None = None
        self.mapping_cols: dict = {}
        self._uf_memo: dict = {}
        self._period_memo: dict = {}
        self._cu_memo: dict = {}
        self.year_col: int | None = None
        self.sheet_period: Period | None = None
        self.month_hdr = 0
        m = ctx.mapping or {}
        for k, v in (m.get("columns") or m.get("series") or {}).items():
            self.mapping_cols[str(k)] = v or {}

    # -- issues -----------------------------------------------------------------------------
    def where(self, r: int | None = None, c: int | None = None) -> str:
        if r is None:
            return f"{self.ctx.file}, {self.sheet.name}"
        if c is None:
            return f"{self.ctx.file}, {self.sheet.name}!{r + 1}"
        return f"{self.ctx.file}, {self.sheet.name}!{cell_ref(r, c)}"

    def issue(self, level, code, zh, en, where="", fix_zh="", fix_en="") -> None:
        self.res.issues.append(Issue(level, code, zh, en, where, fix_zh, fix_en))

    def ref(self, r: int, c: int) -> str:
        return f"{self.sheet.name}!{cell_ref(r, c)}"

    # -- mapping -------------------------------------------------------------------------------
    def mapped(self, ref: str, label: str) -> dict | None:
        keys = (f"{self.ctx.file}:{self.sheet.name}!{ref}", f"{self.sheet.name}!{ref}", ref, label, norm(label))
        for k in keys:
            if k in self.mapping_cols:
                return self.mapping_cols[k]
        return None

    # -- entry ---------------------------------------------------------------------------------
    def run(self) -> SheetResult:
        sheet_cfg = ((self.ctx.mapping or {}).get("sheets") or {}).get(self.sheet.name) or {}
        if sheet_cfg.get("skip"):
            self.issue("info", "sheet_skipped", "按映射文件跳过此工作表。", "Sheet skipped by the mapping file.",
                       self.where())
            return self.res
        if not any(_row_cells(r) for r in self.rows[:HEADER_SCAN * 5]):
            return self.res
        h = self.find_header(sheet_cfg)
        if h is None:
            self.issue("info", "sheet_skipped", "未找到表头（没有能源品种、月份或日期），已跳过此工作表。",
                       "No header found (no carrier, month or date); sheet skipped.", self.where())
            return self.res
        self.header_block(h, sheet_cfg)
        self.resolve_year()
        self.month_hdr = hdr = self.res.header_rows[0] - 1
        month_cols = [(c, p) for c, v in enumerate(self.rows[hdr]) if not _empty(v)
                      for p in [parse_period(v, allow_serial=False)] if p is not None]
        if len(month_cols) < 3 and len(self.res.header_rows) > 1:
            # months in the second header row, years (merged) in the first: 2024年 | 2025年 over 1月…12月
            low = self.res.header_rows[-1] - 1
            cols = [(c, p) for c, v in enumerate(self.rows[low]) if not _empty(v)
                    for p in [parse_period(v, allow_serial=False)] if p is not None]
            if len(cols) >= 3:
                for c, p in cols:
                    y = find_year(_txt(self.rows[hdr][c])) if c < len(self.rows[hdr]) else None
                    if p.year is None and y:
                        p.year = y
                self.month_hdr, month_cols = low, cols
        if len(month_cols) >= 3 and not self.col_role_exists("period"):
            self.months_across(month_cols)
        else:
            self.months_down()
        self.make_preview()
        return self.res

    def col_role_exists(self, role: str) -> bool:
        hdr = self.res.header_rows[0] - 1
        return any(self.cat.role(split_label(_txt(v))[0]) == role for v in self.rows[hdr] if not _empty(v))

    # -- header --------------------------------------------------------------------------------
    def classify_header_cell(self, v) -> str | None:
        if _empty(v) or _is_num(v):
            return None
        s = _txt(v)
        if _NOTE.match(s):
            return "note"
        if _MONEY.search(s):
            return "text"
        if _TITLE.search(s):
            return "note"
        name, unit = split_label(s)
        if self.cat.role(name) or self.cat.role(s):
            return "role"
        if parse_period(v, allow_serial=False) is not None and not isinstance(v, (float, int)):
            return "period"
        if self.cat.carrier(name):
            return "carrier"
        if is_total(s):
            return "total"
        if self.cat.unit(s):
            return "unit"
        return "text"

    def find_header(self, cfg: dict) -> int | None:
        if cfg.get("header_row"):
            return int(cfg["header_row"]) - 1
        fallback = None
        for r, row in enumerate(self.rows[:HEADER_SCAN]):
            cells = _row_cells(row)
            if not cells:
                continue
            distinct = {_txt(v) for _, v in cells}
            kinds = [self.classify_header_cell(v) for _, v in cells]
            if len(distinct) < 2:
                # a lone header over one column (the period column's header left empty)
                if not (len(cells) == 1 and cells[0][0] > 0 and kinds[0] == "carrier"):
                    continue
            known = sum(k in ("role", "carrier") for k in kinds)
            periods = sum(k == "period" for k in kinds)
            nums = sum(_is_num(v) for _, v in cells)
            if periods >= 3 or (known >= 1 and nums <= len(cells) // 3):
                return r
            if fallback is None and nums == 0 and sum(k == "text" for k in kinds) >= 2:
                fallback = r
        return fallback

    def header_block(self, h: int, cfg: dict) -> None:
        rows = self.rows
        hdrs = [h]
        units_row = None
        for nxt in (h + 1, h + 2):
            if nxt >= len(rows):
                break
            cells = _row_cells(rows[nxt])
            if not cells:
                break
            months = sum(parse_period(v, allow_serial=False) is not None and not self.cat.unit(_txt(v))
                         for _, v in cells)
            if months >= 3 and not any(_is_num(v) or isinstance(v, (float, int)) for _, v in cells) \
                    and not any(parse_period(v, allow_serial=False) for _, v in _row_cells(rows[h])):
                hdrs.append(nxt)        # a row of months under a row of (merged) years: 2024年 | 2025年
                break
            if any(_is_num(v) or isinstance(v, (float, int)) or (parse_period(v) is not None and not self.cat.unit(_txt(v)))
                   for _, v in cells):
                break
            if any(is_total(v) for _, v in cells):
                break
            unitish = sum(1 for _, v in cells if self.cat.unit(_txt(v)))
            if unitish and unitish >= len(cells) - 1:
                units_row = nxt
                hdrs.append(nxt)
                break
            hdrs.append(nxt)
        if cfg.get("units_row"):
            units_row = int(cfg["units_row"]) - 1
            if units_row not in hdrs:
                hdrs.append(units_row)
        self.units_row = units_row
        self.res.header_rows = [r + 1 for r in hdrs]
        self.data_start = max(hdrs) + 1
        # title and note rows
        titles = []
        for r in range(h):
            for _, v in _row_cells(rows[r]):
                s = _txt(v)
                if s and s not in titles:
                    titles.append(s)
        self.res.title = " / ".join(titles)[:200]
        for s in titles:
            m = _UNIT_NOTE.search(s)
            if m:
                u = m.group(1) or m.group(2)
                if self.cat.unit(u):
                    self.default_unit = u
            name, unit_in_title = split_label(s)
            if self.default_unit is None and unit_in_title and self.cat.unit(unit_in_title):
                self.default_unit = unit_in_title       # 2025年用电统计（kWh）
            found = self.cat.carriers_in(name)
            if len(found) == 1 and self.default_carrier is None and len(name) <= 40:
                self.default_carrier = found.pop()
        sc = self.cat.carriers_in(self.sheet.name)
        if len(sc) == 1 and parse_period(self.sheet.name) is None:
            self.default_carrier = self.default_carrier or sc.pop()

    def resolve_year(self) -> None:
        mapping_year = (self.ctx.mapping or {}).get("year")
        sources = [("mapping", mapping_year)] if mapping_year else []
        # a preparation or print date in the note rows (制表日期：2026年1月5日) is not the ledger's year
        title_text = " / ".join(x for x in self.res.title.split(" / ") if not _MADE_ON.search(x))
        sources += [("sheet", find_year(self.sheet.name)), ("title", find_year(title_text))]
        hdr_texts = " ".join(_txt(v) for r in self.res.header_rows for v in self.rows[r - 1]
                             if not _empty(v) and parse_period(v, allow_serial=False) is None)
        sources.append(("header", find_year(hdr_texts)))
        if not _MADE_ON.search(self.ctx.file):     # 能耗导出_2026-01-05.xlsx: an export date, not the ledger's year
            sources.append(("file_name", find_year(self.ctx.file)))
        sources.append(("assessment", self.ctx.year))
        for name, y in sources:
            if y:
                self.res.year, self.res.year_from = int(y), name
                return

    def header_text(self, c: int) -> tuple[str, str | None, str]:
        """(label, unit text, header cell) of column c from the header rows."""
        parts: list[str] = []
        unit = None
        cell = ""
        for r1 in self.res.header_rows:
            r = r1 - 1
            v = self.rows[r][c] if c < len(self.rows[r]) else ""
            if _empty(v):
                continue
            if r == self.units_row:
                unit = _txt(v)
                continue
            s = _txt(v)
            if not cell:
                cell = self.ref(r, c)
            if s not in parts:
                parts.append(s)
        label = " ".join(parts)
        name, u2 = split_label(label)
        if not cell:
            cell = self.ref(self.res.header_rows[0] - 1, c)
        return label, unit or u2, cell

    # -- cell values ----------------------------------------------------------------------
    def unit_factor(self, carrier: str, unit_text: str | None, where) -> tuple[str, float, str] | None:
        """(base unit, factor, written) or None after reporting an error (once per carrier and unit)."""
        if unit_text is None:
            unit_text = self.default_unit
        key = (carrier, unit_text)
        memo = self._uf_memo
        if key in memo:
            return memo[key]
        if callable(where):
            where = where()
        memo[key] = out = self._unit_factor(carrier, unit_text, where)
        return out

    def _unit_factor(self, carrier: str, unit_text: str | None, where: str) -> tuple[str, float, str] | None:
        if unit_text is None:
            c = self.cat.carriers[carrier]
            self.issue("error", "unit_missing",
                       f"找不到{c.zh}的计量单位。可用单位：{'、'.join(self.cat.accepted_units(carrier))}。",
                       f"No unit found for {c.en}. Accepted units: {', '.join(self.cat.accepted_units(carrier))}.",
                       where, "在表头写明单位，例如“电（kWh）”，或增加单位行/单位列，或用 --mapping 指定。",
                       "Put the unit in the header, e.g. 'Electricity (kWh)', add a units row or column, "
                       "or give it with --mapping.")
            return None
        u = self.cat.unit(unit_text)
        conv = self.cat.convert(carrier, u) if u else None
        if conv is None:
            c = self.cat.carriers[carrier]
            acc = self.cat.accepted_units(carrier)
            self.issue("error", "unknown_unit",
                       f"无法识别{c.zh}的单位“{unit_text}”。可用单位：{'、'.join(acc)}。",
                       f"Unit '{unit_text}' is not known for {c.en}. Accepted units: {', '.join(acc)}.",
                       where, "改为可用单位之一，或用 --mapping 指定。", "Use one of the accepted units, or give it with --mapping.")
            return None
        c = self.cat.carriers[carrier]
        if u.to == "L" and "L" not in c.units and "L" not in c.accepts and c.density_kg_per_l:
            d = f"{c.density_kg_per_l:g} kg/L"
            cert_zh = {"confirmed": "已确认", "secondary": "二手来源", "uncertain": "待核实"}.get(
                c.density_certainty, c.density_certainty)
            self.issue("info", "density_used",
                       f"{c.zh}以升计，按密度 {d} 换算为吨（{cert_zh}：{c.density_source.get('zh', '')}）。",
                       f"{c.en} in litres is converted to t with a density of {d} ({c.density_certainty}: "
                       f"{c.density_source.get('en', '')}).", where,
                       "如密度不同，请按送货单上的密度换算为吨后再导入。",
                       "If the density differs, convert to t with the delivery note's density before importing.")
        return conv[0], conv[1], u.name

    def _not_a_meter_note(self, label: str, where: str) -> None:
        self.issue("info", "not_a_meter",
                   f"“{label}”是产量、产值、单耗或折标数据，不是表计用量，未导入。",
                   f"'{label}' is output, output value, a per-unit or a converted (tce) figure, not a meter "
                   "quantity; not imported.", where,
                   "产量和产值请用 greendesk production 录入；如确是表计用量，请用 --mapping 指定。",
                   "Enter output with greendesk production; if it is a meter quantity, give it with --mapping.")

    def bad_cell(self, r: int, c: int, v) -> None:
        self.issue("error", "not_a_number", f"单元格内容“{_txt(v)[:30]}”不是数字。", f"Cell value '{_txt(v)[:30]}' is not a number.",
                   self.where(r, c), "改为数字；缺数请留空或填“—”（按缺失处理，不按零处理）。",
                   "Enter a number; leave it empty or type '—' for a missing value (treated as missing, not zero).")

    def period_of(self, v, r: int, c: int, *, month_number: bool = False) -> Period | None:
        if type(v) is str:
            key = (v, month_number)
            memo = self._period_memo
            if key not in memo:
                memo[key] = self._period_of(v, r, c, month_number=month_number)
            return memo[key]
        return self._period_of(v, r, c, month_number=month_number)

    def _period_of(self, v, r: int, c: int, *, month_number: bool = False) -> Period | None:
        p = parse_period(v, allow_month_number=month_number)
        if p is None:
            return None
        if p.year is None:
            if self.res.year is None:
                self.issue("error", "year_unknown", "月份没有年份，文件中也找不到年份。", "The month has no year and none was found in the file.",
                           self.where(r, c), "用 --year 指定年份，或在标题中写明年份。", "Give the year with --year or put it in the title.")
                return None
            p.year = self.res.year
        if not (1990 <= p.year <= 2100):
            self.issue("error", "impossible_year", f"年份 {p.year} 不可能。", f"Year {p.year} is impossible.",
                       self.where(r, c), "检查日期的录入。", "Check how the date was typed.")
            return None
        return p

    # -- months down (and long format) -----------------------------------------------------------
    def months_down(self) -> None:
        rows = self.rows
        width = max((len(r) for r in rows[:self.data_start + 50]), default=0)
        roles: dict[int, Column] = {}
        pc = None
        for c in range(width):
            label, unit, cell = self.header_text(c)
            col_vals = [r[c] for r in rows[self.data_start:self.data_start + 60] if c < len(r)]
            if not label and not any(not _empty(v) for v in col_vals):
                continue
            key = f"{self.sheet.name}!{col_letter(c)}"
            col = Column(key, col_letter(c), label, cell, "ignore")
            name = split_label(label)[0] if label else ""
            m = self.mapped(col_letter(c), label)
            role = self.cat.role(name) or self.cat.role(label) if label else None
            if label and role is None and _MONEY.search(label):
                role = "ignore"
            if label and role is None and m is None and _not_a_meter(label, unit):
                role = "ignore"
                self._not_a_meter_note(label, f"{self.ctx.file}, {cell}")
            carrier = self.cat.carrier(name) if label and not role else None
            if carrier == "water" and _NOT_INTAKE.search(label):
                role, carrier = "ignore", None
                self.issue("info", "not_intake", f"列“{label}”不是新水取水量（回用/循环/排水），未计入取水。",
                           f"Column '{label}' is not fresh-water intake (reused, recirculated or discharged); "
                           "not counted as intake.", f"{self.ctx.file}, {cell}")
            if m is not None:
                col.source = "mapping"
                if m.get("ignore") or m.get("carrier") == "ignore":
                    role, carrier = "ignore", None
                elif m.get("role"):
                    role = m["role"]
                if m.get("carrier") and m.get("carrier") != "ignore":
                    if role in ("value", "current"):
                        col.carrier = m["carrier"]   # a long-format value column keeps its role
                        carrier = None
                    else:
                        carrier, role = m["carrier"], None
                if m.get("unit"):
                    unit = m["unit"]
                col.meter = m.get("meter")
            nonempty = [v for v in col_vals if not _empty(v)]
            numeric = sum(_is_num(v) for v in nonempty)
            if role == "period" and m is None and _days_of_a_month(nonempty):
                sp = parse_period(self.sheet.name)
                if sp is not None and sp.month:
                    role = "ignore"     # days of the sheet's month: the rows are summed to that month
            if pc is None and (role == "period" or (role is None and not carrier and nonempty and
                                                    sum(parse_period(v, allow_serial=False) is not None
                                                        for v in nonempty) >= max(1, len(nonempty) * 0.6))):
                col.role = "period"
                pc = c
            elif role == "year" and self.year_col is None:
                col.role = "year"
                self.year_col = c
            elif role in ("meter", "carrier", "unit", "value", "previous", "current", "multiplier", "ignore"):
                col.role = role
                if role == "value" and col.source != "mapping":
                    col.carrier = carrier or self.cat.carrier(label) if label else None
            elif role == "period":
                col.role = "ignore"
            elif carrier:
                col.role, col.carrier = "series", carrier
            elif label and is_total(label):
                col.role = "total"
            elif nonempty and numeric >= len(nonempty) * 0.5:
                col.role = "series"
                u = self.cat.unit(unit) if unit else (self.cat.unit(self.default_unit) if self.default_unit else None)
                cands = self.cat.carriers_for_unit(u) if u else []
                if self.default_carrier:
                    col.carrier, col.source = self.default_carrier, "assumed"
                elif u and (len(cands) == 1 or u.to == "kWh"):
                    col.carrier, col.source = ("electricity" if u.to == "kWh" else cands[0]), "assumed"
                else:
                    col.role = "unknown"
            col.unit = unit
            if col.role == "series" and col.carrier and col.carrier not in self.cat.carriers:
                self.issue("error", "unknown_carrier", f"映射中的能源品种“{col.carrier}”未知。",
                           f"Unknown carrier '{col.carrier}' in the mapping.", cell)
                col.role = "unknown"
            roles[c] = col
        self.res.columns = list(roles.values())
        carriers_here = {c.carrier for c in roles.values() if c.role == "series"}
        if "pv_export" in carriers_here:
            for col in roles.values():
                if col.carrier == "pv_self_use" and "发电" in col.label:
                    self.issue("warning", "pv_generation",
                               f"“{col.label}”可能是光伏总发电量（含上网电量）；自用电量 = 发电量 − 上网电量。",
                               f"'{col.label}' may be total PV generation including the exported part; "
                               "self-use = generation − export.", f"{self.ctx.file}, {col.header_cell}",
                               "改为填写自发自用电量，或用 --mapping 调整。", "Enter the self-used amount, or adjust with --mapping.")
        by_role: dict[str, list[int]] = {}
        for c, col in roles.items():
            by_role.setdefault(col.role, []).append(c)
        if by_role.get("current") and not by_role.get("value") and len(by_role.get("series", [])) == 1:
            # a readings ledger whose usage column is named by its carrier (用电量, 用水量(m³)): the usage column
            c = by_role.pop("series")[0]
            roles[c].role = "value"
            by_role["value"] = [c]
        for c in by_role.get("unknown", []):
            col = roles[c]
            self.issue("error", "unknown_carrier",
                       f"无法识别列“{col.label or col.ref}”的能源品种。可识别的有：{self._carrier_list('zh')}。",
                       f"Cannot tell which carrier column '{col.label or col.ref}' holds. Known carriers: "
                       f"{self._carrier_list('en')}.", f"{self.ctx.file}, {col.header_cell}",
                       "把表头改为能源名称（如 电、天然气、新水），或用 --mapping 指定，或忽略该列。",
                       "Name the carrier in the header (e.g. Electricity, Natural gas, Water), give it with --mapping, "
                       "or mark the column ignored.")
        if pc is None:
            sp = parse_period(self.sheet.name)
            if sp is not None and (by_role.get("series") or by_role.get("value")):
                if sp.year is None:
                    sp.year = self.res.year
                if sp.year is None or not 1990 <= sp.year <= 2100:
                    self.issue("error", "year_unknown", "工作表名中的月份没有年份，文件中也找不到年份。",
                               "The sheet's month has no year and none was found in the file.", self.where(),
                               "用 --year 指定年份，或在标题中写明年份。", "Give the year with --year or put it in the title.")
                    return
                self.res.layout = "sheet_period"
                self.sheet_period = sp
            else:
                if by_role.get("series") or by_role.get("value"):
                    self.issue("warning", "no_periods", "找到能源列，但没有月份或日期列，已跳过此工作表。",
                               "Carrier columns found but no month or date column; sheet skipped.", self.where(),
                               "增加“月份”列，或把月份写进工作表名。", "Add a month column, or name the sheet by its month.")
                return
        else:
            self.sheet_period = None
        long = bool(by_role.get("value") or by_role.get("current"))
        if long:
            self.long_format(pc, roles, by_role)
        else:
            self.res.layout = self.res.layout if self.res.layout == "sheet_period" else "months_down"
            self.wide(pc, roles, by_role)

    def _carrier_list(self, lang: str) -> str:
        return ("、" if lang == "zh" else ", ").join(
            self.cat.label(c, lang) for c in self.cat.carriers)

    def _row_period(self, pc: int | None, r: int, row: list) -> tuple[Period | None, bool]:
        """(period, is_total_row) for a data row of a months-down sheet."""
        if pc is None:
            if any(is_total(v) for v in row[:3]):
                return None, True
            sp = self.sheet_period
            return Period(sp.year, sp.month, f"row{r}", True), False
        v = row[pc] if pc < len(row) else ""
        if is_total(v) or any(is_total(x) for x in row[:max(pc, 1)]):
            return None, True
        if _empty(v):
            return None, False
        yc = self.year_col
        if yc is not None and yc < len(row):
            yv = row[yc]
            y = int(yv) if type(yv) in (int, float) and 1990 <= yv <= 2100 else find_year(yv)
            p0 = parse_period(v, allow_month_number=True)
            if y and p0 is not None and p0.year is None:
                return Period(y, p0.month), False
        p = self.period_of(v, r, pc, month_number=True)
        return p, False

    def wide(self, pc: int | None, roles: dict[int, Column], by_role: dict[str, list[int]]) -> None:
        rows = self.rows
        series_cols = [c for c in by_role.get("series", []) if roles[c].carrier]
        meter_col = (by_role.get("meter") or [None])[0]
        data = []   # (r, period)
        total_rows = []
        for r in range(self.data_start, len(rows)):
            row = rows[r]
            p, tot = self._row_period(pc, r, row)
            if tot:
                if not _partial(row, pc):
                    total_rows.append(r)
                continue
            if p is None:
                if pc is not None and not _empty(row[pc] if pc < len(row) else "") and any(
                        _is_num(row[c]) for c in series_cols if c < len(row)):
                    v = row[pc]
                    if not any(i.code in ("impossible_year", "year_unknown") and i.where == self.where(r, pc)
                               for i in self.res.issues):
                        self.issue("warning", "row_skipped", f"行首“{_txt(v)[:20]}”不是月份或日期，该行未导入。",
                                   f"'{_txt(v)[:20]}' is not a month or date; the row was not imported.",
                                   self.where(r, pc), "改为月份（如 2025-01 或 1月）。", "Write a month (e.g. 2025-01).")
                continue
            if all(_empty(v) for c, v in enumerate(row) if c != pc):
                continue
            data.append((r, p))
        self.res.data_rows = len(data)
        if not data:
            return
        self.res.interval = any(p.fine for _, p in data) and len({p.key() for _, p in data}) < len(data)
        # duplicate stamps (same row label twice)
        meters_by_row = None
        if meter_col is not None:
            meters_by_row = {r: _txt(rows[r][meter_col]) if meter_col < len(rows[r]) else "" for r, _ in data}
        stamp_first: dict[tuple[str, str], int] = {}
        dups: list[tuple[int, int]] = []
        for r, p in data:
            st = (meters_by_row[r] if meters_by_row is not None else "", p.stamp or p.key())
            if st in stamp_first:
                dups.append((stamp_first[st], r))
            else:
                stamp_first[st] = r
        skip_rows: set[int] = set()
        if dups:
            for a, b in dups:
                conflict = []
                for c in series_cols:
                    va = self._num(rows[a], c)
                    vb = self._num(rows[b], c)
                    if va != vb:
                        conflict.append(c)
                if conflict:
                    c = conflict[0]
                    self.issue("error", "duplicate_conflict",
                               f"同一时段出现两次且数值不同：第 {a + 1} 行与第 {b + 1} 行（{roles[c].label}）。",
                               f"The same period appears twice with different values: rows {a + 1} and {b + 1} "
                               f"({roles[c].label}).", f"{self.ctx.file}, {self.ref(a, c)} / {self.ref(b, c)}",
                               "删除错误的一行。", "Delete the wrong row.")
                else:
                    self.issue("info", "duplicate_exact", f"第 {b + 1} 行与第 {a + 1} 行完全重复，只计一次。",
                               f"Row {b + 1} repeats row {a + 1} exactly; counted once.", self.where(b))
                skip_rows.add(b)
        # group rows by month
        groups: dict[str, list[int]] = {}
        for r, p in data:
            if r in skip_rows:
                continue
            groups.setdefault(p.key(), []).append(r)
        self.groups = groups
        totals_by_col: dict[int, list[tuple[int, float]]] = {}
        for r in total_rows:
            for c in series_cols:
                try:
                    x, _ = parse_number(rows[r][c] if c < len(rows[r]) else "")
                except NotANumber:
                    continue
                if x is not None:
                    totals_by_col.setdefault(c, []).append((r, x))
        for c in series_cols:
            col = roles[c]
            if meters_by_row is not None:
                by_meter: dict[str, dict[str, list[int]]] = {}
                for mk, rs in groups.items():
                    for r in rs:
                        by_meter.setdefault(meters_by_row[r] or col.label, {}).setdefault(mk, []).append(r)
                for meter, g in by_meter.items():
                    self.column_series(c, col, g, meter)
            else:
                s = self.column_series(c, col, groups, col.meter or split_label(col.label)[0] or col.label)
                if s is not None and c in totals_by_col:
                    for r, x in totals_by_col[c]:
                        self.check_total(x * s.factor, s.total, self.ref(r, c), s.unit)
        # a total column (合计 across the meters of one carrier and unit): per month, against the row values
        made = self.res.series
        if by_role.get("total") and made and meters_by_row is None and \
                len({(s.carrier, s.unit, s.factor) for s in made}) == 1:
            for tc in by_role["total"]:
                for mk, rs in groups.items():
                    xs = [self._num(rows[r], tc) for r in rs]
                    xs = [x for x in xs if isinstance(x, (int, float))]
                    if xs:
                        ref = self.ref(rs[0], tc) if len(rs) == 1 else \
                            f"{self.ref(rs[0], tc)}:{cell_ref(rs[-1], tc)}"
                        self.check_total(sum(xs) * made[0].factor, sum(s.months.get(mk, 0.0) for s in made),
                                         ref, made[0].unit)

    def _num(self, row, c):
        v = row[c] if c < len(row) else ""
        try:
            return parse_number(v)[0]
        except NotANumber:
            return v

    def column_series(self, c: int, col: Column, groups: dict[str, list[int]], meter: str) -> Series | None:
        uf = self.unit_factor(col.carrier, col.unit, f"{self.ctx.file}, {col.header_cell}")
        if uf is None:
            return None
        base, factor, written = uf
        s = Series(self.ctx.file, self.sheet.name, meter, col.carrier, base, written, factor, col.key)
        rows = self.rows
        letter = col_letter(c)
        name = self.sheet.name
        for mk, rs in groups.items():
            vals = [rows[r][c] if c < len(rows[r]) else "" for r in rs]
            if self.ctx.fast and all(type(v) is float for v in vals):
                total = sum(vals)
                n = len(vals)
            else:
                total = 0.0
                n = 0
                for r, v in zip(rs, vals, strict=True):
                    t = type(v)
                    if t is float or t is int:
                        total += v
                        n += 1
                        continue
                    try:
                        x, u = parse_number(v)
                    except NotANumber:
                        self.bad_cell(r, c, v)
                        continue
                    if x is None:
                        if len(rs) == 1 or not _empty(v):
                            s.missing.setdefault(mk, f"{name}!{letter}{r + 1}")
                        continue
                    if u is not None:
                        uf2 = self.unit_factor(col.carrier, u, self.where(r, c))
                        if uf2 is None:
                            continue
                        if uf2[0] != base:
                            self.issue("error", "unit_mismatch", f"单元格单位“{u}”与列单位“{written}”不一致。",
                                       f"Cell unit '{u}' does not match the column unit '{written}'.", self.where(r, c))
                            continue
                        x = x * uf2[1] / factor
                    total += x
                    n += 1
            if n == 0:
                continue
            if len(rs) == 1:
                ref = f"{name}!{letter}{rs[0] + 1}"
            else:
                ref = f"{name}!{letter}{rs[0] + 1}:{letter}{rs[-1] + 1}"
            s.months[mk] = total * factor
            s.counts[mk] = n
            s.refs[mk] = [ref]
        for mk in s.months:
            s.missing.pop(mk, None)
        if s.months or s.missing:
            self.res.series.append(s)
        return s

    def check_total(self, file_total: float, rows_total: float, where: str, unit: str) -> None:
        ok = abs(file_total - rows_total) <= max(0.011, abs(rows_total) * 1e-4)
        self.res.totals.append({"where": where, "file_total": file_total, "rows_total": rows_total,
                                "unit": unit, "ok": ok})
        if not ok:
            self.issue("warning", "total_mismatch",
                       f"文件自带的合计 {file_total:,.2f} 与明细之和 {rows_total:,.2f} {unit} 不符。",
                       f"The file's own total {file_total:,.2f} differs from the sum of its rows {rows_total:,.2f} {unit}.",
                       f"{self.ctx.file}, {where}", "核对合计公式或明细数据。", "Check the total formula or the rows.")

    # -- long format ---------------------------------------------------------------------------------
    def long_format(self, pc: int | None, roles: dict[int, Column], by_role: dict[str, list[int]]) -> None:
        rows = self.rows
        first = {k: (v[0] if v else None) for k, v in by_role.items()}
        mc, cc, uc = first.get("meter"), first.get("carrier"), first.get("unit")
        vc, prc, cuc, mulc = first.get("value"), first.get("previous"), first.get("current"), first.get("multiplier")
        readings = cuc is not None
        self.res.layout = "readings" if readings else "long"
        series: dict[tuple[str, str, str], Series] = {}
        seen: dict[tuple[str, str, str], tuple[float | None, str]] = {}
        last_reading: dict[str, tuple[float, str]] = {}
        totals: list[tuple[int, float]] = []
        vcol = roles[vc] if vc is not None else (roles[cuc] if cuc is not None else None)
        assumed_reported = False
        n_data = 0
        vmap = self.mapped(vcol.ref, vcol.label) if vcol is not None else None
        forced_carrier = vcol.carrier if vmap and vmap.get("carrier") and vcol.carrier in self.cat.carriers else None
        forced_unit = vmap.get("unit") if vmap else None
        for r in range(self.data_start, len(rows)):
            row = rows[r]
            p, tot = self._row_period(pc, r, row)
            if tot:
                if vc is not None and not _partial(row, pc):
                    try:
                        x, _ = parse_number(row[vc] if vc < len(row) else "")
                    except NotANumber:
                        x = None
                    if x is not None:
                        totals.append((r, x))
                continue
            if p is None:
                continue
            if all(_empty(v) for c, v in enumerate(row) if c != pc):
                continue
            n_data += 1

            def cell(c, row=row):
                return row[c] if c is not None and c < len(row) else ""

            meter = _txt(cell(mc)) if mc is not None else ""
            # carrier (a mapping on the value column wins over the carrier and unit columns)
            carrier = forced_carrier
            ctext = _txt(cell(cc)) if cc is not None else ""
            if ctext and carrier is None:
                carrier = self.cat.carrier(split_label(ctext)[0])
                if carrier is None:
                    self.issue("error", "unknown_carrier",
                               f"无法识别能源品种“{ctext}”。可识别的有：{self._carrier_list('zh')}。",
                               f"Unknown carrier '{ctext}'. Known carriers: {self._carrier_list('en')}.",
                               self.where(r, cc), "改为已知的能源名称，或用 --mapping 指定。",
                               "Use a known carrier name, or give it with --mapping.")
                    continue
            utext = forced_unit or (_txt(cell(uc)) if uc is not None else "")
            if not utext and vcol is not None and vcol.unit:
                utext = vcol.unit
            if not utext and ctext:
                utext = split_label(ctext)[1] or ""
            if carrier is None:
                carrier = (vcol.carrier if vcol is not None else None) or self.default_carrier
            if carrier is None and utext:
                if utext not in self._cu_memo:
                    u = self.cat.unit(utext)
                    cands = self.cat.carriers_for_unit(u) if u is not None else []
                    self._cu_memo[utext] = ("electricity" if u is not None and u.to == "kWh" else
                                            cands[0] if len(cands) == 1 else None)
                carrier = self._cu_memo[utext]
            if carrier is None and mulc is not None:
                carrier = "electricity"
                if not assumed_reported:
                    assumed_reported = True
                    self.issue("info", "carrier_assumed", "抄表记录带倍率且未写能源品种，按电力（kWh）处理。",
                               "A readings ledger with a multiplier and no carrier: taken as electricity (kWh).",
                               self.where(), "如不是电力，请用 --mapping 指定。", "If it is not electricity, give it with --mapping.")
                if not utext:
                    utext = "kWh"
            if carrier is None:
                col = vcol.header_cell if vcol is not None else self.where(r)
                self.issue("error", "unknown_carrier", "无法确定这一行的能源品种（无品种列、单位或表头提示）。",
                           "Cannot tell the carrier of this row (no carrier column, unit or header word).",
                           f"{self.ctx.file}, {col}", "增加“能源品种”列或在表头写明，或用 --mapping 指定。",
                           "Add a carrier column, name it in the header, or give it with --mapping.")
                break
            if not utext and self.default_unit is None and len(self.cat.accepted_units(carrier)) and mulc is not None:
                utext = self.cat.carriers[carrier].unit
            uf = self.unit_factor(carrier, utext or None,
                                  lambda r=r, utext=utext: self.where(r, uc) if uc is not None and utext else
                                  f"{self.ctx.file}, {vcol.header_cell if vcol else self.where(r)}")
            if uf is None:
                continue
            base, factor, written = uf
            meter = meter or (vcol.meter if vcol is not None and vcol.meter else None) or self.cat.label(carrier, "zh")
            # the value
            value = None
            vref = None
            if readings:
                cur = self._reading(row, cuc, r)
                prev = self._reading(row, prc, r) if prc is not None else None
                mult = self._reading(row, mulc, r) if mulc is not None else 1.0
                mult = 1.0 if mult is None else mult
                last = last_reading.get(meter)
                if prev is None and prc is None and last is not None:
                    prev = last[0]
                if prc is not None and prev is not None and last is not None and abs(prev - last[0]) > 1e-9:
                    self.issue("warning", "reading_chain",
                               f"表 {meter} 的起码 {prev:g} 与上一次止码 {last[0]:g}（{last[1]}）不连续：换表或录入错误？",
                               f"Meter {meter}: previous reading {prev:g} does not continue the last reading "
                               f"{last[0]:g} ({last[1]}): meter replaced, or a typing error?",
                               self.where(r, prc), "换表时请在备注中注明旧表止码。", "If the meter was replaced, note the old meter's last reading.")
                if cur is not None:
                    last_reading[meter] = (cur, self.ref(r, cuc))
                computed = None
                if cur is not None and prev is not None:
                    if cur < prev:
                        self.issue("warning", "reading_down",
                                   f"表 {meter} 的读数下降（{prev:g} → {cur:g}）：换表或翻转，未计为负用量。",
                                   f"Meter {meter}: the reading went down ({prev:g} → {cur:g}): replaced or rolled "
                                   "over; not counted as negative usage.", self.where(r, cuc),
                                   "在“用量”列填写该月实际用量。", "Enter the month's real usage in a usage column.")
                    else:
                        computed = (cur - prev) * mult
                vref = self.ref(r, cuc)
                if vc is not None:
                    try:
                        uv, _ = parse_number(cell(vc))
                    except NotANumber:
                        self.bad_cell(r, vc, cell(vc))
                        continue
                    if uv is not None:
                        value, vref = uv, self.ref(r, vc)
                        if computed is not None and abs(computed - uv) > max(0.5, abs(uv) * 0.005):
                            self.issue("warning", "usage_mismatch",
                                       f"用量 {uv:g} 与读数计算值 {computed:g}（(止码−起码)×倍率）不符，采用用量列。",
                                       f"Usage {uv:g} differs from the readings ({computed:g} = (current − previous) × "
                                       "multiplier); the usage column is used.", self.where(r, vc),
                                       "核对读数、倍率或用量。", "Check the readings, the multiplier or the usage.")
                if value is None:
                    value = computed
                if value is None:
                    continue
            else:
                v = cell(vc)
                try:
                    value, u2 = parse_number(v)
                except NotANumber:
                    self.bad_cell(r, vc, v)
                    continue
                vref = self.ref(r, vc)
                if value is None:
                    key = (meter, carrier, base)
                    s = series.get(key)
                    if s is None:
                        s = series[key] = Series(self.ctx.file, self.sheet.name, meter, carrier, base, written, factor,
                                                 roles[vc].key)
                    s.missing.setdefault(p.key(), vref)
                    continue
                if u2 is not None:
                    uf2 = self.unit_factor(carrier, u2, self.where(r, vc))
                    if uf2 is None:
                        continue
                    value = value * uf2[1] / factor
            key = (meter, carrier, base)
            s = series.get(key)
            if s is None:
                s = series[key] = Series(self.ctx.file, self.sheet.name, meter, carrier, base, written, factor,
                                         (roles[vc].key if vc is not None else roles[cuc].key))
            stamp = p.stamp or p.key()
            skey = (meter, carrier, stamp)
            base_value = value * factor
            if skey in seen:
                pv, pref = seen[skey]
                if abs(pv - base_value) <= 1e-9 * max(1.0, abs(pv)):
                    self.issue("info", "duplicate_exact", f"{vref} 与 {pref} 完全重复（同表、同时段、同数值），只计一次。",
                               f"{vref} repeats {pref} exactly (same meter, period and value); counted once.",
                               f"{self.ctx.file}, {vref}")
                else:
                    self.issue("error", "duplicate_conflict",
                               f"表 {meter} 在 {stamp[:10]} 有两个不同的数值：{pref} 与 {vref}。",
                               f"Meter {meter} has two different values for {stamp[:10]}: {pref} and {vref}.",
                               f"{self.ctx.file}, {pref} / {vref}", "删除错误的一行。", "Delete the wrong row.")
                continue
            seen[skey] = (base_value, vref)
            s.add(p.key(), base_value, vref)
        self.res.data_rows = n_data
        if vcol is not None and series:
            kinds = {(x.carrier, x.unit_written) for x in series.values()}
            if len(kinds) == 1:
                vcol.carrier, vcol.unit = next(iter(kinds))
            elif len({k[0] for k in kinds}) == 1:
                vcol.carrier = next(iter(kinds))[0]
        for s in series.values():
            for mk in s.months:
                s.missing.pop(mk, None)
        self.res.series.extend(series.values())
        self.res.interval = any(n > 1 for s in series.values() for n in s.counts.values())
        if totals and len(series) == 1:
            s = next(iter(series.values()))
            for r, x in totals:
                self.check_total(x * s.factor, s.total, self.ref(r, vc), s.unit)

    def _reading(self, row, c, r):
        if c is None:
            return None
        v = row[c] if c < len(row) else ""
        try:
            return parse_number(v)[0]
        except NotANumber:
            self.bad_cell(r, c, v)
            return None

    # -- months across ---------------------------------------------------------------------------------
    def months_across(self, month_cols: list[tuple[int, Period]]) -> None:
        self.res.layout = "months_across"
        rows = self.rows
        hdr = self.month_hdr
        first_mc = month_cols[0][0]
        mcols: list[tuple[int, str]] = []
        stamps: dict[int, str | None] = {}
        for c, p in month_cols:
            if p.year is None:
                if self.res.year is None:
                    self.issue("error", "year_unknown", "月份没有年份，文件中也找不到年份。", "The month has no year and none was found.",
                               self.where(hdr, c), "用 --year 指定年份。", "Give the year with --year.")
                    return
                p.year = self.res.year
            if not (1990 <= p.year <= 2100):
                self.issue("error", "impossible_year", f"年份 {p.year} 不可能。", f"Year {p.year} is impossible.",
                           self.where(hdr, c))
                continue
            mcols.append((c, p.key()))
            stamps[c] = p.stamp if p.fine and p.stamp else None
        # daily or hourly columns (2025-01-01, 2025-01-02 …) are summed to their month; a label twice is a duplicate
        seen_months: dict[str, int] = {}
        kept: list[tuple[int, str]] = []
        for c, mk in mcols:
            key = stamps[c] or mk
            if key in seen_months:
                label = stamps[c] or mk
                self.issue("warning", "duplicate_column", f"{label} 出现在两列（{col_letter(seen_months[key])}、{col_letter(c)}），只用第一列。",
                           f"{label} heads two columns ({col_letter(seen_months[key])}, {col_letter(c)}); the first is used.",
                           self.where(hdr, c))
            else:
                seen_months[key] = c
                kept.append((c, mk))
        mcols = kept
        if any(stamps[c] for c, _ in mcols) and len({mk for _, mk in mcols}) < len(mcols):
            self.res.interval = True
        label_roles: dict[str, int] = {}
        label_cols = []
        total_col = None
        width = max(len(r) for r in rows[hdr:hdr + 50])
        for c in range(width):
            if c in dict(mcols):
                continue
            v = rows[hdr][c] if c < len(rows[hdr]) else ""
            s = _txt(v)
            role = self.cat.role(split_label(s)[0]) if s else None
            if s and is_total(s) and c > first_mc:
                if not _PARTIAL.search(s):
                    total_col = c
            elif role in ("meter", "carrier", "unit"):
                label_roles.setdefault(role, c)
            elif c < first_mc:
                label_cols.append(c)
        self.res.columns = []
        seen: dict[tuple[str, str], tuple[Series, int]] = {}
        total_rows = []
        for r in range(self.data_start, len(rows)):
            row = rows[r]
            labels = [_txt(row[c]) for c in label_cols if c < len(row)]
            label = " ".join(x for x in dict.fromkeys(labels) if x)
            carrier_text = _txt(row[label_roles["carrier"]]) if "carrier" in label_roles and label_roles[
                "carrier"] < len(row) else ""
            unit_text = _txt(row[label_roles["unit"]]) if "unit" in label_roles and label_roles["unit"] < len(row) else ""
            meter_text = _txt(row[label_roles["meter"]]) if "meter" in label_roles and label_roles["meter"] < len(row) else ""
            has_num = any(_is_num(row[c]) for c, _ in mcols if c < len(row))
            full = " ".join(x for x in (carrier_text, label, meter_text) if x)
            if is_total(full) or is_total(label):
                if not _PARTIAL.search(full):
                    total_rows.append((r, unit_text))
                continue
            if not has_num and not any(not _empty(row[c]) for c, _ in mcols if c < len(row)):
                continue
            name, u2 = split_label(carrier_text or label or meter_text)
            ref = str(r + 1)
            m = self.mapped(ref, full)
            if m is None and _not_a_meter(full, unit_text or u2):
                self._not_a_meter_note(full, self.where(r, label_cols[0] if label_cols else 0))
                continue
            carrier = self.cat.carrier(name) or (self.cat.carrier(meter_text) if meter_text else None) \
                or self.default_carrier
            meter = meter_text or label or name
            if m is not None:
                if m.get("ignore") or m.get("carrier") == "ignore":
                    continue
                carrier = m.get("carrier") or carrier
                unit_text = m.get("unit") or unit_text
                meter = m.get("meter") or meter
            unit = unit_text or u2
            if carrier is None:
                u = self.cat.unit(unit) if unit else None
                if u is not None and u.to == "kWh":
                    carrier = "electricity"
            lc = label_roles.get("carrier", label_cols[0] if label_cols else 0)
            col = Column(f"{self.sheet.name}!{ref}", ref, full, self.ref(r, lc), "series", carrier, unit, meter,
                         "mapping" if m else "detected")
            self.res.columns.append(col)
            if carrier is None:
                self.issue("error", "unknown_carrier",
                           f"无法识别“{full}”的能源品种。可识别的有：{self._carrier_list('zh')}。",
                           f"Cannot tell the carrier of '{full}'. Known carriers: {self._carrier_list('en')}.",
                           self.where(r, lc), "改为已知的能源名称，或用 --mapping 指定。", "Use a known carrier name, or give it with --mapping.")
                continue
            uf = self.unit_factor(carrier, unit or None, self.where(r, label_roles.get("unit", lc)))
            if uf is None:
                continue
            base, factor, written = uf
            s = Series(self.ctx.file, self.sheet.name, meter, carrier, base, written, factor, col.key)
            for c, mk in mcols:
                v = row[c] if c < len(row) else ""
                try:
                    x, cu = parse_number(v)
                except NotANumber:
                    self.bad_cell(r, c, v)
                    continue
                if x is None:
                    s.missing[mk] = self.ref(r, c)
                    continue
                if cu is not None:
                    uf2 = self.unit_factor(carrier, cu, self.where(r, c))
                    if uf2 is None:
                        continue
                    x = x * uf2[1] / factor
                s.add(mk, x * factor, self.ref(r, c))
            key = (meter, carrier)
            if key in seen:
                prev, pr = seen[key]
                if prev.months == s.months:
                    self.issue("info", "duplicate_exact", f"第 {r + 1} 行与第 {pr + 1} 行完全重复，只计一次。",
                               f"Row {r + 1} repeats row {pr + 1} exactly; counted once.", self.where(r))
                    continue
                self.issue("error", "duplicate_conflict", f"{meter} 在第 {pr + 1} 行与第 {r + 1} 行数值不同。",
                           f"{meter} appears in rows {pr + 1} and {r + 1} with different values.",
                           f"{self.ctx.file}, {self.sheet.name}!{pr + 1} / {self.sheet.name}!{r + 1}",
                           "删除错误的一行。", "Delete the wrong row.")
                continue
            seen[key] = (s, r)
            self.res.series.append(s)
            self.res.data_rows += 1
            if total_col is not None and total_col < len(row):
                try:
                    x, _ = parse_number(row[total_col])
                except NotANumber:
                    x = None
                if x is not None:
                    self.check_total(x * factor, s.total, self.ref(r, total_col), base)
        # totals row: per month, against the rows of one carrier and unit above it
        kinds = {(s.carrier, s.unit) for s in self.res.series}
        if total_rows and len(kinds) == 1 and self.res.series:
            factor = self.res.series[0].factor
            for r, _ in total_rows:
                per_month: dict[str, tuple[float, list[int]]] = {}    # daily columns add up to their month
                for c, mk in mcols:
                    try:
                        x, _ = parse_number(rows[r][c] if c < len(rows[r]) else "")
                    except NotANumber:
                        continue
                    if x is not None:
                        tot, cs = per_month.get(mk, (0.0, []))
                        per_month[mk] = (tot + x, cs + [c])
                for mk, (x, cs) in per_month.items():
                    ref = self.ref(r, cs[0]) if len(cs) == 1 else f"{self.ref(r, cs[0])}:{cell_ref(r, cs[-1])}"
                    self.check_total(x * factor, sum(s.months.get(mk, 0.0) for s in self.res.series),
                                     ref, self.res.series[0].unit)

    def make_preview(self) -> None:
        start = max(0, self.res.header_rows[0] - 1) if self.res.header_rows else 0
        out = []
        for row in self.rows[start:start + 8]:
            out.append([_txt(v) if not hasattr(v, "isoformat") else v.isoformat() for v in row[:20]])
        self.res.preview = out


def analyse_sheet(sheet: Sheet, ctx: Context) -> SheetResult:
    return _Analyser(sheet, ctx).run()
