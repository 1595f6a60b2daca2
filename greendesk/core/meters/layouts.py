"""Ledger layouts the user settled once, so that next month's ledger imports with no questions.

A layout is known by its sheet names and header texts with the digits taken out (so 2025年1月
and 2025年2月 are one layout); what the user decided (roles, carriers, units, skipped columns)
is stored as a mapping keyed by header text wherever the text names one column, so it also
applies to the next file of the same layout.
"""

from __future__ import annotations

import hashlib
import json
import re

_DIGITS = re.compile(r"\d+")


def _shape(text: str) -> str:
    return _DIGITS.sub("#", str(text or "").strip().lower())


def layout_key(sheets) -> str | None:
    """A key for the layout of an analysed file (its SheetResults); None when nothing was recognised."""
    parts = []
    for r in sheets:
        if r.layout == "none":
            continue
        cols = sorted({_shape(c.label) for c in r.columns if c.label})
        parts.append([_shape(r.name), r.layout, cols])
    if not parts:
        return None
    parts.sort()
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:20]


def describe(sheets) -> str:
    names = [r.name for r in sheets if r.layout != "none"]
    return "、".join(names[:4]) + ("…" if len(names) > 4 else "")


def portable(mapping: dict, sheets) -> dict:
    """The mapping with sheet-and-column keys replaced by the column's header text where that is unambiguous."""
    out = {k: v for k, v in mapping.items() if k not in ("columns", "series")}
    labels: dict[str, str] = {}
    counts: dict[str, int] = {}
    for r in sheets:
        for c in r.columns:
            if c.label:
                labels[c.key] = c.label
                counts[c.label] = counts.get(c.label, 0) + 1
    cols = {}
    for k, v in (mapping.get("columns") or mapping.get("series") or {}).items():
        key = str(k).split(":", 1)[1] if ":" in str(k) and "!" in str(k).split(":", 1)[1] else str(k)
        label = labels.get(key)
        cols[label if label and counts.get(label) == 1 else key] = v
    if cols:
        out["columns"] = cols
    out.pop("year", None)     # a layout is the same next year; the year is not part of it
    return out


def saved(ws, key: str | None) -> dict | None:
    if ws is None or key is None:
        return None
    row = ws.conn.execute("SELECT mapping, file_name, saved_at, description FROM meter_layouts WHERE key = ?",
                          [key]).fetchone()
    if row is None:
        return None
    try:
        mapping = json.loads(row[0])
    except ValueError:
        return None
    return {"key": key, "mapping": mapping, "file": row[1], "saved_at": row[2], "description": row[3]}


def save(c, key: str | None, mapping: dict, file_name: str, description: str, stamp: str) -> None:
    """Inside the import's transaction: remember what the user decided for this layout."""
    if key is None or not (mapping.get("columns") or mapping.get("sheets")):
        return
    c.execute("INSERT INTO meter_layouts (key, description, mapping, file_name, saved_at) VALUES (?, ?, ?, ?, ?) "
              "ON CONFLICT (key) DO UPDATE SET mapping = excluded.mapping, file_name = excluded.file_name, "
              "saved_at = excluded.saved_at, description = excluded.description",
              [key, description, json.dumps(mapping, ensure_ascii=False), file_name, stamp])


def merge(base: dict, extra: dict | None) -> dict:
    """``base`` (given now) wins over ``extra`` (saved earlier), key by key."""
    if not extra:
        return base
    out = dict(extra)
    out.update({k: v for k, v in base.items() if k not in ("columns", "sheets")})
    for part in ("columns", "sheets"):
        d = dict(extra.get(part) or {})
        d.update(base.get(part) or base.get("series" if part == "columns" else part) or {})
        if d:
            out[part] = d
    out.pop("series", None)
    return out
