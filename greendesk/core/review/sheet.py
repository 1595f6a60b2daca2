"""The signed review sheet (审核意见): one package's identity, its verification and every reviewer's note, as a PDF.

Drawn with reportlab in the package report's fonts and colours (:func:`register_fonts`, ``layout.yaml``),
then signed with the package's own PAdES signing (:func:`greendesk.core.package.sign.embed_and_sign`): the
notes as JSON (``greendesk-review-notes.json``, format ``greendesk-review-sheet/1``) and a manifest in the
package's format are embedded first, so ``greendesk verify`` checks the sheet exactly as it checks a
package. The manifest names no factory (the reviewer, not the factory, signs it). The written file is
verified before it is put in place; a sheet that does not verify is never written.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path

from greendesk.core.errors import UserError
from greendesk.core.i18n import language, using_language

NOTES_NAME = "greendesk-review-notes.json"
SHEET_FORMAT = "greendesk-review-sheet/1"

_T = {
    "title": ("审核意见", "Review sheet"),
    "subtitle": ("绿色工厂自评价申报材料包审核（GreenDesk）", "Review of a green-factory self-assessment package (GreenDesk)"),
    "package": ("材料包", "Package"),
    "factory": ("工厂", "Factory"),
    "uscc": ("统一社会信用代码", "Credit code (USCC)"),
    "scheme": ("评价方案", "Scheme"),
    "year": ("评价年度", "Year"),
    "file": ("文件", "File"),
    "sha": ("材料包 SHA-256", "Package SHA-256"),
    "verification": ("校验结果", "Verification"),
    "signer": ("申报方签名人", "Declarant's signer"),
    "signed_at": ("签名时间", "Signed at"),
    "score": ("得分", "Score"),
    "flags": ("需要核实的数据", "Figures to check"),
    "reasons": ("未通过校验的原因", "Why the verification failed"),
    "notes": ("审核备注", "Reviewer's notes"),
    "no_notes": ("本材料包没有审核备注。", "No notes on this package."),
    "col_no": ("序号", "No."),
    "col_ind": ("指标", "Indicator"),
    "col_old": ("申报值", "Declared"),
    "col_new": ("审核值", "Reviewed"),
    "col_note": ("审核意见", "Note"),
    "col_by": ("审核人 / 时间", "Reviewer / time"),
    "history": ("已被替换的早先备注（保留在审核数据库中）", "Earlier notes since replaced (kept in the review database)"),
    "reviewer": ("审核人", "Reviewer"),
    "date": ("日期", "Date"),
    "signed_note": ("本审核意见由审核人以数字签名（PAdES）签署，内嵌审核备注数据；可用 greendesk verify 校验。",
                    "This review sheet is digitally signed by the reviewer (PAdES) and embeds the notes as data; "
                    "check it with greendesk verify."),
    "page": ("第 {p} 页，共 {n} 页", "page {p} of {n}"),
    "accepted": ("通过：签名有效，签名后未被改动，内嵌文件与清单一致", "accepted: signature valid, unchanged since "
                 "signing, embedded files match the manifest"),
    "rejected": ("拒绝：未通过校验", "REJECTED: the verification failed"),
    "unchanged": ("未修改", "unchanged"),
    "unverified": ("（未通过校验的材料包中所写，未经证实）", " (as the package states; the package failed verification)"),
    "not_compared": ("未与同行对比（未通过校验）", "not compared with peers (the verification failed)"),
}

_SIGNER = {"known": ("已知签名人", "known signer"), "new": ("新签名人（本机未记录）", "new signer (not on record)"),
           "different_key": ("与该工厂以前使用的密钥不同！", "DIFFERENT KEY than this factory used before!")}


def _tx(key: str, lang: str, **kw) -> str:
    s = _T[key][0 if lang == "zh" else 1]
    return s.format(**kw) if kw else s


def sheet_data(con, package, lang: str | None = None) -> dict:
    """Everything the sheet shows, from the review database: {"package": {...}, "notes": [...], "history": [...]}."""
    from greendesk.core.review.notes import notes, resolve_package

    lang = lang or language()
    pkg = resolve_package(con, str(package))
    cols = ["package_id", "sha256", "file", "status", "valid", "trusted", "signer", "signer_organization",
            "signer_fingerprint", "signer_status", "signed_at", "reasons", "factory_name", "factory_uscc"]
    row = con.execute(f"SELECT {', '.join(cols)} FROM packages WHERE package_id = ?", [pkg["package_id"]]).fetchone()
    p = dict(zip(cols, row, strict=True))
    a = con.execute("SELECT year, scheme_id, scheme_version, total, max, grade, grade_label, industry_code, province "
                    "FROM assessments WHERE package_id = ?", [p["package_id"]]).fetchone()
    if a:
        p.update(zip(["year", "scheme_id", "scheme_version", "total", "max", "grade", "grade_label", "industry_code",
                      "province"], a, strict=True))
    p["reasons"] = list(p["reasons"] or [])
    p["flags"] = con.execute("SELECT flags FROM v_packages WHERE package_id = ?", [p["package_id"]]).fetchone()[0]
    every = notes(con, package_id=p["package_id"], lang=lang)
    current = [n for n in every if n["current"]]
    return {"package": p, "notes": current, "history": [n for n in every if not n["current"]]}


def render_sheet(data: dict, out, *, reviewer: str, date: _dt.date, lang: str) -> list[dict]:
    """Draw the sheet (unsigned PDF) into ``out``; returns its structure log (tagging.py) for the signing step."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as _canvas
    from reportlab.platypus import BaseDocTemplate, PageTemplate, Paragraph, Spacer, Table, TableStyle

    from greendesk.core.package.data import fmt_num
    from greendesk.core.package.report import MONO, escape, register_fonts
    from greendesk.core.package.tagging import TaggedFrame, TaggingCanvasMixin
    from greendesk.core.package.templates import layout
    from greendesk.core.review.notes import fmt_value

    font = register_fonts()
    L = layout()
    col, ty, pg = L["colour"], L["type"], L["page"]
    text_c, muted, accent = (colors.HexColor(col[k]) for k in ("text", "muted", "accent"))
    base = dict(fontName=font, wordWrap="CJK", textColor=text_c)
    st = {
        "h1": ParagraphStyle("h1", fontSize=ty["h1"]["size"] + 4, leading=ty["h1"]["leading"] + 6,
                             alignment=TA_CENTER, **{**base, "textColor": accent}),
        "sub": ParagraphStyle("sub", fontSize=ty["body"]["size"], leading=ty["body"]["leading"], alignment=TA_CENTER,
                              **{**base, "textColor": muted}),
        "h2": ParagraphStyle("h2", fontSize=ty["h2"]["size"], leading=ty["h2"]["leading"], spaceBefore=10,
                             spaceAfter=5, keepWithNext=1, **{**base, "textColor": accent}),
        "body": ParagraphStyle("body", fontSize=ty["body"]["size"], leading=ty["body"]["leading"], **base),
        "cell": ParagraphStyle("cell", fontSize=ty["table"]["size"], leading=ty["table"]["leading"], **base),
        "head": ParagraphStyle("head", fontSize=ty["table"]["size"], leading=ty["table"]["leading"], **base),
        "hash": ParagraphStyle("hash", fontSize=7.5, leading=10, **{**base, "fontName": MONO}),
        "muted": ParagraphStyle("muted", fontSize=ty["small"]["size"], leading=ty["small"]["leading"],
                                **{**base, "textColor": muted}),
    }

    def P(text, style="cell"):
        return Paragraph(escape(text if text not in (None, "") else "—").replace("\n", "<br/>"), st[style])

    p = data["package"]
    width = A4[0] - (pg["margin_left"] + pg["margin_right"]) * mm
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(col["table_grid"])),
                       ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), font),
                       ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)])
    story = [P(_tx("title", lang), "h1"), P(_tx("subtitle", lang), "sub"), Spacer(1, 6 * mm),
             P(_tx("package", lang), "h2")]
    verdict = _tx("accepted" if p["status"] == "accepted" else "rejected", lang)
    if p.get("signer_status"):
        verdict += ("；" if lang == "zh" else "; ") + _SIGNER[p["signer_status"]][0 if lang == "zh" else 1]
    if p.get("trusted"):
        verdict += "；证书受信任" if lang == "zh" else "; certificate trusted"
    scheme = " ".join(x for x in (p.get("scheme_id"), p.get("scheme_version")) if x)
    score = (f"{fmt_num(p.get('total'), 2)} / {fmt_num(p.get('max'), 2)}"
             + (f"（{p['grade_label'] or p['grade']}）" if p.get("grade") or p.get("grade_label") else "")
             if p.get("total") is not None else None)
    flags = p.get("flags")
    if p["status"] != "accepted":       # the embedded figures of a package that failed verification vouch for nothing
        score = f"{score or '—'}{_tx('unverified', lang)}"
        flags = _tx("not_compared", lang)
    ident = [("factory", p.get("factory_name")), ("uscc", p.get("factory_uscc")), ("scheme", scheme),
             ("year", p.get("year")), ("file", Path(p["file"]).name), ("sha", None),
             ("verification", verdict), ("signer", p.get("signer")), ("signed_at", p.get("signed_at")),
             ("score", score), ("flags", flags)]
    rows = []
    for key, value in ident:
        cell = Paragraph(p["sha256"], st["hash"]) if key == "sha" else P(value)
        rows.append([P(_tx(key, lang), "head"), cell])
    t = Table(rows, colWidths=[38 * mm, width - 38 * mm])
    t.setStyle(grid)
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), colors.HexColor(col["table_head"]))]))
    story.append(t)
    if p["reasons"]:
        story += [P(_tx("reasons", lang), "h2")] + [P(f"• {r}", "body") for r in p["reasons"]]

    story.append(P(_tx("notes", lang), "h2"))
    widths = [10 * mm, 32 * mm, 20 * mm, 20 * mm, None, 27 * mm]
    widths[4] = width - sum(w for w in widths if w)

    def note_rows(items):
        out = [[P(_tx(k, lang), "head") for k in ("col_no", "col_ind", "col_old", "col_new", "col_note", "col_by")]]
        for n in items:
            with using_language(lang):
                old = fmt_value(n["old_value"], n["unit"])
                new = fmt_value(n["new_value"], n["unit"]) if n["new_value"] is not None else _tx("unchanged", lang)
            out.append([P(n["note_id"]), P(f"{n['title'] or n['indicator_id']}\n({n['indicator_id']})"), P(old),
                        P(new), P(n["text"]), P(f"{n['reviewer']}\n{(n['noted_at'] or '')[:16].replace('T', ' ')}")])
        return out

    if data["notes"]:
        t = Table(note_rows(data["notes"]), colWidths=widths, repeatRows=1)
        t.setStyle(grid)
        t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(col["table_head"]))]))
        story.append(t)
    else:
        story.append(P(_tx("no_notes", lang), "body"))
    if data["history"]:
        story.append(P(_tx("history", lang), "h2"))
        t = Table(note_rows(data["history"]), colWidths=widths, repeatRows=1)
        t.setStyle(grid)
        t.setStyle(TableStyle([("TEXTCOLOR", (0, 0), (-1, -1), muted),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(col["zebra"]))]))
        story.append(t)
    story += [Spacer(1, 8 * mm),
              P(f"{_tx('reviewer', lang)}：{reviewer}" if lang == "zh" else f"{_tx('reviewer', lang)}: {reviewer}",
                "body"),
              P(f"{_tx('date', lang)}：{date.isoformat()}" if lang == "zh" else f"{_tx('date', lang)}: {date.isoformat()}",
                "body"),
              Spacer(1, 3 * mm), P(_tx("signed_note", lang), "muted")]

    made: list = []

    class _Canvas(TaggingCanvasMixin, _canvas.Canvas):
        """Page x of y, in the report's font (Helvetica is never referenced: it would not be embedded);
        the content tagged for structure like the report's."""

        def __init__(self, *a, **kw):
            kw["initialFontName"] = font
            kw.setdefault("pdfVersion", (1, 7))
            super().__init__(*a, **kw)
            self._pages: list[dict] = []
            self.init_tagging()
            made.append(self)

        def showPage(self):  # noqa: N802 (reportlab)
            self._pages.append(dict(self.__dict__))
            self._startPage()
            self.tagging_new_page()

        def save(self):
            for state in self._pages:
                self.__dict__.update(state)
                opened = self.begin_artifact()     # the page footer is not part of the reading order
                self.setFont(font, ty["header"]["size"])
                self.setFillColor(muted)
                self.drawRightString(A4[0] - pg["margin_right"] * mm, pg["footer_offset"] * mm,
                                     _tx("page", lang, p=self._pageNumber, n=len(self._pages)))
                self.drawString(pg["margin_left"] * mm, pg["footer_offset"] * mm,
                                f"{_tx('title', lang)} · {p['sha256'][:16]}…")
                self.end_artifact(opened)
                super().showPage()
            super().save()

    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=pg["margin_left"] * mm, rightMargin=pg["margin_right"] * mm,
                          topMargin=pg["margin_top"] * mm, bottomMargin=pg["margin_bottom"] * mm,
                          title=f"{_tx('title', lang)} — {p.get('factory_name') or p['sha256'][:16]}",
                          author=reviewer, creator="GreenDesk", subject=p["sha256"], lang=lang)
    doc.addPageTemplates([PageTemplate("sheet", [TaggedFrame(doc.leftMargin, doc.bottomMargin, doc.width,
                                                             doc.height, id="body")])])
    doc.build(story, canvasmaker=_Canvas)
    return made[-1].struct_log if made else []


def _embedded(data: dict, reviewer: str, date: _dt.date) -> list[dict]:
    from greendesk.core.package.sign import MANIFEST_NAME

    p = data["package"]
    keep = ("sha256", "file", "status", "valid", "trusted", "signer", "signer_fingerprint", "signer_status",
            "signed_at", "reasons", "factory_name", "factory_uscc", "year", "scheme_id", "scheme_version", "total",
            "max", "grade", "flags")
    doc = {"format": SHEET_FORMAT, "reviewer": reviewer, "date": date.isoformat(),
           "package": {k: p.get(k) for k in keep},
           "notes": [{k: n[k] for k in ("note_id", "indicator_id", "title", "unit", "old_value", "new_value",
                                        "reason", "reviewer", "noted_at", "replaces", "text")} for n in data["notes"]],
           "history": [{k: n[k] for k in ("note_id", "indicator_id", "old_value", "new_value", "reason", "reviewer",
                                          "noted_at")} for n in data["history"]]}
    raw = json.dumps(doc, ensure_ascii=False, indent=1, default=str).encode("utf-8")
    files = [{"name": NOTES_NAME, "original_name": NOTES_NAME, "data": raw, "mime": "application/json",
              "kind": "data", "description": "GreenDesk review notes", "item_id": None}]
    man = {"format": "greendesk-manifest/1", "factory": None, "uscc": None, "kind": "review-sheet",
           "package_sha256": p["sha256"],
           "files": [{"name": f["name"], "original_name": f["original_name"], "kind": f["kind"], "item_id": None,
                      "size": len(f["data"]), "sha256": hashlib.sha256(f["data"]).hexdigest()} for f in files]}
    mraw = json.dumps(man, ensure_ascii=False).encode("utf-8")
    files.append({"name": MANIFEST_NAME, "original_name": MANIFEST_NAME, "data": mraw, "mime": "application/json",
                  "kind": "data", "description": "manifest"})
    return files


def write_review_sheet(con, package, out_path: str | Path, identity, *, lang: str | None = None,
                       timestamp_url: str | None = None, date: _dt.date | None = None, overwrite: bool = False) -> dict:
    """Draw, embed, sign and check the review sheet of ``package``; write it to ``out_path`` atomically.

    ``identity`` is a :class:`greendesk.core.package.certs.SigningIdentity` (``load_p12``). Returns
    {"path", "package_sha256", "notes", "history", "reviewer", "timestamp", "notes_messages", "verification"}.
    """
    from greendesk.core.package.sign import embed_and_sign
    from greendesk.core.package.verify import verify_package

    lang = lang or language()
    out_path = Path(out_path)
    folder = out_path.parent if str(out_path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"目标文件夹不存在：{folder}", f"The target folder does not exist: {folder}")
    if out_path.is_dir():
        raise UserError(f"{out_path} 是文件夹，请给出文件名。", f"{out_path} is a folder; give a file name.")
    if out_path.exists() and not overwrite:
        raise UserError(f"文件已存在：{out_path}（不会覆盖）。", f"File exists: {out_path} (not overwritten).")
    data = sheet_data(con, package, lang)
    reviewer = identity.name
    date = date or _dt.date.today()
    buf = io.BytesIO()
    structure = render_sheet(data, buf, reviewer=reviewer, date=date, lang=lang)
    reason = "审核意见" if lang == "zh" else "Review sheet"
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w+b") as f:
            r = embed_and_sign(buf.getvalue(), _embedded(data, reviewer, date), f, identity, reason=reason,
                               timestamp_url=timestamp_url, structure=structure, lang=lang)
            f.flush()
            os.fsync(f.fileno())
        check = verify_package(tmp, known_signers=[])
        if not check["valid"]:
            raise UserError("签名后的审核意见未通过校验，未写入：" + "; ".join(check["problems"]),
                            "The signed review sheet did not verify; nothing was written: "
                            + "; ".join(check["problems"]))
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"path": str(out_path), "package_sha256": data["package"]["sha256"], "notes": len(data["notes"]),
            "history": len(data["history"]), "reviewer": reviewer, "timestamp": r["timestamp"],
            "notes_messages": r["notes"], "verification": {k: check.get(k) for k in (
                "valid", "signer", "signer_fingerprint", "signed_at", "files")}}
