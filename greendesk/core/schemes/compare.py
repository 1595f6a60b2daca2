"""Re-benchmarking: one workspace's answers scored under two schemes, side by side (``greendesk compare``).

Existing national green factories must re-benchmark against GB/T 36132-2025 (工信厅节函〔2025〕390号).
:func:`compare_workspace` scores the latest assessment's answers under each scheme asked for:

* answers are reused where the ids are the same in both schemes, where the target scheme declares a
  rename (``migrations.renamed``, as :mod:`continuity` does), and where a crosswalk
  (``resources/crosswalks/<a>_<b>.yaml``) says two ids mean the same figure; an answer entered for a
  whole indicator crosses editions only when the crosswalk lists it (units differ: 万元/亩 vs 万元/m2);
* every row's points are put on the scale of the total (section weights and the not-applicable rescale
  applied), so a row of one edition can be set beside the rows of the other;
* rows are grouped into the crosswalk's topics (or, without one, by indicator id) and each topic's
  points under both schemes are compared: what loses points, what gains;
* ``new_data`` lists what the second scheme needs that has no answer (a field the first scheme did not
  ask for is marked ``new``), with a related answer of the first scheme where the crosswalk names one.

Nothing here is a figure from a standard: points, rules and sources come from the schemes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from greendesk.core.errors import UserError
from greendesk.core.i18n import language, pick, t

_EPS = 0.005


@dataclass(frozen=True)
class Crosswalk:
    old: str
    new: str
    same: dict[str, str] = field(default_factory=dict)            # old answer id -> new answer id
    related: dict[str, dict] = field(default_factory=dict)        # new field id -> {old, note}
    same_indicators: tuple[str, ...] = ()
    topics: tuple[dict, ...] = ()
    source: str = ""
    certainty: str = "uncertain"
    note: dict = field(default_factory=dict)


def load_crosswalk(a: str, b: str) -> Crosswalk | None:
    """The crosswalk between schemes ``a`` and ``b`` (either order), or None."""
    from greendesk.core.paths import resources_dir
    from greendesk.core.safe_yaml import load_yaml_text

    d = resources_dir() / "crosswalks"
    for old, new in ((a, b), (b, a)):
        p = d / f"{old}_{new}.yaml"
        if p.is_file():
            raw = load_yaml_text(p.read_text(encoding="utf-8"), p.name)
            return Crosswalk(old, new, dict(raw.get("same") or {}), {k: dict(v) for k, v in (raw.get("related") or {}).items()},
                             tuple(raw.get("same_indicators") or ()), tuple(dict(x) for x in raw.get("topics") or ()),
                             str(raw.get("source") or ""), str(raw.get("certainty") or "uncertain"), dict(raw.get("note") or {}))
    return None


def base_of(scheme) -> str:
    """The edition a profile builds on (a profile on 2018 compares like 2018)."""
    return scheme.base or scheme.id


def map_answers(answers: dict[str, Any], src, dst, cw: Crosswalk | None) -> tuple[dict[str, Any], list[dict], list[str]]:
    """(answers for ``dst``, [{from, to, how}] reused, ids not used by ``dst``)."""
    known = set(dst.fields_by_id) | set(dst.indicators_by_id)
    same: dict[str, str] = {}
    keep_inds: set[str] = set()
    if cw is not None:
        forward = base_of(src) == cw.old
        same = dict(cw.same) if forward else {v: k for k, v in cw.same.items()}
        keep_inds = set(cw.same_indicators)
    cross = base_of(src) != base_of(dst)
    out: dict[str, Any] = {}
    reused: list[dict] = []
    unused: list[str] = []
    for k, v in answers.items():
        if k in src.indicators_by_id and cross and k not in keep_inds:
            unused.append(k)            # a whole-indicator value of another edition: its unit may differ
            continue
        if k in known and k not in out:
            out[k] = v
            reused.append({"from": k, "to": k, "how": "same_id"})
        elif k in same and same[k] in known and same[k] not in answers:
            out[same[k]] = v
            reused.append({"from": k, "to": same[k], "how": "crosswalk"})
        elif k in dst.renamed and dst.renamed[k] in known and dst.renamed[k] not in answers:
            out[dst.renamed[k]] = v
            reused.append({"from": k, "to": dst.renamed[k], "how": "renamed"})
        else:
            unused.append(k)
    return out, reused, sorted(unused)


def _rows(scheme, result: dict) -> list[dict]:
    """Every scored row with its points on the scale of the total."""
    secs = {s["id"]: s for s in result["sections"]}
    k_total = (result["total"] / result["raw_total"]) if result.get("rescaled") and result.get("raw_total") else \
        (result["max"] / result["applicable_max"] if result.get("rescaled") and result.get("applicable_max") else 1.0)
    out = []
    for r in result["indicators"]:
        sec = secs.get(r["section"]) or {}
        k = (sec["max"] / sec["raw_max"]) if sec.get("raw_max") else 0.0
        out.append({"id": r["id"], "title": r["title"], "section": r["section"],
                    "section_title": sec.get("title", ""), "kind": r["kind"],
                    "score": r["score"], "max": r["max"],
                    "points": round(r["score"] * k * k_total, 2), "points_max": round(r["max"] * k * k_total, 2),
                    "applicable": r.get("applicable", True), "met": r.get("met"), "state": r.get("state"),
                    "missing_benchmark": bool(r.get("missing_benchmark")), "explain": r["explain"]})
    return out


def _topics(cw: Crosswalk | None, first, second, rows_a: list[dict], rows_b: list[dict], lang: str) -> list[dict]:
    by_a = {r["id"]: r for r in rows_a}
    by_b = {r["id"]: r for r in rows_b}
    groups: list[tuple[str, str, list[str], list[str]]] = []
    if cw is not None:
        forward = base_of(first) == cw.old
        for tp in cw.topics:
            ids_a = [i for i in (tp.get("old") if forward else tp.get("new")) or [] if i in by_a]
            ids_b = [i for i in (tp.get("new") if forward else tp.get("old")) or [] if i in by_b]
            groups.append((str(tp["id"]), pick(tp.get("label") or {}, lang) or str(tp["id"]), ids_a, ids_b))
    else:
        for r in rows_a:
            if r["id"] in by_b:
                groups.append((r["id"], r["title"], [r["id"]], [r["id"]]))
    placed_a = {i for g in groups for i in g[2]}
    placed_b = {i for g in groups for i in g[3]}
    rest_a = [r["id"] for r in rows_a if r["id"] not in placed_a]
    rest_b = [r["id"] for r in rows_b if r["id"] not in placed_b]
    if rest_a or rest_b:
        groups.append(("other", t("其他（另一版本没有对应项）", "Other (no counterpart in the other edition)"), rest_a, rest_b))
    out = []
    for gid, label, ids_a, ids_b in groups:
        pa = round(sum(by_a[i]["points"] for i in ids_a), 2)
        ma = round(sum(by_a[i]["points_max"] for i in ids_a), 2)
        pb = round(sum(by_b[i]["points"] for i in ids_b), 2)
        mb = round(sum(by_b[i]["points_max"] for i in ids_b), 2)
        d = round(pb - pa, 2)
        out.append({"id": gid, "label": label, "rows": [ids_a, ids_b], "points": [pa, pb], "max": [ma, mb],
                    "delta": d, "delta_max": round(mb - ma, 2),
                    "change": "gains" if d > _EPS else "loses" if d < -_EPS else "same"})
    return out


def _new_data(first, second, mapped: dict, ev_fields: dict, cw: Crosswalk | None, answers: dict,
              lang: str) -> list[dict]:
    related = {}
    if cw is not None and base_of(second) == cw.new:
        related = cw.related
    out = []
    for fid, st in ev_fields.items():
        f = second.fields_by_id[fid]
        if f.type == "calculated" or not st["relevant"] or st["value"] is not None or fid in mapped:
            continue
        ind = second.indicators_by_id.get(f.indicator_id) if f.indicator_id else None
        item = {"field": fid, "label": f.title(lang), "unit": f.unit, "type": f.type,
                "indicator": f.indicator_id, "indicator_title": ind.name(lang) if ind else t("基本数据", "Basic data"),
                "new": fid not in first.fields_by_id, "required": f.required}
        rel = related.get(fid)
        if rel and rel.get("old") in answers:
            item["related"] = {"field": rel["old"], "value": answers[rel["old"]], "note": pick(rel.get("note") or {}, lang)}
        out.append(item)
    return out


def _summary(scheme, result: dict, lang: str) -> dict:
    return {"id": scheme.id, "version": scheme.version, "title": scheme.name(lang), "base": scheme.base,
            "total": result["total"], "max": result["max"], "percent": result["percent"],
            "raw_total": result["raw_total"], "applicable_max": result["applicable_max"], "rescaled": result["rescaled"],
            "qualified": result["qualified"], "qualified_reason": result["qualified_reason"],
            "qualification": result["qualification"], "required_failed": result["required_failed"],
            "vetoes_failed": result["vetoes_failed"], "points_table": result["points_table"],
            "grade": result["grade"], "grade_label": result["grade_label"],
            "missing_benchmarks": len(result["missing_benchmarks"]), "missing_answers": len(result["missing_answers"])}


def compare(answers: dict[str, Any], answers_scheme, schemes: list, *, benchmarks: dict | None = None,
            auto_values: dict | None = None, lang: str | None = None) -> dict:
    """Score ``answers`` (given under ``answers_scheme``) under each of two ``schemes``; see the module text."""
    from greendesk.core.schemes.scoring import evaluate

    lang = lang or language()
    if len(schemes) != 2:
        raise UserError("请给出两个评价方案（--scheme 旧 --scheme 新）。",
                        "Give two schemes to compare (--scheme OLD --scheme NEW).")
    if schemes[0].id == schemes[1].id:
        raise UserError(f"两个方案相同（{schemes[0].id}）；请给出两个不同的方案。",
                        f"Both schemes are {schemes[0].id}; give two different schemes.")
    benchmarks = benchmarks or {}
    cw = load_crosswalk(base_of(schemes[0]), base_of(schemes[1]))
    done = []
    for s in schemes:
        if s.id == answers_scheme.id:
            mapped, reused, unused = dict(answers), [{"from": k, "to": k, "how": "own"} for k in answers], []
        else:
            mapped, reused, unused = map_answers(answers, answers_scheme, s, cw)
        ev = evaluate(s, mapped, benchmarks=benchmarks.get(s.id), auto_values=auto_values, lang=lang)
        done.append((s, mapped, reused, unused, ev))
    (sa, _ma, ra, ua, eva), (sb, mb, rb, ub, evb) = done
    rows_a, rows_b = _rows(sa, eva["score"]), _rows(sb, evb["score"])
    topics = _topics(cw, sa, sb, rows_a, rows_b, lang)
    summaries = [_summary(sa, eva["score"], lang), _summary(sb, evb["score"], lang)]
    for summ, reused, unused in ((summaries[0], ra, ua), (summaries[1], rb, ub)):
        summ["answers_used"] = len(reused)
        summ["answers_reused_by_crosswalk"] = [x for x in reused if x["how"] in ("crosswalk", "renamed")]
        summ["answers_not_used"] = unused
    return {
        "answers_scheme": answers_scheme.id, "schemes": summaries,
        "crosswalk": ({"old": cw.old, "new": cw.new, "source": cw.source, "certainty": cw.certainty,
                       "note": pick(cw.note, lang)} if cw else None),
        "delta": round(summaries[1]["total"] / summaries[1]["max"] * 100 - summaries[0]["total"] / summaries[0]["max"] * 100,
                       2) if summaries[0]["max"] and summaries[1]["max"] else None,
        "rows": [rows_a, rows_b], "topics": topics,
        "losses": sorted((x for x in topics if x["change"] == "loses"), key=lambda x: x["delta"]),
        "gains": sorted((x for x in topics if x["change"] == "gains"), key=lambda x: -x["delta"]),
        "new_data": _new_data(sa, sb, mb, evb["fields"], cw, answers, lang),
    }


def compare_workspace(ws, scheme_ids: list[str], assessment_id: int | None = None, *, lang: str | None = None) -> dict:
    """:func:`compare` for an assessment of an open workspace (the latest by default)."""
    from greendesk.core.schemes.registry import get_scheme
    from greendesk.core.schemes.scoring import auto_values_for

    a = ws.assessment(assessment_id)
    own = get_scheme(a["scheme_id"])
    schemes = [get_scheme(s) for s in scheme_ids]
    result = compare(ws.answers(a["id"]), own, schemes,
                     benchmarks={s.id: ws.benchmarks(s.id) for s in schemes},
                     auto_values=auto_values_for(ws, a["id"]), lang=lang)
    result["assessment"] = {"id": a["id"], "year": a["year"], "scheme": a["scheme_id"], "status": a["status"]}
    return result
