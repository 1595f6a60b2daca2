"""Durable per-edit commit latency: 2,000 answer edits, each its own transaction, synchronous=FULL."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from greendesk.core.workspace import Workspace

EDITS = 2000


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
    lat.sort()
    p50 = statistics.median(lat)
    p99 = lat[int(len(lat) * 0.99) - 1]
    return [
        {"name": f"per-edit commit p50 ({EDITS} edits, WAL, synchronous=FULL)", "value": round(p50, 3), "unit": "ms"},
        {"name": f"per-edit commit p99 ({EDITS} edits, WAL, synchronous=FULL)", "value": round(p99, 3), "unit": "ms",
         "goal": "≤ 5 ms", "ok": p99 <= 5.0},
    ]
