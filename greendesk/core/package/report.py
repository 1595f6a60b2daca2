"""The self-evaluation report as a PDF (reportlab platypus), from a :class:`ReportData`.

Layout and fixed texts come from ``templates/report/layout.yaml`` and ``texts.yaml``.
Every font is the bundled WenQuanYi Micro Hei (TrueType, embedded as a subset), so the
PDF never relies on the reader's fonts. The visible signature (seal image, signer, date)
is drawn here, before signing, because pyHanko's own text stamps garble Chinese.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as _canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from greendesk.core.errors import Cancelled
from greendesk.core.gcpause import gc_paused
from greendesk.core.i18n import pick
from greendesk.core.package import yearcharts
from greendesk.core.package.data import ReportData, fmt_num
from greendesk.core.package.tagging import TaggedFrame, TaggingCanvasMixin
from greendesk.core.package.templates import layout, texts
from greendesk.core.paths import resources_dir
from greendesk.core.textsafety import escape_controls

FONT = "WQYMicroHei"
MONO = "WQYMicroHeiMono"
SYMBOLS = "GreenDeskSymbols"


def escape(text: Any) -> str:
    """Text for paragraph markup: control characters and bidi overrides from older workspaces shown as
    \\uXXXX (never sent to the PDF as invisible or reordering characters), then XML-escaped."""
    return _xml_escape(escape_controls(str(text).replace("\r\n", "\n")))


@cache
def register_fonts() -> str:
    """Register the bundled CJK font (once per process); returns its name."""
    f = layout()["font"]
    path = resources_dir() / f["file"]
    from greendesk.core.package.pdfa import repair_hmetrics

    fonts = [TTFont(FONT, str(path), subfontIndex=int(f.get("subfont_index", 0))), TTFont(MONO, str(path), subfontIndex=1)]
    sym = layout().get("symbol_font")
    if sym:
        fonts.append(TTFont(SYMBOLS, str(resources_dir() / sym["file"])))
    for font in fonts:
        repair_hmetrics(font)  # PDF/A: the embedded subsets' widths must equal /Widths
        pdfmetrics.registerFont(font)
    # No bold or italic cut: map them to the same face so <b>/<i> never fall back to Helvetica.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO, italic=MONO, boldItalic=MONO)
    # reportlab.graphics starts every drawing with this font; Helvetica would be referenced unembedded.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = FONT
    return FONT


def _c(hexstr: str) -> colors.Color:
    return colors.HexColor(hexstr)


class _T:
    """Texts in the report's language: ``tx("part1.title")``."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, key: str, **kw) -> str:
        node: Any = texts()
        for part in key.split("."):
            node = node[part]
        s = pick(node, self.lang)
        return s.format(**kw) if kw else s

    def raw(self, key: str) -> Any:
        node: Any = texts()
        for part in key.split("."):
            node = node[part]
        return node


def _styles() -> dict[str, ParagraphStyle]:
    L = layout()
    ty, col = L["type"], L["colour"]
    text, accent, muted = _c(col["text"]), _c(col["accent"]), _c(col["muted"])
    base = dict(fontName=FONT, wordWrap="CJK", textColor=text)
    s = {
        "body": ParagraphStyle("body", fontSize=ty["body"]["size"], leading=ty["body"]["leading"],
                               firstLineIndent=0, spaceAfter=4, **base),
        "indent": ParagraphStyle("indent", fontSize=ty["body"]["size"], leading=ty["body"]["leading"],
                                 firstLineIndent=2 * ty["body"]["size"], spaceAfter=4, **base),
        "small": ParagraphStyle("small", fontSize=ty["small"]["size"], leading=ty["small"]["leading"], **base),
        "muted": ParagraphStyle("muted", fontSize=ty["small"]["size"], leading=ty["small"]["leading"],
                                fontName=FONT, wordWrap="CJK", textColor=muted),
        "cell": ParagraphStyle("cell", fontSize=ty["table"]["size"], leading=ty["table"]["leading"], **base),
        "cell_r": ParagraphStyle("cell_r", fontSize=ty["table"]["size"], leading=ty["table"]["leading"],
                                 alignment=TA_RIGHT, **base),
        "cell_c": ParagraphStyle("cell_c", fontSize=ty["table"]["size"], leading=ty["table"]["leading"],
                                 alignment=TA_CENTER, **base),
        "cell_head": ParagraphStyle("cell_head", fontSize=ty["table"]["size"], leading=ty["table"]["leading"],
                                    alignment=TA_CENTER, **base),
        "hash": ParagraphStyle("hash", fontName=MONO, fontSize=6.8, leading=9, wordWrap="CJK", textColor=text),
        "h1": ParagraphStyle("h1", fontSize=ty["h1"]["size"], leading=ty["h1"]["leading"],
                             spaceBefore=ty["h1"]["space_before"], spaceAfter=ty["h1"]["space_after"],
                             fontName=FONT, wordWrap="CJK", textColor=accent, alignment=TA_CENTER),
        "h2": ParagraphStyle("h2", fontSize=ty["h2"]["size"], leading=ty["h2"]["leading"],
                             spaceBefore=ty["h2"]["space_before"], spaceAfter=ty["h2"]["space_after"],
                             fontName=FONT, wordWrap="CJK", textColor=accent, keepWithNext=1),
        "h3": ParagraphStyle("h3", fontSize=ty["h3"]["size"], leading=ty["h3"]["leading"],
                             spaceBefore=ty["h3"]["space_before"], spaceAfter=ty["h3"]["space_after"],
                             fontName=FONT, wordWrap="CJK", textColor=text, keepWithNext=1),
        "cover_title": ParagraphStyle("cover_title", fontSize=ty["cover_title"]["size"],
                                      leading=ty["cover_title"]["leading"], alignment=TA_CENTER,
                                      fontName=FONT, wordWrap="CJK", textColor=text),
        "cover_sub": ParagraphStyle("cover_sub", fontSize=ty["h2"]["size"], leading=ty["h2"]["leading"],
                                    alignment=TA_CENTER, fontName=FONT, wordWrap="CJK", textColor=muted),
        "cover_field": ParagraphStyle("cover_field", fontSize=ty["cover_field"]["size"],
                                      leading=ty["cover_field"]["leading"], **base),
        "cover_foot": ParagraphStyle("cover_foot", fontSize=ty["body"]["size"], leading=ty["body"]["leading"],
                                     alignment=TA_CENTER, fontName=FONT, wordWrap="CJK", textColor=muted),
        "toc1": ParagraphStyle("toc1", fontSize=ty["body"]["size"] + 0.5, leading=ty["body"]["leading"] + 2,
                               leftIndent=0, fontName=FONT, wordWrap="CJK", textColor=text),
        "toc2": ParagraphStyle("toc2", fontSize=ty["body"]["size"] - 0.5, leading=ty["body"]["leading"] - 1,
                               leftIndent=18, fontName=FONT, wordWrap="CJK", textColor=text),
    }
    return s


def _x(text: Any) -> str:
    """Plain text as paragraph markup: escaped, and the symbols the CJK font lacks (⚠) in the symbol font."""
    s = escape(str(text))
    for ch in layout().get("symbol_font", {}).get("chars", ""):
        s = s.replace(ch, f'<font name="{SYMBOLS}">{ch}</font>')
    return s


def P(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain (user) text: escaped, line breaks kept."""
    return Paragraph(_x(text if text not in (None, "") else "—").replace("\n", "<br/>"), style)


def fit_line(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut (with …) to fit one line of ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if pdfmetrics.stringWidth(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"


def _fmt_date(d: _dt.date, lang: str) -> str:
    return f"{d.year} 年 {d.month} 月 {d.day} 日" if lang == "zh" else d.strftime("%d %B %Y").lstrip("0")


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


class _Heading(Paragraph):
    """A heading that goes into the table of contents and the PDF outline."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str, toc_text: str | None = None):
        super().__init__(escape(text), style)
        self.toc_level = level
        self.toc_text = toc_text or text
        self.toc_key = key


class SealBox(Flowable):
    """The place for the seal and the signature on the commitment page.

    Draws the seal image (if any) with the signer's name and the date over it, or a
    dashed box saying where the seal goes. Records its page and rectangle in ``sink``
    so the signature field can be put on top of it.
    """

    def __init__(self, width: float, height: float, *, seal_png: bytes | None, lines: list[str],
                 placeholder: str, sink: dict):
        super().__init__()
        self.width, self.height = width, height
        self.seal_png, self.lines, self.placeholder, self.sink = seal_png, lines, placeholder, sink
        self.alt_text = " ".join(lines) or placeholder   # the Figure's alternate text (tagging.py)

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        c = self.canv
        L = layout()
        c.saveState()
        size = 8.5
        text_h = (size * 1.4 * len(self.lines) + 3) if self.lines else 0
        area_h = self.height - text_h              # the seal sits above the signer's lines
        if self.seal_png:
            img = ImageReader(io.BytesIO(self.seal_png))
            iw, ih = img.getSize()
            w = min(L["cover"]["seal_image_mm"] * mm, self.width)
            h = w * ih / iw
            if h > area_h:
                h = area_h
                w = h * iw / ih
            c.drawImage(img, (self.width - w) / 2, text_h + (area_h - h) / 2, w, h, mask="auto")
        else:
            c.setStrokeColor(_c(L["colour"]["table_grid"]))
            c.setDash(3, 3)
            c.rect(0, text_h, self.width, area_h)
            c.setDash()
            c.setFillColor(_c(L["colour"]["muted"]))
            c.setFont(FONT, 9)
            c.drawCentredString(self.width / 2, text_h + area_h / 2 - 3, self.placeholder)
        if self.lines:
            c.setFillColor(_c(L["colour"]["text"]))
            y = 2 + size * 1.4 * (len(self.lines) - 1)
            for line in self.lines:
                while pdfmetrics.stringWidth(line, FONT, size) > self.width and size > 5:
                    size -= 0.5
                line = fit_line(line, FONT, size, self.width)  # a very long signer name is cut, not overflowing
                c.setFont(FONT, size)
                c.drawCentredString(self.width / 2, y, line)
                y -= size * 1.4
        c.restoreState()
        x0, y0 = c.absolutePosition(0, 0)
        x1, y1 = c.absolutePosition(self.width, self.height)
        self.sink["page"] = c.getPageNumber() - 1
        self.sink["rect"] = (x0, y0, x1, y1)


class _NumberedCanvas(TaggingCanvasMixin, _canvas.Canvas):
    """Writes "page x of y" once the page count is known; tags the content (tagging.py)."""

    footer: Callable[[Any, int, int], None] | None = None
    last: _NumberedCanvas | None = None   # the canvas of the last pass, whose struct_log is the file's

    def __init__(self, *a, **kw):
        # The page preamble selects an initial font; make it ours, or Helvetica (never embedded) is referenced.
        kw["initialFontName"] = kw.get("initialFontName") or FONT
        kw.setdefault("pdfVersion", (1, 7))  # the version PDF/A-3 is built on (pdfa.py keeps the catalog at it)
        super().__init__(*a, **kw)
        self._pages: list[dict] = []
        self.init_tagging()
        type(self).last = self

    # PDF/A: every annotation printable (/F 4); reportlab writes links without /F.
    def linkRect(self, *a, **kw):
        kw.setdefault("F", 4)
        return super().linkRect(*a, **kw)

    def linkURL(self, *a, **kw):
        kw.setdefault("F", 4)
        return super().linkURL(*a, **kw)

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()
        self.tagging_new_page()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if type(self).footer is not None:
                opened = self.begin_artifact()
                type(self).footer(self, self._pageNumber, total)
                self.end_artifact(opened)
            super().showPage()
        super().save()


class _Doc(BaseDocTemplate):
    def __init__(self, out, *, hook: Callable[[], None] | None, **kw):
        super().__init__(out, **kw)
        self._hook = hook

    def afterFlowable(self, flowable):
        if isinstance(flowable, _Heading):
            self.notify("TOCEntry", (flowable.toc_level, flowable.toc_text, self.page, flowable.toc_key))
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(flowable.toc_text, flowable.toc_key, level=flowable.toc_level,
                                      closed=flowable.toc_level > 0)
        if self._hook:
            self._hook()


# --- charts ----------------------------------------------------------------------

def _chart_colours() -> list:
    return [_c(x) for x in layout()["colour"]["chart"]]


def _month_label(m: str, lang: str) -> str:
    try:
        n = int(str(m)[5:7])
    except ValueError:
        return str(m)
    return f"{n}月" if lang == "zh" else ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                           "Nov", "Dec"][n - 1]


def energy_chart(energy: dict, title: str, lang: str) -> Drawing:
    """Monthly tce stacked by carrier (each carrier's month scaled by its own tce/total)."""
    L = layout()
    W, H = L["chart"]["width"], L["chart"]["height"]
    fs = L["chart"]["label_size"]
    months = energy["months"]
    series, names = [], []
    for c in energy["carriers"]:
        if not c.get("tce") or not c.get("total"):
            continue
        k = c["tce"] / c["total"]
        series.append([(c["months"].get(m) or 0) * k for m in months])
        names.append(c["name"])
    d = Drawing(W, H + 18)
    d.add(String(W / 2, H + 6, title, fontName=FONT, fontSize=fs + 1.5, textAnchor="middle"))
    if not series:
        return d
    ch = VerticalBarChart()
    ch.x, ch.y, ch.width, ch.height = 42, 26, W - 150, H - 36
    ch.data = series
    ch.categoryAxis.categoryNames = [_month_label(m, lang) for m in months]
    ch.categoryAxis.style = "stacked"
    ch.categoryAxis.labels.fontName = FONT
    ch.categoryAxis.labels.fontSize = fs
    ch.valueAxis.labels.fontName = FONT
    ch.valueAxis.labels.fontSize = fs
    ch.valueAxis.valueMin = 0
    ch.valueAxis.labelTextFormat = lambda v: fmt_num(v, 0)
    ch.valueAxis.visibleGrid = True
    ch.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    ch.barWidth = 8
    cols = _chart_colours()
    for i in range(len(series)):
        ch.bars[i].fillColor = cols[i % len(cols)]
        ch.bars[i].strokeColor = None
    d.add(ch)
    lg = Legend()
    lg.x, lg.y = W - 100, H - 16
    lg.fontName, lg.fontSize = FONT, fs
    lg.alignment = "right"
    lg.columnMaximum = 8
    lg.colorNamePairs = [(cols[i % len(cols)], n) for i, n in enumerate(names)]
    d.add(lg)
    return d


def score_chart(sections: list[dict], title: str, lang: str, score_label: str, max_label: str) -> Drawing:
    L = layout()
    W = L["chart"]["width"]
    fs = L["chart"]["label_size"]
    rows = [s for s in sections if s.get("max")]
    bar_h = 18
    H = max(60, len(rows) * bar_h + 40)
    d = Drawing(W, H + 18)
    d.add(String(W / 2, H + 6, title, fontName=FONT, fontSize=fs + 1.5, textAnchor="middle"))
    if not rows:
        return d
    ch = HorizontalBarChart()
    ch.x, ch.y, ch.width, ch.height = 150, 24, W - 250, H - 30
    names = []
    for s in rows:
        n = s["title"]
        limit = 14 if lang == "zh" else 28
        names.append(n if len(n) <= limit else n[: limit - 1] + "…")
    ch.data = [[s.get("score") or 0 for s in rows], [s["max"] for s in rows]]
    ch.categoryAxis.categoryNames = names
    ch.categoryAxis.reverseDirection = True
    ch.categoryAxis.labels.fontName = FONT
    ch.categoryAxis.labels.fontSize = fs
    ch.categoryAxis.labels.boxAnchor = "e"
    ch.valueAxis.labels.fontName = FONT
    ch.valueAxis.labels.fontSize = fs
    ch.valueAxis.valueMin = 0
    ch.valueAxis.visibleGrid = True
    ch.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    ch.barLabelFormat = lambda v: fmt_num(v, 1)
    ch.barLabels.fontName = FONT
    ch.barLabels.fontSize = fs - 0.5
    ch.barLabels.boxAnchor = "w"
    ch.barLabels.dx = 2
    cols = _chart_colours()
    ch.bars[0].fillColor = cols[0]
    ch.bars[1].fillColor = colors.HexColor("#cfd8d3")
    ch.bars[0].strokeColor = ch.bars[1].strokeColor = None
    ch.groupSpacing = 4
    d.add(ch)
    lg = Legend()
    lg.x, lg.y = W - 62, H - 10
    lg.fontName, lg.fontSize = FONT, fs
    lg.colorNamePairs = [(cols[0], score_label), (colors.HexColor("#cfd8d3"), max_label)]
    d.add(lg)
    return d


# --- the document -------------------------------------------------------------------

def declaration_section(builder) -> list:
    """The 申报表 part (greendesk.core.declaration.report_section)."""
    from greendesk.core.declaration.report_section import section

    return section(builder)


class _Builder:
    def __init__(self, data: ReportData, *, signer: str | None, sign_date: _dt.date, seal_png: bytes | None,
                 files: list[dict]):
        self.d = data
        self.lang = data.lang
        self.tx = _T(data.lang)
        self.st = _styles()
        self.signer, self.sign_date, self.seal_png, self.files = signer, sign_date, seal_png, files
        L = layout()
        pg = L["page"]
        self.page_w, self.page_h = A4
        self.ml, self.mr = pg["margin_left"] * mm, pg["margin_right"] * mm
        self.mt, self.mb = pg["margin_top"] * mm, pg["margin_bottom"] * mm
        self.text_w = self.page_w - self.ml - self.mr
        self.seal_sink: dict = {}
        self._key = 0
        self.long_texts: list[tuple[str, str]] = []   # (what, full text) printed in the annex of long texts
        self.cell_chars = int(L.get("long_text", {}).get("cell_chars", 360))
        self.cover_chars = int(L.get("long_text", {}).get("cover_chars", 80))

    def cell(self, value: Any, style: ParagraphStyle | None = None, what: str = "", limit: int | None = None):
        """A table cell of user text; a text longer than ``limit`` is shortened here and printed in full
        in the annex of long texts (a cell taller than a page cannot be laid out)."""
        style = style or self.st["cell"]
        text = "" if value is None else str(value)
        if len(text) <= (limit or self.cell_chars):
            return P(text, style)
        return Paragraph(self.short_markup(text, what, limit), style)

    def short_markup(self, text: str, what: str, limit: int | None = None) -> str:
        """Markup of ``text``, shortened with a pointer to the annex when longer than ``limit``."""
        limit = limit or self.cell_chars
        if len(text) <= limit:
            return _x(text).replace("\n", "<br/>")
        self.long_texts.append((what, text))
        note = self.tx("long_text.see", n=len(self.long_texts))
        return (_x(text[: max(1, limit - 1)] + "…").replace("\n", "<br/>")
                + f'<br/><font color="{layout()["colour"]["muted"]}">{escape(note)}</font>')

    def prov(self, code: str | None) -> str:
        return self.tx(f"values.provenance.{code}") if code else "—"

    # helpers
    def key(self) -> str:
        self._key += 1
        return f"h{self._key}"

    def h(self, text: str, level: int, toc_text: str | None = None) -> _Heading:
        return _Heading(text, self.st["h1" if level == 0 else "h2" if level == 1 else "h3"], min(level, 1),
                        self.key(), toc_text) if level < 2 else Paragraph(escape(text), self.st["h3"])

    def table(self, rows: list[list], widths: list[float], *, head: bool = True, zebra: bool = True,
              align_right: tuple[int, ...] = ()) -> Table:
        col = layout()["colour"]
        t = Table(rows, colWidths=[w * self.text_w for w in widths], repeatRows=1 if head else 0, hAlign="LEFT")
        cmds = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), layout()["type"]["table"]["size"]),
            ("GRID", (0, 0), (-1, -1), 0.5, _c(col["table_grid"])),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if head:
            cmds.append(("BACKGROUND", (0, 0), (-1, 0), _c(col["table_head"])))
        if zebra:
            for r in range(1 if head else 0, len(rows)):
                if (r - (1 if head else 0)) % 2 == 1:
                    cmds.append(("BACKGROUND", (0, r), (-1, r), _c(col["zebra"])))
        t.setStyle(TableStyle(cmds))
        return t

    def head_row(self, key: str) -> list:
        return [Paragraph(escape(pick(h, self.lang)), self.st["cell_head"]) for h in self.tx.raw(key)]

    # pages
    def cover(self) -> list:
        f, a, tx, st = self.d.factory, self.d.assessment, self.tx, self.st
        loc = " ".join(x for x in dict.fromkeys((f.get("province"), f.get("city"))) if x) or "—"
        rows = [
            (tx("cover.fields.applicant"), f.get("name")),
            (tx("cover.fields.location"), loc),
            (tx("cover.fields.year"), str(a.get("year"))),
            (tx("cover.fields.scheme"), self.d.scheme["title"]),
            (tx("cover.fields.date"), _fmt_date(self.sign_date, self.lang)),
        ]
        trows = [[P(k + ("：" if self.lang == "zh" else ":"), st["cover_field"]),
                  self.cell(v, st["cover_field"], k, self.cover_chars)] for k, v in rows]
        t = Table(trows, colWidths=[0.30 * self.text_w, 0.56 * self.text_w], hAlign="CENTER")
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 9),
        ]))
        out: list = [Spacer(1, 52 * mm), P(tx("cover.title"), st["cover_title"]), Spacer(1, 4 * mm),
                     P(tx("cover.subtitle"), st["cover_sub"])]
        if a.get("status") != "final":
            out += [Spacer(1, 3 * mm), Paragraph(
                f'<font color="{layout()["colour"]["bad"]}">{escape(tx("cover.draft_mark"))}</font>',
                st["cover_sub"])]
        # long names make the field table taller: take it from the gaps, so the cover stays one page
        extra = max(0.0, t.wrap(self.text_w, self.page_h)[1] - 5 * 31)
        gap = max(6 * mm, 40 * mm - extra / 2)
        out[0] = Spacer(1, max(20 * mm, 52 * mm - max(0.0, extra - 68 * mm)))
        out += [Spacer(1, gap), t, Spacer(1, gap), P(tx("cover.footer"), st["cover_foot"]),
                NextPageTemplate("body"), PageBreak()]
        return out

    def notes(self) -> list:
        out: list = [P(self.tx("notes.title"), self.st["h1"])]
        for i, item in enumerate(self.tx.raw("notes.items"), 1):
            out.append(P(f"{i}. " + pick(item, self.lang).format(scheme=self.d.scheme["title"]), self.st["body"]))
        out.append(Spacer(1, 6 * mm))
        out.append(P(self.tx("basic.title"), self.st["h1"]))
        f = self.d.factory
        ind = " ".join(x for x in (f.get("industry_code"), f.get("industry_name")) if x)
        addr = "".join(x for x in dict.fromkeys((f.get("province"), f.get("city"), f.get("district"))) if x)
        full_addr = f.get("address") or ""
        if addr and not full_addr.startswith(addr):
            full_addr = addr + full_addr
        values = {   # in the MIIT template's order (schema 4 added its registration and contact fields)
            "name": f.get("name"), "uscc": f.get("uscc"), "registration_authority": f.get("registration_authority"),
            "established_on": f.get("established_on"), "registered_capital": f.get("registered_capital"),
            "business_term": f.get("business_term"), "industry": ind, "address": full_addr,
            "postcode": f.get("postcode"), "land_area": fmt_num(f.get("land_area_m2")), "ownership": f.get("ownership"),
            "legal_rep": f.get("legal_rep"), "contact_department": f.get("contact_department"),
            "contact": f.get("contact_name"), "phone": f.get("contact_phone"), "mobile": f.get("contact_mobile"),
            "fax": f.get("contact_fax"), "email": f.get("contact_email"), "description": f.get("description"),
        }
        rows = [[P(self.tx(f"basic.rows.{k}"), self.st["cell"]), self.cell(v, what=self.tx(f"basic.rows.{k}"))]
                for k, v in values.items()]
        t = self.table(rows, layout()["columns"]["basic_info"], head=False, zebra=False)
        t.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), _c(layout()["colour"]["table_head"]))]))
        out += [t, PageBreak()]
        return out

    def commitment(self) -> list:
        tx, st, f = self.tx, self.st, self.d.factory
        out: list = [P(tx("commitment.title"), st["h1"]), Spacer(1, 4 * mm)]
        body = [pick(para, self.lang) for para in tx.raw("commitment.body")]
        cm = self.d.commitment or {}
        if cm.get("claims") and not cm.get("all_made"):
            # an answer of 否 contradicts a statement of the fixed wording: declare only what the answers allow
            sep = "，" if self.lang == "zh" else "; "
            made = [c["statement"] for c in cm["claims"] if c["made"]]
            unmet = [tx("commitment.claim_against", statement=c["statement"],
                        fields=("、" if self.lang == "zh" else ", ").join(x["label"] for x in c["contradicted_by"]))
                     for c in cm["claims"] if not c["made"]]
            middle = [tx("commitment.claims_made", claims=sep.join(made))] if made else []
            middle.append(tx("commitment.claims_not_made", claims=("；" if self.lang == "zh" else "; ").join(unmet)))
            body = body[:1] + middle + body[2:]
        for para in body:
            out.append(P(para, st["indent"]))
        out.append(Spacer(1, 14 * mm))
        colon = "：" if self.lang == "zh" else ": "
        sw, sh = (x * mm for x in layout()["cover"]["seal_box"])
        lines = []
        if self.signer:
            lines = [tx("commitment.signed_by", signer=self.signer),
                     tx("commitment.signed_on", date=_fmt_date(self.sign_date, self.lang))]
        seal = SealBox(sw, sh, seal_png=self.seal_png, lines=lines, placeholder=tx("commitment.seal_place"),
                       sink=self.seal_sink)
        rows = [
            [P(tx("commitment.legal_rep") + colon, st["body"]),
             self.cell(f.get("legal_rep") or "", st["body"], tx("commitment.legal_rep"), self.cover_chars)],
            [P(tx("commitment.seal") + colon, st["body"]),
             self.cell(f.get("name"), st["body"], tx("commitment.seal"), self.cover_chars)],
            ["", seal],
            [P(tx("commitment.date") + colon, st["body"]), P(_fmt_date(self.sign_date, self.lang), st["body"])],
        ]
        t = Table(rows, colWidths=[0.36 * self.text_w, 0.54 * self.text_w], hAlign="RIGHT")
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (1, 0), (1, 1), 0.5, colors.black),
            ("LINEBELOW", (1, 3), (1, 3), 0.5, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]))
        out += [KeepTogether([t]), PageBreak()]
        return out

    def toc(self) -> list:
        toc = TableOfContents(dotsMinLevel=0, tableStyle=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        toc.levelStyles = [self.st["toc1"], self.st["toc2"]]
        return [P(self.tx("toc_title"), self.st["h1"]), toc, PageBreak()]

    def part1(self) -> list:
        tx, st, f, a = self.tx, self.st, self.d.factory, self.d.assessment
        out: list = [self.h(tx("part1.title"), 0), self.h(tx("part1.profile"), 1)]
        loc = "".join(x for x in dict.fromkeys((f.get("province"), f.get("city"), f.get("district"))) if x)
        ind = " ".join(x for x in (f.get("industry_code"), f.get("industry_name")) if x)
        out.append(P(tx("part1.profile_text", name=f.get("name") or "", location=loc or "—", industry=ind or "—",
                        land_area=fmt_num(f.get("land_area_m2")), legal_rep=f.get("legal_rep") or "—",
                        description=f.get("description") or ""), st["indent"]))
        out.append(self.h(tx("part1.assessment"), 1))
        status = pick(tx.raw("part1.status").get(a.get("status"), {"zh": a.get("status"), "en": a.get("status")}),
                      self.lang)
        out.append(P(tx("part1.assessment_text", scheme=self.d.scheme["title"], version=a.get("scheme_version"),
                        year=a.get("year"), status=status), st["indent"]))
        out += self.scope()
        out += self.figures()
        out.append(self.h(tx("part1.general_evidence"), 1))
        if self.d.general_evidence:
            out.append(self.evidence_table(self.d.general_evidence))
        else:
            out.append(P(tx("part1.general_evidence_none"), st["body"]))
        out.append(PageBreak())
        return out

    def evidence_table(self, ev: list[dict]) -> Table:
        rows = [self.head_row("appendix.head")]
        for e in ev:
            rows.append([self.cell(e["name"], what=self.tx("appendix.kinds.evidence")), P(_size(e.get("size")), self.st["cell_r"]),
                         P(e.get("sha256", ""), self.st["hash"])])
        return self.table(rows, layout()["columns"]["files"])

    def part2(self) -> list:
        tx, st, d = self.tx, self.st, self.d
        out: list = [self.h(tx("part2.title"), 0)]
        if d.sections and d.score:
            out += [P(tx("part2.overview_text"), st["indent"]),
                    score_chart(d.sections, tx("part2.overview"), self.lang,
                                pick(tx.raw("part4.score_head")[2], self.lang),
                                pick(tx.raw("part4.score_head")[3], self.lang))]
        if not d.sections:
            out.append(P(tx("part2.no_sections"), st["body"]))
        n = 0
        for sec in d.sections:
            n += 1
            title = f"（{_cn_num(n)}）{sec['title']}" if self.lang == "zh" else f"2.{n} {sec['title']}"
            shown = title
            if sec.get("max"):  # a section of basic requirements has no points: no "[0 / 0]"
                shown += f"  [{fmt_num(sec.get('score'), 1)} / {fmt_num(sec['max'], 1)}]"
            out.append(CondPageBreak(40 * mm))
            heading = self.h(shown, 1, toc_text=title)
            if not sec["indicators"]:
                out.append(heading)
            for j, ind in enumerate(sec["indicators"], 1):
                out += self.indicator(ind, n, j, lead=[heading] if j == 1 else None)
        n += 1
        out += self.energy(f"（{_cn_num(n)}）" if self.lang == "zh" else f"2.{n} ")
        out.append(PageBreak())
        return out

    def indicator(self, ind: dict, n: int, j: int, lead: list | None = None) -> list:
        lead = lead or []
        tx, st = self.tx, self.st
        num = f"{n}.{j}" if self.lang == "zh" else f"2.{n}.{j}"
        head = f"{num} {ind['title']}"
        score = ""
        if ind.get("veto"):
            score = (tx("part4.veto_ok") if ind.get("met") else tx("part4.veto_open") if ind.get("met") is None
                     else tx("part4.veto_fail"))
        elif ind.get("not_applicable") and not ind.get("max"):   # its points left the maximum: not "0 / 0"
            score = tx("part2.indicator_na")
        elif ind.get("max") is not None:
            score = tx("part2.indicator_score", score=fmt_num(ind.get("score"), 2), max=fmt_num(ind["max"], 2))
        hdr = Table([[Paragraph(_x(head), st["h3"]), Paragraph(_x(score), st["cell_r"])]],
                    colWidths=[0.74 * self.text_w, 0.26 * self.text_w], hAlign="LEFT")
        hdr.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                 ("LINEBELOW", (0, 0), (-1, 0), 0.6, _c(layout()["colour"]["accent"])),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        hdr.spaceAfter = 2 * mm
        out: list = [hdr]
        if ind["fields"]:
            rows = [self.head_row("part2.answers_head")]
            for f in ind["fields"]:
                rows.append([P(f["label"], st["cell"]), self.cell(f["value"], what=f"{num} {ind['title']}：{f['label']}")])
            t = self.table(rows, layout()["columns"]["answers"])
            t.spaceAfter = 1.5 * mm
            out.append(t)
        else:
            # an indicator with nothing to enter (computed from the ledgers) is not "not answered"
            out.append(P(tx("part2.from_data" if ind["computed"] else "part2.no_answers"), st["muted"]))
        if ind["computed"]:
            vals = "；".join if self.lang == "zh" else "; ".join
            line = (f"{tx('part2.computed')}{'：' if self.lang == 'zh' else ': '}"
                    + vals(f"{c['label']} = {c['value']}" for c in ind["computed"]))
            if ind.get("provenance"):
                line += (f"（{tx('part2.source_label')}：{self.prov(ind['provenance'])}）" if self.lang == "zh"
                         else f" ({tx('part2.source_label')}: {self.prov(ind['provenance'])})")
            out.append(P(line, st["small"]))
        if ind.get("explain"):
            out.append(Spacer(1, 1 * mm))
            out.append(P(f"{tx('part2.explain')}{'：' if self.lang == 'zh' else ': '}{ind['explain']}", st["small"]))
        ev = ind.get("evidence") or []
        evtext = ("；" if self.lang == "zh" else "; ").join(f"{e['name']}（{_size(e.get('size'))}）" if self.lang == "zh"
                                                            else f"{e['name']} ({_size(e.get('size'))})" for e in ev)
        out.append(P(f"{tx('part2.evidence')}{'：' if self.lang == 'zh' else ': '}{evtext or tx('part2.no_evidence')}",
                     st["muted"]))
        # One indicator is kept on one page when it fits (and a section heading with its first one).
        return [KeepTogether(lead + out), Spacer(1, 4 * mm)]

    def energy(self, prefix: str = "") -> list:
        tx, st, e = self.tx, self.st, self.d.energy
        out: list = [CondPageBreak(60 * mm), self.h(prefix + tx("part2.energy"), 1)]
        if not e:
            out.append(P(tx("part2.energy_none"), st["body"]))
            return out
        out.append(P(tx("part2.energy_text", year=e.get("year") or self.d.assessment.get("year"),
                        tce=fmt_num(e.get("total_tce"), 2), co2=fmt_num(e.get("total_co2_t"), 2)), st["indent"]))
        # annual summary by carrier
        rows = [self.head_row("part2.energy_summary_head")]
        for c in e["carriers"]:
            rows.append([P(c["name"], st["cell"]), P(c["unit"], st["cell_c"]), P(fmt_num(c.get("total"), 2), st["cell_r"]),
                         P(fmt_num(c.get("tce"), 2), st["cell_r"]), P(fmt_num(c.get("co2_t"), 2), st["cell_r"])])
        rows.append([P(tx("part2.energy_total"), st["cell"]), "", "", P(fmt_num(e.get("total_tce"), 2), st["cell_r"]),
                     P(fmt_num(e.get("total_co2_t"), 2), st["cell_r"])])
        out.append(self.table(rows, [0.28, 0.14, 0.22, 0.18, 0.18]))
        out.append(Spacer(1, 4 * mm))
        out.append(energy_chart(e, tx("part2.energy_chart"), self.lang))
        # monthly table: months down, carriers across (own units), then tce and CO2
        carriers = e["carriers"]
        head = [P(tx("part2.energy_month"), st["cell_head"])]
        head += [Paragraph(f"{escape(c['name'])}<br/>({escape(c['unit'])})", st["cell_head"]) for c in carriers]
        head += [P("tce", st["cell_head"]), P("CO2 (t)", st["cell_head"])]
        rows = [head]
        for m in e["months"]:
            tce = co2 = 0.0
            r = [P(m, st["cell_c"])]
            for c in carriers:
                v = c["months"].get(m)
                r.append(P(fmt_num(v, 1), st["cell_r"]))
                if v and c.get("total"):
                    tce += v * (c.get("tce") or 0) / c["total"]
                    co2 += v * (c.get("co2_t") or 0) / c["total"]
            r += [P(fmt_num(round(tce, 2), 2), st["cell_r"]), P(fmt_num(round(co2, 2), 2), st["cell_r"])]
            rows.append(r)
        tot = [P(tx("part2.energy_total"), st["cell_c"])] + [P(fmt_num(c.get("total"), 1), st["cell_r"]) for c in carriers]
        tot += [P(fmt_num(e.get("total_tce"), 2), st["cell_r"]), P(fmt_num(e.get("total_co2_t"), 2), st["cell_r"])]
        rows.append(tot)
        ncol = len(carriers) + 3
        first = 0.12
        rest = (1 - first) / (ncol - 1)
        out.append(Spacer(1, 3 * mm))
        # one page for the months and their total (split, the total row was left alone on the next page)
        out.append(KeepTogether([self.table(rows, [first] + [rest] * (ncol - 1))]))
        out += yearcharts.section(self)          # the years side by side (none with one year of data)
        if e.get("factors"):
            out.append(self.h(tx("part2.factors"), 2))
            rows = [self.head_row("part2.factors_head")]
            for f in e["factors"]:
                cert = f.get("certainty") or "uncertain"
                mark = "⚠ " if cert == "uncertain" else ""
                src = (f.get("source") or "—") + (tx("part2.factor_overridden") if f.get("overridden") else "")
                rows.append([P(f["name"], st["cell"]), P(fmt_num(f.get("value"), 6), st["cell_r"]),
                             P(f.get("unit") or "", st["cell_c"]), self.cell(src, what=f["name"]),
                             P(mark + tx(f"values.certainty.{cert}") if cert in ("confirmed", "secondary", "uncertain",
                                                                              "user") else cert, st["cell_c"])])
            out.append(self.table(rows, layout()["columns"]["factors"]))
        if e.get("issues"):
            out.append(self.h(tx("part2.energy_issues"), 2))
            for i in e["issues"]:
                out.append(P(f"• {i}", st["small"]))
        return out

    def part3(self) -> list:
        tx, st = self.tx, self.st
        out: list = [self.h(tx("part3.title"), 0)]
        if not self.d.score:
            out += [P(tx("part4.no_score"), st["body"]), PageBreak()]
            return out
        if not self.d.gaps:
            out += [P(tx("part3.none"), st["body"]), PageBreak()]
            return out
        out.append(P(tx("part3.intro"), st["indent"]))
        rows = [self.head_row("part3.head")]
        for i, g in enumerate(self.d.gaps, 1):
            hint_text = str(g.get("hint") or "")
            if len(hint_text) > self.cell_chars:
                hint_text = hint_text[: self.cell_chars - 1] + "…"
            hint = f"<br/><font size=7.5 color='#555555'>{_x(hint_text)}</font>" if hint_text else ""
            rows.append([P(str(i), st["cell_c"]),
                         Paragraph(f"{_x(str(g['title']))}{hint}", st["cell"]),
                         P(f"{fmt_num(g.get('score'), 2)} / {fmt_num(g.get('max'), 2)}", st["cell_r"]),
                         P(fmt_num(g.get("gain"), 2), st["cell_r"])])
        out += [self.table(rows, layout()["columns"]["gaps"]), PageBreak()]
        return out

    def part4(self) -> list:
        tx, st, s = self.tx, self.st, self.d.score
        out: list = [self.h(tx("part4.title"), 0)]
        if not s:
            out += [P(tx("part4.no_score"), st["body"])]
            return out
        out.append(self.h(tx("part4.result"), 1))
        out += self.conclusion_paragraphs()
        out.append(self.h(tx("part4.score_table"), 1))
        rows = [self.head_row("part4.score_head")]
        for i, sec in enumerate(self.d.sections, 1):
            rows.append([P(str(i), st["cell_c"]), P(sec["title"], st["cell"]), P(fmt_num(sec.get("score"), 2), st["cell_r"]),
                         P(fmt_num(sec.get("max"), 2), st["cell_r"])])
        c = self.d.conclusion or {}
        if c.get("rescaled"):   # the sections add up to the applicable points; the total is rescaled from them
            rows.append(["", P(tx("part4.applicable_label"), st["cell"]), P(fmt_num(c.get("raw_total"), 2), st["cell_r"]),
                         P(fmt_num(c.get("applicable_max"), 2), st["cell_r"])])
        rows.append(["", P(tx("part4.total_rescaled_label" if c.get("rescaled") else "part4.total_label"), st["cell"]),
                     P(fmt_num(s.get("total"), 2), st["cell_r"]), P(fmt_num(s.get("max"), 2), st["cell_r"])])
        t = self.table(rows, layout()["columns"]["score_table"])
        t.setStyle(TableStyle([("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                                _c(layout()["colour"]["table_head"]))]))
        out.append(t)
        out.append(self.h(tx("part4.vetoes"), 1))
        if s["vetoes"]:
            rows = [self.head_row("part4.veto_head")]
            col = layout()["colour"]
            for v in s["vetoes"]:
                ok = (tx("part4.veto_ok") if v["ok"] else tx("part4.veto_open") if v["ok"] is None
                      else tx("part4.veto_fail"))
                colour = col["good"] if v["ok"] else col["muted"] if v["ok"] is None else col["bad"]
                rows.append([P(v["title"], st["cell"]), Paragraph(
                    f'<font color="{colour}">{escape(ok)}</font>', st["cell_c"])])
            out.append(self.table(rows, layout()["columns"]["vetoes"]))
        else:
            out.append(P(tx("part4.vetoes_none"), st["body"]))
        out.append(self.h(tx("part4.missing_benchmarks"), 1))
        if s["missing_benchmarks"]:
            out.append(P(tx("part4.missing_benchmarks_text"), st["body"]))
            for m in s["missing_benchmarks"]:
                out.append(P(f"• {m}", st["body"]))
        else:
            out.append(P(tx("part4.missing_benchmarks_none"), st["body"]))
        out.append(self.h(tx("part4.missing_answers"), 1))
        if s["missing_answers"]:
            sep = "；" if self.lang == "zh" else "; "
            out.append(P(sep.join(s["missing_answers"]), st["small"]))
        else:
            out.append(P(tx("part4.missing_answers_none"), st["body"]))
        out.append(self.h(tx("part4.own_benchmarks"), 1))
        if self.d.benchmark_overrides:
            out.append(P(tx("part4.own_benchmarks_text"), st["body"]))
            rows = [self.head_row("part4.own_benchmarks_head")]
            for o in self.d.benchmark_overrides:
                what = o["title"] + (f"（{o['band']}）" if self.lang == "zh" else f" ({o['band']})") if o["band"] else o["title"]
                unit = f" {o['unit']}" if o["unit"] else ""
                who = " ".join(x for x in (o["set_by"], str(o["set_at"])[:10]) if x)
                rows.append([P(what, st["cell"]),
                             P(fmt_num(o["baseline"], 4) + unit if o["baseline"] is not None else "—", st["cell_r"]),
                             P(fmt_num(o["leading"], 4) + unit if o["leading"] is not None else "—", st["cell_r"]),
                             self.cell(o["source"] or "—", what=what), self.cell(who or "—", what=what)])
            out.append(self.table(rows, [0.30, 0.12, 0.12, 0.25, 0.21]))
        else:
            out.append(P(tx("part4.own_benchmarks_none"), st["body"]))
        return out

    def conclusion_paragraphs(self) -> list:
        """What the score means under the scheme: no pass is claimed without a sourced pass mark."""
        tx, st, s, c = self.tx, self.st, self.d.score or {}, self.d.conclusion or {}
        sep = "；" if self.lang == "zh" else "; "
        out = [P(tx("part4.result_text", scheme=self.d.scheme["title"], total=fmt_num(s.get("total"), 2),
                    max=fmt_num(s.get("max"), 2)), st["indent"])]
        failed = s.get("vetoes_failed") or []
        open_ = [v["title"] for v in s.get("vetoes") or [] if v.get("ok") is None]
        if failed:
            out.append(P(tx("part4.vetoes_failed_text", n=len(failed), items=sep.join(failed)), st["indent"]))
        elif open_:
            out.append(P(tx("part4.vetoes_open_text", n=len(open_), items=sep.join(open_)), st["indent"]))
        else:
            out.append(P(tx("part4.vetoes_all_met"), st["indent"]))
        out += self.qualification_paragraphs(c)
        failed = failed or c.get("required_failed") or []     # an unmet 必选 line blocks a grade like a veto
        grades = c.get("grades") or []
        if not grades:
            out.append(P(tx("part4.no_pass_mark"), st["indent"]))
        else:
            gl = sep.join(f"≥ {fmt_num(g['min'], 2)} {g['label']}" for g in grades)
            srcs = sep.join(dict.fromkeys(g["source"] for g in grades if g.get("source"))) or "—"
            line = tx("part4.grades_text", grades=gl, sources=srcs)
            if c.get("grade"):
                line += (" " if self.lang == "en" else "") + tx("part4.grade_reached", grade=s.get("grade"))
            elif failed or open_:
                line += (" " if self.lang == "en" else "") + tx("part4.grade_blocked")
            else:
                line += (" " if self.lang == "en" else "") + tx("part4.grade_none", min=fmt_num(min(g["min"] for g in grades), 2))
            out.append(P(line, st["indent"]))
        if c.get("missing_benchmark_count"):
            out.append(P(tx("part4.missing_points_text", n=c["missing_benchmark_count"],
                            points=fmt_num(c["missing_benchmark_points"], 2)), st["indent"]))
        if c.get("uncertain_count"):
            out.append(P(tx("part4.uncertain_text", n=c["uncertain_count"]), st["indent"]))
        return out

    def qualification_paragraphs(self, c: dict) -> list:
        """必选 lines not met, the not-applicable rescale and the points table, each said once with its source."""
        from greendesk.core.i18n import using_language
        from greendesk.core.schemes.describe import cert_text as _cert

        def cert_text(c: str) -> str:
            with using_language(self.lang):
                return _cert(c)

        tx, st = self.tx, self.st
        sep = "；" if self.lang == "zh" else "; "
        out = []
        if c.get("required_failed"):
            out.append(P(tx("part4.required_failed_text", n=len(c["required_failed"]), items=sep.join(c["required_failed"]),
                            source=c.get("required_source") or "—"), st["indent"]))
        elif c.get("required_open_count"):
            out.append(P(tx("part4.required_open_text", n=c["required_open_count"]), st["indent"]))
        if c.get("rescaled"):
            s = self.d.score or {}
            out.append(P(tx("part4.na_rescaled_text", n=len(c.get("na_excluded") or []),
                            items=sep.join(c.get("na_excluded") or []) or "—",
                            points=fmt_num(c.get("na_excluded_points"), 2), raw=fmt_num(c.get("raw_total"), 2),
                            applicable=fmt_num(c.get("applicable_max"), 2), total=fmt_num(s.get("total"), 2),
                            max=fmt_num(s.get("max"), 2), certainty=cert_text(c.get("na_certainty") or "uncertain")),
                         st["indent"]))
        pt = c.get("points_table")
        if pt:
            out.append(P(tx("part4.points_table_text", label=pt.get("label") or pt.get("id"), note=pt.get("note") or "",
                            certainty=cert_text(pt.get("certainty") or "uncertain")), st["indent"]))
        return out

    def scope(self) -> list:
        """评价范围与方法."""
        tx, st, sc, d = self.tx, self.st, self.d.scope or {}, self.d
        if not sc:
            return []
        sep = "；" if self.lang == "zh" else "; "
        b = sc.get("boundary") or {}
        loc = "".join(x for x in dict.fromkeys((b.get("province"), b.get("city"), b.get("district"))) if x)
        addr = b.get("address") or ""
        if loc and not addr.startswith(loc):
            addr = loc + addr
        per = sc.get("period") or {}
        if per.get("months_with_data"):
            period = tx("part1.period_text", year=per.get("year"), months=per["months_with_data"],
                        first=per.get("first_month"), last=per.get("last_month"))
        else:
            period = tx("part1.period_no_data", year=per.get("year"))
        prods = [tx("part1.product_item", name=p.get("name"), quantity=fmt_num(p.get("quantity"), 2),
                    unit=p.get("unit") or "", value=fmt_num(p.get("output_value"), 2)) for p in sc.get("products") or []]
        team = sc.get("team") or {}
        dates = sc.get("dates") or {}
        final = (tx("part1.dates_final", date=dates["finalized"]) if dates.get("finalized")
                 else tx("part1.dates_draft"))
        std_lines = [tx("part1.standards_scheme", title=d.scheme["title"],
                        standard=next((x["text"] for x in sc.get("standards") or [] if x["what"] == "scheme"), "—"))]
        for x in sc.get("standards") or []:
            if x["what"] == "energy":
                std_lines.append(tx("part1.standards_energy", std=x["text"]))
            elif x["what"] == "ghg":
                std_lines.append(tx("part1.standards_ghg", guide=x["text"]))
        basis = sc.get("electricity_basis")
        if basis in ("calorific", "equivalent"):
            std_lines.append(tx(f"part1.basis_{basis}"))
        g = sc.get("grid_factor") or {}
        if g.get("value") is not None:
            if g.get("method") == "residual_mix":   # core/grid_method.py: green power deducted, residual factor
                line = tx("part1.grid_residual", year=g.get("year"), value=fmt_num(g["value"], 4), unit=g.get("unit") or "",
                          green=fmt_num(g.get("green_power_kwh")), grid=fmt_num(g.get("grid_kwh")))
            else:
                line = tx("part1.grid_text", year=g.get("year"), region=g.get("region") or "",
                          value=fmt_num(g["value"], 4), unit=g.get("unit") or "")
                if g.get("method") == "no_deduction":
                    line += (" " if self.lang == "en" else "") + tx("part1.grid_no_deduction",
                                                                    green=fmt_num(g.get("green_power_kwh")))
            if g.get("year_differs"):
                line += (" " if self.lang == "en" else "") + tx("part1.grid_older", year=per.get("year"), used=g.get("year"))
            std_lines.append(line)
        std_lines.append(tx("part1.method_text", version=d.app_version))
        ledgers = sep.join(sc.get("ledgers") or []) or "—"
        rows = [
            ("boundary", tx("part1.boundary_text", name=b.get("name") or "", address=addr or "—",
                            area=fmt_num(b.get("site_area_m2")))),
            ("period", period),
            ("products", sep.join(prods) if prods else tx("part1.products_none")),
            ("team", tx("part1.team_text", legal_rep=team.get("legal_rep") or "—", contact=team.get("contact") or "—")),
            ("dates", tx("part1.dates_text", created=dates.get("created") or "—", final=final,
                         report=self.sign_date.isoformat())),
            ("standards", "\n".join(std_lines)),
            ("data", tx("part1.data_text", ledgers=ledgers)),
        ]
        trows = [[P(tx(f"part1.scope_rows.{k}"), st["cell"]),
                  self.cell(v, what=f"{tx('part1.scope')} {tx(f'part1.scope_rows.{k}')}", limit=self.cell_chars * 3)]
                 for k, v in rows]
        t = self.table(trows, layout()["columns"]["scope"], head=False, zebra=False)
        t.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), _c(layout()["colour"]["table_head"]))]))
        return [self.h(tx("part1.scope"), 1), t]

    def figures(self) -> list:
        """Every denominator beside the intensity it produces, with the source of each figure."""
        tx, st, fg = self.tx, self.st, self.d.figures or {}
        if not fg:
            return []
        out: list = [self.h(tx("part1.figures"), 1), P(tx("part1.figures_intro"), st["small"]), Spacer(1, 2 * mm)]
        rows = [self.head_row("part1.figures_head")]
        shown = {(round(f["value"], 6), f.get("unit")) for f in fg.get("basic") or [] if f.get("value") is not None}
        extra = [f for f in fg.get("energy") or [] if (round(f["value"] or 0, 6), f.get("unit")) not in shown]
        for f in (fg.get("basic") or []) + extra:
            rows.append([P(f["label"], st["cell"]), P(fmt_num(f.get("value"), 2), st["cell_r"]),
                         P(f.get("unit") or "", st["cell_c"]), P(self.prov(f.get("provenance")), st["cell_c"])])
        out += [self.table(rows, layout()["columns"]["figures"]), Spacer(1, 3 * mm)]
        if fg.get("products"):
            rows = [self.head_row("part1.products_head")]
            for p in fg["products"]:
                rows.append([self.cell(p["name"], what=tx("part1.scope_rows.products")),
                             P(fmt_num(p.get("quantity"), 2), st["cell_r"]), P(p.get("unit") or "", st["cell_c"]),
                             P(fmt_num(p.get("output_value"), 2), st["cell_r"]),
                             P(self.prov(p.get("provenance")), st["cell_c"])])
            out += [self.table(rows, layout()["columns"]["products"]), Spacer(1, 3 * mm)]
        if fg.get("intensities"):
            rows = [self.head_row("part1.intensities_head")]
            for i in fg["intensities"]:
                rows.append([P(i["label"], st["cell"]), P(fmt_num(i.get("value"), 4), st["cell_r"]),
                             P(i.get("unit") or "", st["cell_c"]), P(i.get("formula") or "—", st["cell"]),
                             P(self.prov(i.get("provenance")), st["cell_c"])])
            out.append(self.table(rows, layout()["columns"]["intensities"]))
        return out

    def appendix(self) -> list:
        if not self.files:
            return []
        tx, st = self.tx, self.st
        out: list = [PageBreak(), self.h(tx("appendix.title"), 0), P(tx("appendix.intro"), st["indent"])]
        rows = [self.head_row("appendix.head")]
        for f in self.files:
            kind = pick(tx.raw("appendix.kinds").get(f.get("kind"), {}), self.lang)
            rows.append([Paragraph(f"{self.short_markup(f['name'], kind)}<br/><font size=7 color='#666666'>"
                                   f"{escape(kind)}</font>", st["cell"]),
                         P(_size(f.get("size")) if f.get("size") is not None else "—", st["cell_r"]),
                         P(f.get("sha256") or "—", st["hash"])])
        out.append(self.table(rows, layout()["columns"]["files"]))
        return out

    def long_text_annex(self) -> list:
        """Every text shortened in a table, in full (must come last: the tables before it fill the list)."""
        if not self.long_texts:
            return []
        tx, st = self.tx, self.st
        out: list = [PageBreak(), self.h(tx("long_text.title"), 0), P(tx("long_text.intro"), st["indent"])]
        for i, (what, text) in enumerate(self.long_texts, 1):
            out.append(Paragraph(f"{escape(tx('long_text.item', n=i))} {_x(what)}", st["h3"]))
            out.append(P(text, st["body"]))
        return out

    def story(self) -> list:
        return (self.cover() + self.notes() + self.commitment() + self.toc() + self.part1() + self.part2()
                + self.part3() + self.part4() + declaration_section(self) + self.appendix() + self.long_text_annex())


def _cn_num(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    if n < 20:
        return "十" + digits[n - 10]
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


@gc_paused  # (greendesk.core.gcpause: what is made here stays alive until the end)
def render_report(data: ReportData, out: str | Path | io.BytesIO, *, signer: str | None = None,
                  sign_date: _dt.date | None = None, seal_png: bytes | None = None, files: list[dict] | None = None,
                  progress: Callable[[float], None] | None = None, cancel: Callable[[], bool] | None = None) -> dict:
    """Render the report. Returns {"pages", "seal_page", "seal_rect"} (the seal place, in PDF points).

    ``files`` is the list of embedded files for the annex ({name, size, sha256, kind}).
    ``progress(fraction)`` is called as flowables are laid out; ``cancel()`` returning true
    raises :class:`Cancelled`.
    """
    register_fonts()
    sign_date = sign_date or _dt.date.today()
    b = _Builder(data, signer=signer, sign_date=sign_date, seal_png=seal_png, files=files or [])
    story = b.story()
    total = max(1, len(story))
    state = {"n": 0, "pass": 0}

    def hook():
        state["n"] += 1
        if cancel and state["n"] % 8 == 0 and cancel():
            raise Cancelled()
        if progress and state["n"] % 8 == 0:
            # multiBuild lays the story out two or three times; weigh the passes 1/2, 1/4, ...
            done = 1 - 0.5 ** state["pass"]
            progress(min(0.99, done + 0.5 ** (state["pass"] + 1) * min(1.0, state["n"] / total)))

    L = layout()
    tx = _T(data.lang)
    factory_name = data.factory.get("name") or ""
    header_size = L["type"]["header"]["size"]
    col = L["colour"]

    def on_body(c, doc):
        opened = c.begin_artifact()   # the running header is not part of the reading order
        c.saveState()
        y = b.page_h - L["page"]["header_offset"] * mm
        c.setFont(FONT, header_size)
        c.setFillColor(_c(col["muted"]))
        c.drawString(b.ml, y, fit_line(factory_name, FONT, header_size, b.text_w * 0.62))
        c.drawRightString(b.page_w - b.mr, y, tx("header_right"))
        c.setStrokeColor(_c(col["accent"]))
        c.setLineWidth(0.6)
        c.line(b.ml, y - 3, b.page_w - b.mr, y - 3)
        c.restoreState()
        c.end_artifact(opened)

    def footer(c, page, pages):
        if page == 1:
            return
        c.saveState()
        c.setFont(FONT, header_size)
        c.setFillColor(_c(col["muted"]))
        c.drawCentredString(b.page_w / 2, L["page"]["footer_offset"] * mm, tx("page_footer", page=page, pages=pages))
        c.restoreState()

    canvasmaker = type("_Canvas", (_NumberedCanvas,), {"footer": staticmethod(footer)})
    doc = _Doc(out if not isinstance(out, Path) else str(out), hook=hook, pagesize=A4,
               leftMargin=b.ml, rightMargin=b.mr, topMargin=b.mt, bottomMargin=b.mb,
               title=f"{factory_name} {tx('doc_title')}", author=factory_name,
               subject=data.scheme["title"], creator=f"GreenDesk {data.app_version}", lang=data.lang)
    frame = TaggedFrame(b.ml, b.mb, b.text_w, b.page_h - b.mt - b.mb, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("cover", [frame]), PageTemplate("body", [frame], onPage=on_body)])

    orig_build = doc.build

    def counting_build(*a, **kw):
        state["n"] = 0
        r = orig_build(*a, **kw)
        state["pass"] += 1
        return r

    doc.build = counting_build  # type: ignore[method-assign]
    doc.multiBuild(story, canvasmaker=canvasmaker, maxPasses=6)
    if progress:
        progress(1.0)
    last = canvasmaker.last
    return {"pages": doc.page, "seal_page": b.seal_sink.get("page"), "seal_rect": b.seal_sink.get("rect"),
            "structure": last.struct_log if last is not None else [], "lang": data.lang}
