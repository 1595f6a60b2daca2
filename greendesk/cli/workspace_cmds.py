"""Workspace subcommands: demo, init, info, factory."""

from __future__ import annotations

from pathlib import Path

from greendesk.cli.common import add_json_flag, emit, finite_float
from greendesk.core.i18n import t


def register(sub) -> None:
    p = sub.add_parser("demo", help=t("创建演示工作区（重庆的一家压铸厂）", "create a demo workspace (a die-casting plant)"))
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true", help=t("覆盖已有文件", "overwrite an existing file"))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("init", help=t("新建工作区及第一项评价", "create a workspace with its first assessment"))
    p.add_argument("file", type=Path)
    p.add_argument("--name", required=True, help=t("工厂名称", "factory name"))
    p.add_argument("--uscc", required=True, help=t("统一社会信用代码（18 位）", "unified social credit code (18 chars)"))
    p.add_argument("--industry", required=True, help=t("国民经济行业代码 GB/T 4754", "industry code, GB/T 4754"))
    p.add_argument("--year", required=True, type=int, help=t("评价年度", "assessment year"))
    p.add_argument("--scheme", required=True, help=t("评价方案 id（见 greendesk schemes）", "scheme id (see greendesk schemes)"))
    p.add_argument("--province", help=t("省", "province"))
    p.add_argument("--city", help=t("市", "city"))
    p.add_argument("--district", help=t("区县", "district"))
    p.add_argument("--address", help=t("详细地址", "address"))
    p.add_argument("--land-area", type=finite_float, help=t("用地面积（m²）", "site area (m²)"))
    p.add_argument("--legal-rep", help=t("法定代表人", "legal representative"))
    p.add_argument("--contact", help=t("联系人", "contact person"))
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help=t("其他工厂信息，如 postcode=400000、established_on=2005-03-01（见 greendesk factory）",
                          "other profile fields, e.g. postcode=400000, established_on=2005-03-01 (see greendesk factory)"))
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("factory", help=t("查看或修改工厂基本信息（含工信部模板的注册机关、成立日期等）",
                                         "show or change the factory profile (with the MIIT template's fields)"))
    p.add_argument("file", type=Path)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help=t("修改一项，如 --set registration_authority=重庆市市场监督管理局；值为空则清除",
                          "change one field, e.g. --set postcode=400000; an empty value clears it"))
    add_json_flag(p)
    p.set_defaults(func=cmd_factory)

    p = sub.add_parser("info", help=t("显示工作区概况", "show a workspace summary"))
    p.add_argument("file", type=Path)
    add_json_flag(p)
    p.set_defaults(func=cmd_info)


def cmd_demo(args) -> int:
    from greendesk.core.demo import build_demo

    path = build_demo(args.file, overwrite=args.force)
    print(t("已创建演示工作区：{p}", "Demo workspace created: {p}", p=path))
    return 0


def resolve_scheme(scheme_id: str) -> tuple[str, str]:
    """Return (id, version) of a known scheme; raise UserError for an unknown id."""
    from greendesk.core.schemes.registry import get_scheme

    s = get_scheme(scheme_id)
    return s.id, str(s.version)


def cmd_init(args) -> int:
    from greendesk.core.workspace import Workspace

    scheme_id, version = resolve_scheme(args.scheme)
    profile = {"name": args.name, "uscc": args.uscc, "industry_code": args.industry}
    for key, attr in (("province", "province"), ("city", "city"), ("district", "district"),
                      ("address", "address"), ("land_area_m2", "land_area"), ("legal_rep", "legal_rep"),
                      ("contact_name", "contact")):
        if getattr(args, attr) is not None:
            profile[key] = getattr(args, attr)
    profile.update(_pairs(args.set))
    ws = Workspace.create(args.file, profile)
    try:
        ws.create_assessment(scheme_id, version, args.year)
    except BaseException:
        ws.close()      # a refused init leaves no half-made workspace behind
        for suffix in ("", "-wal", "-shm", "-lock"):  # the lock file is safe to remove: lockers re-check the path
            Path(str(args.file) + suffix).unlink(missing_ok=True)
        raise
    ws.close()
    print(t("已创建工作区：{p}", "Workspace created: {p}", p=args.file))
    return 0


def _pairs(items: list[str]) -> dict:
    """``KEY=VALUE`` options as a dict; an unknown key is refused naming the known ones."""
    from greendesk.core.errors import UserError
    from greendesk.core.factory_fields import ALL_LABELS

    out = {}
    for item in items:
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or key not in ALL_LABELS:
            known = ", ".join(k for k in ALL_LABELS if k != "uscc")
            raise UserError(f"--set {item}：应为 字段=值，字段可为：{known}",
                            f"--set {item}: must be KEY=VALUE with KEY one of: {known}")
        out[key] = value.strip() or None
    return out


def cmd_factory(args) -> int:
    from greendesk.core.errors import UserError
    from greendesk.core.factory_fields import ALL_LABELS
    from greendesk.core.workspace import Workspace

    changes = _pairs(args.set)
    if "uscc" in changes:
        raise UserError("统一社会信用代码不能修改（它标识本工作区的工厂）；请新建工作区。",
                        "The credit code cannot be changed (it identifies this workspace's factory); make a new workspace.")
    if "name" in changes and not changes["name"]:
        raise UserError("工厂名称不能为空。", "The factory name cannot be empty.")
    with Workspace.open(args.file, readonly=not changes) as ws:
        if changes:
            ws.update_factory(**changes)
        f = ws.factory()
    lang_zh = t("zh", "en") == "zh"
    doc = {"factory": {k: f.get(k) for k in ALL_LABELS},
           "labels": {k: (zh if lang_zh else en) for k, (zh, en) in ALL_LABELS.items()},
           "changed": sorted(changes)}
    emit(doc, args.json, lambda d: "\n".join(f"  {d['labels'][k]:<14} {k:<24} {'' if v is None else v}"
                                              for k, v in d["factory"].items()))
    return 0


def info_dict(path: Path) -> dict:
    from greendesk.core.workspace import Workspace

    with Workspace.open(path, readonly=True) as ws:
        return {
            "file": str(path),
            "schema_version": ws.schema_version,
            "factory": ws.factory(),
            "assessments": ws.assessments(),
            "counts": ws.counts(),
        }


def cmd_info(args) -> int:
    emit(info_dict(args.file), args.json, _info_text)
    return 0


def _info_text(d: dict) -> str:
    f = d["factory"]
    lines = [
        f"{t('工厂', 'Factory')}: {f.get('name')}  ({f.get('uscc')})",
        f"{t('行业', 'Industry')}: {f.get('industry_code') or '-'} {f.get('industry_name') or ''}",
        f"{t('地址', 'Address')}: {_address(f)}",
        *_template_lines(f),
        f"{t('数据结构版本', 'Schema version')}: {d['schema_version']}",
        t("评价：", "Assessments:"),
    ]
    for a in d["assessments"]:
        lines.append(f"  #{a['id']} {a['year']} {a['scheme_id']} v{a['scheme_version']} [{a['status']}]")
    c = d["counts"]
    lines.append(t("答案 {a} 项，修改记录 {h} 条，证明材料 {e} 个，表计数据 {m} 条",
                   "{a} answers, {h} history rows, {e} evidence files, {m} meter readings",
                   a=c["answers"], h=c["history"], e=c["evidence"], m=c["meter_readings"]))
    return "\n".join(lines)


def _template_lines(f: dict) -> list[str]:
    """The MIIT template's basic-information fields that are filled in (schema 4)."""
    from greendesk.core.factory_fields import TEMPLATE_FIELDS

    return [f"{t(zh, en)}: {f[k]}" for k, (zh, en) in TEMPLATE_FIELDS.items() if f.get(k)]


def _address(f: dict) -> str:
    """Province/city/district then the street address, without repeating what the address already says."""
    addr = f.get("address") or ""
    parts = [x for x in (f.get("province"), f.get("city"), f.get("district")) if x and x not in addr]
    return " ".join(dict.fromkeys([*parts, addr])).strip() or "-"
