"""Who signed, have we seen them before, and signature checks that mean what they say (issues 13, 14).

Independent judges: pdfsig (poppler/NSS), pyHanko's own validator, openssl, pdfdetach, pdftotext, qpdf.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from greendesk.core.errors import UserError
from tests.core.package.signing_helpers import make_cert, swap_embedded, timestamp_server

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")

ORG = "重庆渝锐精密压铸有限公司"
OTHER_USCC = "91110000100000000R"  # a made-up code with a valid check digit (GB 32100)


@pytest.fixture(autouse=True)
def _own_store(tmp_path, monkeypatch):
    """Every test has its own empty store of known signers."""
    monkeypatch.setenv("GREENDESK_SETTINGS_DIR", str(tmp_path / "settings"))


@pytest.fixture(scope="module")
def pk(tmp_path_factory):
    """The demo workspace and a package signed by the factory's own self-issued certificate (with its USCC)."""
    from greendesk.core.demo import build_demo
    from greendesk.core.package import export_package
    from greendesk.core.package.certs import new_identity, write_p12
    from greendesk.core.workspace import Workspace

    d = tmp_path_factory.mktemp("signers")
    ws = build_demo(d / "demo.greendesk")
    with Workspace.open(ws, readonly=True) as w:
        uscc = w.factory()["uscc"]
    ident = new_identity(ORG, uscc=uscc)
    p12 = write_p12(ident, d / "org.p12", "pw")
    (d / "org.pem").write_bytes(ident.cert_pem())
    pkg = d / "pkg.pdf"
    export_package(ws, pkg, p12_path=p12, passphrase="pw")
    return {"dir": d, "ws": ws, "uscc": uscc, "ident": ident, "p12": p12, "pem": d / "org.pem", "pkg": pkg}


def _export_with(pk, identity, out: Path, monkeypatch, **kw) -> Path:
    """Export the demo workspace signed by ``identity`` (any certificate, also an expired one)."""
    from greendesk.core.package import export, export_package

    monkeypatch.setattr(export, "_identity", lambda *a, **k: identity)
    export_package(pk["ws"], out, p12_path="unused", **kw)
    return out


def _pdfsig(path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def _pyhanko(path, trust_pems=()):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with open(path, "rb") as f:
        r = PdfFileReader(f, strict=False)
        vc = ValidationContext(trust_roots=[load_cert_from_pemder(str(p)) for p in trust_pems], allow_fetching=False)
        return [validate_pdf_signature(s, vc) for s in r.embedded_signatures]


def _verify(path, **kw):
    from greendesk.core.package.verify import verify_package

    return verify_package(path, **kw)


def _rc(r, trust_given=False):
    from greendesk.core.package.verify import exit_code

    return exit_code(r, trust_given)


# --- the certificate GreenDesk issues --------------------------------------------------------------

def test_issued_certificate_fits_document_signing_and_carries_the_uscc(pk, tmp_path):
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    cert = pk["ident"].cert
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.content_commitment and not ku.key_cert_sign and not ku.key_encipherment
    eku = {o.dotted_string for o in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value}
    assert ExtendedKeyUsageOID.CODE_SIGNING.dotted_string not in eku
    assert eku == {"1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36"}     # emailProtection, documentSigning
    org_id = cert.subject.get_attributes_for_oid(x509.ObjectIdentifier("2.5.4.97"))
    assert [a.value for a in org_id] == [f"NTRCN-{pk['uscc']}"]
    assert [a.value for a in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)] == [pk["uscc"]]
    # openssl as an independent reader of the extensions
    text = subprocess.run(["openssl", "x509", "-noout", "-text", "-in", str(pk["pem"])], capture_output=True,
                          text=True, check=True).stdout
    assert "Code Signing" not in text and "Digital Signature, Non Repudiation" in text
    assert "E-mail Protection" in text


def test_a_wrong_uscc_is_refused_when_issuing():
    from greendesk.core.package.certs import new_identity

    with pytest.raises(UserError):
        new_identity("某厂", uscc="91500113MA61RYP3X0")


# --- who signed --------------------------------------------------------------------------------------

def test_verify_shows_fingerprint_and_uscc_checked_against_the_package(pk):
    r = _verify(pk["pkg"])
    assert r["valid"] and r["problems"] == []
    openssl = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", str(pk["pem"])],
                             capture_output=True, text=True, check=True).stdout
    assert r["signer_fingerprint"] == openssl.split("=", 1)[1].strip().replace(":", "").lower()
    assert r["signer_uscc"] == r["factory_uscc"] == pk["uscc"] and r["uscc_match"] is True
    assert r["signer_status"] == "new" and _rc(r) == 3
    [sig] = r["signatures"]
    assert sig["kind"] == "author" and sig["self_issued"] is True and sig["pades_level"] == "B-B"
    assert sig["issuer"] and sig["fingerprint"] == r["signer_fingerprint"] and sig["covers"] == "entire_file"
    assert sig["timestamp"]["status"] == "none"
    assert r["signed_at_source"] == "claimed" and sig["claimed_time"] == r["signed_at"]


def test_a_pinned_signer_exits_0(pk):
    from greendesk.core.package import trust

    entry, added = trust.add(pk["ident"].cert, source="test")
    assert added and trust.add(pk["ident"].cert)[1] is False          # added once
    r = _verify(pk["pkg"])
    assert r["signer_status"] == "known" and _rc(r) == 0
    assert json.loads(trust.store_path().read_text("utf-8"))["signers"][0]["fingerprint"] == r["signer_fingerprint"]


def test_an_impostor_copy_is_a_different_signer_once_the_real_one_is_known(pk, tmp_path, monkeypatch):
    """Re-signed with a self-issued certificate carrying the same organisation name (and even the same USCC)."""
    from greendesk.core.package import trust

    trust.add(pk["ident"].cert)
    for i, uscc in enumerate([pk["uscc"], None]):
        fake = make_cert(ORG, uscc=uscc)
        copy = _export_with(pk, fake, tmp_path / f"impostor{i}.pdf", monkeypatch)
        assert "Signature is Valid." in _pdfsig(copy)                 # integrity alone cannot tell
        r = _verify(copy)
        assert r["valid"] is True                                     # intact ...
        assert r["signer_status"] == "different_key" and _rc(r) == 3  # ... but not the key this factory used
        assert [k["fingerprint"] for k in r["signer_known_keys"]] == [trust.load()[0]["fingerprint"]]
        assert r["signer_fingerprint"] != trust.load()[0]["fingerprint"]
    # before the real one is known the impostor is simply new
    monkeypatch.setenv("GREENDESK_SETTINGS_DIR", str(tmp_path / "empty"))
    assert _verify(tmp_path / "impostor0.pdf")["signer_status"] == "new"


def test_a_certificate_of_another_factory_does_not_match_the_package(pk, tmp_path, monkeypatch):
    copy = _export_with(pk, make_cert(ORG, uscc=OTHER_USCC), tmp_path / "other.pdf", monkeypatch)
    r = _verify(copy)
    assert r["signer_uscc"] == OTHER_USCC and r["uscc_match"] is False
    assert r["valid"] is False and _rc(r) == 1
    assert any(OTHER_USCC in p for p in r["problems"])


# --- time: timestamps and certificate validity ---------------------------------------------------------

def test_an_honest_timestamp_is_verified_and_gives_b_t(pk, tmp_path, monkeypatch):
    with timestamp_server() as (url, tsa_pem):
        out = _export_with(pk, pk["ident"], tmp_path / "bt.pdf", monkeypatch, timestamp_url=url)
    (tmp_path / "tsa.pem").write_bytes(tsa_pem)
    r = _verify(out)
    [sig] = r["signatures"]
    assert r["valid"] and sig["timestamp"]["status"] == "verified" and sig["pades_level"] == "B-T"
    assert r["signed_at_source"] == "timestamp" and sig["timestamp"]["tsa"] == "Local Test TSA"
    ts = dt.datetime.fromisoformat(r["signed_at"])
    assert abs((ts - dt.datetime.now(dt.UTC)).total_seconds()) < 600
    r = _verify(out, trust=[pk["pem"], tmp_path / "tsa.pem"])
    assert r["trusted"] and r["signatures"][0]["timestamp"]["status"] == "trusted"
    st = _pyhanko(out, [pk["pem"], tmp_path / "tsa.pem"])[0]
    assert st.bottom_line and st.timestamp_validity.trusted                          # pyHanko agrees
    assert "Signature is Valid." in _pdfsig(out)


def test_a_backdating_timestamp_server_does_not_make_a_valid_signing_time(pk, tmp_path, monkeypatch):
    """The TSA says 2025-03-01; the certificate was made today: the timestamp does not count."""
    back = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    with timestamp_server(back) as (url, _pem):
        out = _export_with(pk, pk["ident"], tmp_path / "back.pdf", monkeypatch, timestamp_url=url)
    st = _pyhanko(out)[0]
    assert st.timestamp_validity.timestamp == back and st.intact                    # the token itself is sound
    for trust in (None, pk["pem"]):
        r = _verify(out, trust=trust)
        sig = r["signatures"][0]
        assert sig["timestamp"] == {"status": "outside_certificate_validity", "time": back.isoformat(),
                                    "tsa": "Local Test TSA"}
        assert r["valid"] is False and r["trusted"] is False and _rc(r, bool(trust)) == 1
        assert not r["signed_at"].startswith("2025") and r["signed_at_source"] == "claimed"
        assert sig["pades_level"] == "B-B"


def test_a_timestamp_from_an_expired_tsa_certificate_does_not_count(pk, tmp_path, monkeypatch):
    now = dt.datetime.now(dt.UTC)
    with timestamp_server(tsa_not_before=now - dt.timedelta(days=30), tsa_not_after=now - dt.timedelta(days=1)) \
            as (url, _pem):
        out = _export_with(pk, pk["ident"], tmp_path / "tsaexp.pdf", monkeypatch, timestamp_url=url)
    r = _verify(out)
    assert r["signatures"][0]["timestamp"]["status"] == "outside_tsa_certificate_validity" and not r["valid"]


@pytest.mark.parametrize("window", ["expired", "not_yet_valid"])
def test_a_certificate_outside_its_validity_is_never_trusted(pk, tmp_path, monkeypatch, window):
    from greendesk.core.package import trust

    now = dt.datetime.now(dt.UTC)
    if window == "expired":
        cert = make_cert(ORG, not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=2))
    else:
        cert = make_cert(ORG, not_before=now + dt.timedelta(days=2), not_after=now + dt.timedelta(days=400))
    out = _export_with(pk, cert, tmp_path / f"{window}.pdf", monkeypatch)
    pem = tmp_path / "c.pem"
    pem.write_bytes(cert.cert_pem())
    if window == "expired":
        assert "Certificate has Expired" in _pdfsig(out)                           # poppler/NSS agrees
    r = _verify(out, trust=pem)
    assert r["valid"] is True                                        # the bytes are intact ...
    assert r["trusted"] is False and _rc(r, True) == 1               # ... but it is not trusted, even given as --trust
    assert r["signatures"][0]["certificate_time"] == window
    assert any("trusted" in p for p in r["problems"])
    trust.add(cert.cert)
    r = _verify(out)
    assert r["signer_status"] == "known" and _rc(r) == 3             # a known key outside its validity: not confirmed


# --- several signatures: counter-signatures --------------------------------------------------------------

@pytest.fixture(scope="module")
def counter(pk, tmp_path_factory):
    from greendesk.core.package.certs import new_identity
    from greendesk.core.package.sign import countersign_package

    d = tmp_path_factory.mktemp("counter")
    evaluator = new_identity("某某绿色制造评价机构")
    out = d / "countersigned.pdf"
    r = countersign_package(pk["pkg"], out, evaluator, role="评价机构")
    return {"path": out, "evaluator": evaluator, "result": r}


def test_a_countersignature_is_accepted_and_shown(pk, counter):
    from greendesk.core.package import trust

    r = _verify(counter["path"])
    assert r["valid"] is True and r["problems"] == []
    a, c = r["signatures"]
    assert a["kind"] == "author" and a["covers"] == "revision_then_signatures_only" and a["valid"]
    assert c["kind"] == "countersignature" and c["role"] == "评价机构" and c["covers"] == "entire_file" and c["valid"]
    assert "某某绿色制造评价机构" in c["signer"] and c["fingerprint"] != a["fingerprint"]
    assert a["signed_bytes"] < c["signed_bytes"] == counter["path"].stat().st_size
    assert r["signer_fingerprint"] == a["fingerprint"]               # the declarant stays the signer that counts
    trust.add(pk["ident"].cert)
    r = _verify(counter["path"])
    assert r["signer_status"] == "known" and _rc(r) == 0 and r["signatures"][1]["status"] == "new"
    # independent judges
    out = _pdfsig(counter["path"])
    assert out.count("Signature is Valid.") == 2 and "Total document signed" in out
    sts = _pyhanko(counter["path"])
    assert all(s.intact and s.valid for s in sts)
    assert sts[0].modification_level.name == "FORM_FILLING" and sts[0].docmdp_ok


def test_countersigning_changes_no_page_and_no_attachment(pk, counter):
    def listing(p):
        return subprocess.run(["pdfdetach", "-list", str(p)], capture_output=True, text=True, check=True).stdout

    def text(p):
        return subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True, check=True).stdout

    assert listing(counter["path"]) == listing(pk["pkg"]) and text(counter["path"]) == text(pk["pkg"])


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf missing")
def test_qpdf_finds_no_structural_error(pk, counter):
    for p in (pk["pkg"], counter["path"]):
        r = subprocess.run(["qpdf", "--check", str(p)], capture_output=True, text=True)
        assert r.returncode == 0 and "No syntax or stream encoding errors" in r.stdout, r.stdout + r.stderr


def test_countersign_refuses_a_package_that_does_not_verify_and_an_existing_file(pk, counter, tmp_path):
    from greendesk.core.package.sign import countersign_package

    bad = tmp_path / "bad.pdf"
    raw = bytearray(pk["pkg"].read_bytes())
    raw[len(raw) // 2] ^= 1
    bad.write_bytes(bytes(raw))
    with pytest.raises(UserError):
        countersign_package(bad, tmp_path / "x.pdf", counter["evaluator"], role="评价机构")
    with pytest.raises(UserError):
        countersign_package(pk["pkg"], counter["path"], counter["evaluator"], role="评价机构")
    with pytest.raises(UserError):
        countersign_package(pk["pkg"], tmp_path / "y.pdf", counter["evaluator"], role=" ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.pdf"]


def test_a_second_countersignature_is_accepted(pk, counter, tmp_path):
    from greendesk.core.package.certs import new_identity
    from greendesk.core.package.sign import countersign_package

    out = tmp_path / "twice.pdf"
    countersign_package(counter["path"], out, new_identity("复核专家"), role="专家")
    r = _verify(out)
    assert r["valid"] and [s["kind"] for s in r["signatures"]] == ["author", "countersignature", "countersignature"]
    assert [s["role"] for s in r["signatures"]] == [None, "评价机构", "专家"]


def _countersign_bytes(data: bytes, identity) -> bytes:
    from greendesk.core.package.sign import countersign

    out = io.BytesIO()
    countersign(data, out, identity, role="评价机构")
    return out.getvalue()


def test_any_other_change_after_the_first_signature_fails_even_when_countersigned(pk, counter, tmp_path):
    """Swapped evidence (with a matching manifest), an added page annotation, a changed page: each then
    counter-signed by the attacker, so the last signature covers the whole file. All caught."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader

    from greendesk.core.package.sign import MANIFEST_NAME
    from greendesk.core.package.verify import embedded_files

    raw = pk["pkg"].read_bytes()
    emb = embedded_files(PdfFileReader(io.BytesIO(raw), strict=False))
    ev = sorted(n for n in emb if n.startswith("evidence-"))[0]
    forged = b"forged certificate content"
    man = json.loads(emb[MANIFEST_NAME])
    for f in man["files"]:
        if f["name"] == ev:
            f["sha256"], f["size"] = hashlib.sha256(forged).hexdigest(), len(forged)
    swapped = swap_embedded(swap_embedded(raw, ev, forged), MANIFEST_NAME,
                             json.dumps(man, ensure_ascii=False).encode())

    w = IncrementalPdfFileWriter(io.BytesIO(raw), strict=False)
    page_ref = w.root["/Pages"]["/Kids"].raw_get(0)
    page = page_ref.get_object()
    annot = w.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(x) for x in (50, 50, 300, 100)]),
        generic.NameObject("/Contents"): generic.TextStringObject("评价等级：三星"),
        generic.NameObject("/DA"): generic.pdf_string("/Helv 12 Tf 0 g")}))
    page["/Annots"] = generic.ArrayObject([annot])
    w.mark_update(page_ref)
    buf = io.BytesIO()
    w.write(buf)
    annotated = buf.getvalue()

    w = IncrementalPdfFileWriter(io.BytesIO(raw), strict=False)
    page_ref = w.root["/Pages"]["/Kids"].raw_get(0)
    page = page_ref.get_object()
    page["/Contents"] = w.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (PASS) Tj ET"))
    w.mark_update(page_ref)
    buf = io.BytesIO()
    w.write(buf)
    repainted = buf.getvalue()

    attacker = make_cert("某某绿色制造评价机构")
    for label, data in [("swapped evidence", swapped), ("annotation", annotated), ("page content", repainted)]:
        p = tmp_path / "attack.pdf"
        p.write_bytes(_countersign_bytes(data, attacker))
        r = _verify(p)
        assert r["valid"] is False, label
        assert r["signatures"][0]["covers"] == "partial", label
        assert _rc(r) == 1


def _tampers(raw: bytes, n: int, seed: int):
    """Byte flips (header, body, signature, tail), truncations, appended data, an unsigned incremental update."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    rnd = random.Random(seed)
    brs = [tuple(map(int, m.groups()))
           for m in re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", raw)]
    for _ in range(n):
        off = rnd.randrange(len(raw))
        data = bytearray(raw)
        data[off] ^= 1 << rnd.randrange(8)
        if chr(raw[off]) in "ABCDEFabcdef" and chr(data[off]) == chr(raw[off]).swapcase():
            data[off] ^= 0x20 | 0x01    # A<->a in the hex of /Contents is the same bytes, not a tamper
        yield f"flip@{off}", bytes(data)
    for _a, b, c, _d in brs:
        for off in (b + 1, (b + c) // 2, c - 2):
            data = bytearray(raw)
            data[off] = ord("0") if data[off] != ord("0") else ord("1")
            yield f"contents@{off}", bytes(data)
    for cut in (1, 10, 1000, len(raw) // 2):
        yield f"truncate-{cut}", raw[:-cut]
    yield "append-garbage", raw + b"\n%garbage\n"
    yield "append-newline", raw + b"\n"
    w = IncrementalPdfFileWriter(io.BytesIO(raw), strict=False)
    w.trailer["/Info"] = w.add_object(generic.DictionaryObject(
        {generic.NameObject("/Title"): generic.TextStringObject("forged")}))
    out = io.BytesIO()
    w.write(out)
    yield "incremental-info", out.getvalue()


@pytest.mark.fuzz
@pytest.mark.parametrize("which", ["single", "countersigned"])
def test_tamper_classes_stay_caught(pk, counter, which):
    raw = (pk["pkg"] if which == "single" else counter["path"]).read_bytes()
    n = int(os.environ.get("GREENDESK_FUZZ_N", "12"))
    survivors = []
    path = pk["dir"] / f"tamper-{which}.pdf"
    count = 0
    for label, data in _tampers(raw, n, 20261202):
        path.write_bytes(data)
        count += 1
        if _verify(path, known_signers=[])["valid"]:
            survivors.append(label)
    assert count >= n + 6
    assert not survivors, f"{len(survivors)} of {count} tampers went unnoticed: {survivors}"


# --- the store of known signers --------------------------------------------------------------------------

def test_store_remove_by_prefix_and_refusals(pk, counter):
    from greendesk.core.package import trust

    e1, _ = trust.add(pk["ident"].cert)
    e2, _ = trust.add(counter["evaluator"].cert)
    assert [e["fingerprint"] for e in trust.load()] == [e1["fingerprint"], e2["fingerprint"]]
    assert e1["uscc"] == pk["uscc"] and e1["organization"] == ORG and e1["self_issued"] is True
    with pytest.raises(UserError):
        trust.remove("zz")
    with pytest.raises(UserError):
        trust.remove("0" * 64 if not e1["fingerprint"].startswith("0" * 8) else "f" * 64)
    colons = ":".join(e1["fingerprint"][i:i + 2] for i in range(0, 16, 2)).upper()
    assert trust.remove(colons)["fingerprint"] == e1["fingerprint"]
    assert [e["fingerprint"] for e in trust.load()] == [e2["fingerprint"]]


@pytest.mark.parametrize("content", [b"{not json", b'{"format": "greendesk-known-signers/9", "signers": []}',
                                     b'{"format": "greendesk-known-signers/1", "signers": [1]}'])
def test_a_damaged_or_newer_store_is_refused_and_left_alone(pk, content):
    from greendesk.core.package import trust

    path = trust.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with pytest.raises(UserError):
        trust.add(pk["ident"].cert)
    assert path.read_bytes() == content
    r = _verify(pk["pkg"])                                      # verify still answers, and says why
    assert r["valid"] and r["signer_status"] == "new" and any(str(path) in p for p in r["problems"])


def test_a_document_timestamp_after_the_signature_is_accepted_and_listed(pk, tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps

    with timestamp_server() as (url, _pem):
        w = IncrementalPdfFileWriter(io.BytesIO(pk["pkg"].read_bytes()), strict=False)
        out = io.BytesIO()
        signers.PdfTimeStamper(timestamps.HTTPTimeStamper(url)).timestamp_pdf(w, "sha256", output=out)
    p = tmp_path / "doc-ts.pdf"
    p.write_bytes(out.getvalue())
    r = _verify(p)
    assert r["valid"] and [s["kind"] for s in r["signatures"]] == ["author", "document_timestamp"]
    assert r["signatures"][1]["timestamp"]["status"] == "verified" and r["signatures"][1]["covers"] == "entire_file"
    assert r["signer_fingerprint"] == r["signatures"][0]["fingerprint"]


def test_a_signer_pinned_from_a_package_is_matched_by_the_package_factory(pk, tmp_path, monkeypatch):
    """The real certificate names the factory in English; the impostor's names it in Chinese: still a different key."""
    from greendesk.core.package import trust

    real = make_cert("Chongqing Yurui Precision Die Casting Co., Ltd.")
    real_pkg = _export_with(pk, real, tmp_path / "real.pdf", monkeypatch)
    r = _verify(real_pkg)
    trust.add(real.cert, factory=r["factory"], factory_uscc=r["factory_uscc"])
    fake_pkg = _export_with(pk, make_cert("Someone Else Ltd."), tmp_path / "fake.pdf", monkeypatch)
    assert _verify(fake_pkg)["signer_status"] == "different_key"
