"""What can be said about a signer certificate's revocation status: GreenDesk verifies offline.

``verify`` never fetches a CRL or asks an OCSP responder (it runs offline, and pyHanko's validator
is called with fetching off and revocation in soft-fail mode), so it never says a certificate was
checked for revocation. It says which services the certificate names, so the recipient can check
there, or that it names none (a self-issued certificate: there is no one to revoke it).
"""

from __future__ import annotations

from greendesk.core.i18n import t

NOT_CHECKED_OFFLINE = "not_checked_offline"
NO_SERVICE = "no_service"


def revocation_of(cert) -> dict:
    """{"status", "checked": False, "crl": [urls], "ocsp": [urls]} for a ``cryptography`` certificate.

    status: ``not_checked_offline`` when the certificate names a CRL distribution point or an OCSP
    responder, ``no_service`` when it names neither.
    """
    from cryptography import x509
    from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID

    crl: list[str] = []
    ocsp: list[str] = []
    try:
        for dp in cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value:
            crl += [n.value for n in (dp.full_name or []) if isinstance(n, x509.UniformResourceIdentifier)]
    except x509.ExtensionNotFound:
        pass
    try:
        for ad in cert.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS).value:
            if ad.access_method == AuthorityInformationAccessOID.OCSP and \
                    isinstance(ad.access_location, x509.UniformResourceIdentifier):
                ocsp.append(ad.access_location.value)
    except x509.ExtensionNotFound:
        pass
    return {"status": NOT_CHECKED_OFFLINE if (crl or ocsp) else NO_SERVICE, "checked": False, "crl": crl, "ocsp": ocsp}


def revocation_sentence(rev: dict | None) -> str | None:
    """The verdict line for a signature's revocation status (never claims a check that was not made)."""
    if not rev:
        return None
    if rev["status"] == NOT_CHECKED_OFFLINE:
        where = "、".join(rev["ocsp"] + rev["crl"])
        return t("证书吊销状态未检查（离线校验）：请在 {w} 核对该证书是否已被吊销。",
                 "Revocation not checked (offline verification): check whether the certificate was revoked at {w}.",
                 w=where)
    return t("证书未载明吊销查询服务（CRL/OCSP），无法检查吊销状态（自签发证书无人可吊销）。",
             "The certificate names no revocation service (CRL/OCSP), so its revocation status cannot be "
             "checked (a self-issued certificate has no issuer to revoke it).")
