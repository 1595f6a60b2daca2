"""The top score bar: total of possible, veto status, grade, missing benchmarks, saved state."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from greendesk.ui.i18n import _, fmt_num, label


class ElidedLabel(QLabel):
    """A one-line plain-text label that ends in "…" when the window is too narrow (instead of being cut
    off mid-character by the layout); the whole text is in the tooltip then."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        fm = self.fontMetrics()
        return QSize(min(fm.horizontalAdvance(self.text()), fm.horizontalAdvance("M" * 4)), fm.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, event) -> None:  # noqa: N802
        if not self.is_elided():
            super().paintEvent(event)
            return
        p = QPainter(self)
        p.setPen(self.palette().color(self.foregroundRole()))
        r = self.contentsRect()
        p.drawText(r, int(self.alignment()), self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                                                            r.width()))


class ScoreBar(QFrame):
    finalize_requested = Signal()
    reopen_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("score_bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 6, 12, 6)
        # the factory and the scheme: two lines that end in "…" in a narrow window (full text in the tooltip)
        self.factory_box = QWidget()
        box = QVBoxLayout(self.factory_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        self.factory = ElidedLabel()
        self.factory.setObjectName("factory_name")
        bold = QFont(self.factory.font())
        bold.setBold(True)
        self.factory.setFont(bold)
        self.scheme_line = ElidedLabel()
        self.scheme_line.setObjectName("scheme_line")
        self.scheme_line.setStyleSheet("color: gray;")
        box.addWidget(self.factory)
        box.addWidget(self.scheme_line)
        self.total = QLabel()
        self.total.setObjectName("total")
        f = QFont(self.total.font())
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.total.setFont(f)
        self.rescaled = ElidedLabel()  # "(rescaled)" beside the total, in the normal font: gives way on a small screen
        self.rescaled.setObjectName("rescaled")
        self.rescaled.setStyleSheet("color: #b26a00;")
        self.veto = ElidedLabel()  # on a small screen (683 px at 150 %) the longer texts give way, whole in the tooltip
        self.veto.setObjectName("veto")
        self.grade = QLabel()  # short: shown whole; the longer factory line and veto text give way first
        self.grade.setObjectName("grade")
        self.missing = ElidedLabel()
        self.missing.setObjectName("missing")
        self.saved = ElidedLabel()  # also in the status bar: it gives way first
        self.saved.setObjectName("saved")
        self.saved.setStyleSheet("color: palette(dark);")
        self.finalize = QPushButton(_("Finalize…"))
        self.finalize.setToolTip(_("Check that everything required is complete before exporting"))
        self.finalize.clicked.connect(self.finalize_requested)
        self.finalize.setObjectName("finalize_button")
        self.status = QLabel()  # 草稿 / 定稿
        self.status.setObjectName("status")
        self.reopen = QPushButton(_("Reopen as draft…"))
        self.reopen.setObjectName("reopen_button")
        self.reopen.setToolTip(_("Make the final assessment editable again (the reason is recorded)"))
        self.reopen.clicked.connect(self.reopen_requested)
        self.reopen.hide()
        lay.addWidget(self.factory_box)
        lay.addSpacing(16)
        lay.addWidget(self.total)
        lay.addWidget(self.rescaled)
        for w in (self.veto, self.grade, self.missing):
            lay.addSpacing(12)
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(self.saved)
        lay.addSpacing(8)
        lay.addWidget(self.status)
        lay.addWidget(self.finalize)
        lay.addWidget(self.reopen)
        self.total.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.total.setToolTip(_("Total score, recomputed as you type"))
        self.grade.setToolTip(_("The star level reached, from the scheme's grade thresholds"))
        self.saved.setToolTip(_("Every change is saved at once; Ctrl+Z undoes it"))

    def set_status(self, final: bool) -> None:
        """Show whether the assessment is a draft or final (read-only); final offers reopening instead."""
        if final:
            self.status.setText("🔒 " + _("Final"))
            self.status.setStyleSheet("color: #1b7f3b; font-weight: bold;")
            self.status.setToolTip(_("Final: nothing can be changed until it is reopened as a draft"))
        else:
            self.status.setText(_("Draft"))
            self.status.setStyleSheet("color: palette(dark);")
            self.status.setToolTip(_("Draft: every change is saved at once; finalize it before exporting"))
        self.finalize.setVisible(not final)
        self.reopen.setVisible(final)

    def set_factory(self, name: str, year, scheme_title: str) -> None:
        self.factory.setText(name)
        self.scheme_line.setText(f"{year} · {scheme_title}")
        self.factory_box.setToolTip(f"{name}\n{year} · {scheme_title}")

    def show_score(self, s: dict | None, name_of=None) -> None:
        """``name_of(item id)`` gives an item's title for the tooltips (the score lists ids)."""
        name_of = name_of or str
        if not s:
            self.total.setText(_("Score: —"))
            self.rescaled.clear()
            self.veto.clear()
            self.grade.clear()
            self.missing.clear()
            return
        self.total.setText(_("Score {total} / {max}").format(total=fmt_num(s.get("total"), 1),
                                                             max=fmt_num(s.get("max"), 0)))
        if s.get("rescaled"):   # not-applicable rows left the maximum: say so where the total is shown
            self.rescaled.setText(_("(rescaled)"))
            tip = _("Not-applicable rows left the maximum: {raw} of {applicable} points, rescaled to "
                    "{max}").format(raw=fmt_num(s.get("raw_total"), 2), applicable=fmt_num(s.get("applicable_max"), 2),
                                    max=fmt_num(s.get("max"), 0))
            self.total.setToolTip(tip)
            self.rescaled.setToolTip(tip)
        else:
            self.rescaled.clear()
            self.rescaled.setToolTip("")
            self.total.setToolTip(_("Total score, recomputed as you type"))
        failed = s.get("vetoes_failed") or []
        q = s.get("qualification") or {}
        req_failed = (s.get("required_failed") or []) if q.get("required_lines") == "disqualify" else []
        if failed:
            self.veto.setText("✕ " + (_("Not qualified: 1 veto item not met") if len(failed) == 1 else
                                      _("Not qualified: {n} veto items not met").format(n=len(failed))))
            self.veto.setStyleSheet("color: #b3261e; font-weight: bold;")
            self.veto.setToolTip("\n".join([self.veto.text(), *(name_of(v) for v in failed)]))
        elif req_failed:
            self.veto.setText("✕ " + (_("Not qualified: 1 required line not met") if len(req_failed) == 1 else
                                      _("Not qualified: {n} required lines not met").format(n=len(req_failed))))
            self.veto.setStyleSheet("color: #b3261e; font-weight: bold;")
            self.veto.setToolTip("\n".join([self.veto.text(), *(f"{x['indicator_title']} — {x['title']}"
                                                                 for x in req_failed)]))
        elif s.get("qualified"):
            self.veto.setText("✓ " + _("Basic requirements met"))
            self.veto.setStyleSheet("color: #1b7f3b;")
            self.veto.setToolTip(self.veto.text())
        else:
            self.veto.setText(_("Basic requirements: not yet answered"))
            self.veto.setStyleSheet("color: #b26a00;")
            self.veto.setToolTip(self.veto.text())
        grade = s.get("grade_label") or s.get("grade")
        if isinstance(grade, dict):
            grade = label(grade.get("label") or grade.get("title")) or grade.get("id")
        if grade:
            self.grade.setText(_("Grade: {grade}").format(grade=grade))
        elif "grades" in s and not s["grades"] and "qualification" in s:
            self.grade.setText(_("No pass mark"))    # the scheme sets none: nothing to reach
        else:
            self.grade.setText(_("Grade: not reached"))
        self.grade.setToolTip((q.get("statement") or "") if q else self.grade.toolTip())
        mb = s.get("missing_benchmarks") or []
        self.missing.setText("" if not mb else _("1 benchmark needed") if len(mb) == 1 else
                             _("{n} benchmarks needed").format(n=len(mb)))
        self.missing.setStyleSheet("color: #b26a00;")
        self.missing.setToolTip(self.missing.text() + "\n" + _("These indicators have no official baseline/leading "
                                                                "value yet; enter the evaluator's values under "
                                                                "Benchmarks and factors."))

    def set_saved(self, text: str) -> None:
        self.saved.setText(text)
