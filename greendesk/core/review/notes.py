"""The reviewer's 审核备注: a note per indicator row of a package, optionally with a corrected value.

Notes live in the review database (table ``review_notes``, view ``v_notes``; see :mod:`.store`), keyed by
the package's SHA-256 (the file, whatever its name or place) and the indicator id. They are appended,
never updated: a second note on the same row is stored beside the first and names it (``replaces``),
the latest is the current one and the earlier ones stay as the row's history.

``old_value`` is the value the package declares (as loaded); ``new_value`` the reviewer's corrected
value, or None when the note only comments. :func:`note_text` words a note:
"该指标值由A修改为B，理由是…" / "The value was changed from A to B. Reason: …".
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import re
from pathlib import Path

from greendesk.core.errors import UserError
from greendesk.core.i18n import language
from greendesk.core.textsafety import control_char

MAX_REASON = 2000     # characters; a note is a remark, not a report
MAX_REVIEWER = 120


def fmt_value(v, unit: str | None = None) -> str:
    """A value as the note writes it: up to four decimals (three significant digits below 0.01; no thousands separator), then the unit."""
    if v is None:
        return "（未填写）" if language() == "zh" else "(not given)"
    if isinstance(v, float):
        text = f"{v:.4f}".rstrip("0").rstrip(".") if v == 0 or abs(v) >= 0.01 else f"{v:.3g}"
    else:
        text = str(v)
    return f"{text} {unit}".rstrip() if unit else text


def note_text(old_value, new_value, reason: str, unit: str | None = None, lang: str | None = None) -> str:
    """The note in words, in ``lang`` (default: the message language)."""
    from greendesk.core.i18n import using_language

    with using_language(lang):
        zh = language() == "zh"
        if new_value is None:
            return f"审核意见：{reason}" if zh else f"Reviewer's remark: {reason}"
        a, b = fmt_value(old_value, unit), fmt_value(new_value, unit)
        if zh:
            return f"该指标值由{a}修改为{b}，理由是{reason}"
        return f"The value was changed from {a} to {b}. Reason: {reason}"


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def resolve_package(con, ref: str | Path) -> dict:
    """The loaded package named by ``ref``: a file (by its SHA-256), a SHA-256 or 8+ of its leading hex
    digits, or a package number. Returns {"package_id", "sha256", "file", "status", "factory_name"}."""
    ref_s = str(ref).strip()
    cols = "package_id, sha256, file, status, factory_name"
    p = Path(ref_s)
    if ref_s and p.is_file():
        sha = _sha256_file(p)
        rows = con.execute(f"SELECT {cols} FROM packages WHERE sha256 = ?", [sha]).fetchall()
        if not rows:
            raise UserError(f"材料包 {p} 尚未载入审核数据库，请先运行 greendesk review {p} --db …",
                            f"The package {p} is not in the review database; load it first with "
                            f"greendesk review {p} --db …")
    elif re.fullmatch(r"\d{1,7}", ref_s):
        rows = con.execute(f"SELECT {cols} FROM packages WHERE package_id = ?", [int(ref_s)]).fetchall()
    elif re.fullmatch(r"[0-9a-fA-F]{8,64}", ref_s):
        rows = con.execute(f"SELECT {cols} FROM packages WHERE starts_with(sha256, ?) ORDER BY package_id",
                           [ref_s.lower()]).fetchall()
        if len(rows) > 1:
            raise UserError(f"SHA-256 前缀 {ref_s} 对应多个材料包，请给出更多位。",
                            f"The SHA-256 prefix {ref_s} matches several packages; give more digits.")
    else:
        raise UserError(f"找不到材料包 {ref_s}：请给出文件、SHA-256（至少 8 位）或材料包编号。",
                        f"No package {ref_s}: give its file, its SHA-256 (8 or more digits) or its package number.")
    if not rows:
        raise UserError(f"审核数据库中没有材料包 {ref_s}。", f"The review database has no package {ref_s}.")
    return dict(zip(["package_id", "sha256", "file", "status", "factory_name"], rows[0], strict=True))


def _clean_text(value: str, what_zh: str, what_en: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise UserError(f"请写明{what_zh}。", f"Give the {what_en}.")
    bad = control_char(text)
    if bad:
        raise UserError(f"{what_zh}中含有控制字符 {bad}，请删除后再保存。",
                        f"The {what_en} contains the control character {bad}; remove it and save again.")
    if len(text) > limit:
        raise UserError(f"{what_zh}过长（{len(text)} 个字符，最多 {limit} 个）。",
                        f"The {what_en} is too long ({len(text)} characters, at most {limit}).")
    return text


def add_note(con, package: str | Path | int, indicator_id: str, reason: str, *, value: float | None = None,
             reviewer: str, now: _dt.datetime | None = None) -> dict:
    """Store a note on one indicator row of a loaded package; returns it as :func:`notes` does (with "text")."""
    pkg = resolve_package(con, str(package))
    reason = _clean_text(reason, "理由", "reason", MAX_REASON)
    reviewer = _clean_text(reviewer, "审核人", "reviewer", MAX_REVIEWER)
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise UserError("修改后的指标值必须是有限的数。", "The corrected value must be a finite number.")
        value = float(value)
    row = con.execute("SELECT value, unit FROM indicators WHERE package_id = ? AND indicator_id = ?",
                      [pkg["package_id"], indicator_id]).fetchone()
    if row is None:
        ids = [r[0] for r in con.execute("SELECT indicator_id FROM indicators WHERE package_id = ? ORDER BY 1",
                                         [pkg["package_id"]]).fetchall()]
        shown = ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "")
        raise UserError(f"材料包 {pkg['package_id']} 中没有指标 {indicator_id}。可用的指标：{shown or '无'}",
                        f"The package {pkg['package_id']} has no indicator {indicator_id}. "
                        f"Its indicators: {shown or 'none'}")
    old_value, unit = row
    when = now or _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    con.execute("BEGIN TRANSACTION")
    try:
        prev = con.execute("SELECT max(note_id) FROM review_notes WHERE package_sha256 = ? AND indicator_id = ?",
                           [pkg["sha256"], indicator_id]).fetchone()[0]
        note_id = con.execute("SELECT coalesce(max(note_id), 0) + 1 FROM review_notes").fetchone()[0]
        con.execute("INSERT INTO review_notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [note_id, pkg["sha256"], indicator_id, old_value, value, unit, reason, reviewer, when, prev])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return notes(con, note_id=note_id)[0]


NOTE_COLUMNS = ["note_id", "package_sha256", "package_id", "file", "factory_name", "year", "indicator_id", "title",
                "unit", "old_value", "new_value", "reason", "reviewer", "noted_at", "replaces", "current", "versions"]


def notes(con, *, package_id: int | None = None, sha256: str | None = None, current_only: bool = False,
          note_id: int | None = None, lang: str | None = None) -> list[dict]:
    """Notes (oldest first), each with its words ("text", in ``lang``); ``current_only`` leaves out replaced ones."""
    where, args = [], []
    for col, v in (("package_id", package_id), ("package_sha256", sha256), ("note_id", note_id)):
        if v is not None:
            where.append(f"{col} = ?")
            args.append(v)
    if current_only:
        where.append("current")
    sql = f"SELECT {', '.join(NOTE_COLUMNS)} FROM v_notes"
    if where:
        sql += " WHERE " + " AND ".join(where)
    out = []
    for r in con.execute(sql + " ORDER BY note_id", args).fetchall():
        d = dict(zip(NOTE_COLUMNS, r, strict=True))
        if d["noted_at"] is not None:
            d["noted_at"] = d["noted_at"].astimezone(_dt.UTC).isoformat()
        d["text"] = note_text(d["old_value"], d["new_value"], d["reason"], d["unit"], lang)
        out.append(d)
    return out
