"""Embedding the package's files and signing it (pyHanko, PAdES B-B; B-T with a reachable timestamp server).

The files and the signature go into one incremental update written in a single pass,
so signing is the last write and covers the whole file.
"""

from __future__ import annotations

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
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = x509.Certificate.load(identity.cert.public_bytes(Encoding.DER))
    key = keys.PrivateKeyInfo.load(identity.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
    chain = [x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in identity.chain]
    # The registry holds only the further chain: the signer's certificate is embedded once.
    return signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs(chain))


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
                   cancel: Callable[[], bool] | None = None) -> dict:
    """Embed ``files`` ({name, data, mime, description}) into the report and sign it into ``out``.

    The signature field sits over the seal place drawn by the report (``seal_page``,
    ``seal_rect``) with an empty appearance, so viewers show the drawn seal and let the
    user click it to see the signature. Returns {"timestamp": bool, "notes": [...]}.
    """
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    notes: list[str] = []
    w = IncrementalPdfFileWriter(io.BytesIO(report_pdf), strict=False)
    total = sum(len(f["data"]) for f in files) or 1
    done = 0
    for f in files:
        if cancel and cancel():
            raise Cancelled()
        mime = f.get("mime") or "application/octet-stream"
        compress = mime.startswith(_COMPRESSIBLE_PREFIXES) and len(f["data"]) < 64 * 1024 * 1024
        ef = embed.EmbeddedFileObject.from_file_data(
            w, data=f["data"], compress=compress, mime_type=mime,
            params=embed.EmbeddedFileParams(embed_size=True, embed_checksum=False))
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
