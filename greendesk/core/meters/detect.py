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

from dataclasses import dataclass, field

from greendesk.core.meters import series_roles
from greendesk.core.meters.catalog import Catalog, catalog, norm, split_label
from greendesk.core.meters.cells import (
    HEADER_SCAN,
    _empty,
    _row_cells,
    _txt,
)
from greendesk.core.meters.header import HeaderMixin
from greendesk.core.meters.layout_across import MonthsAcrossMixin
from greendesk.core.meters.layout_down import MonthsDownMixin
from greendesk.core.meters.layout_long import LongMixin
from greendesk.core.meters.model import Column, Issue, Series, finite
from greendesk.core.meters.reader import Sheet, cell_ref, col_letter
from greendesk.core.meters.roles import tou_values
from greendesk.core.meters.values import NotANumber, Period, find_year, parse_number, parse_period


@dataclass
class Context:
    file: str
    year: int | None = None                  # the assessment year (fallback for month-only labels)
    mapping: dict = field(default_factory=dict)
    fast: bool = True
    register: dict = field(default_factory=dict)     # (meter, carrier) -> the workspace register's entry


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


class _Analyser(HeaderMixin, MonthsDownMixin, LongMixin, MonthsAcrossMixin):
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

    # -- hidden rows and columns, formulas ---------------------------------------------------------
    def _hidden_note(self, what_zh: str, what_en: str, refs: list[str]) -> None:
        shown = "、".join(refs[:8]) + ("…" if len(refs) > 8 else "")
        self.issue("info", "hidden_left_out", f"隐藏的{what_zh}未读取：{shown}。",
                   f"Hidden {what_en} were left out: {', '.join(refs[:8])}{'…' if len(refs) > 8 else ''}.",
                   self.where(), "如需计入，请在 Excel 中取消隐藏，或在导入向导/映射文件中为该表设置 include_hidden: true。",
                   "To include them, unhide them in Excel, or set include_hidden: true for the sheet in a mapping file.")

    def hide_columns(self) -> None:
        cols = sorted(c for c in getattr(self.sheet, "hidden_cols", ()) or ()
                      if any(c < len(r) and not _empty(r[c]) for r in self.rows))
        if not cols:
            return
        hidden = set(cols)
        self.rows = [[None if i in hidden else v for i, v in enumerate(r)] if r else r for r in self.rows]
        self._hidden_note("列", "columns", [col_letter(c) for c in cols])

    def hide_rows(self) -> None:
        rows = sorted(r for r in getattr(self.sheet, "hidden_rows", ()) or ()
                      if r >= self.data_start and r < len(self.rows) and _row_cells(self.rows[r]))
        if not rows:
            return
        hidden = set(rows)
        self.rows = [[] if i in hidden else r for i, r in enumerate(self.rows)]
        self._hidden_note("行（含筛选隐藏的行）", "rows (including rows hidden by a filter)", [str(r + 1) for r in rows])

    def formulas_without_values(self) -> None:
        """A formula with no saved result reads as empty: named as an error where it feeds a stored series."""
        cells = getattr(self.sheet, "uncached_formulas", None) or []
        if not cells or not self.res.series:
            return
        keys = {s.column for s in self.res.series if s.stored and s.column}
        start = getattr(self, "data_start", 0)
        bad = [(r, c) for r, c in cells if r >= start and (f"{self.sheet.name}!{col_letter(c)}" in keys
                                                           or f"{self.sheet.name}!{r + 1}" in keys)]
        if bad:
            refs = [cell_ref(r, c) for r, c in bad[:6]]
            self.issue("error", "formula_without_value",
                       f"{len(bad)} 个单元格是公式但没有保存计算结果（如 {'、'.join(refs)}），读不出数值；不会按 0 计。",
                       f"{len(bad)} cells hold a formula with no saved result (e.g. {', '.join(refs)}); their values "
                       "cannot be read and are not taken as 0.", self.where(bad[0][0], bad[0][1]),
                       "在 Excel 或 WPS 中打开文件、重新计算并保存后再导入。",
                       "Open the file in Excel or WPS, let it recalculate, save it and import it again.")

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
        include_hidden = bool(sheet_cfg.get("include_hidden"))
        if not include_hidden:
            self.hide_columns()
        h = self.find_header(sheet_cfg)
        if h is None:
            self.issue("info", "sheet_skipped", "未找到表头（没有能源品种、月份或日期），已跳过此工作表。",
                       "No header found (no carrier, month or date); sheet skipped.", self.where())
            return self.res
        self.header_block(h, sheet_cfg)
        if not include_hidden:
            self.hide_rows()
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
        series_roles.assign(self)
        self.formulas_without_values()
        self.make_preview()
        return self.res

    def col_role_exists(self, role: str) -> bool:
        hdr = self.res.header_rows[0] - 1
        for c, v in enumerate(self.rows[hdr]):
            if _empty(v) or self.cat.role(split_label(_txt(v))[0]) != role:
                continue
            # 时段 over 峰/平/谷 rows names time-of-use parts, not periods
            vals = [r[c] for r in self.rows[self.data_start:self.data_start + 40] if c < len(r) and not _empty(r[c])]
            if role == "period" and vals and tou_values(vals):
                continue
            return True
        return False

    # -- header --------------------------------------------------------------------------------

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
                       where, "在表头写明单位，例如“电（kWh）”，或增加单位行/单位列，或在导入向导中指定（或写入映射文件）。",
                       "Put the unit in the header, e.g. 'Electricity (kWh)', add a units row or column, "
                       "or give it in the import wizard (or a mapping file).")
            return None
        u = self.cat.unit(unit_text)
        conv = self.cat.convert(carrier, u) if u else None
        if conv is None:
            c = self.cat.carriers[carrier]
            acc = self.cat.accepted_units(carrier)
            self.issue("error", "unknown_unit",
                       f"无法识别{c.zh}的单位“{unit_text}”。可用单位：{'、'.join(acc)}。",
                       f"Unit '{unit_text}' is not known for {c.en}. Accepted units: {', '.join(acc)}.",
                       where, "改为可用单位之一，或在导入向导中指定（或写入映射文件）。", "Use one of the accepted units, or give it in the import wizard (or a mapping file).")
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

    _SKIPPED = {
        "derived": ("“{label}”是比率、单耗、功率或折算数据（{word}），不是表计用量，未计入。",
                    "'{label}' is a ratio, per-unit, power or converted figure ({word}), not a metered quantity; "
                    "not counted."),
        "comparison": ("“{label}”是上年同期等对比数据（{word}），不并入本年，未导入。",
                       "'{label}' holds comparison figures such as last year's ({word}); never merged into this "
                       "year, not imported."),
        "reading": ("“{label}”是表计读数（表底数/示数），旁边已有用量，只作核对，不计为用量。",
                    "'{label}' holds meter readings; the usage beside it is used, the readings are not counted as "
                    "usage."),
    }

    def _skipped_note(self, kind: str, label: str, where: str, word: str | None) -> None:
        zh, en = self._SKIPPED[kind]
        w = word or ("—" if kind != "derived" else "%")
        self.issue("info", f"skipped_{kind}", zh.format(label=label, word=w), en.format(label=label, word=w), where,
                   "如这确是本年的表计用量，请在导入向导中把它设为“计入”。",
                   "If it really is this year's metered usage, set it to 'counted' in the import wizard "
                   "(or map the column).")

    def _not_a_meter_note(self, label: str, where: str) -> None:
        self.issue("info", "not_a_meter",
                   f"“{label}”是产量、产值、单耗或折标数据，不是表计用量，未导入。",
                   f"'{label}' is output, output value, a per-unit or a converted (tce) figure, not a meter "
                   "quantity; not imported.", where,
                   "产量和产值请在“基础数据”中录入；如确是表计用量，请在导入向导中指定（或写入映射文件）。",
                   "Enter output under Basic data; if it is a meter quantity, give it in the import wizard (or a mapping file).")

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
        if p.cycle and not any(i.code == "billing_cycle" for i in self.res.issues):
            self.issue("info", "billing_cycle",
                       f"抄表周期（如 {p.cycle[0][:10]} ~ {p.cycle[1][:10]}）按结束日期所在月份计入（计入 {p.key()}）。",
                       f"Billing cycles (e.g. {p.cycle[0][:10]} ~ {p.cycle[1][:10]}) are booked to the month of their "
                       f"end date (this one to {p.key()}).", self.where(r, c),
                       "如需按开始日期计入，请在表中改写为月份。", "To book them by the start date, write the month instead.")
        if p.year is None:
            if self.res.year is None:
                self.issue("error", "year_unknown", "月份没有年份，文件中也找不到年份。", "The month has no year and none was found in the file.",
                           self.where(r, c), "在导入向导中指定年份（或映射文件的 year:），或在标题中写明年份。", "Give the year in the import wizard (or year: in a mapping file) or put it in the title.")
                return None
            p.year = self.res.year
        if not (1990 <= p.year <= 2100):
            self.issue("error", "impossible_year", f"年份 {p.year} 不可能。", f"Year {p.year} is impossible.",
                       self.where(r, c), "检查日期的录入。", "Check how the date was typed.")
            return None
        return p

    # -- months down (and long format) -----------------------------------------------------------

    def _carrier_list(self, lang: str) -> str:
        return ("、" if lang == "zh" else ", ").join(
            self.cat.label(c, lang) for c in self.cat.carriers)

    def _num(self, row, c):
        v = row[c] if c < len(row) else ""
        try:
            return parse_number(v)[0]
        except NotANumber:
            return v

    def check_total(self, file_total: float, rows_total: float, where: str, unit: str) -> None:
        ok = abs(file_total - rows_total) <= max(0.011, abs(rows_total) * 1e-4)
        self.res.totals.append({"where": where, "file_total": finite(file_total), "rows_total": finite(rows_total),
                                "unit": unit, "ok": ok})
        if not ok:
            self.issue("warning", "total_mismatch",
                       f"文件自带的合计 {file_total:,.2f} 与明细之和 {rows_total:,.2f} {unit} 不符。",
                       f"The file's own total {file_total:,.2f} differs from the sum of its rows {rows_total:,.2f} {unit}.",
                       f"{self.ctx.file}, {where}", "核对合计公式或明细数据。", "Check the total formula or the rows.")

    # -- long format ---------------------------------------------------------------------------------

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

    def make_preview(self) -> None:
        start = max(0, self.res.header_rows[0] - 1) if self.res.header_rows else 0
        out = []
        for row in self.rows[start:start + 8]:
            out.append([_txt(v) if not hasattr(v, "isoformat") else v.isoformat() for v in row[:20]])
        self.res.preview = out


def analyse_sheet(sheet: Sheet, ctx: Context) -> SheetResult:
    return _Analyser(sheet, ctx).run()
