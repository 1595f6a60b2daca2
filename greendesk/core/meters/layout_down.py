"""Months down the rows, carriers or meters across the columns (and the dispatch to long format)."""

from __future__ import annotations

import datetime

from greendesk.core.meters.catalog import split_label
from greendesk.core.meters.cells import (
    _MONEY,
    _NOT_INTAKE,
    DUP_FIX_EN,
    DUP_FIX_ZH,
    _days_of_a_month,
    _empty,
    _is_num,
    _not_a_meter,
    _partial,
    _txt,
    is_total,
)
from greendesk.core.meters.model import Column, Series
from greendesk.core.meters.reader import cell_ref, col_letter
from greendesk.core.meters.roles import SERIES_ROLES, label_role, tou_values
from greendesk.core.meters.values import NotANumber, Period, find_year, parse_number, parse_period

_FLOAT_ONLY = {float}
_DATETIME = datetime.datetime


class MonthsDownMixin:
    """Mixed into the sheet analyser (greendesk.core.meters.detect); uses its state and helpers."""

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
            if label and role is None and m is None:
                lr = label_role(label, unit)
                if _not_a_meter(label, unit):
                    role = "ignore"
                    self._not_a_meter_note(label, f"{self.ctx.file}, {cell}")
                elif lr is not None and lr[0] in ("previous", "current"):
                    role = lr[0]
                elif lr is not None:
                    role = "ignore"
                    self._skipped_note(lr[0], label, f"{self.ctx.file}, {cell}", lr[1])
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
                elif m.get("role") and m["role"] not in SERIES_ROLES:
                    role = m["role"]        # a series role (boundary, sub, …) is decided after the series is read
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
            if m is None and nonempty and numeric == 0 and tou_values(nonempty):
                role = "tou"        # 尖/峰/平/谷 rows of one meter and month: summed, never duplicates
            if role == "period" and m is None and _days_of_a_month(nonempty):
                sp = parse_period(self.sheet.name)
                if sp is not None and sp.month:
                    role = "ignore"     # days of the sheet's month: the rows are summed to that month
            if pc is None and (role == "period" or (role is None and not carrier and nonempty and
                                                    sum(parse_period(v, allow_serial=False) is not None
                                                        for v in nonempty) >= max(1, len(nonempty) * 0.6))):
                col.role = "period"
                pc = c
            elif role == "tou":
                col.role = "tou"
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
        by_role: dict[str, list[int]] = {}
        for c, col in roles.items():
            by_role.setdefault(col.role, []).append(c)
        if by_role.get("current") and not by_role.get("value") and len(by_role.get("series", [])) == 1:
            # a readings ledger whose usage column is named by its carrier (用电量, 用水量(m³)): the usage column
            c = by_role.pop("series")[0]
            roles[c].role = "value"
            by_role["value"] = [c]
        if by_role.get("tou") and not by_role.get("value") and len(by_role.get("series", [])) == 1:
            # a time-of-use column beside one quantity column: one row a part, summed to the month
            c = by_role.pop("series")[0]
            roles[c].role = "value"
            by_role["value"] = [c]
        if (by_role.get("current") or by_role.get("previous")) and len(by_role.get("series", [])) > 1 \
                and not by_role.get("value") and not by_role.get("meter"):
            # reading columns beside several usage columns (a wide ledger that also notes 表底数): the usage
            # columns are the figures; the readings are noted, never counted as usage
            for c in by_role.pop("current", []) + by_role.pop("previous", []):
                roles[c].role = "ignore"
                self._skipped_note("reading", roles[c].label, f"{self.ctx.file}, {roles[c].header_cell}", None)
        for c in by_role.get("unknown", []):
            col = roles[c]
            self.issue("error", "unknown_carrier",
                       f"无法识别列“{col.label or col.ref}”的能源品种。可识别的有：{self._carrier_list('zh')}。",
                       f"Cannot tell which carrier column '{col.label or col.ref}' holds. Known carriers: "
                       f"{self._carrier_list('en')}.", f"{self.ctx.file}, {col.header_cell}",
                       "把表头改为能源名称（如 电、天然气、新水），或在导入向导中指定（或写入映射文件），或忽略该列。",
                       "Name the carrier in the header (e.g. Electricity, Natural gas, Water), give it in the import wizard (or a mapping file), "
                       "or mark the column ignored.")
        if pc is None:
            sp = parse_period(self.sheet.name)
            if sp is not None and (by_role.get("series") or by_role.get("value")):
                if sp.year is None:
                    sp.year = self.res.year
                if sp.year is None or not 1990 <= sp.year <= 2100:
                    self.issue("error", "year_unknown", "工作表名中的月份没有年份，文件中也找不到年份。",
                               "The sheet's month has no year and none was found in the file.", self.where(),
                               "在导入向导中指定年份（或映射文件的 year:），或在标题中写明年份。", "Give the year in the import wizard (or year: in a mapping file) or put it in the title.")
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

    def _row_period(self, pc: int | None, r: int, row: list) -> tuple[Period | None, bool]:
        """(period, is_total_row) for a data row of a months-down sheet."""
        if pc is None:
            if any(is_total(v) for v in row[:3]):
                return None, True
            sp = self.sheet_period
            return Period(sp.year, sp.month, f"row{r}", True), False
        v = row[pc] if pc < len(row) else ""
        if type(v) is _DATETIME and self.year_col is None:
            # an hourly or daily ledger: thousands of rows stamped with a date and time, nothing to look up
            # (the same answer as below: a date is never a total, and period_of keeps its year checks)
            if pc and any(is_total(x) for x in row[:pc]):
                return None, True
            return self._period_of(v, r, pc, month_number=True), False
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
            for c, v in enumerate(row):  # (a loop, not all() over a generator: 8,760 rows in an hourly ledger)
                if c != pc and not _empty(v):
                    data.append((r, p))
                    break
        self.res.data_rows = len(data)
        if not data:
            return
        month_of = {r: p.key() for r, p in data}  # (each row's month, worked out once)
        self.res.interval = any(p.fine for _, p in data) and len(set(month_of.values())) < len(data)
        # duplicate stamps (same row label twice)
        meters_by_row = None
        if meter_col is not None:
            meters_by_row = {r: _txt(rows[r][meter_col]) if meter_col < len(rows[r]) else "" for r, _ in data}
        stamp_first: dict[tuple[str, str], int] = {}
        dups: list[tuple[int, int]] = []
        for r, p in data:
            st = (meters_by_row[r] if meters_by_row is not None else "", p.stamp or month_of[r])
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
                               DUP_FIX_ZH, DUP_FIX_EN)
                else:
                    self.issue("info", "duplicate_exact", f"第 {b + 1} 行与第 {a + 1} 行完全重复，只计一次。",
                               f"Row {b + 1} repeats row {a + 1} exactly; counted once.", self.where(b))
                skip_rows.add(b)
        # group rows by month
        groups: dict[str, list[int]] = {}
        for r, _p in data:
            if r in skip_rows:
                continue
            groups.setdefault(month_of[r], []).append(r)
        self.groups = groups
        # each month's rows transposed once (C speed), so a column's cells of a month are one tuple
        self._group_cols = {}
        for mk, rs in groups.items():
            block = [rows[r] for r in rs]
            width = len(block[0]) if block else 0
            if block and all(len(b) == width for b in block):
                self._group_cols[mk] = list(zip(*block, strict=True))
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

    def column_series(self, c: int, col: Column, groups: dict[str, list[int]], meter: str) -> Series | None:
        uf = self.unit_factor(col.carrier, col.unit, f"{self.ctx.file}, {col.header_cell}")
        if uf is None:
            return None
        base, factor, written = uf
        s = Series(self.ctx.file, self.sheet.name, meter, col.carrier, base, written, factor, col.key,
                   label=col.label or meter)
        rows = self.rows
        letter = col_letter(c)
        name = self.sheet.name
        gcols = getattr(self, "_group_cols", {}) if groups is getattr(self, "groups", None) else {}
        for mk, rs in groups.items():
            gc = gcols.get(mk)
            vals = gc[c] if gc is not None and c < len(gc) else [rows[r][c] if c < len(rows[r]) else "" for r in rs]
            if self.ctx.fast and vals and set(map(type, vals)) == _FLOAT_ONLY:
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
