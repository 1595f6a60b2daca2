"""Embedding the package's files and signing it (pyHanko, PAdES B-B; B-T with a reachable timestamp server).

The files and the signature go into one incremental update written in a single pass,
so signing is the last write and covers the whole file.
"""

from __future__ import annotations

import datetime as _dt
import io
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import BinaryIO

from greendesk.core.errors import Cancelled, UserError
from greendesk.core.package.certs import SigningIdentity

SIG_FIELD = "GreenDeskSignature"
MANIFEST_NAME = "greendesk-manifest.json"
DATA_NAME = "greendesk-answers-scores.json"

# Content that is already compressed gains nothing from Flate and costs time.
_COMPRESSIBLE_PREFIXES = ("text/", "application/json", "application/xml", "application/csv",
                          "application/x-yaml", "image/bmp", "image/svg", "application/rtf")

log = logging.getLogger(__name__)


def _pyhanko_signer(identity: SigningIdentity):
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = x509.Certificate.load(identity.cert.public_bytes(Encoding.DER))
    key = keys.PrivateKeyInfo.load(identity.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
    chain = [x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in identity.chain]
    # The registry holds only the further chain: the signer's certificate is embedded once.
    return _LoadedKeySigner(identity.key, signing_cert=cert, signing_key=key,
                            cert_registry=SimpleCertificateStore.from_certs(chain))


def _loaded_key_signer_class():
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class LoadedKeySigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner, signing with the key object already loaded from the .p12.

        SimpleSigner parses the key from DER at every signature, and pyHanko signs twice (a dry run
        to size the signature, then the real one): each parse of an RSA key re-checks it (about
        35 ms of CPU). Mechanisms other than RSA PKCS#1 v1.5 and ECDSA go to SimpleSigner unchanged.
        """

        def __init__(self, key, **kw):
            super().__init__(**kw)
            self._key = key

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mech = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algo = mech.signature_algo
            except ValueError:
                algo = mech["algorithm"].native
            if algo == "rsassa_pkcs1v15" and isinstance(self._key, RSAPrivateKey):
                return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            if algo == "ecdsa" and isinstance(self._key, EllipticCurvePrivateKey):
                return self._key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
            return super().sign_raw(data, digest_algorithm)

    return LoadedKeySigner


def _LoadedKeySigner(key, **kw):  # noqa: N802 - a class made on first use (pyHanko is imported lazily)
    global _LOADED_KEY_SIGNER
    if _LOADED_KEY_SIGNER is None:
        _LOADED_KEY_SIGNER = _loaded_key_signer_class()
    return _LOADED_KEY_SIGNER(key, **kw)


_LOADED_KEY_SIGNER = None


def timestamper_for(url: str | None, notes: list[str]):
    """An HTTP timestamper when ``url`` is set and answers; otherwise None (B-B) with a note why."""
    if not url:
        return None
    try:
        from pyhanko.sign.timestamps import HTTPTimeStamper
    except ImportError as e:  # aiohttp missing
        notes.append(f"timestamp: {e}")
        return None
    try:
        req = urllib.request.Request(url, method="HEAD")
        urllib.request.urlopen(req, timeout=4).close()
    except urllib.error.HTTPError:
        pass  # the server answered (TSAs often refuse HEAD): it is reachable
    except (OSError, ValueError) as e:
        notes.append(f"timestamp server {url} unreachable ({e}); signed without a timestamp (PAdES B-B)")
        return None
    return HTTPTimeStamper(url, timeout=10)


def _empty_stamp_style():
    from dataclasses import dataclass

    from pyhanko.stamp.base import BaseStamp, BaseStampStyle

    class _EmptyStamp(BaseStamp):
        def _render_inner_content(self):
            return []

    @dataclass(frozen=True)
    class _EmptyStampStyle(BaseStampStyle):
        def create_stamp(self, writer, box, text_params):
            return _EmptyStamp(writer, self, box)

    return _EmptyStampStyle(border_width=0, background=None)


def embed_and_sign(report_pdf: bytes, files: list[dict], out: BinaryIO, identity: SigningIdentity, *,
                   seal_page: int | None = None, seal_rect: tuple | None = None, reason: str = "",
                   location: str = "", timestamp_url: str | None = None,
                   progress: Callable[[float], None] | None = None,
                   cancel: Callable[[], bool] | None = None, structure: list[dict] | None = None,
                   lang: str | None = None) -> dict:
    """Embed ``files`` ({name, data, mime, description}) into the report and sign it into ``out``.

    The signature field sits over the seal place drawn by the report (``seal_page``,
    ``seal_rect``) with an empty appearance, so viewers show the drawn seal and let the
    user click it to see the signature. Returns {"timestamp": bool, "notes": [...]}.
    """
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.sign import fields, signers

    from greendesk.core.package import pdfa

    notes: list[str] = []
    w = pdfa.PdfAWriter(io.BytesIO(report_pdf), strict=False)
    pdfa.prepare(w)
    if structure:
        from greendesk.core.package.tagging import write_structure

        write_structure(w, structure, lang)   # the report's structure tree (render_report's "structure")
    total = sum(len(f["data"]) for f in files) or 1
    done = 0
    now = _dt.datetime.now().astimezone().replace(microsecond=0)
    for f in files:
        if cancel and cancel():
            raise Cancelled()
        mime = f.get("mime") or "application/octet-stream"
        compress = mime.startswith(_COMPRESSIBLE_PREFIXES) and len(f["data"]) < 64 * 1024 * 1024
        ef = embed.EmbeddedFileObject.from_file_data(
            w, data=f["data"], compress=compress, mime_type=mime,
            params=embed.EmbeddedFileParams(embed_size=True, embed_checksum=False,
                                            modification_date=f.get("modified") or now))
        embed.embed_file(w, embed.FileSpec(
            file_spec_string=f["name"], file_name=f["name"], embedded_data=ef, description=f.get("description"),
            af_relationship=generic.NameObject("/Data" if f.get("kind") == "data" else "/Supplement")))
        done += len(f["data"])
        if progress:
            progress(0.7 * done / total)

    if cancel and cancel():
        raise Cancelled()
    ts = timestamper_for(timestamp_url, notes)
    meta = signers.PdfSignatureMetadata(
        field_name=SIG_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason or None, location=location or None, name=identity.name)
    if seal_rect is not None and seal_page is not None:
        box = tuple(int(round(v)) for v in seal_rect)
        spec = fields.SigFieldSpec(SIG_FIELD, on_page=seal_page, box=box)
        # The seal, the signer and the date are already drawn on the page; keep the widget transparent
        # (an empty appearance: no text, so no unembedded stamp font either).
        style = _empty_stamp_style()
    else:
        spec = fields.SigFieldSpec(SIG_FIELD)
        style = None
    signer = _pyhanko_signer(identity)
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=ts, stamp_style=style, new_field_spec=spec)
    try:
        pdf_signer.sign_pdf(w, output=out, chunk_size=1 << 20)
    except Exception as e:
        if ts is None:
            raise
        raise UserError(f"时间戳服务器签发时间戳失败：{e}", f"The timestamp server failed: {e}") from e
    if progress:
        progress(1.0)
    return {"timestamp": ts is not None, "notes": notes}


COUNTERSIGN_FIELD_PREFIX = "GreenDeskCountersignature"


def countersign(pdf_in: bytes, out: BinaryIO, identity: SigningIdentity, *, role: str,
                timestamp_url: str | None = None, location: str = "") -> dict:
    """Add an approval signature (an evaluator's counter-signature) as one incremental update.

    The update holds only the new (invisible) signature field and its signature, so the earlier
    signatures stay valid and ``verify`` accepts it as a counter-signature. The role (e.g. 评价机构)
    goes into the signature's /Reason. Returns {"field", "timestamp", "notes"}.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers

    from greendesk.core.package.pdfa import PdfAWriter

    role = (role or "").strip()
    if not role:
        raise UserError("请给出签名角色（例如 评价机构）。", "Give the signing role (e.g. 评价机构, the evaluator).")
    reader = PdfFileReader(io.BytesIO(pdf_in), strict=False)
    taken = {s.field_name for s in reader.embedded_signatures}
    n = 1
    while f"{COUNTERSIGN_FIELD_PREFIX}{n}" in taken:
        n += 1
    field = f"{COUNTERSIGN_FIELD_PREFIX}{n}"
    notes: list[str] = []
    ts = timestamper_for(timestamp_url, notes)
    # The PDF/A writer: version kept at 1.7, Info and XMP updated together.
    w = PdfAWriter(io.BytesIO(pdf_in), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=role, location=location or None, name=identity.name)
    pdf_signer = signers.PdfSigner(meta, signer=_pyhanko_signer(identity), timestamper=ts,
                                   new_field_spec=fields.SigFieldSpec(field))
    try:
        pdf_signer.sign_pdf(w, output=out, chunk_size=1 << 20)
    except Exception as e:
        if ts is None:
            raise
        raise UserError(f"时间戳服务器签发时间戳失败：{e}", f"The timestamp server failed: {e}") from e
    return {"field": field, "timestamp": ts is not None, "notes": notes}


def countersign_package(pkg_path, out_path, identity: SigningIdentity, *, role: str,
                        timestamp_url: str | None = None) -> dict:
    """Check the package, then write a counter-signed copy to ``out_path`` (atomically).

    A package that does not verify is refused: a counter-signature would seem to vouch for it.
    Returns {"path", "field", "timestamp", "notes", "signatures"} (the copy's verification).
    """
    import os
    import tempfile
    from pathlib import Path

    from greendesk.core.package.verify import verify_package

    pkg_path, out_path = Path(pkg_path), Path(out_path)
    before = verify_package(pkg_path, known_signers=[])
    if not before["valid"]:
        first = (before["problems"] or [""])[0]
        raise UserError(f"材料包未通过校验，不能复核签名：{first}",
                        f"The package does not verify, so it cannot be countersigned: {first}")
    if out_path.resolve() == pkg_path.resolve():
        raise UserError("请把复核签名后的文件写到新文件（--out 不能与原文件相同）。",
                        "Write the countersigned package to a new file (--out must differ from the input).")
    if out_path.exists():
        raise UserError(f"文件已存在：{out_path}（不会覆盖）。", f"File exists: {out_path} (not overwritten).")
    out_dir = out_path.parent if str(out_path.parent) else Path(".")
    if not out_dir.is_dir():
        raise UserError(f"目标文件夹不存在：{out_dir}", f"The target folder does not exist: {out_dir}")
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part", dir=out_dir)
    try:
        with os.fdopen(fd, "w+b") as f:
            r = countersign(pkg_path.read_bytes(), f, identity, role=role, timestamp_url=timestamp_url)
            f.flush()
            os.fsync(f.fileno())
        after = verify_package(tmp, known_signers=[])
        if not after["valid"]:
            raise UserError("复核签名后的文件未通过校验，未写入。",
                            "The countersigned copy did not verify; nothing was written.")
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"path": str(out_path), **r, "signatures": after["signatures"]}
