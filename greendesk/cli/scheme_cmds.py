"""Scheme and scoring subcommands: schemes, scheme-show, scheme-export, scheme-check, outline,
answers, benchmark, score, assess-new."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from greendesk.cli.common import add_json_flag, dumps, emit, finite_float, print_json
from greendesk.core.benchmark_check import check_benchmark
from greendesk.core.errors import UserError
from greendesk.core.i18n import pick, t
from greendesk.core.schemes.continuity import carried_from, is_carried
from greendesk.core.schemes.describe import fmt_num as _num
from greendesk.core.schemes.describe import outline_text, rule_words


def register(sub) -> None:
    p = sub.add_parser("schemes", help=t("列出内置评价方案", "list the bundled evaluation schemes"))
    add_json_flag(p)
    p.set_defaults(func=cmd_schemes)

    p = sub.add_parser("scheme-show", help=t("显示方案的结构", "show a scheme's structure"))
    p.add_argument("id")
    add_json_flag(p)
    p.set_defaults(func=cmd_scheme_show)

    p = sub.add_parser("scheme-export", help=t("输出方案的源文件（用于自定义配置）", "print a scheme's source file"))
    p.add_argument("id")
    p.set_defaults(func=cmd_scheme_export)

    p = sub.add_parser("scheme-check", help=t("校验方案文件", "validate scheme files"))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add_json_flag(p)
    p.set_defaults(func=cmd_scheme_check)

    p = sub.add_parser("outline", help=t("以纸面形式列出每一项及其规则", "a paper view of every item and its rule"))
    p.add_argument("id")
    p.set_defaults(func=cmd_outline)

    p = sub.add_parser("answers", help=t("填写或列出答案", "set or list answers"))
    p.add_argument("file", type=Path)
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="ID=VALUE", type=_id_value,
                   help=t("设置字段（可多次）；指标 ID=数值 直接填报指标值", "set a field (repeatable); "
                          "INDICATOR_ID=NUMBER enters an indicator's value directly"))
    p.add_argument("--from", dest="source", type=Path, metavar="FILE",
                   help=t("从 yaml/json/xlsx/csv 文件读取答案", "read answers from a yaml, json, xlsx or csv file"))
    p.add_argument("--assessment", type=int, help=t("评价编号（默认最新）", "assessment id (default: latest)"))
    p.add_argument("--unconfirmed", action="store_true",
                   help=t("只列出沿用上一年、尚未确认的答案", "list only the answers carried over and not yet confirmed"))
    p.add_argument("--confirm", action="append", default=[], metavar="ID|all",
                   help=t("确认沿用的答案（值不变；可多次；all 为全部）",
                          "confirm a carried-over answer, value unchanged (repeatable; all: every one)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_answers)

    p = sub.add_parser("benchmark", help=t("设定本工作区某指标的基准值/引领值", "set an indicator's 基准值/引领值 "
                                                                           "for this workspace"))
    p.add_argument("file", type=Path)
    p.add_argument("indicator")
    p.add_argument("--baseline", type=finite_float, help=t("基准值", "baseline value (基准值)"))
    p.add_argument("--leading", type=finite_float, help=t("引领值", "leading value (引领值)"))
    p.add_argument("--clear", action="store_true",
                   help=t("删除本工作区设定的值（恢复方案默认）", "remove this workspace's values (back to the scheme's)"))
    p.add_argument("--band", default="", help=t("分档 id（分档指标）", "band id (banded indicators)"))
    p.add_argument("--source", help=t("数值来源", "where the values come from"))
    p.add_argument("--by", help=t("设定人", "who sets them"))
    p.add_argument("--assessment", type=int, help=t("评价编号（默认：最新一项）", "assessment id (default: latest)"))
    p.set_defaults(func=cmd_benchmark, parser=p)

    p = sub.add_parser("score", help=t("计算得分", "score an assessment"))
    p.add_argument("file", type=Path)
    p.add_argument("--assessment", type=int, help=t("评价编号（默认：最新一项）", "assessment id (default: latest)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("assess-new", help=t("新建一年的评价（可沿用上一年的答案）",
                                            "start a new year's assessment (optionally carrying answers over)"))
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=int, required=True, help=t("新评价的年份", "year of the new assessment"))
    p.add_argument("--scheme", help=t("方案 id（默认沿用）", "scheme id (default: as last year)"))
    p.add_argument("--carry-over", action="store_true",
                   help=t("复制上一项评价的答案（标记为待复核）", "copy the previous answers (marked for review)"))
    p.add_argument("--from-workspace", type=Path, metavar="OLD",
                   help=t("从上一年的工作区文件新建 FILE", "create FILE from last year's workspace file"))
    add_json_flag(p)
    p.set_defaults(func=cmd_assess_new)


# --- scheme information ------------------------------------------------------------------------

def _registry():
    from greendesk.core.schemes import registry

    return registry


def cmd_schemes(args) -> int:
    problems: list = []
    items = [{"id": s.id, "version": s.version, "title": s.name(), "titles": s.title, "base": s.base,
              "standard": s.source.standard, "date": s.source.date, "description": pick(s.description)}
             for s in _registry().list_schemes(problems)]
    emit(items, args.json, lambda xs: "\n".join(f"{x['id']:<16} {x['version']:<8} {x['title']}" for x in xs))
    for e in problems:  # a broken custom profile is named, the others are still listed
        print(t("greendesk: 未列出（文件有错误）：{m}", "greendesk: not listed (the file has an error): {m}",
                m=e.message()), file=sys.stderr)
    return 0


def _field_json(f) -> dict:
    d: dict[str, Any] = {"id": f.id, "type": f.type, "unit": f.unit, "label": pick(f.label), "labels": f.label}
    if f.min is not None:
        d["min"] = f.min
    if f.max is not None:
        d["max"] = f.max
    if f.choices:
        d["choices"] = [{"value": c.value, "label": pick(c.label), "degree": c.degree} for c in f.choices]
    if f.columns:
        d["columns"] = [_field_json(c) for c in f.columns]
    for key in ("relevant", "constraint", "calculation"):
        v = getattr(f, key)
        if v is not None:
            d[key] = v.text
    if f.auto:
        d["auto"] = f.auto
    if f.required:
        d["required"] = True
    return d


def _rule_json(rule) -> dict:
    kind = rule.kind
    d: dict[str, Any] = {"kind": kind, "direction": rule.direction, "baseline": rule.baseline,
                         "leading": rule.leading, "unit": rule.unit, "source": rule.source,
                         "certainty": rule.certainty}
    if kind in ("cases", "multi_product"):
        d["kind"] = "quantitative"
        d["form"] = kind
    if rule.value is not None:
        d["value"] = rule.value.text
    if rule.threshold is not None:
        d["threshold"] = rule.threshold
    if rule.bands:
        d["band_by"] = rule.band_by.text
        d["bands"] = [{"id": b.id, "label": pick(b.label), "min": b.min, "max": b.max, "baseline": b.baseline,
                       "leading": b.leading, "certainty": b.certainty, "note": b.display_note()} for b in rule.bands]
    if rule.items:
        d["items"] = [{"field": i.field, "points": i.points, "level": i.level} for i in rule.items]
    if kind == "multi_product":
        d.update(rows=rule.rows, row_value=rule.row_value.text, row_baseline=rule.row_baseline.text,
                 row_leading=rule.row_leading.text, row_weight=rule.row_weight.text, max_products=rule.max_products)
    if rule.cases:
        d["cases"] = [{"when": c.when.text, "label": pick(c.label), "rule": _rule_json(c.rule)} for c in rule.cases]
        dirs = {c.rule.direction for c in rule.cases}
        if len(dirs) == 1:
            d["direction"] = dirs.pop()
    d["benchmark_needed"] = rule.benchmark_needed if kind != "cases" else any(
        c.rule.benchmark_needed for c in rule.cases)
    if rule.note:           # the user-facing note only; maintainer_note is never printed
        d["note"] = rule.display_note()
    return d


def scheme_json(s) -> dict:
    return {
        "id": s.id, "version": s.version, "title": s.name(), "titles": s.title, "base": s.base,
        "source": {"standard": s.source.standard, "clause": s.source.clause, "date": s.source.date,
                   "certainty": s.source.certainty, "note": s.source.display_note()},
        "max": s.max_points,
        "grades": [{"id": g.id, "min": g.min, "label": pick(g.label), "certainty": g.certainty, "source": g.source}
                   for g in s.grades],
        "common": [_field_json(f) for f in s.common],
        "sections": [{
            "id": sec.id, "title": sec.name(), "weight": sec.weight, "max": sec.max_points,
            "indicators": [{
                "id": i.id, "title": i.name(), "code": i.code, "points": i.points, "source": i.source,
                "certainty": i.certainty, "rule": _rule_json(i.rule), "rule_text": rule_words(i.rule, i.points, s),
                "fields": [_field_json(f) for f in i.fields],
                "applicable": i.applicable.text if i.applicable else None,
                "guidance": pick(i.guidance), "evidence": [pick(e) for e in i.evidence],
            } for i in sec.indicators],
        } for sec in s.sections],
        "migrations": {"renamed": s.renamed, "removed": list(s.removed)},
    }


def cmd_scheme_show(args) -> int:
    s = _registry().get_scheme(args.id)
    emit(scheme_json(s), args.json, lambda d: outline_text(s, brief=True))
    return 0


def cmd_scheme_export(args) -> int:
    path = _registry().scheme_path(args.id)
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0


def cmd_scheme_check(args) -> int:
    reg = _registry()
    results = []
    for f in args.files:
        try:
            s = reg.load_scheme_file(f)
            results.append({"file": str(f), "ok": True, "id": s.id, "version": s.version,
                            "indicators": len(s.indicators()), "max": s.max_points})
        except UserError as e:
            results.append({"file": str(f), "ok": False, "error": e.message()})
    if args.json:
        print_json(results)
    else:
        for r in results:
            if r["ok"]:
                print(t("{f}：通过（{id} {v}，{n} 项指标，满分 {m}）", "{f}: ok ({id} {v}, {n} indicators, max {m})",
                        f=r["file"], id=r["id"], v=r["version"], n=r["indicators"], m=_num(r["max"])))
            else:
                print(r["error"], file=sys.stderr)
    return 0 if all(r["ok"] for r in results) else 1


def cmd_outline(args) -> int:
    s = _registry().get_scheme(args.id)
    print(outline_text(s))
    return 0


# --- answers, benchmarks, score ------------------------------------------------------------------

def _open(path: Path, readonly: bool = False):
    from greendesk.core.workspace import Workspace

    return Workspace.open(path, readonly=readonly)


def _id_value(text: str) -> str:
    """argparse type for --set: a malformed ID=VALUE is a usage error (exit 2)."""
    import argparse

    if "=" not in text or not text.split("=", 1)[0].strip():
        raise argparse.ArgumentTypeError(t(f"“{text}”应写成 ID=值", f"'{text}': write it as ID=VALUE"))
    return text


def _load_yaml_unique(text: str, name: str, lines: dict[str, int]) -> Any:
    """An answers YAML file through the hostile-input reader (greendesk.core.safe_yaml): a key given twice
    with different values, aliases beyond a limit, deep nesting, huge numbers, .inf/.nan, tags and control
    characters are refused with name:line. Records the line of every key of the top and ``answers`` levels."""
    from greendesk.core.safe_yaml import LMap, load_yaml_text

    data = load_yaml_text(text, name, duplicates="differ", empty_ok=True)
    for level in (data, data.get("answers") if isinstance(data, dict) else None):
        if isinstance(level, LMap):
            for k, line in level.key_lines.items():
                lines.setdefault(k, line)
    return data


def _load_json(text: str, name: str) -> Any:
    from greendesk.core.safe_yaml import load_json_text

    return load_json_text(text, name, duplicates="differ")


_ID_HEADERS = {"id", "field", "fieldid", "字段", "字段id", "指标", "指标id", "指标字段", "编号"}
_VALUE_HEADERS = {"value", "answer", "值", "答案", "取值", "数值", "填写值"}


def _table_pairs(rows, name: str, cell) -> list[tuple[str, Any, str]]:
    """(id, value, where) from rows of a two-column table (an optional header row is skipped)."""
    out = []
    for r, row in enumerate(rows, 1):
        if not row or row[0] is None or str(row[0]).strip() == "":
            continue
        key = str(row[0]).strip()
        value = row[1] if len(row) > 1 else None
        if r == 1 and (re.sub(r"[\s_/]", "", key.lower()) in _ID_HEADERS
                       or str(value or "").strip().lower() in _VALUE_HEADERS):
            continue        # a header row: Field ID | Value, 字段 ID | 值 …
        out.append((key, value, f"{name}{cell(r)}"))
    return out


def read_answer_file(path: Path) -> list[tuple[str, Any, str]]:
    """(id, value, where) triples from a yaml, json, xlsx or csv file."""
    from greendesk.core.safe_yaml import decode_utf8

    suffix = path.suffix.lower()
    if not path.exists():
        raise UserError(f"找不到文件：{path}", f"File not found: {path}")
    size, limit = path.stat().st_size, (50 if suffix in (".xlsx", ".xlsm") else 5) * 2**20
    if size > limit:        # an answers file is a few KB: refused before reading
        raise UserError(f"{path}：文件过大（{size:,} 字节；答案文件最多 {limit // 2**20} MB）",
                        f"{path}: the file is too large ({size:,} bytes; an answers file is at most {limit // 2**20} MB)")
    if suffix in (".yaml", ".yml", ".json"):
        lines: dict[str, int] = {}      # top-level or answers-level key -> line (yaml)
        text = decode_utf8(path.read_bytes(), path.name)
        if suffix == ".json":
            data = _load_json(text, path.name)
        else:
            data = _load_yaml_unique(text, path.name, lines)
        if isinstance(data, dict) and isinstance(data.get("answers"), (dict, list)):
            data = data["answers"]
        if isinstance(data, dict):
            return [(str(k), v, f"{path.name}:{lines[k]}" if k in lines else path.name) for k, v in data.items()]
        if isinstance(data, list) and all(isinstance(x, dict) and "id" in x for x in data):
            item_lines = getattr(data, "item_lines", None) or []
            return [(str(x["id"]), x.get("value"), f"{path.name}:{item_lines[i]}" if i < len(item_lines)
                     else f"{path.name}[{i}]") for i, x in enumerate(data)]
        raise UserError(f"{path}：应为 id: 值 的映射", f"{path}: expected a mapping of id: value")
    if suffix == ".csv":
        import csv

        data_b = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data_b.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            decode_utf8(data_b, path.name)      # raises, naming the line
        try:
            rows = list(csv.reader(text.splitlines()))
        except csv.Error as e:
            raise UserError(f"{path}：无法读取 CSV：{e}", f"{path}: cannot read the CSV: {e}") from None
        return _table_pairs(rows, path.name, lambda r: f":{r}")
    if suffix in (".xlsx", ".xlsm"):
        try:
            import openpyxl
        except ImportError:
            raise UserError("读取 xlsx 需要 openpyxl", "openpyxl is needed to read xlsx files") from None
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any unreadable workbook is a user error
            raise UserError(f"{path}：无法读取工作簿：{e}", f"{path}: cannot read the workbook: {e}") from None
        try:
            if not wb.worksheets:
                raise UserError(f"{path}：工作簿中没有工作表（只有图表页）；请把答案放在第一张工作表的 A、B 两列",
                                f"{path}: the workbook has no worksheet (only chart sheets); put the answers in "
                                "columns A and B of a worksheet")
            ws = wb.worksheets[0]
            try:
                rows = list(ws.iter_rows(values_only=True))
            except Exception as e:  # noqa: BLE001 - a damaged sheet is a user error
                raise UserError(f"{path}：无法读取工作表“{ws.title}”：{e}",
                                f"{path}: cannot read the sheet '{ws.title}': {e}") from None
            return _table_pairs(rows, path.name, lambda r: f"!A{r}")
        finally:
            wb.close()
    raise UserError(f"{path}：只支持 .yaml、.json、.xlsx 或 .csv 文件", f"{path}: use a .yaml, .json, .xlsx or .csv file")


def _cmd_carried(args, pairs) -> int:
    """answers --unconfirmed (list) and --confirm ID|all (keep the value, now the user's own)."""
    from greendesk.core.schemes import continuity

    if pairs:
        raise UserError("--confirm/--unconfirmed 不能与 --set/--from 同时使用。",
                        "--confirm/--unconfirmed cannot be combined with --set/--from.")
    confirmed = 0
    if args.confirm:
        with _open(args.file) as ws:
            a = ws.assessment(args.assessment)
            carried = set(continuity.carried_fields(ws, a["id"]))
            ids = None if "all" in args.confirm else list(dict.fromkeys(args.confirm))
            unknown = [i for i in ids or () if i not in carried]
            if unknown:
                raise UserError(f"不是沿用且待确认的答案：{', '.join(unknown)}（用 greendesk answers FILE --unconfirmed 列出）",
                                f"Not a carried-over answer waiting for confirmation: {', '.join(unknown)} "
                                "(greendesk answers FILE --unconfirmed lists them)")
            confirmed = continuity.confirm_carried(ws, a["id"], ids)
            rows = continuity.unconfirmed(ws, a["id"])
    else:
        with _open(args.file, readonly=True) as ws:
            a = ws.assessment(args.assessment)
            rows = continuity.unconfirmed(ws, a["id"])
    doc = {"assessment": {"id": a["id"], "year": a["year"]}, "confirmed": confirmed, "unconfirmed": rows}

    def text(d: dict) -> str:
        out = [t("已确认 {n} 项。", "Confirmed {n}.", n=d["confirmed"])] if args.confirm else []
        for r in d["unconfirmed"]:
            y = r["from_year"]
            out.append(f"{r['field_id']} = {dumps(r['value'])}  " + (
                t("（来自{y}年，请确认）", "(from {y}, please confirm)", y=y) if y else
                t("（沿用上一年，请复核）", "(carried over, please review)")))
        out.append(t("待确认：{n} 项", "To confirm: {n}", n=len(d["unconfirmed"])) if d["unconfirmed"] else
                   t("没有待确认的沿用答案。", "No carried-over answer to confirm."))
        return "\n".join(out)
    emit(doc, args.json, text)
    return 0


def cmd_answers(args) -> int:
    from greendesk.core.schemes.values import validate_answer

    pairs: list[tuple[str, Any, str]] = []
    if args.source:
        pairs.extend(read_answer_file(args.source))
    for item in args.sets:
        k, v = item.split("=", 1)
        pairs.append((k.strip(), v, "--set"))
    if args.confirm or args.unconfirmed:
        return _cmd_carried(args, pairs)
    if not pairs:  # list the answers
        from greendesk.core.schemes.registry import get_scheme

        with _open(args.file, readonly=True) as ws:
            a = ws.assessment(args.assessment)
            rows = ws.answer_rows(a["id"])
        scheme = get_scheme(a["scheme_id"])
        for r in rows:
            r["entered_indicator"] = r["field_id"] in scheme.indicators_by_id
            r["known"] = r["entered_indicator"] or r["field_id"] in scheme.fields_by_id

        def line(r: dict) -> str:
            out = f"{r['field_id']} = {dumps(r['value'])}"
            if r["entered_indicator"]:
                out += t("  （指标值直接填报）", "  (indicator value entered directly)")
            if is_carried(r["source"]):
                y = carried_from(r["source"])
                out += (t("  （来自{y}年，请确认）", "  (from {y}, please confirm)", y=y) if y else
                        t("  （沿用上一年，请复核）", "  (carried over, please review)"))
            if not r["known"]:
                out += t("  （方案中已没有此项，已保留）", "  (not in the scheme any more; kept)")
            return out
        emit(rows, args.json, lambda rs: "\n".join(line(r) for r in rs) or t("（没有答案）", "(no answers)"))
        return 0
    from greendesk.core.schemes.registry import get_scheme

    with _open(args.file) as ws:
        a = ws.assessment(args.assessment)
        scheme = get_scheme(a["scheme_id"])
        clean: dict[str, Any] = {}
        given_at: dict[str, str] = {}
        for k, v, where in pairs:      # validate everything first: all or nothing
            if isinstance(v, str) and v.strip() == "":
                v = None
            try:
                value = validate_answer(scheme, k, v)
            except UserError as e:
                raise UserError(f"{where}：{e.zh}；未做任何修改。", f"{where}: {e.en}; nothing was changed.") from None
            if k in clean and clean[k] != value:
                raise UserError(f"{where}：{k} 已在 {given_at[k]} 给出不同的值；请只保留一个。未做任何修改。",
                                f"{where}: {k} is given twice with different values (also at {given_at[k]}); "
                                "keep one; nothing was changed.")
            clean[k] = value
            given_at.setdefault(k, where)
        changed = ws.set_answers(a["id"], clean, scheme_version=scheme.version)
        stored = ws.answers(a["id"])
    from greendesk.core.i18n import language
    from greendesk.core.plausibility import check as plausible  # warned (not refused), as the app does

    for warns in plausible(scheme, stored, stored).values():
        for w in warns:
            print(f"greendesk: {t('注意：', 'warning: ')}{w.text(language())}", file=sys.stderr)
    result = {"assessment": a["id"], "set": len(clean), "changed": changed,
              "entered_indicators": [k for k in clean if k in scheme.indicators_by_id]}
    emit(result, args.json, lambda r: t("已保存 {n} 项答案（{c} 项有变化）。", "Saved {n} answer(s) ({c} changed).",
                                        n=r["set"], c=r["changed"]))
    return 0


def cmd_benchmark(args) -> int:
    from greendesk.core.schemes.registry import get_scheme

    given = (args.baseline is not None) + (args.leading is not None)
    if args.clear and given or not args.clear and given != 2:
        args.parser.error(t("请同时给出 --baseline 和 --leading，或只给 --clear",
                            "give both --baseline and --leading, or --clear alone"))
    with _open(args.file) as ws:
        a = ws.assessment(args.assessment)
        ws.require_draft(a["id"])  # the benchmarks score this assessment: a final one is read-only
        scheme = get_scheme(a["scheme_id"])
        ind = scheme.indicators_by_id.get(args.indicator)
        if ind is None:
            raise UserError(f"方案 {scheme.id} 中没有指标 {args.indicator}",
                            f"scheme {scheme.id} has no indicator {args.indicator}")
        kinds = {ind.rule.kind} | {c.rule.kind for c in ind.rule.cases}
        if not kinds & {"quantitative", "count", "multi_product"}:
            raise UserError(f"{args.indicator} 不是定量指标，没有基准值/引领值",
                            f"{args.indicator} is not a quantitative indicator; it has no 基准值/引领值")
        bands = [b.id for b in ind.rule.bands] + [b.id for c in ind.rule.cases for b in c.rule.bands]
        if args.band and args.band not in bands:
            raise UserError(f"{args.indicator} 没有分档 {args.band}（可用：{', '.join(bands) or '无'}）",
                            f"{args.indicator} has no band {args.band} (bands: {', '.join(bands) or 'none'})")
        if bands and not args.band:
            raise UserError(f"{args.indicator} 按档设定，请用 --band 指定：{', '.join(bands)}",
                            f"{args.indicator} is banded; say which band with --band: {', '.join(bands)}")
        if args.clear:
            ws.clear_benchmark(scheme.id, ind.id, band=args.band or "")
            print(t("已删除 {i}{b} 在本工作区设定的基准值/引领值", "Removed this workspace's 基准值/引领值 for {i}{b}",
                    i=args.indicator, b=f" [{args.band}]" if args.band else ""))
            return 0
        check_benchmark(ind, args.baseline, args.leading)  # the same check as the app's settings page
        from greendesk.core.textsafety import control_char

        for opt, text in (("--source", args.source), ("--by", args.by)):
            if text and (bad := control_char(text)):     # text is data: no terminal escapes are stored
                raise UserError(f"{opt}：文本含控制字符 {bad}；请删除后再试。未做任何修改。",
                                f"{opt}: the text contains the control character {bad}; remove it. Nothing was changed.")
        ws.set_benchmark(scheme.id, ind.id, args.baseline, args.leading, band=args.band, source=args.source,
                         set_by=args.by)
    print(t("已设定 {i}{b}：基准值 {B}，引领值 {L}", "Set {i}{b}: 基准值 {B}, 引领值 {L}", i=args.indicator,
            b=f" [{args.band}]" if args.band else "", B=_num(args.baseline), L=_num(args.leading)))
    return 0


def cmd_score(args) -> int:
    from greendesk.core.schemes.scoring import score_assessment

    with _open(args.file, readonly=True) as ws:
        result = score_assessment(ws, args.assessment)
    emit(result, args.json, score_text)
    return 0


def score_text(r: dict) -> str:
    lines = [f"{r['title']}",
             t("总分 {s} / {m}", "Total {s} / {m}", s=_num(r["total"]), m=_num(r["max"]))
             + (t("，等级：{g}", ", grade: {g}", g=r["grade_label"]) if r.get("grade") else ""),
             _qualified_line(r)]
    lines += qualification_lines(r)
    for sec in r["sections"]:
        lines.append(f"  {sec['title']}: {_num(sec['score'])} / {_num(sec['max'])}")
    lines.append("")
    for ind in r["indicators"]:
        lines.append(f"  {ind['id']:<28} {_num(ind['score']):>6} / {_num(ind['max']):<4} {ind['explain']}")
    if r["missing_benchmarks"]:
        lines.append(t("缺少基准值/引领值：", "Missing benchmarks: ") + ", ".join(r["missing_benchmarks"]))
    if r["missing_answers"]:
        lines.append(t("未回答：{n} 项", "Unanswered: {n}", n=len(r["missing_answers"])))
    if r.get("carried_over"):
        lines.append(t("沿用上一年、待复核：{n} 项", "Carried over, to review: {n}", n=len(r["carried_over"])))
    if r.get("orphans"):
        lines.append(t("方案中已没有的答案（保留）：", "Answers the scheme no longer has (kept): ") + ", ".join(r["orphans"]))
    return "\n".join(lines)


def _qualified_line(r: dict) -> str:
    q = r.get("qualification") or {}
    if q.get("required_lines", "score") == "score" and q.get("pass_mark") is None:
        # no pass mark and no 必选 rule: what is settled is the veto result, said as such
        v = q.get("vetoes", "met" if r["qualified"] else "failed")
        why = "" if v == "met" else t("（{w}）", " ({w})", w=r["qualified_reason"])
        return t("否决项：{v}{why}", "Veto items: {v}{why}", why=why,
                 v={"met": t("全部符合", "all met"), "failed": t("不符合", "not met"),
                    "unanswered": t("尚未回答完", "not all answered")}.get(v, v))
    return t("合格：{q}（{why}）", "Qualified: {q} ({why})", q=t("是", "yes") if r["qualified"] else t("否", "no"),
             why=r["qualified_reason"])


_NA_WORDS = {"rescale": ("不计入满分，总分按适用项折算", "left out of the maximum, total rescaled"),
             "exclude": ("不计入满分", "left out of the maximum"), "full": ("计满分", "full points")}


def qualification_lines(r: dict) -> list[str]:
    """The score text's lines on what the total means: pass mark, 必选 lines, not-applicable rescale, points table."""
    out = []
    q = r.get("qualification") or {}
    if q.get("statement"):
        out.append("  " + q["statement"])
    for x in r.get("required_failed") or []:
        out.append(t("  必选项不符合：{i} — {f}（{id}）", "  Required (必选) line not met: {i} — {f} ({id})",
                     i=x["indicator_title"], f=x["title"], id=x["field"]))
    excluded = r.get("na_excluded") or []
    if excluded:
        pts = sum(x["points"] for x in excluded if x["kind"] == "indicator")
        ids = ", ".join(x["id"] for x in excluded)
        if r.get("rescaled"):
            out.append(t("  不适用：{p} 分不计入满分（{ids}）；总分按适用项折算：{raw} / {am} × {m} = {s}",
                         "  Not applicable: {p} points left the maximum ({ids}); total rescaled: {raw} / {am} × {m} = {s}",
                         p=_num(pts), ids=ids, raw=_num(r["raw_total"]), am=_num(r["applicable_max"]), m=_num(r["max"]),
                         s=_num(r["total"])))
        else:
            out.append(t("  不适用：不计入满分（{ids}）", "  Not applicable: left out of the maximum ({ids})", ids=ids))
    na = r.get("na_policy") or {}
    if na:
        from greendesk.core.schemes.describe import cert_text

        words = _NA_WORDS.get(na.get("mode"), (na.get("mode"), na.get("mode")))
        out.append(t("  不适用项：{m}（{c}）", "  Not-applicable rows: {m} ({c})", m=t(*words),
                     c=cert_text(na.get("certainty") or "uncertain")))
    pt = r.get("points_table")
    if pt:
        from greendesk.core.schemes.describe import cert_text

        out.append(t("  分值表：{l}（{id}，{c}）", "  Points table: {l} ({id}, {c})", l=pt["label"], id=pt["id"],
                     c=cert_text(pt.get("certainty") or "uncertain")))
    return out


def cmd_assess_new(args) -> int:
    from greendesk.core.schemes import continuity
    from greendesk.core.schemes.registry import get_scheme

    if args.from_workspace:
        result = continuity.carry_over_workspace(args.from_workspace, args.file, args.year, args.scheme)
    else:
        with _open(args.file) as ws:
            scheme_id = args.scheme or ws.assessment()["scheme_id"]
            same = [a for a in ws.assessments() if a["year"] == args.year and a["scheme_id"] == scheme_id]
            if same:
                raise UserError(
                    f"工作区中已有 {args.year} 年的 {scheme_id} 评价（#{same[0]['id']}）；"
                    f"请用 --assessment {same[0]['id']} 继续填写。",
                    f"The workspace already has an assessment for {args.year} with {scheme_id} (#{same[0]['id']}); "
                    f"continue it with --assessment {same[0]['id']}.")
            if args.carry_over:
                result = continuity.carry_over(ws, args.year, scheme_id=args.scheme)
            else:
                s = get_scheme(scheme_id)
                aid = ws.create_assessment(s.id, s.version, args.year)
                result = {"assessment_id": aid, "carried": 0, "renamed": {}, "orphans": [], "scheme": s.id,
                          "scheme_version": s.version}
    emit(result, args.json, lambda r: t(
        "已新建评价 #{a}（{s} {v}）；沿用 {c} 项答案（请复核）{o}",
        "Created assessment #{a} ({s} {v}); {c} answer(s) carried over (please review){o}",
        a=r["assessment_id"], s=r["scheme"], v=r["scheme_version"], c=r["carried"],
        o=(t("；方案中已没有的答案 {n} 项已保留", "; {n} answer(s) the scheme no longer has were kept",
             n=len(r["orphans"])) if r["orphans"] else "")))
    return 0


__all__ = ["register", "scheme_json", "outline_text", "score_text", "read_answer_file"]
