"""Test helpers for signatures: a local RFC 3161 timestamp server (honest or backdating), and
certificates that are expired, not yet valid, or carry a given organisation name and USCC."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


def rsa_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_cert(org: str, *, key=None, not_before=None, not_after=None, uscc: str | None = None,
              self_issued_ou: bool = True, eku=None):
    """A self-signed document-signing certificate with the validity window given (default: now ± days)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    from greendesk.core.package.certs import SELF_ISSUED_OU, SigningIdentity

    key = key or rsa_key()
    now = dt.datetime.now(dt.UTC)
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)]
    if self_issued_ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, SELF_ISSUED_OU))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, org))
    if uscc:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, uscc))
    name = x509.Name(attrs)
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
         .serial_number(x509.random_serial_number())
         .not_valid_before(not_before or now - dt.timedelta(days=1))
         .not_valid_after(not_after or now + dt.timedelta(days=30))
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                      crl_sign=False, encipher_only=False, decipher_only=False), critical=True))
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    cert = b.sign(key, hashes.SHA256())
    return SigningIdentity(key, cert, [], self_issued_ou)


def write_p12_raw(identity, path, passphrase: str):
    """Write a PKCS#12 without GreenDesk's checks (so an expired certificate can be stored too)."""
    from pathlib import Path

    Path(path).write_bytes(identity.p12_bytes(passphrase.encode()))
    return Path(path)


@contextlib.contextmanager
def timestamp_server(fixed: dt.datetime | None = None, *, tsa_not_before=None, tsa_not_after=None):
    """A local RFC 3161 server on 127.0.0.1 (pyHanko's DummyTimeStamper); ``fixed`` backdates every token.

    Yields (url, tsa_certificate_pem).
    """
    from asn1crypto import keys, tsp, x509
    from cryptography import x509 as cx
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key = rsa_key()
    name = cx.Name([cx.NameAttribute(NameOID.COMMON_NAME, "Local Test TSA")])
    now = dt.datetime.now(dt.UTC)
    cert = (cx.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(cx.random_serial_number())
            .not_valid_before(tsa_not_before or now - dt.timedelta(days=3650))
            .not_valid_after(tsa_not_after or now + dt.timedelta(days=30))
            .add_extension(cx.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(key, hashes.SHA256()))
    stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())),
        fixed_dt=fixed)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            req = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(req).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_HEAD(self):  # noqa: N802
            self.send_response(405)
            self.end_headers()

        def log_message(self, *a):
            pass

    srv = HTTPServer(("127.0.0.1", 0), Handler)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/tsa", cert.public_bytes(Encoding.PEM)
    finally:
        srv.shutdown()
        srv.server_close()


def swap_embedded(src: bytes, name: str, new: bytes) -> bytes:
    """An incremental update replacing one embedded file (the manifest too when ``name`` is it)."""
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(src), strict=False)
    found = []

    def walk(node):
        obj = node.get_object()
        if "/Names" in obj:
            arr = obj["/Names"]
            for i in range(0, len(arr) - 1, 2):
                if str(arr[i]) == name:
                    found.append(arr.raw_get(i + 1))
        for kid in obj.get("/Kids", []) or []:
            walk(kid)

    walk(w.root["/Names"]["/EmbeddedFiles"])
    ref = found[0]
    spec = ref.get_object()
    ef = w.add_object(embed.EmbeddedFileObject.from_file_data(w, data=new, mime_type="text/plain"))
    spec["/EF"] = generic.DictionaryObject({generic.NameObject("/F"): ef, generic.NameObject("/UF"): ef})
    w.mark_update(ref)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()
