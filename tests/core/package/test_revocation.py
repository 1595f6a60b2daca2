"""Revocation: verify runs offline, so it says where a CA-issued certificate could be checked and never
that it was; a self-issued certificate names no revocation service."""

from __future__ import annotations

import datetime as dt
import json

import pytest

CRL_URL = "http://crl.ca.example.invalid/green.crl"
OCSP_URL = "http://ocsp.ca.example.invalid/"


def _ca_issued(org: str):
    """A CA certificate and a document-signing certificate it issued, with a CRL point and an OCSP responder."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

    from greendesk.core.package.certs import SigningIdentity

    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test CA"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "Test CA Root")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, org)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=90))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(CRL_URL)], relative_name=None, reasons=None,
                crl_issuer=None)]), critical=False)
            .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(OCSP_URL))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return SigningIdentity(key, cert, [ca], False), ca


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    from greendesk.core.demo import build_demo
    from greendesk.core.package import export_package
    from greendesk.core.package.certs import new_identity, write_p12

    d = tmp_path_factory.mktemp("rev")
    ws = build_demo(d / "demo.greendesk")
    ident, ca = _ca_issued("重庆渝锐精密压铸有限公司")
    write_p12(ident, d / "ca-issued.p12", "pw")
    write_p12(new_identity("重庆渝锐精密压铸有限公司"), d / "self.p12", "pw")
    from cryptography.hazmat.primitives.serialization import Encoding

    (d / "ca.pem").write_bytes(ca.public_bytes(Encoding.PEM))
    for kind in ("ca-issued", "self"):
        export_package(ws, d / f"{kind}.pdf", lang="en", p12_path=d / f"{kind}.p12", passphrase="pw")
    return d


def test_ca_issued_certificate_is_reported_not_checked_offline(packages, run_cli):
    from greendesk.core.package.verify import signer_summary, verify_package

    r = verify_package(packages / "ca-issued.pdf", trust=[packages / "ca.pem"], known_signers=[])
    assert r["valid"], r["problems"]
    rev = r["signatures"][0]["revocation"]
    assert rev == {"status": "not_checked_offline", "checked": False, "crl": [CRL_URL], "ocsp": [OCSP_URL]}
    lines = "\n".join(signer_summary(r))
    assert "Revocation not checked (offline" in lines and OCSP_URL in lines and CRL_URL in lines
    # the CLI's JSON carries the same, and its text never says the revocation was checked
    p = run_cli("verify", str(packages / "ca-issued.pdf"), "--json", "--trust", str(packages / "ca.pem"))
    js = json.loads(p.stdout)
    assert js["signatures"][0]["revocation"]["status"] == "not_checked_offline"
    text = run_cli("verify", str(packages / "ca-issued.pdf"), "--trust", str(packages / "ca.pem")).stdout
    assert "Revocation not checked (offline" in text
    assert "revocation checked" not in text.lower() and "not revoked" not in text.lower()


def test_self_issued_certificate_names_no_revocation_service(packages):
    from greendesk.core.package.verify import signer_summary, verify_package

    r = verify_package(packages / "self.pdf", known_signers=[])
    rev = r["signatures"][0]["revocation"]
    assert rev["status"] == "no_service" and rev["checked"] is False and rev["crl"] == rev["ocsp"] == []
    assert any("names no revocation service" in line for line in signer_summary(r))
