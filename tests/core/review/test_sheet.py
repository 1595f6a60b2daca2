"""The signed review sheet (审核意见): what it says, what it embeds, and that verify, pyHanko and pdfsig accept it."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess

import pytest

from tests.core.review.builders import build_peer_pair

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    """Package 甲 (1) with two notes on one row and one on another, its sheet signed by a reviewer."""
    import os

    from greendesk.core.package.certs import new_identity
    from greendesk.core.review.load import review_packages
    from greendesk.core.review.notes import add_note
    from greendesk.core.review.sheet import write_review_sheet
    from greendesk.core.review.store import connect

    d = tmp_path_factory.mktemp("sheet")
    old = os.environ.get("GREENDESK_SETTINGS_DIR")
    os.environ["GREENDESK_SETTINGS_DIR"] = str(d / "settings")
    try:
        folder = build_peer_pair(d)
        db = d / "review.duckdb"
        review_packages([folder], db, workers=1)
        con = connect(db)
        add_note(con, "1", "energy_intensity", "与电费单核对，6 月电量少计", value=50, reviewer="张审核")
        add_note(con, "1", "energy_intensity", "复核后为 48.5", value=48.5, reviewer="张审核")
        add_note(con, "1", "renewable_share", "请补充绿电交易凭证", reviewer="李审核")
        add_note(con, "2", "energy_intensity", "另一家工厂的备注", reviewer="李审核")
        ident = new_identity("某区工业和信息化局")
        out = d / "审核意见.pdf"
        info = write_review_sheet(con, "1", out, ident, lang="zh", date=dt.date(2026, 12, 2))
        sha = con.execute("SELECT sha256 FROM packages WHERE package_id = 1").fetchone()[0]
        rejected = write_review_sheet(con, "3", d / "rejected.pdf", ident, lang="en", date=dt.date(2026, 12, 2))
        con.close()
    finally:
        if old is None:
            os.environ.pop("GREENDESK_SETTINGS_DIR", None)
        else:
            os.environ["GREENDESK_SETTINGS_DIR"] = old
    return {"path": out, "info": info, "sha": sha, "ident": ident, "db": db, "dir": d, "rejected": d / "rejected.pdf",
            "rejected_info": rejected}


def _embedded(path) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from greendesk.core.package.verify import embedded_files

    return embedded_files(PdfFileReader(io.BytesIO(path.read_bytes()), strict=False))


def test_sheet_verifies_as_a_signed_greendesk_pdf(sheet):
    from greendesk.core.package.verify import verify_package

    r = verify_package(sheet["path"], known_signers=[])
    assert r["valid"] and r["problems"] == []
    assert r["signer_organization"] == "某区工业和信息化局"
    assert [f["name"] for f in r["files"]] == ["greendesk-review-notes.json"] and r["files"][0]["ok"]
    assert r["signatures"][0]["covers"] == "entire_file" and r["signatures"][0]["pades_level"] == "B-B"
    assert sheet["info"]["verification"]["valid"] and sheet["info"]["notes"] == 2 and sheet["info"]["history"] == 1


def test_sheet_with_pyhanko_and_pdfsig(sheet):
    from asn1crypto import x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = x509.Certificate.load(sheet["ident"].cert.public_bytes(Encoding.DER))
    with sheet["path"].open("rb") as f:
        st = validate_pdf_signature(PdfFileReader(f).embedded_signatures[0],
                                    ValidationContext(trust_roots=[root], allow_fetching=False))
    assert st.intact and st.valid and st.trusted and st.bottom_line
    if shutil.which("pdfsig"):
        out = subprocess.run(["pdfsig", str(sheet["path"])], capture_output=True, text=True).stdout
        assert "Signature Validation: Signature is Valid." in out and "Total document signed" in out


def test_sheet_embeds_the_notes(sheet):
    emb = _embedded(sheet["path"])
    assert sorted(emb) == ["greendesk-manifest.json", "greendesk-review-notes.json"]
    man = json.loads(emb["greendesk-manifest.json"])
    assert man["format"] == "greendesk-manifest/1" and man["factory"] is None and man["uscc"] is None
    assert man["package_sha256"] == sheet["sha"]
    doc = json.loads(emb["greendesk-review-notes.json"])
    assert doc["format"] == "greendesk-review-sheet/1" and doc["date"] == "2026-12-02"
    assert doc["reviewer"] == sheet["ident"].name
    assert doc["package"]["sha256"] == sheet["sha"] and doc["package"]["status"] == "accepted"
    assert doc["package"]["factory_name"] == "甲压铸有限公司" and doc["package"]["year"] == 2025
    assert [(n["note_id"], n["indicator_id"], n["new_value"], n["replaces"]) for n in doc["notes"]] == [
        (2, "energy_intensity", 48.5, 1), (3, "renewable_share", None, None)]
    assert doc["notes"][0]["text"].startswith("该指标值由") and doc["notes"][0]["text"].endswith(
        "修改为48.5 kgce/万元，理由是复核后为 48.5")
    assert [n["note_id"] for n in doc["history"]] == [1]          # replaced, still shown; the other factory's not


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_sheet_text_and_fonts(sheet):
    text = subprocess.run(["pdftotext", "-layout", str(sheet["path"]), "-"], capture_output=True, text=True).stdout
    for s in ("审核意见", "甲压铸有限公司", "91500113MA61RYP3X", "gbt36132-2025", "2025", sheet["sha"][:32],
              "通过：签名有效", "审核备注", "能源消耗强度", "请补充绿电交易凭证", "已被替换的早先备注",
              "某区工业和信息化局", "2026-12-02"):
        assert s in text, s
    assert "另一家工厂的备注" not in text
    fonts = subprocess.run(["pdffonts", str(sheet["path"])], capture_output=True, text=True).stdout
    assert "Helvetica" not in fonts and "WenQuanYiMicroHei" in fonts
    en = subprocess.run(["pdftotext", "-layout", str(sheet["rejected"]), "-"], capture_output=True, text=True).stdout
    assert "REJECTED: the verification failed" in en and "Why the verification failed" in en
    assert "No notes on this package." in en


def test_sheet_refuses_to_overwrite(sheet):
    from greendesk.core.errors import UserError
    from greendesk.core.review.sheet import write_review_sheet
    from greendesk.core.review.store import connect

    con = connect(sheet["db"])
    try:
        with pytest.raises(UserError, match="not overwritten"):
            write_review_sheet(con, "1", sheet["path"], sheet["ident"])
        with pytest.raises(UserError, match="does not exist"):
            write_review_sheet(con, "1", sheet["dir"] / "nope" / "x.pdf", sheet["ident"])
    finally:
        con.close()
    assert [p.name for p in sheet["dir"].glob(".*.part")] == []


def test_sheet_is_tagged_in_reading_order(sheet):
    """Like the package, the sheet is a tagged PDF 1.7: headings, paragraphs and the notes table in the
    structure tree, the page footer an artifact, /Lang as the sheet's language."""
    for path, lang in ((sheet["path"], "zh-CN"), (sheet["rejected"], "en")):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert "Tagged:          yes" in info and "PDF version:     1.7" in info
        head = path.read_bytes()[:8]
        assert head == b"%PDF-1.7"
        struct = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True).stdout
        kinds = {line.split()[0] for line in struct.splitlines() if line.strip() and not line.strip().startswith('"')}
        assert {"Document", "P", "Table", "TR", "TD"} <= kinds, kinds
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        footer = "第 1 页，共 1 页" if lang == "zh-CN" else "page 1 of 1"
        assert footer in text and footer not in struct                     # printed, but an artifact
        from pyhanko.pdf_utils.reader import PdfFileReader

        root = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False).root
        assert str(root["/Lang"]) == lang and bool(root["/MarkInfo"]["/Marked"])
    zh = subprocess.run(["pdfinfo", "-struct-text", str(sheet["path"])], capture_output=True, text=True).stdout
    assert "请补充绿电交易凭证" in zh and zh.index("审核意见") < zh.index("请补充绿电交易凭证")
