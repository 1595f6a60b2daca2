"""Durable per-edit commit latency: 2,000 answer edits, each its own transaction, synchronous=FULL; and opening
a workspace that holds 200 MB of evidence (its structure is checked at every open: without the blob store
once the file is large, see greendesk.core.workspace.FULL_CHECK_BYTES)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from greendesk.core.workspace import Workspace

EDITS = 2000
EVIDENCE_FILES, EVIDENCE_MB = 20, 10


def _open_large(d: Path) -> tuple[float, float]:
    """(median ms to open and close, file MB) for a workspace with EVIDENCE_FILES x EVIDENCE_MB of evidence."""
    from greendesk.core.demo import build_demo

    path = build_demo(d / "large.greendesk")
    with Workspace.open(path) as ws:
        aid = ws.assessment()["id"]
        for k in range(EVIDENCE_FILES):  # incompressible, like scans
            ws.add_evidence(aid, os.urandom(EVIDENCE_MB * 1024 * 1024), name=f"扫描件-{k + 1:02d}.pdf",
                            mime="application/pdf")
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        Workspace.open(path).close()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), path.stat().st_size / 1024 / 1024


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as d:
        ws = Workspace.create(Path(d) / "bench.greendesk", {"name": "Bench", "uscc": "91350100M000100Y43"})
        aid = ws.create_assessment("gbt36132-2025", "1", 2025)
        lat = []
        for i in range(EDITS):
            t0 = time.perf_counter()
            ws.set_answer(aid, f"field{i % 200}", {"v": i, "t": "文本" * (i % 7)})
            lat.append((time.perf_counter() - t0) * 1000)
        ws.close()
        open_ms, size_mb = _open_large(Path(d))
    lat.sort()
    p50 = statistics.median(lat)
    p99 = lat[int(len(lat) * 0.99) - 1]
    return [
        {"name": f"per-edit commit p50 ({EDITS} edits, WAL, synchronous=FULL)", "value": round(p50, 3), "unit": "ms"},
        {"name": f"per-edit commit p99 ({EDITS} edits, WAL, synchronous=FULL)", "value": round(p99, 3), "unit": "ms",
         "goal": "≤ 5 ms", "ok": p99 <= 5.0},
        {"name": f"open (and close) a workspace of {size_mb:.0f} MB ({EVIDENCE_FILES} evidence files), median of 7",
         "value": round(open_ms, 1), "unit": "ms", "goal": "≤ 50 ms", "ok": open_ms <= 50},
    ]
