"""Strict loader: forms/*.yaml -> :class:`~greendesk.core.schemes.model.Scheme`.

Every problem is a :class:`SchemeError` naming the file, the line and the key, and saying
how to fix it: unknown keys (with a "did you mean"), duplicate keys and ids, missing keys,
wrong types, dangling references and bad expressions. A local profile (``base: ID``) is the
base scheme's data with ``overrides`` merged in and ``extra_sections``/``extra_indicators``
appended; the merged result is checked like any scheme, and errors still point at the file
each line came from.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from greendesk.core import datacache
from greendesk.core.errors import UserError
from greendesk.core.expr import Expr, ExprError, parse, row_scoped_refs
from greendesk.core.safe_yaml import DEFAULT_LIMITS, LList, LMap, YamlError, decode_utf8, load_yaml_text
from greendesk.core.schemes.model import (
    CERTAINTIES,
    DIRECTIONS,
    FIELD_TYPES,
    RULE_KINDS,
    Band,
    Case,
    Choice,
    Field,
    Grade,
    Indicator,
    Rule,
    RuleItem,
    Scheme,
    SchemeSource,
    Section,
)

FORMAT = 1
# Keys of automatic values another area computes from meter data (greendesk.core.energy.auto_values).
AUTO_KEYS = ("energy.total_tce", "energy.co2_t", "energy.renewable_tce", "energy.electricity_kwh",
             "water.intake_m3", "production.output_value_wan_yuan", "production.quantity")
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_COL_ID = re.compile(r"^[a-z][a-z0-9_]*$")

# Allowed keys per object (the published JSON Schema is generated from these tables).
FIELD_KEYS = {"id", "type", "label", "guidance", "unit", "min", "max", "choices", "required", "relevant",
              "constraint", "constraint_message", "calculation", "columns", "max_rows", "auto", "default"}
CHOICE_KEYS = {"value", "label", "degree"}
ITEM_KEYS = {"field", "points", "level"}
BAND_KEYS = {"id", "label", "min", "max", "baseline", "leading", "source", "certainty", "note",
             "maintainer_note"}
CASE_KEYS = {"when", "label", "rule"}
RULE_COMMON_KEYS = {"kind", "source", "certainty", "note", "maintainer_note"}
RULE_KEYS = {
    "veto": set(),
    "checklist": {"items"},
    "quantitative": {"direction", "value", "unit", "baseline", "leading", "band_by", "bands"},
    "count": {"direction", "value", "unit", "baseline", "leading"},
    "threshold": {"direction", "value", "unit", "threshold"},
    "multi_product": {"direction", "unit", "rows", "row_value", "row_baseline", "row_leading", "row_weight",
                      "max_products"},
    "cases": {"cases"},
    "info": set(),
}
INDICATOR_KEYS = {"id", "title", "points", "rule", "fields", "guidance", "evidence", "evidence_source",
                  "evidence_certainty", "applicable", "code", "source", "certainty", "note", "maintainer_note"}
SECTION_KEYS = {"id", "title", "weight", "indicators", "source", "certainty", "note", "maintainer_note"}
GRADE_KEYS = {"id", "min", "label", "requires_qualified", "source", "certainty", "note", "maintainer_note"}
SOURCE_KEYS = {"standard", "clause", "date", "certainty", "note", "maintainer_note"}
NA_POLICY_KEYS = {"mode", "source", "certainty", "note", "maintainer_note"}
MIGRATION_KEYS = {"renamed", "removed"}
OVERRIDE_KEYS = {"indicators", "sections"}
SCHEME_KEYS = {"maintainer_note", "format", "id", "version", "title", "description", "source", "base", "grades", "common",
               "sections", "migrations", "na_policy", "overrides", "extra_sections", "extra_indicators", "notes",
               "qualification", "points_tables", "points_table"}


class SchemeError(YamlError):
    """A scheme file is invalid. ``file``, ``line`` (>= 1) and ``key`` say where."""


class BaseCycleError(UserError):
    """Profiles whose ``base`` chain comes back to itself (raised by the registry; reported at the ``base`` line)."""


def _close_matches(word: str, candidates, n: int = 1) -> list[str]:
    """difflib's suggestions for a misspelt key (imported when a scheme file has an error, not at start-up)."""
    import difflib

    return difflib.get_close_matches(word, candidates, n=n)


def _stamp() -> str:
    import os

    from greendesk.core import safe_yaml
    try:
        return str(os.stat(safe_yaml.__file__).st_mtime_ns)
    except OSError:
        return "0"


_SAFE_YAML_STAMP = _stamp()


# --- YAML with line numbers ----------------------------------------------------------------
# LMap / LList and the hostile-input limits live in greendesk.core.safe_yaml (shared with the
# answers and meter-mapping readers).


def read_yaml(text: str, file: str) -> Any:
    """Parse a scheme file's text into line-tracking maps and lists (cached: see core.datacache)."""
    return datacache.parsed(text, lambda t: _read_yaml(t, file), "scheme", extra=f"{file}|{_SAFE_YAML_STAMP}")


def _read_yaml(text: str, file: str) -> Any:
    return load_yaml_text(text, file, error_cls=SchemeError)


# --- checking helpers ----------------------------------------------------------------------

class _Ctx:
    """Where we are: the owning map/list (for file and line) and the dotted key path.

    ``file``/``line`` are the place of the value itself, taken from its parent when the value is a
    plain scalar (a text where a mapping belongs has no line of its own): no message says line 0.
    """

    def __init__(self, node: Any, path: str, file: str = "", line: int = 0):
        self.node = node
        self.path = path
        self.file = getattr(node, "file", "") or file or "?"
        self.line = getattr(node, "line", 0) or line or 1

    def fail(self, key: str | None, en: str, zh: str, line: int | None = None) -> SchemeError:
        node = self.node
        file = (node.file_of(key) or self.file) if isinstance(node, LMap) else self.file
        if line is None:
            line = node.line_of(key) if isinstance(node, LMap) and key else self.line
        path = self.path + (f".{key}" if key and self.path else (key or ""))
        return SchemeError(file, line or self.line, path, en, zh)

    def sub(self, key: str) -> _Ctx:
        value = self.node[key]
        node = self.node
        file = node.file_of(key) if isinstance(node, LMap) else self.file
        line = node.line_of(key) if isinstance(node, LMap) else self.line
        return _Ctx(value, f"{self.path}.{key}" if self.path else key, file, line)

    def item(self, i: int, name: str | None = None) -> _Ctx:
        value = self.node[i]
        label = f"[{name}]" if name else f"[{i}]"
        lines = getattr(self.node, "item_lines", None) or []
        return _Ctx(value, f"{self.path}{label}", self.file, lines[i] if i < len(lines) else self.line)


def _check_keys(ctx: _Ctx, allowed: set[str], required: set[str] = frozenset(), what: str = "") -> LMap:
    node = ctx.node
    if not isinstance(node, dict):
        raise ctx.fail(None, f"expected a mapping (key: value lines){' for ' + what if what else ''}",
                       f"此处应为映射（键: 值）{'：' + what if what else ''}")
    for key in node:
        if key not in allowed:
            close = _close_matches(key, sorted(allowed), n=1)
            hint_en = f" (did you mean '{close[0]}'?)" if close else ""
            hint_zh = f"（是否应为 '{close[0]}'？）" if close else ""
            raise ctx.fail(key, f"unknown key '{key}'{hint_en}; allowed keys: {', '.join(sorted(allowed))}",
                           f"未知的键 '{key}'{hint_zh}；允许的键：{', '.join(sorted(allowed))}")
    for key in sorted(required):
        if key not in node or node[key] is None:
            raise ctx.fail(None, f"missing required key '{key}'; add it", f"缺少必需的键 '{key}'，请补上")
    return node


def _str(ctx: _Ctx, key: str, *, required: bool = False, default: str | None = "") -> str | None:
    v = ctx.node.get(key)
    if v is None:
        if required:
            raise ctx.fail(None, f"missing required key '{key}'; add it", f"缺少必需的键 '{key}'，请补上")
        return default
    if isinstance(v, (int, float)) and not isinstance(v, bool) and key in ("version", "code", "date"):
        return str(v)
    if not isinstance(v, str):
        raise ctx.fail(key, "expected text; quote the value", "此处应为文本，请给值加引号")
    return v


def _num(ctx: _Ctx, key: str, *, default: float | None = None, min_value: float | None = None) -> float | None:
    v = ctx.node.get(key)
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ctx.fail(key, f"expected a number, got {v!r}", f"此处应为数值，而不是 {v!r}")
    if min_value is not None and v < min_value:
        raise ctx.fail(key, f"must be at least {min_value:g}", f"不能小于 {min_value:g}")
    return float(v)


def _bool(ctx: _Ctx, key: str, default: bool = False) -> bool:
    v = ctx.node.get(key)
    if v is None:
        return default
    if not isinstance(v, bool):
        raise ctx.fail(key, "expected true or false", "此处应为 true 或 false")
    return v


def _enum(ctx: _Ctx, key: str, allowed: tuple[str, ...], *, default: str | None = None,
          required: bool = False) -> str | None:
    v = ctx.node.get(key)
    if v is None:
        if required:
            raise ctx.fail(None, f"missing required key '{key}' (one of: {', '.join(allowed)})",
                           f"缺少必需的键 '{key}'（可选值：{', '.join(allowed)}）")
        return default
    if v not in allowed:
        close = _close_matches(str(v), allowed, n=1)
        hint_en = f" (did you mean '{close[0]}'?)" if close else ""
        hint_zh = f"（是否应为 '{close[0]}'？）" if close else ""
        raise ctx.fail(key, f"'{v}' is not allowed{hint_en}; use one of: {', '.join(allowed)}",
                       f"不允许的值 '{v}'{hint_zh}；可选值：{', '.join(allowed)}")
    return v


def _text(ctx: _Ctx, key: str, *, required: bool = False) -> dict:
    v = ctx.node.get(key)
    if v is None:
        if required:
            raise ctx.fail(None, f"missing required key '{key}' (a mapping with zh and en)",
                           f"缺少必需的键 '{key}'（含 zh 和 en 的映射）")
        return {}
    sub = ctx.sub(key)
    if not isinstance(v, dict):
        raise ctx.fail(key, "expected a mapping with 'zh' and 'en' texts", "此处应为含 zh 和 en 的映射")
    _check_keys(sub, {"zh", "en"}, {"zh", "en"})
    for lang in ("zh", "en"):
        if not isinstance(v[lang], str):
            raise sub.fail(lang, "expected text; quote the value", "此处应为文本，请给值加引号")
    return {"zh": v["zh"], "en": v["en"]}


def _note(ctx: _Ctx) -> dict:
    """The user-facing ``note``: {zh, en}; a plain text (older files) is used for both languages.
    Notes for maintainers go in ``maintainer_note``, which is never shown."""
    v = ctx.node.get("note")
    if v is None:
        return {}
    if isinstance(v, str):
        return {"zh": v, "en": v} if v else {}
    return _text(ctx, "note")


def _list(ctx: _Ctx, key: str, *, required: bool = False) -> LList:
    v = ctx.node.get(key)
    if v is None:
        if required:
            raise ctx.fail(None, f"missing required key '{key}' (a list)", f"缺少必需的键 '{key}'（列表）")
        empty = LList()
        empty.file, empty.line, empty.item_lines = getattr(ctx.node, "file", ""), getattr(ctx.node, "line", 0), []
        return empty
    if not isinstance(v, list):
        raise ctx.fail(key, "expected a list (lines starting with '- ')", "此处应为列表（以 '- ' 开头的行）")
    return v


def _check_benchmarks(ctx: _Ctx, direction: str | None, baseline: float | None, leading: float | None) -> None:
    """基准值 and 引领值 must differ, and the leading value must be the better one, or the score runs backwards."""
    if baseline is None or leading is None:
        return
    if baseline == leading:
        raise ctx.fail("leading", "基准值 (baseline) and 引领值 (leading) must differ", "基准值与引领值不能相等")
    if direction == "higher_better" and leading < baseline or direction == "lower_better" and leading > baseline:
        raise ctx.fail("leading", f"引领值 (leading) {leading:g} is worse than 基准值 (baseline) {baseline:g} for a "
                       f"{direction} indicator; swap them",
                       f"引领值 {leading:g} 比基准值 {baseline:g} 差（{'越高越好' if direction == 'higher_better' else '越低越好'}）；"
                       "请对调")


def _items(ctx: _Ctx, key: str, *, required: bool = False):
    lst = _list(ctx, key, required=required)
    lctx = ctx.sub(key) if key in ctx.node and ctx.node[key] is not None else _Ctx(lst, key, ctx.file, ctx.line)
    lines = getattr(lst, "item_lines", None) or []
    for i, item in enumerate(lst):
        name = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
        line = lines[i] if i < len(lines) else lctx.line
        yield _Ctx(item, f"{lctx.path}[{name}]" if name else f"{lctx.path}[{i}]", lctx.file, line), line


# --- the builder ----------------------------------------------------------------------------

class _Builder:
    def __init__(self) -> None:
        self.ids: dict[str, tuple[str, int]] = {}     # id -> (file, line) of its definition
        self.fields: dict[str, Field] = {}
        self.field_ctx: dict[str, tuple[_Ctx, LMap]] = {}
        self.pending: list[Callable[[], None]] = []   # reference checks run once all ids are known

    def claim(self, ctx: _Ctx, ident: Any, what: str, pattern: re.Pattern = _ID) -> str:
        if not isinstance(ident, str) or not pattern.match(ident):
            raise ctx.fail("id", f"bad {what} id {ident!r}: use lower-case letters, digits and '_'"
                           + (", parts joined by '.'" if pattern is _ID else ""),
                           f"{what} 的 id {ident!r} 不合规：只能用小写字母、数字和下划线" + ("，各段以 '.' 相连" if pattern is _ID else ""))
        if ident in self.ids:
            f, line = self.ids[ident]
            raise ctx.fail("id", f"duplicate id '{ident}' (already used at {f}:{line}); ids must be unique in a scheme",
                           f"重复的 id '{ident}'（已在 {f}:{line} 使用）；方案内 id 必须唯一")
        self.ids[ident] = (ctx.node.file, ctx.node.line_of("id"))
        return ident

    def expr(self, ctx: _Ctx, key: str, *, scope_cols: dict[str, set[str]] | None = None,
             local_cols: set[str] | None = None) -> Expr | None:
        v = ctx.node.get(key)
        if v is None:
            return None
        try:
            e = parse(v)
        except ExprError as err:
            raise ctx.fail(key, f"bad expression {v!r}: {err}", f"表达式 {v!r} 有误：{err}") from None

        def check() -> None:
            inner = row_scoped_refs(e)
            row_cols: set[str] = set(local_cols or ())
            for ref in e.refs:
                f = self.fields.get(ref)
                if f is not None and f.type == "rows":
                    row_cols |= {c.id for c in f.columns}
            for ref in sorted(e.refs):
                if ref in self.fields:
                    continue
                if local_cols is not None and ref in local_cols:
                    continue
                if ref in inner and ref in row_cols:
                    continue
                close = _close_matches(ref, list(self.fields) + sorted(row_cols), n=1)
                hint_en = f" (did you mean '{close[0]}'?)" if close else ""
                hint_zh = f"（是否应为 '{close[0]}'？）" if close else ""
                raise ctx.fail(key, f"${{{ref}}} refers to no field{hint_en}; define the field or fix the name",
                               f"${{{ref}}} 没有对应的字段{hint_zh}；请定义该字段或改正名称")
        self.pending.append(check)
        return e

    # -- fields --

    def field(self, ctx: _Ctx, owner: str | None, *, column: bool = False) -> Field:
        node = _check_keys(ctx, FIELD_KEYS, {"id", "type", "label"}, "field")
        if column:
            fid = node["id"]
            if not isinstance(fid, str) or not _COL_ID.match(fid):
                raise ctx.fail("id", f"bad column id {fid!r}: use lower-case letters, digits and '_'",
                               f"列 id {fid!r} 不合规：只能用小写字母、数字和下划线")
        else:
            fid = self.claim(ctx, node["id"], "field")
            prefix = f"{owner}." if owner else "common."
            if not fid.startswith(prefix):
                raise ctx.fail("id", f"field id '{fid}' must start with '{prefix}' (the id of its "
                               f"{'indicator' if owner else 'common data group'})",
                               f"字段 id '{fid}' 必须以 '{prefix}' 开头")
        ftype = _enum(ctx, "type", FIELD_TYPES, required=True)
        choices: list[Choice] = []
        seen: set[str] = set()
        for cctx, _line in _items(ctx, "choices"):
            cn = _check_keys(cctx, CHOICE_KEYS, {"value", "label"}, "choice")
            val = cn["value"]
            if not isinstance(val, str):
                raise cctx.fail("value", "expected text; quote the value", "此处应为文本，请给值加引号")
            if val in seen:
                raise cctx.fail("value", f"duplicate choice '{val}'", f"重复的选项 '{val}'")
            seen.add(val)
            degree = _num(cctx, "degree")
            if degree is not None and not 0 <= degree <= 1:
                raise cctx.fail("degree", "degree must be between 0 and 1 (share of the points)",
                                "degree 必须在 0 到 1 之间（所得分值比例）")
            choices.append(Choice(val, _text(cctx, "label", required=True), degree))
        if ftype in ("choice", "multi") and not choices:
            raise ctx.fail("type", f"a '{ftype}' field needs 'choices'", f"'{ftype}' 类型的字段需要 'choices'")
        if choices and ftype not in ("choice", "multi"):
            raise ctx.fail("choices", f"'choices' is only for choice and multi fields, not '{ftype}'",
                           f"'choices' 只用于 choice 和 multi 字段，不用于 '{ftype}'")
        columns: list[Field] = []
        if ftype == "rows":
            if column:
                raise ctx.fail("type", "rows cannot be nested", "行表不能嵌套")
            col_ids: set[str] = set()
            for cctx, _line in _items(ctx, "columns", required=True):
                col = self.field(cctx, owner, column=True)
                if col.id in col_ids:
                    raise cctx.fail("id", f"duplicate column id '{col.id}'", f"重复的列 id '{col.id}'")
                col_ids.add(col.id)
                columns.append(col)
            # column calculations may use sibling columns
            cols_by_id = {c.id for c in columns}
            for (cctx, _line), col in zip(_items(ctx, "columns"), columns, strict=True):
                if col.calculation is not None:
                    object.__setattr__(col, "calculation",
                                       self.expr(cctx, "calculation", local_cols=cols_by_id))
        elif "columns" in node:
            raise ctx.fail("columns", "'columns' is only for rows fields", "'columns' 只用于 rows 字段")
        calc = None
        if ftype == "calculated":
            if "calculation" not in node:
                raise ctx.fail(None, "a calculated field needs 'calculation'", "calculated 字段需要 'calculation'")
            if not column:
                calc = self.expr(ctx, "calculation")
            else:
                calc = parse_or_fail(ctx, "calculation")
        elif "calculation" in node:
            raise ctx.fail("calculation", "'calculation' is only for calculated fields; set type: calculated",
                           "'calculation' 只用于 calculated 字段，请设 type: calculated")
        auto = _str(ctx, "auto", default=None)
        if auto is not None and auto not in AUTO_KEYS:
            raise ctx.fail("auto", f"unknown automatic value '{auto}'; known: {', '.join(AUTO_KEYS)}",
                           f"未知的自动取值 '{auto}'；可用：{', '.join(AUTO_KEYS)}")
        mn, mx = _num(ctx, "min"), _num(ctx, "max")
        if mn is not None and mx is not None and mn > mx:
            raise ctx.fail("min", f"min {mn:g} is greater than max {mx:g}", f"min {mn:g} 大于 max {mx:g}")
        constraint = None if column else self.expr(ctx, "constraint")
        if "constraint" in node and column:
            raise ctx.fail("constraint", "columns cannot have constraints; use min/max", "列不能有 constraint，请用 min/max")
        if "constraint" in node and "constraint_message" not in node:
            raise ctx.fail("constraint", "a constraint needs a 'constraint_message' (zh and en) telling the user "
                           "what is wrong", "constraint 需要配 'constraint_message'（中英文）告诉用户哪里不对")
        f = Field(
            id=fid, type=ftype, label=_text(ctx, "label", required=True), guidance=_text(ctx, "guidance"),
            unit=_str(ctx, "unit", default=None), min=mn, max=mx, choices=tuple(choices),
            required=_bool(ctx, "required"), relevant=None if column else self.expr(ctx, "relevant"),
            constraint=constraint, constraint_message=_text(ctx, "constraint_message"), calculation=calc,
            columns=tuple(columns), max_rows=int(_num(ctx, "max_rows", min_value=1) or 0) or None, auto=auto,
            default=node.get("default"), indicator_id=owner, line=node.line,
        )
        if f.default is not None:
            from greendesk.core.schemes.values import validate_value
            try:
                validate_value(f, f.default)
            except UserError as e:
                raise ctx.fail("default", f"default does not validate: {e.en}", f"默认值无效：{e.zh}") from None
        if not column:
            self.fields[fid] = f
        return f

    # -- rules --

    def rule(self, ctx: _Ctx, ind_id: str, own_fields: list[Field]) -> Rule:
        node = ctx.node
        if not isinstance(node, dict):
            raise ctx.fail(None, "expected a mapping with at least 'kind'", "此处应为至少含 'kind' 的映射")
        kind = _enum(ctx, "kind", RULE_KINDS, required=True)
        _check_keys(ctx, RULE_COMMON_KEYS | RULE_KEYS[kind], {"kind"}, "rule")
        direction = _enum(ctx, "direction", DIRECTIONS,
                          default="higher_better" if kind in ("count", "threshold") else None)
        if kind in ("quantitative", "multi_product") and direction is None:
            raise ctx.fail(None, "missing required key 'direction' (higher_better or lower_better)",
                           "缺少必需的键 'direction'（higher_better 或 lower_better）")
        if kind in ("quantitative", "count", "threshold") and "value" not in node:
            raise ctx.fail(None, "missing required key 'value' (an expression giving x)",
                           "缺少必需的键 'value'（计算 x 的表达式）")
        items: list[RuleItem] = []
        for ictx, _line in _items(ctx, "items", required=kind == "checklist"):
            inode = _check_keys(ictx, ITEM_KEYS, {"field", "points"}, "checklist item")
            fid = inode["field"]
            if not isinstance(fid, str):
                raise ictx.fail("field", "expected a field id (text)", "此处应为字段 id（文本）")
            if fid not in {f.id for f in own_fields}:
                raise ictx.fail("field", f"'{fid}' is not a field of indicator '{ind_id}'",
                                f"'{fid}' 不是指标 '{ind_id}' 的字段")
            f = next(f for f in own_fields if f.id == fid)
            if f.type not in ("yesno", "choice", "percent"):
                raise ictx.fail("field", f"checklist lines need a yesno, choice (with degrees) or percent field; "
                                f"'{fid}' is {f.type}", f"检查项需要 yesno、choice（带 degree）或 percent 字段；'{fid}' 是 {f.type}")
            if f.type == "choice" and any(c.degree is None for c in f.choices):
                raise ictx.fail("field", f"every choice of '{fid}' needs a 'degree' (0-1) to score it",
                                f"'{fid}' 的每个选项都需要 'degree'（0-1）才能计分")
            items.append(RuleItem(fid, _num(ictx, "points", min_value=0) or 0.0,
                                  _enum(ictx, "level", ("required", "optional"), default="required")))
        if kind == "veto" and not any(f.type == "yesno" for f in own_fields):
            raise ctx.fail("kind", f"a veto indicator needs at least one yesno field (the requirement lines) in "
                           f"indicator '{ind_id}'", f"否决项指标 '{ind_id}' 至少需要一个 yesno 字段（各项要求）")
        bands: list[Band] = []
        band_ids: set[str] = set()
        for bctx, _line in _items(ctx, "bands"):
            bnode = _check_keys(bctx, BAND_KEYS, {"id", "label"}, "band")
            bid = bnode["id"]
            if not isinstance(bid, str) or not _COL_ID.match(bid) or bid in band_ids:
                raise bctx.fail("id", f"bad or duplicate band id {bid!r}", f"档位 id {bid!r} 不合规或重复")
            band_ids.add(bid)
            _check_benchmarks(bctx, direction, _num(bctx, "baseline"), _num(bctx, "leading"))
            bands.append(Band(bid, _text(bctx, "label", required=True), _num(bctx, "min"), _num(bctx, "max"),
                              _num(bctx, "baseline"), _num(bctx, "leading"), _str(bctx, "source") or "",
                              _enum(bctx, "certainty", CERTAINTIES, default="uncertain"), _note(bctx),
                              _str(bctx, "maintainer_note") or ""))
        if bands and "band_by" not in node:
            raise ctx.fail("bands", "bands need 'band_by' (the expression that picks a band)",
                           "分档需要 'band_by'（用于选档的表达式）")
        if "band_by" in node and not bands:
            raise ctx.fail("band_by", "'band_by' needs 'bands'", "'band_by' 需要配 'bands'")
        rows = _str(ctx, "rows", default=None)
        row_cols: set[str] | None = None
        if kind == "multi_product":
            if rows is None:
                raise ctx.fail(None, "missing required key 'rows' (the per-product rows field)",
                               "缺少必需的键 'rows'（按产品填写的行表字段）")
            rf = next((f for f in own_fields if f.id == rows), None)
            if rf is None or rf.type != "rows":
                raise ctx.fail("rows", f"'{rows}' is not a rows field of indicator '{ind_id}'",
                               f"'{rows}' 不是指标 '{ind_id}' 的行表字段")
            row_cols = {c.id for c in rf.columns}
            for k in ("row_value", "row_baseline", "row_leading", "row_weight"):
                if k not in node:
                    raise ctx.fail(None, f"missing required key '{k}'", f"缺少必需的键 '{k}'")
        cases: list[Case] = []
        for cctx, _line in _items(ctx, "cases", required=kind == "cases"):
            cnode = _check_keys(cctx, CASE_KEYS, {"when", "rule"}, "case")
            sub_rule = self.rule(cctx.sub("rule"), ind_id, own_fields)
            if sub_rule.kind in ("cases", "veto"):
                raise cctx.fail("rule", "a case cannot be another 'cases' or a 'veto'", "case 里不能再用 cases 或 veto")
            cases.append(Case(self.expr(cctx, "when"), sub_rule, _text(cctx, "label")))
            del cnode
        baseline, leading = _num(ctx, "baseline"), _num(ctx, "leading")
        _check_benchmarks(ctx, direction, baseline, leading)
        if kind == "threshold" and _num(ctx, "threshold") is None:
            raise ctx.fail(None, "missing required key 'threshold'", "缺少必需的键 'threshold'")
        return Rule(
            kind=kind, direction=direction, value=self.expr(ctx, "value"), unit=_str(ctx, "unit", default=None),
            baseline=baseline, leading=leading, threshold=_num(ctx, "threshold"),
            band_by=self.expr(ctx, "band_by"), bands=tuple(bands), items=tuple(items), rows=rows,
            row_value=self.expr(ctx, "row_value", local_cols=row_cols),
            row_baseline=self.expr(ctx, "row_baseline", local_cols=row_cols),
            row_leading=self.expr(ctx, "row_leading", local_cols=row_cols),
            row_weight=self.expr(ctx, "row_weight", local_cols=row_cols),
            max_products=int(_num(ctx, "max_products", default=3, min_value=1)), cases=tuple(cases),
            source=_str(ctx, "source") or "", certainty=_enum(ctx, "certainty", CERTAINTIES, default="uncertain"),
            note=_note(ctx), maintainer_note=_str(ctx, "maintainer_note") or "",
        )

    # -- indicators, sections, scheme --

    def indicator(self, ctx: _Ctx, section_id: str) -> Indicator:
        node = _check_keys(ctx, INDICATOR_KEYS, {"id", "title", "points", "rule"}, "indicator")
        iid = self.claim(ctx, node["id"], "indicator")
        if "." in iid:
            raise ctx.fail("id", f"indicator id '{iid}' must not contain '.' (field ids use it)",
                           f"指标 id '{iid}' 不能含 '.'（字段 id 用它分隔）")
        fields = [self.field(fctx, iid) for fctx, _line in _items(ctx, "fields")]
        rule = self.rule(ctx.sub("rule"), iid, fields)
        points = _num(ctx, "points", min_value=0) or 0.0
        if rule.kind in ("veto", "info") and points:
            raise ctx.fail("points", f"a {rule.kind} indicator earns no points; set points: 0",
                           f"{rule.kind} 指标不计分，请设 points: 0")
        if rule.kind == "checklist":
            total = sum(i.points for i in rule.items)
            if abs(total - points) > 1e-9:
                raise ctx.fail("points", f"points {points:g} differ from the sum of the checklist items ({total:g})",
                               f"points {points:g} 与各检查项分值之和（{total:g}）不一致")
        evidence = []
        for ectx, _line in _items(ctx, "evidence"):
            if not isinstance(ectx.node, dict):
                raise ectx.fail(None, "expected a mapping with 'zh' and 'en'", "此处应为含 zh 和 en 的映射")
            _check_keys(ectx, {"zh", "en"}, {"zh", "en"})
            evidence.append({"zh": ectx.node["zh"], "en": ectx.node["en"]})
        return Indicator(
            id=iid, title=_text(ctx, "title", required=True), points=points, rule=rule, fields=tuple(fields),
            guidance=_text(ctx, "guidance"), evidence=tuple(evidence), evidence_source=_str(ctx, "evidence_source") or "",
            evidence_certainty=_enum(ctx, "evidence_certainty", CERTAINTIES, default="uncertain"),
            applicable=self.expr(ctx, "applicable"),
            code=_str(ctx, "code") or "", source=_str(ctx, "source") or "",
            certainty=_enum(ctx, "certainty", CERTAINTIES, default="uncertain"), note=_note(ctx),
            maintainer_note=_str(ctx, "maintainer_note") or "",
            section_id=section_id, line=node.line,
        )

    def section(self, ctx: _Ctx) -> Section:
        node = _check_keys(ctx, SECTION_KEYS, {"id", "title", "indicators"}, "section")
        sid = self.claim(ctx, node["id"], "section")
        inds = [self.indicator(ictx, sid) for ictx, _line in _items(ctx, "indicators", required=True)]
        return Section(sid, _text(ctx, "title", required=True), tuple(inds), _num(ctx, "weight", min_value=0),
                       _str(ctx, "source") or "", _enum(ctx, "certainty", CERTAINTIES, default="uncertain"),
                       _note(ctx), _str(ctx, "maintainer_note") or "")


def parse_or_fail(ctx: _Ctx, key: str) -> Expr:
    try:
        return parse(ctx.node[key])
    except ExprError as err:
        raise ctx.fail(key, f"bad expression {ctx.node[key]!r}: {err}", f"表达式 {ctx.node[key]!r} 有误：{err}") from None


def build_scheme(raw: Any, path: str) -> Scheme:
    """Check a raw (merged) scheme mapping and build the Scheme."""
    ctx = _Ctx(raw, "")
    node = _check_keys(ctx, SCHEME_KEYS, {"format", "id", "version", "title", "source", "sections"}, "scheme")
    if node["format"] != FORMAT:
        raise ctx.fail("format", f"unsupported format {node['format']!r}; this GreenDesk reads format {FORMAT}",
                       f"不支持的格式 {node['format']!r}；本版 GreenDesk 读取格式 {FORMAT}")
    b = _Builder()
    sid = node["id"]
    if not isinstance(sid, str) or not re.match(r"^[a-z0-9][a-z0-9\-]*$", sid):
        raise ctx.fail("id", f"bad scheme id {sid!r}: use lower-case letters, digits and '-'",
                       f"方案 id {sid!r} 不合规：只能用小写字母、数字和 '-'")
    sctx = ctx.sub("source")
    _check_keys(sctx, SOURCE_KEYS, {"standard"}, "source")
    source = SchemeSource(_str(sctx, "standard", required=True), _str(sctx, "clause") or "",
                          _str(sctx, "date") or "", _enum(sctx, "certainty", CERTAINTIES, default="uncertain"),
                          _note(sctx), _str(sctx, "maintainer_note") or "")
    common = [b.field(fctx, None) for fctx, _line in _items(ctx, "common")]
    sections = [b.section(sctx2) for sctx2, _line in _items(ctx, "sections", required=True)]
    if not sections:
        raise ctx.fail("sections", "a scheme needs at least one section", "方案至少需要一个一级指标（section）")
    from greendesk.core.schemes import policies

    points_tables, points_table = policies.read_points_tables(ctx, {i.id for s in sections for i in s.indicators})
    sections = policies.apply_points_table(sections, next((p for p in points_tables if p.id == points_table), None))
    grades = []
    grade_at: dict[str, tuple[str, int]] = {}
    grade_ctx: dict[str, _Ctx] = {}
    for gctx, _line in _items(ctx, "grades"):
        gnode = _check_keys(gctx, GRADE_KEYS, {"id", "min", "label"}, "grade")
        gid = str(gnode["id"])
        if gid in grade_at:
            f, line = grade_at[gid]
            raise gctx.fail("id", f"duplicate grade id '{gid}' (already used at {f}:{line}); grade ids must be unique",
                            f"等级 id '{gid}' 重复（已在 {f}:{line} 使用）；等级 id 必须唯一")
        grade_at[gid] = (gnode.file_of("id"), gnode.line_of("id"))
        grade_ctx[gid] = gctx
        grades.append(Grade(gid, _num(gctx, "min", min_value=0), _text(gctx, "label", required=True),
                            _bool(gctx, "requires_qualified", True), _str(gctx, "source") or "",
                            _enum(gctx, "certainty", CERTAINTIES, default="uncertain"), _note(gctx),
                            _str(gctx, "maintainer_note") or ""))
    grades.sort(key=lambda g: g.min)
    na = policies.read_na_policy(ctx)
    qualification = policies.read_qualification(ctx)
    renamed: dict[str, str] = {}
    removed: list[str] = []
    if "migrations" in node:
        mctx = ctx.sub("migrations")
        _check_keys(mctx, MIGRATION_KEYS, set(), "migrations")
        rn = mctx.node.get("renamed") or {}
        if not isinstance(rn, dict):
            raise mctx.fail("renamed", "expected a mapping old_id: new_id", "此处应为 旧id: 新id 的映射")
        for old, new in rn.items():
            if not isinstance(new, str):
                raise _Ctx(rn, f"{mctx.path}.renamed").fail(old, "expected the new id (text)", "此处应为新的 id（文本）")
            if new not in b.ids:
                raise _Ctx(rn, f"{mctx.path}.renamed").fail(old, f"rename target '{new}' does not exist in this "
                                                             "scheme", f"改名目标 '{new}' 在本方案中不存在")
            if old in b.ids:
                raise _Ctx(rn, f"{mctx.path}.renamed").fail(old, f"'{old}' still exists; a renamed id must be gone",
                                                             f"'{old}' 仍然存在；被改名的 id 应已不存在")
            renamed[str(old)] = str(new)
        for i, old in enumerate(_list(mctx, "removed")):
            if not isinstance(old, str):
                raise mctx.sub("removed").item(i).fail(None, "expected a removed id (text)", "此处应为已删除的 id（文本）")
            if old in b.ids:
                raise _Ctx(mctx.node["removed"], f"{mctx.path}.removed[{i}]").fail(
                    None, f"'{old}' is declared removed but still exists", f"'{old}' 声明已删除但仍然存在",
                    line=mctx.node["removed"].item_lines[i])
            removed.append(str(old))
    for check in b.pending:
        check()
    calc_order = _calc_order(b, ctx)
    fields_by_id = dict(b.fields)
    indicators_by_id = {i.id: i for s in sections for i in s.indicators}
    version = node["version"]
    scheme = Scheme(
        id=sid, version=str(version), title=_text(ctx, "title", required=True), source=source,
        sections=tuple(sections), grades=tuple(grades), common=tuple(common),
        description=_text(ctx, "description"), base=node.get("base"), na_policy=na.mode,
        na_policy_certainty=na.certainty, na=na, qualification=qualification, points_tables=points_tables,
        points_table=points_table, renamed=renamed, removed=tuple(removed), path=path,
        fields_by_id=fields_by_id, indicators_by_id=indicators_by_id, calc_order=calc_order,
    )
    top = scheme.max_points
    for g in grades:
        if g.min > top + 1e-9:
            raise grade_ctx[g.id].fail("min", f"{g.min:g} is above the scheme's maximum ({top:g} points); "
                                       "no factory can reach this grade", f"{g.min:g} 超过方案满分（{top:g} 分），任何工厂都达不到此等级")
    return scheme


def _calc_order(b: _Builder, ctx: _Ctx) -> tuple[str, ...]:
    calcs = {fid: f for fid, f in b.fields.items() if f.type == "calculated"}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(fid: str, chain: list[str]) -> None:
        if state.get(fid) == 2:
            return
        if state.get(fid) == 1:
            cycle = " -> ".join(chain[chain.index(fid):] + [fid])
            file, line = b.ids[fid]
            raise SchemeError(file, line, fid, f"calculations form a cycle: {cycle}; break it",
                              f"计算互相引用成环：{cycle}；请打破循环")
        state[fid] = 1
        for ref in sorted(calcs[fid].calculation.refs):
            if ref in calcs:
                visit(ref, chain + [fid])
        state[fid] = 2
        order.append(fid)

    for fid in calcs:
        visit(fid, [])
    return tuple(order)


# --- profiles (base + overrides + extras) ------------------------------------------------------

def merge_profile(raw: LMap, base_raw: LMap, ctx_path: str = "") -> LMap:
    """Apply a profile's overrides and extra rows to a copy of its base's raw data."""
    ctx = _Ctx(raw, "")
    merged = copy.deepcopy(base_raw)
    for key in ("format", "id", "version", "title", "description", "source", "grades", "na_policy", "migrations",
                "base", "notes", "qualification", "points_tables", "points_table"):
        if key in raw:
            merged[key] = raw[key]
            merged.key_lines[key] = raw.line_of(key)
            merged.key_files = {**(merged.key_files or {}), key: raw.file}
    sections = merged["sections"]
    by_ind: dict[str, LMap] = {}
    by_sec: dict[str, LMap] = {}
    for s in sections:
        by_sec[s["id"]] = s
        for ind in s["indicators"]:
            by_ind[ind["id"]] = ind
    if "overrides" in raw:
        octx = ctx.sub("overrides")
        _check_keys(octx, OVERRIDE_KEYS, set(), "overrides")
        for kind, table in (("indicators", by_ind), ("sections", by_sec)):
            if kind not in octx.node:
                continue
            tctx = octx.sub(kind)
            if not isinstance(tctx.node, dict):
                raise octx.fail(kind, "expected a mapping id: {changes}", "此处应为 id: {修改} 的映射")
            for oid, change in tctx.node.items():
                if oid not in table:
                    close = _close_matches(str(oid), list(table), n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    raise tctx.fail(oid, f"the base scheme has no {kind[:-1]} '{oid}'{hint}",
                                    f"基础方案中没有 {kind[:-1]} '{oid}'")
                if not isinstance(change, dict):
                    raise tctx.fail(oid, "expected a mapping of changed keys", "此处应为要修改的键的映射")
                if kind == "sections" and "indicators" in change:
                    raise tctx.sub(oid).fail("indicators", "use extra_indicators to add indicators",
                                             "新增指标请用 extra_indicators")
                _deep_merge(table[oid], change)
    if "extra_indicators" in raw:
        ectx = ctx.sub("extra_indicators")
        if not isinstance(ectx.node, dict):
            raise ctx.fail("extra_indicators", "expected a mapping section_id: [indicators]",
                           "此处应为 section_id: [指标列表] 的映射")
        for sid, inds in ectx.node.items():
            if sid not in by_sec:
                raise ectx.fail(sid, f"the base scheme has no section '{sid}'", f"基础方案中没有一级指标 '{sid}'")
            if not isinstance(inds, list):
                raise ectx.fail(sid, "expected a list of indicators", "此处应为指标列表")
            target = by_sec[sid]["indicators"]
            for ind in inds:
                target.append(ind)
                target.item_lines.append(getattr(ind, "line", 0))
    if "extra_sections" in raw:
        xs = raw["extra_sections"]
        if not isinstance(xs, list):
            raise ctx.fail("extra_sections", "expected a list of sections", "此处应为一级指标列表")
        for s in xs:
            sections.append(s)
            sections.item_lines.append(getattr(s, "line", 0))
    return merged


def _deep_merge(target: LMap, change: LMap) -> None:
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = value
            if isinstance(target, LMap) and isinstance(change, LMap):
                # a changed value is reported at the profile's file and line
                target.key_lines[key] = change.line_of(key)
                target.key_files = {**(target.key_files or {}), key: change.file}


def load_raw(path: Path, *, resolve_base: Callable[[str], tuple[LMap, str]] | None = None) -> LMap:
    """Read a scheme file (resolving ``base`` for profiles) into the merged raw mapping."""
    try:
        size = path.stat().st_size
        if size > DEFAULT_LIMITS.max_chars * 4:   # refused before reading: a scheme file is a few hundred KB
            raise SchemeError(str(path), 1, "", f"the file is too large ({size:,} bytes) for a scheme",
                              f"文件过大（{size:,} 字节），不是方案文件")
        data = path.read_bytes()
    except OSError as e:
        raise UserError(f"无法读取方案文件 {path}：{e.strerror}", f"Cannot read scheme file {path}: {e.strerror}") from e
    text = decode_utf8(data, str(path), SchemeError)
    raw = read_yaml(text, str(path))
    ctx = _Ctx(raw, "")
    if not isinstance(raw, dict):
        raise ctx.fail(None, "a scheme file must be a mapping at the top level", "方案文件的顶层必须是映射")
    if "base" in raw:
        _check_keys(ctx, SCHEME_KEYS - {"sections", "common"}, {"format", "id", "version", "title", "source"},
                    "profile")
        base_id = raw["base"]
        if not isinstance(base_id, str):
            raise ctx.fail("base", "expected the id of a bundled scheme (text)", "此处应为内置方案的 id（文本）")
        if resolve_base is None:
            raise ctx.fail("base", "profiles can only be loaded through the registry", "配置只能通过方案注册表加载")
        try:
            base_raw, _ = resolve_base(base_id)
        except SchemeError:
            raise
        except BaseCycleError as e:
            raise ctx.fail("base", e.en, e.zh) from None
        except UserError:
            raise ctx.fail("base", f"unknown base scheme '{base_id}'; use the id of a bundled scheme "
                           "(see 'greendesk schemes')", f"未知的基础方案 '{base_id}'；请使用内置方案 id（见 greendesk schemes）") from None
        raw = merge_profile(raw, base_raw)
    else:
        for key in ("overrides", "extra_sections", "extra_indicators"):
            if key in raw:
                raise ctx.fail(key, f"'{key}' is only for profiles with a 'base'", f"'{key}' 只用于带 'base' 的配置")
    return raw
