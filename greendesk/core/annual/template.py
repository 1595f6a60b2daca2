"""Annual-return templates (templates/annual_return/*.yaml): the rows of a 动态管理表 as data.

The loader is strict: an unknown key, a missing key, a wrong type, a duplicate row id, a formula
that does not parse or names an unknown row, or a cycle between formulas is an error naming the
file, the line and the key. A province's form is a new file, not new code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from greendesk.core import expr
from greendesk.core.datacheck import check_id, check_keys, fail
from greendesk.core.errors import UserError
from greendesk.core.i18n import pick
from greendesk.core.paths import templates_dir
from greendesk.core.safe_yaml import LMap, load_yaml_text

SOURCE_KINDS = ("energy", "co2", "production", "answer", "indicator", "formula")
DIRECTIONS = ("lower_better", "higher_better", "none")
PRODUCTION_KEYS = ("quantity", "output_value_wan_yuan")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"id", "title", "certainty", "source_notes", "maintainer_note", "rows"}
_TOP_REQUIRED = {"id", "title", "source_notes", "rows"}
_ROW_KEYS = {"id", "label", "unit", "direction", "from", "benchmark", "key", "show", "note", "maintainer_note"}
_ROW_REQUIRED = {"id", "label", "unit", "direction", "from"}
CERTAINTIES = ("confirmed", "secondary", "uncertain")
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Source:
    kind: str
    ref: str
    formula: expr.Expr | None = None


@dataclass(frozen=True)
class Row:
    id: str
    label: dict
    unit: str
    direction: str
    sources: tuple[Source, ...]
    benchmark: str | None = None
    key: bool = False
    show: bool = True
    note: dict | None = None

    def name(self, lang: str | None = None) -> str:
        return pick(self.label, lang)


@dataclass(frozen=True)
class Template:
    id: str
    title: dict
    certainty: str
    source_notes: dict
    rows: tuple[Row, ...]
    file: str
    order: tuple[str, ...] = field(default=())      # row ids in computing order (formulas after their inputs)

    def row(self, row_id: str) -> Row:
        return next(r for r in self.rows if r.id == row_id)


def _text_pair(file: str, parent: LMap, k: str, where: str) -> dict:
    v = parent[k]
    if not isinstance(v, dict) or not set(v) <= {"zh", "en", "maintainer_note"} or not isinstance(v.get("zh"), str) \
            or not isinstance(v.get("en"), str) or not v["zh"].strip() or not v["en"].strip():
        raise fail(file, parent, where, "must be {zh: text, en: text}, both given", "应为 {zh: 中文, en: 英文}，两者都要填写",
                    k)
    return {"zh": v["zh"].strip(), "en": v["en"].strip()}


def parse_template(text: str, file: str) -> Template:
    """A template from its YAML text; ``file`` names it in errors."""
    data = load_yaml_text(text, file)
    check_keys(file, data, _TOP_KEYS, _TOP_REQUIRED, "")
    tid = data["id"]
    if not isinstance(tid, str) or not _ID.match(tid):
        raise fail(file, data, "id", "must be a lower-case id ([a-z0-9_])", "应为小写标识（a-z、0-9、_）", "id")
    title = _text_pair(file, data, "title", "title")
    notes = _text_pair(file, data, "source_notes", "source_notes")
    certainty = data.get("certainty", "uncertain")
    if certainty not in CERTAINTIES:
        raise fail(file, data, "certainty", f"must be one of {', '.join(CERTAINTIES)}",
                    f"应为 {', '.join(CERTAINTIES)} 之一", "certainty")
    rows_node = data["rows"]
    if not isinstance(rows_node, list) or not rows_node:
        raise fail(file, data, "rows", "must be a non-empty list", "应为非空列表", "rows")
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for i, rn in enumerate(rows_node):
        where = f"rows[{i + 1}]"
        check_keys(file, rn, _ROW_KEYS, _ROW_REQUIRED, where)
        rid = check_id(file, rn, where, seen, i + 1, _ID, ("a-z", "0-9", "_"))
        where = f"rows.{rid}"
        label = _text_pair(file, rn, "label", f"{where}.label")
        note = _text_pair(file, rn, "note", f"{where}.note") if "note" in rn else None
        unit = rn["unit"]
        if not isinstance(unit, str):
            raise fail(file, rn, f"{where}.unit", "must be text", "应为文本", "unit")
        direction = rn["direction"]
        if direction not in DIRECTIONS:
            raise fail(file, rn, f"{where}.direction", f"must be one of {', '.join(DIRECTIONS)}",
                        f"应为 {', '.join(DIRECTIONS)} 之一", "direction")
        for flag in ("key", "show"):
            if flag in rn and not isinstance(rn[flag], bool):
                raise fail(file, rn, f"{where}.{flag}", "must be true or false", "应为 true 或 false", flag)
        bench = rn.get("benchmark")
        if bench is not None and (not isinstance(bench, str) or not bench.strip()):
            raise fail(file, rn, f"{where}.benchmark", "must be an indicator id", "应为指标 id", "benchmark")
        if rn.get("key") and direction == "none":
            raise fail(file, rn, f"{where}.key", "a key indicator needs a direction (lower_better or higher_better)",
                        "关键指标需要方向（lower_better 或 higher_better）", "key")
        src_node = rn["from"]
        if isinstance(src_node, dict):
            src_node = [src_node]
        if not isinstance(src_node, list) or not src_node:
            raise fail(file, rn, f"{where}.from", "must be a source or a list of sources", "应为一个或多个来源", "from")
        sources = []
        for j, sn in enumerate(src_node):
            sw = f"{where}.from[{j + 1}]"
            if not isinstance(sn, dict) or len(sn) != 1:
                raise fail(file, sn if isinstance(sn, dict) else rn, sw,
                            f"must be exactly one of {', '.join(SOURCE_KINDS)}",
                            f"应为以下之一：{', '.join(SOURCE_KINDS)}", "from")
            kind, ref = next(iter(sn.items()))
            if kind not in SOURCE_KINDS:
                raise fail(file, sn, f"{sw}.{kind}", f"unknown source; allowed: {', '.join(SOURCE_KINDS)}",
                            f"未知的来源；允许：{', '.join(SOURCE_KINDS)}", kind)
            if not isinstance(ref, str) or not ref.strip():
                raise fail(file, sn, f"{sw}.{kind}", "must be text", "应为文本", kind)
            if kind == "production" and ref not in PRODUCTION_KEYS:
                raise fail(file, sn, f"{sw}.production", f"must be one of {', '.join(PRODUCTION_KEYS)}",
                            f"应为 {', '.join(PRODUCTION_KEYS)} 之一", kind)
            parsed = None
            if kind == "formula":
                try:
                    parsed = expr.parse(ref)
                except expr.ExprError as e:
                    raise fail(file, sn, f"{sw}.formula", f"not a valid formula: {e}", f"公式无效：{e}", kind) from None
            sources.append(Source(kind, ref.strip(), parsed))
        rows.append(Row(rid, label, unit, direction, tuple(sources), bench.strip() if bench else None,
                        bool(rn.get("key", False)), bool(rn.get("show", True)), note))
    # formulas: known rows, no cycles
    ids = {r.id for r in rows}
    deps: dict[str, set[str]] = {}
    for r, rn in zip(rows, rows_node, strict=True):
        deps[r.id] = set()
        for s in r.sources:
            if s.formula is None:
                continue
            unknown = sorted(s.formula.refs - ids)
            if unknown:
                raise fail(file, rn, f"rows.{r.id}.from", f"the formula names an unknown row '{unknown[0]}'",
                            f"公式引用了不存在的行“{unknown[0]}”", "from")
            deps[r.id] |= set(s.formula.refs)
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(rid: str, path: list[str]) -> None:
        if state.get(rid) == 2:
            return
        if state.get(rid) == 1:
            cyc = path[path.index(rid):] + [rid]
            rn = rows_node[seen[cyc[0]] - 1]
            raise fail(file, rn, f"rows.{cyc[0]}.from", f"formulas refer to each other in a circle: {' → '.join(cyc)}",
                        f"公式循环引用：{' → '.join(cyc)}", "from")
        state[rid] = 1
        for d in sorted(deps[rid]):
            visit(d, path + [rid])
        state[rid] = 2
        order.append(rid)

    for r in rows:
        visit(r.id, [])
    return Template(tid, title, certainty, notes, tuple(rows), file, tuple(order))


def template_dir() -> Path:
    return templates_dir() / "annual_return"


def template_ids() -> list[str]:
    return sorted(p.stem for p in template_dir().glob("*.yaml"))


def load_template(name: str = "national") -> Template:
    """A shipped template by id, or a template file by path."""
    p = Path(name)
    if not (p.suffix in (".yaml", ".yml") and p.is_file()):
        if not _ID.match(name):
            raise UserError(f"没有名为“{name}”的动态管理表模板。可用：{', '.join(template_ids())}",
                            f"No annual-return template '{name}'. Available: {', '.join(template_ids())}")
        p = template_dir() / f"{name}.yaml"
        if not p.is_file():
            raise UserError(f"没有名为“{name}”的动态管理表模板。可用：{', '.join(template_ids())}",
                            f"No annual-return template '{name}'. Available: {', '.join(template_ids())}")
    if p.stat().st_size > MAX_BYTES:
        raise UserError(f"{p.name}：文件过大，不是动态管理表模板。", f"{p.name}: too large for an annual-return template.")
    data = p.read_bytes()
    from greendesk.core.safe_yaml import decode_utf8

    return parse_template(decode_utf8(data, p.name), p.name)
