"""What the window needs from the core, in one place: schemes, workspace creation, carry-over.

The window adds no rules: everything here reads the core's data or calls its functions.
"""

from __future__ import annotations

from pathlib import Path

from greendesk.ui.i18n import label


def _registry():
    from greendesk.core.schemes import registry

    return registry


def scheme_titles(s) -> dict:
    t = getattr(s, "title", None) or getattr(s, "titles", None)
    return t if t is not None else {"zh": s.id, "en": s.id}


def available_schemes() -> list[dict]:
    """[{id, version, title, description}] of the bundled schemes and profiles, in the UI language."""
    items = []
    for s in _registry().list_schemes():
        desc = label(getattr(s, "description", None)) or " ".join(
            x for x in (s.source.standard, s.source.clause, s.source.date) if x)
        items.append({"id": s.id, "version": str(s.version), "title": label(scheme_titles(s)) or s.id,
                      "description": desc})
    return items


def default_scheme_index(schemes: list[dict]) -> int:
    """The current national edition first (GB/T 36132-2025)."""
    return next((i for i, s in enumerate(schemes) if s["id"] == "gbt36132-2025"), 0)


def read_previous(path: Path) -> dict:
    """Factory, latest assessment and answers of last year's workspace (opened read-only)."""
    from greendesk.core.workspace import Workspace

    with Workspace.open(path, readonly=True) as ws:
        a = ws.assessment()
        return {"path": str(path), "factory": ws.factory(), "scheme_id": a["scheme_id"], "year": a["year"],
                "answers": ws.answers(a["id"]),
                "benchmarks": ws.benchmarks(a["scheme_id"]),
                "factors": ws.factor_overrides()}


def create_workspace(path: Path, profile: dict, scheme_id: str, year: int, *, previous: dict | None = None) -> Path:
    """Create the workspace and its first assessment; from last year's workspace when given (the core's
    carry-over: answers marked for review and migrated to the scheme, corrections of figures kept)."""
    from greendesk.core.workspace import Workspace

    if previous:
        from greendesk.core.schemes.continuity import carry_over_workspace

        carry_over_workspace(previous["path"], path, year, scheme_id)
        old = previous["factory"]
        changed = {k: v for k, v in profile.items() if v != old.get(k)}
        if changed:
            with Workspace.open(path) as ws:
                ws.update_factory(**changed)
        return path
    scheme = _registry().get_scheme(scheme_id)
    ws = Workspace.create(path, profile)
    try:
        ws.create_assessment(scheme.id, str(scheme.version), year)
    finally:
        ws.close()
    return path


# --- the scheme of an open assessment ------------------------------------------------------

def load_scheme(scheme_id: str):
    """The scheme, or None when the registry cannot provide its content (shown as an empty state)."""
    try:
        s = _registry().get_scheme(scheme_id)
    except Exception:  # noqa: BLE001 - the view shows an empty state instead
        return None
    return s if hasattr(s, "sections") else None


def item_of(scheme, answer_id: str) -> str | None:
    """The indicator a field (or a whole-indicator answer) belongs to; None for common fields (core's rule)."""
    from greendesk.core.finalize import item_of as core_item_of

    return core_item_of(scheme, answer_id)


def answer_label(scheme, answer_id: str) -> str:
    f = scheme.fields_by_id.get(answer_id)
    if f is not None:
        return label(f.label)
    ind = scheme.indicators_by_id.get(answer_id)
    return label(ind.title) if ind is not None else answer_id


def answer_place(scheme, answer_id: str) -> str:
    """A field named with its item ("5a 节约原材料案例 › 案例情况"): several items ask for a field of the same name."""
    f = scheme.fields_by_id.get(answer_id)
    ind = scheme.indicators_by_id.get(f.indicator_id) if f is not None and f.indicator_id else None
    if ind is None:
        return answer_label(scheme, answer_id)
    item = f"{ind.code} {label(ind.title)}" if ind.code else label(ind.title)
    return f"{item} › {label(f.label)}"


def validate(scheme, answer_id: str, value):
    """The core's validation of one answer (normalised value, or UserError with the reason)."""
    from greendesk.core.schemes import values

    if value is None or value == "" or value == []:
        return None
    return values.validate_answer(scheme, answer_id, value)


def direct_field(ind):
    """A pseudo field for entering a quantitative indicator's value directly (stored under its id)."""
    from greendesk.core.schemes.model import Field

    if ind.rule.kind not in ("quantitative",):
        return None
    return Field(id=ind.id, type="number", unit=ind.rule.unit,
                 label={"zh": "直接填写指标值（可选）", "en": "Enter the indicator value directly (optional)"},
                 guidance={"zh": "如该指标值来自能源审计等外部来源，可直接填写；将取代由上方数据计算的值。",
                           "en": "When the figure comes from e.g. an energy audit; it replaces the computed value."},
                 indicator_id=ind.id)


def indicator_subtitle(scheme, ind) -> str:
    from greendesk.ui.i18n import _, fmt_num

    kind = {"veto": _("Basic requirement (veto)"), "checklist": _("Checklist"),
            "quantitative": _("Quantitative indicator"), "count": _("Count against a leading count"),
            "threshold": _("Threshold"), "multi_product": _("Per product (up to 3, weighted by energy use)"),
            "cases": _("Scored by case"), "info": _("For information")}.get(ind.rule.kind, ind.rule.kind)
    if ind.rule.kind == "veto":
        return kind
    return _("{kind} · up to {points} points").format(kind=kind, points=fmt_num(ind.points, 1))


def rule_lines(scheme, ind, ws=None) -> list[str]:
    """The scoring rule in plain words: the core's description (one place for every rule), then this
    workspace's corrections of 基准值/引领值 and what to do when a benchmark is missing."""
    from greendesk.core.schemes.describe import indicator_rule_text
    from greendesk.ui.i18n import _, fmt_num

    r = ind.rule
    lines = []
    if r.kind in ("quantitative", "count"):
        if (r.direction or "higher_better") == "higher_better":
            lines.append(_("Higher is better: no points at or below the baseline value (基准值), full points at or "
                           "above the leading value (引领值), in proportion in between."))
        else:
            lines.append(_("Lower is better: no points at or above the baseline value (基准值), full points at or "
                           "below the leading value (引领值), in proportion in between."))
    text = indicator_rule_text(scheme, ind)
    lines += [f"• {part.strip()}" if " | " in text else part.strip() for part in text.split(" | ")]
    if r.kind == "checklist":
        for it in r.items:
            f = scheme.fields_by_id.get(it.field)
            name = label(f.label) if f is not None else it.field
            level = _("required") if it.level == "required" else _("optional")
            lines.append(f"• {name}: {fmt_num(it.points, 1)} {_('points')} ({level})")
    overrides = []
    if ws is not None:
        try:
            overrides = [b for b in ws.benchmarks(scheme.id) if b["indicator_id"] == ind.id]
        except Exception:  # noqa: BLE001
            overrides = []
    unit = f" {r.unit}" if r.unit else ""
    bands = {b.id: b for b in r.bands}
    for o in overrides:
        where = f"{label(bands[o['band']].label)}: " if o["band"] in bands else ""
        lines.append(_("Corrected in this workspace: {where}baseline value (基准值) {b}{u}, leading value (引领值) "
                       "{l}{u} ({src}).").format(where=where, b=fmt_num(o["baseline"], 4), l=fmt_num(o["leading"], 4),
                                                 u=unit, src=o.get("source") or "—"))
    if r.benchmark_needed and not overrides:
        lines.append(_("Benchmark needed: no official baseline/leading value is known. Enter your evaluator's "
                       "values under Benchmarks and factors; until then the indicator is listed as missing a "
                       "benchmark."))
    if r.kind != "veto":
        lines.append(_("Points possible: {p}").format(p=fmt_num(ind.points, 1)))
    return lines


# --- live evaluation --------------------------------------------------------------------------

class Live:
    """Answers, calculated values, relevance, constraint messages, states and the score of one assessment.

    Everything is computed by the core: the scheme's own expressions and the scoring engine.
    """

    def __init__(self, scheme, ws, aid: int):
        self.scheme = scheme
        self.ws = ws
        self.aid = aid
        self.answers: dict = {}
        self.values: dict = {}
        self.problems: dict[str, str] = {}
        self.messages: dict[str, str] = {}
        self.relevance: dict[str, bool] = {}
        self.rows_calc: dict[str, dict[str, list]] = {}
        self.score: dict | None = None
        self.indicators: dict[str, dict] = {}
        self.sections: dict[str, dict] = {}
        self.states: dict[str, str] = {}
        self.sources: dict[str, str] = {}
        self.auto: dict | None = None

    # accessors used by the widgets
    def answer(self, fid):
        return self.answers.get(fid)

    def value(self, fid):
        return self.values.get(fid)

    def relevant(self, fid) -> bool:
        return self.relevance.get(fid, True)

    def problem(self, fid) -> str:
        return self.problems.get(fid, "")

    def message(self, fid) -> str:
        return self.messages.get(fid, "")

    def row_calculations(self, fid) -> dict:
        return self.rows_calc.get(fid, {})

    def indicator_result(self, iid) -> dict | None:
        return self.indicators.get(iid)

    def section_result(self, sid) -> dict | None:
        return self.sections.get(sid)

    def indicator_state(self, iid) -> str:
        return self.states.get(iid, "not_started")

    def source(self, fid) -> str:
        return self.sources.get(fid, "none")

    def refresh_auto(self) -> None:
        """Automatic values from imported ledgers (computed by the core; refreshed after an import)."""
        try:
            from greendesk.core.schemes.scoring import auto_values_for

            self.auto = auto_values_for(self.ws, self.aid)
        except Exception:  # noqa: BLE001 - the form still works without automatic values
            import logging

            logging.getLogger(__name__).exception("automatic values failed")
            self.auto = {}

    def update(self) -> None:
        """Re-evaluate everything with the core's live evaluation (fast enough for every keystroke)."""
        from greendesk.core.schemes.scoring import evaluate
        from greendesk.ui.i18n import language

        self.answers = self.ws.answers(self.aid)
        if self.scheme is None:
            return
        if self.auto is None:
            self.refresh_auto()
        try:
            ev = evaluate(self.scheme, self.answers, benchmarks=self.ws.benchmarks(self.scheme.id),
                          auto_values=self.auto, lang=language())
        except Exception:  # noqa: BLE001 - a scoring failure must not break editing
            import logging

            logging.getLogger(__name__).exception("live evaluation failed")
            return
        fields = ev["fields"]
        self.values = {k: v["value"] for k, v in fields.items()}
        self.sources = {k: v.get("source", "none") for k, v in fields.items()}
        from greendesk.core.schemes.continuity import carried_from, is_carried

        self.carried_years: dict[str, int | None] = {}
        for row in self.ws.answer_rows(self.aid):  # answers carried over from last year, not yet reviewed
            if is_carried(row["source"]):
                self.sources[row["field_id"]] = "carried"
                self.carried_years[row["field_id"]] = carried_from(row["source"])
        self.relevance = {k: bool(v["relevant"]) for k, v in fields.items()}
        self.problems, self.messages, self.rows_calc = {}, {}, {}
        for fid, st in fields.items():
            f = self.scheme.fields_by_id.get(fid)
            err = st.get("error")
            if err:
                (self.problems if f is not None and f.type == "calculated" else self.messages)[fid] = err
            if f is not None and f.type == "rows" and isinstance(st["value"], list):
                self.rows_calc[fid] = {c.id: [r.get(c.id) if isinstance(r, dict) else None for r in st["value"]]
                                       for c in f.columns if c.type == "calculated"}
        self.score = ev["score"]
        self.indicators = {i["id"]: i for i in self.score.get("indicators", [])}
        # "missing energy_intensity.quota_applies" -> "missing 「主要产品有国家强制性…」" (the core explains by id)
        from greendesk.core.readable import answer_names, readable

        lang = language()
        if getattr(self, "_names_lang", None) != lang:
            self._names, self._names_lang = answer_names(self.scheme, lang), lang
        for i in self.indicators.values():
            if i.get("explain"):
                i["explain"] = readable(i["explain"], self._names, lang)
        self.sections = {x["id"]: x for x in self.score.get("sections", [])}
        self.states = {iid: _STATE.get(r.get("state"), r.get("state") or "not_started")
                       for iid, r in ev["indicators"].items()}


_STATE = {"has_errors": "error", "not_applicable": "na"}


def energy_summary(ws, year: int) -> dict | None:
    """The core's energy summary for the year, or None when the meters area is not available."""
    try:
        from greendesk.core.energy import energy_summary as fn
    except ImportError:
        return None
    try:
        return fn(ws, year)
    except Exception:  # noqa: BLE001 - the dashboard shows an empty state
        import logging

        logging.getLogger(__name__).exception("energy summary failed")
        return None


def factor_table(ws) -> list[dict]:
    """Every conversion/emission factor with its default value, unit, source and certainty (the core's table)."""
    try:
        from greendesk.core.energy import factor_table as fn
    except ImportError:
        return []
    try:
        table = fn(None)
    except Exception:  # noqa: BLE001 - the page shows what it can
        import logging

        logging.getLogger(__name__).exception("factor table failed")
        return []
    return [dict(v, id=k) for k, v in table.items()]
