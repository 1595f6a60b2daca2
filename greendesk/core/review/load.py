"""Verify packages and load them into the review database: :func:`review_packages`.

Each package is checked exactly as ``greendesk verify`` checks it (:func:`verify_package`), its
embedded data is read and checked against the data contract (:mod:`.contract`), and it is stored
by the SHA-256 of the file: a file already in the database is skipped. A package whose
verification fails is stored as ``rejected`` with the reasons and is never part of a comparison
(the views take ``accepted`` packages only). A package in a data format this GreenDesk does not
read (an unknown major version) is refused and not stored, so a newer GreenDesk can load it later.

Verification is the slow part (pyHanko, RSA, hashing every embedded file) and runs in worker
processes when there are several packages; the database is written by this process only.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from greendesk.core.errors import UserError
from greendesk.core.i18n import language, t, using_language
from greendesk.core.review import contract

PARALLEL_FROM = 4  # fewer packages than this are verified in this process (workers cost ~1 s to start)


def find_packages(paths) -> list[Path]:
    """The PDF files named, and every ``*.pdf`` under the folders named (sorted, each file once)."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() == ".pdf" and f.is_file())
        elif p.is_file():
            found = [p]
        else:
            raise UserError(f"找不到 {p}。", f"{p} was not found.")
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def industry_class(code: str | None) -> str | None:
    """GB/T 4754 小类 (class): the first four digits of the code, the section letter left out ("C3392" -> "3392")."""
    if not code:
        return None
    digits = re.sub(r"^[A-Za-z]", "", str(code).strip())
    return digits[:4] or None


def _json(raw: bytes, name: str):
    def no_constant(c):
        raise ValueError(f"{c} is not a number")

    try:
        return json.loads(raw.decode("utf-8"), parse_constant=no_constant), None
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        return None, t("内嵌文件 {n} 无法读取：{e}", "The embedded file {n} cannot be read: {e}", n=name, e=e)


def read_package(path: str | Path, trust=None, lang: str | None = None) -> dict:
    """Verify one package and read its embedded data; never raises for a bad file (runs in a worker)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from greendesk.core.package.sign import DATA_NAME, MANIFEST_NAME
    from greendesk.core.package.verify import embedded_files, verify_package

    with using_language(lang):
        path = Path(path)
        raw = path.read_bytes()
        out = {"file": str(path), "sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw), "data": None,
               "manifest": None, "problems": [], "data_problems": [], "refused": None}
        v = verify_package(path, trust)
        out["verify"] = {k: v.get(k) for k in (
            "valid", "trusted", "signer", "signer_organization", "signer_fingerprint", "signer_uscc",
            "signer_status", "signed_at", "signed_at_source", "factory", "factory_uscc", "files",
            "signer_certificate_pem")}
        out["problems"] = list(v.get("problems") or [])
        mine = out["data_problems"]
        try:
            emb = embedded_files(PdfFileReader(io.BytesIO(raw), strict=False))
        except Exception:  # noqa: BLE001 - verification has already said what is wrong with the file
            emb = {}
        for key, name, fmt in (("data", DATA_NAME, contract.DATA_FORMAT),
                               ("manifest", MANIFEST_NAME, contract.MANIFEST_FORMAT)):
            if name not in emb:
                mine.append(t("材料包中没有 GreenDesk 数据文件 {n}。",
                                         "The package carries no GreenDesk data file {n}.", n=name))
                continue
            doc, problem = _json(emb[name], name)
            if problem:
                mine.append(problem)
                continue
            try:
                contract.check(doc, fmt)
            except UserError as e:
                msg = f"{name}: {e.message()}"
                major = _major(doc)
                if major is not None and major != contract.SUPPORTED_MAJOR[fmt] and v.get("valid"):
                    out["refused"] = msg       # genuine, but a format this GreenDesk cannot read
                mine.append(msg)
                continue
            out[key] = doc
        out["problems"] += mine
    return out


def _major(doc) -> int | None:
    try:
        return int(str(doc.get("format")).split("/", 1)[1].split(".")[0])
    except (AttributeError, IndexError, ValueError):
        return None


def _num(v):
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


TABLE_ORDER = ("packages", "factories", "assessments", "indicators", "carriers_by_month", "evidence",
               "package_certificates")
BATCH = 64  # packages per transaction (one statement per table each)


def package_rows(r: dict, pid: int) -> tuple[str, dict[str, list[tuple]]]:
    """The status of one read package and its rows for every table (column order as in the tables)."""
    v, data, man = r["verify"], r["data"], r["manifest"]
    # verify's own notes (signer not on record, certificate expired) stay as reasons but do not reject
    accepted = bool(v.get("valid")) and data is not None and man is not None and not r["data_problems"]
    status = "accepted" if accepted else "rejected"
    fac = (data or {}).get("factory") or {}
    uscc = fac.get("uscc") or v.get("factory_uscc")
    name = fac.get("name") or v.get("factory")
    key = uscc or name or r["sha256"][:16]
    out: dict[str, list[tuple]] = {t: [] for t in TABLE_ORDER}
    out["packages"].append((
        pid, r["sha256"], r["file"], r["size"], _now(), status, bool(v.get("valid")), bool(v.get("trusted")),
        v.get("signer"), v.get("signer_organization"), v.get("signer_fingerprint"), v.get("signer_uscc"),
        v.get("signer_status"), v.get("signed_at"), v.get("signed_at_source"), [str(p) for p in r["problems"]],
        (data or {}).get("format"), (man or {}).get("format"), key, name, uscc))
    if v.get("signer_fingerprint") and v.get("signer_certificate_pem"):
        out["package_certificates"].append((pid, v["signer_fingerprint"], v["signer_certificate_pem"]))
    if man is not None:
        ok = {f.get("name"): f.get("ok") for f in v.get("files") or []}
        out["evidence"] = [(pid, f.get("name"), f.get("original_name"), f.get("kind"), f.get("item_id"),
                            f.get("size"), f.get("sha256"), ok.get(f.get("name"))) for f in man.get("files") or []]
    if data is None:
        return status, out
    cls = industry_class(fac.get("industry_code"))
    if accepted:
        out["factories"].append((key, uscc, name, fac.get("industry_code"), cls, fac.get("industry_name"),
                                 fac.get("province"), fac.get("city"), fac.get("district"), pid))
    a, score, energy = data.get("assessment") or {}, data.get("score") or {}, data.get("energy") or {}
    production = energy.get("production") or {}
    out["assessments"].append((
        pid, key, name, a.get("year"), a.get("scheme_id"), a.get("scheme_version"), a.get("status"),
        data.get("generated_at"), data.get("app_version"), fac.get("industry_code"), cls, fac.get("province"),
        fac.get("city"), _num(score.get("total")), _num(score.get("max")), _num(score.get("percent")),
        score.get("qualified"), score.get("grade"), score.get("grade_label"), _num(energy.get("total_tce")),
        _num(energy.get("total_co2_t")), _num(energy.get("renewable_share_pct")),
        _num(production.get("output_value_wan_yuan"))))
    prov = {i.get("id"): i.get("provenance") for i in data.get("indicator_values") or []}
    out["indicators"] = [
        (pid, i["id"], i.get("section"), i.get("title"), i.get("kind"), _num(i.get("value")), i.get("unit"),
         _num(i.get("score")), _num(i.get("max")), i.get("state"), i.get("applicable"), prov.get(i["id"]))
        for i in {i["id"]: i for i in score.get("indicators") or []}.values()]
    for cid, c in (energy.get("carriers") or {}).items():
        tce, co2 = c.get("tce_months") or {}, c.get("co2_months") or {}
        for month, q in sorted((c.get("months") or {}).items()):
            out["carriers_by_month"].append((pid, cid, c.get("name"), c.get("unit"), c.get("renewable"), month,
                                             _num(q), _num(tce.get(month)), _num(co2.get(month))))
    return status, out


def _now():
    import datetime as dt

    return dt.datetime.now(dt.UTC)


def _flush(con, batch: dict[str, list[tuple]]) -> None:
    """Write a batch of packages in one transaction: all of them or none."""
    from greendesk.core.review.store import insert_rows

    if not batch["packages"]:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        latest = {}
        for row in batch["factories"]:           # a factory is described by its latest accepted package
            latest[row[0]] = row
        if latest:
            marks = ", ".join("?" * len(latest))
            con.execute(f"DELETE FROM factories WHERE factory_key IN ({marks})", list(latest))
        for table in TABLE_ORDER:
            insert_rows(con, table, list(latest.values()) if table == "factories" else batch[table])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    for rows in batch.values():
        rows.clear()


def review_packages(paths, db_path: str | Path | None, *, trust=None, workers: int | None = None,
                    progress: Callable[[int, int, str], None] | None = None, con=None) -> dict:
    """Verify and load every package under ``paths`` into the database at ``db_path``.

    Returns {"db", "packages": [{"file", "sha256", "action" (loaded / skipped / refused), "status",
    "package_id", "factory", "reasons"}], "counts": {...}}; ``con`` (an open connection) is used
    instead of opening ``db_path``, and stays open.
    """
    from greendesk.core.review.store import connect

    files = find_packages(paths)
    own = con is None
    if own:
        con = connect(db_path)
    try:
        known = {r[0]: r[1:] for r in con.execute(
            "SELECT sha256, package_id, status, factory_name, reasons FROM packages").fetchall()}
        next_id = con.execute("SELECT coalesce(max(package_id), 0) FROM packages").fetchone()[0] + 1
        results: list[dict] = []
        todo: list[tuple[Path, str]] = []
        queued: set[str] = set()
        for f in files:
            sha = _sha256_file(f)
            if sha in known:
                pid, status, factory, reasons = known[sha]
                results.append({"file": str(f), "sha256": sha, "action": "skipped", "status": status,
                                "package_id": pid, "factory": factory, "reasons": list(reasons or [])})
            elif sha not in queued:
                queued.add(sha)
                todo.append((f, sha))
        lang = language()
        done = 0
        batch: dict[str, list[tuple]] = {t: [] for t in TABLE_ORDER}
        for r in _read_all([f for f, _ in todo], trust, lang, workers):
            done += 1
            if progress:
                progress(done, len(todo), r["file"])
            if r["refused"]:
                results.append({"file": r["file"], "sha256": r["sha256"], "action": "refused", "status": None,
                                "package_id": None, "factory": (r["verify"] or {}).get("factory"),
                                "reasons": [r["refused"]]})
                continue
            status, rows = package_rows(r, next_id)
            for table, part in rows.items():
                batch[table] += part
            results.append({"file": r["file"], "sha256": r["sha256"], "action": "loaded", "status": status,
                            "package_id": next_id,
                            "factory": ((r["data"] or {}).get("factory") or {}).get("name")
                            or r["verify"].get("factory"), "reasons": r["problems"]})
            next_id += 1
            if len(batch["packages"]) >= BATCH:
                _flush(con, batch)
        _flush(con, batch)
        order = {str(f): i for i, f in enumerate(files)}
        results.sort(key=lambda x: order.get(x["file"], 0))
        counts = {k: sum(1 for x in results if x["action"] == k) for k in ("loaded", "skipped", "refused")}
        counts["rejected"] = sum(1 for x in results if x["action"] == "loaded" and x["status"] == "rejected")
        counts["accepted"] = sum(1 for x in results if x["action"] == "loaded" and x["status"] == "accepted")
        return {"db": None if db_path is None else str(db_path), "packages": results, "counts": counts}
    finally:
        if own:
            con.close()


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_all(files: list[Path], trust, lang: str, workers: int | None):
    """read_package for every file, in worker processes when there are enough of them; results in order."""
    n = workers if workers is not None else (os.cpu_count() or 1)
    if len(files) < PARALLEL_FROM or n <= 1:
        for f in files:
            yield read_package(f, trust, lang)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork where there is one (as the meter reader's child): a spawned worker would import __main__ again, which
    # for `python -m greendesk` or a frozen build is the command itself. The workers run only read_package
    # (pyHanko, files): nothing of the parent's threads (DuckDB's, Qt's) is used in them.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=min(n, len(files)), mp_context=multiprocessing.get_context(method)) as ex:
        yield from ex.map(read_package, [str(f) for f in files], [trust] * len(files), [lang] * len(files),
                          chunksize=max(1, len(files) // (n * 8)))
