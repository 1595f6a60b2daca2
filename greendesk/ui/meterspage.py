"""The meter register page: every meter with its level, parent and role, and the loss against sub-meters.

Only boundary (一级) and standalone meters count toward the factory's totals; a sub-meter is checked
against its parent. A change here decides the energy totals at once and every later import.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from greendesk.ui.errors import show_error
from greendesk.ui.i18n import N_, _, fmt_num, language

ROLES = {"boundary": N_("boundary meter (counted)"), "standalone": N_("standalone meter (counted)"),
         "sub": N_("sub-meter (checked only)"), "self_use": N_("PV self-use (counted)"),
         "excluded": N_("excluded (not counted)")}
LEVELS = {1: N_("level 1 (boundary)"), 2: N_("level 2"), 3: N_("level 3")}


class MetersPage(QWidget):
    changed = Signal()
    COLS = (N_("Meter"), N_("Carrier"), N_("Level"), N_("Parent meter"), N_("Role"), N_("Months stored"),
            N_("Stored total"))

    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.setObjectName("meters_page")
        self.view = view
        self.ws = view.ws
        lay = QVBoxLayout(self)
        intro = QLabel(_("The meters of the imported ledgers. Only boundary (level 1) and standalone meters count "
                         "toward the factory's energy and water totals; a sub-meter is checked against its parent "
                         "and the difference is shown as line loss / unmetered use. What you set here decides the "
                         "totals at once and every later import."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.table = QTableWidget(0, len(self.COLS))
        self.table.setObjectName("meters")
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        self.losses = QLabel()
        self.losses.setObjectName("losses")
        self.losses.setWordWrap(True)
        self.losses.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.losses)
        self._filling = False
        self.reload()

    def editable(self) -> bool:
        return not self.ws.readonly and not getattr(self.view, "final", False)

    def reload(self) -> None:
        from greendesk.core.meters import register
        from greendesk.core.meters.catalog import catalog

        cat = catalog()
        lang = language()
        ms = register.meters(self.ws)
        self._filling = True
        self.table.setRowCount(len(ms))
        if not ms:
            self.losses.setText(_("No meters yet: import a meter ledger and its meters are listed here."))
        for r, m in enumerate(ms):
            name = QTableWidgetItem(m["name"])
            name.setToolTip(_("Meter id {id}").format(id=m["id"]))
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, QTableWidgetItem(f"{cat.label(m['carrier'], lang)} ({m['unit'] or ''})"))
            level = QComboBox()
            level.setObjectName(f"level:{m['id']}")
            for k, text in LEVELS.items():
                level.addItem(_(text), k)
            level.setCurrentIndex(max(0, level.findData(m["level"])))
            level.currentIndexChanged.connect(lambda _i, m=m, cb=level: self._set(m, level=cb.currentData()))
            self.table.setCellWidget(r, 2, level)
            parent = QComboBox()
            parent.setObjectName(f"parent:{m['id']}")
            parent.addItem("—", "-")
            for p in ms:
                if p["carrier"] == m["carrier"] and p["id"] != m["id"]:
                    parent.addItem(p["name"], str(p["id"]))
            current = next((str(p["id"]) for p in ms if p["name"] == m["parent"] and p["carrier"] == m["carrier"]),
                           "-")
            parent.setCurrentIndex(max(0, parent.findData(current)))
            parent.currentIndexChanged.connect(lambda _i, m=m, cb=parent: self._set(m, parent=cb.currentData()))
            self.table.setCellWidget(r, 3, parent)
            role = QComboBox()
            role.setObjectName(f"role:{m['id']}")
            for k, text in ROLES.items():
                role.addItem(_(text), k)
            role.setCurrentIndex(max(0, role.findData(m["role"])))
            role.currentIndexChanged.connect(lambda _i, m=m, cb=role: self._set(m, role=cb.currentData()))
            self.table.setCellWidget(r, 4, role)
            for w in (level, parent, role):
                w.setEnabled(self.editable())
            self.table.setItem(r, 5, QTableWidgetItem(str(m["months"])))
            tot = QTableWidgetItem(fmt_num(m["stored_total"], 1))
            tot.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, 6, tot)
        if ms:
            year = self._year()
            lines = []
            for x in register.loss_report(self.ws, year) if year else []:
                share = f"{x['loss_share']:.1%}" if x["loss_share"] is not None else "—"
                lines.append(_("{year}: {meter} {total} {unit}, sub-meters {subs}, line loss / unmetered {loss} "
                               "({share})").format(year=year, meter=x["meter"], total=fmt_num(x["total"], 1),
                                                    unit=x["unit"] or "", subs=fmt_num(x["sub_total"], 1),
                                                    loss=fmt_num(x["loss"], 1), share=share))
            self.losses.setText("\n".join(lines) or _("No sub-meters: every meter listed counts as set."))
        self._filling = False

    def _year(self) -> int | None:
        try:
            return int(self.ws.assessment(getattr(self.view, "aid", None))["year"])
        except Exception:  # noqa: BLE001 - no assessment: no loss check
            return None

    def _set(self, m: dict, **kw) -> None:
        if self._filling:
            return
        from greendesk.core.meters import register

        try:
            register.set_meter(self.ws, m["id"], **kw)
        except Exception as e:  # noqa: BLE001 - one error dialog, nothing changed
            show_error(self, e)
        self.reload()
        self.changed.emit()
