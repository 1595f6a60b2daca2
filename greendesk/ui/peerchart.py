"""The review window's chart: one indicator of the selected factory against its peers (QPainter, no QtCharts).

A value axis; the peers as grey dots, the factory as a larger coloured dot with its value; the box from
Q1 to Q3 and the median line. Figures come from :func:`greendesk.core.review.peers.peer_distribution`.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from greendesk.ui.i18n import _, fmt_num

BOX = QColor("#dfe8df")
MEDIAN = QColor("#2e7d32")
PEER = QColor("#8a8a8a")
SELF = QColor("#c62828")


class PeerChart(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.dist: dict | None = None
        self.setMinimumSize(320, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(440, 180)

    def set_distribution(self, dist: dict | None) -> None:
        self.dist = dist
        if dist:
            lines = [f"{name}: {fmt_num(v, 2)} {dist['unit'] or ''}" for name, _pid, v in dist["peers"]]
            self.setToolTip("\n".join(lines))
        else:
            self.setToolTip("")
        self.update()

    def title(self) -> str:
        d = self.dist
        if not d:
            return _("Select an indicator row to compare it with the peers")
        return _("{title} ({unit}): {n} factories, industry class {cls}, {prov}, {year}").format(
            title=d["title"] or d["indicator_id"], unit=d["unit"] or "—", n=d["n"], cls=d["industry_class"] or "—",
            prov=d["province"] or "—", year=d["year"] or "—")

    def paintEvent(self, _e):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        text = self.palette().text().color()
        p.setPen(text)
        line_h = fm.height() + 4
        p.drawText(QRectF(6, 2, self.width() - 12, line_h), Qt.AlignmentFlag.AlignLeft,
                   fm.elidedText(self.title(), Qt.TextElideMode.ElideRight, self.width() - 12))
        d = self.dist
        if not d or not d["peers"]:
            p.end()
            return
        stats = _("this factory {v} (rank {r} of {n}) · Q1 {q1} · median {m} · Q3 {q3} · median of the others {o}").format(
            v=fmt_num(d["value"], 2), r=d["rank"], n=d["n"], q1=fmt_num(d["q1"], 2), m=fmt_num(d["median"], 2),
            q3=fmt_num(d["q3"], 2), o=fmt_num(d["others_median"], 2))
        p.setPen(QColor("#555555"))
        p.drawText(QRectF(6, 2 + line_h, self.width() - 12, line_h), Qt.AlignmentFlag.AlignLeft,
                   fm.elidedText(stats, Qt.TextElideMode.ElideRight, self.width() - 12))
        p.setPen(text)
        top = 2 * line_h + 4
        values = [v for _n, _pid, v in d["peers"]]
        lo, hi = min(values), max(values)
        if hi == lo:
            lo, hi = lo - (abs(lo) * 0.1 or 1), hi + (abs(hi) * 0.1 or 1)
        pad = (hi - lo) * 0.06
        lo, hi = lo - pad, hi + pad
        left, right = 12, self.width() - 12
        axis_y = self.height() - line_h - 8

        def x(v: float) -> float:
            return left + (right - left) * (v - lo) / (hi - lo)

        mid = top + line_h + (axis_y - top - line_h) / 2
        box_h = max(14.0, (axis_y - top - line_h) * 0.5)
        if d["q1"] is not None and d["q3"] is not None:
            p.fillRect(QRectF(x(d["q1"]), mid - box_h / 2, max(1.0, x(d["q3"]) - x(d["q1"])), box_h), BOX)
        if d["median"] is not None:
            p.setPen(QPen(MEDIAN, 2))
            p.drawLine(QPointF(x(d["median"]), mid - box_h / 2 - 4), QPointF(x(d["median"]), mid + box_h / 2 + 4))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(PEER)
        for _name, pid, v in d["peers"]:
            if pid != d["package_id"]:
                p.drawEllipse(QPointF(x(v), mid), 4, 4)
        if d["value"] is not None:
            p.setBrush(SELF)
            p.drawEllipse(QPointF(x(d["value"]), mid), 7, 7)
            p.setPen(SELF)
            label = f"{fmt_num(d['value'], 2)}"
            w = fm.horizontalAdvance(label)
            lx = min(max(left, x(d["value"]) - w / 2), right - w)
            p.drawText(QRectF(lx, mid - box_h / 2 - line_h - 4, w + 2, line_h), Qt.AlignmentFlag.AlignCenter, label)
        # the axis: its ends, and Q1 / median / Q3 named below it
        p.setPen(QPen(QColor("#999999")))
        p.drawLine(QPointF(left, axis_y), QPointF(right, axis_y))
        p.setPen(text)
        p.drawText(QRectF(left, axis_y + 2, 120, line_h), Qt.AlignmentFlag.AlignLeft, fmt_num(min(values), 2))
        p.drawText(QRectF(right - 120, axis_y + 2, 120, line_h), Qt.AlignmentFlag.AlignRight, fmt_num(max(values), 2))
        legend = [(SELF, _("this factory")), (PEER, _("peers")), (BOX, _("Q1 to Q3")), (MEDIAN, _("median"))]
        lx = (left + right) / 2 - sum(fm.horizontalAdvance(t) + 26 for _c, t in legend) / 2
        for colour, label in legend:
            p.fillRect(QRectF(lx, axis_y + 2 + line_h / 2 - 5, 10, 10), colour)
            p.setPen(text)
            p.drawText(QRectF(lx + 14, axis_y + 2, fm.horizontalAdvance(label) + 4, line_h),
                       Qt.AlignmentFlag.AlignLeft, label)
            lx += fm.horizontalAdvance(label) + 26
        p.end()
