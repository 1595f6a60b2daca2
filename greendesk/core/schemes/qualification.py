"""What a score means under its scheme: qualification, the not-applicable rescale, the points table.

Used by :meth:`greendesk.core.schemes.scoring._Evaluation.result`; every rule comes from the
scheme data (``qualification``, ``na_policy``, ``points_table`` with their sources), none from code.

Keys this adds to the ``score --json`` dict (the older keys keep their types):

* ``qualified`` (bool, unchanged key): every qualification condition the scheme states is met —
  no veto item failed or unanswered, every 必选 line met where the scheme's ``qualification``
  says ``required_lines: disqualify`` (GB/T 36132-2018), and the total reaches a pass mark where
  the scheme sets a sourced one. It is **not** a pass mark: a scheme without one (the 2025 通则)
  is qualified on its vetoes alone, and ``qualification.pass_mark`` is then null.
* ``required_failed`` / ``required_unanswered``: the 必选 lines not met / not answered
  (``[{indicator, field, title, indicator_title}]``), listed whatever the scheme's rule.
* ``qualification``: ``{vetoes: met|failed|unanswered, required_lines: disqualify|score, pass_mark,
  pass_mark_reached, thresholds: [sourced grades], statement, source, certainty, note}``.
* ``na_policy``: ``{mode, source, certainty, note}``; ``raw_total`` and ``applicable_max`` (before the
  rescale), ``rescaled`` (bool), ``na_excluded``: ``[{id, kind: indicator|line, points}]``.
  With ``mode: rescale``, ``total = raw_total × max / applicable_max`` and ``max`` is the scheme's
  full maximum; ``sections[]`` keep their own (unrescaled) score and max.
* ``points_table``: ``{id, label, source, certainty}`` of the table in use, or null.
"""

from __future__ import annotations

from greendesk.core.i18n import pick

SOURCED = ("confirmed", "secondary", "user")


def rescale(scheme, raw_total: float, applicable_max: float) -> tuple[float, float, bool]:
    """(total, max, rescaled) under the scheme's not-applicable policy."""
    nominal = scheme.max_points
    if scheme.na_policy == "rescale" and applicable_max > 0 and abs(applicable_max - nominal) > 1e-9:
        return raw_total * nominal / applicable_max, nominal, True
    if scheme.na_policy == "rescale" and applicable_max <= 0:
        return 0.0, nominal, False
    return raw_total, applicable_max, False


def na_block(scheme, lang: str) -> dict:
    na = scheme.na
    return {"mode": scheme.na_policy, "source": na.source, "certainty": na.certainty,
            "note": na.display_note(lang)}


def na_excluded(scheme, inds: list[dict]) -> list[dict]:
    """The rows whose points left the maximum (none when the policy awards them)."""
    if scheme.na_policy == "full":
        return []
    out = []
    for r in inds:
        ind = scheme.indicators_by_id.get(r["id"])
        if ind is None or not ind.points:
            continue
        if r.get("applicable") is False or r.get("na_entered"):
            out.append({"id": r["id"], "kind": "indicator", "points": float(ind.points)})
            continue
        items = {i.field: i.points for i in ind.rule.items}
        for fid in r.get("na_lines") or []:
            out.append({"id": fid, "kind": "line", "points": float(items.get(fid, 0.0))})
    return out


def _line(scheme, ind_id: str, fid: str, lang: str) -> dict:
    ind = scheme.indicators_by_id[ind_id]
    f = scheme.fields_by_id.get(fid)
    return {"indicator": ind_id, "field": fid, "title": f.title(lang) if f is not None else fid,
            "indicator_title": ind.name(lang)}


def assess(scheme, inds: list[dict], vetoes_failed: list[str], vetoes_open: list[str], total: float, t,
           lang: str) -> dict:
    """The qualification keys of the score (see the module text), with the reason in words."""
    q = scheme.qualification
    req_failed = [_line(scheme, r["id"], f, lang) for r in inds for f in r.get("required_failed") or []]
    req_open = [_line(scheme, r["id"], f, lang) for r in inds for f in r.get("required_open") or []]
    disqualify = q.required_lines == "disqualify"
    pass_reached = None if q.pass_mark is None else round(total, 2) + 1e-9 >= q.pass_mark
    qualified = (not vetoes_failed and not vetoes_open and not (disqualify and (req_failed or req_open))
                 and pass_reached is not False)
    sep = "；" if t.zh else "; "
    if vetoes_failed:
        reason = t("否决项不符合：{v}", "veto items not met: {v}", v=", ".join(vetoes_failed))
    elif disqualify and req_failed:
        reason = t("必选项不符合（{n} 项）：{v}", "required (必选) lines not met ({n}): {v}", n=len(req_failed),
                   v=sep.join(f"{x['indicator_title']} — {x['title']}" for x in req_failed))
    elif vetoes_open:
        reason = t("否决项尚未回答：{v}", "veto items not yet answered: {v}", v=", ".join(vetoes_open))
    elif disqualify and req_open:
        reason = t("必选项尚未回答（{n} 项）", "required (必选) lines not yet answered ({n})", n=len(req_open))
    elif pass_reached is False:
        reason = t("总分未达到合格分数线 {m}", "the total is below the pass mark {m}", m=f"{q.pass_mark:g}")
    elif disqualify:
        reason = t("全部否决项和必选项符合", "all veto items and required (必选) lines met")
    else:
        reason = t("全部否决项符合", "all veto items met")
    thresholds = [{"id": g.id, "min": g.min, "label": pick(g.label, lang), "source": g.source,
                   "certainty": g.certainty} for g in scheme.grades if g.source and g.certainty in SOURCED]
    if q.pass_mark is not None:
        statement = t("合格分数线 {m} 分（{s}）：{r}", "pass mark {m} ({s}): {r}", m=f"{q.pass_mark:g}", s=q.source,
                      r=t("已达到", "reached") if pass_reached else t("未达到", "not reached"))
    elif thresholds:
        statement = t("本方案未设合格分数线；有出处的等级线：{g}", "this scheme sets no pass mark; sourced grade "
                      "thresholds: {g}", g=sep.join(f"≥ {g['min']:g} {g['label']}" for g in thresholds))
    else:
        statement = t("本方案未设合格分数线：总得分本身不表示是否合格", "this scheme sets no pass mark: the total "
                      "alone does not say whether the factory qualifies")
    return {
        "qualified": qualified, "qualified_reason": reason,
        "required_failed": req_failed, "required_unanswered": req_open,
        "qualification": {
            "vetoes": "failed" if vetoes_failed else "unanswered" if vetoes_open else "met",
            "required_lines": q.required_lines, "pass_mark": q.pass_mark, "pass_mark_reached": pass_reached,
            "thresholds": thresholds, "statement": statement, "source": q.source, "certainty": q.certainty,
            "note": q.display_note(lang),
        },
    }


def points_table_block(scheme, lang: str) -> dict | None:
    p = scheme.points_table_used()
    if p is None:
        return None
    return {"id": p.id, "label": p.name(lang), "source": p.source, "certainty": p.certainty,
            "note": p.display_note(lang)}
