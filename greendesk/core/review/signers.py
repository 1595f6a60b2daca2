"""The packages' signers against the reviewer's store of known signers (:mod:`greendesk.core.package.trust`).

A package's ``signer_status`` (known / new / different_key) is stated when it is loaded; the store changes
afterwards (the reviewer confirms a signer by phone and trusts it). :func:`restate_signers` states every
package again against the store as it is now, writing only the rows that changed; :func:`trust_signer`
remembers a package's signer (its certificate, kept in ``package_certificates`` at load time, or read
again from the file when an older database has none) and then restates the packages;
:func:`recheck_trust` verifies the loaded files again against trusted certificates (``--trust``).
"""

from __future__ import annotations

from pathlib import Path

from greendesk.core.errors import UserError


def restate_signers(con, signers: list[dict] | None = None) -> int:
    """Every package's signer status against ``signers`` (default: the user's store); returns how many changed."""
    from greendesk.core.package import trust

    signers = trust.load() if signers is None else signers
    rows = con.execute("SELECT package_id, signer_fingerprint, signer_organization, signer, factory_name, "
                       "signer_uscc, factory_uscc, signer_status FROM packages "
                       "WHERE signer_fingerprint IS NOT NULL").fetchall()
    changed = []
    for pid, fp, org, signer, factory, s_uscc, f_uscc, old in rows:
        status, _related = trust.signer_status(fp, organizations=(org, signer, factory), usccs=(s_uscc, f_uscc),
                                               signers=signers)
        if status != old:
            changed.append((pid, status))
    if changed:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("UPDATE packages SET signer_status = s.status FROM "
                        "(SELECT unnest($1::INTEGER[]) AS pid, unnest($2::VARCHAR[]) AS status) s "
                        "WHERE packages.package_id = s.pid",
                        [[c[0] for c in changed], [c[1] for c in changed]])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return len(changed)


def certificate_of(con, package_id: int):
    """The signer's certificate of a loaded package (cryptography object)."""
    from cryptography import x509

    row = con.execute("SELECT certificate_pem FROM package_certificates WHERE package_id = ?", [package_id]).fetchone()
    if row is not None:
        return x509.load_pem_x509_certificate(row[0].encode("ascii"))
    (file,) = con.execute("SELECT file FROM packages WHERE package_id = ?", [package_id]).fetchone() or (None,)
    if file and Path(file).is_file():
        from greendesk.core.package.verify import verify_package

        r = verify_package(file, known_signers=[])
        if r.get("signer_certificate_pem"):
            return x509.load_pem_x509_certificate(r["signer_certificate_pem"].encode("ascii"))
    raise UserError("找不到该材料包签名人的证书（数据库中没有，原文件也已不在）。",
                    "The signer's certificate of this package is not available (not in the database, and the "
                    "file is no longer there).")


def trust_signer(con, package_id: int, *, store_path: Path | None = None) -> dict:
    """Remember the signer of a genuine package as known, then restate every package.

    Only an accepted package (signature and files verified): trusting the signer of a rejected one would
    vouch for a key nothing has checked. Returns {"entry", "added", "restated"}.
    """
    from greendesk.core.package import trust

    row = con.execute("SELECT status, factory_name, factory_uscc, file FROM packages WHERE package_id = ?",
                      [package_id]).fetchone()
    if row is None:
        raise UserError(f"审核数据库中没有材料包 {package_id}。", f"The review database has no package {package_id}.")
    status, factory, uscc, file = row
    if status != "accepted":
        raise UserError("该材料包未通过校验，不记住其签名人。",
                        "This package did not pass verification; its signer is not remembered.")
    cert = certificate_of(con, package_id)
    entry, added = trust.add(cert, source=f"review {Path(file).name}", path=store_path, factory=factory,
                             factory_uscc=uscc)
    restated = restate_signers(con, trust.load(store_path))
    return {"entry": {k: v for k, v in entry.items() if k != "certificate_pem"}, "added": added,
            "restated": restated}


def recheck_trust(con, trust, *, workers: int | None = None, progress=None) -> dict:
    """Verify the loaded packages again against the trusted certificates ``trust`` (paths), as ``verify --trust``.

    A package loaded without ``--trust`` (or with other certificates) has its ``trusted`` state, its reasons
    and its signer's status stated again; its acceptance does not change (the same bytes verify the same way;
    a file no longer there, or changed since it was loaded, is left as it was and counted as ``missing``).
    Returns {"checked", "trusted", "changed", "missing"}.
    """
    from greendesk.core.i18n import language
    from greendesk.core.review.load import _read_all, _sha256_file

    rows = con.execute("SELECT package_id, sha256, file, trusted, reasons FROM packages ORDER BY package_id").fetchall()
    todo, missing = [], 0
    for pid, sha, file, trusted, reasons in rows:
        p = Path(file)
        if p.is_file() and _sha256_file(p) == sha:
            todo.append((pid, p, trusted, list(reasons or [])))
        else:
            missing += 1
    updates = []
    for n, ((pid, _p, was_trusted, was_reasons), r) in enumerate(
            zip(todo, _read_all([t[1] for t in todo], trust, language(), workers), strict=True), start=1):
        if progress:
            progress(n, len(todo), str(r["file"]))
        v = r["verify"]
        reasons = [str(x) for x in r["problems"]]
        if bool(v.get("trusted")) != bool(was_trusted) or reasons != was_reasons:
            updates.append((pid, bool(v.get("trusted")), reasons, v.get("signer_status")))
    if updates:
        con.execute("BEGIN TRANSACTION")
        try:
            for pid, trusted, reasons, status in updates:
                con.execute("UPDATE packages SET trusted = ?, reasons = ?, signer_status = ? WHERE package_id = ?",
                            [trusted, reasons, status, pid])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    n_trusted = con.execute("SELECT count(*) FROM packages WHERE trusted").fetchone()[0]
    return {"checked": len(todo), "trusted": n_trusted, "changed": len(updates), "missing": missing}
