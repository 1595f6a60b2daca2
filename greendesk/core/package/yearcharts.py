"""The report's charts across years (reportlab graphics): each carrier's months with one bar per year, and
each key indicator of the annual return year by year (the listing year in grey). Left out when fewer
than two years have figures. A missing month or year is a gap, labelled "—", never a zero bar.

Collected by :func:`collect_years` (called from ``package.data.collect_report_data``) and drawn by
:func:`section`, the one call in ``package.report``.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib import colors

YEAR_COLOURS = ["#9fb8d6", "#4f7fb8", "#1f3f73", "#b0803a", "#6a1b9a"]
LISTING_COLOUR = "#8d8d8d"
WIDTH, HEIGHT = 440, 170
FS = 7.5


def _tx(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def collect_years(ws, year: int, lang: str) -> dict | None:
    """What the charts need for ``year`` and the two years before (the listing year too); None when fewer
    than two of those years have any figure (nothing to compare)."""
    from greendesk.core.annual.returns import build_return
    from greendesk.core.annual.series import indicators, years_with_data
    from greendesk.core.errors import UserError

    try:
        doc = build_return(ws, int(year), lang=lang, with_check=False)
    except UserError:
        return None
    if len(years_with_data(doc)) < 2:
        return None
    return {"year": doc["year"], "years": doc["years"], "listing_year": doc.get("listing_year"),
            "monthly": doc["monthly"], "indicators": indicators(doc)}


def _fmt(v: float) -> str:
    from greendesk.core.package.data import fmt_num

    a = abs(v)
    return fmt_num(v, 0 if a >= 1000 else 1 if a >= 100 else 2)


def _font() -> str:
    from greendesk.core.package.report import FONT, register_fonts

    register_fonts()
    return FONT


def monthly_chart(c: dict, lang: str) -> Drawing:
    font = _font()
    years = sorted(c["years"])
    d = Drawing(WIDTH, HEIGHT + 18)
    d.add(String(WIDTH / 2, HEIGHT + 6, f"{c['label']}（{c['unit']}）" if lang == "zh" else f"{c['label']} ({c['unit']})",
                 fontName=font, fontSize=FS + 1.5, textAnchor="middle"))
    ch = VerticalBarChart()
    ch.x, ch.y, ch.width, ch.height = 52, 24, WIDTH - 130, HEIGHT - 34
    ch.data = [[v for v in c["years"][y]] for y in years]
    ch.categoryAxis.categoryNames = [f"{m}月" if lang == "zh" else str(m) for m in range(1, 13)]
    for ax in (ch.categoryAxis.labels, ch.valueAxis.labels):
        ax.fontName, ax.fontSize = font, FS
    ch.valueAxis.valueMin = 0
    ch.valueAxis.labelTextFormat = _fmt
    ch.valueAxis.visibleGrid = True
    ch.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    ch.barSpacing = 0.5
    ch.groupSpacing = 4
    for i in range(len(years)):
        ch.bars[i].fillColor = colors.HexColor(YEAR_COLOURS[(i + max(0, 3 - len(years))) % len(YEAR_COLOURS)])
        ch.bars[i].strokeColor = None
    d.add(ch)
    lg = Legend()
    lg.x, lg.y = WIDTH - 60, HEIGHT - 16
    lg.fontName, lg.fontSize = font, FS
    lg.columnMaximum = 6
    missing = [y for y in years if all(v is None for v in c["years"][y])]
    lg.colorNamePairs = [(ch.bars[i].fillColor, y + (_tx(lang, "（无数据）", " (no data)") if y in missing else ""))
                         for i, y in enumerate(years)]
    d.add(lg)
    return d


def _one_indicator(r: dict, listing: int | None, x: float, w: float, h: float, font: str, lang: str) -> Group:
    g = Group()
    years = sorted(r["values"])
    title = f"{r['label']}（{r['unit']}）" if lang == "zh" else f"{r['label']} ({r['unit']})"
    per_line = int(w / (FS + 0.5)) if lang == "zh" else int(w / (FS * 0.5))
    lines = [title[i:i + per_line] for i in range(0, len(title), per_line)][:2]
    for k, line in enumerate(lines):
        g.add(String(x + w / 2, h + 6 - k * (FS + 2), line, fontName=font, fontSize=FS, textAnchor="middle"))
    vals = [r["values"][y] for y in years]
    ch = VerticalBarChart()
    ch.x, ch.y, ch.width, ch.height = x + 30, 20, w - 40, h - 40
    ch.data = [vals]
    ch.categoryAxis.categoryNames = [f"{y}{_tx(lang, '（认定）', ' (listed)')}" if listing is not None and int(y) == listing
                                     else y for y in years]
    for ax in (ch.categoryAxis.labels, ch.valueAxis.labels):
        ax.fontName, ax.fontSize = font, FS - 1
    known = [v for v in vals if v is not None]
    ch.valueAxis.valueMin = min(0.0, *known) if known else 0.0
    if known and max(known) <= 0:
        ch.valueAxis.valueMax = 1.0
    ch.valueAxis.labelTextFormat = _fmt
    ch.bars[0].strokeColor = None
    ch.bars[0].fillColor = colors.HexColor(YEAR_COLOURS[1])
    others = [y for y in years if listing is None or int(y) != listing]
    for j, y in enumerate(years):
        col = LISTING_COLOUR if listing is not None and int(y) == listing else \
            YEAR_COLOURS[(others.index(y) + max(0, 3 - len(others))) % len(YEAR_COLOURS)]
        ch.bars[(0, j)].fillColor = colors.HexColor(col)
    ch.barLabelFormat = lambda v: "—" if v is None else _fmt(v)
    ch.barLabels.fontName, ch.barLabels.fontSize = font, FS - 1
    ch.barLabels.nudge = 6
    g.add(ch)
    # a missing year: its "—" at the axis (a None bar draws nothing)
    slot = ch.width / max(1, len(years))
    for j, v in enumerate(vals):
        if v is None:
            g.add(String(ch.x + slot * (j + 0.5), ch.y + 3, "—", fontName=font, fontSize=FS, textAnchor="middle",
                         fillColor=colors.HexColor("#b26a00")))
    return g


def indicator_rows(inds: list[dict], listing: int | None, lang: str) -> list[Drawing]:
    """The key indicators, three to a drawing."""
    font = _font()
    out = []
    w, h = WIDTH / 3, 130
    for k in range(0, len(inds), 3):
        d = Drawing(WIDTH, h + 14)
        for j, r in enumerate(inds[k:k + 3]):
            d.add(_one_indicator(r, listing, j * w, w, h, font, lang))
        out.append(d)
    return out


def flowables(y: dict, lang: str) -> list[Any]:
    """The drawings: one per carrier, then the key indicators three to a row."""
    out: list[Any] = [monthly_chart(c, lang) for c in y["monthly"]]
    out += indicator_rows(y["indicators"], y.get("listing_year"), lang)
    return out


def section(rb) -> list[Any]:
    """The report's part "years side by side" (``rb``: the report builder, for its headings and styles);
    empty when the data has no second year."""
    y = getattr(rb.d, "years", None)
    if not y:
        return []
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

    from greendesk.core.package.report import P

    lang = rb.lang
    ys = y["years"]
    out: list[Any] = [CondPageBreak(70 * mm), rb.h(_tx(lang, f"逐年对比（{ys[0]}–{ys[-1]}）",
                                                       f"Years side by side ({ys[0]}–{ys[-1]})"), 2)]
    out.append(P(_tx(lang, "各能源品种逐月用量（每年一色，颜色越深年份越近），及动态管理表关键指标的逐年数值"
                           "（灰色为认定年）。缺失的月份或年份不画柱、标“—”，不按零计。",
                     "Each carrier's monthly use (one colour per year, darker is more recent) and the annual return's "
                     "key indicators year by year (the listing year in grey). A missing month or year has no bar "
                     "and is marked '—': missing is not zero."), rb.st["indent"]))
    for f in flowables(y, lang):
        out += [KeepTogether([f]), Spacer(1, 2 * mm)]
    return out
