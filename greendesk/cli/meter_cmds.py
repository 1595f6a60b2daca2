"""Meter and energy subcommands: import-meters, energy, meter-template, production, factors, factor."""

from __future__ import annotations

import sys
from pathlib import Path

from greendesk.cli.common import add_json_flag, emit, finite_float
from greendesk.core.i18n import t


def register(sub) -> None:
    p = sub.add_parser("import-meters", help=t("导入能源计量台账（Excel/CSV）", "import meter ledgers (Excel/CSV)"))
    p.add_argument("file", type=Path, help=t("工作区文件", "workspace file"))
    p.add_argument("ledgers", type=Path, nargs="+", metavar="LEDGER")
    p.add_argument("--mapping", type=Path, help=t("列映射文件（YAML/JSON），覆盖自动识别", "column mapping file (YAML/JSON)"))
    p.add_argument("--dry-run", action="store_true", help=t("只识别和检查，不写入", "analyse and check only; write nothing"))
    p.add_argument("--year", type=int, help=t("评价年度（默认最新一项评价）", "assessment year (default: the latest)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("energy", help=t("能耗与碳排放汇总", "energy and carbon summary"))
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=int, help=t("年份（默认：评价年度）", "year (default: the assessment year)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_energy)

    p = sub.add_parser("meter-template", help=t("生成能源台账模板（xlsx）", "write a meter ledger template (xlsx)"))
    p.add_argument("out", type=Path)
    p.add_argument("--force", action="store_true", help=t("覆盖已有文件", "overwrite an existing file"))
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("production", help=t("录入产量与产值", "enter production output and output value"))
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=int, required=True, help=t("年份", "year"))
    p.add_argument("--month", type=int, help=t("月份 1-12（默认全年）", "month 1-12 (default: the whole year)"))
    p.add_argument("--output", type=finite_float, help=t("产量", "output quantity"))
    p.add_argument("--unit", help=t("产量单位，如 t、件", "unit of the output, e.g. t, pcs"))
    p.add_argument("--value", type=finite_float, help=t("产值（万元）", "output value (10k CNY, 万元)"))
    p.add_argument("--product", default="", help=t("产品名称（可选）", "product name (optional)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_production)

    p = sub.add_parser("factors", help=t("查看折标系数与排放因子", "show conversion and emission factors"))
    p.add_argument("file", type=Path)
    p.add_argument("--grid-year", help=t("选择电网排放因子年份", "choose the grid factor year"))
    p.add_argument("--grid-region", help=t("选择电网排放因子区域，如 national、华东、四川", "grid factor region, e.g. national"))
    p.add_argument("--basis", choices=["calorific", "equivalent"],
                   help=t("电力折标：calorific=当量值，equivalent=等价值", "electricity: calorific (当量值) or equivalent (等价值)"))
    p.add_argument("--green-power", choices=["deduct", "no-deduction"],
                   help=t("外购绿电：deduct=扣除（计零，其余电网用电按剩余组合因子），no-deduction=按电网因子计",
                          "purchased green power: deduct (zero, rest of grid at the residual-mix factor) or "
                          "no-deduction (at the grid factor)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_factors)

    p = sub.add_parser("factor", help=t("修改某个系数（本工作区）", "override one factor for this workspace"))
    p.add_argument("file", type=Path)
    p.add_argument("id")
    p.add_argument("value", type=finite_float, nargs="?")
    p.add_argument("--source", help=t("数据来源（必填）", "where the value comes from (required)"))
    p.add_argument("--unit", help=t("数值的单位，须与该系数的单位相同", "the value's unit; must be the factor's own unit"))
    p.add_argument("--clear", action="store_true", help=t("恢复默认值", "restore the default"))
    p.set_defaults(func=cmd_factor)


# -- import ------------------------------------------------------------------------------

def _assessment(ws, year):
    from greendesk.core.errors import UserError

    if year is None:
        return ws.assessment()
    rows = [a for a in ws.assessments() if a["year"] == year]
    if not rows:
        raise UserError(f"工作区中没有 {year} 年的评价。", f"The workspace has no assessment for {year}.")
    return rows[-1]


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def cb(f, msg):
        sys.stderr.write(f"\r{int(f * 100):3d}% {msg[:60]:<60}")
        if f >= 1:
            sys.stderr.write("\n")
    return cb


def cmd_import(args) -> int:
    from greendesk.core.errors import UserError
    from greendesk.core.meters import analyse, commit
    from greendesk.core.workspace import Workspace

    with Workspace.open(args.file, readonly=args.dry_run) as ws:
        a = _assessment(ws, args.year)
        plan = analyse(args.ledgers, year=a["year"], mapping=args.mapping, progress=_progress_printer(), ws=ws)
        doc = plan.to_dict(preview=False)
        doc["assessment_id"] = a["id"]
        doc["dry_run"] = bool(args.dry_run)
        if plan.ok and not args.dry_run:
            summary = commit(ws, a["id"], plan)
            doc["imported"] = summary.to_dict()["imports"]
            doc["readings"] = summary.readings
        emit(doc, args.json, _import_text)
        if not plan.ok:
            e = plan.errors[0]
            more = len(plan.errors) - 1
            raise UserError(e.zh + (f"（另有 {more} 个错误）" if more else "") + " 未导入任何数据。",
                            e.en + (f" ({more} more errors.)" if more else "") + " Nothing was imported.",
                            where=e.where, hint_zh=e.fix_zh, hint_en=e.fix_en)
    return 0


def _fmt(x) -> str:
    if x is None:
        return "-"
    return f"{x:,.2f}" if abs(x) < 1e15 else str(x)


def _import_text(d: dict) -> str:
    from greendesk.core.meters.catalog import catalog

    cat = catalog()
    lang = "zh" if t("zh", "en") == "zh" else "en"
    out = []
    for f in d["files"]:
        out.append(f"== {f['file']}" + (f"  ({f['encoding']})" if f.get("encoding") else ""))
        for s in f["sheets"]:
            if s["layout"] == "none":
                continue
            out.append(f"  {t('工作表', 'Sheet')} {s['name']}: {t('版式', 'layout')} {s['layout']}, "
                       f"{t('表头行', 'header rows')} {s['header_rows']}, {t('年份', 'year')} {s['year']} "
                       f"({s['year_from']}), {t('数据行', 'data rows')} {s['data_rows']}"
                       + (t("，逐时/逐日数据已汇总到月", "; interval data summed to months") if s["interval"] else ""))
            per = s["periods"]
            if per:
                out.append(f"    {t('期间', 'periods')}: {per[0]} … {per[-1]} ({len(per)})")
            for c in s["columns"]:
                if c["role"] in ("ignore",):
                    continue
                what = c["role"]
                if c["carrier"]:
                    what = f"{cat.label(c['carrier'], lang)} [{c['carrier']}]"
                unit = f" {c['unit']}" if c.get("unit") else ""
                out.append(f"    {c['header_cell']:<16} {c['label'][:30]:<30} -> {what}{unit}"
                           + (f" ({c['source']})" if c["source"] != "detected" else ""))
            for tc in s["totals_checks"]:
                mark = "ok" if tc["ok"] else t("不符", "MISMATCH")
                out.append(f"    {t('合计核对', 'total check')} {tc['where']}: {_fmt(tc['file_total'])} vs "
                           f"{_fmt(tc['rows_total'])} {tc['unit']} {mark}")
        out.append(f"  {t('数据系列', 'Series')}:")
        for s in f["series"]:
            mark = t("计入", "counted") if s["counted"] else (t("分表核对", "sub-meter, checked") if s["role"] == "sub"
                                                             else t("不计入", "not counted"))
            parent = f" ← {s['parent']}" if s.get("parent") else ""
            out.append(f"    {s['label'][:34]:<34} {cat.label(s['carrier'], lang)[:14]:<14} {_fmt(s['total']):>16} "
                       f"{s['unit']:<4} {s['role']}{parent} [{mark}]")
        out.append(f"  {t('合计', 'Totals')}:")
        for _k, v in f["totals"].items():
            out.append(f"    {cat.label(v['carrier'], lang):<24} {_fmt(v['total']):>18} {v['unit']}  "
                       f"({v['meters']} {t('块表', 'meters')})")
    out.append(t("质量检查：", "Quality checks:"))
    for c in d["checks"]:
        out.append(f"  {c['label']:<28} {c['status']}" + (f" ({c['count']})" if c["count"] else ""))
    issues = [i for i in d["issues"] if i["level"] != "info"] + [i for i in d["issues"] if i["level"] == "info"]
    for i in issues[:60]:
        where = f"{i['where']}: " if i["where"] else ""
        out.append(f"  [{i['level']}] {where}{i['message']}" + (f" — {i['fix']}" if i.get("fix") else ""))
    if len(issues) > 60:
        out.append(t(f"  …另有 {len(issues) - 60} 条", f"  … {len(issues) - 60} more"))
    if d.get("imported"):
        out.append(t(f"已导入 {d['readings']} 条月度数据。", f"Imported {d['readings']} monthly values."))
        again = [i["file"] for i in d["imported"] if i.get("replaced")]
        if again:
            out.append(t(f"（替换了此前导入的 {'、'.join(again)}，不会重复计入）",
                         f"(replaces the earlier import of {', '.join(again)}; nothing is counted twice)"))
    elif d.get("dry_run") and d["ok"]:
        out.append(t("试运行：未写入。", "Dry run: nothing written."))
    return "\n".join(out)


# -- energy ------------------------------------------------------------------------------------

def cmd_energy(args) -> int:
    from greendesk.core.energy import energy_summary
    from greendesk.core.workspace import Workspace

    with Workspace.open(args.file, readonly=True) as ws:
        doc = energy_summary(ws, args.year)
    emit(doc, args.json, _energy_text)
    return 0


def _energy_text(d: dict) -> str:
    out = [f"{t('年度', 'Year')} {d['year']}  ({t('电力折标', 'electricity')}: "
           f"{t('当量值', 'calorific') if d['electricity_basis'] == 'calorific' else t('等价值', 'equivalent')})"]
    out.append(f"  {t('品种', 'Carrier'):<26}{t('实物量', 'Quantity'):>18}       {'tce':>12} {'tCO2':>12}  "
               f"{t('月数', 'months')}")
    for c in d["carriers"].values():
        out.append(f"  {c['name'][:24]:<26}{_fmt(c['total']):>18} {c['unit']:<5} {_fmt(c['tce']):>12} "
                   f"{_fmt(c['co2_t']):>12}  {len(c['months'])}")
    out.append(f"  {t('综合能耗', 'Total energy'):<26}{'':>24} {_fmt(d['total_tce']):>12} {_fmt(d['total_co2_t']):>12}")
    if d.get("renewable_share_pct") is not None:
        out.append(f"  {t('可再生能源占比', 'Renewable share')}: {d['renewable_share_pct']:.2f} %")
    for k, v in (d.get("intensity") or {}).items():
        out.append(f"  {k}: {v}")
    out.append(t("所用系数：", "Factors used:"))
    if d.get("electricity_co2"):
        out.append(f"  {t('电力碳排放口径', 'Electricity CO2 method')}: {d['electricity_co2']['text']}")
    for f in d["factors"]:
        out.append(f"  {f['id']:<28} {f['value']} {f['unit']}  [{f['certainty']}] {f['source']}")
        if f.get("formula"):
            out.append(f"      {f['formula']}")
    for i in d["issues"]:
        out.append(f"  [{i['level']}] {i['where'] + ': ' if i['where'] else ''}{i['message']}")
    return "\n".join(out)


# -- template ---------------------------------------------------------------------------------

def cmd_template(args) -> int:
    from greendesk.core.errors import UserError
    from greendesk.core.meters.template import write_template

    if args.out.exists() and not args.force:
        raise UserError(f"文件已存在：{args.out}（不会覆盖，可加 --force）。", f"File exists: {args.out} (use --force).")
    if args.out.suffix.lower() != ".xlsx":
        raise UserError("模板文件名应以 .xlsx 结尾。", "The template file name must end in .xlsx.")
    write_template(args.out)
    print(t("已生成模板：{p}", "Template written: {p}", p=args.out))
    return 0


# -- production -------------------------------------------------------------------------------

def cmd_production(args) -> int:
    from greendesk.core.energy import production_totals, set_production
    from greendesk.core.errors import UserError
    from greendesk.core.workspace import Workspace

    if args.output is None and args.value is None:
        raise UserError("请给出 --output（及 --unit）或 --value。", "Give --output (with --unit) or --value.")
    if args.month is not None and not 1 <= args.month <= 12:
        raise UserError("--month 应为 1 到 12。", "--month must be 1 to 12.")
    period = f"{args.year}" if args.month is None else f"{args.year}-{args.month:02d}"
    with Workspace.open(args.file) as ws:
        a = _assessment(ws, args.year)
        set_production(ws, a["id"], period=period, product=args.product, quantity=args.output, unit=args.unit,
                       output_value_wan_yuan=args.value)
        doc = production_totals(ws, a["id"], args.year)
    emit(doc, args.json, lambda d: t(
        f"{d['year']} 年：产量 {_fmt(d.get('quantity'))} {d.get('unit') or ''}，产值 {_fmt(d.get('output_value_wan_yuan'))} 万元",
        f"{d['year']}: output {_fmt(d.get('quantity'))} {d.get('unit') or ''}, output value "
        f"{_fmt(d.get('output_value_wan_yuan'))} 万元 (10k CNY)"))
    return 0


# -- factors -------------------------------------------------------------------------------------

def cmd_factors(args) -> int:
    from greendesk.core import energy
    from greendesk.core.errors import UserError
    from greendesk.core.workspace import Workspace

    change = args.grid_year or args.grid_region or args.basis or args.green_power
    with Workspace.open(args.file, readonly=not change) as ws:
        if args.grid_year or args.grid_region:
            cur = ws.setting(energy.SETTING_GRID) or {}
            y = args.grid_year or cur.get("year") or energy._latest_national()[0]
            y = int(y) if str(y).isdigit() else y
            r = args.grid_region or cur.get("region") or "national"
            if not any(o["year"] == y and o["region"] == r for o in energy.grid_options()):
                opts = ", ".join(sorted({f"{o['year']}/{o['region']}" for o in energy.grid_options()}, key=str))
                raise UserError(f"没有 {y} 年“{r}”的电网排放因子。可选：{opts}", f"No grid factor for {y}/{r}. Options: {opts}")
            ws.set_setting(energy.SETTING_GRID, {"year": y, "region": r})
        if args.basis:
            ws.set_setting(energy.SETTING_BASIS, args.basis)
        if args.green_power:
            ws.set_setting(energy.SETTING_GREEN_ZERO, args.green_power == "deduct")
        table = energy.factor_table(ws)
        doc = {"electricity_basis": ws.setting(energy.SETTING_BASIS, "calorific"),
               "grid_factor": {k: table["co2.grid"][k] for k in ("year", "region", "value", "unit")},
               "green_power": "deduct" if ws.setting(energy.SETTING_GREEN_ZERO, True) else "no-deduction",
               "residual_factor": ({k: table["co2.grid.residual"][k] for k in ("year", "region", "value", "unit")}
                                   if "co2.grid.residual" in table else None),
               "factors": [energy._public(e) for e in table.values()],
               "grid_options": energy.grid_options()}
    emit(doc, args.json, _factors_text)
    return 0


def _factors_text(d: dict) -> str:
    g = d["grid_factor"]
    out = [f"{t('电力折标', 'Electricity basis')}: {d['electricity_basis']}; "
           f"{t('电网因子', 'grid factor')}: {g['year']} {g['region']} {g['value']} {g['unit']}"]
    r = d.get("residual_factor")
    if d.get("green_power") == "deduct":
        out.append(t("外购绿电：扣除（计零），其余电网用电按剩余组合因子 ", "Purchased green power: deducted (zero); the "
                     "rest of grid use at the residual-mix factor ") + (f"{r['value']} {r['unit']}" if r else t(
                         "（本年度无此因子，因此不扣除）", "(none for this year, so not deducted)")))
    else:
        out.append(t("外购绿电：不扣除，按电网因子计", "Purchased green power: not deducted, counted at the grid factor"))
    for f in d["factors"]:
        mark = " *" if f["overridden"] else ""
        out.append(f"  {f['id']:<28} {f['value']!s:>10} {f['unit']:<14} [{f['certainty']}]{mark} {f['source']}")
        if f.get("formula"):
            out.append(f"      {f['formula']}")
    return "\n".join(out)


def cmd_factor(args) -> int:
    from greendesk.core import energy
    from greendesk.core.errors import UserError
    from greendesk.core.workspace import Workspace

    known = set(energy._base_table()) | {"co2.grid", "co2.grid.residual"}
    if args.id not in known:
        raise UserError(f"未知的系数：{args.id}（用 greendesk factors 查看）。", f"Unknown factor: {args.id} (see greendesk factors).")
    with Workspace.open(args.file) as ws:
        if args.clear:
            ws.clear_factor(args.id)
            print(t(f"已恢复 {args.id} 的默认值。", f"{args.id} restored to its default."))
            return 0
        if args.value is None:
            raise UserError("请给出数值。", "Give the value.")
        if not args.source:
            raise UserError("请用 --source 写明数值来源。", "Give the value's source with --source.")
        if args.value < 0:
            raise UserError("系数不能为负数。", "A factor cannot be negative.")
        own = (energy.factor_table(ws).get(args.id) or {"unit": "kgCO2/kWh"}).get("unit") or ""
        if args.unit and args.unit.replace(" ", "") != own.replace(" ", ""):
            # the value is used in the factor's own unit; another unit would only relabel it
            raise UserError(f"{args.id} 的单位是 {own}，请把数值换算为 {own} 后再填写（不能用 {args.unit}）。",
                            f"{args.id} is in {own}; convert the value to {own} (not {args.unit}) and give it again.")
        ws.set_factor(args.id, args.value, unit=args.unit, source=args.source)
        e = energy.factor_table(ws)[args.id]
    print(t(f"已设置 {args.id} = {e['value']} {e.get('unit') or ''}（来源：{args.source}）",
            f"Set {args.id} = {e['value']} {e.get('unit') or ''} (source: {args.source})"))
    return 0
