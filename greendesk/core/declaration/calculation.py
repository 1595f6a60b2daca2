"""计算过程: how each computed indicator's value was reached, from the ledger to the result.

:func:`calculation` returns, for one indicator row of a score, ``None`` for a qualitative row
(veto, checklist, info) or a row that does not apply, and otherwise::

    {"formula": "综合能源消费量 × 1000 ÷ 工业总产值",         # the rule in words
     "inputs": [{"ref", "name", "value", "unit", "origin": answer | ledger | computed | missing,
                 "imports": [{"id", "file"}],                  # ledger: the imports it came from
                 "parts": [{"name", "value", "unit", "factor": {origin: factor, id, name, value, unit,
                            source, certainty} | None, "result", "result_unit"}],   # ledger totals
                 "formula", "inputs",                           # computed: its own rule and inputs
                 "rows": [...], "via": "production", "text"}],
     "factors": [...],                                          # every factor used, once
     "result": {"value", "unit"}, "products": [...],           # multi-product rows: one per product
     "missing": [...], "text": "综合能源消费量 = 电力 … = 3,591.1 tce；… ；能源消耗强度 = … = 54.99 kgce/万元"}

The figures are the ones the score used (the evaluation's field states and the energy summary);
nothing is computed again except the per-row values of a rows function, to print them.
"""

from __future__ import annotations

from typing import Any

from greendesk.core.expr import ComputeError, Env, Node, _compile
from greendesk.core.i18n import pick
from greendesk.core.schemes.scoring import fmt

QUANTITATIVE = ("quantitative", "count", "threshold", "multi_product", "cases")
_PREC = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}
_OPS = {"*": "×", "/": "÷", "+": "+", "-": "−"}
_RESULT_UNIT = {"tce": "tce", "co2": "tCO2"}


def num(x: Any) -> str:
    """A figure as printed in a 计算过程: thousands separated, 2 decimals (4 significant digits below 1)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return "—" if x is None else str(x)
    x = float(x)
    if x == 0 or abs(x) < 1:
        return fmt(x)
    s = f"{x:,.2f}".rstrip("0").rstrip(".")
    return s


def factor_num(x: Any) -> str:
    """A conversion or emission factor in full (a reviewer recomputes with it)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return "—" if x is None else str(x)
    return f"{float(x):.6g}"


def _with_unit(x: Any, unit: str | None) -> str:
    if not unit or unit == "/":
        return num(x)
    return f"{num(x)}{unit}" if unit == "%" else f"{num(x)} {unit}"


class LedgerView:
    """The energy summary of the assessment (read once, when an input needs it) and its imports."""

    def __init__(self, ws, assessment_id: int, summary: dict | None = None, lang: str | None = None):
        self.ws, self.aid, self._summary, self.lang = ws, assessment_id, summary, lang

    @property
    def summary(self) -> dict:
        if self._summary is None:
            from greendesk.core import energy
            from greendesk.core.errors import UserError
            from greendesk.core.i18n import language, using_language
            try:
                with using_language(self.lang or language()):     # carrier and factor names in that language
                    self._summary = energy.energy_summary(self.ws, assessment_id=self.aid)
            except UserError:
                self._summary = {}
        return self._summary

    def imports(self, files: list[str]) -> list[dict]:
        rows = self.ws.conn.execute("SELECT id, file_name FROM meter_imports WHERE assessment_id = ? ORDER BY id",
                                    [self.aid]).fetchall()
        return [{"id": i, "file": f} for i, f in rows if f in set(files)]


def _factor_for(total: float, result: float, cid: str, factors: list[dict]) -> dict | None:
    """The factor that turns ``total`` into ``result`` (the energy summary's own conversion)."""
    if not total or result is None:
        return None
    ranked = sorted(factors, key=lambda f: (cid not in str(f.get("id")),
                                            "electricity" not in str(f.get("id")) or cid not in (
                                                "electricity", "pv_self_use", "green_power")))
    for f in ranked:
        v = f.get("value")
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        for scale in (1e-3, 1.0, 1e-4):
            if abs(total * v * scale - result) <= 1e-6 * max(1.0, abs(result)):
                return {"origin": "factor", "id": f.get("id"), "name": f.get("name"), "value": v,
                        "unit": f.get("unit"), "source": f.get("source"), "certainty": f.get("certainty")}
    return None


class _Calc:
    def __init__(self, scheme, fields: dict[str, dict], ledger: LedgerView | None, lang: str):
        self.s, self.fields, self.ledger, self.lang = scheme, fields, ledger, lang
        self.zh = lang == "zh"
        self.factors: dict[str, dict] = {}

    def t(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    # -- words and values of an expression --

    def label(self, ref: str, columns: dict | None = None) -> str:
        if columns and ref in columns:
            return pick(columns[ref].label, self.lang)
        f = self.s.fields_by_id.get(ref)
        return pick(f.label, self.lang) if f is not None else ref

    def render(self, node: Node, leaf, rows_leaf=None, values: bool = False) -> tuple[str, int]:
        op = node.op
        if op == "num":
            return f"{node.value:g}", 9
        if op in ("str", "bool"):
            return str(node.value), 9
        if op == "ref":
            return leaf(node.value), 9
        if op == "neg":
            s, p = self.render(node.args[0], leaf, rows_leaf)
            return "−" + (s if p >= 7 else f"({s})"), 7
        if op in ("bin", "cmp", "and", "or"):
            sym = node.value if op in ("bin", "cmp") else op
            prec = _PREC.get(sym, 4)
            a, pa = self.render(node.args[0], leaf, rows_leaf)
            b, pb = self.render(node.args[1], leaf, rows_leaf)
            a = a if pa >= prec else f"({a})"
            b = b if pb > prec or (pb == prec and sym in "+*") else f"({b})"
            return f"{a} {_OPS.get(sym, sym)} {b}", prec
        if op == "not":
            s, _ = self.render(node.args[0], leaf, rows_leaf)
            return f"not ({s})", 3
        if op == "call":
            if rows_leaf is not None and node.value in ("sum", "count", "min_over", "max_over") and len(node.args) == 2:
                return rows_leaf(node), 9
            inner = ", ".join(self.render(a, leaf, rows_leaf, values)[0] for a in node.args)
            if node.value == "count" and len(node.args) == 1:
                return (inner, 9) if values else (self.t(f"{inner}的项数", f"number of {inner}"), 9)
            return f"{node.value}({inner})", 9
        return "?", 9

    def words(self, expr) -> str:
        def rows_words(node: Node) -> str:
            rows = node.args[0].value
            cols = self._columns(rows)
            body = self.render(node.args[1], lambda r: self.label(r, cols))[0]
            what = {"sum": ("之和", "sum over"), "count": ("计数", "count over"),
                    "min_over": ("的最小值", "lowest over"), "max_over": ("的最大值", "highest over")}[node.value]
            return (f"各{self.label(rows)}中 {body} {what[0]}" if self.zh
                    else f"{what[1]} {self.label(rows)} of {body}")
        return self.render(expr.tree, self.label, rows_words)[0]

    def _columns(self, rows_ref: str) -> dict:
        f = self.s.fields_by_id.get(rows_ref)
        return {c.id: c for c in (f.columns if f is not None else ())}

    def value_text(self, expr, values: dict) -> str:
        def leaf(ref: str) -> str:
            f = self.s.fields_by_id.get(ref)
            v = values.get(ref)
            if isinstance(v, list):
                names = [str(x.get("name") or "?") if isinstance(x, dict) else pick(c.label, self.lang)
                         if f is not None and (c := f.choice(str(x))) else str(x) for x in v]
                return (f"{len(v)} 项（{'、'.join(names)}）" if self.zh else f"{len(v)} ({', '.join(names)})")
            return _with_unit(v, f.unit if f is not None else None)

        def rows_leaf(node: Node) -> str:
            rows_ref = node.args[0].value
            cols = self._columns(rows_ref)
            fn = _compile(node.args[1])
            parts = []
            for i, row in enumerate(values.get(rows_ref) or []):
                if not isinstance(row, dict):
                    continue

                def rleaf(r: str, row=row) -> str:
                    if r in cols:
                        return _with_unit(row.get(r), cols[r].unit)
                    return leaf(r)
                shown = self.render(node.args[1], rleaf)[0]
                try:
                    v = fn(Env(values, row, f"{rows_ref}[{i + 1}]"))
                    got = num(v) if not isinstance(v, bool) else str(v)
                except ComputeError:
                    got = "—"
                name = row.get("name") or f"{i + 1}"
                parts.append(f"{name}: {shown} = {got}")
            what = {"sum": ("合计", "sum"), "count": ("计数", "count"), "min_over": ("取最小", "lowest"),
                    "max_over": ("取最大", "highest")}[node.value]
            sep = "；" if self.zh else "; "
            return f"{what[0 if self.zh else 1]}[{sep.join(parts)}]"
        return self.render(expr.tree, leaf, rows_leaf, True)[0]

    # -- inputs --

    def input(self, ref: str, depth: int = 0) -> dict:
        f = self.s.fields_by_id.get(ref)
        st = self.fields.get(ref) or {}
        v, src = st.get("value"), st.get("source")
        d: dict[str, Any] = {"ref": ref, "name": self.label(ref), "value": v, "unit": (f.unit if f else None) or ""}
        if f is not None and f.type == "multi" and isinstance(v, list):
            d["items"] = [pick(c.label, self.lang) if (c := f.choice(str(x))) else str(x) for x in v]
        if f is not None and f.type == "rows" and isinstance(v, list):
            d["rows"] = v
        if v is None:
            d["origin"] = "missing"
        elif src == "auto":
            key = f.auto or ""
            if key.startswith(("energy.", "water.")):
                d["origin"], d["key"] = "ledger", key
                self._ledger(d, key)
            else:
                d["origin"], d["via"] = "answer", "production"
        elif src == "calculated" and f is not None and f.calculation is not None and depth < 3:
            d["origin"] = "computed"
            d["formula"] = self.words(f.calculation)
            d["inputs"] = [self.input(r, depth + 1) for r in sorted(f.calculation.refs) if r in self.s.fields_by_id]
            d["text"] = f"{d['name']} = {self.value_text(f.calculation, self._values())} = {_with_unit(v, d['unit'])}"
        else:
            d["origin"] = "answer"
            if src == "default":
                d["default"] = True
        return d

    def _values(self) -> dict:
        return {k: st.get("value") for k, st in self.fields.items() if st.get("value") is not None}

    def _ledger(self, d: dict, key: str) -> None:
        s = self.ledger.summary if self.ledger is not None else {}
        carriers = s.get("carriers") or {}
        basis = s.get("electricity_basis") or "calorific"
        factors = s.get("factors") or []
        which = {"energy.total_tce": "tce", f"energy.total_tce_{basis}": "tce", "energy.co2_t": "co2",
                 "energy.renewable_tce": "tce"}.get(key)
        single = {"energy.electricity_kwh": "electricity", "energy.natural_gas_m3": "natural_gas",
                  "energy.pv_self_use_kwh": "pv_self_use", "energy.green_power_kwh": "green_power",
                  "energy.pv_export_kwh": "pv_export", "water.intake_m3": "water"}.get(key)
        files: list[str] = []
        parts = []
        if which:
            for cid, c in carriers.items():
                got = c.get("tce") if which == "tce" else c.get("co2_t")
                if got is None or (key == "energy.renewable_tce" and not c.get("renewable")):
                    continue
                fac = _factor_for(c.get("total") or 0.0, got, cid, factors)
                if fac is not None:
                    self.factors.setdefault(fac["id"], fac)
                parts.append({"carrier": cid, "name": c.get("name") or cid, "value": c.get("total"),
                              "unit": c.get("unit"), "factor": fac, "result": got,
                              "result_unit": _RESULT_UNIT[which], "files": c.get("files") or []})
                files += c.get("files") or []
        elif single and single in carriers:
            files = list(carriers[single].get("files") or [])
        else:
            for c in carriers.values():
                files += c.get("files") or []
        d["parts"] = parts
        d["imports"] = self.ledger.imports(sorted(set(files))) if self.ledger is not None else []
        src = self.t("台账：", "ledger: ") + ("；" if self.zh else "; ").join(
            f"{i['file']}，导入 #{i['id']}" if self.zh else f"{i['file']}, import #{i['id']}" for i in d["imports"])
        if parts:
            terms = []
            for p in parts:
                fac = p["factor"]
                if fac is None:
                    terms.append(f"{p['name']} {_with_unit(p['result'], p['result_unit'])}")
                else:
                    terms.append(f"{p['name']} {_with_unit(p['value'], p['unit'])} × {factor_num(fac['value'])} {fac['unit']}")
            d["text"] = f"{d['name']} = {' + '.join(terms)} = {_with_unit(d['value'], d['unit'])}（{src}）" if self.zh \
                else f"{d['name']} = {' + '.join(terms)} = {_with_unit(d['value'], d['unit'])} ({src})"
        else:
            d["text"] = (f"{d['name']} = {_with_unit(d['value'], d['unit'])}（{src}）" if self.zh
                         else f"{d['name']} = {_with_unit(d['value'], d['unit'])} ({src})")

    def input_text(self, d: dict) -> str:
        if d.get("text"):
            return d["text"]
        if d["origin"] == "missing":
            return self.t(f"{d['name']}：缺少", f"{d['name']}: missing")
        if d.get("items") is not None:
            return f"{d['name']} = {len(d['items'])} {self.t('项', 'items')}（{'、'.join(d['items'])}）" if self.zh \
                else f"{d['name']} = {len(d['items'])} ({', '.join(d['items'])})"
        if d.get("rows") is not None:
            return self.t(f"{d['name']}：{len(d['rows'])} 行", f"{d['name']}: {len(d['rows'])} rows")
        how = {"answer": self.t("填报", "entered"), "computed": self.t("计算", "computed")}.get(d["origin"], "")
        if d.get("via") == "production":
            how = self.t("产量/产值录入", "production record")
        return (f"{d['name']} {_with_unit(d['value'], d['unit'])}（{how}）" if self.zh
                else f"{d['name']} {_with_unit(d['value'], d['unit'])} ({how})")

    # -- one indicator --

    def indicator(self, ind, res: dict) -> dict | None:
        if not res.get("applicable", True) or ind.rule.kind not in QUANTITATIVE:
            return None
        from greendesk.core.package.data import _active_rule

        title = res.get("title") or pick(ind.title, self.lang)
        unit = res.get("unit") or ""
        sep = "；" if self.zh else "; "
        if res.get("value_source") == "entered":
            inp = {"ref": ind.id, "name": title, "value": res.get("value"), "unit": unit, "origin": "answer"}
            return {"formula": self.t("直接填报的指标值", "indicator value entered as a whole"), "inputs": [inp],
                    "factors": [], "result": {"value": res.get("value"), "unit": unit}, "missing": [],
                    "text": self.t(f"{title} = {_with_unit(res.get('value'), unit)}（直接填报）",
                                   f"{title} = {_with_unit(res.get('value'), unit)} (entered)")}
        rule = _active_rule(ind, res, self.lang)
        if rule is None or rule.kind not in QUANTITATIVE:
            return None
        values = self._values()
        if rule.kind == "multi_product":
            return self._multi(rule, res, title, unit, values, sep)
        if rule.value is None:
            return None
        inputs = [self.input(r) for r in sorted(rule.value.refs) if r in self.s.fields_by_id]
        texts = [self.input_text(d) for d in inputs if d.get("parts") or d["origin"] != "answer" or d.get("via")]
        x = res.get("value")
        calc_text = f"{title} = {self.value_text(rule.value, values)} = {_with_unit(x, unit)}"
        out = {"formula": f"{title} = {self.words(rule.value)}", "inputs": inputs,
               "factors": list(self.factors.values()), "result": {"value": x, "unit": unit},
               "missing": [d["ref"] for d in inputs if d["origin"] == "missing"] or list(res.get("missing") or [])}
        if x is None:
            calc_text = self.t(f"{title}：无法计算，缺少 ", f"{title}: cannot compute, missing ") + ", ".join(
                self.label(m) for m in out["missing"])
        out["text"] = sep.join(texts + [calc_text] + self._scoring(res, x, unit))
        return out

    def _scoring(self, res: dict, x: Any, unit: str) -> list[str]:
        B, L = res.get("baseline"), res.get("leading")
        if x is None or B is None or L is None or L == B:
            return []
        return [self.t(f"得分 = {num(res['max'])} × clamp(({num(x)} − {num(B)}) ÷ ({num(L)} − {num(B)})) = {num(res['score'])}",
                       f"score = {num(res['max'])} × clamp(({num(x)} − {num(B)}) ÷ ({num(L)} − {num(B)})) = "
                       f"{num(res['score'])}")]

    def _multi(self, rule, res: dict, title: str, unit: str, values: dict, sep: str) -> dict:
        rows = [r for r in (values.get(rule.rows) or []) if isinstance(r, dict)]
        inputs = [self.input(r) for r in sorted((rule.row_value.refs | rule.row_weight.refs) - set(self._columns(rule.rows)))
                  if r in self.s.fields_by_id]
        inputs.insert(0, self.input(rule.rows))
        products, texts = [], []
        by_name = {str(r.get("name")): r for r in rows}
        for p in res.get("products") or []:
            row = by_name.get(str(p["name"]))
            shown = "?"
            if row is not None:
                cols = self._columns(rule.rows)
                shown = self.render(rule.row_value.tree, lambda r, row=row, cols=cols: _with_unit(
                    row.get(r), cols[r].unit) if r in cols else _with_unit(values.get(r), None))[0]
            products.append({"name": p["name"], "value": p["value"], "unit": unit, "weight": p["weight"],
                             "baseline": p.get("baseline"), "leading": p.get("leading")})
            texts.append(f"{p['name']}: {shown} = {_with_unit(p['value'], unit)}"
                         + self.t(f"（权重 {num(p['weight'])}）", f" (weight {num(p['weight'])})"))
        cols = self._columns(rule.rows)
        formula = (f"{title} = {self.render(rule.row_value.tree, lambda r: self.label(r, cols))[0]}"
                   + self.t("（每种产品；按 ", " (per product; weighted by ")
                   + self.render(rule.row_weight.tree, lambda r: self.label(r, cols))[0] + self.t(" 加权）", ")"))
        if not products:
            texts.append(self.t(f"{title}：无法计算，缺少产品数据", f"{title}: cannot compute, missing product rows"))
        return {"formula": formula, "inputs": inputs, "factors": list(self.factors.values()),
                "result": {"value": None, "unit": unit}, "products": products,
                "missing": list(res.get("missing") or []), "text": sep.join(texts)}


def calculation(scheme, ind, res: dict, fields: dict[str, dict], *, ledger: LedgerView | None = None,
                lang: str = "zh") -> dict | None:
    """The 计算过程 of one indicator row (``res``: its row of the score; ``fields``: the field states)."""
    return _Calc(scheme, fields, ledger, lang).indicator(ind, res)


def attach(scheme, result: dict, fields: dict[str, dict], *, ledger: LedgerView | None = None,
           lang: str = "zh") -> dict:
    """Give every indicator row of ``result`` its ``calculation`` (None for qualitative rows)."""
    for r in result.get("indicators") or []:
        ind = scheme.indicators_by_id.get(r["id"])
        r["calculation"] = None if ind is None else calculation(scheme, ind, r, fields, ledger=ledger, lang=lang)
    return result
