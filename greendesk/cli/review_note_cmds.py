"""The reviewer's notes and the signed review sheet: ``review-note``, ``review-notes``, ``review-sheet``."""

from __future__ import annotations

import os
from pathlib import Path

from greendesk.cli.common import add_json_flag, emit, finite_float
from greendesk.core.errors import UserError
from greendesk.core.i18n import t


def register(sub) -> None:
    p = sub.add_parser(
        "review-note", help=t("给材料包的一行指标写审核备注（可附修改后的值）",
                              "write a reviewer's note on one indicator row of a package (optionally a corrected value)"),
        description=t("备注存入审核数据库，不覆盖早先的备注：同一行的新备注替换旧备注，旧备注作为历史保留。",
                      "The note goes into the review database and overwrites nothing: a new note on the same row "
                      "replaces the earlier one, which is kept as its history."))
    p.add_argument("db", type=Path, metavar="DB", help=t("审核数据库（greendesk review --db 建立）",
                                                         "review database (made by greendesk review --db)"))
    p.add_argument("package", metavar="PKG", help=t("材料包：文件、SHA-256（至少 8 位）或编号",
                                                    "package: its file, SHA-256 (8+ digits) or number"))
    p.add_argument("indicator", metavar="INDICATOR", help=t("指标编号，例如 energy_intensity",
                                                            "indicator id, e.g. energy_intensity"))
    p.add_argument("--reason", required=True, help=t("理由（审核意见）", "reason (the reviewer's remark)"))
    p.add_argument("--value", type=finite_float, help=t("修改后的指标值", "the corrected value"))
    p.add_argument("--reviewer", help=t("审核人（默认：环境变量 GREENDESK_REVIEWER，否则登录名）",
                                        "reviewer (default: $GREENDESK_REVIEWER, else the login name)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_review_note)

    p = sub.add_parser("review-notes", help=t("列出审核备注", "list the reviewer's notes"))
    p.add_argument("db", type=Path, metavar="DB", help=t("审核数据库", "review database"))
    p.add_argument("--package", metavar="PKG", help=t("只列出该材料包的备注", "only this package's notes"))
    p.add_argument("--history", action="store_true", help=t("同时列出已被替换的备注", "include notes since replaced"))
    add_json_flag(p)
    p.set_defaults(func=cmd_review_notes)

    p = sub.add_parser(
        "review-sheet", help=t("导出签名的审核意见（PDF）", "export the signed review sheet (PDF)"),
        description=t("审核意见包含材料包的身份（工厂、统一社会信用代码、评价方案、年度、SHA-256、校验结果）、"
                      "全部审核备注、审核人和日期，以与申报材料包相同的 PAdES 方式签名；可用 greendesk verify 校验。",
                      "The sheet carries the package's identity (factory, credit code, scheme, year, SHA-256, "
                      "verification result), every note, the reviewer and the date, signed with the same PAdES "
                      "signing as a package; greendesk verify checks it."))
    p.add_argument("db", type=Path, metavar="DB", help=t("审核数据库", "review database"))
    p.add_argument("--package", required=True, metavar="SHA|FILE",
                   help=t("材料包：SHA-256（至少 8 位）、文件或编号", "package: SHA-256 (8+ digits), file or number"))
    p.add_argument("--out", required=True, type=Path, help="审核意见.pdf")
    p.add_argument("--p12", required=True, type=Path, help=t("审核人的签名证书（.p12/.pfx）",
                                                             "the reviewer's certificate (.p12/.pfx)"))
    p.add_argument("--passphrase-env", required=True, metavar="VAR",
                   help=t("保存证书口令的环境变量名", "environment variable holding the passphrase"))
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help=t("语言（默认中文）", "language (default zh)"))
    p.add_argument("--timestamp-url", help=t("时间戳服务器（RFC 3161）", "timestamp server (RFC 3161)"))
    p.add_argument("--force", action="store_true", help=t("覆盖已有文件", "overwrite an existing file"))
    add_json_flag(p)
    p.set_defaults(func=cmd_review_sheet)


def _open(db: Path):
    from greendesk.core.review.store import connect

    if not db.is_file():
        raise UserError(f"找不到审核数据库 {db}：请先用 greendesk review PATH… --db {db} 载入材料包。",
                        f"The review database {db} was not found: load packages first with "
                        f"greendesk review PATH… --db {db}.")
    return connect(db)


def _reviewer(name: str | None) -> str:
    if name:
        return name
    env = os.environ.get("GREENDESK_REVIEWER")
    if env:
        return env
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError) as e:
        raise UserError("请用 --reviewer 给出审核人。", "Give the reviewer with --reviewer.") from e


def _line(n: dict) -> str:
    head = f"#{n['note_id']}  {n['factory_name'] or '—'}  {n['title'] or n['indicator_id']} ({n['indicator_id']})"
    by = f"{n['reviewer']}, {(n['noted_at'] or '')[:16].replace('T', ' ')}"
    extra = ""
    if n["replaces"]:
        extra = t("（替换 #{r}）", " (replaces #{r})", r=n["replaces"])
    if not n["current"]:
        extra += t("（已被替换）", " (replaced)")
    return f"{head}{extra}\n    {n['text']}\n    {by}"


def cmd_review_note(args) -> int:
    from greendesk.core.review.notes import add_note

    con = _open(args.db)
    try:
        n = add_note(con, args.package, args.indicator, args.reason, value=args.value,
                     reviewer=_reviewer(args.reviewer))
    finally:
        con.close()
    emit(n, args.json, lambda x: t("已保存审核备注：", "Note saved: ") + _line(x))
    return 0


def cmd_review_notes(args) -> int:
    from greendesk.core.review.notes import notes, resolve_package

    con = _open(args.db)
    try:
        pid = resolve_package(con, args.package)["package_id"] if args.package else None
        rows = notes(con, package_id=pid, current_only=not args.history)
    finally:
        con.close()
    emit(rows, args.json, lambda x: "\n".join(_line(n) for n in x) if x
         else t("没有审核备注。", "No notes."))
    return 0


def cmd_review_sheet(args) -> int:
    from greendesk.cli.package_cmds import _passphrase
    from greendesk.core.package.certs import load_p12
    from greendesk.core.review.sheet import write_review_sheet

    ident = load_p12(args.p12, _passphrase(args.passphrase_env))
    con = _open(args.db)
    try:
        r = write_review_sheet(con, args.package, args.out, ident, lang=args.lang, timestamp_url=args.timestamp_url,
                               overwrite=args.force)
    finally:
        con.close()
    emit(r, args.json, lambda x: "\n".join(
        [t("已写出签名的审核意见：{p}（材料包 {s}…，{n} 条备注，审核人 {r}）",
           "Signed review sheet written: {p} (package {s}…, {n} notes, reviewer {r})",
           p=x["path"], s=x["package_sha256"][:16], n=x["notes"], r=x["reviewer"])]
        + [t("注意：{n}", "Note: {n}", n=n) for n in x.get("notes_messages") or []]))
    return 0
