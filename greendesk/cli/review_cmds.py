"""The reviewer's subcommands: ``review`` (verify, load and compare many packages) and ``package-schema``."""

from __future__ import annotations

from pathlib import Path

from greendesk.cli.common import add_json_flag, emit
from greendesk.core.i18n import t


def register(sub) -> None:
    p = sub.add_parser(
        "review", help=t("审核多个申报材料包：校验、汇总入库并与同行对比", "review many packages: verify, load, compare with peers"),
        description=t("逐个校验材料包（与 verify 相同），把内嵌的答案、得分和能源数据载入 DuckDB 审核数据库"
                      "（已载入的文件按 SHA-256 跳过），并按行业小类和省份对比。不带 --db 和 --out 时（或给出 --window 时）打开审核窗口。"
                      "退出码：0 所有材料包均通过校验；1 有材料包未通过（拒绝）或其数据格式无法读取。",
                      "Verifies every package (as verify does), loads the embedded answers, scores and energy "
                      "data into a DuckDB review database (files already loaded are skipped by SHA-256) and "
                      "compares factories of the same industry class and province. Without --db and --out (or "
                      "with --window) it opens the review window. Exit codes: 0 every package passed verification; 1 a package "
                      "was rejected or its data format cannot be read."))
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help=t("材料包（PDF）或文件夹（其中所有 *.pdf）", "package (PDF) or folder (every *.pdf in it)"))
    p.add_argument("--db", type=Path, help=t("审核数据库文件（DuckDB，不存在则新建）",
                                             "review database file (DuckDB; created when missing)"))
    p.add_argument("--out", type=Path, help=t("写出汇总表（.xlsx）", "write the summary workbook (.xlsx)"))
    p.add_argument("--window", action="store_true",
                   help=t("在审核窗口中打开 --db 给出的数据库（默认：本机的审核数据库）；可不给 PATH",
                          "open the review window on the --db database (default: this computer's review "
                          "database); PATH may be left out"))
    p.add_argument("--trust", type=Path, action="append",
                   help=t("信任的证书（PEM/DER），可多次给出", "trusted certificate (PEM/DER); may be repeated"))
    p.add_argument("--workers", type=int, help=t("并行校验的进程数（默认：CPU 核数）",
                                                 "processes verifying in parallel (default: the number of cores)"))
    p.add_argument("--lang", choices=["zh", "en"], help=t("汇总表语言（默认：界面语言）",
                                                          "language of the workbook (default: the message language)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_review, _parser=p)

    q = sub.add_parser("package-schema", help=t("材料包内嵌数据的 JSON Schema（数据约定）",
                                                "JSON Schema of the data a package embeds (the data contract)"))
    q.add_argument("--format", choices=["answers-scores", "manifest"], default="answers-scores",
                   help=t("哪一个内嵌文件（默认 answers-scores）", "which embedded file (default answers-scores)"))
    q.set_defaults(func=cmd_package_schema)


def cmd_package_schema(args) -> int:
    from greendesk.cli.common import print_json
    from greendesk.core.review import contract

    fmt = contract.DATA_FORMAT if args.format == "answers-scores" else contract.MANIFEST_FORMAT
    print_json(contract.SCHEMAS[fmt][contract.SUPPORTED_MAJOR[fmt]])
    return 0


def cmd_review(args) -> int:
    if args.window and args.out is not None:
        args._parser.error(t("--window 不能与 --out 同用", "--window cannot be used with --out"))
    if args.window or (args.db is None and args.out is None):
        import os
        import sys

        from greendesk.core.errors import UserError

        if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
                and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
            raise UserError("找不到图形显示，无法打开审核窗口。请给出 --db 或 --out 在命令行中审核。",
                            "No graphical display found for the review window. Give --db or --out to review "
                            "on the command line.")
        from greendesk.ui.reviewwindow import run_review_window

        return run_review_window(args.paths, trust=args.trust, db=args.db)
    if not args.paths:
        args._parser.error(t("请给出材料包或文件夹（PATH）", "give the packages or folders to review (PATH)"))
    if args.workers is not None and args.workers < 1:
        args._parser.error(t("--workers 至少为 1", "--workers must be at least 1"))
    from greendesk.core.review.load import review_packages
    from greendesk.core.review.store import connect

    con = connect(args.db)
    try:
        r = review_packages(args.paths, args.db, trust=args.trust, workers=args.workers, con=con)
        ids = [x["package_id"] for x in r["packages"] if x["package_id"] is not None]
        flags, outliers = {}, []
        if ids:
            marks = ", ".join("?" * len(ids))
            for pid, n, total, mx, year in con.execute(
                    f"SELECT package_id, flags, total, max, year FROM v_packages WHERE package_id IN ({marks})",
                    ids).fetchall():
                flags[pid] = {"flags": n, "total": total, "max": mx, "year": year}
            lang = args.lang or None
            text_col = "text_zh" if (lang or _lang()) == "zh" else "text_en"
            cols = ["package_id", "factory_name", "year", "rule", "subject", "value", "reference", "ratio", "unit"]
            for row in con.execute(f"SELECT {', '.join(cols)}, {text_col} FROM v_outliers "
                                   f"WHERE package_id IN ({marks}) ORDER BY package_id, rule, subject", ids).fetchall():
                outliers.append(dict(zip([*cols, "text"], row, strict=True)))
        for x in r["packages"]:
            x.update(flags.get(x["package_id"], {}))
        r["outliers"] = outliers
        r["summary"] = None
        if args.out is not None:
            from greendesk.core.review.workbook import write_summary

            r["summary"] = write_summary(con, args.out, args.lang)["path"]
    finally:
        con.close()
    emit(r, args.json, _text)
    bad = any(x["action"] == "refused" or x["status"] == "rejected" for x in r["packages"])
    return 1 if bad else 0


def _lang() -> str:
    from greendesk.core.i18n import language

    return language()


def _num(v) -> str:
    from greendesk.core.package.data import fmt_num

    return fmt_num(v, 2)


def _text(r: dict) -> str:
    c = r["counts"]
    lines = [t("载入 {a} 个材料包（通过 {ok} 个，拒绝 {rej} 个），跳过 {s} 个（已在数据库中），{f} 个数据格式无法读取。",
               "Loaded {a} packages ({ok} accepted, {rej} rejected), skipped {s} already in the database, "
               "{f} in a data format this version cannot read.",
               a=c["loaded"], ok=c["accepted"], rej=c["rejected"], s=c["skipped"], f=c["refused"])]
    for x in r["packages"]:
        state = {"accepted": t("通过", "accepted"), "rejected": t("拒绝", "REJECTED"), None: t("无法读取", "REFUSED")}[
            x["status"]]
        if x["action"] == "skipped":
            state += t("（已载入）", " (already loaded)")
        line = f"  {state}  {Path(x['file']).name}  {x.get('factory') or '—'}"
        if x["status"] == "accepted":
            line += t("  {y} 年  得分 {s}/{m}  异常 {n} 项", "  {y}  score {s}/{m}  {n} flags",
                      y=x.get("year") or "—", s=_num(x.get("total")), m=_num(x.get("max")), n=x.get("flags", 0))
        lines.append(line)
        if x["status"] != "accepted":
            for reason in x["reasons"]:
                lines.append(f"      {reason}")
    if r["outliers"]:
        lines.append(t("需要核实的数据：", "Figures to check:"))
        for o in r["outliers"]:
            ref = (t("（参照 {v}，{x} 倍）", " (reference {v}, {x}x)", v=_num(o["reference"]), x=_num(o["ratio"]))
                   if o["ratio"] is not None else "")
            lines.append(f"  {o['factory_name']} {o['year']}: {o['text']}: {o['subject']} = {_num(o['value'])} "
                         f"{o['unit'] or ''}{ref}")
    if r.get("db"):
        lines.append(t("审核数据库：{p}", "Review database: {p}", p=r["db"]))
    if r.get("summary"):
        lines.append(t("汇总表：{p}", "Summary workbook: {p}", p=r["summary"]))
    return "\n".join(lines)
