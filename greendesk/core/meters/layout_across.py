"""Months across the columns, carriers or meters down the rows."""

from __future__ import annotations

from greendesk.core.meters.catalog import split_label
from greendesk.core.meters.cells import (
    _PARTIAL,
    DUP_FIX_EN,
    DUP_FIX_ZH,
    _empty,
    _is_num,
    _not_a_meter,
    _txt,
    is_total,
)
from greendesk.core.meters.model import Column, Series
from greendesk.core.meters.reader import cell_ref, col_letter
from greendesk.core.meters.roles import label_role
from greendesk.core.meters.values import NotANumber, Period, parse_number


class MonthsAcrossMixin:
    """Mixed into the sheet analyser (greendesk.core.meters.detect); uses its state and helpers."""

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
                               self.where(hdr, c), "在导入向导中指定年份（或映射文件的 year:）。", "Give the year in the import wizard (or year: in a mapping file).")
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
            if m is None:
                where = self.where(r, label_cols[0] if label_cols else 0)
                if _not_a_meter(full, unit_text or u2):
                    self._not_a_meter_note(full, where)
                    continue
                lr = label_role(full, unit_text or u2)
                if lr is not None:
                    self._skipped_note("reading" if lr[0] in ("previous", "current") else lr[0], full, where, lr[1])
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
                           self.where(r, lc), "改为已知的能源名称，或在导入向导中指定（或写入映射文件）。", "Use a known carrier name, or give it in the import wizard (or a mapping file).")
                continue
            uf = self.unit_factor(carrier, unit or None, self.where(r, label_roles.get("unit", lc)))
            if uf is None:
                continue
            base, factor, written = uf
            s = Series(self.ctx.file, self.sheet.name, meter, carrier, base, written, factor, col.key, label=full or meter)
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
                           DUP_FIX_ZH, DUP_FIX_EN)
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
