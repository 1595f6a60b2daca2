"""The 申报表 page: the rows as the platform asks for them, a copy button per row (and copy-all), the
计算过程 and the evidence of the selected row, and the .xlsx export.

Every figure comes from :mod:`greendesk.core.declaration`; this page only shows and copies them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from greendesk.core.errors import UserError
from greendesk.ui.i18n import _, language

NO_EVIDENCE_BG = QBrush(QColor("#fce4d6"))
# the columns shown in the table (the long ones are shown below it for the selected row)
SHOWN = ("code", "title", "type", "points", "unit", "leading", "baseline", "value_text", "applicable_text",
         "files_text")


class DeclarationPage(QWidget):
    """``DeclarationPage(ws, assessment_id)``: call :meth:`reload` to (re)compute the table."""

    def __init__(self, ws, assessment_id: int | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("declaration_page")
        self.ws, self.aid = ws, assessment_id
        self.doc: dict | None = None
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("declaration_title")
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        self.copy_row_button = QPushButton(_("Copy row"))
        self.copy_row_button.setObjectName("declaration_copy_row")
        self.copy_row_button.setToolTip(_("Copy the selected row, one platform field per line"))
        self.copy_all_button = QPushButton(_("Copy all"))
        self.copy_all_button.setObjectName("declaration_copy_all")
        self.copy_all_button.setToolTip(_("Copy every row, tab-separated with the header row (pastes into a spreadsheet)"))
        self.export_button = QPushButton(_("Export .xlsx…"))
        self.export_button.setObjectName("declaration_export")
        for b in (self.copy_row_button, self.copy_all_button, self.export_button):
            top.addWidget(b)
        lay.addLayout(top)
        self.note = QLabel()
        self.note.setObjectName("declaration_note")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)

        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget()
        self.table.setObjectName("declaration_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        split.addWidget(self.table)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("declaration_detail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(_("Select a row to see its calculation and its evidence."))
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        self.status = QLabel()
        self.status.setObjectName("declaration_status")
        lay.addWidget(self.status)

        self.table.itemSelectionChanged.connect(self._selected)
        self.copy_row_button.clicked.connect(lambda: self.copy_row(self.current_row()))
        self.copy_all_button.clicked.connect(self.copy_all)
        self.export_button.clicked.connect(self._export_clicked)

    # -- data -----------------------------------------------------------------------

    def reload(self) -> None:
        from greendesk.core.declaration.table import declaration_table

        keep = self.current_row()
        try:
            self.doc = declaration_table(self.ws, self.aid, lang=language())
        except UserError as e:
            self.doc = None
            self.note.setText(e.message(language()))
            self.table.setRowCount(0)
            self.detail.clear()
            return
        self._fill()
        if keep is not None:
            self.table.selectRow(keep)

    def _heads(self) -> dict[str, str]:
        from greendesk.core.declaration.table import COLUMNS

        zh = language() == "zh"
        return {k: (czh if zh else cen) for k, czh, cen in COLUMNS}

    def _fill(self) -> None:
        d = self.doc
        heads = self._heads()
        self.title.setText(f"{_('Declaration table')} · {d['scheme_title']} · {d['year']}")
        self.note.setText(_("{n} rows, in the platform's order; {m} have a value but none of their required "
                            "evidence attached (orange). A '/' benchmark means the scheme gives none.").format(
            n=len(d["rows"]), m=len(d["missing_evidence"])))
        t = self.table
        t.clear()
        t.setColumnCount(len(SHOWN) + 1)
        t.setHorizontalHeaderLabels([heads[k] for k in SHOWN] + [""])
        t.setRowCount(len(d["rows"]))
        missing = set(d["missing_evidence"])
        for i, row in enumerate(d["rows"]):
            for j, key in enumerate(SHOWN):
                v = row.get({"leading": "leading_text", "baseline": "baseline_text"}.get(key, key))
                if key == "points":
                    from greendesk.core.declaration.calculation import num
                    v = num(v)
                it = QTableWidgetItem("" if v is None else str(v))
                if key in ("points", "leading", "baseline", "value_text"):
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if key == "title":
                    it.setToolTip(row["level1"])
                if key == "files_text" and row["id"] in missing:
                    it.setBackground(NO_EVIDENCE_BG)
                    it.setToolTip(_("A value but none of the required evidence attached"))
                t.setItem(i, j, it)
            b = QPushButton(_("Copy"))
            b.setObjectName(f"declaration_copy_{row['id']}")
            b.setToolTip(_("Copy this row, one platform field per line"))
            b.clicked.connect(lambda _c=False, i=i: self.copy_row(i))
            t.setCellWidget(i, len(SHOWN), b)
        hh = t.horizontalHeader()
        for k in range(len(SHOWN) + 1):
            hh.setSectionResizeMode(k, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for k in (2, 7):                  # type and value wrap rather than squeeze the indicator's name
            hh.setSectionResizeMode(k, QHeaderView.ResizeMode.Interactive)
            t.setColumnWidth(k, min(t.sizeHintForColumn(k), 150))
        t.resizeRowsToContents()

    def current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].row() if rows else None

    def _selected(self) -> None:
        i = self.current_row()
        if i is None or self.doc is None:
            self.detail.clear()
            return
        self.detail.setPlainText(self.detail_text(self.doc["rows"][i]))

    def detail_text(self, row: dict) -> str:
        """The long fields of a row: 证明材料要求, the files attached, 计算过程 with every input."""
        from greendesk.core.declaration.calculation import num

        heads = self._heads()
        colon = "：" if language() == "zh" else ": "
        out = [f"{row['code']} {row['title']}", "",
               f"{heads['evidence_text']}{colon}{row['evidence_text']}",
               f"{heads['files_text']}{colon}{row['files_text']}", "",
               f"{heads['calculation_text']}{colon}{row['calculation_text']}"]
        calc = row.get("calculation")
        if calc:
            out += ["", calc["formula"]]
            for inp in calc["inputs"]:
                out.append(f"  • {self._input_line(inp)}")
                for p in inp.get("parts") or []:
                    fac = p.get("factor")
                    tail = (f" × {fac['value']:g} {fac['unit']} ({fac['source']}; {fac['certainty']})" if fac else "")
                    out.append(f"      {p['name']}: {num(p['value'])} {p['unit']}{tail}")
        return "\n".join(out)

    def _input_line(self, inp: dict) -> str:
        origin = {"answer": _("answer"), "ledger": _("ledger"), "computed": _("computed"),
                  "missing": _("no figure")}.get(inp["origin"], inp["origin"])
        if inp.get("via") == "production":
            origin = _("production record")
        where = ", ".join(f"{i['file']} #{i['id']}" for i in inp.get("imports") or [])
        v = inp.get("value")
        from greendesk.core.declaration.calculation import num

        shown = f"{len(v)}" if isinstance(v, list) else num(v)
        return f"{inp['name']} = {shown} {inp.get('unit') or ''} [{origin}{': ' + where if where else ''}]"

    # -- clipboard and export -----------------------------------------------------------

    def copy_row(self, i: int | None) -> str | None:
        from greendesk.core.declaration.table import row_text

        if i is None or self.doc is None:
            self.status.setText(_("Select a row first."))
            return None
        text = row_text(self.doc["rows"][i], language())
        QGuiApplication.clipboard().setText(text)
        self.status.setText(_("Row {code} copied to the clipboard.").format(code=self.doc["rows"][i]["code"]))
        return text

    def copy_all(self) -> str | None:
        from greendesk.core.declaration.table import COLUMNS, row_text

        if self.doc is None:
            return None
        lang = language()
        lines = ["\t".join(zh if lang == "zh" else en for _k, zh, en in COLUMNS)]
        for row in self.doc["rows"]:
            cells = [ln.split("：" if lang == "zh" else ": ", 1)[-1] for ln in row_text(row, lang).split("\n")]
            lines.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))
        text = "\n".join(lines)
        QGuiApplication.clipboard().setText(text)
        self.status.setText(_("{n} rows copied to the clipboard, tab-separated with the header row.").format(
            n=len(self.doc["rows"])))
        return text

    def _export_clicked(self) -> None:
        from greendesk.ui.exportaction import export_clicked

        export_clicked(self, _("Export the declaration table"), _("Declaration table"), self.export_to)

    def export_to(self, path: str):
        from greendesk.core.declaration.workbook import write_workbook
        from greendesk.ui.exportaction import write_xlsx

        out = write_xlsx(self, path, lambda p: write_workbook(self.doc, p, lang=language()))
        if out is not None:
            self.status.setText(_("Written {path}").format(path=out))
        return out
