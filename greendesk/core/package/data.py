"""Everything the report shows, gathered once: :func:`collect_report_data`.

The report, the embedded JSON and the manifest are all built from one
:class:`ReportData`, so what the PDF says and what it carries cannot disagree.
Scoring and energy figures come from their own areas
(``greendesk.core.schemes.scoring.score_assessment`` and
``greendesk.core.energy.energy_summary``) when those are available.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from greendesk.core.i18n import pick
from greendesk.core.package.templates import raw, text

_YNA = ("yes", "no", "na")


@dataclass
class ReportData:
    lang: str
    factory: dict
    assessment: dict
    scheme: dict                      # {id, version, title}
    sections: list[dict]              # [{id, title, score, max, indicators: [...]}]
    score: dict | None                # {total, max, qualified, grade, vetoes[], missing_*[]}
    gaps: list[dict]                  # [{id, title, score, max, gain, hint}] by gain, largest first
    energy: dict | None               # {year, carriers: [...], total_tce, total_co2_t, issues, factors}
    evidence: list[dict]              # every evidence row (id, item_id, name, mime, size, sha256)
    general_evidence: list[dict]      # evidence not attached to any indicator in the report
    ledgers: list[dict]               # imported meter ledgers (file_name, sha256, size)
    answers: list[dict]               # raw answer rows
    raw_score: dict | None = None     # score_assessment() output as returned
    raw_energy: dict | None = None
    generated_at: str = ""
    app_version: str = ""
    notes: list[str] = field(default_factory=list)   # what was unavailable while collecting
    # 基准值/引领值 set in this workspace instead of the scheme's: [{title, band, unit, baseline, leading,
    # source, set_by, set_at}] -- the reader must see which figures the applicant chose and on what basis
    benchmark_overrides: list[dict] = field(default_factory=list)
    # what the evaluator needs to recompute and read the result (issue 14.1)
    figures: dict = field(default_factory=dict)        # denominators(): basic data, products, totals, intensities
    scope: dict = field(default_factory=dict)          # scope(): boundary, period, team, dates, standards, method
    conclusion: dict | None = None                     # conclusion(): what the total means under the scheme
    commitment: dict = field(default_factory=dict)     # commitment(): statements the answers allow
    field_values: list[dict] = field(default_factory=list)  # [{id, value, provenance}] every field with a value

    def to_json_dict(self) -> dict:
        """The answers-and-scores document embedded in the package."""
        d = asdict(self)
        return {
            "format": "greendesk-answers-scores/1.1",   # 1.1: the factory's MIIT template fields (schema 4)
            "generated_at": self.generated_at,
            "app_version": self.app_version,
            "factory": d["factory"],
            "assessment": d["assessment"],
            "scheme": d["scheme"],
            "answers": [dict(r, provenance="declared") for r in d["answers"]],  # every stored answer is entered
            "score": self.raw_score,
            "energy": self.raw_energy,
            "evidence": [{k: e.get(k) for k in ("id", "item_id", "name", "mime", "size", "sha256")}
                         for e in self.evidence],
            "ledgers": d["ledgers"],
            # declared | ledger | computed | mixed, for every figure used (answers are "declared")
            "provenance_legend": {k: text(f"values.provenance.{k}", "en") for k in PROVENANCE},
            "field_values": d["field_values"],
            "indicator_values": [{"id": i["id"], "value": i.get("value"), "unit": i.get("unit"),
                                  "provenance": i.get("provenance"), "inputs": i.get("inputs") or {}}
                                 for s in self.sections for i in s["indicators"] if i.get("provenance")],
            "figures": d["figures"],
            "scope": d["scope"],
            "conclusion": d["conclusion"],
            "commitment": d["commitment"],
        }


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    """First present attribute or key among ``names``."""
    for n in names:
        if isinstance(obj, dict):
            if obj.get(n) is not None:
                return obj[n]
        else:
            v = getattr(obj, n, None)
            if v is not None and not callable(v):
                return v
    return default


def label_of(obj: Any, lang: str) -> str:
    lab = _get(obj, "labels", "title", "label", "name", "text")
    if isinstance(lab, dict):
        return pick(lab, lang)
    if lab is not None:
        return str(lab)
    return str(_get(obj, "id", default=""))


def fmt_num(v: Any, digits: int = 2) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        if float(v).is_integer() and abs(v) < 1e15:
            return f"{int(v):,}"
        return f"{v:,.{digits}f}".rstrip("0").rstrip(".")
    return str(v)


def format_answer(value: Any, fld: Any, lang: str) -> str:
    """An answer in words: choices by their label, yes/no, lists joined, numbers with units."""
    yes, no = text("values.yes", lang), text("values.no", lang)
    if value is None or value == "" or value == []:
        return "—"
    choices = _get(fld, "choices", "options", default=None) if fld is not None else None
    choice_labels: dict = {}
    if isinstance(choices, dict):
        choice_labels = {k: pick(v, lang) if isinstance(v, dict) else str(v) for k, v in choices.items()}
    elif isinstance(choices, (list, tuple)):
        for c in choices:
            if isinstance(c, (str, int, float)):
                choice_labels[c] = str(c)
            else:
                cid = _get(c, "value", "id")
                choice_labels[cid] = label_of(c, lang)

    def one(v: Any) -> str:
        if isinstance(v, bool):
            return yes if v else no
        if v in choice_labels if isinstance(v, (str, int, float)) else False:
            return choice_labels[v]
        if isinstance(v, (int, float)):
            unit = _get(fld, "unit", default="") if fld is not None else ""
            return f"{fmt_num(v, 4)} {unit}".strip()
        if isinstance(v, dict):
            return "; ".join(f"{k}: {one(x)}" for k, x in v.items())
        if v in _YNA:
            return text(f"values.{v}", lang)
        return str(v)

    if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
        # a table answer ("rows"): one line per row, columns by their labels
        cols = {_get(c, "id"): c for c in (_get(fld, "columns", default=()) or ())} if fld is not None else {}
        sep = text("values.field_sep", lang)
        lines = []
        for row in value:
            parts = []
            for k, v in row.items():
                col = cols.get(k) or cols.get(f"{_get(fld, 'id')}.{k}")
                name = label_of(col, lang) if col is not None else str(k)
                parts.append(f"{name}{text('values.colon', lang)}{format_answer(v, col, lang)}")
            lines.append("• " + sep.join(parts))
        return "\n".join(lines)
    if isinstance(value, (list, tuple)):
        return text("values.list_sep", lang).join(one(v) for v in value)
    return one(value)


def _iter_fields(ind: Any) -> list:
    fields = _get(ind, "fields", "questions", default=[]) or []
    return list(fields.values()) if isinstance(fields, dict) else list(fields)


def _explain_text(x: Any, lang: str) -> str:
    if x is None:
        return ""
    if isinstance(x, dict):
        return pick(x, lang)
    if isinstance(x, (list, tuple)):
        return " ".join(_explain_text(i, lang) for i in x)
    return str(x)


def _build_sections(scheme: Any, score: dict | None, answers: dict, evidence: list[dict], lang: str,
                    fprov: dict[str, str] | None = None) -> list[dict]:
    ind_scores = {i.get("id"): i for i in (score or {}).get("indicators", [])}
    sec_scores = {s.get("id"): s for s in (score or {}).get("sections", [])}
    by_item: dict[str, list[dict]] = {}
    for e in evidence:
        if e.get("item_id"):
            by_item.setdefault(e["item_id"], []).append(e)
    sections = []
    for sec in (_get(scheme, "sections", default=[]) or []):
        sid = _get(sec, "id")
        indicators = []
        for ind in (_get(sec, "indicators", "items", default=[]) or []):
            iid = _get(ind, "id")
            fields = _iter_fields(ind)
            rows = []
            ev = list(by_item.get(iid, []))
            if answers.get(iid) not in (None, "", []):
                whole = text("values.whole_indicator", lang)
                rows.append({"id": iid, "label": whole, "value": format_answer(answers.get(iid), None, lang),
                             "answered": True})
            for f in fields:
                if _get(f, "type") in ("evidence",):
                    continue
                fid = _get(f, "id")
                rows.append({"id": fid, "label": label_of(f, lang), "value": format_answer(answers.get(fid), f, lang),
                             "answered": answers.get(fid) not in (None, "", [])})
                ev.extend(by_item.get(fid, []))
            sc = ind_scores.get(iid, {})
            prov, inputs = indicator_provenance(ind, sc, fprov or {}, lang) if sc else (None, {})
            computed = sc.get("computed") or sc.get("values") or _computed_from_result(sc, lang)
            if isinstance(computed, dict):
                computed = [{"label": str(k), "value": (v if isinstance(v, str) else fmt_num(v, 4)) if not isinstance(v, dict)
                             else f"{fmt_num(v.get('value'), 4)} {v.get('unit', '')}".strip()}
                            for k, v in computed.items()]
            else:
                computed = [{"label": label_of(c, lang), "value": fmt_num(_get(c, "value"), 4)} for c in computed]
            indicators.append({
                "id": iid, "title": label_of(ind, lang), "fields": rows, "computed": computed,
                "score": sc.get("score"), "max": sc.get("max", _get(ind, "points", "max")),
                "explain": _explain_text(sc.get("explain"), lang),
                "evidence": ev,
                # a basic requirement (veto) earns no points: the reader wants met / not met, not 0 / 0
                "met": sc.get("met") if sc.get("kind") == "veto" else None,
                "veto": sc.get("kind") == "veto",
                "not_applicable": sc.get("applicable") is False or bool(sc.get("na_entered")),
                "value": sc.get("value"), "unit": sc.get("unit"), "provenance": prov, "inputs": inputs,
                "certainty": sc.get("certainty"), "uncertain": bool(sc.get("uncertain")),
            })
        ss = sec_scores.get(sid, {})
        sections.append({"id": sid, "title": label_of(sec, lang), "indicators": indicators,
                         "score": ss.get("score"), "max": ss.get("max")})
    return sections


def _computed_from_result(sc: dict, lang: str) -> dict:
    """The figures a scoring result carries for one indicator: x, benchmarks, band."""
    out: dict = {}
    if sc.get("value") is not None:
        unit = sc.get("unit") or ""
        label = text("values.x_entered" if sc.get("value_source") == "entered" else "values.x", lang)
        out[label] = f"{fmt_num(sc['value'], 4)}{'' if unit == '%' else ' '}{unit}".strip()
    if sc.get("band_label"):
        out[text("values.band", lang)] = sc["band_label"]
    if sc.get("baseline") is not None and sc.get("kind") == "threshold":
        out[text("values.threshold", lang)] = fmt_num(sc["baseline"], 4)
    else:
        if sc.get("baseline") is not None:
            out[text("values.baseline", lang)] = fmt_num(sc["baseline"], 4)
        if sc.get("leading") is not None:
            out[text("values.leading", lang)] = fmt_num(sc["leading"], 4)
    for p in sc.get("products") or []:
        out[str(p.get("name"))] = fmt_num(p.get("value"), 4)
    return {k: v for k, v in out.items()}


def _gaps(score: dict | None, sections: list[dict], lang: str) -> list[dict]:
    if not score:
        return []
    titles = {i["id"]: i["title"] for s in sections for i in s["indicators"]}
    explains = {i["id"]: i["explain"] for s in sections for i in s["indicators"]}
    given = score.get("gaps")
    by_id = {i.get("id"): i for i in score.get("indicators", [])}
    out = []
    if given:
        for g in given:
            iid = g.get("indicator_id") or g.get("id")
            gain = g.get("gain", g.get("points", g.get("points_to_gain")))
            r = by_id.get(iid, {})
            out.append({"id": iid, "title": _explain_text(g.get("title"), lang) or titles.get(iid, iid),
                        "score": g.get("score", r.get("score")), "max": g.get("max", r.get("max")), "gain": gain,
                        "hint": _explain_text(g.get("hint") or g.get("action") or g.get("explain"), lang)
                        or explains.get(iid, "")})
    else:
        for i in score.get("indicators", []):
            mx, sc = i.get("max"), i.get("score")
            if mx is None:
                continue
            gain = (mx or 0) - (sc or 0)
            if gain > 1e-9:
                out.append({"id": i.get("id"), "title": titles.get(i.get("id"), i.get("id")), "score": sc,
                            "max": mx, "gain": gain, "hint": _explain_text(i.get("explain"), lang)})
    out.sort(key=lambda g: (-(g["gain"] or 0), str(g["id"])))
    return out


def _id_of(v: Any) -> Any:
    return v.get("id") if isinstance(v, dict) else v


def _score_summary(score: dict | None, scheme: Any, lang: str) -> dict | None:
    if not score:
        return None
    titles = dict(score.get("titles") or {})
    for i in score.get("indicators", []):
        if i.get("title") and i.get("id") not in titles:
            titles[i["id"]] = i["title"]
    fields_by_id = _get(scheme, "fields_by_id", default={}) if scheme is not None else {}
    for fid, f in (fields_by_id or {}).items():
        # a field's label alone can be ambiguous (several indicators ask for 主要产品): name its indicator too
        owner = titles.get(_get(f, "indicator_id", default=None))
        name = label_of(f, lang)
        titles.setdefault(fid, f"{_explain_text(owner, lang)}：{name}" if owner and lang == "zh"
                          else f"{_explain_text(owner, lang)}: {name}" if owner else name)
    vetoes = []
    for i in score.get("indicators", []):
        if i.get("kind") == "veto":
            vetoes.append({"id": i.get("id"), "title": _explain_text(i.get("title"), lang) or str(i.get("id")),
                           "ok": i.get("met")})
    for v in score.get("vetoes", []) or []:
        if v.get("id") in {x["id"] for x in vetoes}:
            continue
        vetoes.append({"id": v.get("id"), "title": _explain_text(v.get("title") or v.get("label"), lang)
                       or str(v.get("id")), "ok": bool(v.get("ok", v.get("passed", True)))})
    failed = []
    for v in score.get("vetoes_failed", []) or []:
        if isinstance(v, dict):
            failed.append({"id": v.get("id"), "title": _explain_text(v.get("title") or v.get("label") or v.get("explain"), lang)
                           or str(v.get("id")), "ok": False})
        else:
            t = titles.get(v)
            failed.append({"id": v, "title": _explain_text(t, lang) if t else str(v), "ok": False})
    known = {v["id"] for v in vetoes}
    vetoes += [f for f in failed if f["id"] not in known]

    def name_list(items: list) -> list[str]:
        out = []
        for x in items or []:
            if isinstance(x, dict):
                out.append(_explain_text(x.get("title") or x.get("label"), lang) or str(x.get("id")))
            else:
                t = titles.get(x)  # the reader sees the title; the scheme's internal id only if there is none
                out.append(_explain_text(t, lang) if t else str(x))
        return out

    # the reason in words, with the items' titles (the score's own sentence lists their ids)
    failed_titles = [f["title"] for f in failed]
    open_titles = [_explain_text(titles.get(_id_of(v)), lang) or str(_id_of(v))
                   for v in score.get("vetoes_unanswered") or []]
    sep = text("values.list_sep", lang)
    if failed_titles:
        reason = text("values.vetoes_failed", lang, items=sep.join(failed_titles))
    elif open_titles:
        reason = text("values.vetoes_open", lang, items=sep.join(open_titles))
    else:
        reason = _explain_text(score.get("qualified_reason"), lang)
    grade = score.get("grade_label") or score.get("grade")
    return {
        "total": score.get("total"), "max": score.get("max"), "qualified": bool(score.get("qualified")),
        "qualified_reason": reason,
        "grade": _explain_text(grade, lang) if grade is not None else "—",
        "vetoes": vetoes, "vetoes_failed": [f["title"] for f in failed],
        "missing_benchmarks": name_list(score.get("missing_benchmarks")),
        "missing_answers": name_list(score.get("missing_answers")),
    }


def _carrier_names() -> dict:
    from greendesk.core.meters.catalog import catalog

    return {cid: {"zh": c.zh, "en": c.en} for cid, c in catalog().carriers.items()}


def _factor_names(ws) -> dict:
    from greendesk.core.energy import factor_table

    return {k: {"zh": v.get("zh"), "en": v.get("en")} for k, v in factor_table(ws).items()}


def _energy(summary: dict | None, lang: str, ws=None) -> dict | None:
    if not summary or not summary.get("carriers"):
        return None
    carriers = []
    catalog_names = _carrier_names()
    for cid, c in summary["carriers"].items():
        name = catalog_names.get(cid) or raw("carriers").get(cid) or c.get("labels") or c.get("name") or c.get("label") or cid
        carriers.append({"id": cid, "name": pick(name, lang) if isinstance(name, dict) else str(name),
                         "unit": c.get("unit", ""), "months": dict(sorted((c.get("months") or {}).items())),
                         "total": c.get("total"), "tce": c.get("tce"), "co2_t": c.get("co2_t"),
                         "tce_months": c.get("tce_months") or {}})
    issues = [_explain_text(i.get("message") or i.get("text") or i, lang) if isinstance(i, dict) else str(i)
              for i in summary.get("issues") or []]
    factors = []
    factor_names = _factor_names(ws)
    for f in summary.get("factors") or []:
        if isinstance(f, dict):
            name = factor_names.get(f.get("id")) or f.get("label") or f.get("name") or f.get("id")
            nm = _explain_text(name, lang)
            for k, r in REGIONS.items():
                nm = nm.replace(k, pick(r, lang))
            factors.append({"id": f.get("id"), "name": nm, "value": f.get("value"), "unit": f.get("unit", ""),
                            "source": printable_note(_explain_text(f.get("source"), lang)),
                            "certainty": f.get("certainty") or "uncertain", "overridden": bool(f.get("overridden"))})
    months = sorted({m for c in carriers for m in c["months"]})
    return {"year": summary.get("year"), "carriers": carriers, "months": months,
            "total_tce": summary.get("total_tce"), "total_co2_t": summary.get("total_co2_t"),
            "issues": issues, "factors": factors}


def collect_report_data(ws, assessment_id: int | None = None, lang: str = "zh", *,
                        score: dict | None = None, energy: dict | None = None, scheme: Any = None) -> ReportData:
    """Gather everything the report and the package show, from an open workspace.

    ``score``, ``energy`` and ``scheme`` override what the scoring, energy and scheme
    areas would compute (used by tests and the benchmark); by default they are computed.
    """
    from greendesk import __version__

    lang = "zh" if str(lang).lower().startswith("zh") else "en"
    notes = []
    a = ws.assessment(assessment_id)
    aid = a["id"]
    from greendesk.core.energy import energy_summary
    from greendesk.core.errors import UserError
    from greendesk.core.i18n import using_language
    from greendesk.core.schemes.registry import get_scheme
    from greendesk.core.schemes.scoring import score_assessment

    with using_language(lang):  # energy notes and explanations in the report's language
        if scheme is None:
            try:
                scheme = get_scheme(a["scheme_id"])
            except UserError as e:  # an unknown scheme (e.g. a removed custom profile) still gets a report
                notes.append(f"scheme: {e.message(lang)}")
        if score is None and scheme is not None:
            score = score_assessment(ws, aid, lang=lang)
        if energy is None:
            energy = energy_summary(ws, a["year"])

    answers = ws.answers(aid)
    evidence = ws.evidence(aid)
    states: dict[str, dict] = {}
    if scheme is not None:
        from greendesk.core.schemes.scoring import auto_values_for, evaluate

        try:
            states = evaluate(scheme, answers, benchmarks=ws.benchmarks(a["scheme_id"]),
                              auto_values=auto_values_for(ws, aid), lang=lang)["fields"]
        except Exception as e:  # noqa: BLE001 - the report still shows what it has
            notes.append(f"field states: {e}")
    fprov = field_provenance(scheme, states)
    sections = _build_sections(scheme, score, answers, evidence, lang, fprov) if scheme is not None else []
    from greendesk.core.readable import answer_names, readable

    names = answer_names(scheme, lang) if scheme is not None else {}
    for s in sections:
        for ind in s["indicators"]:
            ind["explain"] = readable(ind["explain"], names, lang)
    gaps = _gaps(score, sections, lang)
    for g in gaps:
        g["hint"] = readable(g.get("hint") or "", names, lang)
    shown = {e["id"] for s in sections for i in s["indicators"] for e in i["evidence"]}
    general = [e for e in evidence if e["id"] not in shown]
    ledgers = []
    for row in ws.conn.execute(
            "SELECT m.file_name, m.sha256, b.size FROM meter_imports m LEFT JOIN blobs b ON b.sha256 = m.sha256 "
            "WHERE (m.assessment_id = ? OR m.assessment_id IS NULL) AND m.sha256 IS NOT NULL ORDER BY m.id", [aid]):
        ledgers.append({"file_name": row[0], "sha256": row[1], "size": row[2]})

    scheme_title = label_of(scheme, lang) if scheme is not None else a["scheme_id"]
    if scheme is not None and scheme_title == str(_get(scheme, "id", default="")):
        scheme_title = _scheme_title_fallback(a["scheme_id"], lang)
    elif scheme is None:
        scheme_title = _scheme_title_fallback(a["scheme_id"], lang)

    figures = denominators(scheme, states, fprov, energy, lang)
    field_values = [{"id": fid, "value": _jsonable(st.get("value")), "provenance": fprov.get(fid)}
                    for fid, st in states.items() if fid in fprov]
    rd = ReportData(
        figures=_jsonable(figures), scope=_jsonable(scope(ws, dict(a), scheme, energy, figures, lang)),
        conclusion=conclusion(score, scheme, lang), commitment=commitment(scheme, answers, lang),
        field_values=field_values,
        benchmark_overrides=_benchmark_overrides(ws, scheme, a["scheme_id"], lang),
        lang=lang, factory=ws.factory(), assessment=dict(a),
        scheme={"id": a["scheme_id"], "version": a["scheme_version"], "title": scheme_title},
        sections=sections, score=_score_summary(score, scheme, lang), gaps=gaps,
        energy=_energy(energy, lang, ws), evidence=evidence, general_evidence=general, ledgers=ledgers,
        answers=ws.answer_rows(aid), raw_score=_jsonable(score), raw_energy=_jsonable(energy),
        generated_at=_dt.datetime.now().astimezone().isoformat(timespec="seconds"), app_version=__version__,
        notes=notes,
    )
    from greendesk.core.package.yearcharts import collect_years

    rd.years = collect_years(ws, a["year"], lang)   # the charts across years (not a field: not in the JSON)
    return rd


def _benchmark_overrides(ws, scheme: Any, scheme_id: str, lang: str) -> list[dict]:
    out = []
    by_id = _get(scheme, "indicators_by_id", default={}) if scheme is not None else {}
    for o in ws.benchmarks(scheme_id):
        ind = (by_id or {}).get(o["indicator_id"])
        rule = _get(ind, "rule") if ind is not None else None
        band = next((b for b in (_get(rule, "bands", default=[]) or []) if _get(b, "id") == o["band"]), None)
        code = _get(ind, "code", default="") if ind is not None else ""
        title = label_of(ind, lang) if ind is not None else o["indicator_id"]
        out.append({"title": f"{code} {title}".strip(), "band": label_of(band, lang) if band is not None else "",
                    "unit": _get(rule, "unit", default="") or "", "baseline": o["baseline"], "leading": o["leading"],
                    "source": o["source"] or "", "set_by": o["set_by"] or "", "set_at": o["set_at"] or ""})
    return out


def _scheme_title_fallback(scheme_id: str, lang: str) -> str:
    known = raw("schemes")
    return pick(known[scheme_id], lang) if scheme_id in known else scheme_id


def _jsonable(obj: Any) -> Any:
    if obj is None:
        return None
    return json.loads(json.dumps(obj, ensure_ascii=False, default=str))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- provenance, denominators, scope (issue 14.1) ---------------------------------------------------

# Where a figure comes from: entered by the applicant, taken from the imported meter ledgers,
# computed by a rule from entered figures, or computed from entered and ledger figures together.
PROVENANCE = ("declared", "ledger", "computed", "mixed")


def _auto_provenance(key: str | None) -> str:
    """An automatic value: ledger totals are from the ledgers; production figures are entered data."""
    if key and key.startswith(("energy.", "water.")):
        return "ledger"
    return "declared"


def field_provenance(scheme: Any, states: dict[str, dict]) -> dict[str, str]:
    """Provenance of every field that has a value, from the evaluation's field states."""
    out: dict[str, str] = {}
    fields = _get(scheme, "fields_by_id", default={}) or {}
    for fid, st in states.items():
        src = st.get("source")
        if src in (None, "none"):
            continue
        if src == "auto":
            out[fid] = _auto_provenance(_get(fields.get(fid), "auto", default=None))
        elif src == "calculated":
            out[fid] = "computed"
        else:  # user, default, carried
            out[fid] = "declared"
    return out


def combine_provenance(parts: list[str]) -> str:
    """One figure computed from figures of these provenances."""
    kinds = set(parts)
    if not kinds:
        return "computed"
    if kinds <= {"ledger"}:
        return "ledger"
    if "ledger" in kinds or "mixed" in kinds:
        return "mixed"
    return "computed"


def _active_rule(ind: Any, res: dict, lang: str) -> Any:
    rule = _get(ind, "rule")
    cases = _get(rule, "cases", default=()) or ()
    if not cases:
        return rule
    wanted = res.get("case")
    for c in cases:
        if wanted and wanted in (pick(_get(c, "label", default={}) or {}, lang), *(_get(c, "label", default={}) or {})
                                 .values()):
            return _get(c, "rule")
    return None


def indicator_provenance(ind: Any, res: dict, fprov: dict[str, str], lang: str) -> tuple[str | None, dict]:
    """(provenance of the indicator's x, {input field id: provenance}); (None, {}) when there is no x."""
    if res.get("value") is None and not res.get("products"):
        return None, {}
    if res.get("value_source") == "entered":
        return "declared", {}
    rule = _active_rule(ind, res, lang)
    refs: set[str] = set()
    if rule is not None:
        for attr in ("value", "row_value"):
            e = _get(rule, attr)
            if e is not None:
                refs |= set(getattr(e, "refs", ()) or ())
        if _get(rule, "rows"):
            refs.add(_get(rule, "rows"))
    inputs = {r: fprov[r] for r in sorted(refs) if r in fprov}
    if not inputs:
        return "computed", {}
    expr = _get(rule, "value") if rule is not None else None
    if len(inputs) == 1 and expr is not None and str(expr).strip() == "${" + next(iter(inputs)) + "}":
        return next(iter(inputs.values())), inputs  # x is that figure itself
    return combine_provenance(list(inputs.values())), inputs


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def denominators(scheme: Any, states: dict[str, dict], fprov: dict[str, str], energy_raw: dict | None,
                 lang: str) -> dict:
    """The figures every intensity is computed from, and the intensities beside them.

    ``{"basic": [{id, label, value, unit, provenance}], "products": [{name, quantity, unit, output_value,
    provenance}], "energy": [...], "intensities": [{id, label, value, unit, formula, provenance}]}``.
    """
    basic = []
    for f in (_get(scheme, "common", default=()) or ()):
        fid = _get(f, "id")
        st = states.get(fid) or {}
        basic.append({"id": fid, "label": label_of(f, lang), "value": _num(st.get("value")),
                      "unit": _get(f, "unit", default="") or "", "provenance": fprov.get(fid)})
    e = energy_raw or {}
    prod = e.get("production") or {}
    products = []
    for name, p in (prod.get("products") or {}).items():
        products.append({"name": name or text("values.all_products", lang), "quantity": _num(p.get("quantity")),
                         "unit": p.get("unit") or "", "output_value": _num(p.get("output_value_wan_yuan")),
                         "months": p.get("months_quantity"), "provenance": "declared"})
    energy = []
    if e.get("carriers"):
        for key, lab, unit in (("total_tce_calorific", "values.tce_calorific", "tce"),
                               ("total_tce_equivalent", "values.tce_equivalent", "tce"),
                               ("total_co2_t", "values.co2_total", "tCO2"),
                               ("renewable_tce", "values.renewable_total", "tce")):
            if e.get(key) is not None:
                energy.append({"id": key, "label": text(lab, lang), "value": _num(e.get(key)), "unit": unit,
                               "provenance": "ledger"})
    inten = e.get("intensity") or {}
    out_val = _num(prod.get("output_value_wan_yuan"))
    qty = _num(prod.get("quantity"))
    punit = inten.get("product_unit") or prod.get("unit") or ""
    tce = _num(e.get("total_tce"))
    co2 = _num(e.get("total_co2_t"))
    water = _num(((e.get("carriers") or {}).get("water") or {}).get("total"))
    intensities = []

    def add(key: str, lab: str, unit: str, num: float | None, num_unit: str, den: float | None, den_unit: str,
            factor: str = "") -> None:
        v = _num(inten.get(key))
        if v is None:
            return
        formula = (f"{fmt_num(num, 2)} {num_unit}{factor} ÷ {fmt_num(den, 2)} {den_unit}"
                   if num is not None and den is not None else "")
        intensities.append({"id": key, "label": text(lab, lang), "value": v, "unit": unit, "formula": formula,
                            "provenance": "mixed"})

    add("kgce_per_wan_yuan", "values.i_energy_value", "kgce/万元", tce, "tce", out_val, "万元", " × 1000")
    add("kgce_per_unit", "values.i_energy_unit", f"kgce/{punit}", tce, "tce", qty, punit, " × 1000")
    add("kgco2_per_wan_yuan", "values.i_co2_value", "kgCO2/万元", co2, "tCO2", out_val, "万元", " × 1000")
    add("kgco2_per_unit", "values.i_co2_unit", f"kgCO2/{punit}", co2, "tCO2", qty, punit, " × 1000")
    add("water_m3_per_wan_yuan", "values.i_water_value", "m3/万元", water, "m3", out_val, "万元")
    add("water_m3_per_unit", "values.i_water_unit", f"m3/{punit}", water, "m3", qty, punit)
    return {"basic": basic, "products": products, "energy": energy, "intensities": intensities,
            "electricity_basis": e.get("electricity_basis"), "product_unit": punit}


_ID_LIKE = __import__("re").compile(r"\b[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\b")
_APP_ONLY = ("请", "please", "Please", "较新", "newer")


def printable_note(s: str) -> str:
    """A source text as it may be printed: sentences and brackets written for the app's user (an
    instruction, an internal id such as ``ncv.natural_gas.measured``, a maintainer's aside) are left out.
    An ambiguous part is left out rather than printed."""
    import re

    if not s:
        return ""

    def keep(part: str) -> bool:
        return not _ID_LIKE.search(part) and not any(w in part for w in _APP_ONLY)

    s = re.sub(r"[（(][^（）()]*[）)]", lambda m: m.group(0) if keep(m.group(0)) else "", s)
    parts = re.split(r"(?<=[。；;])\s*", s)
    return "".join(p for p in parts if p and keep(p)).strip().rstrip("；;。").strip()


REGIONS = {"national": {"zh": "全国", "en": "national"}}


def _region(name: str, lang: str) -> str:
    r = REGIONS.get(name)
    return pick(r, lang) if r else name


def conclusion(score: dict | None, scheme: Any, lang: str) -> dict | None:
    """What the total means under the scheme: a grade only with a sourced threshold; otherwise say that
    the scheme sets no pass mark, so the total alone does not say whether the factory qualifies."""
    if not score:
        return None
    grades = [{"id": _get(g, "id"), "min": _get(g, "min"), "label": label_of(g, lang),
               "source": _get(g, "source", default="") or "", "certainty": _get(g, "certainty", default="")}
              for g in (_get(scheme, "grades", default=()) or ())] if scheme is not None else []
    # only thresholds with a source count as the scheme's grade lines (issue 10.4)
    grades = [g for g in grades if g["source"] and g["certainty"] in ("confirmed", "secondary", "user")]
    inds = score.get("indicators") or []
    missing = [i for i in inds if i.get("missing_benchmark")]
    q = score.get("qualification") or {}
    disqualify = q.get("required_lines") == "disqualify"
    titles = {i.get("id"): i.get("title") for i in inds}
    excluded = [x for x in score.get("na_excluded") or [] if x.get("kind") == "indicator"]
    return {
        "required_failed": [f"{x.get('indicator_title')} — {x.get('title')}" for x in score.get("required_failed") or []]
        if disqualify else [],
        "required_open_count": len(score.get("required_unanswered") or []) if disqualify else 0,
        "required_source": q.get("source") or "",
        "rescaled": bool(score.get("rescaled")), "raw_total": score.get("raw_total"),
        "applicable_max": score.get("applicable_max"),
        "na_excluded": [_explain_text(titles.get(x["id"]), lang) or x["id"] for x in excluded],
        "na_excluded_points": round(sum(float(x.get("points") or 0) for x in excluded), 2),
        "na_certainty": (score.get("na_policy") or {}).get("certainty") or "",
        "points_table": score.get("points_table"),
        "total": score.get("total"), "max": score.get("max"),
        "grades": grades, "has_pass_mark": bool(grades),
        "grade": score.get("grade_label") or score.get("grade"),
        "vetoes_failed": list(score.get("vetoes_failed") or []),
        "vetoes_unanswered": list(score.get("vetoes_unanswered") or []),
        "missing_benchmark_count": len(missing),
        "missing_benchmark_points": round(sum(float(i.get("max") or 0) for i in missing), 2),
        "uncertain_count": sum(1 for i in inds if i.get("uncertain")),
    }


def _commitment_claims() -> list[dict]:
    """The statements of the signed commitment letter and the answers that contradict them
    (``resources/commitments.yaml``); none if the file is not there."""
    import yaml

    from greendesk.core.paths import resources_dir

    p = resources_dir() / "commitments.yaml"
    try:
        return list((yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("claims") or [])
    except (OSError, yaml.YAMLError):
        return []


def commitment(scheme: Any, answers: dict, lang: str) -> dict:
    """Which statements of the commitment letter the answers allow the applicant to make."""
    fields = _get(scheme, "fields_by_id", default={}) if scheme is not None else {}
    claims = []
    for c in _commitment_claims():
        against = [fid for fid in c.get("fields") or [] if fid in (fields or {}) and answers.get(fid) == "no"]
        claims.append({"id": c.get("id"), "statement": pick(c.get("statement") or {}, lang),
                       "made": not against,
                       "contradicted_by": [{"id": fid, "label": label_of(fields[fid], lang)} for fid in against]})
    return {"claims": claims, "all_made": all(c["made"] for c in claims)}


def scope(ws, a: dict, scheme: Any, energy_raw: dict | None, figures: dict, lang: str) -> dict:
    """评价范围与方法: boundary, period, products, team, dates, the standards and the accounting method."""
    import re

    f = ws.factory()
    e = energy_raw or {}
    months = sorted({m for c in (e.get("carriers") or {}).values() for m in (c.get("months") or {})})
    src = _get(scheme, "source") if scheme is not None else None
    standards = []
    if src is not None:
        standards.append({"what": "scheme", "text": " ".join(x for x in (_get(src, "standard", default=""),
                                                                         _get(src, "clause", default="")) if x)})
    factor_sources = [str(x.get("source") or "") for x in e.get("factors") or []]
    if any(str(x.get("id", "")).startswith("sce.") for x in e.get("factors") or []):
        standards.append({"what": "energy", "text": "GB/T 2589-2020"})
    guides = sorted({m for s in factor_sources for m in re.findall(r"《[^》]+》", s)})
    for g in guides:
        standards.append({"what": "ghg", "text": g})
    grid = e.get("grid_factor") or {}
    events = []
    try:
        events = ws.assessment_events(a["id"])
    except Exception:  # noqa: BLE001 - an older workspace without the log
        events = []
    ledgers = [r[0] for r in ws.conn.execute(
        "SELECT file_name FROM meter_imports WHERE (assessment_id = ? OR assessment_id IS NULL) ORDER BY id",
        [a["id"]])]
    return {
        "boundary": {"name": f.get("name"), "address": f.get("address"), "province": f.get("province"),
                     "city": f.get("city"), "district": f.get("district"), "site_area_m2": f.get("land_area_m2")},
        "period": {"year": a.get("year"), "from": f"{a.get('year')}-01-01", "to": f"{a.get('year')}-12-31",
                   "months_with_data": len(months), "first_month": months[0] if months else None,
                   "last_month": months[-1] if months else None},
        "products": figures.get("products") or [],
        "team": {"recorded": False, "contact": f.get("contact_name"), "legal_rep": f.get("legal_rep")},
        "dates": {"created": str(a.get("created_at") or "")[:10], "finalized": str(a.get("finalized_at") or "")[:10],
                  "status": a.get("status"), "events": [{"action": x.get("action"), "at": str(x.get("at"))[:10]}
                                                         for x in events]},
        "standards": standards,
        "electricity_basis": e.get("electricity_basis"),
        "grid_factor": {"year": grid.get("year"), "region": _region(str(grid.get("region") or ""), lang),
                        "value": grid.get("value"), "unit": grid.get("unit"),
                        "year_differs": bool(grid.get("year")) and grid.get("year") != a.get("year"),
                        "method": grid.get("method"),
                        "grid_kwh": (e.get("electricity_co2") or {}).get("grid_kwh"),
                        "green_power_kwh": (e.get("electricity_co2") or {}).get("green_power_kwh")},
        "ledgers": ledgers,
    }
