"""``greendesk verify``: is the package intact, who signed it and when, have we seen that signer
before, and does every embedded file match the manifest?

The result keeps the original contract keys::

    {"valid", "signer", "signed_at", "trusted", "files": [{"name", "sha256", "ok"}], "problems": [...]}

and adds ``signed_at_source`` (timestamp / claimed), ``signer_fingerprint`` (SHA-256 of the
certificate), ``signer_uscc`` (from organizationIdentifier or serialNumber), ``factory_uscc``
and ``uscc_match``, ``signer_status`` (known / new / different_key, from the store of known
signers, :mod:`.trust`) and ``signatures``: every signature in revision order with its signer,
issuer, fingerprint, self-issued flag, claimed time, timestamp status, PAdES level, what it
covers and whether it is valid.

``valid`` is the bottom line: every signature is cryptographically valid and untouched (pyHanko's
``intact``; ``status.valid`` alone stays true after tampering); the last one covers the whole
file; each earlier one covers its revision and everything after it only adds signatures (an
evaluator's counter-signature, a document timestamp; pyHanko's difference analysis plus the
embedded files compared byte for byte with those the first signer signed); every timestamp
validates and lies inside the validity of its TSA certificate and of the signer's certificate
(a backdating timestamp server fails); the certificate's credit code, when it carries one, is
the factory's; and every file named in the manifest is present with its recorded size and
SHA-256, with nothing else embedded. Trust is reported apart: ``trusted`` needs a trust anchor
(``trust``) and a certificate valid at the proven signing time (the timestamp) or else now, so an
expired or not-yet-valid certificate is never trusted. :func:`exit_code` maps the result to the
command's exit code (0 trusted or known, 3 intact but not confirmed, 1 not valid).
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


def verify_package(pdf_path: str | Path, trust: str | Path | list | None = None, *,
                   known_signers: list[dict] | None = None) -> dict:
    """Check a signed GreenDesk package. Never raises for a bad file: problems say what is wrong.

    ``known_signers`` is the store of known signers (default: the user's, :mod:`.trust`).
    """
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

    try:
        reader = PdfFileReader(io.BytesIO(raw), strict=False)
        sigs = sorted(reader.embedded_signatures, key=lambda s: s.signed_revision)
    except Exception as e:  # noqa: BLE001 - a damaged file is a finding, not a crash
        return _result([t("不是可读取的 PDF，或文件已损坏：{e}", "Not a readable PDF, or the file is damaged: {e}", e=e)])
    if not sigs:
        return _result([t("文件没有数字签名。", "The file carries no digital signature.")])

    later_fields = [s.field_name for s in sigs]
    entries = []
    for i, sig in enumerate(sigs):
        try:
            entries.append(_check_signature(sig, raw, trust_roots, index=i, count=len(sigs),
                                            later_fields=set(later_fields[i + 1:]), problems=problems))
        except Exception as e:  # noqa: BLE001 - a malformed signature dictionary is a finding, not a crash
            return _result([t("签名无法验证：{e}", "The signature cannot be validated: {e}", e=e)])
    sig_ok = all(e["valid"] for e in entries)

    files, file_ok, manifest = _check_files(reader, problems)
    if len(sigs) > 1 and file_ok:
        file_ok = _files_unchanged_since(raw, sigs[0], reader, problems)

    author = entries[0]
    factory_uscc = (manifest or {}).get("uscc") or None
    factory_name = (manifest or {}).get("factory") or None
    uscc_match = None
    if author["uscc"] and factory_uscc:
        uscc_match = author["uscc"] == factory_uscc
        if not uscc_match:
            problems.append(t("签名证书的统一社会信用代码 {a} 与材料包中的工厂 {b} 不符。",
                              "The signer's certificate carries the credit code {a}, but the package is for the "
                              "factory {b}.", a=author["uscc"], b=factory_uscc))
    valid = sig_ok and file_ok and not problems

    # Who signed, and have we seen them before (the store of known signers).
    store_problem = None
    if known_signers is None:
        from greendesk.core.package import trust as trust_store

        try:
            known_signers = trust_store.load()
        except Exception as e:  # noqa: BLE001 - a damaged store must not stop a verification
            known_signers, store_problem = [], str(e)
    related_out = []
    for n, e in enumerate(entries):
        if not e["fingerprint"]:
            continue
        from greendesk.core.package.trust import signer_status

        orgs = (e["organization"], e["signer"]) + ((factory_name,) if n == 0 else ())
        usccs = (e["uscc"],) + ((factory_uscc,) if n == 0 else ())
        e["status"], related = signer_status(e["fingerprint"], organizations=orgs, usccs=usccs,
                                             signers=known_signers)
        if n == 0:
            related_out = [{k: r.get(k) for k in ("fingerprint", "name", "organization", "uscc", "added_at")}
                           for r in related]
    for e in entries[1:]:
        e.pop("certificate_pem", None)
    trusted = bool(trust_roots) and author["trusted"]
    if trust_roots and not trusted and sig_ok:
        problems.append(t("签名人证书不受信任：无法通过给定的信任证书验证（证书链不符、证书不在有效期内，或证书用途不允许签名）。",
                          "The signer's certificate is not trusted: it does not validate against the given "
                          "certificate (no chain to it, not valid at the time of signing, or its key usage does "
                          "not allow signing)."))
    if author["certificate_time"] != "valid" and author["fingerprint"]:
        problems.append(_cert_time_message(author))
    if store_problem:
        problems.append(store_problem)
    out = _result(problems, valid=valid, signer=author["signer"], signed_at=author["signed_at"],
                  trusted=trusted, files=files)
    out.update({
        "signed_at_source": author["signed_at_source"],
        "signer_fingerprint": author["fingerprint"],
        "signer_uscc": author["uscc"],
        "signer_organization": author["organization"],
        "signer_status": author.get("status"),
        "signer_known_keys": related_out if author.get("status") == "different_key" else [],
        "signer_certificate_pem": author.pop("certificate_pem", None),
        "factory": factory_name,
        "factory_uscc": factory_uscc,
        "uscc_match": uscc_match,
        "signatures": entries,
    })
    return out


def _result(problems: list[str], **kw) -> dict:
    return {"valid": kw.get("valid", False), "signer": kw.get("signer"), "signed_at": kw.get("signed_at"),
            "trusted": kw.get("trusted", False), "files": kw.get("files", []), "problems": problems,
            "signed_at_source": None, "signer_fingerprint": None, "signer_uscc": None,
            "signer_organization": None, "signer_status": None, "signer_known_keys": [],
            "signer_certificate_pem": None, "factory": None,
            "factory_uscc": None, "uscc_match": None, "signatures": []}


def exit_code(result: dict, trust_given: bool) -> int:
    """0 intact and the signer trusted (with a trust anchor) or known; 3 intact but the signer not
    confirmed (new, a different key, or a certificate outside its validity); 1 not valid."""
    if not result.get("valid"):
        return 1
    if trust_given:
        return 0 if result.get("trusted") else 1
    author = (result.get("signatures") or [{}])[0]
    ok = result.get("signer_status") == "known" and author.get("certificate_time") == "valid"
    return 0 if ok else 3


def _utc(d):
    import datetime as dt

    if d is None:
        return None
    return d if d.tzinfo else d.replace(tzinfo=dt.UTC)


def _cert_time_message(e: dict) -> str:
    when = t("时间戳时间", "the timestamp time") if e["signed_at_source"] == "timestamp" else t("现在", "now")
    if e["certificate_time"] == "expired":
        return t("签名证书已于 {d} 过期（按{w}核对），不视为受信任。",
                 "The signer's certificate expired on {d} (checked at {w}); it is not treated as trusted.",
                 d=e["cert_not_after"][:10], w=when)
    return t("签名证书在 {d} 之前无效（按{w}核对），不视为受信任。",
             "The signer's certificate is not valid before {d} (checked at {w}); it is not treated as trusted.",
             d=e["cert_not_before"][:10], w=when)


def _check_signature(sig, raw: bytes, trust_roots: list, *, index: int, count: int, later_fields: set,
                     problems: list[str]) -> dict:
    """One signature's findings; appends what is wrong with it to ``problems``."""
    import datetime as dt

    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from greendesk.core.package import certs

    is_doc_ts = str(sig.sig_object.get("/Type", "")) == "/DocTimeStamp"
    field = sig.field_name
    kind = ("document_timestamp" if is_doc_ts else "author" if index == 0 else "countersignature")
    reason = _text_or_none(sig.sig_object.get("/Reason"))
    e = {"number": index + 1, "field": field, "kind": kind, "role": reason if kind == "countersignature" else None,
         "revision": sig.signed_revision + 1, "signer": None, "organization": None, "uscc": None,
         "issuer": None, "fingerprint": None, "self_issued": None, "cert_not_before": None,
         "cert_not_after": None, "certificate_time": None, "signed_at": None, "signed_at_source": None,
         "claimed_time": None, "timestamp": {"status": "none", "time": None, "tsa": None},
         "pades_level": None, "covers": None, "signed_bytes": None, "valid": False, "trusted": False, "status": None,
         "revocation": None, "problems": []}
    mine: list[str] = []
    pem = None

    def finish() -> dict:
        e["problems"] = mine
        e["certificate_pem"] = pem
        problems.extend(mine if count == 1 else [f"{_sig_label(e)}: {m}" for m in mine])
        return e

    try:
        vc = ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail")
        if is_doc_ts:
            st = validate_pdf_timestamp(sig, validation_context=vc)
        else:
            # Either key usage that allows signing documents will do (pyHanko demands non-repudiation).
            ku = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
            st = validate_pdf_signature(sig, vc, key_usage_settings=ku)
    except Exception as ex:  # noqa: BLE001
        mine.append(t("签名无法验证：{e}", "The signature cannot be validated: {e}", e=ex))
        return finish()

    cert = None
    try:
        cert = certs._crypto_cert(st.signing_cert)
        e["signer"] = certs.cert_display_name(cert)
        e["organization"] = certs.cert_organization(cert) or None
        e["uscc"] = certs.cert_uscc(cert)
        e["issuer"] = _name_text(cert.issuer)
        e["fingerprint"] = certs.fingerprint(cert)
        e["self_issued"] = certs.is_self_issued(cert) or cert.issuer == cert.subject
        e["cert_not_before"] = cert.not_valid_before_utc.isoformat()
        e["cert_not_after"] = cert.not_valid_after_utc.isoformat()
        from cryptography.hazmat.primitives.serialization import Encoding

        pem = cert.public_bytes(Encoding.PEM).decode("ascii")
        from greendesk.core.package.revocation import revocation_of

        e["revocation"] = revocation_of(cert)   # offline: never checked, only where it could be
    except Exception:  # noqa: BLE001 - an unreadable certificate: the CMS check below fails it
        cert = None

    if not st.intact:
        mine.append(t("签名后文件内容被改动（摘要不符）。", "The file was changed after signing (digest mismatch)."))
    if not st.valid:
        mine.append(t("签名值无效。", "The signature value is not valid."))

    # What the signature covers: the last one the whole file; an earlier one its revision, with
    # nothing after it but further signatures (a counter-signature, a document timestamp).
    last = index == count - 1
    if last:
        covers_ok = st.coverage == SignatureCoverageLevel.ENTIRE_FILE
        e["covers"] = "entire_file" if covers_ok else "partial"
        if not covers_ok:
            mine.append(t("签名未覆盖整个文件：签名后又追加了内容。",
                          "The signature does not cover the whole file: content was added after signing."))
    else:
        diff = getattr(st, "diff_result", None)
        covers_ok = (st.coverage == SignatureCoverageLevel.ENTIRE_REVISION and isinstance(diff, DiffResult)
                     and diff.modification_level.value <= ModificationLevel.FORM_FILLING.value
                     and set(diff.changed_form_fields) <= later_fields)
        e["covers"] = "revision_then_signatures_only" if covers_ok else "partial"
        if not covers_ok:
            mine.append(t("签名后文件被改动：之后的修订不只是追加签名。",
                          "The file was changed after this signature: the later revisions do more than add "
                          "signatures."))

    try:
        br = [int(x) for x in sig.sig_object["/ByteRange"]]
        e["signed_bytes"] = br[2] + br[3]
    except Exception:  # noqa: BLE001
        pass
    cms_ok = _contents_padding_ok(raw, sig.sig_object["/ByteRange"]) and (is_doc_ts or _signing_cert_matches(sig))
    if not cms_ok:
        mine.append(t("签名数据区被改动（签名证书或填充与签名记录不符）。",
                      "The signature data was altered (the certificate or padding does not match what was signed)."))

    # Time: a timestamp counts only when its token validates and it lies inside both certificates' validity.
    claimed = None if is_doc_ts else _utc(getattr(st, "signer_reported_dt", None))
    e["claimed_time"] = claimed.isoformat() if claimed else None
    tsv = st if is_doc_ts else st.timestamp_validity
    ts_ok = True
    ts_time = None
    if tsv is not None:
        ts_time = _utc(tsv.timestamp)
        tsa = None
        try:
            tsa_cert = certs._crypto_cert(tsv.signing_cert)
            tsa = certs.cert_display_name(tsa_cert)
        except Exception:  # noqa: BLE001
            tsa_cert = None
        e["timestamp"] = {"status": None, "time": ts_time.isoformat() if ts_time else None, "tsa": tsa}
        if not (tsv.intact and tsv.valid) or tsa_cert is None or ts_time is None:
            status = "invalid"
            mine.append(t("时间戳无效。", "The timestamp is not valid."))
        elif not tsa_cert.not_valid_before_utc <= ts_time <= tsa_cert.not_valid_after_utc:
            status = "outside_tsa_certificate_validity"
            mine.append(t("时间戳时间 {w} 不在时间戳服务器证书的有效期内：时间戳不可信。",
                          "The timestamp time {w} lies outside the timestamp server's certificate validity: "
                          "the timestamp cannot be relied on.", w=ts_time.isoformat()))
        elif cert is not None and not (cert.not_valid_before_utc <= ts_time <= cert.not_valid_after_utc):
            status = "outside_certificate_validity"
            mine.append(t("时间戳时间 {w} 不在签名证书有效期（{a} 至 {b}）内：时间戳不可信，签名时间无法证明。",
                          "The timestamp time {w} lies outside the signer's certificate validity ({a} to {b}): "
                          "the timestamp cannot be relied on and the signing time is not proven.",
                          w=ts_time.isoformat(), a=e["cert_not_before"][:10], b=e["cert_not_after"][:10]))
        else:
            status = "trusted" if tsv.trusted else "verified"
        e["timestamp"]["status"] = status
        ts_ok = status in ("verified", "trusted")
    if tsv is not None and ts_ok:
        e["signed_at"], e["signed_at_source"] = ts_time.isoformat(), "timestamp"
    elif claimed:
        e["signed_at"], e["signed_at_source"] = claimed.isoformat(), "claimed"

    # Is the certificate valid at the proven time of signing (the timestamp), else now?
    if cert is not None:
        ref = ts_time if (tsv is not None and ts_ok) else dt.datetime.now(dt.UTC)
        e["certificate_time"] = ("not_yet_valid" if ref < cert.not_valid_before_utc else
                                 "expired" if ref > cert.not_valid_after_utc else "valid")
    e["pades_level"] = _pades_level(sig, tsv is not None and ts_ok, is_doc_ts)
    e["valid"] = bool(st.intact and st.valid and covers_ok and cms_ok and ts_ok and cert is not None)
    e["trusted"] = bool(trust_roots) and bool(st.trusted) and e["valid"] and e["certificate_time"] == "valid"
    return finish()


def _sig_label(e: dict) -> str:
    what = {"author": t("签名", "signature"), "countersignature": t("复核签名", "countersignature"),
            "document_timestamp": t("文档时间戳", "document timestamp")}[e["kind"]]
    return t("第 {n} 个签名（{w}，{s}）", "Signature {n} ({w}, {s})", n=e["number"], w=what, s=e["signer"] or e["field"])


def _pades_level(sig, has_ts: bool, is_doc_ts: bool) -> str | None:
    if is_doc_ts:
        return None
    if not has_ts:
        return "B-B"
    try:
        root = sig.reader.root
        has_dss = "/DSS" in root
        lta = any(str(s.sig_object.get("/Type", "")) == "/DocTimeStamp" and s.signed_revision > sig.signed_revision
                  for s in sig.reader.embedded_signatures)
    except Exception:  # noqa: BLE001
        has_dss = lta = False
    if has_dss and lta:
        return "B-LTA"
    return "B-LT" if has_dss else "B-T"


def _text_or_none(v) -> str | None:
    if v is None:
        return None
    try:
        return str(v.get_object() if hasattr(v, "get_object") else v)
    except Exception:  # noqa: BLE001
        return None


def _name_text(name) -> str:
    from cryptography.x509.oid import NameOID

    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        v = name.get_attributes_for_oid(oid)
        if v:
            return str(v[0].value)
    return name.rfc4514_string()


def _files_unchanged_since(raw: bytes, first_sig, reader, problems: list[str]) -> bool:
    """The embedded files are byte for byte those the first signer signed (counter-signatures add none)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        a, b, c, d = (int(x) for x in first_sig.sig_object["/ByteRange"])
        signed = PdfFileReader(io.BytesIO(raw[:c + d]), strict=False)
        same = embedded_files(signed) == embedded_files(reader)
    except Exception:  # noqa: BLE001
        same = False
    if not same:
        problems.append(t("第一个签名之后内嵌文件被改动。", "The embedded files were changed after the first signature."))
    return same


def _check_files(reader, problems: list[str]) -> tuple[list[dict], bool, dict | None]:
    try:
        emb = embedded_files(reader)
    except Exception as e:  # noqa: BLE001
        problems.append(t("无法读取内嵌文件：{e}", "Cannot read the embedded files: {e}", e=e))
        return [], False, None
    if MANIFEST_NAME not in emb:
        problems.append(t("缺少文件清单（{m}）。", "The manifest ({m}) is missing.", m=MANIFEST_NAME))
        return ([{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "ok": False} for n, d in sorted(emb.items())],
                False, None)
    try:
        manifest = json.loads(emb[MANIFEST_NAME].decode("utf-8"))
        entries = manifest["files"]
    except (ValueError, KeyError, TypeError) as e:
        problems.append(t("文件清单无法解析：{e}", "The manifest cannot be read: {e}", e=e))
        return [], False, None
    if not isinstance(manifest, dict) or not isinstance(entries, list):
        problems.append(t("文件清单无法解析：{e}", "The manifest cannot be read: {e}", e="files"))
        return [], False, None
    files, ok = [], True
    listed = set()
    for ent in entries:
        name = ent.get("name") if isinstance(ent, dict) else None
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
    return files, ok, manifest


# --- the verdict in words (the CLI and the app say the same) ------------------------------------------

STATUS_TEXT = {
    "known": ("已知签名人（本机曾记住此证书）", "known signer (this computer has this certificate on record)"),
    "new": ("新签名人（本机未记录）", "new signer (not on record on this computer)"),
    "different_key": ("与该工厂以前使用的密钥不同！", "DIFFERENT KEY than this factory used before!"),
}
TIMESTAMP_TEXT = {
    "none": ("无时间戳", "no timestamp"),
    "verified": ("时间戳有效（时间戳服务器不在信任列表中）",
                 "timestamp verified (the timestamp server is not in a trust list)"),
    "trusted": ("时间戳有效且受信任", "timestamp verified and trusted"),
    "invalid": ("时间戳无效", "timestamp NOT valid"),
    "outside_certificate_validity": ("时间戳不在签名证书有效期内", "timestamp outside the signer's certificate validity"),
    "outside_tsa_certificate_validity": ("时间戳不在服务器证书有效期内",
                                         "timestamp outside the timestamp server's certificate validity"),
}


def when_note(source: str | None) -> str:
    """How the signing time is known: proven by a timestamp, or only claimed by the signer."""
    if source == "timestamp":
        return t("（时间戳证明）", " (proven by the timestamp)")
    if source == "claimed":
        return t("（签名人自称，未经证明）", " (claimed by the signer, not proven)")
    return ""


def signer_summary(r: dict) -> list[str]:
    """Who signed, in sentences: fingerprint, credit code, on record or not, and every further signature."""
    from greendesk.core.package.certs import fingerprint_display

    lines = []
    if r.get("signer_fingerprint"):
        lines.append(t("签名证书指纹（SHA-256）：{f}", "Signing certificate fingerprint (SHA-256): {f}",
                       f=fingerprint_display(r["signer_fingerprint"])))
    m = r.get("uscc_match")
    if m is True:
        lines.append(t("证书载明统一社会信用代码 {u}，与材料包中的工厂一致。",
                       "The certificate carries the credit code {u}, the factory's in the package.", u=r["signer_uscc"]))
    elif m is False:
        lines.append(t("证书载明的统一社会信用代码 {u} 与材料包中的工厂 {f} 不符！",
                       "The certificate carries the credit code {u}, NOT the factory's {f}!",
                       u=r["signer_uscc"], f=r.get("factory_uscc")))
    elif r.get("signer_fingerprint"):
        lines.append(t("证书中没有统一社会信用代码。", "The certificate carries no credit code."))
    from greendesk.core.package.revocation import revocation_sentence

    rev = revocation_sentence(((r.get("signatures") or [{}])[0]).get("revocation"))
    if rev:
        lines.append(rev)
    status = r.get("signer_status")
    if status == "known":
        lines.append(t("本机已记录此签名人（同一证书）。", "This computer has this signer on record (the same certificate)."))
    elif status == "new":
        lines.append(t("本机未记录此签名人：接收方应通过电话等其他渠道核对上面的指纹。",
                       "This signer is not on record on this computer: recipients should confirm the fingerprint "
                       "above by another channel (e.g. by phone)."))
    elif status == "different_key":
        keys = "、".join(fingerprint_display(k["fingerprint"])[:23] + "…" for k in r.get("signer_known_keys") or [])
        lines.append(t("警告：该工厂以前在本机使用的是另一把密钥（{k}）。这可能是冒名签名，也可能是换了证书：请核对。",
                       "Warning: this factory used a different key before on this computer ({k}). This may be an "
                       "impostor or a renewed certificate: confirm it.", k=keys))
    for e in (r.get("signatures") or [])[1:]:
        what = t("复核签名", "Countersignature") if e["kind"] == "countersignature" else t("文档时间戳", "Document timestamp")
        role = t("（{r}）", " ({r})", r=e["role"]) if e.get("role") else ""
        lines.append(t("{w}{r}：{s}，{d}{n}，{v}。", "{w}{r}: {s}, {d}{n}, {v}.", w=what, r=role,
                       s=e.get("signer") or "—", d=e.get("signed_at") or "—", n=when_note(e.get("signed_at_source")),
                       v=t("有效", "valid") if e["valid"] else t("无效", "NOT valid")))
    return lines
