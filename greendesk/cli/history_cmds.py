"""The state and history of an assessment: finalize, reopen, imports, import-remove."""

from __future__ import annotations

from pathlib import Path

from greendesk.cli.common import add_json_flag, emit
from greendesk.core.i18n import t


def register(sub) -> None:
    p = sub.add_parser("finalize", help=t("定稿（有须解决的问题时拒绝并列出）",
                                          "mark the assessment final (refused, with the problems, while any blocks it)"))
    p.add_argument("file", type=Path)
    p.add_argument("--assessment", type=int, help=t("评价编号（默认：最新一项）", "assessment id (default: latest)"))
    p.add_argument("--by", help=t("操作人（默认：当前用户）", "who (default: the current user)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_finalize)

    p = sub.add_parser("reopen", help=t("将已定稿的评价重新打开为草稿（须说明原因）",
                                        "reopen a final assessment as a draft (a reason is required)"))
    p.add_argument("file", type=Path)
    p.add_argument("--reason", required=True, help=t("原因（与操作人和时间一起记录）", "why (recorded with who and when)"))
    p.add_argument("--assessment", type=int, help=t("评价编号（默认：最新一项）", "assessment id (default: latest)"))
    p.add_argument("--by", help=t("操作人（默认：当前用户）", "who (default: the current user)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_reopen)

    p = sub.add_parser("imports", help=t("列出本评价导入的能源台账", "list the meter ledgers imported into the assessment"))
    p.add_argument("file", type=Path)
    p.add_argument("--assessment", type=int, help=t("评价编号（默认：最新一项）", "assessment id (default: latest)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_imports)

    p = sub.add_parser("import-remove", help=t("删除一次台账导入及其数据", "remove one ledger import and its readings"))
    p.add_argument("file", type=Path)
    p.add_argument("id", type=int, help=t("导入编号（见 greendesk imports）", "import id (see greendesk imports)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_import_remove)


def _open(path: Path, readonly: bool = False):
    from greendesk.core.workspace import Workspace

    return Workspace.open(path, readonly=readonly)


def cmd_finalize(args) -> int:
    from greendesk.core import finalize

    with _open(args.file) as ws:
        try:
            result = finalize.finalize(ws, args.assessment, by=args.by)
        except finalize.FinalizeRefused as e:
            if args.json:
                emit({"finalized": False, "blocking": e.problems}, True, str)
            else:
                import sys

                print(f"greendesk: {e.message()}", file=sys.stderr)
                if len(e.problems) > 1:
                    for p in e.problems:
                        print(f"  - {p['text']}", file=sys.stderr)
            return 1
    result["finalized"] = True

    def text(r: dict) -> str:
        a = r["assessment"]
        lines = [t("{y} 年的评价已定稿；如需修改，须重新打开为草稿（greendesk reopen）。",
                   "The {y} assessment is final; to change it, reopen it as a draft (greendesk reopen).", y=a["year"])]
        if r["warnings"]:
            lines.append(t("提示（不影响定稿）：", "Warnings (they do not stop finalizing):"))
            lines += [f"  - {w['text']}" for w in r["warnings"]]
        return "\n".join(lines)
    emit(result, args.json, text)
    return 0


def cmd_reopen(args) -> int:
    from greendesk.core import finalize

    with _open(args.file) as ws:
        event = finalize.reopen(ws, args.assessment, args.reason, by=args.by)
        a = ws.assessment(args.assessment)
    emit(dict(event, assessment=a["id"], year=a["year"]), args.json,
         lambda e: t("{y} 年的评价已重新打开为草稿（{by}，{at}，原因：{r}）。",
                     "The {y} assessment is a draft again ({by}, {at}; reason: {r}).",
                     y=e["year"], by=e["by"], at=e["at"], r=e["reason"]))
    return 0


def _num(x: float) -> str:
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.0f}"


def imports_text(rows: list[dict]) -> str:
    if not rows:
        return t("（本评价没有导入台账）", "(no ledger imported into this assessment)")
    lines = []
    for r in rows:
        m = r["months"]
        span = f"{m[0]}…{m[1]}" if m and m[0] != m[1] else (m[0] if m else "-")
        lines.append(t("#{id} {f}  导入于 {at}  {n} 条数据，{k} 个月（{span}）",
                       "#{id} {f}  imported {at}  {n} readings, {k} months ({span})",
                       id=r["id"], f=r["file"], at=r["imported_at"][:16].replace("T", " "), n=r["readings"],
                       k=r["month_count"], span=span))
        for c in r["carriers"]:
            lines.append(f"    {c['label']}: {_num(c['total'])} {c['unit']}")
    return "\n".join(lines)


def cmd_imports(args) -> int:
    from greendesk.core.meters import history

    with _open(args.file, readonly=True) as ws:
        a = ws.assessment(args.assessment)
        rows = history.imports(ws, a["id"])
    emit(rows, args.json, imports_text)
    return 0


def cmd_import_remove(args) -> int:
    from greendesk.core.meters import history

    with _open(args.file) as ws:
        snap = history.remove(ws, args.id)
    row = snap["import"]
    result = {"removed": row["id"], "file": row["file_name"], "readings": len(snap["readings"])}
    emit(result, args.json, lambda r: t("已删除导入 #{id}（{f}，{n} 条数据）。", "Removed import #{id} ({f}, {n} readings).",
                                        id=r["removed"], f=r["file"], n=r["readings"]))
    return 0
