"""Continuity between years: carry answers over, migrate renamed ids, keep and list orphans.

* :func:`migrate_answers` applies a scheme's declared renames to a set of answers and says
  which answers are orphans (no field or indicator in the scheme); nothing is dropped.
* :func:`carry_over` makes a new assessment in the same workspace from an earlier one.
* :func:`carry_over_workspace` makes a new workspace for a new year from last year's file.

Carried answers are stored with ``source = "carried:2024"`` (the year they come from; "from 2024,
please confirm"; workspaces written before the year was recorded say ``carried``, read the same way);
the first edit by the user turns them into ordinary answers (:func:`carried_fields` lists the rest,
:func:`confirm_carried` marks an answer reviewed without changing it). No schema change: the year
lives in the existing ``answers.source`` text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from greendesk.core.errors import UserError
from greendesk.core.schemes.model import Scheme

CARRIED = "carried"


def carried_source(year: int | None) -> str:
    """The ``answers.source`` of an answer carried over from ``year`` (``carried:2024``)."""
    return CARRIED if year is None else f"{CARRIED}:{int(year)}"


def is_carried(source: str | None) -> bool:
    """Whether an ``answers.source`` marks an answer carried over and not yet confirmed."""
    return isinstance(source, str) and (source == CARRIED or source.startswith(CARRIED + ":"))


def carried_from(source: str | None) -> int | None:
    """The year a carried answer comes from (None: not carried, or an older workspace without the year)."""
    if not is_carried(source) or ":" not in source:
        return None
    tail = source.split(":", 1)[1]
    return int(tail) if tail.isdigit() else None


def migrate_answers(scheme: Scheme, answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """Return (answers with renamed ids moved, {old: new} applied, orphan ids kept as they are)."""
    known = set(scheme.fields_by_id) | set(scheme.indicators_by_id)
    out: dict[str, Any] = {}
    renamed: dict[str, str] = {}
    orphans: list[str] = []
    for k, v in answers.items():
        if k in known:
            out[k] = v
    for k, v in answers.items():
        if k in known:
            continue
        new = scheme.renamed.get(k)
        if new is not None and new not in out:
            out[new] = v
            renamed[k] = new
        else:
            out[k] = v           # kept: never silently dropped
            orphans.append(k)
    return out, renamed, sorted(orphans)


def migrate_assessment(ws, assessment_id: int | None = None) -> dict:
    """Bring an assessment's stored answers up to its scheme's current version, in place.

    Declared renames move answers (and their history) to the new ids; orphans stay where they
    are and are listed. Returns ``{"renamed": {old: new}, "orphans": [...], "scheme_version"}``.
    """
    from greendesk.core.schemes.registry import get_scheme

    a = ws.assessment(assessment_id)
    scheme = get_scheme(a["scheme_id"])
    answers = ws.answers(a["id"])
    _, renamed, orph = migrate_answers(scheme, answers)
    for old, new in renamed.items():
        ws.rename_answer(a["id"], old, new)
    if str(a["scheme_version"]) != scheme.version:
        ws.set_scheme_version(a["id"], scheme.version)
    return {"renamed": renamed, "orphans": orph, "scheme_version": scheme.version}


def orphans(scheme: Scheme, answers: dict[str, Any]) -> list[str]:
    return migrate_answers(scheme, answers)[2]


def carry_over(ws, year: int, *, scheme_id: str | None = None, from_assessment: int | None = None) -> dict:
    """A new assessment for ``year`` with the answers of ``from_assessment`` (default: the latest).

    Returns ``{"assessment_id", "carried": n, "renamed": {old: new}, "orphans": [...]}``.
    """
    from greendesk.core.schemes.registry import get_scheme

    src = ws.assessment(from_assessment)
    scheme = get_scheme(scheme_id or src["scheme_id"])
    answers = ws.answers(src["id"])
    migrated, renamed, orph = migrate_answers(scheme, answers)
    new_id = ws.create_assessment(scheme.id, scheme.version, year,
                                  created_from=f"assessment:{src['id']}:{src['year']}")
    if migrated:
        ws.set_answers(new_id, migrated, source=carried_source(src["year"]), scheme_version=scheme.version)
    return {"assessment_id": new_id, "carried": len(migrated), "renamed": renamed, "orphans": orph,
            "scheme": scheme.id, "scheme_version": scheme.version}


def carry_over_workspace(old_path: str | Path, new_path: str | Path, year: int, scheme_id: str | None = None,
                         *, overwrite: bool = False) -> dict:
    """Make a new workspace for ``year`` from last year's workspace file.

    Copies the factory profile, the latest assessment's answers (marked carried over, migrated
    to ``scheme_id`` or the old scheme), and the workspace's benchmark and factor corrections.
    Evidence files are not copied: they belong to last year. Returns the same dict as
    :func:`carry_over` plus ``"path"``.
    """
    from greendesk.core.schemes.registry import get_scheme
    from greendesk.core.workspace import FACTORY_FIELDS, Workspace

    old_path, new_path = Path(old_path), Path(new_path)
    if old_path.resolve() == new_path.resolve():
        raise UserError("新工作区不能与上一年的工作区是同一个文件。",
                        "The new workspace cannot be the same file as last year's.")
    with Workspace.open(old_path, readonly=True) as old:
        factory = {k: v for k, v in old.factory().items() if k in FACTORY_FIELDS and v not in (None, "")}
        src = old.assessment()
        answers = old.answers(src["id"])
        benchmarks = [dict(b) for b in old.benchmarks(src["scheme_id"])]
        factors = list(old.factor_overrides().values())
    scheme = get_scheme(scheme_id or src["scheme_id"])
    migrated, renamed, orph = migrate_answers(scheme, answers)
    ws = Workspace.create(new_path, factory, overwrite=overwrite)
    try:
        new_id = ws.create_assessment(scheme.id, scheme.version, year,
                                      created_from=f"workspace:{old_path.name}:{src['id']}:{src['year']}")
        if migrated:
            ws.set_answers(new_id, migrated, source=carried_source(src["year"]), scheme_version=scheme.version)
        if scheme.id == src["scheme_id"]:
            for b in benchmarks:
                ws.set_benchmark(scheme.id, b["indicator_id"], b["baseline"], b["leading"], band=b["band"] or "",
                                 source=b["source"], set_by=b["set_by"])
        for f in factors:
            ws.set_factor(f["factor_id"], f["value"], unit=f["unit"], source=f["source"], set_by=f["set_by"])
    finally:
        ws.close()
    return {"path": str(new_path), "assessment_id": new_id, "carried": len(migrated), "renamed": renamed,
            "orphans": orph, "scheme": scheme.id, "scheme_version": scheme.version}


def carried_fields(ws, assessment_id: int) -> list[str]:
    """Answers still marked "carried over, please review"."""
    return [r["field_id"] for r in ws.answer_rows(assessment_id) if is_carried(r["source"])]


def unconfirmed(ws, assessment_id: int) -> list[dict]:
    """The carried answers not yet confirmed: ``[{"field_id", "value", "from_year"}]`` in field order."""
    return [{"field_id": r["field_id"], "value": r["value"], "from_year": carried_from(r["source"])}
            for r in ws.answer_rows(assessment_id) if is_carried(r["source"])]


def confirm_carried(ws, assessment_id: int, field_ids: list[str] | None = None) -> int:
    """Mark carried answers as reviewed (kept unchanged). Returns how many."""
    rows = {r["field_id"]: r["value"] for r in ws.answer_rows(assessment_id) if is_carried(r["source"])}
    chosen = {k: v for k, v in rows.items() if field_ids is None or k in field_ids}
    if not chosen:
        return 0
    return ws.set_answers(assessment_id, chosen, source="user")


def section_items(scheme: Scheme, item_id: str | None) -> set[str | None]:
    """The items of the section ``item_id`` belongs to (``{None}`` for the shared basic data)."""
    for sec in scheme.sections:
        ids = {i.id for i in sec.indicators}
        if item_id in ids:
            return set(ids)
    return {None}


def confirm_section(ws, assessment_id: int, scheme: Scheme, item_id: str | None) -> int:
    """Confirm every carried answer of the section ``item_id`` belongs to (the basic data when it is not an
    item). Returns how many were confirmed."""
    from greendesk.core.finalize import item_of

    items = section_items(scheme, item_id)
    chosen = [fid for fid in carried_fields(ws, assessment_id) if item_of(scheme, fid) in items]
    return confirm_carried(ws, assessment_id, chosen) if chosen else 0
