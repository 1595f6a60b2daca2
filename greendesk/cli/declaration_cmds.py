"""Declaration subcommand: declaration-table (the 申报表 row by row, with 计算过程 and evidence, as .xlsx / JSON)."""

from __future__ import annotations

from pathlib import Path

from greendesk.cli.common import add_json_flag, emit
from greendesk.core.i18n import t


def register(sub) -> None:
    p = sub.add_parser("declaration-table", help=t(
        "申报表：逐行的指标、引领值/基准值、年度指标值、证明材料要求与计算过程（.xlsx / JSON）",
        "declaration table: every row with its benchmarks, value for the year, evidence required and "
        "calculation (.xlsx / JSON)"))
    p.add_argument("file", type=Path)
    p.add_argument("--assessment", type=int, help=t("评价编号（默认：最新一项）", "assessment id (default: the latest)"))
    p.add_argument("--out", type=Path, help=t("写入的 .xlsx 文件（A4 横向打印）", ".xlsx file to write (prints on A4 landscape)"))
    p.add_argument("--lang", choices=("zh", "en"), help=t("表格的语言", "language of the table"))
    add_json_flag(p)
    p.set_defaults(func=cmd_declaration_table)


def cmd_declaration_table(args) -> int:
    from greendesk.core.declaration.table import declaration_table
    from greendesk.core.errors import UserError
    from greendesk.core.i18n import language, using_language
    from greendesk.core.workspace import Workspace

    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise UserError("申报表的文件名应以 .xlsx 结尾。", "The declaration table's file name must end in .xlsx.")
    lang = args.lang or language()
    with Workspace.open(args.file, readonly=True) as ws, using_language(lang):
        doc = declaration_table(ws, args.assessment, lang=lang)
    if args.out is not None:
        from greendesk.core.declaration.workbook import write_workbook

        with using_language(lang):
            write_workbook(doc, args.out, lang=lang)
    if args.json:
        emit(doc, True, str)
        return 0
    if args.out is not None:
        n = len(doc["rows"])
        m = len(doc["missing_evidence"])
        print(t(f"已写入 {args.out}（{n} 行；{m} 行有数值但未附证明材料）",
                f"Written {args.out} ({n} rows; {m} with a value but no evidence attached)"))
        return 0
    for r in doc["rows"]:
        print(f"{r['code']:<6} {r['title']}  [{r['type']}]  {r['value_text'] or '—'} {r['unit'] if r['unit'] != '/' else ''}")
        if r["calculation"]:
            print(f"       {r['calculation_text']}")
    return 0
