"""Re-benchmarking: ``greendesk compare FILE --scheme gbt36132-2018 --scheme gbt36132-2025 [--json]``."""

from __future__ import annotations

from pathlib import Path

from greendesk.cli.common import add_json_flag, emit
from greendesk.core.i18n import t
from greendesk.core.schemes.describe import fmt_num as _num


def register(sub) -> None:
    p = sub.add_parser("compare", help=t("同一工作区的答案按两个评价方案计分并逐项对比（重新对标）",
                                         "score one workspace's answers under two schemes, row by row (re-benchmarking)"))
    p.add_argument("file", type=Path)
    p.add_argument("--scheme", action="append", required=True, metavar="ID",
                   help=t("评价方案 id，给两次：先旧后新（如 gbt36132-2018、gbt36132-2025）",
                          "a scheme id, given twice: old then new (e.g. gbt36132-2018, gbt36132-2025)"))
    p.add_argument("--assessment", type=int, help=t("评价编号（默认：最新）", "assessment id (default: the latest)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_compare)


def cmd_compare(args) -> int:
    from greendesk.core.errors import UserError
    from greendesk.core.schemes.compare import compare_workspace
    from greendesk.core.workspace import Workspace

    if len(args.scheme) != 2:
        raise UserError(f"请给出两次 --scheme（先旧后新），而不是 {len(args.scheme)} 次。",
                        f"Give --scheme twice (old, then new), not {len(args.scheme)} time(s).")
    with Workspace.open(args.file, readonly=True) as ws:
        result = compare_workspace(ws, args.scheme, args.assessment)
    emit(result, args.json, compare_text)
    return 0


def _pts(x: float) -> str:
    return ("+" if x > 0 else "") + _num(x)


def compare_text(r: dict) -> str:
    a, b = r["schemes"]
    lines = [t("重新对标：{a} → {b}（答案来自 {s}）", "Re-benchmarking: {a} → {b} (answers given under {s})",
               a=a["id"], b=b["id"], s=r["answers_scheme"])]
    for s in (a, b):
        q = t("合格", "qualified") if s["qualified"] else t("不合格", "not qualified")
        resc = t("（不适用项已折算）", " (not-applicable rows rescaled)") if s["rescaled"] else ""
        lines.append(t("  {id}：{tot} / {m}{r}；{q}（{why}）；缺基准值 {mb} 项", "  {id}: {tot} / {m}{r}; {q} ({why}); "
                       "{mb} benchmark(s) missing", id=s["id"], tot=_num(s["total"]), m=_num(s["max"]), r=resc, q=q,
                       why=s["qualified_reason"], mb=s["missing_benchmarks"]))
        if s.get("points_table"):
            lines.append(t("    分值表：{l}", "    points table: {l}", l=s["points_table"]["label"]))
    if r.get("delta") is not None:
        lines.append(t("  得分率变化：{d} 个百分点", "  Change in score: {d} percentage points", d=_pts(r["delta"])))
    lines.append("")
    lines.append(t("按主题（分值折算到总分）：", "By topic (points on the scale of the total):"))
    for tp in r["topics"]:
        mark = {"gains": "▲", "loses": "▼"}.get(tp["change"], " ")
        lines.append(f"  {mark} {tp['label']:<24} {_num(tp['points'][0]):>6} / {_num(tp['max'][0]):<6} → "
                     f"{_num(tp['points'][1]):>6} / {_num(tp['max'][1]):<6} ({_pts(tp['delta'])})")
    for side, s in ((0, a), (1, b)):
        lines.append("")
        lines.append(t("{id} 逐项：", "{id}, row by row:", id=s["id"]))
        for row in r["rows"][side]:
            if row["kind"] in ("veto", "info"):
                state = {True: t("符合", "met"), False: t("不符合", "not met"), None: t("未完成", "open")}[row["met"]] \
                    if row["kind"] == "veto" else "—"
                lines.append(f"  {row['id']:<28} {state}")
                continue
            lines.append(f"  {row['id']:<28} {_num(row['points']):>6} / {_num(row['points_max']):<6} {row['explain']}")
    if r["losses"]:
        lines.append("")
        lines.append(t("失分的主题：", "Topics that lose points: ") +
                     "; ".join(f"{x['label']} ({_pts(x['delta'])})" for x in r["losses"]))
    if r["gains"]:
        lines.append(t("得分的主题：", "Topics that gain points: ") +
                     "; ".join(f"{x['label']} ({_pts(x['delta'])})" for x in r["gains"]))
    nd = r["new_data"]
    lines.append("")
    if nd:
        new = [x for x in nd if x["new"]]
        lines.append(t("{b} 需要、尚无答案的数据：{n} 项（其中 {k} 项为旧版没有的）：",
                       "Data {b} needs that has no answer: {n} (of which {k} the old edition did not ask for):",
                       b=b["id"], n=len(nd), k=len(new)))
        for x in nd:
            unit = f" [{x['unit']}]" if x.get("unit") else ""
            rel = ""
            if x.get("related"):
                rel = t("（旧版相关答案 {f} = {v}：{n}）", " (related old answer {f} = {v}: {n})", f=x["related"]["field"],
                        v=x["related"]["value"], n=x["related"]["note"])
            lines.append(f"  {'*' if x['new'] else ' '} {x['indicator_title']} — {x['label']}{unit} ({x['field']}){rel}")
    else:
        lines.append(t("{b} 需要的数据都已有答案。", "Every figure {b} needs has an answer.", b=b["id"]))
    if r.get("crosswalk"):
        lines.append("")
        lines.append(t("对照：{n}", "Crosswalk: {n}", n=r["crosswalk"]["note"]))
    return "\n".join(lines)
