"""Declaration package subcommands: cert new, export, verify."""

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

    p = sub.add_parser("verify", help=t("校验签名的申报材料包", "verify a signed declaration package"))
    p.add_argument("file", type=Path, help="PKG.pdf")
    p.add_argument("--trust", type=Path, help=t("信任的证书（PEM/DER）", "trusted certificate (PEM/DER)"))
    add_json_flag(p)
    p.set_defaults(func=cmd_verify)


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


def cmd_verify(args) -> int:
    from greendesk.core.package.verify import verify_package

    r = verify_package(args.file, trust=args.trust)
    emit(r, args.json, lambda x: _verify_text(x, bool(args.trust)))
    return 0 if r["valid"] and (r["trusted"] or not args.trust) else 1


def _verify_text(r: dict, trust_given: bool) -> str:
    yes, no = t("是", "yes"), t("否", "no")
    ok_files = sum(1 for f in r["files"] if f["ok"])
    lines = [
        t("结论：{v}", "Result: {v}", v=(t("有效，签名后未被改动", "VALID, unchanged since signing") if r["valid"]
                                        else t("无效", "NOT VALID"))
          + (t("；但证书不受信任", "; but the certificate is NOT TRUSTED") if trust_given and not r["trusted"]
             and r["valid"] else "")),
        t("签名人：{s}", "Signer: {s}", s=r["signer"] or "—"),
        t("签名时间：{s}", "Signed at: {s}", s=r["signed_at"] or "—"),
        t("证书受信任：{x}", "Certificate trusted: {x}", x=yes if r["trusted"] else no)
        + ("" if trust_given else t("（未指定 --trust，未核对信任）", " (no --trust given; trust not checked)")),
        t("内嵌文件：{a}/{b} 与清单一致", "Embedded files: {a} of {b} match the manifest", a=ok_files, b=len(r["files"])),
    ]
    for p in r["problems"]:
        lines.append(t("问题：{p}", "Problem: {p}", p=p))
    return "\n".join(lines)
