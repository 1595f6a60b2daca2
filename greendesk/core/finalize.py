"""Finalize and reopen an assessment: one rule for the command line and the app.

A final assessment is read-only (``Workspace.require_draft``) until it is reopened as a draft, with a
reason; both steps are logged in ``assessment_events`` (who, when, why).

Finalizing is refused while there are *blocking* problems:

* an entered value that breaks a constraint of the scheme (shown at its field);
* a field required when finalizing, or a basic requirement (veto item), not answered;
* an answer that contradicts the signed commitment letter (``resources/commitments.yaml``: e.g.
  未被列为失信被执行人 answered 否 while the letter declares 未被列入严重失信主体名单).

* an answer carried over from last year and not yet confirmed (source ``carried:2024``): filed unchecked,
  last year's figure would be declared as this year's (confirm it, or change it, in the form or with
  ``greendesk answers FILE --confirm all``).

*Warnings* do not stop it: a basic requirement not met (the report says the factory does not qualify),
answers missing for the score, benchmarks needed, a row with a value but none of its required evidence
(证明材料要求) attached.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from greendesk.core.errors import UserError
from greendesk.core.i18n import language, pick, using_language


class FinalizeRefused(UserError):
    """Finalizing was refused; ``problems`` holds the blocking problems."""

    def __init__(self, zh: str, en: str, problems: list[dict]):
        super().__init__(zh, en)
        self.problems = problems


@cache
def commitment_claims() -> tuple[dict, ...]:
    """The statements of the commitment letter and the answers that contradict them (bundled data)."""
    import yaml

    from greendesk.core.paths import resources_dir

    data = yaml.safe_load((resources_dir() / "commitments.yaml").read_text(encoding="utf-8"))
    return tuple(data.get("claims") or ())


def item_of(scheme, answer_id: str) -> str | None:
    """The indicator an answer belongs to; None for the shared basic data."""
    if answer_id in scheme.indicators_by_id:
        return answer_id
    f = scheme.fields_by_id.get(answer_id)
    if f is not None and f.indicator_id:
        return f.indicator_id
    for ind in scheme.indicators():
        if answer_id.startswith(ind.id + "."):
            return ind.id
    return None


def _place(scheme, answer_id: str, lang: str) -> str:
    """A field named with its item ("5a 节约原材料案例 › 案例情况"); an item by its code and title."""
    ind = scheme.indicators_by_id.get(answer_id)
    if ind is not None:
        return f"{ind.code} {pick(ind.title, lang)}" if ind.code else pick(ind.title, lang)
    f = scheme.fields_by_id.get(answer_id)
    if f is None:
        return answer_id
    ind = scheme.indicators_by_id.get(f.indicator_id) if f.indicator_id else None
    name = pick(f.label, lang) or answer_id
    if ind is None:
        return name
    item = f"{ind.code} {pick(ind.title, lang)}" if ind.code else pick(ind.title, lang)
    return f"{item} › {name}"


def _id(x) -> str:
    return x if isinstance(x, str) else str(x.get("id") if isinstance(x, dict) else x)


def unmet_commitments(scheme, answers: dict[str, Any]) -> list[tuple[dict, str]]:
    """(claim, field id) for every answer of 否 to a field the commitment letter declares as met."""
    out = []
    for claim in commitment_claims():
        for fid in claim.get("fields") or ():
            if fid in scheme.fields_by_id and answers.get(fid) == "no":
                out.append((claim, fid))
    return out


def problems_of(scheme, evaluation: dict, answer_rows: list[dict], *, lang: str | None = None) -> dict:
    """Blocking problems and warnings from the core's live evaluation (``scoring.evaluate``).

    Each problem: ``{"kind", "text", "item", "field"}`` (text in ``lang``; item/field for jump-to).
    """
    lang = lang or language()
    zh = lang == "zh"
    sep = "：" if zh else ": "
    score = evaluation.get("score") or {}
    fields = evaluation.get("fields") or {}
    answers = {r["field_id"]: r["value"] for r in answer_rows}
    blocking: list[dict] = []
    warnings: list[dict] = []

    def add(out: list, kind: str, text: str, answer_id: str | None, item: str | None = None) -> None:
        out.append({"kind": kind, "text": text, "field": answer_id,
                    "item": item or (item_of(scheme, answer_id) if answer_id else None)})

    for fid, st in fields.items():
        f = scheme.fields_by_id.get(fid)
        err = st.get("error")
        if err and st.get("relevant", True) and not (f is not None and f.type == "calculated"):
            add(blocking, "invalid", f"{_place(scheme, fid, lang)}{sep}{err}", fid)
    required = [_id(f) for f in score.get("required_missing") or []]
    for fid in required:
        add(blocking, "required", ("必填但未回答：" if zh else "Required but not answered: ")
            + _place(scheme, fid, lang), fid)
    for iid in score.get("vetoes_unanswered") or []:
        iid = _id(iid)
        add(blocking, "veto_unanswered", ("基本要求未回答：" if zh else "Basic requirement not answered: ")
            + _place(scheme, iid, lang), None, iid)
    for claim, fid in unmet_commitments(scheme, answers):
        statement = pick(claim.get("statement"), lang)
        if zh:
            text = (f"{_place(scheme, fid, lang)} 回答为“否”，而承诺书声明“{statement}”：请更正答案；"
                    "如答案属实，本厂不能按此承诺申报。")
        else:
            text = (f"{_place(scheme, fid, lang)} is answered No, but the signed commitment declares "
                    f"“{statement}”: correct the answer; if it is true, the factory cannot make this declaration.")
        add(blocking, "commitment", text, fid)
    for iid in score.get("vetoes_failed") or []:
        iid = _id(iid)
        add(warnings, "veto_failed", ("基本要求不符合（不具备申报条件）：" if zh
                                      else "Basic requirement not met (not qualified): ")
            + _place(scheme, iid, lang), None, iid)
    for fid in score.get("missing_answers") or []:
        fid = _id(fid)
        if fid not in required and fid in scheme.fields_by_id:
            add(warnings, "missing", ("未回答（回答前不得分）：" if zh else "Not answered (no points until it is): ")
                + _place(scheme, fid, lang), fid)
    for iid in score.get("missing_benchmarks") or []:
        iid = _id(iid)
        add(warnings, "benchmark", ("需要基准值：" if zh else "Benchmark needed: ") + _place(scheme, iid, lang),
            None, iid)
    from greendesk.core.schemes.continuity import carried_from, is_carried

    for r in answer_rows:   # last year's figure filed unchecked is a wrong declaration: confirm or change it first
        if is_carried(r["source"]) and (r["field_id"] in scheme.fields_by_id or r["field_id"] in scheme.indicators_by_id):
            y = carried_from(r["source"])
            head = ((f"来自{y}年，尚未确认：" if y else "沿用上一年，尚未确认：") if zh else
                    (f"From {y}, not yet confirmed: " if y else "Carried over from last year, not yet confirmed: "))
            add(blocking, "carried", head + _place(scheme, r["field_id"], lang), r["field_id"])
    return {"blocking": blocking, "warnings": warnings}


def problems(ws, assessment_id: int | None = None, *, lang: str | None = None) -> dict:
    """Blocking problems and warnings of an assessment (the latest by default), evaluated now."""
    from greendesk.core.schemes.registry import get_scheme
    from greendesk.core.schemes.scoring import auto_values_for, evaluate

    lang = lang or language()
    a = ws.assessment(assessment_id)
    scheme = get_scheme(a["scheme_id"])
    ev = evaluate(scheme, ws.answers(a["id"]), benchmarks=ws.benchmarks(scheme.id),
                  auto_values=auto_values_for(ws, a["id"]), lang=lang)
    out = problems_of(scheme, ev, ws.answer_rows(a["id"]), lang=lang)
    from greendesk.core.declaration.table import evidence_warnings  # 证明材料要求 per row: warn, never block

    out["warnings"] += evidence_warnings(scheme, ev["score"], ws.evidence(a["id"]), lang)
    out["assessment"] = {"id": a["id"], "year": a["year"], "status": a["status"]}
    return out


def finalize(ws, assessment_id: int | None = None, *, by: str | None = None) -> dict:
    """Mark the assessment final, or raise :class:`FinalizeRefused` listing the blocking problems."""
    a = ws.assessment(assessment_id)
    if a["status"] == "final":
        raise UserError(f"{a['year']} 年的评价已经定稿。", f"The {a['year']} assessment is already final.")
    found = {}
    for lang in ("zh", "en"):
        with using_language(lang):
            found[lang] = problems(ws, a["id"], lang=lang)
    zh, en = found["zh"]["blocking"], found["en"]["blocking"]
    if zh:
        n = len(zh)
        raise FinalizeRefused(
            f"有 {n} 个问题须先解决，评价未定稿。{zh[0]['text']}" + (f"（另有 {n - 1} 个）" if n > 1 else ""),
            f"{n} problem{'s' if n > 1 else ''} must be fixed first; the assessment was not finalized. "
            f"{en[0]['text']}" + (f" ({n - 1} more)" if n > 1 else ""),
            found[language()]["blocking"])
    found = found[language()]
    ws.set_status(a["id"], "final", by=by)
    found["assessment"] = dict(found["assessment"], status="final")
    return found


def reopen(ws, assessment_id: int | None = None, reason: str = "", *, by: str | None = None) -> dict:
    """Make a final assessment a draft again; the reason is required and logged with who and when."""
    a = ws.assessment(assessment_id)
    reason = (reason or "").strip()
    if a["status"] != "final":
        raise UserError(f"{a['year']} 年的评价是草稿，无需重新打开。", f"The {a['year']} assessment is a draft already.")
    if not reason:
        raise UserError("请说明重新打开的原因（会与操作人和时间一起记录）。",
                        "Give the reason for reopening (it is recorded with who and when).")
    ws.set_status(a["id"], "draft", reason=reason, by=by)
    return ws.assessment_events(a["id"])[-1]
