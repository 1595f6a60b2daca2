"""Plain data objects of an import: issues, columns, series. All JSON-serialisable via to_dict()."""

from __future__ import annotations

from dataclasses import dataclass, field

from greendesk.core.i18n import language

LEVELS = ("error", "warning", "info")


def finite(x: float | None, digits: int = 6) -> float | None:
    """A value for JSON: rounded, or None where it is not a finite number (an impossible cell, reported)."""
    if x is None or x != x or x in (float("inf"), float("-inf")):
        return None
    return round(x, digits)


@dataclass
class Issue:
    level: str          # "error" (stops the import) | "warning" (possible issue) | "info"
    code: str
    zh: str
    en: str
    where: str = ""
    fix_zh: str = ""
    fix_en: str = ""

    def message(self, lang: str | None = None) -> str:
        return self.zh if (lang or language()) == "zh" else self.en

    def fix(self, lang: str | None = None) -> str:
        return self.fix_zh if (lang or language()) == "zh" else self.fix_en

    def to_dict(self) -> dict:
        return {"level": self.level, "code": self.code, "message": self.message(), "where": self.where,
                "fix": self.fix(), "message_zh": self.zh, "message_en": self.en,
                "fix_zh": self.fix_zh, "fix_en": self.fix_en}

    def text(self) -> str:
        where = f"{self.where}: " if self.where else ""
        fix = self.fix()
        return f"[{self.level}] {where}{self.message()}" + (f" — {fix}" if fix else "")


@dataclass
class Column:
    """A recognised column (months down) or row (months across) of a sheet."""

    key: str                  # "Sheet!C" / "Sheet!5": stable id used by mappings and the wizard
    ref: str                  # "C" or "5"
    label: str
    header_cell: str          # e.g. "能源月报!B1"
    role: str                 # series | period | meter | carrier | unit | value | previous | current |
    #                           multiplier | usage | total | ignore
    carrier: str | None = None
    unit: str | None = None   # the unit as written (an alias name, e.g. "万kWh")
    meter: str | None = None
    source: str = "detected"  # detected | mapping | assumed

    def to_dict(self) -> dict:
        return {"key": self.key, "ref": self.ref, "label": self.label, "header_cell": self.header_cell,
                "role": self.role, "carrier": self.carrier, "unit": self.unit, "meter": self.meter,
                "source": self.source}


@dataclass
class Series:
    """Monthly values of one meter and carrier, in the carrier's base unit."""

    file: str
    sheet: str
    meter: str
    carrier: str
    unit: str                                  # base unit: kWh, m3, t, GJ
    unit_written: str = ""                     # as in the file, e.g. 万kWh
    factor: float = 1.0                        # written × factor = base
    column: str = ""                           # Column.key it came from (or "" for long format)
    months: dict[str, float] = field(default_factory=dict)      # "2025-01" -> value
    refs: dict[str, list[str]] = field(default_factory=dict)    # "2025-01" -> ["Sheet!C5", ...] or ranges
    counts: dict[str, int] = field(default_factory=dict)        # cells summed into a month
    missing: dict[str, str] = field(default_factory=dict)       # "2025-03" -> cell with a placeholder
    label: str = ""                            # the header or row label as written
    # what the series is (greendesk.core.meters.roles.SERIES_ROLES); only counting roles add to the totals
    role: str = "boundary"
    level: int = 1                             # 1 boundary (一级), 2 / 3 sub-meters
    parent: str | None = None                  # the meter a sub-meter is checked against
    decided_by: str = "detected"               # detected | mapping | register
    why: str = ""                              # one line: why it has this role (shown in the wizard)
    asked: bool = False                        # its role is a question the user must answer before import
    # how the importer made it from other series, if it did: "tou_sum" (time-of-use parts added up),
    # "pv_self_use" (generation − export); "summary" marks a yearly summary sheet's series
    made: str = ""

    @property
    def counted(self) -> bool:
        return self.role in ("boundary", "standalone", "self_use")

    @property
    def stored(self) -> bool:
        """Counted series and sub-meters are stored; cross-checks, comparisons and derived figures are not."""
        return self.counted or self.role == "sub"

    def add(self, period: str, value: float, ref: str) -> None:
        if period in self.months:
            self.months[period] += value
            self.counts[period] += 1
            r = self.refs[period]
            if len(r) < 3:
                r.append(ref)
            elif len(r) == 3:
                r.append("…")
        else:
            self.months[period] = value
            self.counts[period] = 1
            self.refs[period] = [ref]

    def ref(self, period: str) -> str:
        return ", ".join(self.refs.get(period, []))

    @property
    def total(self) -> float:
        return sum(self.months.values())

    def to_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "meter": self.meter, "carrier": self.carrier,
                "unit": self.unit, "unit_written": self.unit_written, "factor": self.factor,
                "column": self.column, "total": finite(self.total),
                "months": {k: finite(v) for k, v in sorted(self.months.items())},
                "refs": {k: self.ref(k) for k in sorted(self.refs)},
                "cells": {k: self.counts[k] for k in sorted(self.counts)},
                "label": self.label, "role": self.role, "level": self.level, "parent": self.parent,
                "counted": self.counted, "decided_by": self.decided_by, "why": self.why}
