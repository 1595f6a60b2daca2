"""Which assessment each month of a ledger goes to: the assessment of that month's year.

A ledger spanning two years (a fiscal year 2024-07 … 2025-06) is split by month: each year's months are
stored as an import of that year's assessment, so that each year lists, removes and finalizes its own
data, and a final year is never changed by next year's import. A ledger of another year (the 2026 ledger
imported while the 2025 assessment is open) goes to the 2026 assessment.

Nothing is created silently: when a year has no assessment, :func:`route` refuses naming the months
(the app asks whether to create it; the CLI says how). Storing the months for an assessment that does
not exist yet was not chosen: they would count in that year's energy figures (which are read by month)
with no assessment listing them, so nobody could see, remove or finalize them.
"""

from __future__ import annotations

from greendesk.core.errors import UserError


def months_by_year(plan) -> dict[int, list[str]]:
    """The months the plan would store, by year: ``{2024: ["2024-07", …], 2025: [...]}``."""
    out: dict[int, set[str]] = {}
    for _m, _c, _u, period, _v, _r in plan.records():
        out.setdefault(int(period[:4]), set()).add(period[:7])
    return {y: sorted(ms) for y, ms in sorted(out.items())}


def _span(months: list[str]) -> str:
    return months[0] if len(months) == 1 else f"{months[0]} … {months[-1]}"


def assessment_of_year(ws, year: int) -> dict | None:
    """The assessment of ``year`` (the newest when there are several)."""
    rows = [a for a in ws.assessments() if int(a["year"]) == int(year)]
    return max(rows, key=lambda a: a["id"]) if rows else None


def targets(ws, assessment_id: int, plan) -> tuple[dict[int, int], dict[int, list[str]]]:
    """(``{year: assessment id}`` for the years that have an assessment, ``{year: months}`` for those without).

    The months of the chosen assessment's own year go to it; every other year to that year's assessment.
    """
    own = ws.assessment(assessment_id)
    found: dict[int, int] = {}
    missing: dict[int, list[str]] = {}
    for year, months in months_by_year(plan).items():
        if year == int(own["year"]):
            found[year] = assessment_id
            continue
        a = assessment_of_year(ws, year)
        if a is None:
            missing[year] = months
        else:
            found[year] = a["id"]
    return found, missing


def route(ws, assessment_id: int, plan) -> dict[int, int]:
    """``{year: assessment id}`` for every year in the plan; refuses (nothing written) when a year has no
    assessment or its assessment is final, naming the months."""
    found, missing = targets(ws, assessment_id, plan)
    if missing:
        years = sorted(missing)
        what_zh = "；".join(f"{y} 年（{_span(missing[y])}，{len(missing[y])} 个月）" for y in years)
        what_en = "; ".join(f"{y} ({_span(missing[y])}, {len(missing[y])} months)" for y in years)
        ys = "、".join(map(str, years))
        cmd = " ".join(f"greendesk assess-new FILE --year {y}" for y in years)
        raise UserError(f"台账中有 {what_zh} 的数据，但工作区中没有 {ys} 年的评价，未导入任何数据。",
                        f"The ledger holds months of {what_en}, but the workspace has no assessment for "
                        f"{', '.join(map(str, years))}. Nothing was imported.",
                        hint_zh=f"先新建该年的评价（{cmd}），再导入；或只导入本年月份的台账。",
                        hint_en=f"Create that year's assessment first ({cmd}) and import again, or import a "
                                "ledger of this year's months only.")
    months = months_by_year(plan)
    for year, aid in found.items():
        if ws.is_final(aid):
            raise UserError(f"台账中有 {year} 年（{_span(months[year])}）的数据，但 {year} 年的评价已定稿，"
                            "未导入任何数据。",
                            f"The ledger holds months of {year} ({_span(months[year])}), but the {year} "
                            "assessment is final. Nothing was imported.",
                            hint_zh=f"如需更正 {year} 年的数据，先重新打开该年的评价（greendesk reopen）；"
                                    "否则只导入其他年份的台账。",
                            hint_en=f"To correct {year}'s data, reopen that assessment first (greendesk reopen); "
                                    "otherwise import a ledger without those months.")
    return found
