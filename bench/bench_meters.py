"""Meter import benchmark: a 1,000,000-cell ledger (hourly data for a year from 114 sub-meters).

Each measurement runs in its own fresh process, so peak memory (ru_maxrss) belongs to it alone:
a bare python-calamine read, a bare openpyxl read-only read, and the end-to-end import
(read, detect, normalise, check, store into a new workspace). The import is compared with the bare read
timed just before it, five times; the ratio is the median of those five. The generated file is
cached under /tmp so reruns are fast.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

METERS = 114
HOURS = 8760
RUNS = int(os.environ.get("GREENDESK_BENCH_RUNS_METERS", "5"))
CACHE = Path(tempfile.gettempdir()) / "greendesk-bench-meters"
LEDGER = CACHE / f"hourly_{METERS}x{HOURS}.xlsx"
ROOT = Path(__file__).resolve().parent.parent


def make_ledger(path: Path = LEDGER) -> Path:
    if path.exists():
        return path
    import datetime as dt
    import random

    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(42)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("逐时数据")
    ws.append(["2025年分项计量逐时用电数据"])
    ws.append(["时间"] + [f"{i + 1}#支路 (kWh)" for i in range(METERS)])
    start = dt.datetime(2025, 1, 1)
    base = [rnd.uniform(5, 400) for _ in range(METERS)]
    for h in range(HOURS):
        load = 0.6 + 0.4 * (8 <= h % 24 < 20)
        ws.append([start + dt.timedelta(hours=h)] + [round(b * load * rnd.uniform(0.9, 1.1), 2) for b in base])
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return path


_CHILD = r"""
import json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
if mode == "calamine":
    from python_calamine import CalamineWorkbook
    t0 = time.perf_counter()
    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    n = sum(len(r) for r in rows)
elif mode == "openpyxl":
    from openpyxl import load_workbook
    t0 = time.perf_counter()
    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for row in wb.worksheets[0].iter_rows(values_only=True):
        n += len(row)
    wb.close()
else:
    import os, tempfile
    import python_calamine  # noqa: F401  (imported before timing, as in the bare read)
    from greendesk.core.meters import analyse, commit
    from greendesk.core.workspace import Workspace
    d = tempfile.mkdtemp()
    ws = Workspace.create(os.path.join(d, "b.greendesk"), {"name": "bench", "uscc": "91350100M000100Y43"})
    aid = ws.create_assessment("gbt36132-2025", "1", 2025)
    t0 = time.perf_counter()
    plan = analyse([path], year=2025)
    if not plan.ok:
        raise SystemExit("; ".join(i.text() for i in plan.errors[:3]))
    s = commit(ws, aid, plan)
    n = s.readings
    ws.close()
el = time.perf_counter() - t0
print(json.dumps({"seconds": el, "n": n, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "child_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _measure(mode: str, path: Path, **extra_env: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **extra_env)
    out = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path)], capture_output=True, text=True, env=env,
                         timeout=600)
    if out.returncode:
        raise RuntimeError(f"{mode}: {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> list[dict]:
    path = make_ledger()
    cells = (HOURS + 2) * (METERS + 1)
    # Each import is timed right after a bare read and the ratio is the median of those pairs': the bare read
    # alone moved between 0.70 and 0.86 s from run to run on the 2-core machine, so the best of two runs of
    # each (the earlier method) could pair a lucky read with an ordinary import.
    pairs = []
    for _ in range(RUNS):
        pairs.append((_measure("calamine", path), _measure("import", path)))
    cal = min((c for c, _ in pairs), key=lambda d: d["seconds"])
    e2e = min((e for _, e in pairs), key=lambda d: d["seconds"])
    e2e = dict(e2e, maxrss_mb=max(e["maxrss_mb"] for _, e in pairs),
               child_maxrss_mb=max(e["child_maxrss_mb"] for _, e in pairs))
    opx = _measure("openpyxl", path)
    # the same import with the native reader in this process (no crash isolation), for comparison
    inproc = min((_measure("import", path, GREENDESK_READ_INPROCESS="1") for _ in range(2)),
                 key=lambda d: d["seconds"])
    r_cal = statistics.median(e["seconds"] / c["seconds"] for c, e in pairs)
    r_opx = opx["seconds"] / e2e["seconds"]
    return [
        {"name": f"import {cells:,} cells end to end", "value": round(e2e["seconds"], 3), "unit": "s"},
        {"name": "bare python-calamine read", "value": round(cal["seconds"], 3), "unit": "s"},
        {"name": "bare openpyxl read-only read", "value": round(opx["seconds"], 3), "unit": "s"},
        {"name": f"import / calamine read (median of {RUNS} paired runs)", "value": round(r_cal, 2), "unit": "x",
         "goal": "≤ 1.5x",
         "ok": r_cal <= 1.5},
        {"name": "openpyxl read / import", "value": round(r_opx, 2), "unit": "x faster", "goal": "≥ 3x",
         "ok": r_opx >= 3},
        {"name": "import peak memory (maxrss)", "value": round(e2e["maxrss_mb"], 1), "unit": "MB",
         "goal": "≤ 500 MB", "ok": e2e["maxrss_mb"] <= 500},
        {"name": "peak memory of the reading child process (maxrss)", "value": round(e2e["child_maxrss_mb"], 1),
         "unit": "MB", "goal": "≤ 500 MB", "ok": e2e["child_maxrss_mb"] <= 500},
        {"name": "import with the reader in-process (no isolation) / calamine read",
         "value": round(inproc["seconds"] / cal["seconds"], 2), "unit": "x"},
        {"name": "monthly values stored", "value": e2e["n"], "unit": "rows", "goal": f"{METERS * 12}",
         "ok": e2e["n"] == METERS * 12},
    ]


if __name__ == "__main__":
    for r in run():
        print(r)
