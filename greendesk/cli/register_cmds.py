"""The meter register: ``meters`` lists it, ``meter`` changes one meter's level, parent or role."""

from __future__ import annotations

from pathlib import Path

from greendesk.cli.common import add_json_flag, emit
from greendesk.core.i18n import t


def register(sub) -> None:
    p = sub.add_parser("meters", help=t("查看表计台账（级别、上级表、是否计入）",
                                        "show the meter register (level, parent, counted or not)"))
    p.add_argument("file", type=Path, help=t("工作区文件", "workspace file"))
    p.add_argument("--year", type=int, help=t("线损核对的年份（默认：评价年度）", "year of the loss check (default: the assessment year)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_meters)

    p = sub.add_parser("meter", help=t("修改一块表的级别、上级表或角色", "change a meter's level, parent or role"))
    p.add_argument("file", type=Path, help=t("工作区文件", "workspace file"))
    p.add_argument("id", help=t("表计编号或名称（见 greendesk meters）", "meter id or name (see greendesk meters)"))
    p.add_argument("--level", type=int, choices=[1, 2, 3], help=t("1=一级（边界）表，2/3=分表", "1 = boundary, 2/3 = sub-meter"))
    p.add_argument("--parent", help=t("上级表的编号或名称；'-' 清除", "the parent meter's id or name; '-' clears it"))
    p.add_argument("--role", choices=["boundary", "standalone", "sub", "self_use", "excluded"],
                   help=t("boundary/standalone/self_use 计入；sub 只作核对；excluded 不计入",
                          "boundary/standalone/self_use count; sub is checked only; excluded does not count"))
    p.add_argument("--note", help=t("备注", "note"))
    add_json_flag(p)
    p.set_defaults(func=cmd_meter)


def _doc(ws, year) -> dict:
    from greendesk.core.meters import register

    if year is None:
        try:
            year = int(ws.assessment()["year"])
        except Exception:  # noqa: BLE001 - no assessment yet: no loss check
            year = None
    return {"meters": register.meters(ws), "year": year,
            "losses": register.loss_report(ws, year) if year else []}


def cmd_meters(args) -> int:
    from greendesk.core.workspace import Workspace

    with Workspace.open(args.file, readonly=True) as ws:
        doc = _doc(ws, args.year)
    emit(doc, args.json, _text)
    return 0


def cmd_meter(args) -> int:
    from greendesk.core.meters import register
    from greendesk.core.workspace import Workspace

    with Workspace.open(args.file) as ws:
        register.set_meter(ws, args.id, level=args.level, parent=args.parent, role=args.role, note=args.note)
        doc = _doc(ws, None)
    emit(doc, args.json, _text)
    return 0


def _text(d: dict) -> str:
    from greendesk.core.meters.catalog import catalog
    from greendesk.core.meters.register import describe_role

    cat = catalog()
    lang = "zh" if t("zh", "en") == "zh" else "en"
    if not d["meters"]:
        return t("表计台账为空：导入能源台账后，其中的表计会列在这里。",
                 "The meter register is empty: the meters of imported ledgers are listed here.")
    out = [f"{'ID':>4}  {t('表计', 'Meter'):<24} {t('品种', 'Carrier'):<18} {t('级别', 'Level'):>5}  "
           f"{t('上级表', 'Parent'):<16} {t('角色', 'Role')}"]
    for m in d["meters"]:
        out.append(f"{m['id']:>4}  {m['name'][:24]:<24} {cat.label(m['carrier'], lang)[:18]:<18} {m['level']:>5}  "
                   f"{(m['parent'] or '-')[:16]:<16} {describe_role(m['role'], lang)}")
    for x in d["losses"]:
        share = f"{x['loss_share']:.1%}" if x["loss_share"] is not None else "-"
        out.append(t(f"{d['year']} 年 {x['meter']}：{x['total']:,.2f} {x['unit']}，分表之和 {x['sub_total']:,.2f}，"
                     f"线损/未计量 {x['loss']:,.2f}（{share}）",
                     f"{d['year']} {x['meter']}: {x['total']:,.2f} {x['unit']}, sub-meters {x['sub_total']:,.2f}, "
                     f"line loss / unmetered {x['loss']:,.2f} ({share})"))
    return "\n".join(out)
