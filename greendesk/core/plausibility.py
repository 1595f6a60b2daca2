"""Plausibility of entered values: warnings at the field, never a refusal (the value is stored as typed).

Driven by ``resources/plausibility.yaml``: a share or rate in % over 100 (fields of type ``percent``,
fields and directly entered indicator values with the unit %), and a part larger than its whole (e.g.
综合利用量 999,999 t against 产生量 2,350 t, which would score as 42,553 %). Qt-free: the app shows the
warnings in the form page; anything else may call :func:`check`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from greendesk.core.frozen import frozen
from greendesk.core.i18n import pick


@frozen
class PlausibilityWarning:
    field: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@cache
def rules() -> dict:
    from greendesk.core import datacache
    from greendesk.core.paths import resources_dir

    # through the parsed-data cache: importing PyYAML would cost start-up ~40 ms
    return datacache.load_yaml(resources_dir() / "plausibility.yaml", "plausibility")


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def fmt(x: float) -> str:
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.1f}"


def _unit(u: str | None) -> str:
    return f" {u}" if u else ""


def check(scheme, values: dict[str, Any], answers: dict[str, Any] | None = None) -> dict[str, list[PlausibilityWarning]]:
    """Warnings by answer id. ``values``: every field's value (answers, automatic and default values);
    ``answers``: what was entered (directly entered indicator values are answers under the indicator id)."""
    r = rules()
    answers = answers if answers is not None else values
    limit = float(r.get("percent_max", 100))
    units = set(r.get("percent_units") or ["%"])
    not_shares = set(r.get("not_shares") or ())
    out: dict[str, list[PlausibilityWarning]] = {}

    def add(fid: str, zh: str, en: str) -> None:
        out.setdefault(fid, []).append(PlausibilityWarning(fid, zh, en))

    def name(fid: str, lang: str) -> str:
        f = scheme.fields_by_id.get(fid)
        if f is not None:
            return pick(f.label, lang) or fid
        ind = scheme.indicators_by_id.get(fid)
        return pick(ind.title, lang) if ind is not None else fid

    for fid, f in scheme.fields_by_id.items():
        v = _num(values.get(fid))
        if v is None or not (f.type == "percent" or f.unit in units):
            continue
        if v > limit:
            add(fid, f"「{name(fid, 'zh')}」为 {fmt(v)} %，超过 {fmt(limit)} %：比例不会大于整体。请核对数值（是否填了数量而不是百分比）。",
                f"“{name(fid, 'en')}” is {fmt(v)} %, over {fmt(limit)} %: a share cannot exceed its whole. Check the "
                "value (a quantity instead of a percentage?).")
    for ind in scheme.indicators():
        unit = ind.rule.unit
        v = _num(answers.get(ind.id))
        if v is None or unit not in units or ind.id in not_shares or v <= limit:
            continue
        add(ind.id, f"直接填写的「{name(ind.id, 'zh')}」为 {fmt(v)} %，超过 {fmt(limit)} %：比例不会大于整体。请核对数值。",
            f"The “{name(ind.id, 'en')}” entered directly is {fmt(v)} %, over {fmt(limit)} %: a share cannot "
            "exceed its whole. Check the value.")
    for pair in r.get("parts") or ():
        part, whole = pair["part"], list(pair["whole"])
        if part not in scheme.fields_by_id or not all(w in scheme.fields_by_id for w in whole):
            continue
        p = _num(values.get(part))
        ws = [_num(values.get(w)) for w in whole]
        if p is None or ws[0] is None:
            continue  # nothing to compare with yet (a missing later part of the whole counts as 0)
        total = sum(x or 0.0 for x in ws)
        if p <= total:
            continue
        u = _unit(scheme.fields_by_id[part].unit)
        share = f"{fmt(p / total * 100)} %" if total > 0 else "∞"
        whole_zh = "与".join(f"「{name(w, 'zh')}」" for w in whole)
        whole_en = " and ".join(f"“{name(w, 'en')}”" for w in whole)
        add(part, f"「{name(part, 'zh')}」{fmt(p)}{u} 大于{whole_zh}{'之和' if len(whole) > 1 else ''} "
            f"{fmt(total)}{u}：部分不会大于整体，比例将算作 {share}。请核对数值和单位。",
            f"“{name(part, 'en')}” {fmt(p)}{u} is larger than {whole_en}{' together' if len(whole) > 1 else ''} "
            f"({fmt(total)}{u}): a part cannot exceed its whole; the rate would be {share}. Check the values and "
            "units.")
    return out
