"""Finding a sheet's header block, its title and note rows, and the ledger's year."""

from __future__ import annotations

from greendesk.core.meters.catalog import split_label
from greendesk.core.meters.cells import (
    _MADE_ON,
    _MONEY,
    _NOTE,
    _TITLE,
    _UNIT_NOTE,
    HEADER_SCAN,
    _empty,
    _is_num,
    _row_cells,
    _txt,
    is_total,
)
from greendesk.core.meters.roles import label_role
from greendesk.core.meters.values import find_year, parse_period


class HeaderMixin:
    """Mixed into the sheet analyser (greendesk.core.meters.detect); uses its state and helpers."""

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
        # a year in the header cells: the latest one (2025年 beside 2024年同期), never a comparison column's
        hdr_years = [find_year(_txt(v)) for r in self.res.header_rows for v in self.rows[r - 1]
                     if not _empty(v) and parse_period(v, allow_serial=False) is None
                     and (label_role(_txt(v)) or ("",))[0] != "comparison"]
        sources.append(("header", max((y for y in hdr_years if y), default=None)))
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
