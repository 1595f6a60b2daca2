"""The 申报表 rows as the green-manufacturing platform lays them out, one per indicator.

:func:`declaration_table` scores the assessment (``score_assessment``, which carries the 计算过程)
and returns::

    {"scheme", "scheme_title", "factory", "uscc", "year", "total", "max", "columns": [{key, zh, en}],
     "rows": [{level1, code, title, type, points, unit, leading, baseline, weight, value, value_text,
               applicable, evidence_required: [..], evidence_source, evidence_certainty, evidence_text,
               evidence_files: [{id, name, sha256, size}], calculation (dict or None), calculation_text,
               score, max, id, section}],
     "general_evidence": [...], "missing_evidence": [row ids with a value but none of their evidence]}

Works for any scheme or profile: the rows come from the scheme's sections and indicators.
"""

from __future__ import annotations

from typing import Any

from greendesk.core.declaration.calculation import num
from greendesk.core.i18n import language, pick

# (key, 中文列名, English column name): the platform's order
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("level1", "一级指标", "First-level indicator"),
    ("code", "序号", "No."),
    ("title", "二级/三级指标", "Second/third-level indicator"),
    ("type", "指标类型", "Type"),
    ("points", "分值", "Points"),
    ("unit", "单位", "Unit"),
    ("leading", "引领值（标杆值）", "Leading value (标杆值)"),
    ("baseline", "基准值", "Baseline (基准值)"),
    ("weight", "加权参数", "Weighting"),
    ("value_text", "年度指标值", "Value for the year"),
    ("applicable_text", "是否适用", "Applicable"),
    ("evidence_text", "证明材料要求", "Evidence required"),
    ("files_text", "已附证明材料", "Evidence attached"),
    ("calculation_text", "计算过程", "Calculation"),
)
_CERT = {"confirmed": ("已确认", "confirmed"), "secondary": ("二手来源", "secondary source"),
         "uncertain": ("⚠ 待核实", "⚠ uncertain"), "user": ("用户设定", "set by user")}


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def indicator_type(ind, res: dict, lang: str) -> str:
    """正向定量 / 逆向定量 / 定性, as the platform labels a row."""
    rule = ind.rule
    if rule.kind in ("veto", "checklist", "info"):
        return _t(lang, "定性", "qualitative")
    direction = rule.direction
    if rule.kind == "cases":
        dirs = {c.rule.direction for c in rule.cases}
        direction = dirs.pop() if len(dirs) == 1 else None
        from greendesk.core.package.data import _active_rule
        active = _active_rule(ind, res, lang)
        if active is not None:
            direction = active.direction
    if direction == "lower_better":
        return _t(lang, "逆向定量", "quantitative, lower is better")
    if direction == "higher_better":
        return _t(lang, "正向定量", "quantitative, higher is better")
    return _t(lang, "定量", "quantitative")


def _weight(scheme, ind, res: dict, lang: str) -> str:
    calc = res.get("calculation") or {}
    if calc.get("products"):
        return ("；" if lang == "zh" else "; ").join(f"{p['name']} {num(p['weight'])}" for p in calc["products"])
    from greendesk.core.package.data import _active_rule
    rule = _active_rule(ind, res, lang)
    if rule is not None and rule.kind == "multi_product" and rule.row_weight is not None:
        from greendesk.core.declaration.calculation import _Calc
        c = _Calc(scheme, {}, None, lang)
        cols = c._columns(rule.rows)
        return c.render(rule.row_weight.tree, lambda r: c.label(r, cols))[0]
    return "/"


def _value_text(ind, res: dict, lang: str) -> str:
    if not res.get("applicable", True):
        return _t(lang, "不适用", "not applicable")
    calc = res.get("calculation")
    if calc and calc.get("products"):
        return ("；" if lang == "zh" else "; ").join(f"{p['name']} {num(p['value'])}" for p in calc["products"])
    if res.get("value") is not None:
        return num(res["value"])
    kind = ind.rule.kind
    if kind == "veto":
        met = res.get("met")
        return _t(lang, "符合", "met") if met else _t(lang, "不符合", "not met") if met is False \
            else _t(lang, "未回答完", "not fully answered")
    if kind in ("checklist", "info"):
        head = (res.get("explain") or "").split(" ⚠")[0].split(" → ")[0]
        if len(ind.rule.items) == 1:        # one line (a case): the answer itself, without the line's name
            head = head.split("：", 1)[-1] if lang == "zh" else head.split(": ", 1)[-1]
        return head
    return ""


def _evidence_text(ind, lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    items = [pick(e, lang) for e in ind.evidence]
    cert = _CERT.get(ind.evidence_certainty, (ind.evidence_certainty,) * 2)[0 if lang == "zh" else 1]
    src = ind.evidence_source or _t(lang, "未找到列明证明材料的公开来源", "no public source lists the evidence")
    body = sep.join(items) if items else _t(lang, "（未列明）", "(none listed)")
    return f"{body}（{_t(lang, '出处', 'source')}：{src}；{cert}）" if lang == "zh" else f"{body} (source: {src}; {cert})"


def rows_for(scheme, score: dict, evidence: list[dict], lang: str) -> list[dict]:
    """The 申报表 rows for a score (``score_assessment`` output) and the assessment's evidence rows."""
    from greendesk.core.finalize import item_of

    by_item: dict[str, list[dict]] = {}
    for e in evidence:
        iid = item_of(scheme, e["item_id"]) if e.get("item_id") else None
        if iid:
            by_item.setdefault(iid, []).append({"id": e["id"], "name": e["name"], "sha256": e["sha256"],
                                                "size": e.get("size")})
    results = {r["id"]: r for r in score.get("indicators") or []}
    sections = {s.id: s for s in scheme.sections}
    out = []
    for ind in scheme.indicators():
        res = results.get(ind.id) or {}
        calc = res.get("calculation")
        files = by_item.get(ind.id, [])
        leading, baseline = res.get("leading"), res.get("baseline")
        quantitative = ind.rule.kind not in ("veto", "checklist", "info")
        row: dict[str, Any] = {
            "id": ind.id, "section": ind.section_id, "level1": sections[ind.section_id].name(lang),
            "code": str(ind.code or ""), "title": ind.name(lang), "type": indicator_type(ind, res, lang),
            "points": ind.points, "unit": (res.get("unit") or ind.rule.unit or "/") if quantitative else "/",
            "leading": leading, "baseline": baseline, "weight": _weight(scheme, ind, res, lang) if quantitative else "/",
            "value": res.get("value"), "value_text": _value_text(ind, res, lang),
            "applicable": bool(res.get("applicable", True)),
            "evidence_required": [pick(e, lang) for e in ind.evidence], "evidence_source": ind.evidence_source,
            "evidence_certainty": ind.evidence_certainty, "evidence_text": _evidence_text(ind, lang),
            "evidence_files": files, "calculation": calc, "calculation_text": (calc or {}).get("text") or "/",
            "score": res.get("score"), "max": res.get("max"),
        }
        row["leading_text"] = num(leading) if leading is not None else "/"
        row["baseline_text"] = num(baseline) if baseline is not None else "/"
        if calc and calc.get("products"):
            row["leading_text"] = "；".join(f"{p['name']} {num(p['leading'])}" for p in calc["products"])
            row["baseline_text"] = "；".join(f"{p['name']} {num(p['baseline'])}" for p in calc["products"])
        row["applicable_text"] = _t(lang, "是", "yes") if row["applicable"] else _t(lang, "否", "no")
        row["files_text"] = ("；" if lang == "zh" else "; ").join(f["name"] for f in files) or _t(lang, "（无）", "(none)")
        row["has_value"] = has_value(ind, res)
        out.append(row)
    return out


def has_value(ind, res: dict) -> bool:
    """The row has a figure or an answer the evaluator will check against its evidence."""
    if not res or not res.get("applicable", True):
        return False
    if res.get("value") is not None or (res.get("calculation") or {}).get("products"):
        return True
    return ind.rule.kind in ("veto", "checklist") and res.get("state") in ("complete", "in_progress")


def missing_evidence(rows: list[dict]) -> list[dict]:
    """Rows with a value and a list of required evidence but no evidence file attached."""
    return [r for r in rows if r["has_value"] and r["evidence_required"] and not r["evidence_files"]]


def declaration_table(ws, assessment_id: int | None = None, *, lang: str | None = None) -> dict:
    """The whole 申报表 of an assessment (the latest by default)."""
    from greendesk.core.schemes.registry import get_scheme
    from greendesk.core.schemes.scoring import score_assessment

    lang = lang or language()
    a = ws.assessment(assessment_id)
    scheme = get_scheme(a["scheme_id"])
    score = score_assessment(ws, a["id"], lang=lang)
    evidence = ws.evidence(a["id"])
    rows = rows_for(scheme, score, evidence, lang)
    f = ws.factory()
    return {
        "scheme": scheme.id, "scheme_version": scheme.version, "scheme_title": scheme.name(lang),
        "factory": f.get("name"), "uscc": f.get("uscc"), "year": a["year"], "assessment": a["id"],
        "status": a["status"], "total": score.get("total"), "max": score.get("max"),
        "columns": [{"key": k, "zh": zh, "en": en} for k, zh, en in COLUMNS],
        "rows": rows,
        "general_evidence": [{"id": e["id"], "name": e["name"]} for e in evidence if not e.get("item_id")],
        "missing_evidence": [r["id"] for r in missing_evidence(rows)],
    }


def row_text(row: dict, lang: str) -> str:
    """One row as ``列名：值`` lines, for the clipboard (the platform's fields in order)."""
    out = []
    for key, zh, en in COLUMNS:
        v = row.get(key)
        if key == "leading":
            v = row.get("leading_text")
        elif key == "baseline":
            v = row.get("baseline_text")
        elif key == "points":
            v = num(v)
        out.append(f"{zh if lang == 'zh' else en}{'：' if lang == 'zh' else ': '}{'' if v is None else v}")
    return "\n".join(out)


def cell_value(row: dict, key: str) -> Any:
    """The value of a column in a row as written to the sheet (numbers stay numbers)."""
    if key == "leading":
        return row["leading"] if isinstance(row.get("leading"), (int, float)) else row.get("leading_text")
    if key == "baseline":
        return row["baseline"] if isinstance(row.get("baseline"), (int, float)) else row.get("baseline_text")
    if key == "value_text" and isinstance(row.get("value"), (int, float)) and not isinstance(row["value"], bool):
        return round(float(row["value"]), 6)
    return row.get(key)


def evidence_warnings(scheme, score: dict, evidence: list[dict], lang: str) -> list[dict]:
    """Finalize warnings (not blocks): a row with a value but none of its required evidence attached."""
    from greendesk.core.finalize import item_of

    attached = {item_of(scheme, e["item_id"]) for e in evidence if e.get("item_id")}
    out = []
    for res in score.get("indicators") or []:
        ind = scheme.indicators_by_id.get(res["id"])
        if ind is None or not ind.evidence or ind.id in attached or not has_value(ind, res):
            continue
        place = f"{ind.code} {ind.name(lang)}" if ind.code else ind.name(lang)
        need = ("；" if lang == "zh" else "; ").join(pick(e, lang) for e in ind.evidence)
        text = (f"已有数值但未附任何要求的证明材料：{place}（要求：{need}）" if lang == "zh" else
                f"A value but none of the required evidence attached: {place} (required: {need})")
        out.append({"kind": "evidence", "text": text, "field": None, "item": ind.id})
    return out
