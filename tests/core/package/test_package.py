"""The signed PDF declaration package and ``greendesk verify`` (issue 5), on the real demo workspace."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from greendesk.core.errors import Cancelled, UserError

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils missing")


def _png(w=120, h=120) -> bytes:
    from greendesk.core.demo import _png as png

    return png(w, h, (200, 30, 30))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The demo workspace, a stored certificate, and one signed package per language."""
    from greendesk.core.demo import build_demo
    from greendesk.core.package import export_package
    from greendesk.core.package.certs import new_identity, write_p12

    d = tmp_path_factory.mktemp("pkg")
    ws = build_demo(d / "demo.greendesk")
    ident = new_identity("重庆渝锐精密压铸有限公司")
    p12 = write_p12(ident, d / "org.p12", "correct horse")
    (d / "org.pem").write_bytes(ident.cert_pem())
    (d / "seal.png").write_bytes(_png())
    out = {"dir": d, "ws": ws, "p12": p12, "pem": d / "org.pem", "seal": d / "seal.png"}
    for lang in ("zh", "en"):
        pdf = d / f"pkg-{lang}.pdf"
        out[lang] = export_package(ws, pdf, lang=lang, p12_path=p12, passphrase="correct horse",
                                   seal_png=d / "seal.png", zip_bundle=(lang == "zh"))
        out[f"{lang}_pdf"] = pdf
    return out


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _score(ws_path, lang):
    from greendesk.core.package.data import fmt_num
    from greendesk.core.schemes.scoring import score_assessment
    from greendesk.core.workspace import Workspace

    with Workspace.open(ws_path, readonly=True) as ws:
        s = score_assessment(ws, lang=lang)
    return fmt_num(s["total"], 2), fmt_num(s["max"], 2)


# --- the report ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_font_is_embedded(built, lang):
    out = subprocess.run(["pdffonts", str(built[f"{lang}_pdf"])], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        cols = row.split()
        # name type... encoding emb sub uni objectID gen: emb is the 5th column from the end
        assert cols[-5] == "yes", f"not embedded: {row}"
    assert "WenQuanYi" in out


def test_chinese_report_text(built):
    text = _text(built["zh_pdf"])
    flat = _squash(text)
    assert "重庆渝锐精密压铸有限公司" in flat
    assert "材料真实性承诺" in flat and "承诺" in flat
    for heading in ("一、工厂基本情况", "二、绿色工厂创建情况", "三、下一步工作", "四、自评价", "目录", "填写说明", "基本信息表"):
        assert _squash(heading) in flat, heading
    total, mx = _score(built["ws"], "zh")
    assert f"总得分{total}分（满分{mx}分）" in flat
    assert "陈建国" in flat                       # the legal representative on the commitment page
    assert re.search(r"第\s*2\s*页\s*/\s*共\s*\d+\s*页", text)      # page numbers
    assert "能源消费与碳排放" in flat


def test_english_report_text(built):
    text = _text(built["en_pdf"])
    flat = _squash(text)
    assert "重庆渝锐精密压铸有限公司" in flat        # the factory's name stays as registered
    assert _squash("Commitment to the truthfulness of the materials") in flat
    for heading in ("1. The factory", "2. Green factory development", "3. Next steps", "4. Self-evaluation",
                    "Contents", "Basic information"):
        assert _squash(heading) in flat, heading
    total, mx = _score(built["ws"], "en")
    assert _squash(f"scores {total} out of {mx}") in flat
    assert re.search(r"Page\s+2\s+of\s+\d+", text)
    # no Chinese fixed text leaks into the English version (user data aside)
    for zh in ("填写说明", "目录", "下一步工作", "自评价报告"):
        assert zh not in flat


def test_collect_report_data_uses_scoring_and_energy(built):
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.workspace import Workspace

    with Workspace.open(built["ws"], readonly=True) as ws:
        d = collect_report_data(ws, None, "zh")
    assert d.sections and all(s["indicators"] for s in d.sections)
    assert d.score is not None and d.score["max"] > 0
    assert d.gaps == sorted(d.gaps, key=lambda g: -(g["gain"] or 0))
    assert d.energy is not None and d.energy["carriers"] and len(d.energy["months"]) == 12
    assert {e["name"] for e in d.evidence} >= {"营业执照.png"}


# --- the package -------------------------------------------------------------------------

def test_embedded_files_match_manifest(built):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from greendesk.core.package.verify import embedded_files
    from greendesk.core.workspace import Workspace

    with open(built["zh_pdf"], "rb") as f:
        emb = embedded_files(PdfFileReader(f, strict=False))
        manifest = json.loads(emb["greendesk-manifest.json"])
    names = {m["name"] for m in manifest["files"]}
    assert set(emb) == names | {"greendesk-manifest.json"}
    with Workspace.open(built["ws"], readonly=True) as ws:
        ev = ws.evidence(ws.assessment()["id"])
        ledgers = ws.conn.execute("SELECT sha256 FROM meter_imports WHERE sha256 IS NOT NULL").fetchall()
    shas = {m["sha256"] for m in manifest["files"]}
    assert {e["sha256"] for e in ev} <= shas
    assert {r[0] for r in ledgers} <= shas
    kinds = {m["kind"] for m in manifest["files"]}
    assert kinds >= {"evidence", "data"}
    data = json.loads(emb["greendesk-answers-scores.json"])
    assert data["factory"]["name"] == "重庆渝锐精密压铸有限公司" and "score" in data and "answers" in data


def test_signature_valid_pyhanko_and_pdfsig(built):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    with open(built["zh_pdf"], "rb") as f:
        r = PdfFileReader(f, strict=False)
        st = validate_pdf_signature(r.embedded_signatures[0],
                                    ValidationContext(trust_roots=[load_cert_from_pemder(str(built["pem"]))]))
        assert st.intact and st.valid and st.trusted and st.bottom_line
        assert st.coverage == SignatureCoverageLevel.ENTIRE_FILE
    out = subprocess.run(["pdfsig", str(built["zh_pdf"])], capture_output=True, text=True).stdout
    assert "Signature is Valid." in out and "Total document signed" in out
    assert "ETSI.CAdES.detached" in out


def test_verify_reports_signer_time_trust_and_files(built):
    from greendesk.core.package import verify_package

    r = verify_package(built["zh_pdf"])
    assert set(r) >= {"valid", "signer", "signed_at", "trusted", "files", "problems"}
    assert r["valid"] is True and r["problems"] == []
    assert r["trusted"] is False                     # no trust anchor given
    assert "重庆渝锐精密压铸有限公司" in r["signer"] and "self-issued" in r["signer"]
    assert re.match(r"\d{4}-\d\d-\d\dT", r["signed_at"])
    assert r["files"] and all(f["ok"] and set(f) == {"name", "sha256", "ok"} for f in r["files"])
    r2 = verify_package(built["zh_pdf"], trust=built["pem"])
    assert r2["valid"] and r2["trusted"]


def test_verify_with_another_trust_anchor_is_untrusted(built, tmp_path):
    from greendesk.core.package import verify_package
    from greendesk.core.package.certs import new_identity

    other = tmp_path / "other.pem"
    other.write_bytes(new_identity("别的单位").cert_pem())
    r = verify_package(built["zh_pdf"], trust=other)
    assert r["valid"] is True and r["trusted"] is False and r["problems"]


def test_flipping_any_sampled_byte_fails_verification(built, tmp_path):
    from greendesk.core.package import verify_package

    raw = built["zh_pdf"].read_bytes()
    m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", raw)
    a, b, c, _d = map(int, m.groups())
    rnd = random.Random(20261121)
    offsets = {0, 10, len(raw) - 1, len(raw) // 2, b + 1, b + 40, c - 2, c - 200}      # header, tail, signature
    offsets |= {rnd.randrange(len(raw)) for _ in range(36)}
    offsets |= {rnd.randrange(b + 1, c - 1) for _ in range(6)}                    # inside /Contents
    bad = tmp_path / "bad.pdf"
    survivors = []
    for off in sorted(offsets):
        data = bytearray(raw)
        data[off] ^= 0x01
        bad.write_bytes(bytes(data))
        if verify_package(bad)["valid"]:
            survivors.append(off)
    assert not survivors, f"tampering at offsets {survivors} went unnoticed"


def _swap_embedded(src: Path, dst: Path, name: str, new: bytes) -> None:
    """An attacker's incremental update replacing one embedded file's content."""
    from tests.core.package.signing_helpers import swap_embedded

    dst.write_bytes(swap_embedded(src.read_bytes(), name, new))


def test_swapped_evidence_file_is_caught(built, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from greendesk.core.package import verify_package
    from greendesk.core.package.verify import embedded_files

    with open(built["zh_pdf"], "rb") as f:
        names = sorted(n for n in embedded_files(PdfFileReader(f, strict=False)) if n.startswith("evidence-"))
    target = names[0]
    swapped = tmp_path / "swapped.pdf"
    _swap_embedded(built["zh_pdf"], swapped, target, b"forged certificate content")
    with open(swapped, "rb") as f:
        assert embedded_files(PdfFileReader(f, strict=False))[target] == b"forged certificate content"
    r = verify_package(swapped)
    assert r["valid"] is False
    bad = [f for f in r["files"] if not f["ok"]]
    assert [f["name"] for f in bad] == [target]
    assert any("whole file" in p or "整个文件" in p for p in r["problems"])


def test_zip_bundle_holds_pdf_and_evidence(built):
    z = built["zh"]["zip"]
    assert z and Path(z).exists()
    with zipfile.ZipFile(z) as zf:
        names = zf.namelist()
        assert "pkg-zh.pdf" in names
        assert any(n.endswith("营业执照.png") for n in names)
        assert zf.read("pkg-zh.pdf") == built["zh_pdf"].read_bytes()


def test_seal_and_signature_widget_on_commitment_page(built):
    out = subprocess.run(["pdfimages", "-list", "-f", "3", "-l", "3", str(built["zh_pdf"])],
                         capture_output=True, text=True).stdout
    assert len(out.splitlines()) >= 3, out         # the seal image is drawn on the commitment page
    page3 = _squash(subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(built["zh_pdf"]), "-"],
                                   capture_output=True, text=True).stdout)
    assert "数字签名" in page3 and "签署日期" in page3


# --- refusals and cancellation ------------------------------------------------------------------

def test_wrong_passphrase_is_refused_and_nothing_written(built, tmp_path):
    from greendesk.core.package import export_package

    out = tmp_path / "x.pdf"
    with pytest.raises(UserError) as e:
        export_package(built["ws"], out, p12_path=built["p12"], passphrase="wrong")
    assert "passphrase" in e.value.en and "口令" in e.value.zh
    assert list(tmp_path.iterdir()) == []


def test_bad_seal_image_refused(built, tmp_path):
    from greendesk.core.package import export_package

    bad = tmp_path / "seal.png"
    bad.write_bytes(b"GIF89a not a png")
    with pytest.raises(UserError):
        export_package(built["ws"], tmp_path / "x.pdf", generate_cert=True, seal_png=bad)
    assert [p.name for p in tmp_path.iterdir()] == ["seal.png"]


@pytest.mark.parametrize("stop_at", [0.3, 0.7, 0.95])
def test_cancellation_leaves_nothing(built, tmp_path, stop_at):
    from greendesk.core.package import export_package

    seen = []

    def progress(f, msg):
        seen.append(f)

    with pytest.raises(Cancelled):
        export_package(built["ws"], tmp_path / "c.pdf", generate_cert=True, zip_bundle=True,
                       progress=progress, cancel=lambda: bool(seen) and seen[-1] >= stop_at)
    assert list(tmp_path.iterdir()) == []
    assert seen == sorted(seen)


def test_progress_is_monotonic_and_completes(built, tmp_path):
    from greendesk.core.package import export_package

    seen = []
    r = export_package(built["ws"], tmp_path / "p.pdf", lang="en", generate_cert=True,
                       progress=lambda f, m: seen.append((f, m)), timestamp_url="http://127.0.0.1:9/tsa")
    fr = [f for f, _ in seen]
    assert fr == sorted(fr) and fr[-1] == 1.0 and len(seen) > 10
    assert all(m for _, m in seen)
    assert r["timestamp"] is False and any("unreachable" in n for n in r["notes"])   # fell back to B-B
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.pdf"]


def test_heavy_libraries_not_imported_at_startup():
    code = ("import sys, greendesk.cli as c, greendesk.core.package; c.build_parser();"
            "bad=[m for m in ('reportlab','pyhanko','cryptography') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# --- the command line --------------------------------------------------------------------------

def test_cli_cert_export_verify(built, run_cli, tmp_path):
    env = {"GD_PW": "s3cret pass"}
    p12, pem = tmp_path / "org.p12", tmp_path / "org.pem"
    r = run_cli("cert", "new", "--org", "测试单位", "--out", p12, "--passphrase-env", "GD_PW", "--cert-out", pem, env=env)
    assert r.returncode == 0, r.stderr
    assert p12.exists() and pem.exists() and b"s3cret" not in p12.read_bytes()
    pkg = tmp_path / "pkg.pdf"
    r = run_cli("export", built["ws"], "--out", pkg, "--p12", p12, "--passphrase-env", "GD_PW", "--lang", "en",
                "--seal", built["seal"], "--zip", env=env)
    assert r.returncode == 0, r.stderr
    assert pkg.exists() and (tmp_path / "pkg.zip").exists()
    r = run_cli("verify", pkg, "--trust", pem)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "VALID" in r.stdout
    r = run_cli("verify", pkg, "--json")
    assert r.returncode == 3                   # intact, but the signer is not on record (issue 13)
    doc = json.loads(r.stdout)
    assert set(doc) >= {"valid", "signer", "signed_at", "trusted", "files", "problems"} and doc["valid"]
    # any change: exit 1
    data = bytearray(pkg.read_bytes())
    data[len(data) // 3] ^= 0x20
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(data))
    r = run_cli("verify", bad, "--json")
    assert r.returncode == 1 and json.loads(r.stdout)["valid"] is False
    # trust in someone else: exit 1
    r = run_cli("verify", pkg, "--trust", built["pem"])
    assert r.returncode == 1


def test_cli_refusals(built, run_cli, tmp_path):
    out = tmp_path / "x.pdf"
    r = run_cli("export", built["ws"], "--out", out, "--p12", built["p12"], "--passphrase-env", "GD_PW",
                env={"GD_PW": "not it"})
    assert r.returncode == 1 and "passphrase" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("export", built["ws"], "--out", out, "--p12", built["p12"], "--passphrase-env", "GD_PW", lang="zh",
                env={"GD_PW": "not it"})
    assert r.returncode == 1 and "口令错误" in r.stderr
    r = run_cli("export", built["ws"], "--out", out)                          # neither --p12 nor --generate-cert
    assert r.returncode == 2
    r = run_cli("export", built["ws"], "--out", out, "--p12", built["p12"], "--generate-cert")
    assert r.returncode == 2
    r = run_cli("export", built["ws"], "--out", out, "--p12", built["p12"])   # no passphrase source
    assert r.returncode == 2
    assert list(tmp_path.iterdir()) == []
    r = run_cli("verify", tmp_path / "missing.pdf")
    assert r.returncode == 1
    r = run_cli("verify", built["ws"], "--json")                              # not a PDF
    assert r.returncode == 1 and json.loads(r.stdout)["problems"]


def test_cli_export_generate_cert(built, run_cli, tmp_path):
    pkg = tmp_path / "g.pdf"
    r = run_cli("export", built["ws"], "--out", pkg, "--generate-cert", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["self_issued"] is True and doc["pages"] > 5
    assert run_cli("verify", pkg).returncode == 3          # intact; signer not on record


# --- timestamps (PAdES B-T) ----------------------------------------------------------------------

@pytest.fixture
def local_tsa():
    """A local RFC 3161 timestamp server (pyHanko's DummyTimeStamper behind http.server)."""
    from tests.core.package.signing_helpers import timestamp_server

    with timestamp_server() as (url, _pem):
        yield url


def test_timestamp_server_gives_pades_b_t(built, tmp_path, local_tsa):
    from greendesk.core.package import export_package, verify_package

    out = tmp_path / "bt.pdf"
    r = export_package(built["ws"], out, generate_cert=True, timestamp_url=local_tsa)
    assert r["timestamp"] is True and r["notes"] == []
    v = verify_package(out)
    assert v["valid"] is True and v["signed_at"], v
    pdfsig = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in pdfsig


def test_template_texts_are_complete_in_both_languages():
    """Every fixed text has Chinese and English with the same placeholders."""
    from string import Formatter

    from greendesk.core.package.templates import layout, texts

    def fields(s):
        return {f for _, f, _, _ in Formatter().parse(s) if f}

    bad = []

    def walk(node, path):
        if isinstance(node, dict) and "zh" in node:
            zh, en = node.get("zh"), node.get("en")
            if not (isinstance(zh, str) and isinstance(en, str) and zh and en):
                bad.append(f"{path}: missing a language")
            elif fields(zh) != fields(en):
                bad.append(f"{path}: placeholders differ {fields(zh)} vs {fields(en)}")
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(texts(), "texts")
    assert not bad, bad
    lay = layout()
    for key, widths in lay["columns"].items():
        assert abs(sum(widths) - 1) < 1e-6, key


def test_certificate_from_a_ca_chain(built, tmp_path):
    """A .p12 issued by a CA (with its chain): trusted through the root; the chain is protected too."""
    import datetime as dt

    from cryptography import x509 as cx
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
    from cryptography.x509.oid import NameOID

    from greendesk.core.package import export_package, verify_package

    now = dt.datetime.now(dt.UTC)

    def make(subject, issuer_name, key, issuer_key, ca):
        b = (cx.CertificateBuilder().subject_name(cx.Name([cx.NameAttribute(NameOID.COMMON_NAME, subject)]))
             .issuer_name(cx.Name([cx.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
             .public_key(key.public_key()).serial_number(cx.random_serial_number())
             .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=60))
             .add_extension(cx.BasicConstraints(ca=ca, path_length=None), critical=True))
        if ca:
            b = b.add_extension(cx.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                            crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        return b.sign(issuer_key, hashes.SHA256())

    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    org_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = make("Test Root CA", "Test Root CA", root_key, root_key, True)
    org = make("重庆渝锐精密压铸有限公司", "Test Root CA", org_key, root_key, False)
    org = (cx.CertificateBuilder().subject_name(org.subject).issuer_name(org.issuer).public_key(org_key.public_key())
           .serial_number(org.serial_number).not_valid_before(now - dt.timedelta(days=1))
           .not_valid_after(now + dt.timedelta(days=60))
           .add_extension(cx.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                      crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
           .sign(root_key, hashes.SHA256()))
    p12 = tmp_path / "ca.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"org", org_key, org, [root], BestAvailableEncryption(b"pw")))
    (tmp_path / "root.pem").write_bytes(root.public_bytes(Encoding.PEM))
    out = tmp_path / "ca.pdf"
    r = export_package(built["ws"], out, p12_path=p12, passphrase="pw")
    assert r["self_issued"] is False
    v = verify_package(out, trust=tmp_path / "root.pem")
    assert v["valid"] and v["trusted"], v
    # a change inside the embedded root certificate is caught as well
    raw = out.read_bytes()
    der_hex = root.public_bytes(Encoding.DER).hex().upper().encode()
    pos = raw.upper().find(der_hex[200:240])
    assert pos > 0
    bad = bytearray(raw)
    bad[pos + 10] = ord("0") if bad[pos + 10] != ord("0") else ord("1")
    (tmp_path / "bad.pdf").write_bytes(bytes(bad))
    assert verify_package(tmp_path / "bad.pdf")["valid"] is False


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_internal_indicator_ids_shown_to_the_reader(built, lang):
    """The next-steps table and the missing-benchmark list name indicators by title, not by their scheme ids."""
    from greendesk.core.schemes.registry import get_scheme
    from greendesk.core.workspace import Workspace

    with Workspace.open(built["ws"], readonly=True) as ws:
        scheme = get_scheme(ws.assessment()["scheme_id"])
    flat = _squash(_text(built[f"{lang}_pdf"]))
    shown = [i.id for i in scheme.indicators() if "_" in i.id and i.id in flat]
    assert not shown, f"raw indicator ids in the {lang} report: {shown}"


def test_an_indicator_calculated_from_the_ledgers_is_not_called_unanswered(built):
    """2.2 碳排放强度 has nothing to enter (it is computed from the ledgers): the report must not say 未填报
    right above its computed value."""
    flat = _squash(_text(built["zh_pdf"]))
    assert "未填报计算值" not in flat
    assert "数值由能源台账和基础数据计算" in flat
    assert "NotansweredComputedvalues" not in _squash(_text(built["en_pdf"]))


def test_basic_requirements_read_met_not_zero_of_zero(built):
    """The veto items earn no points: their headings say 符合 / Met, not 得分：0 / 0 and [0 / 0]."""
    zh = _squash(_text(built["zh_pdf"]))
    assert "得分：0/0" not in zh and "[0/0]" not in zh
    assert "1.1申报负面清单（近三年）符合" in zh
    en = _squash(_text(built["en_pdf"]))
    assert "Score:0/0" not in en and "[0/0]" not in en


def test_benchmarks_set_in_the_workspace_are_shown_with_their_source(built, tmp_path):
    """A 基准值/引领值 the applicant typed (e.g. from the evaluator) changes the score: the reader must see
    which figures were set, to what, and on what basis -- not only the resulting points."""
    from greendesk.core.package import export_package
    from greendesk.core.workspace import Workspace

    ws = tmp_path / "own.greendesk"
    shutil.copy(built["ws"], ws)
    with Workspace.open(ws) as w:
        w.set_benchmark(w.assessment()["scheme_id"], "solid_waste_use", 50, 95, source="评价机构函 2026-03",
                        set_by="刘晓燕")
    for lang in ("zh", "en"):
        pdf = tmp_path / f"own-{lang}.pdf"
        export_package(ws, pdf, lang=lang, p12_path=built["p12"], passphrase="correct horse")
        flat = _squash(_text(pdf))
        assert "评价机构函2026-03" in flat and "刘晓燕" in flat
        assert ("本单位采用的基准值" in flat) if lang == "zh" else ("Benchmarkssetbytheapplicant" in flat)
    assert _squash("无：全部采用评价方案的数值。") in _squash(_text(built["zh_pdf"]))


def test_a_failed_veto_is_named_by_its_title_in_the_conclusion(built, tmp_path):
    """评价结论 says which basic requirement failed by name (申报负面清单), not by its id (negative_list)."""
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.workspace import Workspace

    ws = tmp_path / "veto.greendesk"
    shutil.copy(built["ws"], ws)
    with Workspace.open(ws) as w:
        w.set_answer(w.assessment()["id"], "negative_list.operating", "no")
        for lang, title in (("zh", "申报负面清单"), ("en", "Negative list")):
            reason = collect_report_data(w, lang=lang).score["qualified_reason"]
            assert title in reason and "negative_list" not in reason, reason


def test_an_incomplete_report_names_missing_inputs_not_their_ids(tmp_path):
    """A draft with missing answers explains 'cannot compute: missing …' with the inputs' labels, not field ids
    such as energy_intensity.quota_applies or common.co2_t."""
    from greendesk.core import uscc
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.schemes.registry import get_scheme
    from greendesk.core.workspace import Workspace

    scheme = get_scheme("gbt36132-2025")
    ids = list(scheme.fields_by_id)
    with Workspace.create(tmp_path / "fresh.greendesk",
                          {"name": "测试工厂", "uscc": uscc.complete("91500113MA61RYP3X")}) as ws:
        ws.create_assessment(scheme.id, str(scheme.version), 2025)
        for lang in ("zh", "en"):
            d = collect_report_data(ws, lang=lang)
            texts = [i["explain"] for s in d.sections for i in s["indicators"]] + [g["hint"] for g in d.gaps]
            shown = sorted({f for f in ids if any(f in (t or "") for t in texts)})
            assert not shown, (lang, shown)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_monthly_energy_table_is_not_split_away_from_its_total(built, lang):
    """The months table (12 rows and a total) stays on one page: in English its total row was left alone
    on the next page under a repeated header."""
    pages = _text(built[f"{lang}_pdf"]).split("\f")
    first = next(i for i, p in enumerate(pages) if re.search(r"^\s*\d{4}-01\s", p, re.M))
    last = next(i for i, p in enumerate(pages) if re.search(r"^\s*\d{4}-12\s", p, re.M))
    assert first == last
    assert re.search(r"^\s*(合计|Total)\s+[\d,.]+", pages[last].split(re.search(r"\d{4}-12", pages[last]).group(0))[1],
                     re.M)
