"""Schemes in plain words: the scoring rule of an indicator and the "paper view" of a whole scheme.

Shared by ``greendesk outline`` / ``scheme-show`` and the GUI's guidance panel, so that a rule is
described in one place. Every figure is shown with its certainty; uncertain ones are marked ⚠.
"""

from __future__ import annotations

import re

from greendesk.core.i18n import pick, t


def fmt_num(x) -> str:
    from greendesk.core.schemes.scoring import fmt

    return fmt(x)


_CERT = {"confirmed": ("已确认", "confirmed"), "secondary": ("二手来源", "secondary source"),
         "uncertain": ("⚠ 待核实", "⚠ uncertain"), "user": ("用户设定", "set by user")}


def cert_text(c: str) -> str:
    zh, en = _CERT.get(c, (c, c))
    return t(zh, en)


def plain_expression(text: str, scheme=None, columns=()) -> str:
    """An expression with ${id} references replaced by the fields' labels, for people."""
    if scheme is None:
        return text
    cols = {c.id: c for c in columns}
    for ref in re.findall(r"\$\{\s*([^}\s]+)\s*\}", text):      # columns of rows used in the expression
        f = scheme.fields_by_id.get(ref)
        if f is not None and f.type == "rows":
            cols.update({c.id: c for c in f.columns if c.id not in cols})

    def label(m):
        ref = m.group(1)
        f = cols.get(ref) or scheme.fields_by_id.get(ref)
        return f"「{pick(f.label)}」" if f is not None else m.group(0)
    return re.sub(r"\$\{\s*([^}\s]+)\s*\}", label, text)


def rule_words(rule, points: float, scheme=None) -> str:
    """The scoring rule in plain words (current language), with 基准值/引领值 and their certainty."""
    k = rule.kind
    unit = f" {rule.unit}" if rule.unit else ""
    if k == "veto":
        return t("否决项：每一项都必须符合（或不适用），否则不合格", "veto: every line must be met (or not applicable), "
                 "otherwise not qualified")
    if k == "checklist":
        return t("检查项：必选项符合得全分，可选项按符合程度得分", "checklist: required lines earn full points when met, "
                 "optional lines by degree")
    if k == "info":
        return t("仅记录，不计分", "recorded only, not scored")
    if k == "threshold":
        sym = "≥" if rule.direction == "higher_better" else "≤"
        return t("达到 {s} {v}{u} 得 {p} 分，否则 0 分", "{p} points when x {s} {v}{u}, otherwise 0",
                 s=sym, v=fmt_num(rule.threshold), u=unit,
                 p=fmt_num(points)) + f" (x = {plain_expression(rule.value.text, scheme)})"
    if k == "multi_product":
        cols = scheme.fields_by_id[rule.rows].columns if scheme is not None else ()

        def p(e):
            return plain_expression(e.text, scheme, cols)
        return t("按产品（最多 {n} 种，按 {w} 加权）：各产品 x = {x}，基准值 = {b}，引领值 = {l}",
                 "per product (at most {n}, weighted by {w}): x = {x}, 基准值 = {b}, 引领值 = {l}",
                 n=rule.max_products, w=p(rule.row_weight), x=p(rule.row_value), b=p(rule.row_baseline),
                 l=p(rule.row_leading))
    if k == "cases":
        return " | ".join(f"{t('当', 'when')} {plain_expression(c.when.text, scheme)}: {rule_words(c.rule, points, scheme)}"
                          for c in rule.cases)
    d = t("越高越好", "higher is better") if rule.direction == "higher_better" else t("越低越好", "lower is better")
    need = t("需要设定", "benchmark needed")
    if rule.bands:
        bands = "; ".join(f"{pick(b.label)}: {t('基准值', '基准值')} {fmt_num(b.baseline) if b.baseline is not None else need}"
                          f", {t('引领值', '引领值')} {fmt_num(b.leading) if b.leading is not None else need}"
                          f" [{cert_text(b.certainty)}]" for b in rule.bands)
        bench = t("按 {by} 分档：{b}", "banded by {by}: {b}", by=plain_expression(rule.band_by.text, scheme), b=bands)
    else:
        bench = (f"基准值 {fmt_num(rule.baseline) if rule.baseline is not None else need}, "
                 f"引领值 {fmt_num(rule.leading) if rule.leading is not None else need} [{cert_text(rule.certainty)}]")
    return t("{d}，x = {x}{u}；{b}；得分 = 分值 × (x − 基准值)/(引领值 − 基准值)，限于 0–100%",
             "{d}, x = {x}{u}; {b}; score = points × (x − 基准值)/(引领值 − 基准值), clamped to 0–100%",
             d=d, x=plain_expression(rule.value.text, scheme), u=unit, b=bench)


def outline_text(s, *, brief: bool = False) -> str:
    out = [f"{s.name()}  [{s.id} {s.version}]",
           t("来源：{std} {cl} {d}（{c}）", "Source: {std} {cl} {d} ({c})", std=s.source.standard, cl=s.source.clause,
             d=s.source.date, c=cert_text(s.source.certainty))]
    if s.base:
        out.append(t("基于方案：{b}", "Based on: {b}", b=s.base))
    if s.grades:
        out.append(t("等级：", "Grades: ") + "; ".join(f"{pick(g.label)} ≥ {fmt_num(g.min)} [{cert_text(g.certainty)}]"
                                                      for g in s.grades))
    else:
        out.append(t("等级：方案未规定", "Grades: none defined by this scheme"))
    out.append(t("满分：{m}", "Maximum: {m}", m=fmt_num(s.max_points)))
    out += policy_lines(s)
    if s.common and not brief:
        out.append("")
        out.append(t("== 基本数据", "== Basic data"))
        for f in s.common:
            auto = t("（可由能源数据自动取得：{a}）", " (automatic from meter data: {a})", a=f.auto) if f.auto else ""
            out.append(f"   - {f.id}: {pick(f.label)}{' [' + f.unit + ']' if f.unit else ''}{auto}")
    for sec in s.sections:
        out.append("")
        w = t("，权重 {w}", ", weight {w}", w=fmt_num(sec.weight)) if sec.weight is not None else ""
        out.append(f"== {sec.name()} ({sec.id}) — {fmt_num(sec.max_points)} {t('分', 'points')}{w}")
        for ind in sec.indicators:
            pts = "" if ind.rule.kind in ("veto", "info") else t(" — {p} 分 [{c}]", " — {p} points [{c}]",
                                                                  p=fmt_num(ind.points), c=cert_text(ind.certainty))
            code = f"{ind.code} " if ind.code else ""
            out.append(f"  {code}{ind.name()} ({ind.id}){pts}")
            out.append(f"     {t('规则', 'Rule')}: {rule_words(ind.rule, ind.points, s)}")
            if brief:
                continue
            if ind.rule.source:
                out.append(f"     {t('依据', 'Source')}: {ind.rule.source} [{cert_text(ind.rule.certainty)}]")
            if ind.applicable is not None:
                out.append(f"     {t('适用条件', 'Applies when')}: {plain_expression(ind.applicable.text, s)}")
            items = {i.field: i for i in ind.rule.items}
            for f in ind.fields:
                extra = ""
                if f.id in items:
                    it = items[f.id]
                    extra = t(" — {p} 分，{l}", " — {p} points, {l}", p=fmt_num(it.points),
                              l=t("必选", "required") if it.level == "required" else t("可选", "optional"))
                unit = f" [{f.unit}]" if f.unit else ""
                out.append(f"     - {pick(f.label)}{unit}{extra}  ({f.id})")
            if pick(ind.guidance):
                out.append(f"     {t('评价要点', 'Evaluator looks for')}: {pick(ind.guidance)}")
            if ind.evidence:
                out.append(f"     {t('证明材料', 'Evidence')}: " + "; ".join(pick(e) for e in ind.evidence))
    return "\n".join(out)


def indicator_rule_text(scheme, indicator) -> str:
    """The scoring rule of one indicator in plain words (for the GUI's guidance panel)."""
    return rule_words(indicator.rule, indicator.points, scheme)


_NA_MODES = {"rescale": ("不计入满分，总分按适用项折算到满分", "their points leave the maximum and the total is rescaled "
                         "to the full maximum"),
             "exclude": ("不计入满分（不折算）", "their points leave the maximum (no rescaling)"),
             "full": ("计满分", "they earn full points")}


def policy_lines(s) -> list[str]:
    """The scheme's qualification rule, not-applicable rule and points table, each with its source."""
    q = s.qualification
    out = []
    if q.required_lines == "disqualify":
        rule = t("否决项和全部必选项必须符合，任一不符合即不合格", "every veto item and every required (必选) line must be "
                 "met; one unmet line means not qualified")
    else:
        rule = t("否决项必须全部符合；必选项不符合只失分", "every veto item must be met; an unmet required line only "
                 "loses its points")
    mark = (t("合格分数线 {m}", "pass mark {m}", m=fmt_num(q.pass_mark)) if q.pass_mark is not None
            else t("未设合格分数线", "no pass mark"))
    out.append(t("合格条件：{r}；{m}", "Qualification: {r}; {m}", r=rule, m=mark)
               + (f" [{cert_text(q.certainty)}; {q.source}]" if q.source else f" [{cert_text(q.certainty)}]"))
    zh, en = _NA_MODES.get(s.na_policy, (s.na_policy, s.na_policy))
    out.append(t("不适用项：{m}", "Not-applicable rows: {m}", m=t(zh, en))
               + f" [{cert_text(s.na.certainty)}{'; ' + s.na.source if s.na.source else ''}]")
    p = s.points_table_used()
    if p is not None:
        others = [x.id for x in s.points_tables if x.id != p.id]
        out.append(t("分值表：{l}（{id}）", "Points table: {l} ({id})", l=p.name(), id=p.id)
                   + f" [{cert_text(p.certainty)}; {p.source}]"
                   + (t("；另可选：{o}（配置中设 points_table）", "; also offered: {o} (set points_table in a profile)",
                        o=", ".join(others)) if others else ""))
    return out
