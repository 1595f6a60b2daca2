"""Energy-quota subcommands: greendesk quota list|show|add|remove|use FILE …"""

from __future__ import annotations

from pathlib import Path

from greendesk.cli.common import add_json_flag, emit, finite_float
from greendesk.core.i18n import t


def register(sub) -> None:
    qp = sub.add_parser("quota", help=t("单位产品能耗限额（1 级 = 引领值，2 级 = 基准值）",
                                        "energy-consumption quotas (grade 1 = 引领值, grade 2 = 基准值)"))
    qs = qp.add_subparsers(dest="quota_command", metavar="ACTION")
    _action(qs, "list", t("列出能耗限额条目", "list the quota entries"), cmd_list)
    _action(qs, "show", t("查看一个条目", "show one entry"), cmd_show, "id")
    p = _action(qs, "add", t("为产品填写限额数值（保存在工作区，记录填写人与来源）",
                             "add a product's quota values (stored in the workspace with who and the source)"),
                cmd_add, "id", t("条目标识（随程序提供的条目用其标识即可补充数值）",
                                 "entry id (a bundled entry's id completes it)"))
    p.add_argument("--grade1", type=finite_float, required=True, help=t("1 级限额（引领值）", "grade 1 (引领值)"))
    p.add_argument("--grade2", type=finite_float, required=True, help=t("2 级限额（基准值）", "grade 2 (基准值)"))
    p.add_argument("--grade3", type=finite_float, help=t("3 级限额（限定值，可选）", "grade 3 (optional)"))
    p.add_argument("--product", help=t("产品名称", "product name"))
    p.add_argument("--unit", help=t("单位，如 kgce/t", "unit, e.g. kgce/t"))
    p.add_argument("--standard", help=t("标准编号，如 GB 21341-2023", "standard number"))
    p.add_argument("--source", required=True, help=t("数值来源（标准条款或评价机构）", "where the values come from"))
    p.add_argument("--note", help=t("备注", "note"))
    p.add_argument("--by", help=t("填写人（默认当前用户）", "who (default: the current user)"))
    _action(qs, "remove", t("删除工作区中填写的条目", "remove an entry added in this workspace"), cmd_remove, "id")
    p = _action(qs, "use", t("指定本厂产品适用的限额条目（最多 3 个；--none 取消）",
                             "say which entries the factory's products fall under (up to 3; --none clears)"),
                cmd_use)
    p.add_argument("ids", nargs="*")
    p.add_argument("--none", action="store_true", help=t("取消指定", "clear the choice"))
    qp.set_defaults(func=lambda a: (qp.print_help(), 2)[1])


def _action(qs, name: str, help_text: str, func, ident: str | None = None, ident_help: str | None = None):
    """``quota NAME FILE [IDENT] [--json]`` calling ``func``; the parser, for more arguments."""
    p = qs.add_parser(name, help=help_text)
    p.add_argument("file", type=Path)
    if ident:
        p.add_argument(ident, help=ident_help)
    add_json_flag(p)
    p.set_defaults(func=func)
    return p


def _open(path: Path, readonly: bool = False):
    from greendesk.core.workspace import Workspace

    return Workspace.open(path, readonly=readonly)


def _g(v) -> str:
    return "—" if v is None else f"{v:g}"


def _row_text(q: dict) -> str:
    mark = "" if q["usable"] else " ⚠"
    return (f"  {q['id']:<28} {q['product'][:20]:<20} {q['standard'] or '—':<18} 1级 {_g(q['grade1'])} / "
            f"2级 {_g(q['grade2'])} / 3级 {_g(q['grade3'])} {q['unit']}  [{q['certainty']}]{mark}")


def cmd_list(args) -> int:
    from greendesk.core import quota_apply, quotas

    with _open(args.file, readonly=True) as ws:
        qs = quotas.all_quotas(ws)
        match = quotas.matching(ws, qs)
        used = [q.id for q in quota_apply.chosen(ws, qs)]
        doc = {"quotas": [dict(q.public(), matches_products=match.get(q.id, []), used=q.id in used) for q in qs],
               "used": used}

    def text(d):
        out = [t("能耗限额（⚠ = 缺少 1/2 级数值，请用 greendesk quota add 补充）：",
                 "Energy quotas (⚠ = grade 1/2 values missing; add them with greendesk quota add):")]
        for q in d["quotas"]:
            out.append(_row_text(q) + (t("  ← 本厂使用", "  ← used") if q["used"] else ""))
        return "\n".join(out)

    emit(doc, args.json, text)
    return 0


def cmd_show(args) -> int:
    from greendesk.core import quotas

    with _open(args.file, readonly=True) as ws:
        q = quotas.get(ws, args.id).public()

    def text(q):
        out = [_row_text(q), f"  {t('来源', 'Source')}: {q['source']}"]
        if q.get("note"):
            out.append(f"  {t('说明', 'Note')}: {q['note']}")
        if q.get("set_by"):
            out.append(f"  {t('填写', 'Set by')}: {q['set_by']} {str(q.get('set_at') or '')[:19]}")
        return "\n".join(out)

    emit(q, args.json, text)
    return 0


def _applied(ws) -> dict:
    from greendesk.core import quota_apply

    return quota_apply.apply(ws) if ws.assessments() else {}


def cmd_add(args) -> int:
    from greendesk.core import quotas

    with _open(args.file) as ws:
        q = quotas.add(ws, args.id, source=args.source, grade1=args.grade1, grade2=args.grade2, grade3=args.grade3,
                       product=args.product, unit=args.unit, standard=args.standard, note=args.note, set_by=args.by)
        doc = {"quota": q.public(), "applied": _applied(ws)}
    emit(doc, args.json, lambda d: t("已保存：", "Saved: ") + _row_text(d["quota"]).strip() + _applied_text(d["applied"]))
    return 0


def cmd_remove(args) -> int:
    from greendesk.core import quotas

    with _open(args.file) as ws:
        quotas.remove(ws, args.id)
        doc = {"removed": args.id, "applied": _applied(ws)}
    emit(doc, args.json, lambda d: t(f"已删除 {d['removed']}。", f"Removed {d['removed']}.") + _applied_text(d["applied"]))
    return 0


def cmd_use(args) -> int:
    from greendesk.core import quotas
    from greendesk.core.errors import UserError

    if args.none == bool(args.ids):
        args_err = t("请给出条目标识，或只用 --none", "give entry ids, or --none alone")
        raise UserError(args_err, args_err)
    with _open(args.file) as ws:
        doc = {"used": quotas.use(ws, list(args.ids)), "applied": _applied(ws)}
    emit(doc, args.json, lambda d: (t("本厂使用：", "Used: ") + (", ".join(d["used"]) or "—")) + _applied_text(d["applied"]))
    return 0


def _applied_text(r: dict) -> str:
    out = []
    for b in r.get("benchmarks") or []:
        if b.get("cleared"):
            out.append(t(f"{b['indicator']}：已删除由限额设定的基准值/引领值", f"{b['indicator']}: the quota's benchmark removed"))
        else:
            out.append(t(f"{b['indicator']}：基准值 {b['baseline']:g}，引领值 {b['leading']:g}（{b['source']}）",
                         f"{b['indicator']}: 基准值 {b['baseline']:g}, 引领值 {b['leading']:g} ({b['source']})"))
    for row in r.get("rows") or []:
        out.append(t(f"产品行 {row['row']}（{row['name']}）：已填 {', '.join(row['filled'])}",
                     f"product row {row['row']} ({row['name']}): filled {', '.join(row['filled'])}"))
    for s in r.get("skipped") or []:
        if s["reason"] == "set_by_hand":
            out.append(t(f"{s['indicator']}：保留 {s.get('set_by')} 手工设定的基准值/引领值",
                         f"{s['indicator']}: the benchmark set by hand ({s.get('set_by')}) is kept"))
        elif s["reason"] == "no_values":
            out.append(t(f"{s['indicator']}：{s['quota']} 缺少 1/2 级数值，未设定", f"{s['indicator']}: {s['quota']} "
                         "has no grade 1/2 values, nothing set"))
    return ("\n" + "\n".join(out)) if out else ""
