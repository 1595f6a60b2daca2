"""Annual-return subcommands: annual-return (the 动态管理表 as .xlsx/JSON) and check-years."""

from __future__ import annotations

from pathlib import Path

from greendesk.cli.common import add_json_flag, emit
from greendesk.core.i18n import t


def _year(text: str) -> int:
    import argparse

    try:
        y = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t(f"“{text}”不是年份", f"'{text}' is not a year")) from None
    if not (1990 <= y <= 2100):
        raise argparse.ArgumentTypeError(t(f"年份 {y} 不合理", f"year {y} is not plausible"))
    return y


def register(sub) -> None:
    p = sub.add_parser("annual-return", help=t("动态管理表：当年与前两年及认定年的关键指标（.xlsx / JSON）",
                                               "annual return: key figures of a year, the two years before and "
                                               "the listing year (.xlsx / JSON)"))
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=_year, help=t("填报年度（默认：最新一项评价的年度）",
                                                "the year reported (default: the latest assessment's year)"))
    p.add_argument("--out", type=Path, help=t("写入的 .xlsx 文件（A4 横向打印）", ".xlsx file to write (prints on A4 landscape)"))
    p.add_argument("--template", default="national",
                   help=t("模板 id 或 .yaml 文件（默认 national）", "template id or .yaml file (default: national)"))
    p.add_argument("--listing-year", type=_year,
                   help=t("记录工厂被认定（入库）为绿色工厂的年份（保存在工作区中）",
                          "store the year the factory was listed as a green factory (kept in the workspace)"))
    p.add_argument("--lang", choices=("zh", "en"), help=t("工作簿的语言", "language of the workbook"))
    add_json_flag(p)
    p.set_defaults(func=cmd_annual_return)

    p = sub.add_parser("check-years", help=t("三年核查：关键指标与认定时水平、基准值及自身趋势比较",
                                             "three-year check: key indicators against the listed level, the "
                                             "基准值 and their own trend"))
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=_year, help=t("核查的年度（默认：最新一项评价的年度）",
                                                "the year checked (default: the latest assessment's year)"))
    p.add_argument("--template", default="national",
                   help=t("模板 id 或 .yaml 文件（默认 national）", "template id or .yaml file (default: national)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_check_years)


def cmd_annual_return(args) -> int:
    from greendesk.core.annual.returns import build_return, set_listing_year
    from greendesk.core.annual.template import load_template
    from greendesk.core.errors import UserError
    from greendesk.core.workspace import Workspace

    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise UserError("动态管理表的文件名应以 .xlsx 结尾。", "The annual return's file name must end in .xlsx.")
    tpl = load_template(args.template)     # a bad template is refused before anything is written
    only_set = args.listing_year is not None and args.out is None and not args.json and args.year is None
    with Workspace.open(args.file, readonly=args.listing_year is None) as ws:
        if args.listing_year is not None:
            set_listing_year(ws, args.listing_year)
            if not args.json:
                print(t(f"已记录认定年份：{args.listing_year}", f"Listing year stored: {args.listing_year}"))
        if only_set:
            return 0
        doc = build_return(ws, args.year, template=tpl, lang=args.lang)
    if args.out is not None:
        from greendesk.core.annual.workbook import write_return

        write_return(doc, args.out, lang=args.lang)
    if args.json:
        emit(doc, True, str)
    elif args.out is not None:
        c = doc["check"]["counts"]
        print(t(f"已写入 {args.out}（{len(doc['rows'])} 行，{doc['years'][0]}–{doc['year']} 年；需关注 {c['flagged']} 项，"
                f"数据缺失 {c['missing']} 项）",
                f"Written {args.out} ({len(doc['rows'])} rows, {doc['years'][0]}–{doc['year']}; {c['flagged']} flagged, "
                f"{c['missing']} with missing data)"))
    else:
        print(return_text(doc))
    return 0


def _fmt(v) -> str:
    if v is None:
        return t("缺失", "missing")
    a = abs(v)
    digits = 0 if a >= 1000 else 1 if a >= 100 else 2 if a >= 1 else 4
    return f"{v:,.{digits}f}"


def return_text(doc: dict) -> str:
    years = [c["year"] for c in doc["columns"]]
    lines = [f"{doc['template']['title']} — {doc['factory'].get('name') or ''} {doc['year']}",
             t("认定年份：", "Listing year: ") + (str(doc["listing_year"]) if doc["listing_year"] else t("未设置", "not set"))]
    head = f"{'':<40}" + "".join(f"{y:>14}" for y in years) + f"  {t('来源', 'source')}"
    lines.append(head)
    for r in doc["rows"]:
        label = f"{r['label']} ({r['unit']})"
        cells = "".join(f"{_fmt(r['values'][str(y)]['value']):>14}" for y in years)
        lines.append(f"{label[:40]:<40}{cells}  {r['values'][str(doc['year'])]['source']}")
    for n in doc.get("notes") or []:
        lines.append(n)
    if doc.get("check"):
        lines.append("")
        lines.append(check_text(doc["check"]))
    return "\n".join(lines)


def cmd_check_years(args) -> int:
    from greendesk.core.annual.check import check_years
    from greendesk.core.annual.template import load_template
    from greendesk.core.workspace import Workspace

    tpl = load_template(args.template)
    with Workspace.open(args.file, readonly=True) as ws:
        result = check_years(ws, args.year, template=tpl)
    emit(result, args.json, check_text)
    return 0     # findings are data: the check itself succeeded


def check_text(c: dict) -> str:
    n = c["counts"]
    lines = [t(f"三年核查 {c['years'][0]}–{c['year']}：需关注 {n['flagged']} 项，数据缺失 {n['missing']} 项，符合 {n['ok']} 项",
               f"Three-year check {c['years'][0]}–{c['year']}: {n['flagged']} flagged, {n['missing']} with missing data, "
               f"{n['ok']} ok")]
    mark = {"flagged": "!", "missing": "?", "ok": " ", "not_applicable": "-"}
    for f in c["findings"]:
        lines.append(f"{mark[f['status']]} {f['label']}: " + " → ".join(_fmt(f['values'].get(str(y))) for y in c["years"])
                     + f" {f['unit']}")
        for r in f["reasons"]:
            lines.append(f"    {r['message']}")
            lines.append(f"    {t('建议：', 'To do: ')}{r['action']}")
    sc = c.get("score") or {}
    if sc.get("totals"):
        lines.append(t("总分：", "Total score: ") + "  ".join(f"{y} {_fmt(v)}" for y, v in sc["totals"].items()))
        for r in sc.get("reasons") or []:
            lines.append(f"    {r['message']}")
            lines.append(f"    {t('建议：', 'To do: ')}{r['action']}")
    for note in c.get("notes") or []:
        lines.append(note)
    return "\n".join(lines)
