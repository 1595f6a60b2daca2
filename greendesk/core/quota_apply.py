"""Quota grades into the score: 引领值 = grade 1, 基准值 = grade 2 (the 2025 通则 rule, [secondary]).

The pack's ``targets`` say which indicator of which scheme takes them:

* ``indicator`` (a quantitative indicator, e.g. the 2018 单位产品综合能耗): the grades of the factory's
  quota become the workspace's 基准值/引领值 for it, stored as a benchmark override whose ``set_by`` is
  ``quota:<id>`` and whose source names the standard and where its values come from, so that
  ``greendesk benchmark``, the settings page, the score and the report show it like any other override.
  A benchmark an evaluator entered by hand is never replaced.
* ``rows`` (the 2025 product rows): every row whose product name or standard matches the quota gets the
  grade columns filled (answer source ``quota:<id>``; values typed by the user are kept).

:func:`apply` runs after ``quota use``, ``quota add`` and ``quota remove`` (CLI and app).
"""

from __future__ import annotations

from greendesk.core import quotas as Q
from greendesk.core.i18n import language

BY_PREFIX = "quota:"


def benchmark_source(q: Q.Quota, lang: str | None = None) -> str:
    lang = lang or language()
    std = q.standard or "—"
    if lang == "zh":
        return f"能耗限额 {std}（{q.name('zh')}）：1 级 = 引领值，2 级 = 基准值；数值来源：{q.source}"
    return f"energy quota {std} ({q.name('en')}): grade 1 = 引领值, grade 2 = 基准值; values from: {q.source}"


def chosen(ws, quotas: list[Q.Quota] | None = None) -> list[Q.Quota]:
    """The quotas the factory uses, in the order chosen: ``quota use`` first, else products that match by name."""
    quotas = quotas if quotas is not None else Q.all_quotas(ws)
    by_id = {q.id: q for q in quotas}
    ids = Q.used(ws) or sorted(Q.matching(ws, quotas))
    return [by_id[i] for i in ids if i in by_id]


def apply(ws, assessment_id: int | None = None) -> dict:
    """Bring the quota grades into the assessment's benchmarks or product rows; what was done and why not."""
    from greendesk.core.schemes.registry import get_scheme

    a = ws.assessment(assessment_id)
    scheme = get_scheme(a["scheme_id"])
    quotas = chosen(ws)
    report: dict = {"scheme": scheme.id, "quotas": [q.id for q in quotas], "benchmarks": [], "rows": [], "skipped": []}
    for tg in Q.bundled().targets:
        if tg.scheme != scheme.id:
            continue
        if tg.indicator:
            _indicator(ws, scheme, tg, quotas, report)
        elif tg.rows and not ws.is_final(a["id"]):
            _rows(ws, a["id"], tg, quotas, report)
    return report


def _indicator(ws, scheme, tg, quotas, report) -> None:
    if tg.indicator not in scheme.indicators_by_id:
        return
    current = next((b for b in ws.benchmarks(scheme.id) if b["indicator_id"] == tg.indicator and not b["band"]), None)
    mine = current is not None and str(current.get("set_by") or "").startswith(BY_PREFIX)
    if current is not None and not mine:
        report["skipped"].append({"indicator": tg.indicator, "reason": "set_by_hand",
                                  "set_by": current.get("set_by")})
        return
    q = next((q for q in quotas if q.usable), None)
    if q is None:
        if mine:     # the quota was removed or lost its values: its benchmark goes with it
            ws.clear_benchmark(scheme.id, tg.indicator)
            report["benchmarks"].append({"indicator": tg.indicator, "cleared": True})
        if quotas:
            report["skipped"].append({"indicator": tg.indicator, "reason": "no_values", "quota": quotas[0].id})
        return
    src = benchmark_source(q)
    if not (mine and current["baseline"] == q.grade2 and current["leading"] == q.grade1 and current["source"] == src):
        ws.set_benchmark(scheme.id, tg.indicator, q.grade2, q.grade1, source=src, set_by=BY_PREFIX + q.id)
    report["benchmarks"].append({"indicator": tg.indicator, "quota": q.id, "baseline": q.grade2, "leading": q.grade1,
                                 "source": src})


def _rows(ws, aid: int, tg, quotas, report) -> None:
    rows = ws.answers(aid).get(tg.rows)
    if not isinstance(rows, list) or not rows:
        if quotas:
            report["skipped"].append({"rows": tg.rows, "reason": "no_rows"})
        return
    c = tg.columns
    new = []
    changed = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            new.append(row)
            continue
        row = dict(row)
        name = Q._norm(row.get(c.get("name", "name")) or "")
        std = Q._norm(row.get(c.get("standard", "standard")) or "")
        q = next((q for q in quotas if q.usable and (name in q.names() or (std and q.standard
                                                                          and std == Q._norm(q.standard)))), None)
        if q is not None:
            filled = []
            for g, col in (("grade1", c["grade1"]), ("grade2", c["grade2"])):
                if row.get(col) in (None, ""):
                    row[col] = getattr(q, g)
                    filled.append(col)
            if "standard" in c and not row.get(c["standard"]) and q.standard:
                row[c["standard"]] = q.standard
            if filled:
                changed.append({"row": i + 1, "name": row.get(c.get("name", "name")), "quota": q.id, "filled": filled})
        new.append(row)
    if changed:
        ws.set_answer(aid, tg.rows, new, source=BY_PREFIX + ",".join(sorted({x["quota"] for x in changed})))
    report["rows"].extend(changed)
