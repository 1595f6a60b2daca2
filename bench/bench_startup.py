"""Start-up of the GUI: process start to a painted main window on the demo workspace.

Compared with a bare PySide6 window of similar size (a QMainWindow with a splitter, a tree, a
form of 30 fields) started the same way in the same run; wall time of the whole process, median
of 11 runs, each app run right after a bare one (the ratio is the median of those pairs' ratios); peak RSS
from the OS (wait4). Also checks that reportlab, pyHanko, calamine and
openpyxl stay out of start-up, and PyYAML too (parsed data comes from greendesk.core.datacache).

The app imports PySide6 with shiboken's support modules compiled once and kept (greendesk.core.codecache);
the bare window compiles them at every start, as any PySide6 program does. A third window, the bare one
importing PySide6 the app's way, shows what is left of the app's own cost.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RUNS = int(os.environ.get("GREENDESK_BENCH_RUNS", "11"))
HEAVY = ("reportlab", "pyhanko", "python_calamine", "openpyxl", "cryptography", "asn1crypto", "yaml")
# issue 15 item 10 raised the goal from 2.0x to 1.6x the bare window
GOAL_RATIO = 1.6

BARE = r"""
import sys
if "--codecache" in sys.argv:  # shiboken's support modules compiled once, as the app imports PySide6
    from greendesk.ui.startup import import_pyside
    import_pyside()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (QApplication, QFormLayout, QLineEdit, QMainWindow, QSplitter, QTreeWidget,
                               QTreeWidgetItem, QWidget)
if "--qt" in sys.argv:  # what any real window touches: Qt's namespace (alignment, orientation ...), ~100 enums
    from PySide6.QtCore import Qt
    Qt.AlignmentFlag
app = QApplication(sys.argv[:1])
win = QMainWindow()
split = QSplitter()
tree = QTreeWidget()
word = "指标" if "--cjk" in sys.argv else "indicator"
for i in range(6):
    top = QTreeWidgetItem([f"section {i}"])
    tree.addTopLevelItem(top)
    for j in range(4):
        top.addChild(QTreeWidgetItem([f"{word} {i}.{j}"]))
form = QWidget()
lay = QFormLayout(form)
for i in range(30):
    lay.addRow(f"{word} {i}", QLineEdit())
split.addWidget(tree)
split.addWidget(form)
win.setCentralWidget(split)
win.resize(1280, 800)
class W(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: app.exit(0))
        return False
w = W()
win.installEventFilter(w)
win.show()
sys.exit(app.exec())
"""

CORE_ONLY = r"""
import sys
from greendesk.core.schemes import scoring
from greendesk.core.schemes.registry import get_scheme
from greendesk.core.workspace import Workspace
ws = Workspace.open(sys.argv[1])
a = ws.assessment()
scheme = get_scheme(a["scheme_id"])
scoring.evaluate(scheme, ws.answers(a["id"]), benchmarks=ws.benchmarks(scheme.id),
                 auto_values=scoring.auto_values_for(ws, a["id"]))
ws.close()
"""

MODULES = r"""
import sys
from greendesk.cli import main
rc = main(["open", sys.argv[1], "--exit-when-ready"])
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))
print(",".join(heavy))
sys.exit(rc)
"""


# Each measured process is started by a small fresh launcher: on Linux a child's peak RSS
# (ru_maxrss) starts from its parent's RSS at fork time, and this bench may run after other
# benchmarks in a process that holds hundreds of MB.
_LAUNCHER = r"""
import os, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_pid, status, usage = os.wait4(p.pid, 0)
print(time.perf_counter() - t0, usage.ru_maxrss, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)
"""


_CPU: dict[str, list[float]] = {}


def _instructions(cmd: list[str], env: dict) -> int | None:
    """Instructions executed by ``cmd`` (valgrind's callgrind; None without valgrind). Unlike time, the count
    does not move with what else the machine is doing: it is the figure to compare two versions by."""
    if shutil.which("valgrind") is None:
        return None
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                       env=dict(env, GREENDESK_READY_TIMEOUT="300"), capture_output=True, text=True, timeout=600)
    m = re.search(r"Collected : (\d+)", p.stderr)
    return int(m.group(1)) if p.returncode == 0 and m else None


def _run(cmd: list[str], env: dict, cpu_key: str | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one process; its CPU time (user + sys) goes to ``_CPU[cpu_key]``."""
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    wall, rss_kb, rc, cpu = float(out[0]), int(out[1]), int(out[2]), float(out[3])
    if rc != 0:
        raise RuntimeError(f"{cmd} exited {rc}")
    if cpu_key:
        _CPU.setdefault(cpu_key, []).append(cpu)
    return wall, rss_kb / 1024 if sys.platform != "darwin" else rss_kb / 1024 / 1024


def run() -> list[dict]:
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PYTHONPATH=str(root))
    # An installed app runs from compiled bytecode: allow it (kept outside the source tree).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="greendesk-bench-") as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        env["GREENDESK_SETTINGS_DIR"] = str(Path(tmp) / "settings")
        demo = Path(tmp) / "demo.greendesk"
        from greendesk.core.demo import build_demo

        build_demo(demo)
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        app_cmd = [sys.executable, "-m", "greendesk", "open", str(demo), "--exit-when-ready"]
        bare_cmd = [sys.executable, str(bare)]
        _run(app_cmd, env)  # warm the file cache (both share PySide6)
        _run(bare_cmd, env)
        core_cmd = [sys.executable, "-c", CORE_ONLY, str(demo)]
        cjk_cmd = [sys.executable, str(bare), "--cjk"]
        qt_cmd = [sys.executable, str(bare), "--qt"]
        cached_cmd = [sys.executable, str(bare), "--codecache"]
        _run(cached_cmd, env)  # (fills the code cache)
        _run(core_cmd, env)
        app_t, bare_t, app_rss, bare_rss, core_t, cjk_t, qt_t, cached_t = [], [], [], [], [], [], [], []
        for _ in range(RUNS):  # interleaved, so that machine noise hits all alike
            w, r = _run(bare_cmd, env, "bare")
            bare_t.append(w)
            bare_rss.append(r)
            w, r = _run(app_cmd, env, "app")
            app_t.append(w)
            app_rss.append(r)
            core_t.append(_run(core_cmd, env)[0])
            cjk_t.append(_run(cjk_cmd, env)[0])
            qt_t.append(_run(qt_cmd, env, "qt")[0])
            cached_t.append(_run(cached_cmd, env)[0])
        counts = {k: _instructions(c, env) for k, c in (("app", app_cmd), ("bare", bare_cmd), ("qt", qt_cmd),
                                                        ("cached", cached_cmd))}
        out = subprocess.run([sys.executable, "-c", MODULES, str(demo), ",".join(HEAVY)], env=env,
                             capture_output=True, text=True, timeout=120)
        heavy = [m for m in out.stdout.strip().splitlines()[-1:][0].split(",") if m] if out.stdout.strip() else []
    app_med, bare_med = statistics.median(app_t), statistics.median(bare_t)
    # each app run is timed right after a bare run: the ratio of each such pair cancels what the machine was
    # doing at that moment (the ratio of the two medians moved by ±0.2x between runs on the 2-core machine)
    ratio = statistics.median(a / b for a, b in zip(app_t, bare_t, strict=True))
    peak = max(app_rss)
    # CPU time is steadier than wall time on a busy machine (other processes take the cores, not our work)
    cpu_ratio = min(_CPU["app"]) / min(_CPU["bare"])
    rows = [
        {"name": "start to painted main window (demo workspace)", "value": round(app_med, 3), "unit": "s"},
        {"name": "bare PySide6 window, same run", "value": round(bare_med, 3), "unit": "s"},
        {"name": "bare window with Chinese labels (font loading), same run",
         "value": round(statistics.median(cjk_t), 3), "unit": "s"},
        {"name": "bare window that also loads Qt's namespace enums (Qt.AlignmentFlag …), same run",
         "value": round(statistics.median(qt_t), 3), "unit": "s"},
        {"name": "bare window that also keeps shiboken's compiled support modules (as the app does), same run",
         "value": round(statistics.median(cached_t), 3), "unit": "s"},
        {"name": "start-up ratio to that bare window (ratio of the medians)",
         "value": round(app_med / statistics.median(cached_t), 2), "unit": "x"},
        {"name": "start-up CPU time (fastest run): bare window with Qt's namespace / bare window",
         "value": round(min(_CPU["qt"]) / min(_CPU["bare"]), 2), "unit": "x"},
        {"name": "core alone, no Qt (open, load scheme, energy, evaluate), same run",
         "value": round(statistics.median(core_t), 3), "unit": "s"},
        {"name": "start-up ratio to the bare window (median of the paired runs' ratios)", "value": round(ratio, 2),
         "unit": "x", "goal": f"≤ {GOAL_RATIO}x",
         "ok": ratio <= GOAL_RATIO},
        {"name": "start-up CPU time (user+sys, fastest run): app / bare window", "value": round(cpu_ratio, 2),
         "unit": "x"},
        {"name": "peak RSS at start-up", "value": round(peak, 1), "unit": "MB", "goal": "≤ 300 MB", "ok": peak <= 300},
        {"name": f"heavy libraries imported at start-up ({', '.join(heavy) or 'none'})", "value": len(heavy),
         "unit": "modules",
         "goal": "0 (reportlab, pyHanko, calamine, openpyxl, PyYAML lazy)", "ok": not heavy},
    ]
    if all(counts.values()):
        rows += [
            {"name": "instructions to the painted window (callgrind): app", "value": round(counts["app"] / 1e6),
             "unit": "M"},
            {"name": "instructions: bare window / bare window with Qt's namespace",
             "value": f"{counts['bare'] / 1e6:.0f} / {counts['qt'] / 1e6:.0f}", "unit": "M"},
            {"name": "instructions: app / bare window", "value": round(counts["app"] / counts["bare"], 3), "unit": "x"},
            {"name": "instructions: bare window keeping shiboken's compiled support modules; app / it",
             "value": f"{counts['cached'] / 1e6:.0f} M; {counts['app'] / counts['cached']:.3f}x", "unit": ""},
        ]
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
