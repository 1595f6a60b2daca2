"""Data-quality checks on monthly series: each finding names the cells and suggests a fix."""

from __future__ import annotations

import datetime as dt
import math
import statistics

from greendesk.core.i18n import language
from greendesk.core.meters.catalog import catalog
from greendesk.core.meters.model import Issue, Series


def _max_month() -> float:
    """The largest month a ledger may hold, in a base unit (resources/plausibility.yaml, with its source)."""
    from greendesk.core import datacache
    from greendesk.core.paths import resources_dir

    return float(datacache.load_yaml(resources_dir() / "plausibility.yaml", "plausibility")
                 .get("ledger_month_max", 1e12))

CHECKS = ("missing_months", "few_months", "negative", "outlier", "unit_scale", "future_period",
          "impossible_year", "total_mismatch", "duplicate_exact", "duplicate_conflict", "same_meter_other_file")


def check_series(s: Series, *, year: int | None = None, today: dt.date | None = None) -> list[Issue]:
    out: list[Issue] = []
    today = today or dt.date.today()
    cat = catalog()
    name = f"{s.meter}（{cat.label(s.carrier, 'zh')}）"
    name_en = f"{s.meter} ({cat.label(s.carrier, 'en')})"
    where = f"{s.file}, {s.sheet}"
    years = sorted({int(k[:4]) for k in s.months} | {int(k[:4]) for k in s.missing})
    if year is not None and year not in years and years:
        years_to_check = years
    else:
        years_to_check = [year] if year is not None else years
    now_key = f"{today.year:04d}-{today.month:02d}"
    for y in years_to_check:
        have = {k for k in s.months if k.startswith(f"{y:04d}-")}
        if not have:
            continue
        missing = [f"{y:04d}-{m:02d}" for m in range(1, 13) if f"{y:04d}-{m:02d}" not in have]
        missing_past = [k for k in missing if k <= now_key]
        if missing_past:
            cells = [s.missing[k] for k in missing_past if k in s.missing]
            out.append(Issue(
                "warning", "missing_months",
                f"{name} 缺少 {y} 年的月份：{'、'.join(missing_past)}。缺数按缺失处理，不按零计。",
                f"{name_en} has no data for {', '.join(missing_past)}. Missing is not counted as zero.",
                f"{where}" + (f" ({', '.join(cells[:4])})" if cells else ""),
                "补录缺失月份的数据；确实停用时填 0。", "Enter the missing months; enter 0 if the meter really was idle."))
        if len(have) < 12:
            out.append(Issue("warning", "few_months", f"{name} 在 {y} 年只有 {len(have)} 个月的数据（少于 12 个月）。",
                             f"{name_en} has only {len(have)} months of data in {y} (fewer than 12).", where,
                             "年度指标需要全年 12 个月的数据。", "Annual indicators need all 12 months."))
    keys = sorted(s.months)
    vals = [s.months[k] for k in keys]
    max_month = _max_month()
    for i, k in enumerate(keys):
        v = vals[i]
        ref = s.ref(k)
        if not math.isfinite(v) or abs(v) > max_month:
            out.append(Issue("error", "implausible_value",
                             f"{name} 在 {k} 的数值 {v:.4g} {s.unit} 不可能是一个工厂一个月的用量。",
                             f"{name_en} in {k}: {v:.4g} {s.unit} cannot be one factory's use in a month.",
                             f"{s.file}, {ref}", "检查该单元格的数值和单位（是否多打了位数或填成了科学计数）。",
                             "Check the cell's value and unit (extra digits, or a number in scientific notation)."))
            continue
        if v < 0:
            out.append(Issue("warning", "negative", f"{name} 在 {k} 的用量为负数（{v:g} {s.unit}）。",
                             f"{name_en} has negative usage in {k} ({v:g} {s.unit}).", f"{s.file}, {ref}",
                             "用量不应为负；冲减请在备注说明，或改为正确值。", "Usage cannot be negative; correct the value."))
        if k > now_key:
            out.append(Issue("warning", "future_period", f"{name} 有未来月份 {k} 的数据。",
                             f"{name_en} has data for a future month, {k}.", f"{s.file}, {ref}",
                             "检查日期或年份的录入。", "Check the date or year."))
        others = [x for j, x in enumerate(vals) if j != i and x > 0]
        if len(others) >= 3 and v > 0:
            med = statistics.median(others)
            if med > 0:
                ratio = v / med
                if 2000 <= ratio <= 50000:
                    out.append(Issue("warning", "unit_scale",
                                     f"{name} 在 {k} 的数值约为其他月份的 {ratio:,.0f} 倍：是否把 kWh 填进了“万kWh”列（或相反）？",
                                     f"{name_en} in {k} is about {ratio:,.0f}× the other months: a value in kWh typed "
                                     "into a 万kWh column (or the reverse)?", f"{s.file}, {ref}",
                                     "按列单位改正该月数值。", "Correct the month to the column's unit."))
                elif 1 / 50000 <= ratio <= 1 / 2000:
                    out.append(Issue("warning", "unit_scale",
                                     f"{name} 在 {k} 的数值约为其他月份的 1/{1 / ratio:,.0f}：是否把“万kWh”数值填进了 kWh 列（或相反）？",
                                     f"{name_en} in {k} is about 1/{1 / ratio:,.0f} of the other months: a value in 万kWh "
                                     "typed into a kWh column (or the reverse)?", f"{s.file}, {ref}",
                                     "按列单位改正该月数值。", "Correct the month to the column's unit."))
                elif ratio > 3:
                    out.append(Issue("warning", "outlier",
                                     f"{name} 在 {k} 的数值 {v:,.1f} 超过其他月份中位数（{med:,.1f}）的 3 倍。",
                                     f"{name_en} in {k} ({v:,.1f}) is over 3× the median of the other months ({med:,.1f}).",
                                     f"{s.file}, {ref}", "核对该月读数或录入。", "Check that month's reading or entry."))
    return out


CHECK_LABELS = {
    "missing_months": ("缺月", "missing months"),
    "few_months": ("不足 12 个月", "fewer than 12 months"),
    "negative": ("负用量", "negative usage"),
    "outlier": ("异常值（超过中位数 3 倍）", "outliers (over 3x the median)"),
    "unit_scale": ("单位错位（约 10⁴ 倍）", "unit-scale slips (about 10⁴x)"),
    "future_period": ("未来月份", "future periods"),
    "impossible_year": ("不可能的年份", "impossible years"),
    "total_mismatch": ("文件合计与明细不符", "file total vs rows"),
    "duplicate_exact": ("完全重复", "exact duplicates"),
    "duplicate_conflict": ("冲突重复", "conflicting duplicates"),
    "same_meter_other_file": ("同名表计在多个文件", "same meter in several files"),
}


def summarize(issues: list[Issue]) -> list[dict]:
    """Status of every check: ok / warning / error."""
    worst: dict[str, str] = {}
    rank = {"info": 0, "warning": 1, "error": 2}
    for i in issues:
        if i.code not in worst or rank[i.level] > rank[worst[i.code]]:
            worst[i.code] = i.level
    out = []
    for c in CHECKS:
        lvl = worst.get(c)
        zh, en = CHECK_LABELS[c]
        out.append({"check": c, "label": zh if language() == "zh" else en, "status": "ok" if lvl in (None, "info") else lvl,
                    "count": sum(1 for i in issues if i.code == c)})
    return out
