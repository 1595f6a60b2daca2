"""Declaration package subcommands: cert new, export, verify, countersign, trust add/list/remove."""

from __future__ import annotations

import os
from pathlib import Path

from greendesk.cli.common import add_json_flag, emit
from greendesk.core.errors import UserError
from greendesk.core.i18n import t


def register(sub) -> None:
    cert_p = sub.add_parser("cert", help=t("签名证书", "signing certificates"))
    csub = cert_p.add_subparsers(dest="cert_command", metavar="ACTION")
    q = csub.add_parser("new", help=t("为单位生成自签发证书（加密的 PKCS#12）",
                                      "make a self-issued certificate for the organisation (encrypted PKCS#12)"))
    q.add_argument("--org", required=True, help=t("单位名称", "organisation name"))
    q.add_argument("--out", required=True, type=Path, help="F.p12")
    q.add_argument("--passphrase-env", required=True, metavar="VAR",
                   help=t("保存口令的环境变量名（口令不会被保存）", "environment variable holding the passphrase (never stored)"))
    q.add_argument("--uscc", help=t("统一社会信用代码（写入证书）", "unified social credit code (put in the certificate)"))
    q.add_argument("--cert-out", type=Path, help=t("另存公钥证书（PEM），供 verify --trust 使用",
                                                   "also write the public certificate (PEM), for verify --trust"))
    q.add_argument("--force", action="store_true", help=t("覆盖已有文件", "overwrite existing files"))
    q.set_defaults(func=cmd_cert_new)
    cert_p.set_defaults(func=lambda a: (cert_p.print_help(), 2)[1])

    p = sub.add_parser("export", help=t("导出签名的 PDF 申报材料包", "export the signed PDF declaration package"))
    p.add_argument("file", type=Path, help=t("工作区文件", "workspace file"))
    p.add_argument("--out", required=True, type=Path, help="PKG.pdf")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--p12", type=Path, help=t("单位签名证书（.p12/.pfx）", "the organisation's certificate (.p12/.pfx)"))
    g.add_argument("--generate-cert", action="store_true",
                   help=t("生成自签发证书并用它签名", "generate a self-issued certificate and sign with it"))
    p.add_argument("--passphrase-env", metavar="VAR", help=t("保存证书口令的环境变量名", "environment variable holding the passphrase"))
    p.add_argument("--seal", type=Path, help=t("印章图片（PNG）", "seal image (PNG)"))
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help=t("报告语言（默认中文）", "report language (default zh)"))
    p.add_argument("--zip", action="store_true", help=t("同时生成上传用 ZIP（PDF 与证明材料）",
                                                        "also write an upload bundle (the PDF and the evidence files)"))
    p.add_argument("--assessment", type=int, help=t("评价编号（默认最新）", "assessment id (default: the latest)"))
    p.add_argument("--timestamp-url", help=t("时间戳服务器（RFC 3161）", "timestamp server (RFC 3161)"))
    p.add_argument("--cert-out", type=Path, help=t("另存签名证书（PEM）", "also write the signer's certificate (PEM)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_export, _parser=p)

    p = sub.add_parser("verify", help=t("校验签名的申报材料包", "verify a signed declaration package"),
                       description=t("退出码：0 完整且签名人受信任（--trust）或为已知签名人；3 完整但签名人未确认"
                                     "（新签名人或换了密钥：请通过其他渠道核对指纹）；1 无效。",
                                     "Exit codes: 0 intact and the signer trusted (--trust) or known; 3 intact but "
                                     "the signer not confirmed (new, or a different key: confirm the fingerprint "
                                     "out of band); 1 not valid."))
    p.add_argument("file", type=Path, help="PKG.pdf")
    p.add_argument("--trust", type=Path, help=t("信任的证书（PEM/DER）", "trusted certificate (PEM/DER)"))
    p.add_argument("--pin", action="store_true",
                   help=t("首次使用即记住：签名人为新签名人且材料包有效时，记入本机已知签名人（换了密钥时不记）",
                          "trust on first use: remember a new signer of a valid package on this computer "
                          "(never a different key for a factory already on record)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("countersign", help=t("在申报材料包上追加复核签名（如评价机构）",
                                             "add a countersignature (e.g. the evaluator's) to a package"))
    p.add_argument("file", type=Path, help="PKG.pdf")
    p.add_argument("--p12", required=True, type=Path, help=t("签名证书（.p12/.pfx）", "signing certificate (.p12/.pfx)"))
    p.add_argument("--passphrase-env", required=True, metavar="VAR",
                   help=t("保存证书口令的环境变量名", "environment variable holding the passphrase"))
    p.add_argument("--role", required=True, help=t("签名角色，例如 评价机构", "signing role, e.g. 评价机构 (evaluator)"))
    p.add_argument("--out", required=True, type=Path, help=t("复核签名后的新文件", "the countersigned copy (a new file)"))
    p.add_argument("--timestamp-url", help=t("时间戳服务器（RFC 3161）", "timestamp server (RFC 3161)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_countersign)

    tr = sub.add_parser("trust", help=t("本机已知签名人", "known signers on this computer"))
    tsub = tr.add_subparsers(dest="trust_command", metavar="ACTION")
    q = tsub.add_parser("add", help=t("记住证书或材料包的签名人", "remember a certificate or a package's signer"))
    q.add_argument("source", type=Path, help=t("证书（PEM/DER）或已签名的材料包（PDF）",
                                               "certificate (PEM/DER) or a signed package (PDF)"))
    add_json_flag(q)
    q.set_defaults(func=cmd_trust_add)
    q = tsub.add_parser("list", help=t("列出已知签名人", "list the known signers"))
    add_json_flag(q)
    q.set_defaults(func=cmd_trust_list)
    q = tsub.add_parser("remove", help=t("删除已知签名人", "forget a known signer"))
    q.add_argument("fingerprint", metavar="FP", help=t("证书 SHA-256 指纹（或其前 8 位以上）",
                                                       "the certificate's SHA-256 fingerprint (or 8+ leading digits)"))
    add_json_flag(q)
    q.set_defaults(func=cmd_trust_remove)
    tr.set_defaults(func=lambda a: (tr.print_help(), 2)[1])


def _passphrase(var: str | None) -> str | None:
    if not var:
        return None
    value = os.environ.get(var)
    if value is None:
        raise UserError(f"环境变量 {var} 未设置（应保存证书口令）。", f"Environment variable {var} is not set (it should hold the passphrase).")
    return value


def _write_new(path: Path, data: bytes, force: bool) -> None:
    if path.exists() and not force:
        raise UserError(f"文件已存在：{path}（不会覆盖；可加 --force）。", f"File exists: {path} (not overwritten; use --force).")
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def cmd_cert_new(args) -> int:
    from greendesk.core.package.certs import new_identity, write_p12

    pw = _passphrase(args.passphrase_env)
    if not pw:
        raise UserError("证书口令不能为空。", "The certificate passphrase must not be empty.")
    if args.cert_out and args.cert_out.exists() and not args.force:
        raise UserError(f"文件已存在：{args.cert_out}（不会覆盖）。", f"File exists: {args.cert_out} (not overwritten).")
    ident = new_identity(args.org, uscc=args.uscc)
    write_p12(ident, args.out, pw, overwrite=args.force)
    if args.cert_out:
        _write_new(args.cert_out, ident.cert_pem(), True)
    print(t("已生成自签发证书：{p}（{n}）。口令未被保存，请妥善保管。",
            "Self-issued certificate written: {p} ({n}). The passphrase is not stored; keep it safe.",
            p=args.out, n=ident.name))
    return 0


def cmd_export(args) -> int:
    from greendesk.core.package.export import export_package

    if args.p12 and not args.passphrase_env:
        args._parser.error(t("--p12 需要同时给出 --passphrase-env", "--p12 needs --passphrase-env"))
    pw = _passphrase(args.passphrase_env)
    r = export_package(args.file, args.out, lang=args.lang, p12_path=args.p12, passphrase=pw,
                       generate_cert=args.generate_cert, seal_png=args.seal, zip_bundle=args.zip,
                       assessment_id=args.assessment, timestamp_url=args.timestamp_url)
    if args.cert_out:
        _write_new(args.cert_out, r["certificate_pem"].encode("ascii"), True)
    r.pop("certificate_pem", None)
    emit(r, args.json, _export_text)
    return 0


def _export_text(r: dict) -> str:
    lines = [t("已导出签名的申报材料包：{p}（{n} 页，内嵌 {f} 个文件，{b:,} 字节）",
               "Signed declaration package written: {p} ({n} pages, {f} embedded files, {b:,} bytes)",
               p=r["path"], n=r["pages"], f=r["files"], b=r["bytes"])]
    lines.append(t("签名人：{s}", "Signer: {s}", s=r["signer"]) + (t("（自签发证书）", " (self-issued certificate)")
                                                               if r["self_issued"] else ""))
    lines.append(t("时间戳：{x}", "Timestamp: {x}", x=t("有（PAdES B-T）", "yes (PAdES B-T)") if r["timestamp"]
                   else t("无（PAdES B-B）", "none (PAdES B-B)")))
    if r.get("zip"):
        lines.append(t("上传用文件包：{z}", "Upload bundle: {z}", z=r["zip"]))
    for n in r.get("notes") or []:
        lines.append(t("注意：{n}", "Note: {n}", n=n))
    return "\n".join(lines)


def _clean(s) -> str:
    """Text from a certificate or a file, safe for the terminal: control characters shown as \\xNN."""
    import re

    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", str(s))


def cmd_verify(args) -> int:
    from greendesk.core.package.verify import exit_code, verify_package

    r = verify_package(args.file, trust=args.trust)
    r["pinned"] = False
    if args.pin and _pinnable(r, bool(args.trust)):
        from cryptography import x509

        from greendesk.core.package import trust

        trust.add(x509.load_pem_x509_certificate(r["signer_certificate_pem"].encode("ascii")),
                  source=f"verify --pin {Path(args.file).name}", factory=r.get("factory"),
                  factory_uscc=r.get("factory_uscc"))
        r["signer_status"], r["pinned"] = "known", True
        if r["signatures"]:
            r["signatures"][0]["status"] = "known"
    emit(r, args.json, lambda x: _verify_text(x, bool(args.trust), args.file))
    return exit_code(r, bool(args.trust))


def _pinnable(r: dict, trust_given: bool) -> bool:
    """Trust on first use: only a valid package, a new signer (not a different key), a certificate in its validity."""
    author = (r.get("signatures") or [{}])[0]
    return bool(r["valid"] and r.get("signer_status") == "new" and author.get("certificate_time") == "valid"
                and r.get("signer_certificate_pem") and (r["trusted"] or not trust_given))


def _when(e: dict) -> str:
    from greendesk.core.package.verify import when_note

    return (e["signed_at"] + when_note(e.get("signed_at_source"))) if e.get("signed_at") else "—"


def _verify_text(r: dict, trust_given: bool, path=None) -> str:
    from greendesk.core.package.certs import fingerprint_display
    from greendesk.core.package.verify import STATUS_TEXT, TIMESTAMP_TEXT, exit_code

    yes, no = t("是", "yes"), t("否", "no")
    ok_files = sum(1 for f in r["files"] if f["ok"])
    rc = exit_code(r, trust_given)
    verdict = (t("有效，签名后未被改动", "VALID, unchanged since signing") if r["valid"] else t("无效", "NOT VALID"))
    if r["valid"] and trust_given and not r["trusted"]:
        verdict += t("；但证书不受信任", "; but the certificate is NOT TRUSTED")
    elif r["valid"] and rc == 3:
        verdict += t("；签名人未确认", "; the signer is NOT CONFIRMED")
    lines = [t("结论：{v}", "Result: {v}", v=verdict),
             t("签名人：{s}", "Signer: {s}", s=_clean(r["signer"] or "—"))]
    if r.get("signer_fingerprint"):
        lines.append(t("证书指纹（SHA-256）：{f}", "Certificate fingerprint (SHA-256): {f}",
                       f=fingerprint_display(r["signer_fingerprint"])))
    if r.get("signer_uscc") or r.get("factory_uscc"):
        match = {True: t("与材料包中的工厂一致", "matches the factory in the package"),
                 False: t("与材料包中的工厂不符！", "does NOT match the factory in the package!"),
                 None: t("证书中没有统一社会信用代码", "the certificate carries no credit code")}[r.get("uscc_match")]
        lines.append(t("统一社会信用代码：证书 {a}，材料包 {b}（{m}）", "Credit code (USCC): certificate {a}, package {b} ({m})",
                       a=_clean(r.get("signer_uscc") or "—"), b=_clean(r.get("factory_uscc") or "—"), m=match))
    if r.get("signer_status"):
        lines.append(t("签名人记录：{s}", "Signer on record: {s}", s=t(*STATUS_TEXT[r["signer_status"]])))
        for k in r.get("signer_known_keys") or []:
            lines.append(t("  本机记录的该工厂密钥：{f}（{o}，记录于 {d}）", "  key on record for this factory: {f} ({o}, added {d})",
                           f=fingerprint_display(k["fingerprint"]), o=_clean(k.get("organization") or k.get("name")),
                           d=(k.get("added_at") or "")[:10]))
    lines += [
        t("签名时间：{s}", "Signed at: {s}", s=_when({"signed_at": r["signed_at"],
                                                     "signed_at_source": r.get("signed_at_source")})),
        t("证书受信任：{x}", "Certificate trusted: {x}", x=yes if r["trusted"] else no)
        + ("" if trust_given else t("（未指定 --trust，未核对信任）", " (no --trust given; trust not checked)")),
        t("内嵌文件：{a}/{b} 与清单一致", "Embedded files: {a} of {b} match the manifest", a=ok_files, b=len(r["files"])),
    ]
    sigs = r.get("signatures") or []
    from greendesk.core.package.revocation import revocation_sentence

    rev = revocation_sentence(sigs[0].get("revocation") if sigs else None)   # offline: never "checked"
    if rev:
        lines.append(rev)
    if sigs:
        lines.append(t("文件中的签名（共 {n} 个）：", "Signatures in the file ({n}):", n=len(sigs)))
    for e in sigs:
        kind = {"author": t("申报方签名", "declarant's signature"),
                "countersignature": t("复核签名", "countersignature"),
                "document_timestamp": t("文档时间戳", "document timestamp")}[e["kind"]]
        if e.get("role"):
            kind += t("（{r}）", " ({r})", r=_clean(e["role"]))
        covers = {"entire_file": t("覆盖整个文件", "covers the whole file"),
                  "revision_then_signatures_only": t("覆盖其签名时的文件，之后只追加了签名",
                                                     "covers the file as signed; only signatures were added after it"),
                  "partial": t("签名后文件被改动", "the file was changed after it")}.get(e.get("covers"), "—")
        lines.append(t("  {n}. {k}：{s}；{w}；{c}；{ts}；PAdES {l}；{v}", "  {n}. {k}: {s}; {w}; {c}; {ts}; PAdES {l}; {v}",
                       n=e["number"], k=kind, s=_clean(e.get("signer") or "—"), w=_when(e), c=covers,
                       ts=t(*TIMESTAMP_TEXT.get(e["timestamp"]["status"], ("—", "—"))), l=e.get("pades_level") or "—",
                       v=t("有效", "valid") if e["valid"] else t("无效", "NOT valid")))
        if e.get("fingerprint"):
            lines.append(t("     指纹 {f}；{s}", "     fingerprint {f}; {s}", f=fingerprint_display(e["fingerprint"]),
                           s=t(*STATUS_TEXT[e["status"]]) if e.get("status") else "—"))
    if r.get("pinned"):
        lines.append(t("已记入本机已知签名人（首次使用即记住）。", "Remembered as a known signer on this computer (trust on "
                       "first use)."))
    if r["valid"] and rc == 3 and r.get("signer_fingerprint"):
        lines.append(t("请通过电话等其他渠道向签名单位核对上面的证书指纹；确认后运行 greendesk trust add {p} 记住它。",
                       "Confirm the fingerprint above with the signing organisation by another channel (e.g. by "
                       "phone); once confirmed, run greendesk trust add {p} to remember it.", p=_clean(path or "PKG.pdf")))
    for p in r["problems"]:
        lines.append(t("问题：{p}", "Problem: {p}", p=_clean(p)))
    return "\n".join(lines)


def cmd_countersign(args) -> int:
    from greendesk.core.package.certs import load_p12
    from greendesk.core.package.sign import countersign_package

    ident = load_p12(args.p12, _passphrase(args.passphrase_env))
    r = countersign_package(args.file, args.out, ident, role=args.role, timestamp_url=args.timestamp_url)
    emit(r, args.json, lambda x: "\n".join(
        [t("已追加复核签名：{p}（{r}，签名人 {s}）", "Countersignature added: {p} ({r}, signed by {s})",
           p=x["path"], r=_clean(args.role), s=_clean(ident.name))]
        + [t("注意：{n}", "Note: {n}", n=n) for n in x.get("notes") or []]))
    return 0


def _trust_row(e: dict) -> str:
    from greendesk.core.package.certs import fingerprint_display

    return t("{f}  {n}（统一社会信用代码 {u}；有效期至 {d}；记录于 {a}）", "{f}  {n} (USCC {u}; valid until {d}; added {a})",
             f=fingerprint_display(e["fingerprint"]), n=_clean(e.get("name") or e.get("organization") or "—"),
             u=_clean(e.get("uscc") or "—"), d=(e.get("not_after") or "")[:10], a=(e.get("added_at") or "")[:10])


def _public(e: dict) -> dict:
    return {k: v for k, v in e.items() if k != "certificate_pem"}


def cmd_trust_add(args) -> int:
    from greendesk.core.package import trust

    src = args.source
    try:
        head = src.read_bytes()[:1024]
    except OSError as e:
        raise UserError(f"无法读取 {src}：{e.strerror}", f"Cannot read {src}: {e.strerror}") from e
    if head.lstrip().startswith(b"%PDF"):
        from greendesk.core.package.verify import verify_package

        r = verify_package(src, known_signers=[])
        if not r["valid"]:
            first = (r["problems"] or [""])[0]
            raise UserError(f"材料包未通过校验，不记住其签名人：{first}",
                            f"The package does not verify; its signer is not remembered: {first}")
        from cryptography import x509

        cert = x509.load_pem_x509_certificate(r["signer_certificate_pem"].encode("ascii"))
        source = f"package {src.name}"
        factory = {"factory": r.get("factory"), "factory_uscc": r.get("factory_uscc")}
    else:
        from cryptography import x509

        try:
            cert = (x509.load_pem_x509_certificate(src.read_bytes()) if b"-----BEGIN" in head
                    else x509.load_der_x509_certificate(src.read_bytes()))
        except ValueError as e:
            raise UserError(f"{src} 不是证书（PEM/DER）或已签名的 PDF。",
                            f"{src} is not a certificate (PEM/DER) or a signed PDF.") from e
        source = f"certificate {src.name}"
        factory = {}
    entry, added = trust.add(cert, source=source, **factory)
    emit({**_public(entry), "added": added}, args.json, lambda x: (
        t("已记住签名人：", "Signer remembered: ") if added else t("签名人早已记录：", "Signer already on record: ")) + _trust_row(x))
    return 0


def cmd_trust_list(args) -> int:
    from greendesk.core.package import trust

    rows = [_public(e) for e in trust.load()]
    emit(rows, args.json, lambda x: "\n".join(_trust_row(e) for e in x) if x
         else t("本机没有记录已知签名人。", "No known signers on this computer."))
    return 0


def cmd_trust_remove(args) -> int:
    from greendesk.core.package import trust

    e = trust.remove(args.fingerprint)
    emit(_public(e), args.json, lambda x: t("已删除签名人：", "Signer forgotten: ") + _trust_row(x))
    return 0
