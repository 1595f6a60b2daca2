"""``make bench``: run every bench/bench_*.py, print the figures and copy them into README.md.

Each module defines ``run() -> list[dict]``; a dict has ``name``, ``value``, ``unit``,
and optionally ``goal`` (text) and ``ok`` (bool).
Run one with ``python -m bench NAME`` (e.g. ``python -m bench workspace``).
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem[6:] for p in (ROOT / "bench").glob("bench_*.py"))
    rows = []
    for name in names:
        mod = importlib.import_module(f"bench.bench_{name}")
        t0 = time.perf_counter()
        print(f"== {name}", flush=True)
        for r in mod.run():
            r.setdefault("goal", "")
            r["area"] = name
            rows.append(r)
            mark = "" if "ok" not in r else ("  ok" if r["ok"] else "  MISSED")
            print(f"   {r['name']}: {_fmt(r['value'])} {r['unit']}  {r['goal']}{mark}", flush=True)
        print(f"   ({time.perf_counter() - t0:.1f} s)")
    if not argv:
        _write_readme(rows)
    missed = [f"{r['area']}: {r['name']}" for r in rows if r.get("ok") is False]
    if missed:  # reported, not a failure of the command: the figures are still written
        print("goals missed:\n  " + "\n  ".join(missed))
    return 0


def _fmt(v) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def _write_readme(rows: list[dict]) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text:
        return
    cpu = platform.processor() or platform.machine()
    lines = [BEGIN, "",
             f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({cpu}), "
             f"Python {platform.python_version()}.", "",
             "| area | measure | value | goal | met |", "|---|---|---|---|---|"]
    for r in rows:
        met = "" if "ok" not in r else ("yes" if r["ok"] else "**no**")
        lines.append(f"| {r['area']} | {r['name']} | {_fmt(r['value'])} {r['unit']} | {r['goal']} | {met} |")
    lines += ["", END]
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    readme.write_text(head + "\n".join(lines) + tail, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
