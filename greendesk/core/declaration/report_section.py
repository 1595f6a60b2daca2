"""The 申报表 as a part of the PDF report: one block per row (the platform's short fields on a line,
then 证明材料要求 with the files attached, then the 计算过程), grouped by 一级指标.

Called once from ``report._Builder.story`` with the builder (its styles, table and cell helpers)."""

from __future__ import annotations

from greendesk.core.declaration.package import DECLARATION_NAME, doc_from_report_data
from greendesk.core.declaration.table import cell_value

_TEXT = {
    "title": ("申报表（逐行）", "Declaration table, row by row"),
    "intro": ("下表与绿色制造公共服务平台申报表逐栏对应，可逐项填入平台；同一表格（含计算过程明细）以 {f} 嵌入本文件。"
              "引领值/基准值为“/”表示方案未给出数值；⚠ 表示出处待核实。",
              "The table follows the platform's declaration form column by column, ready to be copied into it; "
              "the same table (with the calculation details) is embedded in this file as {f}. A '/' benchmark "
              "means the scheme gives none; ⚠ marks an uncertain source."),
    "head": (("序号", "指标", "指标类型", "分值", "单位", "引领值", "基准值", "年度指标值", "是否适用"),
             ("No.", "Indicator", "Type", "Points", "Unit", "Leading", "Baseline", "Value", "Applies")),
    "evidence": ("证明材料要求", "Evidence required"),
    "attached": ("已附", "attached"),
    "calc": ("计算过程", "Calculation"),
    "weight": ("加权参数", "Weighting"),
}
WIDTHS = (0.07, 0.25, 0.1, 0.06, 0.11, 0.09, 0.09, 0.15, 0.08)


def section(b) -> list:
    """Flowables of the 申报表 part for the report builder ``b``; [] when there is no table."""
    from reportlab.platypus import PageBreak, Paragraph, TableStyle

    from greendesk.core.declaration.calculation import num
    from greendesk.core.package.report import P, _c, escape
    from greendesk.core.package.templates import layout

    doc = doc_from_report_data(b.d)
    if doc is None or not doc["rows"]:
        return []
    zh = b.lang == "zh"

    def tr(key: str):
        return _TEXT[key][0 if zh else 1]

    st = b.st
    colon = "：" if zh else ": "
    rows: list[list] = [[Paragraph(escape(h), st["cell_head"]) for h in tr("head")]]
    cmds: list[tuple] = []
    group_rows: list[int] = []
    level1 = None
    for r in doc["rows"]:
        if r["level1"] != level1:
            level1 = r["level1"]
            group_rows.append(len(rows))
            rows.append([Paragraph(f"<b>{escape(level1)}</b>", st["cell"])] + [""] * 8)
        first = len(rows)
        v = cell_value(r, "value_text")
        rows.append([P(r["code"], st["cell_c"]), b.cell(r["title"], what=r["title"]), P(r["type"], st["cell_c"]),
                     P(num(r["points"]), st["cell_r"]), P(r["unit"], st["cell_c"]), P(r["leading_text"], st["cell_r"]),
                     P(r["baseline_text"], st["cell_r"]),
                     b.cell(num(v) if isinstance(v, float) else v, st["cell_r"], what=r["title"]),
                     P(r["applicable_text"], st["cell_c"])])
        files = "；".join(f["name"] for f in r["evidence_files"]) if zh else "; ".join(f["name"] for f in r["evidence_files"])
        ev = f"{tr('evidence')}{colon}{r['evidence_text']} — {tr('attached')}{colon}{files or ('无' if zh else 'none')}"
        if r["weight"] not in ("/", ""):
            ev += f" — {tr('weight')}{colon}{r['weight']}"
        rows.append([b.cell(ev, st["small"], what=f"{r['code']} {r['title']} {tr('evidence')}", limit=1200)] + [""] * 8)
        cmds.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
        if r["calculation"]:
            rows.append([b.cell(f"{tr('calc')}{colon}{r['calculation_text']}", st["small"],
                                what=f"{r['code']} {r['title']} {tr('calc')}", limit=1500)] + [""] * 8)
            cmds.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
        cmds.append(("LINEABOVE", (0, first), (-1, first), 0.9, _c(layout()["colour"]["table_grid"])))
        if r["id"] in doc["missing_evidence"]:
            cmds.append(("BACKGROUND", (0, first + 1), (-1, first + 1), _c("#FCE4D6")))
        # a row's block (its line, evidence, calculation) is never cut by a page break; nor a group heading
        # from its first row
        cmds.append(("NOSPLIT", (0, group_rows[-1] if group_rows[-1] == first - 1 else first), (-1, len(rows) - 1)))
    t = b.table(rows, list(WIDTHS), zebra=False)
    for g in group_rows:
        cmds += [("SPAN", (0, g), (-1, g)), ("BACKGROUND", (0, g), (-1, g), _c(layout()["colour"]["table_head"]))]
    t.setStyle(TableStyle(cmds))
    intro = tr("intro").format(f=DECLARATION_NAME)
    return [PageBreak(), b.h(tr("title"), 0), P(intro, st["small"]), t]
