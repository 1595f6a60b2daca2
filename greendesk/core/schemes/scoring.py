"""The scoring engine: (scheme, answers, benchmark overrides, automatic values) -> score.

Public functions:

* :func:`score` -> the ``greendesk score --json`` dict (total, max, qualified, vetoes_failed,
  grade, sections, indicators with ``explain``, missing_answers, missing_benchmarks, plus
  extra keys: title, percent, gaps, grade_label, orphans, per-indicator state and value).
* :func:`evaluate` -> live form state for the GUI: per field relevance, value, source and
  constraint message; per indicator state (not_started / in_progress / complete / has_errors)
  and its score; and the score itself. Cheap enough to run on every keystroke.
* :func:`score_assessment` -> the same as :func:`score` for an assessment in a workspace.

Rules (the figures themselves always come from the scheme data or workspace overrides):
quantitative and count: points × clamp((x − B)/(L − B), 0, 1), which is
(x − B)/(L − B) when higher is better and (B − x)/(B − L) when lower is better;
threshold: full points when x reaches the threshold; multi_product: per-product fractions
weighted by ``row_weight`` (at most ``max_products`` rows, the heaviest); checklist: each line's
points × its degree (yes = 1, no = 0, choice degree, percent/100); veto: every line met (yes or
not applicable), one unmet line makes the factory not qualified while the score is still shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from greendesk.core.expr import ComputeError, Missing
from greendesk.core.i18n import language, pick
from greendesk.core.schemes.model import NA, NO, YES, Field, Indicator, Rule, Scheme

# --- helpers ---------------------------------------------------------------------------------


def fmt(x: float | None) -> str:
    """A number for people: no float noise, no needless zeros."""
    if x is None:
        return "—"
    if x == 0:
        return "0"
    ax = abs(x)
    if ax >= 1000:
        s = f"{x:,.1f}"
    elif ax >= 1:
        s = f"{x:.2f}"
    else:
        s = f"{x:.4g}" if ax < 0.01 else f"{x:.3f}"
    if "." in s and "e" not in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _float(v) -> float:
    """A number from an answer or a computed value; ComputeError (explained) when it is not one."""
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise ComputeError(f"{str(v)[:40]} is not a number", f"{str(v)[:40]} 不是数值")
    try:
        x = float(v)
    except ValueError:
        raise ComputeError(f"{v[:40]!r} is not a number", f"{v[:40]!r} 不是数值") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise ComputeError(f"{v} is not a finite number", f"{v} 不是有限数值")
    return x


def _clamp(v: float) -> float:
    return 0.0 if v < 0 else 1.0 if v > 1 else v


def _normalise_benchmarks(benchmarks: Any) -> dict[tuple[str, str], dict]:
    if not benchmarks:
        return {}
    if isinstance(benchmarks, Mapping):
        out = {}
        for k, v in benchmarks.items():
            key = k if isinstance(k, tuple) else (str(k), "")
            out[key] = dict(v)
        return out
    return {(r["indicator_id"], r.get("band") or ""): dict(r) for r in benchmarks}


class _T:
    """Explanation snippets in the current language."""

    def __init__(self, lang: str):
        self.zh = lang == "zh"

    def __call__(self, zh: str, en: str, **kw) -> str:
        s = zh if self.zh else en
        return s.format(**kw) if kw else s


def _inputs_of(ind: Indicator) -> set[str]:
    """Every field id an indicator reads: its own fields and the references of its rule."""
    out = {f.id for f in ind.fields}
    rules = [ind.rule] + [c.rule for c in ind.rule.cases]
    exprs = [ind.applicable] + [c.when for c in ind.rule.cases]
    for r in rules:
        exprs += [r.value, r.band_by]
    for e in exprs:
        if e is not None:
            out |= e.refs
    return out


# --- the evaluator ------------------------------------------------------------------------------


class _Evaluation:
    def __init__(self, scheme: Scheme, answers: Mapping[str, Any], benchmarks: Any, auto_values: Mapping | None,
                 lang: str | None):
        self.s = scheme
        self.lang = lang or language()
        self.t = _T(self.lang)
        self.bench = _normalise_benchmarks(benchmarks)
        self.auto = auto_values or {}
        self.values: dict[str, Any] = {}
        self.source: dict[str, str] = {}
        self.hidden: set[str] = set()
        self.errors: dict[str, str] = {}
        self.entered: dict[str, Any] = {}
        self.orphans: list[str] = []
        self._load(answers)

    # -- values --

    def _load(self, answers: Mapping[str, Any]) -> None:
        s = self.s
        fields = s.fields_by_id
        for k, v in answers.items():
            if v is None or v == "" or v == []:
                continue
            if k in fields:
                self.values[k] = v
                self.source[k] = "user"
            elif k in s.indicators_by_id:
                self.entered[k] = v
            elif k in s.renamed and s.renamed[k] not in answers:
                new = s.renamed[k]
                if new in fields:
                    self.values[new] = v
                    self.source[new] = "user"
                else:
                    self.entered[new] = v
            else:
                self.orphans.append(k)
        for fid, f in fields.items():
            if fid in self.values:
                continue
            if f.auto and self.auto.get(f.auto) is not None:
                self.values[fid] = self.auto[f.auto]
                self.source[fid] = "auto"
            elif f.default is not None and f.type != "calculated":
                self.values[fid] = f.default
                self.source[fid] = "default"
        # calculated row columns
        for fid, f in fields.items():
            if f.type == "rows" and fid in self.values and any(c.type == "calculated" for c in f.columns):
                self.values[fid] = self._calc_rows(f, self.values[fid])
        # relevance of entered fields
        for fid, f in fields.items():
            if f.relevant is not None and f.type != "calculated" and not self._relevant(f):
                self.hidden.add(fid)
                self.values.pop(fid, None)
        # calculated fields in dependency order
        for fid in s.calc_order:
            f = fields[fid]
            if f.relevant is not None and not self._relevant(f):
                self.hidden.add(fid)
                continue
            try:
                self.values[fid] = f.calculation.evaluate(self.values)
                self.source[fid] = "calculated"
            except ComputeError as e:
                self.errors[fid] = e.describe(self.lang)
        # constraints
        for fid, f in fields.items():
            if f.constraint is None or fid not in self.values:
                continue
            try:
                ok = f.constraint.evaluate(self.values)
            except ComputeError:
                continue
            if not ok:
                self.errors[fid] = pick(f.constraint_message, self.lang) or self.t("不满足约束条件", "constraint not met")

    def _relevant(self, f: Field) -> bool:
        try:
            from greendesk.core.expr import _truth
            return _truth(f.relevant.evaluate(self.values))
        except ComputeError:
            return False

    def _calc_rows(self, f: Field, rows: Any) -> Any:
        if not isinstance(rows, list):
            return rows
        out = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                out.append(row)
                continue
            r = dict(row)
            for c in f.columns:
                if c.type == "calculated":
                    try:
                        r[c.id] = c.calculation.evaluate(self.values, r, f"{f.id}[{i + 1}]")
                    except ComputeError:
                        r[c.id] = None
            out.append(r)
        return out

    def _missing_refs(self, refs: Iterable[str], err: ComputeError | None = None) -> list[str]:
        out = [r for r in sorted(refs) if r in self.s.fields_by_id and r not in self.values]
        if isinstance(err, Missing) and err.ref not in out:
            out.append(err.ref)
        return out

    # -- benchmarks --

    def _benchmark(self, ind: Indicator, rule: Rule, band_id: str) -> tuple[float | None, float | None, str, str]:
        """(B, L, where they come from, certainty); workspace overrides win over scheme data."""
        o = self.bench.get((ind.id, band_id))
        if o is not None and (o.get("baseline") is not None or o.get("leading") is not None):
            who = o.get("set_by") or "?"
            when = str(o.get("set_at") or "")[:10]
            src = o.get("source")
            where = self.t("工作区设定（{who}，{when}{src}）", "set in this workspace ({who}, {when}{src})",
                           who=who, when=when, src=f"，{src}" if src and self.t.zh else (f"; {src}" if src else ""))
            return o.get("baseline"), o.get("leading"), where, "user"
        if band_id:
            band = next(b for b in rule.bands if b.id == band_id)
            return band.baseline, band.leading, band.source or rule.source, band.certainty
        return rule.baseline, rule.leading, rule.source, rule.certainty

    # -- indicators --

    def indicator(self, ind: Indicator) -> dict:
        t = self.t
        res: dict[str, Any] = {
            "id": ind.id, "section": ind.section_id, "title": ind.name(self.lang), "kind": ind.rule.kind,
            "score": 0.0, "max": float(ind.points), "explain": "", "value": None, "value_source": None,
            "unit": ind.rule.unit, "baseline": None, "leading": None, "band": None, "benchmark_source": None,
            "benchmark_certainty": None, "certainty": ind.certainty, "missing": [], "missing_benchmark": False,
            "met": None, "applicable": True,
        }
        if ind.applicable is not None:
            try:
                from greendesk.core.expr import _truth
                applicable = _truth(ind.applicable.evaluate(self.values))
            except ComputeError as e:
                res["missing"] = self._missing_refs(ind.applicable.refs, e)
                res["explain"] = t("先回答是否适用", "answer whether it applies first")
                return self._finish(ind, res)
            if not applicable:
                res["applicable"] = False
                if self.s.na_policy == "full":
                    res["score"] = res["max"]
                    res["explain"] = t("不适用 → 计满分 {p}（不适用项的处理方式待核实）",
                                       "not applicable → full {p} points (handling of not-applicable items is "
                                       "uncertain)", p=fmt(ind.points))
                else:
                    res["max"] = 0.0
                    res["explain"] = (t("不适用 → {p} 分不计入满分，总分按适用项折算", "not applicable → its {p} points "
                                        "leave the maximum; the total is rescaled", p=fmt(ind.points))
                                      if self.s.na_policy == "rescale" else
                                      t("不适用 → {p} 分不计入满分", "not applicable → its {p} points leave the maximum",
                                        p=fmt(ind.points)))
                return self._finish(ind, res)
        kind = ind.rule.kind
        if kind == "veto":
            self._veto(ind, res)
        elif kind == "checklist":
            self._checklist(ind, res)
        elif kind == "info":
            res["explain"] = t("仅记录，不计分", "recorded only, not scored")
        else:
            self._quantitative_like(ind, ind.rule, res)
        return self._finish(ind, res)

    def _finish(self, ind: Indicator, res: dict) -> dict:
        flags = []
        if ind.points and ind.certainty != "confirmed":
            flags.append(self.t("分值", "points"))
        bc = res.get("benchmark_certainty")
        if bc and bc not in ("confirmed", "user") and res.get("baseline") is not None:
            flags.append(self.t("基准值/引领值", "benchmarks"))
        if ind.rule.kind in ("veto", "checklist") and ind.rule.certainty not in ("confirmed", "user"):
            flags.append(self.t("要求", "requirements"))
        if flags:
            res["explain"] += self.t(" ⚠ 待核实：{f}", " ⚠ uncertain: {f}", f="、".join(flags) if self.t.zh
                                     else ", ".join(flags))
        res["uncertain"] = bool(flags)
        # state for the navigation tree
        own = [f.id for f in ind.fields]
        answered = any(self.source.get(f) in ("user", "auto") for f in _inputs_of(ind)) or ind.id in self.entered
        if any(f in self.errors for f in own):
            state = "has_errors"
        elif res["missing"]:
            state = "in_progress" if answered else "not_started"
        elif not own and ind.id not in self.entered and not res["missing"] and res["value"] is None \
                and ind.rule.kind not in ("info",) and res["applicable"]:
            state = "not_started"
        else:
            state = "complete"
        res["state"] = state
        return res

    def _entered_yesno(self, ind: Indicator, res: dict) -> str | None:
        from greendesk.core.errors import UserError
        from greendesk.core.schemes.values import parse_yesno

        res["value_source"] = "entered"
        try:
            return parse_yesno(self.entered[ind.id], ind.id)
        except (UserError, TypeError):
            res["missing"] = [ind.id]
            res["explain"] = self.t("整体填报的值不是“是/否/不适用”", "the value entered as a whole is not yes/no/n/a")
            return None

    def _veto(self, ind: Indicator, res: dict) -> None:
        t = self.t
        if ind.id in self.entered:
            v = self._entered_yesno(ind, res)
            if v is None:
                return
            res["met"] = v != NO
            res["explain"] = t("整体填报：{v}", "entered as a whole: {v}",
                               v=t("符合", "met") if v == YES else t("不符合", "not met") if v == NO else t("不适用", "n/a"))
            return
        failed, missing = [], []
        lines = [f for f in ind.fields if f.type == "yesno"]
        for f in lines:
            if f.id in self.hidden:
                continue
            v = self.values.get(f.id)
            if v is None:
                missing.append(f.id)
            elif v == NO:
                failed.append(f)
        res["missing"] = missing
        if failed:
            res["met"] = False
            res["explain"] = t("不符合：{x}", "not met: {x}", x="; ".join(f.title(self.lang) for f in failed))
        elif missing:
            res["met"] = None
            res["explain"] = t("{n}/{m} 项未回答", "{n} of {m} lines unanswered", n=len(missing), m=len(lines))
        else:
            res["met"] = True
            res["explain"] = t("全部 {m} 项要求符合", "all {m} requirements met", m=len(lines))

    def _checklist(self, ind: Indicator, res: dict) -> None:
        t = self.t
        rule = ind.rule
        if ind.id in self.entered:
            v = self._entered_yesno(ind, res)
            if v is None:
                return
            if v == YES:
                res["score"] = res["max"]
            elif v == NA:
                if self.s.na_policy == "full":
                    res["score"] = res["max"]
                else:
                    res["max"] = 0.0
                    res["na_entered"] = True
            res["met"] = v != NO
            if v == NO:         # every line is unmet, the required (必选) ones included
                res["required_failed"] = [i.field for i in rule.items if i.level == "required"]
            res["explain"] = t("整体填报：{v} → {s}/{p} 分", "entered as a whole: {v} → {s} of {p} points",
                               v={YES: t("符合", "met"), NO: t("不符合", "not met"), NA: t("不适用", "n/a")}[v],
                               s=fmt(res["score"]), p=fmt(res["max"]))
            return
        score = 0.0
        mx = 0.0
        missing: list[str] = []
        req_total = req_met = 0
        req_failed: list[str] = []
        req_open: list[str] = []
        na_lines: list[str] = []
        for item in rule.items:
            f = self.s.fields_by_id[item.field]
            mx += item.points
            if item.field in self.hidden:
                degree = 1.0 if self.s.na_policy == "full" else None
            else:
                v = self.values.get(item.field)
                if v is None:
                    missing.append(item.field)
                    degree = 0.0
                elif f.type == "yesno":
                    degree = 1.0 if v == YES else 0.0 if v == NO else (1.0 if self.s.na_policy == "full" else None)
                elif f.type == "choice":
                    c = f.choice(str(v))
                    degree = c.degree if c and c.degree is not None else 0.0
                else:  # percent
                    try:
                        degree = _clamp(float(v) / 100.0)
                    except (TypeError, ValueError):
                        degree = 0.0
            if degree is None:
                mx -= item.points
                na_lines.append(item.field)
                continue
            if item.level == "required":
                req_total += 1
                req_met += degree >= 1.0
                if item.field in missing:
                    req_open.append(item.field)
                elif degree < 1.0:
                    req_failed.append(item.field)
            score += item.points * degree
        res["score"], res["max"], res["missing"] = score, mx, missing
        res["required_failed"], res["required_open"] = req_failed, req_open
        if na_lines:
            res["na_lines"] = na_lines
        res["met"] = req_met == req_total if not missing else None
        opt = [i for i in rule.items if i.level == "optional"]
        if len(rule.items) == 1 and not missing:
            f = self.s.fields_by_id[rule.items[0].field]
            v = self.values.get(f.id)
            c = f.choice(str(v)) if f.type == "choice" and v is not None else None
            shown = pick(c.label, self.lang) if c else (t("不适用", "n/a") if v is None or v == NA else str(v))
            frac = score / mx if mx else 0.0
            res["explain"] = t("{a}：{v} → {p} 分的 {f:.0f}% = {s} 分", "{a}: {v} → {f:.0f}% of {p} points = {s}",
                               a=f.title(self.lang), v=shown, p=fmt(mx), f=frac * 100, s=fmt(score))
            return
        parts = []
        if req_total:
            parts.append(t("必选 {a}/{b} 项符合", "required {a} of {b} met", a=req_met, b=req_total))
        if opt:
            parts.append(t("可选 {n} 项按符合程度计分", "{n} optional line(s) by degree", n=len(opt)))
        if missing:
            parts.append(t("{n} 项未回答", "{n} unanswered", n=len(missing)))
        res["explain"] = t("{p} → {s}/{m} 分", "{p} → {s} of {m} points", p="，".join(parts) if t.zh else "; ".join(parts),
                           s=fmt(score), m=fmt(mx))

    def _quantitative_like(self, ind: Indicator, rule: Rule, res: dict) -> None:
        t = self.t
        if rule.kind == "cases":
            for case in rule.cases:
                try:
                    from greendesk.core.expr import _truth
                    hit = _truth(case.when.evaluate(self.values))
                except ComputeError as e:
                    if ind.id in self.entered:
                        # an entered value with no case chosen: score it against this workspace's benchmarks
                        dirs = {c.rule.direction for c in rule.cases}
                        plain = Rule(kind="quantitative", direction=dirs.pop() if len(dirs) == 1 else None,
                                     source=rule.source, certainty=rule.certainty)
                        self._quantitative_like(ind, plain, res)
                        return
                    res["missing"] = self._missing_refs(case.when.refs, e)
                    res["explain"] = t("无法确定适用的计分方式：{m}", "cannot tell which way to score it: {m}",
                                       m=e.describe(self.lang))
                    return
                if hit:
                    res["case"] = pick(case.label, self.lang)
                    res["kind"] = case.rule.kind
                    res["unit"] = case.rule.unit
                    self._quantitative_like(ind, case.rule, res)
                    if res.get("case"):
                        res["explain"] = f"{res['case']}: {res['explain']}" if not t.zh else f"{res['case']}：{res['explain']}"
                    return
            res["explain"] = t("没有适用的计分方式", "no scoring case applies")
            return
        # x: entered or computed
        x: float | None = None
        rows_detail = None
        if ind.id in self.entered:
            try:
                x = _float(self.entered[ind.id])
            except ComputeError as e:
                res["explain"] = e.describe(self.lang)
                return
            res["value_source"] = "entered"
        elif rule.kind == "multi_product":
            rows_detail = self._multi_product(ind, rule, res)
            if rows_detail is None:
                return
        else:
            try:
                x = _float(rule.value.evaluate(self.values))
                res["value_source"] = "computed"
            except ComputeError as e:
                res["missing"] = self._missing_refs(rule.value.refs, e)
                res["explain"] = e.describe(self.lang)
                return
        if rows_detail is not None:
            frac, text = rows_detail
            res["score"] = ind.points * frac
            res["explain"] = text + t(" → {p} 分的 {f:.0f}% = {s} 分", " → {f:.0f}% of {p} points = {s}",
                                      p=fmt(ind.points), f=frac * 100, s=fmt(res["score"]))
            return
        res["value"] = x
        unit = f" {rule.unit}" if rule.unit and rule.unit != "%" else ("%" if rule.unit == "%" else "")
        xs = f"x={fmt(x)}{unit}" + (t("（直接填报）", " (entered)") if res["value_source"] == "entered" else "")
        band_id = ""
        if rule.bands:
            try:
                attr = _float(rule.band_by.evaluate(self.values))
            except ComputeError as e:
                res["missing"] = self._missing_refs(rule.band_by.refs, e)
                res["explain"] = t("{x}，无法确定分档：{m}", "{x}; cannot pick the band: {m}", x=xs, m=e.describe(self.lang))
                return
            for b in rule.bands:
                if (b.min is None or attr >= b.min) and (b.max is None or attr < b.max):
                    band_id = b.id
                    res["band"] = b.id
                    res["band_label"] = pick(b.label, self.lang)
                    break
        if rule.kind == "threshold":
            thr = rule.threshold
            met = x >= thr if rule.direction == "higher_better" else x <= thr
            res["score"] = ind.points if met else 0.0
            res["met"] = met
            res["baseline"] = thr
            res["benchmark_source"], res["benchmark_certainty"] = rule.source, rule.certainty
            sym = "≥" if rule.direction == "higher_better" else "≤"
            res["explain"] = t("{x}，要求 {sym} {thr}{u} → {r} {s}/{p} 分", "{x}, required {sym} {thr}{u} → {r} {s} of {p} points",
                               x=xs, sym=sym, thr=fmt(thr), u=unit, r=t("达到", "met,") if met else t("未达到", "not met,"),
                               s=fmt(res["score"]), p=fmt(ind.points))
            return
        B, L, where, cert = self._benchmark(ind, rule, band_id)
        res["baseline"], res["leading"], res["benchmark_source"], res["benchmark_certainty"] = B, L, where, cert
        band_txt = f"（{res['band_label']}）" if band_id and t.zh else (f" ({res['band_label']})" if band_id else "")
        if B is None or L is None:
            res["missing_benchmark"] = True
            res["explain"] = t("{x}{b}；需要基准值/引领值（未设定）", "{x}{b}; benchmark needed (基准值/引领值 not set)",
                               x=xs, b=band_txt)
            return
        if L == B:
            res["missing_benchmark"] = True
            res["explain"] = t("{x}；基准值与引领值相同，无法计分", "{x}; 基准值 equals 引领值, cannot score", x=xs)
            return
        frac = _clamp((x - B) / (L - B))
        res["score"] = ind.points * frac
        res["fraction"] = frac
        res["explain"] = t("{x}，基准值 {B}，引领值 {L}{b} → {p} 分的 {f:.0f}% = {s} 分",
                           "{x}, 基准值 {B}, 引领值 {L}{b} → {f:.0f}% of {p} points = {s}",
                           x=xs, B=fmt(B), L=fmt(L), b=band_txt, p=fmt(ind.points), f=frac * 100, s=fmt(res["score"]))

    def _multi_product(self, ind: Indicator, rule: Rule, res: dict) -> tuple[float, str] | None:
        t = self.t
        rows = self.values.get(rule.rows)
        if isinstance(rows, list):
            rows = [r for r in rows if isinstance(r, dict)]
        if not rows or not isinstance(rows, list):
            res["missing"] = [rule.rows]
            res["explain"] = t("无法计算：缺少产品数据", "cannot compute: missing product rows")
            return None
        items = []
        missing: list[str] = []
        for i, row in enumerate(rows):
            ref = f"{rule.rows}[{i + 1}]"
            try:
                w = _float(rule.row_weight.evaluate(self.values, row, ref))
                x = _float(rule.row_value.evaluate(self.values, row, ref))
                B = _float(rule.row_baseline.evaluate(self.values, row, ref))
                L = _float(rule.row_leading.evaluate(self.values, row, ref))
            except ComputeError as e:
                missing.append(e.ref if isinstance(e, Missing) else ref)
                if not isinstance(e, Missing):
                    res["explain"] = e.describe(self.lang)
                continue
            items.append((w, x, B, L, str(row.get("name") or ref)))
        if missing:
            res["missing"] = missing
            res["explain"] = res["explain"] or t("无法计算：缺少 {m}", "cannot compute: missing {m}", m=", ".join(missing))
            return None
        items.sort(key=lambda it: -it[0])
        items = items[: rule.max_products]
        for _w, _x, B, L, name in items:
            if rule.direction == "higher_better" and L < B or rule.direction == "lower_better" and L > B:
                res["explain"] = t("{n}：引领值 {L} 比基准值 {B} 差（{d}），是否填反了？请核对后再计分",
                                   "{n}: 引领值 {L} is worse than 基准值 {B} ({d}); swapped? check them to score",
                                   n=name, L=fmt(L), B=fmt(B),
                                   d=t("越低越好", "lower is better") if rule.direction == "lower_better"
                                   else t("越高越好", "higher is better"))
                return None
        total_w = sum(it[0] for it in items)
        parts = []
        acc = 0.0
        for w, x, B, L, name in items:
            f = 0.0 if L == B else _clamp((x - B) / (L - B))
            share = (w / total_w) if total_w > 0 else 1.0 / len(items)
            acc += share * f
            parts.append(t("{n}: x={x}，基准值 {B}，引领值 {L} → {f:.0f}%（权重 {s:.0f}%）",
                           "{n}: x={x}, 基准值 {B}, 引领值 {L} → {f:.0f}% (weight {s:.0f}%)",
                           n=name, x=fmt(x), B=fmt(B), L=fmt(L), f=f * 100, s=share * 100))
        res["value_source"] = "computed"
        res["products"] = [{"name": n, "value": x, "baseline": B, "leading": L, "weight": w}
                           for w, x, B, L, n in items]
        res["benchmark_source"], res["benchmark_certainty"] = rule.source, rule.certainty
        res["fraction"] = acc
        return acc, "; ".join(parts)

    # -- the whole score --

    def result(self) -> dict:
        s = self.s
        t = self.t
        inds = []
        sections = []
        vetoes_failed: list[str] = []
        vetoes_open: list[str] = []
        missing_answers: list[str] = []
        missing_bench: list[str] = []
        missing_bench_detail: list[dict] = []
        total = 0.0
        total_max = 0.0
        for sec in s.sections:
            raw = raw_max = 0.0
            for ind in sec.indicators:
                r = self.indicator(ind)
                inds.append(r)
                raw += r["score"]
                raw_max += r["max"]
                if r["kind"] == "veto":
                    if r["met"] is False:
                        vetoes_failed.append(ind.id)
                    elif r["met"] is None:
                        vetoes_open.append(ind.id)
                for m in r["missing"]:
                    if m not in missing_answers:
                        missing_answers.append(m)
                if r["missing_benchmark"]:
                    missing_bench.append(ind.id)
                    missing_bench_detail.append({"id": ind.id, "band": r.get("band"), "title": r["title"]})
            if sec.weight is not None:
                sec_score = raw / raw_max * sec.weight if raw_max > 0 else 0.0
                # a weighted section whose every row is not applicable leaves the maximum too
                sec_max = 0.0 if raw_max <= 0 < sum(i.points for i in sec.indicators) and s.na_policy != "full" \
                    else sec.weight
            else:
                sec_score, sec_max = raw, raw_max
            total += sec_score
            total_max += sec_max
            sections.append({"id": sec.id, "title": sec.name(self.lang), "score": round(sec_score, 2),
                             "max": round(sec_max, 2), "raw_score": round(raw, 2), "raw_max": round(raw_max, 2)})
        from greendesk.core.schemes import qualification as qual

        raw_total, applicable_max = total, total_max
        total, total_max, rescaled = qual.rescale(s, raw_total, applicable_max)
        q = qual.assess(s, inds, vetoes_failed, vetoes_open, total, t, self.lang)
        qualified = q["qualified"]
        grade = None
        for g in s.grades:      # against the total as shown (2 decimals), so that "75" is never below a ≥75 grade
            if round(total, 2) + 1e-9 >= g.min and (qualified or not g.requires_qualified):
                grade = g
        gaps = sorted(({"id": r["id"], "title": r["title"], "section": r["section"],
                        "points_to_gain": round(r["max"] - r["score"], 2)}
                       for r in inds if r["max"] - r["score"] > 1e-9), key=lambda g: -g["points_to_gain"])
        for r in inds:
            r["score"] = round(r["score"], 2)
            r["max"] = round(r["max"], 2)
        q_reason = q["qualified_reason"]
        return {
            "scheme": s.id, "scheme_version": s.version, "title": s.name(self.lang),
            "total": round(total, 2), "max": round(total_max, 2),
            "percent": round(total / total_max * 100, 1) if total_max else 0.0,
            "qualified": qualified, "qualified_reason": q_reason,
            "vetoes_failed": vetoes_failed, "vetoes_unanswered": vetoes_open,
            "grade": grade.id if grade else None,
            "grade_label": pick(grade.label, self.lang) if grade else None,
            "grades": [{"id": g.id, "min": g.min, "label": pick(g.label, self.lang), "certainty": g.certainty,
                        "source": g.source, "sourced": bool(g.source) and g.certainty in qual.SOURCED}
                       for g in s.grades],
            "required_failed": q["required_failed"], "required_unanswered": q["required_unanswered"],
            "qualification": q["qualification"],
            "raw_total": round(raw_total, 2), "applicable_max": round(applicable_max, 2), "rescaled": rescaled,
            "na_policy": qual.na_block(s, self.lang), "na_excluded": qual.na_excluded(s, inds),
            "points_table": qual.points_table_block(s, self.lang),
            "sections": sections, "indicators": inds,
            "missing_answers": missing_answers, "missing_benchmarks": missing_bench,
            "missing_benchmark_details": missing_bench_detail,
            "gaps": gaps, "orphans": sorted(self.orphans),
            "required_missing": [fid for fid, f in s.fields_by_id.items()
                                 if f.required and fid not in self.values and fid not in self.hidden],
        }

    def field_states(self) -> dict[str, dict]:
        out = {}
        for fid, f in self.s.fields_by_id.items():
            out[fid] = {
                "relevant": fid not in self.hidden,
                "value": self.values.get(fid),
                "source": self.source.get(fid, "none") if fid in self.values else "none",
                "error": self.errors.get(fid),
                "indicator": f.indicator_id,
            }
        return out


def score(scheme: Scheme, answers: Mapping[str, Any], *, benchmarks: Any = None,
          auto_values: Mapping[str, float] | None = None, lang: str | None = None) -> dict:
    """Score ``answers`` (field or indicator id -> value) under ``scheme``.

    ``benchmarks``: workspace overrides, either ``Workspace.benchmarks(scheme_id)`` rows or a
    mapping ``{(indicator_id, band): {"baseline", "leading", "source", "set_by", "set_at"}}``.
    ``auto_values``: automatic values by key (``energy.total_tce`` ...), used by fields with
    ``auto:`` that the user has not answered.
    """
    return _Evaluation(scheme, answers, benchmarks, auto_values, lang).result()


def evaluate(scheme: Scheme, answers: Mapping[str, Any], *, benchmarks: Any = None,
             auto_values: Mapping[str, float] | None = None, lang: str | None = None) -> dict:
    """Live form state for the GUI: ``{"fields": {id: {relevant, value, source, error, indicator}},
    "indicators": {id: {state, score, max, explain, missing}}, "score": <score dict>}``."""
    ev = _Evaluation(scheme, answers, benchmarks, auto_values, lang)
    result = ev.result()
    return {
        "fields": ev.field_states(),
        "indicators": {r["id"]: {"state": r["state"], "score": r["score"], "max": r["max"], "explain": r["explain"],
                                 "missing": r["missing"]} for r in result["indicators"]},
        "score": result,
    }


def auto_values_for(ws, assessment_id: int) -> dict[str, float]:
    """Automatic values from the meters area, when it is installed; {} otherwise."""
    try:
        from greendesk.core import energy  # type: ignore[attr-defined]
    except ImportError:
        return {}
    fn = getattr(energy, "auto_values", None)
    if fn is None:
        return {}
    return dict(fn(ws, assessment_id) or {})


def score_assessment(ws, assessment_id: int | None = None, *, lang: str | None = None) -> dict:
    """Score an assessment of an open workspace (the latest by default)."""
    from greendesk.core.schemes.registry import get_scheme

    a = ws.assessment(assessment_id)
    scheme = get_scheme(a["scheme_id"])
    answers = ws.answers(a["id"])
    ev = _Evaluation(scheme, answers, ws.benchmarks(scheme.id), auto_values_for(ws, a["id"]), lang)
    result = ev.result()
    from greendesk.core.declaration.calculation import LedgerView, attach  # 计算过程 per indicator row

    attach(scheme, result, ev.field_states(), ledger=LedgerView(ws, a["id"], lang=ev.lang), lang=ev.lang)
    result["assessment"] = {"id": a["id"], "year": a["year"], "status": a["status"],
                            "scheme_version": a["scheme_version"]}
    from greendesk.core.schemes.continuity import is_carried

    result["carried_over"] = [r["field_id"] for r in ws.answer_rows(a["id"]) if is_carried(r["source"])]
    if str(a["scheme_version"]) != scheme.version:
        result["scheme_version_note"] = (f"assessment made with {a['scheme_id']} {a['scheme_version']}, "
                                         f"scored with {scheme.version}")
    return result
