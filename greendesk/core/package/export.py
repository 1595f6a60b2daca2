"""Exporting the signed declaration package: :func:`export_package`.

One PDF: the report, then every evidence file, every imported ledger, the answers and
scores as JSON and a manifest (name, size, SHA-256) embedded, then the signature as the
last write. Output goes to temporary files in the target folder that are renamed into
place only when everything has succeeded, so a failed or cancelled export leaves nothing.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from greendesk.core.errors import Cancelled, UserError
from greendesk.core.gcpause import gc_paused
from greendesk.core.i18n import pick

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TIMESTAMP_SETTING = "package.timestamp_url"
TIMESTAMP_ENV = "GREENDESK_TSA_URL"

_REASON = {"zh": "绿色工厂自评价报告及材料真实性承诺", "en": "Green factory self-evaluation and truthfulness commitment"}


def _safe_name(name: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip() or "file"
    return name[:120]


def _unique(name: str, used: set[str]) -> str:
    if name not in used:
        used.add(name)
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    i = 2
    while True:
        cand = f"{stem}-{i}.{ext}" if ext else f"{stem}-{i}"
        if cand not in used:
            used.add(cand)
            return cand
        i += 1


class _Steps:
    """Maps each step's own 0..1 progress into the overall fraction and checks for cancellation."""

    def __init__(self, progress, cancel):
        self.progress, self.cancel = progress, cancel

    def check(self) -> None:
        if self.cancel and self.cancel():
            raise Cancelled()

    def at(self, fraction: float, message: str) -> None:
        if self.progress:
            self.progress(max(0.0, min(1.0, fraction)), message)
        self.check()

    def span(self, lo: float, hi: float, message: str) -> Callable[[float], None]:
        def f(x: float) -> None:
            self.at(lo + (hi - lo) * x, message)
        return f


def _read_seal(seal_png) -> bytes | None:
    if seal_png is None:
        return None
    if isinstance(seal_png, (bytes, bytearray)):
        data = bytes(seal_png)
    else:
        try:
            data = Path(seal_png).read_bytes()
        except OSError as e:
            raise UserError(f"无法读取印章图片 {seal_png}：{e.strerror}", f"Cannot read the seal image {seal_png}: {e.strerror}") \
                from e
    if not data.startswith(PNG_MAGIC):
        raise UserError("印章图片必须是 PNG 文件。", "The seal image must be a PNG file.")
    try:
        from reportlab.lib.utils import ImageReader

        ImageReader(io.BytesIO(data)).getSize()
    except Exception as e:  # noqa: BLE001
        raise UserError("印章图片无法读取（PNG 文件已损坏？）。", "The seal image cannot be read (damaged PNG?).") from e
    return data


def _identity(org: str, uscc: str | None, p12_path, passphrase, generate_cert: bool):
    from greendesk.core.package import certs

    if generate_cert:
        from greendesk.core.uscc import is_valid

        # The certificate carries the factory's credit code only when it is a valid one (GB 32100).
        ident = certs.new_identity(org, uscc=uscc if uscc and is_valid(uscc) else None)
        if p12_path is not None:
            # Keep the new certificate for the next exports: encrypted, passphrase not stored.
            if not passphrase:
                raise UserError("保存新证书需要口令。", "A passphrase is needed to store the new certificate.")
            if Path(p12_path).exists():
                raise UserError(f"证书文件已存在：{p12_path}（不会覆盖）。", f"Certificate file exists: {p12_path} (not overwritten).")
        return ident
    if p12_path is None:
        raise UserError("请选择签名证书（.p12/.pfx），或让 GreenDesk 生成自签发证书。",
                        "Choose a signing certificate (.p12/.pfx) or let GreenDesk generate a self-issued one.")
    return certs.load_p12(p12_path, passphrase)



def _damaged(what_zh: str, what_en: str) -> UserError:
    return UserError(f"{what_zh} 的内容与记录的 SHA-256 不符，工作区可能已损坏。",
                     f"{what_en} does not match its recorded SHA-256; the workspace may be damaged.")


def _checked_blob(ws, sha256: str, what_zh: str, what_en: str, later: list | None = None
                  ) -> tuple[bytes, str]:
    """A stored file's bytes, refused when they no longer match the SHA-256 they are stored under: here
    (Workspace.blob checks the hash), or, with ``later``, by a :class:`BlobCheck` of that list's jobs."""
    from greendesk.core.workspace import BlobDamaged

    try:
        if later is None:
            return ws.blob(sha256), sha256
        data = ws.blob(sha256, check=False)
    except BlobDamaged as e:  # the same refusal, naming the file
        raise _damaged(what_zh, what_en) from e
    later.append((data, sha256, what_zh, what_en))
    return data, sha256


class BlobCheck:
    """The SHA-256 of the files to embed, worked out in a thread while the report is rendered: hashlib lets go
    of the interpreter while it hashes, so 20 MB of evidence (about 45 ms) is hashed on the other core. The
    thread ends by itself once the files are hashed; :meth:`result` waits for it and raises the refusal naming
    the first file that does not match. It is called before anything is written."""

    def __init__(self, jobs: list[tuple[bytes, str, str, str]]):
        import threading

        self._jobs = jobs
        self._bad: list[tuple[str, str]] = []
        self._thread = threading.Thread(target=self._run, name="greendesk-blob-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for data, sha256, what_zh, what_en in self._jobs:
            try:
                ok = hashlib.sha256(data).hexdigest() == sha256
            except BaseException:  # noqa: BLE001 - (a MemoryError): not proved sound, so refused
                ok = False
            if not ok:
                self._bad.append((what_zh, what_en))

    def result(self) -> None:
        self._thread.join()
        if self._bad:
            raise _damaged(*self._bad[0])


def _when(text) -> _dt.datetime | None:
    """An ISO time from the workspace as an aware datetime (the /ModDate of an embedded file)."""
    try:
        d = _dt.datetime.fromisoformat(str(text))
    except (TypeError, ValueError):
        return None
    return (d if d.tzinfo else d.replace(tzinfo=_dt.UTC)).replace(microsecond=0)


def plan_files(ws, data, steps: _Steps | None = None, later: list | None = None) -> list[dict]:
    """The files to embed, with their bytes, checked against the SHA-256 the workspace recorded: here, or with
    ``later`` (a list) by a :class:`BlobCheck` of the jobs added to it, whose ``result()`` must be taken before
    the bytes are used.

    ``modified`` is when the file entered the workspace (evidence), else when the package was made."""
    lang = data.lang
    made = _when(data.generated_at)
    files, used = [], set()
    item_titles = {i["id"]: i["title"] for s in data.sections for i in s["indicators"]}
    total = len(data.evidence) + len(data.ledgers) or 1
    n = 0
    for e in data.evidence:
        blob, sha = _checked_blob(ws, e["sha256"], f"证明材料 {e['name']}", f"Evidence {e['name']}", later)
        item = e.get("item_id")
        desc = (f"{pick({'zh': '证明材料', 'en': 'Evidence'}, lang)}"
                + (f" · {item} {item_titles.get(item, '')}".rstrip() if item else ""))
        files.append({"name": _unique(f"evidence-{_safe_name(e['name'])}", used), "original_name": e["name"],
                      "data": blob, "mime": e.get("mime"), "size": len(blob), "sha256": sha, "kind": "evidence",
                      "item_id": item, "description": desc, "modified": _when(e.get("added_at")) or made})
        n += 1
        if steps:
            steps.check()
    for led in data.ledgers:
        blob, sha = _checked_blob(ws, led["sha256"], f"能源台账 {led['file_name']}", f"Ledger {led['file_name']}",
                                  later)
        files.append({"name": _unique(f"ledger-{_safe_name(led['file_name'])}", used), "original_name": led["file_name"],
                      "data": blob, "mime": _mime(led["file_name"]), "size": len(blob), "sha256": sha, "kind": "ledger",
                      "item_id": None, "description": pick({"zh": "能源计量台账（原始文件）", "en": "Energy ledger (original file)"}, lang),
                      "modified": made})
        n += 1
        if steps:
            steps.check()
    doc = json.dumps(data.to_json_dict(), ensure_ascii=False, indent=1, default=str).encode("utf-8")
    from greendesk.core.package.sign import DATA_NAME

    files.append({"name": DATA_NAME, "original_name": DATA_NAME, "data": doc, "mime": "application/json",
                  "size": len(doc), "sha256": hashlib.sha256(doc).hexdigest(), "kind": "data", "item_id": None,
                  "description": pick({"zh": "答案与得分（JSON）", "en": "Answers and scores (JSON)"}, lang),
                  "modified": made})
    from greendesk.core.declaration.package import package_file

    decl = package_file(data, made)      # the 申报表 .xlsx, the same rows as the report's table
    if decl is not None:
        files.append(decl)
    _ = total
    return files


def _mime(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def manifest_bytes(files: list[dict], data) -> bytes:
    doc = {
        "format": "greendesk-manifest/1",
        "generated_at": data.generated_at,
        "factory": data.factory.get("name"),
        "uscc": data.factory.get("uscc"),
        "assessment": {"id": data.assessment.get("id"), "year": data.assessment.get("year"),
                       "scheme_id": data.assessment.get("scheme_id"),
                       "scheme_version": data.assessment.get("scheme_version")},
        "files": [{"name": f["name"], "original_name": f["original_name"], "kind": f["kind"],
                   "item_id": f["item_id"], "size": f["size"], "sha256": f["sha256"]} for f in files],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _tmp_in(dirpath: Path, name: str) -> tuple[io.BufferedWriter, Path]:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=dirpath)
    return os.fdopen(fd, "w+b"), Path(tmp)


@gc_paused  # (greendesk.core.gcpause: what is made here stays alive until the end)
def export_package(ws_path, out_path, *, lang: str = "zh", p12_path=None, passphrase: str | None = None,
                   generate_cert: bool = False, seal_png=None, zip_bundle: bool = False,
                   progress: Callable[[float, str], None] | None = None,
                   cancel: Callable[[], bool] | None = None, assessment_id: int | None = None,
                   timestamp_url: str | None = None, _collect_overrides: dict | None = None) -> dict:
    """Build, sign and write the declaration package; safe to call off the GUI thread.

    ``progress(fraction, message)`` reports; ``cancel()`` returning true stops the export
    with :class:`~greendesk.core.errors.Cancelled` and nothing written. With
    ``generate_cert`` a self-issued certificate is made for the factory (and stored at
    ``p12_path``, encrypted with ``passphrase``, when that is given); otherwise ``p12_path``
    is opened with ``passphrase`` (a wrong one is refused before anything is written).
    The timestamp server is ``timestamp_url``, else the workspace setting
    ``package.timestamp_url``, else ``$GREENDESK_TSA_URL``; unreachable means B-B with a note.
    Returns {"path", "zip", "pages", "files", "bytes", "signer", "self_issued", "timestamp",
    "certificate_pem", "notes"}.
    """
    from greendesk.core.package.certs import write_p12
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.package.report import render_report
    from greendesk.core.package.sign import MANIFEST_NAME, embed_and_sign
    from greendesk.core.workspace import Workspace

    steps = _Steps(progress, cancel)
    lang = "zh" if str(lang).lower().startswith("zh") else "en"
    out_path = Path(out_path)
    out_dir = out_path.parent if str(out_path.parent) else Path(".")
    if not out_dir.is_dir():
        raise UserError(f"目标文件夹不存在：{out_dir}", f"The target folder does not exist: {out_dir}")
    if out_path.is_dir():
        raise UserError(f"{out_path} 是文件夹，请给出文件名。", f"{out_path} is a folder; give a file name.")
    seal = _read_seal(seal_png)
    steps.at(0.0, pick({"zh": "读取工作区", "en": "Reading the workspace"}, lang))

    with Workspace.open(ws_path, readonly=True) as ws:
        factory = ws.factory()
        identity = _identity(factory.get("name") or "", factory.get("uscc"), p12_path, passphrase, generate_cert)
        tsa = timestamp_url or ws.setting(TIMESTAMP_SETTING) or os.environ.get(TIMESTAMP_ENV) or None
        data = collect_report_data(ws, assessment_id, lang, **(_collect_overrides or {}))
        steps.at(0.08, pick({"zh": "核对证明材料", "en": "Checking the evidence files"}, lang))
        jobs: list = []
        files = plan_files(ws, data, steps, jobs)
    check = BlobCheck(jobs)  # hashed beside the rendering below
    man = manifest_bytes(files, data)
    files.append({"name": MANIFEST_NAME, "original_name": MANIFEST_NAME, "data": man, "mime": "application/json",
                  "size": len(man), "sha256": hashlib.sha256(man).hexdigest(), "kind": "data", "item_id": None,
                  "description": pick({"zh": "文件清单（名称、大小、SHA-256）", "en": "Manifest (name, size, SHA-256)"}, lang),
                  "modified": _when(data.generated_at)})

    steps.at(0.15, pick({"zh": "生成报告", "en": "Rendering the report"}, lang))
    buf = io.BytesIO()
    today = _dt.date.today()
    annex = [{k: f[k] for k in ("name", "size", "sha256", "kind")} for f in files]
    annex[-1]["sha256"] = None  # the manifest cannot list its own hash
    info = render_report(data, buf, signer=identity.name, sign_date=today, seal_png=seal, files=annex,
                         progress=lambda x: steps.at(0.15 + 0.45 * x, pick({"zh": "生成报告", "en": "Rendering the report"}, lang)),
                         cancel=cancel)
    check.result()  # every stored file matches its SHA-256 (hashed while the report was rendered)

    temps: list[Path] = []
    try:
        f, tmp_pdf = _tmp_in(out_dir, out_path.name)
        temps.append(tmp_pdf)
        with f:
            loc = " ".join(x for x in dict.fromkeys((factory.get("province"), factory.get("city"))) if x)
            signed = embed_and_sign(
                buf.getvalue(), files, f, identity, seal_page=info["seal_page"], seal_rect=info["seal_rect"],
                reason=pick(_REASON, lang), location=loc, timestamp_url=tsa,
                structure=info.get("structure"), lang=info.get("lang"),
                progress=steps.span(0.6, 0.93, pick({"zh": "嵌入文件并签名", "en": "Embedding files and signing"}, lang)),
                cancel=cancel)
            f.flush()
            os.fsync(f.fileno())
            size = os.fstat(f.fileno()).st_size
        tmp_zip = None
        if zip_bundle:
            steps.at(0.94, pick({"zh": "打包上传文件", "en": "Writing the upload bundle"}, lang))
            zf, tmp_zip = _tmp_in(out_dir, out_path.stem + ".zip")
            temps.append(tmp_zip)
            with zf, zipfile.ZipFile(zf, "w", compression=zipfile.ZIP_STORED) as z:
                z.write(tmp_pdf, out_path.name)
                used: set[str] = set()
                for fl in files:
                    if fl["kind"] == "evidence":
                        folder = "证明材料" if lang == "zh" else "evidence"
                    elif fl["kind"] == "ledger":
                        folder = "能源台账" if lang == "zh" else "ledgers"
                    else:
                        folder = "data"
                    sub = f"{folder}/{_safe_name(fl['item_id'])}/" if fl.get("item_id") else f"{folder}/"
                    z.writestr(_unique(sub + _safe_name(fl["original_name"]), used), fl["data"])
                    steps.check()
                zf.flush()
                os.fsync(zf.fileno())
        steps.at(0.98, pick({"zh": "写入文件", "en": "Writing the files"}, lang))
        stored_p12 = None
        if generate_cert and p12_path is not None:
            stored_p12 = write_p12(identity, p12_path, passphrase)
        zip_path = out_path.with_suffix(".zip") if zip_bundle else None
        os.replace(tmp_pdf, out_path)
        temps.remove(tmp_pdf)
        if tmp_zip is not None:
            os.replace(tmp_zip, zip_path)
            temps.remove(tmp_zip)
    except BaseException:
        for p in temps:
            p.unlink(missing_ok=True)
        raise
    if progress:
        progress(1.0, pick({"zh": "完成", "en": "Done"}, lang))
    return {
        "path": str(out_path), "zip": str(zip_path) if zip_path else None, "pages": info["pages"],
        "files": len(files), "bytes": size, "signer": identity.name, "self_issued": identity.self_issued,
        "timestamp": signed["timestamp"], "certificate_pem": identity.cert_pem().decode("ascii"),
        "stored_certificate": str(stored_p12) if stored_p12 else None,
        "notes": data.notes + signed["notes"],
    }
