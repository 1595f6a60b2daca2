"""The organisation's signing certificate: a PKCS#12 file from a CA, or one GreenDesk issues itself.

A self-issued certificate says so in its subject (OU "GreenDesk self-issued / 自签发")
and is stored only as an encrypted PKCS#12 file; the passphrase is never stored.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from greendesk.core.errors import UserError

SELF_ISSUED_OU = "GreenDesk self-issued / 自签发"
SELF_ISSUED_TAG = "自签发 self-issued"
# Extended key usage for signing documents (RFC 9336); emailProtection is what NSS/poppler expect of a signer.
DOCUMENT_SIGNING_EKU = "1.3.6.1.5.5.7.3.36"
# organizationIdentifier (X.520 2.5.4.97); ETSI EN 319 412-1 semantics: "NTR" + country + "-" + national id.
ORGANIZATION_IDENTIFIER_OID = "2.5.4.97"
USCC_ORG_ID_PREFIX = "NTRCN-"


def _fit(s: str, limit: int = 64) -> str:
    """X.509 limits these names to 64 bytes of UTF-8; cut on a character boundary."""
    b = s.encode("utf-8")[:limit]
    return b.decode("utf-8", "ignore")


@dataclass
class SigningIdentity:
    """A key and its certificate chain, in memory."""

    key: object                  # cryptography private key
    cert: object                 # cryptography x509.Certificate
    chain: list                  # further certificates
    self_issued: bool

    @property
    def name(self) -> str:
        return cert_display_name(self.cert)

    def cert_pem(self) -> bytes:
        from cryptography.hazmat.primitives.serialization import Encoding

        return self.cert.public_bytes(Encoding.PEM)

    def p12_bytes(self, passphrase: bytes | None) -> bytes:
        from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, NoEncryption, pkcs12

        enc = BestAvailableEncryption(passphrase) if passphrase else NoEncryption()
        return pkcs12.serialize_key_and_certificates(b"greendesk", self.key, self.cert, self.chain or None, enc)


def cert_display_name(cert) -> str:
    from cryptography.x509.oid import NameOID

    def first(oid):
        v = cert.subject.get_attributes_for_oid(oid)
        return str(v[0].value) if v else ""

    return first(NameOID.COMMON_NAME) or first(NameOID.ORGANIZATION_NAME) or cert.subject.rfc4514_string()


def fingerprint(cert) -> str:
    """SHA-256 of the certificate's DER, lower-case hex (cryptography or asn1crypto certificate)."""
    import hashlib

    if hasattr(cert, "dump"):            # asn1crypto
        der = cert.dump()
    else:
        from cryptography.hazmat.primitives.serialization import Encoding

        der = cert.public_bytes(Encoding.DER)
    return hashlib.sha256(der).hexdigest()


def fingerprint_display(fp: str) -> str:
    """``AB:CD:…`` in upper case, the way a fingerprint is read out over the phone."""
    fp = (fp or "").replace(":", "").upper()
    return ":".join(fp[i:i + 2] for i in range(0, len(fp), 2))


def cert_uscc(cert) -> str | None:
    """The 统一社会信用代码 a certificate carries (organizationIdentifier or serialNumber), if any.

    Only an 18-character value that passes the GB 32100 check counts; ``NTRCN-`` and similar
    ETSI prefixes are removed.
    """
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    from greendesk.core.uscc import _fold, is_valid

    cert = _crypto_cert(cert)
    values = []
    for oid in (x509.ObjectIdentifier(ORGANIZATION_IDENTIFIER_OID), NameOID.SERIAL_NUMBER):
        values += [str(a.value) for a in cert.subject.get_attributes_for_oid(oid)]
    for v in values:
        v = _fold(v)
        for cand in (v, v.split("-", 1)[-1], v[-18:]):
            if len(cand) == 18 and is_valid(cand):
                return cand
    return None


def cert_organization(cert) -> str:
    from cryptography.x509.oid import NameOID

    cert = _crypto_cert(cert)
    v = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(v[0].value) if v else ""


def _crypto_cert(cert):
    """A cryptography certificate from either library's object."""
    if hasattr(cert, "dump"):
        from cryptography import x509

        return x509.load_der_x509_certificate(cert.dump())
    return cert


def is_self_issued(cert) -> bool:
    from cryptography.x509.oid import NameOID

    cert = _crypto_cert(cert)
    ous = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)]
    return any("GreenDesk" in o for o in ous)


def new_identity(org: str, *, years: int = 3, uscc: str | None = None) -> SigningIdentity:
    """A fresh self-issued RSA-2048 certificate for ``org``, marked as self-issued."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    org = (org or "").strip()
    if not org:
        raise UserError("请填写单位名称。", "The organisation name is required.")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(org)),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, SELF_ISSUED_OU),
        x509.NameAttribute(NameOID.COMMON_NAME, _fit(org, 64 - len(SELF_ISSUED_TAG.encode()) - 3)
                           + f" ({SELF_ISSUED_TAG})"),
    ]
    if uscc:
        from greendesk.core.uscc import normalize

        uscc = normalize(uscc)
        # Both places where readers look for an organisation's registration number.
        attrs.append(x509.NameAttribute(x509.ObjectIdentifier(ORGANIZATION_IDENTIFIER_OID), USCC_ORG_ID_PREFIX + uscc))
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, uscc))
    name = x509.Name(attrs)
    now = _dt.datetime.now(_dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(minutes=5))
        .not_valid_after(now + _dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                              x509.ObjectIdentifier(DOCUMENT_SIGNING_EKU)]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SigningIdentity(key, cert, [], True)


def write_p12(identity: SigningIdentity, path: str | Path, passphrase: str, *, overwrite: bool = False) -> Path:
    """Store the identity as an encrypted PKCS#12 file (atomically). The passphrase is not stored."""
    path = Path(path)
    if not passphrase:
        raise UserError("证书口令不能为空。", "The certificate passphrase must not be empty.")
    if path.exists() and not overwrite:
        raise UserError(f"文件已存在：{path}（不会覆盖）。", f"File exists: {path} (not overwritten).")
    data = identity.p12_bytes(passphrase.encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_p12(path: str | Path, passphrase: str | None) -> SigningIdentity:
    """Open a PKCS#12 file; a wrong passphrase or a damaged file is a clear :class:`UserError`."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UserError(f"无法读取证书文件 {path}：{e.strerror}", f"Cannot read certificate file {path}: {e.strerror}") \
            from e
    pw = passphrase.encode("utf-8") if passphrase else None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, pw)
    except ValueError as e:
        raise UserError(
            f"无法打开证书文件 {path.name}：口令错误或文件已损坏。未写入任何文件。",
            f"Cannot open certificate file {path.name}: wrong passphrase or damaged file. Nothing was written.",
        ) from e
    if key is None or cert is None:
        raise UserError(f"证书文件 {path.name} 中没有私钥或证书。", f"{path.name} holds no private key or certificate.")
    now = _dt.datetime.now(_dt.UTC)
    if cert.not_valid_after_utc < now:
        raise UserError(f"证书已于 {cert.not_valid_after_utc:%Y-%m-%d} 过期。",
                        f"The certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}.")
    return SigningIdentity(key, cert, list(extra or []), is_self_issued(cert))
