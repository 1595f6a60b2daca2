"""The meter imports of an assessment: what each one added, removal, and undo of a removal.

``remove(ws, import_id)`` deletes an import with its readings (and its stored file when nothing else uses
it) in one transaction and returns a snapshot of exactly what it deleted; ``restore(ws, snapshot)`` puts
those rows back with their ids, so an undo leaves the workspace as it was. Both refuse a final
assessment (``Workspace.require_draft``). Only the ``meter_imports``/``meter_readings``/``blobs`` tables
are touched.
"""

from __future__ import annotations

from typing import Any

from greendesk.core.errors import UserError
from greendesk.core.i18n import language

_IMPORT_COLS = ("id", "assessment_id", "file_name", "sha256", "imported_at", "report")
_READING_COLS = ("id", "import_id", "meter", "carrier", "unit", "period", "value", "source_ref")


def _carrier_label(carrier: str, lang: str) -> str:
    try:
        from greendesk.core.meters.catalog import catalog

        return catalog().label(carrier, lang) or carrier
    except Exception:  # noqa: BLE001 - a carrier the catalogue does not know is shown by its id
        return carrier


def imports(ws, assessment_id: int, *, lang: str | None = None) -> list[dict]:
    """Every import of the assessment, oldest first, with what it added.

    Each: ``{id, file, sha256, imported_at, readings, months: [first, last], month_count,
    carriers: [{carrier, label, unit, months, total}]}``.
    """
    lang = lang or language()
    rows = ws.conn.execute(
        "SELECT id, file_name, sha256, imported_at FROM meter_imports WHERE assessment_id = ? ORDER BY id",
        [assessment_id]).fetchall()
    out = []
    for iid, name, sha, at in rows:
        per = ws.conn.execute(
            "SELECT carrier, unit, COUNT(DISTINCT period), SUM(value), MIN(period), MAX(period), COUNT(*) "
            "FROM meter_readings WHERE import_id = ? GROUP BY carrier, unit ORDER BY carrier, unit", [iid]).fetchall()
        periods = [r[0] for r in ws.conn.execute(
            "SELECT DISTINCT period FROM meter_readings WHERE import_id = ? ORDER BY period", [iid])]
        out.append({
            "id": iid, "file": name, "sha256": sha, "imported_at": at,
            "readings": sum(r[6] for r in per),
            "months": [periods[0], periods[-1]] if periods else [],
            "month_count": len(periods),
            "carriers": [{"carrier": c, "label": _carrier_label(c, lang), "unit": u, "months": n,
                          "total": total or 0.0} for c, u, n, total, _first, _last, _cnt in per],
        })
    return out


def _import_row(ws, import_id: int) -> dict:
    rows = ws._query(f"SELECT {', '.join(_IMPORT_COLS)} FROM meter_imports WHERE id = ?", [import_id])
    if not rows:
        raise UserError(f"没有编号为 {import_id} 的导入记录。", f"No meter import with id {import_id}.")
    return rows[0]


def remove(ws, import_id: int) -> dict:
    """Remove one import and its readings; return the snapshot :func:`restore` needs to undo it."""
    row = _import_row(ws, import_id)
    with ws.transaction() as c:
        ws.require_draft(row["assessment_id"], c)
        readings = [dict(zip(_READING_COLS, r, strict=True)) for r in c.execute(
            f"SELECT {', '.join(_READING_COLS)} FROM meter_readings WHERE import_id = ? ORDER BY id", [import_id])]
        blob = None
        if row["sha256"]:
            b = c.execute("SELECT data FROM blobs WHERE sha256 = ?", [row["sha256"]]).fetchone()
            blob = bytes(b[0]) if b else None
        c.execute("DELETE FROM meter_readings WHERE import_id = ?", [import_id])
        c.execute("DELETE FROM meter_imports WHERE id = ?", [import_id])
        if row["sha256"]:
            used = c.execute("SELECT (SELECT COUNT(*) FROM evidence WHERE sha256 = ?) + "
                             "(SELECT COUNT(*) FROM meter_imports WHERE sha256 = ?)",
                             [row["sha256"], row["sha256"]]).fetchone()[0]
            if not used:
                c.execute("DELETE FROM blobs WHERE sha256 = ?", [row["sha256"]])
    return {"import": row, "readings": readings, "blob": blob}


def restore(ws, snapshot: dict[str, Any]) -> int:
    """Put a removed import back exactly (same ids and values). Returns the import id.

    Refused when the same file has been imported again since (its readings would count twice).
    """
    row = snapshot["import"]
    with ws.transaction() as c:
        ws.require_draft(row["assessment_id"], c)
        again = c.execute("SELECT id FROM meter_imports WHERE assessment_id = ? AND (sha256 = ? OR file_name = ?)",
                          [row["assessment_id"], row["sha256"], row["file_name"]]).fetchone()
        if again:
            raise UserError(f"{row['file_name']} 已重新导入（导入编号 {again[0]}），不能再恢复先前删除的那次导入。",
                            f"{row['file_name']} has been imported again (import {again[0]}); the removed import "
                            "cannot be restored as well.")
        if row["sha256"] and snapshot.get("blob") is not None:
            c.execute("INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
                      [row["sha256"], len(snapshot["blob"]), snapshot["blob"]])
        taken = c.execute("SELECT 1 FROM meter_imports WHERE id = ?", [row["id"]]).fetchone()
        values = [row[k] for k in _IMPORT_COLS]
        if taken:  # the id was reused meanwhile: a new id, the readings follow it
            values[0] = None
        iid = c.execute(f"INSERT INTO meter_imports ({', '.join(_IMPORT_COLS)}) VALUES "
                        f"({', '.join('?' * len(_IMPORT_COLS))})", values).lastrowid
        readings = snapshot["readings"]
        free = not taken and not c.execute(
            f"SELECT 1 FROM meter_readings WHERE id IN ({', '.join('?' * len(readings))}) LIMIT 1",
            [r["id"] for r in readings]).fetchone() if readings else True
        cols = _READING_COLS if free else _READING_COLS[1:]
        c.executemany(f"INSERT INTO meter_readings ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                      [[iid if k == "import_id" else r[k] for k in cols] for r in readings])
    return iid
