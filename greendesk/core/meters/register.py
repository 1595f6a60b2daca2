"""The workspace's meter register: every meter with its carrier, level, parent and role.

Only boundary meters (一级) and explicitly standalone ones count toward the factory's carrier
totals; sub-meters (二级/三级) are stored and checked against their parent. A meter enters
the register when a ledger first brings it, with the role the import found; what a user
sets afterwards (app page, ``greendesk meter``) wins over detection in every later import.
"""

from __future__ import annotations

from greendesk.core.errors import UserError
from greendesk.core.meters.catalog import catalog
from greendesk.core.meters.roles import COUNTING, SERIES_ROLES

# roles a stored meter can have (cross-checks, comparisons and derived series are never stored)
METER_ROLES = ("boundary", "standalone", "sub", "self_use", "excluded")
ROLE_TEXT = {
    "boundary": ("一级（边界）表，计入", "boundary (level 1), counted"),
    "standalone": ("独立表，计入", "standalone, counted"),
    "sub": ("分表，只作核对", "sub-meter, checked only"),
    "self_use": ("光伏自用，计入", "PV self-use, counted"),
    "excluded": ("不计入", "excluded"),
}


def _now() -> str:
    from greendesk.core.workspace import now

    return now()


def meters(ws) -> list[dict]:
    """The register with each meter's parent name and its stored months (all years)."""
    rows = ws.conn.execute(
        "SELECT m.id, m.name, m.carrier, m.unit, m.level, m.role, p.name, m.note, m.set_by, m.updated_at, "
        "(SELECT COUNT(*) FROM meter_readings r WHERE r.meter = m.name AND r.carrier = m.carrier), "
        "(SELECT SUM(r.value) FROM meter_readings r WHERE r.meter = m.name AND r.carrier = m.carrier) "
        "FROM meters m LEFT JOIN meters p ON p.id = m.parent_id ORDER BY m.carrier, m.level, m.name").fetchall()
    return [{"id": r[0], "name": r[1], "carrier": r[2], "unit": r[3], "level": r[4], "role": r[5], "parent": r[6],
             "note": r[7], "set_by": r[8], "updated_at": r[9], "months": r[10], "stored_total": r[11] or 0.0,
             "counted": r[5] in COUNTING} for r in rows]


def lookup(ws) -> dict[tuple[str, str], dict]:
    """(name, carrier) -> {role, level, parent} for the importer."""
    if ws is None:
        return {}
    return {(m["name"], m["carrier"]): m for m in meters(ws)}


def find(ws, ident: str | int) -> dict:
    """A meter by id or by name (a name used for two carriers needs the id)."""
    ms = meters(ws)
    s = str(ident).strip()
    hit = [m for m in ms if str(m["id"]) == s] or [m for m in ms if m["name"] == s]
    if len(hit) == 1:
        return hit[0]
    if not hit:
        raise UserError(f"表计台账中没有“{s}”。用 greendesk meters 查看全部表计。",
                        f"No meter '{s}' in the register. List them with greendesk meters.")
    raise UserError(f"“{s}”对应多个能源品种的表计（编号 {', '.join(str(m['id']) for m in hit)}），请用编号。",
                    f"'{s}' names meters of several carriers (ids {', '.join(str(m['id']) for m in hit)}); use the id.")


def set_meter(ws, ident: str | int, *, level: int | None = None, parent: str | int | None = None,
              role: str | None = None, note: str | None = None, by: str = "user") -> dict:
    """Change a meter's level, parent or role; the change decides every later total and import."""
    m = find(ws, ident)
    if role is not None and role not in METER_ROLES:
        raise UserError(f"“{role}”不是表计角色；可用：{'、'.join(METER_ROLES)}。",
                        f"'{role}' is not a meter role; use one of: {', '.join(METER_ROLES)}.")
    if level is not None and level not in (1, 2, 3):
        raise UserError("级别应为 1（一级/边界）、2 或 3。", "The level must be 1 (boundary), 2 or 3.")
    parent_id = None
    clear_parent = parent is not None and str(parent).strip() in ("", "-", "none")
    if parent is not None and not clear_parent:
        p = find(ws, parent)
        if p["id"] == m["id"]:
            raise UserError("表计不能是自己的上级表。", "A meter cannot be its own parent.")
        if p["carrier"] != m["carrier"]:
            raise UserError(f"上级表“{p['name']}”计量的是另一种能源。", f"Parent '{p['name']}' meters another carrier.")
        # no cycles: walk up from the parent
        seen, cur = {m["id"]}, p
        while cur is not None and cur.get("parent"):
            cur = next((x for x in meters(ws) if x["name"] == cur["parent"] and x["carrier"] == m["carrier"]), None)
            if cur is None:
                break
            if cur["id"] in seen:
                raise UserError("这样设置会形成循环的上下级关系。", "That would make a loop of parents.")
            seen.add(cur["id"])
        parent_id = p["id"]
        if level is None and m["level"] == 1:
            level = min(3, _level_of(ws, p["id"]) + 1)
        if role is None and m["role"] in COUNTING:
            role = "sub"
    if role == "sub" and level is None and m["level"] == 1:
        level = 2
    if role in ("boundary", "standalone") and level is None:
        level = 1
    sets, args = ["set_by = ?", "updated_at = ?"], [by, _now()]
    for col, v in (("level", level), ("role", role), ("note", note)):
        if v is not None:
            sets.append(f"{col} = ?")
            args.append(v)
    if parent is not None:
        sets.append("parent_id = ?")
        args.append(None if clear_parent else parent_id)
    with ws.transaction() as c:
        c.execute(f"UPDATE meters SET {', '.join(sets)} WHERE id = ?", [*args, m["id"]])
    return find(ws, m["id"])


def _level_of(ws, meter_id: int) -> int:
    r = ws.conn.execute("SELECT level FROM meters WHERE id = ?", [meter_id]).fetchone()
    return int(r[0]) if r else 1


def record(c, series, stamp: str) -> None:
    """Inside an import's transaction: add the stored meters the register does not know yet."""
    stored = [s for s in series if s.stored]
    for s in stored:
        c.execute("INSERT OR IGNORE INTO meters (name, carrier, unit, level, role, note, set_by, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, 'import', ?)",
                  [s.meter, s.carrier, s.unit, s.level if s.level in (1, 2, 3) else 1,
                   s.role if s.role in METER_ROLES else "boundary", s.why or None, stamp])
    for s in stored:
        if s.parent:
            c.execute("UPDATE meters SET parent_id = (SELECT id FROM meters WHERE name = ? AND carrier = ?) "
                      "WHERE name = ? AND carrier = ? AND parent_id IS NULL AND set_by = 'import'",
                      [s.parent, s.carrier, s.meter, s.carrier])


def counting_filter_sql(alias: str = "r") -> str:
    """SQL condition: a stored reading counts toward the totals (meters the register does not know count)."""
    roles = ", ".join(f"'{x}'" for x in sorted(COUNTING))
    return (f"NOT EXISTS (SELECT 1 FROM meters m WHERE m.name = {alias}.meter AND m.carrier = {alias}.carrier "
            f"AND m.role NOT IN ({roles}))")


def describe_role(role: str, lang: str) -> str:
    zh, en = ROLE_TEXT.get(role, (role, role))
    return zh if lang == "zh" else en


def loss_report(ws, year: int) -> list[dict]:
    """Per parent meter with sub-meters: the year's parent total, the sum of its subs and the difference."""
    out = []
    cat = catalog()
    ms = meters(ws)
    # the year's total of every stored meter, in one query
    totals = {(m, c): v or 0.0 for m, c, v in ws.conn.execute(
        "SELECT meter, carrier, SUM(value) FROM meter_readings WHERE period LIKE ? GROUP BY meter, carrier",
        [f"{year}-%"])}
    for p in ms:
        subs = [m for m in ms if m["parent"] == p["name"] and m["carrier"] == p["carrier"]]
        if not subs:
            continue
        pt = totals.get((p["name"], p["carrier"]), 0.0)
        st = sum(totals.get((s["name"], s["carrier"]), 0.0) for s in subs)
        out.append({"meter": p["name"], "carrier": p["carrier"], "carrier_zh": cat.label(p["carrier"], "zh"),
                    "unit": p["unit"], "total": pt, "sub_total": st, "loss": pt - st,
                    "loss_share": (pt - st) / pt if pt else None, "subs": [s["name"] for s in subs]})
    return out


__all__ = ["METER_ROLES", "SERIES_ROLES", "meters", "lookup", "find", "set_meter", "record", "counting_filter_sql",
           "loss_report", "describe_role"]
