"""The three-year check: each key indicator of the annual return judged against the requirement it was
listed under (its value in the listing year, and the scheme's 基准值 where one is set) and against its
own trend over the last three years.

An indicator is flagged when it worsened two years running, when it is worse than at listing, or when
it is worse than the 基准值. A year without a figure is reported as missing, never judged as zero.
The findings are data: the check itself never fails.
"""

from __future__ import annotations

from greendesk.core.annual.returns import (
    YearData,
    _unit,
    compute_year,
    default_year,
    judge,
    listing_year,
)
from greendesk.core.annual.template import Template, load_template
from greendesk.core.i18n import language, pick


def _fmt(v: float | None) -> str:
    if v is None:
        return "-"
    a = abs(v)
    digits = 0 if a >= 1000 else 1 if a >= 100 else 2 if a >= 1 else 4
    return f"{v:,.{digits}f}"


def _reason(code: str, label: str, unit: str, **kw) -> dict:
    u = f" {unit}" if unit else ""
    if code == "worsened_two_years":
        zh = (f"连续两年变差：{kw['y2']} 年 {_fmt(kw['v2'])}{u} → {kw['y1']} 年 {_fmt(kw['v1'])}{u} → "
              f"{kw['y0']} 年 {_fmt(kw['v0'])}{u}。")
        en = (f"worsened two years running: {kw['y2']} {_fmt(kw['v2'])}{u} → {kw['y1']} {_fmt(kw['v1'])}{u} → "
              f"{kw['y0']} {_fmt(kw['v0'])}{u}.")
        azh = (f"查明“{label}”变差的原因（产量与产品结构、设备运行、计量范围是否变化），在动态管理表中说明，"
               "并列出改进措施和完成时间；复核台账是否完整。")
        aen = (f"Find out why '{label}' got worse (output and product mix, equipment, metering boundary), explain it "
               "in the return with the measures and dates to improve it, and check that the ledgers are complete.")
    elif code == "worse_than_listing":
        zh = f"比认定时（{kw['ly']} 年 {_fmt(kw['vl'])}{u}）差：{kw['y0']} 年 {_fmt(kw['v0'])}{u}。"
        en = f"worse than when listed ({kw['ly']}: {_fmt(kw['vl'])}{u}): {kw['y0']} {_fmt(kw['v0'])}{u}."
        azh = (f"“{label}”已不及认定时的水平，近三年持续不符合要求的将被现场复核：制定整改计划，"
               "在下一次填报前恢复到认定水平，或在动态管理表中说明原因（如边界或产品变化）。")
        aen = (f"'{label}' is below the level the factory was listed at; indicators that stay below the requirement "
               "lead to an on-site review: plan the corrections to regain the listed level before the next return, or "
               "explain the reason (e.g. a change of boundary or products) in the return.")
    elif code == "worse_than_baseline":
        zh = f"未达到基准值 {_fmt(kw['b'])}{u}（{kw['y0']} 年 {_fmt(kw['v0'])}{u}）。"
        en = f"does not reach the 基准值 {_fmt(kw['b'])}{u} ({kw['y0']}: {_fmt(kw['v0'])}{u})."
        azh = f"“{label}”低于评价方案的基准值，该指标得 0 分：核对数据和基准值来源，并制定达到基准值的措施。"
        aen = (f"'{label}' is below the scheme's 基准值 and scores 0: check the figure and where the 基准值 comes "
               "from, and plan the measures to reach it.")
    elif code == "missing_year":
        gaps = kw["gaps"]              # [(year, why zh, why en)]
        ys_zh = "、".join(str(g[0]) for g in gaps)
        ys_en = ", ".join(str(g[0]) for g in gaps)
        zh = "；".join(f"{y} 年没有数据（{w}）" for y, w, _e in gaps) + "：不按零计，无法判断。"
        en = "; ".join(f"no figure for {y} ({e})" for y, _w, e in gaps) + ": not counted as zero, cannot be judged."
        azh = f"补录 {ys_zh} 年的数据（导入台账、录入产量/产值或填写评价答案），动态管理表不能留空。"
        aen = (f"Enter the data for {ys_en} (import the ledgers, enter production, or answer the assessment); the "
               "return cannot be filed with gaps.")
    else:
        raise ValueError(code)
    return {"code": code, "message": {"zh": zh, "en": en}, "action": {"zh": azh, "en": aen}}


def check_years(ws, year: int | None = None, *, template: str | Template = "national", lang: str | None = None,
                _figures=None) -> dict:
    """The three-year check of the key rows of ``template`` for ``year`` (default: the latest assessment)."""
    lang = lang or language()
    tpl = template if isinstance(template, Template) else load_template(template)
    year = default_year(ws) if year is None else int(year)
    ly = listing_year(ws)
    years = [year - 2, year - 1, year]
    if _figures is not None:
        figures, data = _figures
    else:
        wanted = sorted(set(years) | ({ly} if ly is not None else set()))
        data = {yy: YearData(ws, yy) for yy in wanted}
        figures = {yy: compute_year(tpl, data[yy]) for yy in wanted}
    findings = []
    for row in tpl.rows:
        if not row.key:
            continue
        label = row.name(lang)
        unit = _unit(row, data[year])
        f2, f1, f0 = (figures[yy][row.id] for yy in years)
        v2, v1, v0 = f2["value"], f1["value"], f0["value"]
        reasons = []
        if f0.get("not_applicable"):
            findings.append({"id": row.id, "label": label, "unit": unit, "direction": row.direction,
                             "status": "not_applicable", "values": {}, "trend": [None, None], "listing_value": None,
                             "baseline": None, "reasons": []})
            continue
        gaps = [(yy, pick(fig["detail"], "zh"), pick(fig["detail"], "en"))
                for yy, fig in zip(years, (f2, f1, f0), strict=True)
                if fig["value"] is None and not fig.get("not_applicable")]
        if gaps:
            reasons.append(_reason("missing_year", label, unit, gaps=gaps))
        trend = [judge(row.direction, v2, v1), judge(row.direction, v1, v0)]
        if trend == ["worse", "worse"]:
            reasons.append(_reason("worsened_two_years", label, unit, y2=year - 2, y1=year - 1, y0=year,
                                   v2=v2, v1=v1, v0=v0))
        vl = figures[ly][row.id]["value"] if ly is not None else None
        if ly is not None and ly != year and judge(row.direction, vl, v0) == "worse":
            reasons.append(_reason("worse_than_listing", label, unit, ly=ly, vl=vl, y0=year, v0=v0))
        baseline = None
        if row.benchmark and v0 is not None:
            ind = data[year].indicators.get(row.benchmark)
            if ind and ind.get("baseline") is not None and (ind.get("unit") or "") == row.unit:
                baseline = float(ind["baseline"])
                if judge(row.direction, baseline, v0) == "worse":
                    reasons.append(_reason("worse_than_baseline", label, unit, b=baseline, y0=year, v0=v0))
        flagged = any(r["code"] != "missing_year" for r in reasons)
        status = "flagged" if flagged else ("missing" if v0 is None or any(r["code"] == "missing_year" for r in reasons)
                                            else "ok")
        findings.append({
            "id": row.id, "label": label, "unit": unit, "direction": row.direction, "status": status,
            "values": {str(yy): (None if figures[yy][row.id]["value"] is None else round(figures[yy][row.id]["value"], 6))
                       for yy in sorted(set(years) | ({ly} if ly is not None else set()))},
            "trend": trend, "listing_value": None if vl is None else round(vl, 6), "baseline": baseline,
            "reasons": [{"code": r["code"], "message": pick(r["message"], lang), "action": pick(r["action"], lang)}
                        for r in reasons],
        })
    score = _score_check(data, years, ly, lang)
    counts = {s: sum(1 for f in findings if f["status"] == s) for s in ("flagged", "missing", "ok", "not_applicable")}
    out = {"year": year, "years": years, "listing_year": ly, "template": tpl.id, "counts": counts,
           "findings": findings, "score": score}
    if ly is None:
        out["notes"] = [pick({"zh": "未设置认定年份，未与认定时的水平比较（greendesk annual-return FILE --listing-year YYYY）。",
                              "en": "The listing year is not set, so nothing was compared with the listed level "
                                    "(greendesk annual-return FILE --listing-year YYYY)."}, lang)]
    return out


def _score_check(data: dict, years: list[int], ly: int | None, lang: str) -> dict:
    """The total score of each year, and whether it fell below the listing year's score (same scheme only:
    a 2018 score and a 2025 score are on different scales)."""
    year = years[-1]
    totals = {str(y): (data[y].score_summary() or {}).get("total") for y in sorted(data)}
    out: dict = {"totals": totals, "scheme": (data[year].score_summary() or {}).get("scheme"), "status": "ok",
                 "reasons": []}
    cur, base = data[year].score_summary(), data[ly].score_summary() if ly is not None else None
    if cur is None:
        out["status"] = "missing"
        return out
    if base is None or ly == year:
        out["status"] = "not_judged"
        return out
    if base["scheme"] != cur["scheme"]:
        out["status"] = "not_judged"
        out["reasons"].append({"code": "other_scheme", "message": pick(
            {"zh": f"认定年（{ly}）按 {base['scheme']} 评分，{year} 年按 {cur['scheme']}，两者分值不可比。",
             "en": f"The listing year ({ly}) was scored under {base['scheme']} and {year} under {cur['scheme']}: "
                   "the scores are not comparable."}, lang), "action": pick(
            {"zh": "按新方案对照认定时的水平，逐项比较关键指标（见上表）。",
             "en": "Compare the key indicators one by one (above) against the level at listing."}, lang)})
        return out
    if cur["total"] + 1e-9 < base["total"]:
        out["status"] = "flagged"
        out["reasons"].append({"code": "score_below_listing", "message": pick(
            {"zh": f"{year} 年总分 {cur['total']:g} 低于认定年（{ly}）的 {base['total']:g}。",
             "en": f"The {year} total score {cur['total']:g} is below the listing year's ({ly}) {base['total']:g}."},
            lang), "action": pick(
            {"zh": "查看评分结果中失分最多的指标（greendesk score），优先整改。",
             "en": "Look at the indicators that lost the most points (greendesk score) and correct them first."},
            lang)})
    return out
