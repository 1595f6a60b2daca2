"""Years side by side, drawn with QPainter like ui/charts.py: each carrier's months with one bar per year,
and each key indicator's yearly figure. A month or year without data is drawn as a dashed outline
(missing is not zero). The data comes from the core (:mod:`greendesk.core.annual.series`)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from greendesk.ui.i18n import _, fmt_num

YEAR_COLOURS = [QColor(c) for c in ("#9fb8d6", "#4f7fb8", "#1f3f73", "#b0803a", "#6a1b9a")]
LISTING_COLOUR = QColor("#8d8d8d")
MISSING = QColor("#b26a00")


def _dashed(p: QPainter, r: QRectF) -> None:
    pen = QPen(MISSING)
    pen.setStyle(Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.drawRect(r)


class _Chart(QWidget):
    def __init__(self, title: str, unit: str, parent=None, height: int = 190):
        super().__init__(parent)
        self.title, self.unit = title, unit
        self.setMinimumSize(280, height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(height)

    def _head(self, p: QPainter, fm: QFontMetrics) -> float:
        p.setPen(self.palette().text().color())
        text = f"{self.title} ({self.unit})" if self.unit else self.title
        p.drawText(QRectF(4, 0, self.width() - 8, fm.height() + 4), Qt.AlignmentFlag.AlignLeft,
                   fm.elidedText(text, Qt.TextElideMode.ElideRight, self.width() - 8))
        return fm.height() + 6


class MonthlyYears(_Chart):
    """Twelve month groups of one carrier, one bar per year (oldest lightest), with a legend of the years."""

    def __init__(self, title: str, unit: str, years: dict[str, list], parent=None):
        super().__init__(title, unit, parent)
        self.years = {y: list(v) for y, v in sorted(years.items())}
        tips = []
        for y, vs in self.years.items():
            known = [v for v in vs if v is not None]
            tips.append(f"{y}: " + (_("{n} months, total {t} {u}").format(n=len(known), t=fmt_num(sum(known), 1),
                                                                        u=unit) if known else _("no data")))
        self.setToolTip("\n".join(tips))

    def paintEvent(self, _e):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        top = self._head(p, fm) + fm.height() + 2
        text = self.palette().text().color()
        # legend: one swatch per year
        x = 6.0
        for i, y in enumerate(self.years):
            p.fillRect(QRectF(x, top - fm.height(), 10, 10), YEAR_COLOURS[i % len(YEAR_COLOURS)])
            p.setPen(text)
            p.drawText(QRectF(x + 13, top - fm.height() - 3, 60, fm.height() + 2), Qt.AlignmentFlag.AlignLeft, y)
            x += 13 + fm.horizontalAdvance(y) + 12
        bottom = self.height() - fm.height() - 6
        left, right = 6, self.width() - 6
        vals = [v for vs in self.years.values() for v in vs if v is not None]
        peak = max(vals) if vals else 1.0
        peak = peak if peak > 0 else 1.0
        slot = (right - left) / 12
        n = max(1, len(self.years))
        w = slot * 0.8 / n
        for m in range(12):
            for i, vs in enumerate(self.years.values()):
                bx = left + m * slot + slot * 0.1 + i * w
                v = vs[m] if m < len(vs) else None
                if v is None:
                    _dashed(p, QRectF(bx, bottom - 10, max(1.0, w - 1), 10))
                else:
                    h = max(1.0, (bottom - top - 4) * max(v, 0) / peak)
                    p.fillRect(QRectF(bx, bottom - h, max(1.0, w - 1), h), YEAR_COLOURS[i % len(YEAR_COLOURS)])
            p.setPen(text)
            p.drawText(QRectF(left + m * slot, bottom + 2, slot, fm.height() + 2), Qt.AlignmentFlag.AlignHCenter,
                       str(m + 1))
        p.setPen(QPen(QColor("#999999")))
        p.drawLine(left, int(bottom), right, int(bottom))
        p.end()


class YearlyBars(_Chart):
    """One bar per year of one key indicator, its figure above it; the listing year in grey."""

    def __init__(self, title: str, unit: str, values: dict[str, float | None], listing_year: int | None = None,
                 parent=None):
        super().__init__(title, unit, parent, height=170)
        self.values = dict(sorted(values.items()))
        self.listing = str(listing_year) if listing_year is not None else None
        self.setToolTip("\n".join(f"{y}: {fmt_num(v, 2) if v is not None else _('no figure')}"
                                  for y, v in self.values.items()))

    def paintEvent(self, _e):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        top = self._head(p, fm) + fm.height() + 2
        text = self.palette().text().color()
        bottom = self.height() - fm.height() - 6
        left, right = 6, self.width() - 6
        vals = [v for v in self.values.values() if v is not None]
        peak = max([abs(v) for v in vals] or [1.0]) or 1.0
        n = max(1, len(self.values))
        slot = (right - left) / n
        others = [y for y in self.values if y != self.listing]
        for i, (y, v) in enumerate(self.values.items()):
            bx, w = left + i * slot + slot * 0.2, slot * 0.6
            colour = LISTING_COLOUR if y == self.listing else YEAR_COLOURS[
                (others.index(y) + max(0, 3 - len(others))) % len(YEAR_COLOURS)]
            if v is None:
                _dashed(p, QRectF(bx, bottom - 10, w, 10))
                label = "—"
            else:
                h = max(1.0, (bottom - top - 4) * max(v, 0) / peak)
                p.fillRect(QRectF(bx, bottom - h, w, h), colour)
                label = fmt_num(v, 2 if abs(v) < 100 else 1 if abs(v) < 1000 else 0)
                top_of_bar = bottom - h
                p.setPen(text)
                p.drawText(QRectF(left + i * slot, top_of_bar - fm.height() - 1, slot, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter, label)
            p.setPen(text)
            tag = f"{y} ({_('listed')})" if y == self.listing else y
            p.drawText(QRectF(left + i * slot, bottom + 2, slot, fm.height() + 2), Qt.AlignmentFlag.AlignHCenter,
                       fm.elidedText(tag, Qt.TextElideMode.ElideRight, int(slot)))
            if v is None:
                p.drawText(QRectF(left + i * slot, bottom - 12 - fm.height(), slot, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter, label)
        p.setPen(QPen(QColor("#999999")))
        p.drawLine(left, int(bottom), right, int(bottom))
        p.end()


class YearCharts(QWidget):
    """The annual return's charts: the months of each carrier across the years, then each key indicator."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("year_charts")
        lay = QVBoxLayout(self)
        self.monthly_title = QLabel(f"<b>{_('Months across the years, by carrier')}</b>")
        lay.addWidget(self.monthly_title)
        self.monthly_grid = QGridLayout()
        lay.addLayout(self.monthly_grid)
        self.yearly_title = QLabel(f"<b>{_('Key indicators, year by year')}</b>")
        lay.addWidget(self.yearly_title)
        self.yearly_grid = QGridLayout()
        lay.addLayout(self.yearly_grid)
        self.empty = QLabel(_("No figures to compare yet: import the ledgers of each year."))
        self.empty.setWordWrap(True)
        lay.addWidget(self.empty)
        lay.addStretch(1)
        self.monthly: list[MonthlyYears] = []
        self.yearly: list[YearlyBars] = []

    def _clear(self, grid: QGridLayout) -> None:
        while grid.count():
            w = grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()

    def set_doc(self, doc: dict | None) -> None:
        from greendesk.core.annual.series import indicators

        self._clear(self.monthly_grid)
        self._clear(self.yearly_grid)
        self.monthly, self.yearly = [], []
        if doc is None:
            self.empty.show()
            return
        for i, c in enumerate(doc.get("monthly") or []):
            ch = MonthlyYears(c["label"], c["unit"], c["years"])
            ch.setObjectName(f"months:{c['carrier']}")
            self.monthly.append(ch)
            self.monthly_grid.addWidget(ch, i // 2, i % 2)
        for i, r in enumerate(indicators(doc)):
            ch = YearlyBars(r["label"], r["unit"], r["values"], doc.get("listing_year"))
            ch.setObjectName(f"years:{r['id']}")
            self.yearly.append(ch)
            self.yearly_grid.addWidget(ch, i // 3, i % 3)
        self.monthly_title.setVisible(bool(self.monthly))
        self.yearly_title.setVisible(bool(self.yearly))
        self.empty.setVisible(not self.monthly and not self.yearly)
