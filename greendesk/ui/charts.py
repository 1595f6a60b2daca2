"""Small charts drawn with QPainter (no QtCharts): horizontal score bars and monthly bars."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from greendesk.ui.i18n import fmt_num

GREEN = QColor("#2e7d32")
LIGHT = QColor("#dfe8df")
PALETTE = [QColor(c) for c in ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#c62828", "#5d4037")]


class ScoreBars(QWidget):
    """One horizontal bar per section: score of max, with the label on the left and figures on the right."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[str, float, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)

    def set_rows(self, rows: list[tuple[str, float, float]]) -> None:
        self.rows = rows
        self.setFixedHeight(self.sizeHint().height())
        self.setToolTip("\n".join(f"{n}: {fmt_num(s, 1)} / {fmt_num(m, 1)}" for n, s, m in rows))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        fm = QFontMetrics(self.font())
        return QSize(480, max(1, len(self.rows)) * (fm.height() + 12) + 8)

    def paintEvent(self, _e):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        row_h = fm.height() + 12
        label_w = min(max((fm.horizontalAdvance(n) for n, _s, _m in self.rows), default=60) + 12,
                      int(self.width() * 0.42))
        fig_w = fm.horizontalAdvance("000.0 / 000") + 12
        bar_w = max(40, self.width() - label_w - fig_w - 8)
        for i, (name, score, mx) in enumerate(self.rows):
            y = 4 + i * row_h
            p.setPen(self.palette().text().color())
            text = fm.elidedText(name, Qt.TextElideMode.ElideRight, label_w - 8)
            p.drawText(QRectF(0, y, label_w - 8, row_h - 4), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
            r = QRectF(label_w, y + 3, bar_w, row_h - 10)
            p.fillRect(r, LIGHT)
            share = 0.0 if not mx else max(0.0, min(1.0, (score or 0) / mx))
            p.fillRect(QRectF(r.x(), r.y(), r.width() * share, r.height()), GREEN)
            p.drawText(QRectF(label_w + bar_w + 8, y, fig_w, row_h - 4), Qt.AlignmentFlag.AlignVCenter,
                       f"{fmt_num(score, 1)} / {fmt_num(mx, 0)}")
        p.end()


class MonthlyBars(QWidget):
    """Twelve monthly bars of one carrier, with the unit and a light axis; missing months are hatched."""

    def __init__(self, title: str, unit: str, months: dict[str, float | None], year: int, color: QColor,
                 parent=None):
        super().__init__(parent)
        self.title = title
        self.unit = unit
        self.year = year
        self.color = color
        self.values = [months.get(f"{year}-{m:02d}") for m in range(1, 13)]
        self.setMinimumSize(260, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(170)
        self.setToolTip("\n".join(f"{year}-{m:02d}: {fmt_num(v, 1)} {unit}" for m, v in zip(range(1, 13), self.values,
                                                                                     strict=True)))

    def paintEvent(self, _e):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        text_color = self.palette().text().color()
        p.setPen(text_color)
        p.drawText(QRectF(4, 0, self.width() - 8, fm.height() + 4), Qt.AlignmentFlag.AlignLeft,
                   f"{self.title} ({self.unit})")
        known = [v for v in self.values if v is not None]
        if known:
            p.setPen(QColor("#777777"))
            p.drawText(QRectF(4, 0, self.width() - 8, fm.height() + 4), Qt.AlignmentFlag.AlignRight,
                       f"▲ {fmt_num(max(known), 1)}")
            p.setPen(text_color)
        top = fm.height() + 8
        bottom = self.height() - fm.height() - 6
        left, right = 6, self.width() - 6
        vals = [v for v in self.values if v is not None]
        peak = max(vals) if vals else 1.0
        peak = peak if peak > 0 else 1.0
        slot = (right - left) / 12
        for i, v in enumerate(self.values):
            x = left + i * slot + slot * 0.15
            w = slot * 0.7
            if v is None:
                pen = QPen(QColor("#b26a00"))
                pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
                p.drawRect(QRectF(x, bottom - 12, w, 12))
            else:
                h = max(1.0, (bottom - top) * max(v, 0) / peak)
                p.fillRect(QRectF(x, bottom - h, w, h), self.color)
            p.setPen(text_color)
            p.drawText(QRectF(left + i * slot, bottom + 2, slot, fm.height() + 2), Qt.AlignmentFlag.AlignHCenter,
                       str(i + 1))
        p.setPen(QPen(QColor("#999999")))
        p.drawLine(left, int(bottom), right, int(bottom))
        p.end()
