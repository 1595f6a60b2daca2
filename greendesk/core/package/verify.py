"""``greendesk verify``: is the package intact, who signed it and when, is the signer trusted,
and does every embedded file match the manifest?

The result has exactly the contract shape::

    {"valid", "signer", "signed_at", "trusted", "files": [{"name", "sha256", "ok"}], "problems": [...]}

``valid`` is the bottom line: the signature is cryptographically valid, the signed bytes
are untouched (pyHanko's ``intact``; ``status.valid`` alone stays true after tampering),
the signature covers the whole file, and every file named in the manifest is present
with its recorded size and SHA-256, with nothing else embedded. Trust is reported apart,
in ``trusted``; when a trust anchor is given (``trust``) an untrusted signer is also listed
in ``problems`` (and ``greendesk verify`` exits 1), without making ``valid`` false.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from pathlib import Path

from greendesk.core.i18n import t
from greendesk.core.package.sign import MANIFEST_NAME


def _result(problems: list[str], **kw) -> dict:
    return {"valid": kw.get("valid", False), "signer": kw.get("signer"), "signed_at": kw.get("signed_at"),
            "trusted": kw.get("trusted", False), "files": kw.get("files", []), "problems": problems}


def _load_certs(path: str | Path) -> list:
    from asn1crypto import pem, x509

    data = Path(path).read_bytes()
    certs = []
    if pem.detect(data):
        for _type, _headers, der in pem.unarmor(data, multiple=True):
            if _type == "CERTIFICATE":
                certs.append(x509.Certificate.load(der))
    else:
        certs.append(x509.Certificate.load(data))
    for c in certs:
        c.native  # noqa: B018 - parse now, so a broken file fails here
    return certs


def _walk_name_tree(node, out: dict, depth: int = 0) -> None:
    if depth > 32:
        return
    node = node.get_object()
    if "/Names" in node:
        arr = node["/Names"]
        for i in range(0, len(arr) - 1, 2):
            out[str(arr[i])] = arr[i + 1].get_object()
    for kid in node.get("/Kids", []) or []:
        _walk_name_tree(kid, out, depth + 1)


def embedded_files(reader) -> dict[str, bytes]:
    """Name -> content of every file in the EmbeddedFiles name tree (the latest revision)."""
    root = reader.root
    out: dict = {}
    names = root.get("/Names")
    if names is None:
        return {}
    names = names.get_object()
    if "/EmbeddedFiles" not in names:
        return {}
    specs: dict = {}
    _walk_name_tree(names["/EmbeddedFiles"], specs)
    for key, spec in specs.items():
        ef = spec.get("/EF")
        if ef is None:
            continue
        ef = ef.get_object()
        stream = (ef.get("/UF") or ef.get("/F")).get_object()
        out[key] = stream.data
    return out


def _contents_padding_ok(raw: bytes, byte_range) -> bool:
    """The unsigned gap holds ``<hex>``: the DER signature then only zero padding.

    The ByteRange leaves the /Contents value out of the digest; a change in its padding
    would otherwise go unnoticed.
    """
    try:
        a, b, c, _d = (int(x) for x in byte_range)
        gap = raw[a + b: c]
        if not (gap.startswith(b"<") and gap.endswith(b">")):
            return False
        hexpart = gap[1:-1]
        if not re.fullmatch(rb"[0-9a-fA-F]*", hexpart):
            return False
        der = bytes.fromhex(hexpart.decode("ascii"))
        # DER length of the outer SEQUENCE
        if len(der) < 2 or der[0] != 0x30:
            return False
        ln = der[1]
        if ln < 0x80:
            end = 2 + ln
        else:
            k = ln & 0x7F
            end = 2 + k + int.from_bytes(der[2:2 + k], "big")
        return end <= len(der) and not any(der[end:]) and _der_ok(der, 0, end)
    except (ValueError, TypeError, IndexError):
        return False


def _der_ok(buf: bytes, pos: int, end: int, depth: int = 0) -> bool:
    """Every element between ``pos`` and ``end`` is well-formed DER and exactly fills its parent.

    A changed length byte can otherwise be absorbed by the zero padding or by a lenient parser.
    """
    if depth > 40:
        return False
    while pos < end:
        tag = buf[pos]
        pos += 1
        if tag == 0:                                 # end-of-contents: BER only, never in DER
            return False
        if tag & 0x1F == 0x1F:                       # high tag number form
            while buf[pos] & 0x80:
                pos += 1
            pos += 1
        first = buf[pos]
        pos += 1
        if first < 0x80:
            length = first
        else:
            k = first & 0x7F
            if k == 0 or k > 4 or buf[pos] == 0:    # indefinite or non-minimal length: not DER
                return False
            length = int.from_bytes(buf[pos:pos + k], "big")
            if length < 0x80:
                return False
            pos += k
        if pos + length > end:
            return False
        if tag & 0x20 and not _der_ok(buf, pos, pos + length, depth + 1):
            return False
        pos += length
    return pos == end


def _signing_cert_matches(sig) -> bool:
    """The certificate carried in the signature is byte for byte the one the signer signed for.

    The certificates in the CMS are outside the signed attributes; PAdES binds the signer's
    certificate through the signed ESS signing-certificate(-v2) attribute (its hash). Every
    other certificate must at least parse.
    """
    try:
        attrs = {a["type"].native: a for a in sig.signer_info["signed_attrs"]}
        a = attrs.get("signing_certificate_v2")
        if a is not None:
            cid = a["values"][0]["certs"][0]
            alg = cid["hash_algorithm"]["algorithm"].native if cid["hash_algorithm"].native else "sha256"
        else:
            a = attrs.get("signing_certificate")
            if a is None:
                return False
            cid = a["values"][0]["certs"][0]
            alg = "sha1"
        expected = cid["cert_hash"].native
        actual = hashlib.new(alg, sig.signer_cert.dump()).digest()
        if actual != expected:
            return False
        return _cms_structure_ok(sig)
    except Exception:  # noqa: BLE001 - any parse failure means altered data
        return False


def _cms_structure_ok(sig) -> bool:
    """The unsigned parts of the CMS are consistent: a change there is tampering too.

    Checks the digest algorithm list against the signer's, the detached "data" content,
    and every certificate's own signature whenever its issuer is in the set.
    """
    from cryptography import x509 as cx509

    sd = sig.signed_data
    si = sig.signer_info
    if len(sd["signer_infos"]) != 1 or sd["version"].native not in ("v1", "v3"):
        return False
    sid_kind = si["sid"].name
    if si["version"].native != ("v1" if sid_kind == "issuer_and_serial_number" else "v3"):
        return False
    if si["digest_algorithm"].dump() not in {d.dump() for d in sd["digest_algorithms"]}:
        return False
    eci = sd["encap_content_info"]
    if eci["content_type"].native != "data" or eci["content"].native is not None:
        return False
    certs = [cx509.load_der_x509_certificate(c.chosen.dump()) for c in sd["certificates"] or []]
    if not certs:
        return False
    for c in certs:
        issuers = [i for i in certs if i.subject == c.issuer]
        if not issuers:
            continue  # issued by someone outside the set: trust validation decides
        ok = False
        for i in issuers:
            try:
                c.verify_directly_issued_by(i)
                ok = True
                break
            except Exception:  # noqa: BLE001, S112 - try the next candidate
                continue
        if not ok:
            return False
    return True


def verify_package(pdf_path: str | Path, trust: str | Path | list | None = None) -> dict:
    """Check a signed GreenDesk package. Never raises for a bad file: problems say what is wrong."""
    # A damaged signature makes pyHanko log tracebacks; the findings are reported in ``problems``.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    problems: list[str] = []
    try:
        raw = Path(pdf_path).read_bytes()
    except OSError as e:
        return _result([t("无法读取文件：{e}", "Cannot read the file: {e}", e=e.strerror or e)])

    trust_roots = []
    if trust:
        try:
            for p in (trust if isinstance(trust, (list, tuple)) else [trust]):
                trust_roots += _load_certs(p)
        except Exception as e:  # noqa: BLE001 - report, do not crash
            return _result([t("无法读取信任证书 {p}：{e}", "Cannot read the trusted certificate {p}: {e}", p=trust, e=e)])

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(raw), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as e:  # noqa: BLE001 - a damaged file is a finding, not a crash
        return _result([t("不是可读取的 PDF，或文件已损坏：{e}", "Not a readable PDF, or the file is damaged: {e}", e=e)])
    if not sigs:
        return _result([t("文件没有数字签名。", "The file carries no digital signature.")])

    signer = signed_at = None
    trusted = bool(trust_roots)
    sig_ok = True
    for sig in sigs:
        try:
            vc = ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail")
            # Either key usage that allows signing documents will do (pyHanko demands non-repudiation).
            ku = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
            st = validate_pdf_signature(sig, vc, key_usage_settings=ku)
        except Exception as e:  # noqa: BLE001
            problems.append(t("签名无法验证：{e}", "The signature cannot be validated: {e}", e=e))
            sig_ok = trusted = False
            continue
        try:
            cert = st.signing_cert
            signer = cert.subject.native.get("common_name") or cert.subject.human_friendly
        except Exception:  # noqa: BLE001
            signer = signer or None
        ts = None
        if st.timestamp_validity is not None:
            ts = st.timestamp_validity.timestamp
        when = ts or st.signer_reported_dt
        signed_at = when.isoformat() if when else None
        if not st.intact:
            problems.append(t("签名后文件内容被改动（摘要不符）。", "The file was changed after signing (digest mismatch)."))
        if not st.valid:
            problems.append(t("签名值无效。", "The signature value is not valid."))
        from pyhanko.sign.validation.status import SignatureCoverageLevel

        if st.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            problems.append(t("签名未覆盖整个文件：签名后又追加了内容。",
                              "The signature does not cover the whole file: content was added after signing."))
        cms_ok = _contents_padding_ok(raw, sig.sig_object["/ByteRange"]) and _signing_cert_matches(sig)
        if not cms_ok:
            problems.append(t("签名数据区被改动（签名证书或填充与签名记录不符）。",
                              "The signature data was altered (the certificate or padding does not match what was signed)."))
        tsv = st.timestamp_validity
        if tsv is not None and not (tsv.intact and tsv.valid):
            problems.append(t("时间戳无效。", "The timestamp is not valid."))
            cms_ok = False
        if not (st.intact and st.valid and st.coverage == SignatureCoverageLevel.ENTIRE_FILE and cms_ok):
            sig_ok = False
        if not st.trusted:
            trusted = False
    files, file_ok = _check_files(reader, problems)
    valid = sig_ok and file_ok and not problems
    if trust_roots and not trusted and sig_ok:
        problems.append(t("签名人证书不受信任：无法通过给定的信任证书验证（证书链不符，或证书用途不允许签名）。",
                          "The signer's certificate is not trusted: it does not validate against the given "
                          "certificate (no chain to it, or its key usage does not allow signing)."))
    return _result(problems, valid=valid, signer=signer, signed_at=signed_at, trusted=trusted, files=files)


def _check_files(reader, problems: list[str]) -> tuple[list[dict], bool]:
    try:
        emb = embedded_files(reader)
    except Exception as e:  # noqa: BLE001
        problems.append(t("无法读取内嵌文件：{e}", "Cannot read the embedded files: {e}", e=e))
        return [], False
    if MANIFEST_NAME not in emb:
        problems.append(t("缺少文件清单（{m}）。", "The manifest ({m}) is missing.", m=MANIFEST_NAME))
        return [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "ok": False} for n, d in sorted(emb.items())], False
    try:
        manifest = json.loads(emb[MANIFEST_NAME].decode("utf-8"))
        entries = manifest["files"]
    except (ValueError, KeyError, TypeError) as e:
        problems.append(t("文件清单无法解析：{e}", "The manifest cannot be read: {e}", e=e))
        return [], False
    files, ok = [], True
    listed = set()
    for ent in entries:
        name = ent.get("name")
        listed.add(name)
        data = emb.get(name)
        if data is None:
            files.append({"name": name, "sha256": None, "ok": False})
            problems.append(t("清单中的文件缺失：{n}", "File listed in the manifest is missing: {n}", n=name))
            ok = False
            continue
        sha = hashlib.sha256(data).hexdigest()
        good = sha == ent.get("sha256") and (ent.get("size") is None or ent.get("size") == len(data))
        files.append({"name": name, "sha256": sha, "ok": good})
        if not good:
            problems.append(t("文件与清单不符（SHA-256 或大小不同）：{n}",
                              "File does not match the manifest (SHA-256 or size differs): {n}", n=name))
            ok = False
    for name in sorted(set(emb) - listed - {MANIFEST_NAME}):
        files.append({"name": name, "sha256": hashlib.sha256(emb[name]).hexdigest(), "ok": False})
        problems.append(t("内嵌了清单之外的文件：{n}", "A file not in the manifest is embedded: {n}", n=name))
        ok = False
    return files, ok
