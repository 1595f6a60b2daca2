"""The scheme-wide scoring policies, read from a scheme or profile file, each with its source.

* ``qualification``: what makes a factory qualified (vetoes always; 必选 lines when the source says
  so; a pass mark only when a source sets one).
* ``na_policy``: how a not-applicable row is scored (``rescale`` by default: its points leave the
  maximum and the total is rescaled to the full maximum; ``exclude``; ``full``).
* ``points_tables`` / ``points_table``: the point tables a scheme offers and the one in use; the
  chosen table's points (and its source and certainty) replace the indicators' own.

Called by :func:`greendesk.core.schemes.loader.build_scheme`; errors are ``SchemeError`` with
``file:line`` like every other scheme error.
"""

from __future__ import annotations

import dataclasses
import re

from greendesk.core.schemes.model import CERTAINTIES, NaPolicy, PointsTable, Qualification, Section

QUALIFICATION_KEYS = {"required_lines", "pass_mark", "source", "certainty", "note", "maintainer_note"}
NA_MODES = ("rescale", "exclude", "full")
POINTS_TABLE_KEYS = {"id", "label", "points", "source", "certainty", "note", "maintainer_note"}


def read_qualification(ctx) -> Qualification:
    from greendesk.core.schemes.loader import _check_keys, _enum, _note, _num, _str

    if "qualification" not in ctx.node:
        return Qualification()
    q = ctx.sub("qualification")
    _check_keys(q, QUALIFICATION_KEYS, {"required_lines", "source"}, "qualification")
    return Qualification(_enum(q, "required_lines", ("disqualify", "score")), _num(q, "pass_mark", min_value=0),
                         _str(q, "source") or "", _enum(q, "certainty", CERTAINTIES, default="uncertain"),
                         _note(q), _str(q, "maintainer_note") or "")


def read_na_policy(ctx) -> NaPolicy:
    from greendesk.core.schemes.loader import NA_POLICY_KEYS, _check_keys, _enum, _note, _str

    if "na_policy" not in ctx.node:
        return NaPolicy()
    n = ctx.sub("na_policy")
    _check_keys(n, NA_POLICY_KEYS, {"mode"}, "na_policy")
    return NaPolicy(_enum(n, "mode", NA_MODES), _str(n, "source") or "",
                    _enum(n, "certainty", CERTAINTIES, default="uncertain"), _note(n), _str(n, "maintainer_note") or "")


def read_points_tables(ctx, ids: set[str]) -> tuple[tuple[PointsTable, ...], str | None]:
    """(the tables, the id of the one in use); every table's indicator ids must exist in the scheme."""
    from greendesk.core.schemes.loader import _check_keys, _Ctx, _enum, _items, _note, _str, _text

    tables: list[PointsTable] = []
    seen: set[str] = set()
    for tctx, _line in _items(ctx, "points_tables"):
        node = _check_keys(tctx, POINTS_TABLE_KEYS, {"id", "label", "source"}, "points table")
        tid = node["id"]
        if not isinstance(tid, str) or not re.match(r"^[a-z0-9][a-z0-9_\-]*$", tid) or tid in seen:
            raise tctx.fail("id", f"bad or duplicate points-table id {tid!r}", f"分值表 id {tid!r} 不合规或重复")
        seen.add(tid)
        points: dict[str, float] = {}
        raw = node.get("points") or {}
        if not isinstance(raw, dict):
            raise tctx.fail("points", "expected a mapping indicator_id: points", "此处应为 指标id: 分值 的映射")
        pctx = _Ctx(raw, f"{tctx.path}.points", tctx.file, tctx.line)
        for iid, v in raw.items():
            if iid not in ids:
                raise pctx.fail(iid, f"the scheme has no indicator '{iid}'", f"方案中没有指标 '{iid}'")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                raise pctx.fail(iid, f"expected points (a number ≥ 0), got {v!r}", f"此处应为分值（≥ 0 的数），而不是 {v!r}")
            points[str(iid)] = float(v)
        tables.append(PointsTable(tid, _text(tctx, "label", required=True), points, _str(tctx, "source") or "",
                                  _enum(tctx, "certainty", CERTAINTIES, default="uncertain"), _note(tctx),
                                  _str(tctx, "maintainer_note") or ""))
    chosen = ctx.node.get("points_table")
    if chosen is None:
        return tuple(tables), (tables[0].id if tables else None)
    if chosen not in seen:
        raise ctx.fail("points_table", f"no points table '{chosen}'; the scheme offers: {', '.join(sorted(seen)) or 'none'}",
                       f"没有分值表 '{chosen}'；可选：{', '.join(sorted(seen)) or '无'}")
    return tuple(tables), str(chosen)


def apply_points_table(sections: list[Section], table: PointsTable | None) -> list[Section]:
    """The sections with the table's points (and the table's source and certainty) on its indicators."""
    if table is None or not table.points:
        return sections
    out = []
    for sec in sections:
        inds = tuple(_with_points(i, table) if i.id in table.points else i for i in sec.indicators)
        out.append(dataclasses.replace(sec, indicators=inds))
    return out


def _with_points(ind, table: PointsTable):
    new = table.points[ind.id]
    rule = ind.rule
    if rule.items:      # a checklist scores by its lines: scale them to the new points
        old = sum(it.points for it in rule.items)
        k = new / old if old > 0 else 0.0
        rule = dataclasses.replace(rule, items=tuple(dataclasses.replace(it, points=it.points * k)
                                                     for it in rule.items))
    return dataclasses.replace(ind, points=new, rule=rule, source=table.source, certainty=table.certainty)
