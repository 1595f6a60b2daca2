"""The local store of known signers: certificates this desk has seen and accepted before.

One JSON file, ``known-signers.json``, in the user's configuration folder
(``$GREENDESK_SETTINGS_DIR`` when set, as the tests do; otherwise ``%APPDATA%\\GreenDesk`` on
Windows and ``$XDG_CONFIG_HOME/GreenDesk`` or ``~/.config/GreenDesk`` elsewhere). Each entry is
a certificate, keyed by the SHA-256 of its DER, with the organisation and the 统一社会信用代码
it names. :func:`signer_status` says whether a certificate is ``known``, ``new``, or
``different_key``: the same organisation (by USCC or by name) signed with another key before.

The file is written atomically (temporary file, fsync, rename). A damaged or newer file is
refused with a message and never overwritten.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from greendesk.core.errors import UserError

FILE_NAME = "known-signers.json"
FORMAT = "greendesk-known-signers/1"

KNOWN = "known"
NEW = "new"
DIFFERENT_KEY = "different_key"


def store_path() -> Path:
    folder = os.environ.get("GREENDESK_SETTINGS_DIR")
    if folder:
        return Path(folder) / FILE_NAME
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "GreenDesk" / FILE_NAME
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "GreenDesk" / FILE_NAME


def _norm_fp(fp: str) -> str:
    return re.sub(r"[\s:]", "", fp or "").lower()


def load(path: Path | None = None) -> list[dict]:
    """Every known signer (oldest first). A missing file is an empty store."""
    path = path or store_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as e:
        raise UserError(f"无法读取已知签名人列表 {path}：{e.strerror}",
                        f"Cannot read the known-signers file {path}: {e.strerror}") from e
    try:
        doc = json.loads(raw.decode("utf-8"))
        fmt = doc.get("format") if isinstance(doc, dict) else None
    except (ValueError, UnicodeDecodeError) as e:
        raise UserError(f"已知签名人列表已损坏：{path}（未修改；请检查或删除该文件）。",
                        f"The known-signers file is damaged: {path} (left as it is; check or remove it).") from e
    if fmt != FORMAT:
        raise UserError(f"已知签名人列表格式不支持：{path}（{fmt!r}；可能由更新版本的 GreenDesk 写入，未修改）。",
                        f"Unsupported known-signers file: {path} ({fmt!r}; perhaps written by a newer GreenDesk; "
                        "left as it is).")
    signers = doc.get("signers")
    if not isinstance(signers, list) or not all(isinstance(s, dict) and isinstance(s.get("fingerprint"), str)
                                                for s in signers):
        raise UserError(f"已知签名人列表已损坏：{path}（未修改；请检查或删除该文件）。",
                        f"The known-signers file is damaged: {path} (left as it is; check or remove it).")
    return signers


def _save(signers: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"format": FORMAT, "signers": signers}, ensure_ascii=False, indent=1).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def entry_for(cert, *, source: str = "") -> dict:
    """The store entry for a certificate (cryptography or asn1crypto object)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from greendesk.core.package.certs import (
        _crypto_cert,
        cert_display_name,
        cert_organization,
        cert_uscc,
        fingerprint,
        is_self_issued,
    )

    c = _crypto_cert(cert)
    return {
        "fingerprint": fingerprint(c),
        "name": cert_display_name(c),
        "organization": cert_organization(c),
        "uscc": cert_uscc(c),
        "self_issued": is_self_issued(c) or c.issuer == c.subject,
        "not_before": c.not_valid_before_utc.isoformat(),
        "not_after": c.not_valid_after_utc.isoformat(),
        "added_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "source": source,
        "certificate_pem": c.public_bytes(Encoding.PEM).decode("ascii"),
    }


def add(cert, *, source: str = "", path: Path | None = None, factory: str | None = None,
        factory_uscc: str | None = None) -> tuple[dict, bool]:
    """Remember ``cert``; returns (entry, added). An entry already there is kept as it is.

    ``factory``/``factory_uscc`` (from a package the certificate signed) are kept with it, so a
    later package for the same factory signed with another key is recognised even when the
    certificate names the organisation differently or carries no credit code.
    """
    path = path or store_path()
    signers = load(path)
    entry = entry_for(cert, source=source)
    if factory:
        entry["factory"] = factory
    if factory_uscc:
        entry["factory_uscc"] = factory_uscc
    for s in signers:
        if _norm_fp(s["fingerprint"]) == entry["fingerprint"]:
            return s, False
    signers.append(entry)
    _save(signers, path)
    return entry, True


def remove(fp: str, *, path: Path | None = None) -> dict:
    """Forget the signer whose fingerprint is ``fp`` (full, or an unambiguous prefix of 8+ hex digits)."""
    path = path or store_path()
    want = _norm_fp(fp)
    if not re.fullmatch(r"[0-9a-f]{8,64}", want):
        raise UserError(f"指纹格式不对：{fp}（应为 SHA-256 十六进制，至少 8 位）。",
                        f"Not a fingerprint: {fp} (SHA-256 in hex, at least 8 digits).")
    signers = load(path)
    hits = [s for s in signers if _norm_fp(s["fingerprint"]).startswith(want)]
    if not hits:
        raise UserError(f"已知签名人中没有指纹为 {fp} 的证书。", f"No known signer has the fingerprint {fp}.")
    if len(hits) > 1:
        raise UserError(f"指纹 {fp} 对应多个签名人，请给出更长的指纹。",
                        f"The fingerprint {fp} matches several signers; give more digits.")
    _save([s for s in signers if s is not hits[0]], path)
    return hits[0]


def signer_status(fp: str, *, organizations: tuple = (), usccs: tuple = (),
                  signers: list[dict] | None = None) -> tuple[str, list[dict]]:
    """``(status, related)``: ``known`` when ``fp`` is stored; ``different_key`` when another key is
    stored for the same organisation (any of ``usccs``, or any of the organisation names);
    otherwise ``new``. ``related`` are the matching entries (the other keys, for the message)."""
    signers = load() if signers is None else signers
    fp = _norm_fp(fp)
    same = [s for s in signers if _norm_fp(s["fingerprint"]) == fp]
    if same:
        return KNOWN, same
    codes = {u for u in usccs if u}
    orgs = {o.strip() for o in organizations if o and o.strip()}
    related = [s for s in signers
               if {s.get("uscc"), s.get("factory_uscc")} & codes
               or {(s.get("organization") or "").strip(), (s.get("factory") or "").strip()} & orgs]
    return (DIFFERENT_KEY, related) if related else (NEW, [])
