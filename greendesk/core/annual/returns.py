"""The annual return (动态管理表): each template row for a year, the two years before and the listing year.

Every figure carries its source: ``ledger`` (imported meter ledgers or production records),
``factor`` (ledgers × emission factors), ``answer`` (entered in the assessment), ``computed``
(a formula over other rows, or the value the score computed from answers) or ``missing``. A year
without data is missing, never zero.
"""

from __future__ import annotations

import math
from typing import Any

from greendesk.core import expr
from greendesk.core.annual.template import Row, Template, load_template
from greendesk.core.errors import UserError
from greendesk.core.i18n import language, pick
from greendesk.core.schemes.continuity import is_carried

SETTING_LISTING_YEAR = "listing_year"
MIN_YEAR, MAX_YEAR = 1990, 2100


def listing_year(ws) -> int | None:
    v = ws.setting(SETTING_LISTING_YEAR)
    return int(v) if isinstance(v, int) and not isinstance(v, bool) else None


def set_listing_year(ws, year: int | None) -> None:
    """The year the factory was put on the green-factory list (None clears it)."""
    if year is not None and not (MIN_YEAR <= int(year) <= MAX_YEAR):
        raise UserError(f"认定年份 {year} 不合理。", f"Listing year {year} is not plausible.")
    ws.set_setting(SETTING_LISTING_YEAR, int(year) if year is not None else None)


def _assessment_of_year(ws, year: int) -> dict | None:
    same = [a for a in ws.assessments() if a["year"] == year]
    return same[-1] if same else None


def _dig(d: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _t(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


class YearData:
    """Everything one year's figures come from, read once."""

    def __init__(self, ws, year: int):
        from greendesk.core.energy import energy_summary, production_totals

        self.year = year
        self.assessment = _assessment_of_year(ws, year)
        self.energy = energy_summary(ws, year)
        carriers = self.energy.get("carriers") or {}
        self.has_energy = any(d.get("tce") is not None for d in carriers.values())
        self.has_co2 = any(d.get("co2_t") is not None for d in carriers.values())
        self.energy_issues = [i for i in self.energy.get("issues") or [] if i.get("code") != "no_data"]
        self.answers: dict = {}
        self.answer_source: dict = {}
        self.score: dict | None = None
        self.production: dict = {"products": {}}
        if self.assessment is not None:
            from greendesk.core.schemes.scoring import score_assessment

            aid = self.assessment["id"]
            self.answers = ws.answers(aid)
            self.answer_source = {r["field_id"]: r["source"] for r in ws.answer_rows(aid)}
            self.production = production_totals(ws, aid, year)
            try:
                self.score = score_assessment(ws, aid)
            except UserError:
                self.score = None   # an unknown scheme: the rows that need the score are missing
        self.indicators = {r["id"]: r for r in (self.score or {}).get("indicators", [])}
        self.files = sorted({f for d in carriers.values() for f in d.get("files") or ()})

    def product_unit(self) -> str | None:
        return self.production.get("unit")

    def score_summary(self) -> dict | None:
        sc = self.score
        if sc is None:
            return None
        return {"scheme": sc["scheme"], "total": sc["total"], "max": sc["max"], "grade": sc.get("grade_label"),
                "qualified": sc["qualified"], "missing_benchmarks": len(sc.get("missing_benchmarks") or [])}

    def summary(self) -> dict:
        a = self.assessment
        return {"year": self.year,
                "assessment": None if a is None else {"id": a["id"], "scheme": a["scheme_id"], "status": a["status"]},
                "score": self.score_summary(),
                "has_energy_data": self.has_energy, "ledger_files": self.files,
                "energy_issues": [{"code": i["code"], "message": i["message"]} for i in self.energy_issues]}


def _figure(value: float | None, source: str, detail: dict, note: dict | None = None) -> dict:
    return {"value": value, "source": source, "detail": detail, "note": note}


def _from_source(s, y: YearData, row: Row, done: dict[str, dict]) -> dict:
    kind, ref = s.kind, s.ref
    if kind in ("energy", "co2"):
        have = y.has_co2 if kind == "co2" else y.has_energy
        v = _num(_dig(y.energy, ref)) if (have or ref.startswith("carriers.")) else None
        if v is None:
            return _figure(None, "missing", _t(f"{y.year} 年没有导入的能源台账", f"no meter ledger imported for {y.year}"))
        files = "、".join(y.files) or "-"
        partial = any(i["code"] == "missing_months" for i in y.energy_issues)
        note = _t("台账缺少部分月份，缺失不按零计", "the ledgers lack some months (missing is not zero)") if partial else None
        if kind == "co2":
            return _figure(v, "factor", _t(f"台账 × 排放因子（{files}）", f"ledgers × emission factors ({', '.join(y.files)})"),
                           note)
        return _figure(v, "ledger", _t(f"能源台账（{files}）", f"meter ledgers ({', '.join(y.files)})"), note)
    if kind == "production":
        v = _num(y.production.get(ref))
        if v is None:
            why = _t(f"{y.year} 年没有录入产量/产值", f"no production records for {y.year}")
            if ref == "quantity" and any("quantity" in d for d in y.production["products"].values()):
                why = _t("多种产品单位不同，不能相加", "products in different units cannot be added")
            return _figure(None, "missing", why)
        gaps = [m for d in y.production["products"].values() for m in d.get("months_missing") or []]
        note = _t(f"只录入了部分月份（缺 {len(gaps)} 个月）", f"part of the year only ({len(gaps)} months missing)") \
            if gaps else None
        return _figure(v, "ledger", _t("产量/产值记录", "production records"), note)
    if kind == "answer":
        if y.assessment is None:
            return _figure(None, "missing", _t(f"没有 {y.year} 年的评价", f"no assessment for {y.year}"))
        v = _num(y.answers.get(ref))
        if v is None:
            return _figure(None, "missing", _t(f"未填写 {ref}", f"{ref} not answered"))
        note = _t("沿用上一年的答案，待确认", "carried over from last year, to confirm") \
            if is_carried(y.answer_source.get(ref)) else None
        return _figure(v, "answer", _t(f"评价答案 {ref}", f"answer {ref}"), note)
    if kind == "indicator":
        ind = y.indicators.get(ref)
        if ind is None:
            why = _t(f"没有 {y.year} 年的评价", f"no assessment for {y.year}") if y.assessment is None else \
                _t(f"评价方案中没有指标 {ref}", f"the scheme has no indicator {ref}")
            return _figure(None, "missing", why)
        if not ind.get("applicable", True):
            fig = _figure(None, "missing", _t("不适用", "not applicable"))
            fig["not_applicable"] = True
            return fig
        v = _num(ind.get("value"))
        if v is None:
            miss = ", ".join(ind.get("missing") or [])
            return _figure(None, "missing", _t(f"无法计算（缺 {miss or '数据'}）", f"cannot compute (missing {miss or 'data'})"))
        src = "answer" if ind.get("value_source") == "entered" else "computed"
        return _figure(v, src, _t(f"评分指标 {ref}", f"score indicator {ref}"))
    # formula over other rows
    values = {k: d["value"] for k, d in done.items() if d["value"] is not None}
    try:
        v = _num(s.formula.evaluate(values))
    except expr.Missing as e:
        name = _row_label(row, e.ref, done)
        return _figure(None, "missing", _t(f"缺少“{name['zh']}”", f"'{name['en']}' is missing"))
    except expr.ComputeError as e:
        return _figure(None, "missing", _t(f"无法计算：{e.describe('zh')}", f"cannot compute: {e.describe('en')}"))
    if v is None:
        return _figure(None, "missing", _t("无法计算", "cannot compute"))
    inputs = sorted(s.formula.refs)
    notes = [done[i]["note"] for i in inputs if done.get(i, {}).get("note")]
    return _figure(v, "computed", _readable_formula(s.ref, done), notes[0] if notes else None)


def _readable_formula(text: str, done: dict) -> dict:
    """The formula with each ``${row}`` written as the row's label, * and / as × and ÷."""
    import re

    out = {}
    for lang in ("zh", "en"):
        t = re.sub(r"\$\{([^}]+)\}",
                   lambda m, lang=lang: (done.get(m.group(1), {}).get("label") or {}).get(lang, m.group(1)), text)
        out[lang] = t.replace(" * ", " × ").replace(" / ", " ÷ ")
    return out


def _row_label(row: Row, ref: str, done: dict) -> dict:
    return done.get(ref, {}).get("label") or {"zh": ref, "en": ref}


def compute_year(tpl: Template, y: YearData) -> dict[str, dict]:
    """Each row's figure for one year, in the template's computing order."""
    done: dict[str, dict] = {}
    for rid in tpl.order:
        row = tpl.row(rid)
        fig = None
        for s in row.sources:
            fig = _from_source(s, y, row, done)
            if fig["value"] is not None:
                break
        fig["label"] = row.label
        done[rid] = fig
    return done


def _unit(row: Row, y: YearData | None) -> str:
    if "{product_unit}" in row.unit:
        pu = (y.product_unit() if y is not None else None) or ("产品单位" if language() == "zh" else "product unit")
        return row.unit.replace("{product_unit}", pu)
    return row.unit


def judge(direction: str, old: float | None, new: float | None, rel_tol: float = 1e-9) -> str | None:
    """better / worse / same for a change from ``old`` to ``new``; None when not judged."""
    if old is None or new is None or direction == "none":
        return None
    if math.isclose(old, new, rel_tol=rel_tol, abs_tol=1e-12):
        return "same"
    up = new > old
    return "better" if up == (direction == "higher_better") else "worse"


def change(direction: str, old: float | None, new: float | None) -> dict:
    if old is None or new is None:
        return {"abs": None, "pct": None, "judgement": None}
    return {"abs": round(new - old, 6), "pct": round((new - old) / abs(old) * 100, 2) if old else None,
            "judgement": judge(direction, old, new)}


def _clean(fig: dict, lang: str) -> dict:
    v = fig["value"]
    out = {"value": None if v is None else round(v, 6), "source": fig["source"], "detail": pick(fig["detail"], lang),
           "note": pick(fig["note"], lang) if fig.get("note") else None}
    if fig.get("not_applicable"):
        out["not_applicable"] = True
    return out


def default_year(ws) -> int:
    rows = ws.assessments()
    if not rows:
        raise UserError("工作区中还没有评价，请用 --year 指定年份。", "The workspace has no assessment; give --year.")
    return max(int(a["year"]) for a in rows)


def build_return(ws, year: int | None = None, *, template: str | Template = "national", lang: str | None = None,
                 with_check: bool = True) -> dict:
    """The annual return for ``year`` (default: the latest assessment year) as one JSON-ready document."""
    lang = lang or language()
    tpl = template if isinstance(template, Template) else load_template(template)
    year = default_year(ws) if year is None else int(year)
    if not (MIN_YEAR <= year <= MAX_YEAR):
        raise UserError(f"年份 {year} 不合理。", f"Year {year} is not plausible.")
    ly = listing_year(ws)
    years = [year - 2, year - 1, year]
    wanted = sorted(set(years) | ({ly} if ly is not None else set()))
    data = {yy: YearData(ws, yy) for yy in wanted}
    figures = {yy: compute_year(tpl, data[yy]) for yy in wanted}
    rows = []
    for row in tpl.rows:
        if not row.show:
            continue
        vals = {str(yy): _clean(figures[yy][row.id], lang) for yy in wanted}
        v0, v1, v2 = (figures[yy][row.id]["value"] for yy in (year, year - 1, year - 2))
        out = {"id": row.id, "label": row.name(lang), "unit": _unit(row, data[year]), "direction": row.direction,
               "key": row.key, "benchmark": row.benchmark, "values": vals,
               "change": change(row.direction, v1, v0), "change_before": change(row.direction, v2, v1)}
        if ly is not None:
            out["change_since_listing"] = change(row.direction, figures[ly][row.id]["value"], v0)
        rows.append(out)
    f = ws.factory()
    doc = {
        "template": {"id": tpl.id, "title": pick(tpl.title, lang), "certainty": tpl.certainty,
                     "source_notes": pick(tpl.source_notes, lang)},
        "factory": {"name": f.get("name"), "uscc": f.get("uscc")},
        "year": year, "years": years, "listing_year": ly,
        "columns": [dict(data[yy].summary(), role=("listing" if yy == ly and yy not in years else "year"))
                    for yy in wanted],
        "rows": rows,
    }
    from greendesk.core.annual.series import monthly

    doc["monthly"] = monthly({yy: data[yy].energy for yy in years}, lang)   # each carrier's months, year by year
    if ly is None:
        doc["notes"] = [pick(_t("未设置认定（入库）年份：用 greendesk annual-return FILE --listing-year YYYY 设置后，"
                                "才能与认定时的水平比较。",
                                "The listing year is not set: set it with greendesk annual-return FILE --listing-year "
                                "YYYY to compare with the level the factory was listed at."), lang)]
    if with_check:
        from greendesk.core.annual.check import check_years

        doc["check"] = check_years(ws, year, template=tpl, lang=lang, _figures=(figures, data))
    return doc
