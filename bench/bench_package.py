"""Declaration package: export and sign a ~50-page package carrying 20 MB of evidence.

The floor is measured in the same run: rendering the same report alone plus hashing the
evidence (SHA-256), i.e. the work no package can avoid. Goal: export <= 1.3x the floor (wall time,
medians of RUNS alternating runs). The machine is shared, so the CPU time of this process is given
beside it: it is what the export costs, whatever else the machine is doing.
"""

from __future__ import annotations

import hashlib
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

EVIDENCE_MB = 20
N_EVIDENCE = 10
N_INDICATORS = 108
FIELDS = 4
RUNS = 5


def _workspace(dirpath: Path):
    from greendesk.core.demo import build_demo
    from greendesk.core.package.sample import sample_energy, sample_scheme_score
    from greendesk.core.workspace import Workspace

    path = build_demo(dirpath / "bench.greendesk")
    scheme, score, answers = sample_scheme_score(N_INDICATORS, FIELDS)
    indicators = [i.id for s in scheme.sections for i in s.indicators]
    with Workspace.open(path) as ws:
        aid = ws.assessment()["id"]
        ws.set_answers(aid, answers)
        size = EVIDENCE_MB * 1024 * 1024 // N_EVIDENCE
        for k in range(N_EVIDENCE):
            # incompressible, like scanned PDFs and photos
            ws.add_evidence(aid, os.urandom(size), name=f"扫描件-{k + 1:02d}.pdf", item_id=indicators[k * 3],
                            mime="application/pdf")
    overrides = {"score": score, "energy": sample_energy(), "scheme": scheme}
    # The organisation's certificate, made once beforehand (as a factory would)
    from greendesk.core.package.certs import new_identity, write_p12

    write_p12(new_identity("重庆渝锐精密压铸有限公司"), dirpath / "org.p12", "bench")
    return path, overrides


def _floor(ws_path: Path, overrides: dict) -> tuple[float, int, float]:
    """Render the same report alone and hash the evidence."""
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.package.export import manifest_bytes, plan_files
    from greendesk.core.package.report import render_report
    from greendesk.core.workspace import Workspace

    with Workspace.open(ws_path, readonly=True) as ws:
        data = collect_report_data(ws, None, "zh", **overrides)
        files = plan_files(ws, data)
    man = manifest_bytes(files, data)
    annex = [{k: f[k] for k in ("name", "size", "sha256", "kind")} for f in files]
    annex.append({"name": "greendesk-manifest.json", "size": len(man), "sha256": None, "kind": "data"})
    t0, c0 = time.perf_counter(), time.process_time()
    for f in files:
        hashlib.sha256(f["data"]).hexdigest()
    info = render_report(data, io.BytesIO(), signer="x", files=annex)
    return time.perf_counter() - t0, info["pages"], time.process_time() - c0


def _export(ws_path: Path, out: Path, overrides: dict) -> tuple[float, dict, float]:
    from greendesk.core.package.export import export_package

    t0, c0 = time.perf_counter(), time.process_time()
    r = export_package(ws_path, out, lang="zh", p12_path=ws_path.parent / "org.p12", passphrase="bench",
                       _collect_overrides=overrides)
    return time.perf_counter() - t0, r, time.process_time() - c0


def run() -> list[dict]:
    from greendesk.core.package.report import register_fonts

    register_fonts()  # font loading is a one-off per process; keep it out of both figures
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        ws_path, overrides = _workspace(d)
        _export(ws_path, d / "warm.pdf", overrides)          # warm caches (imports, font subsetter)
        floors, exports, floor_cpu, export_cpu = [], [], [], []
        pages = size = 0
        for i in range(RUNS):
            f, pages, fc = _floor(ws_path, overrides)
            floors.append(f)
            floor_cpu.append(fc)
            e, r, ec = _export(ws_path, d / f"pkg{i}.pdf", overrides)
            exports.append(e)
            export_cpu.append(ec)
            size = r["bytes"]
        floor, export = statistics.median(floors), statistics.median(exports)
        ratio = export / floor
        cpu_ratio = statistics.median(export_cpu) / statistics.median(floor_cpu)
    return [
        {"name": f"export + sign ({pages} pages, {EVIDENCE_MB} MB evidence)", "value": round(export, 3), "unit": "s"},
        {"name": "floor: render alone + hash evidence", "value": round(floor, 3), "unit": "s"},
        {"name": "export / floor", "value": round(ratio, 2), "unit": "x", "goal": "<= 1.3x", "ok": ratio <= 1.3},
        {"name": "export / floor, CPU time of the process "
                 f"({statistics.median(export_cpu):.2f} s / {statistics.median(floor_cpu):.2f} s)",
         "value": round(cpu_ratio, 2), "unit": "x"},
        {"name": "package size", "value": round(size / 1024 / 1024, 1), "unit": "MB"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
