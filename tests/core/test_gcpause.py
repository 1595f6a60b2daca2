"""``greendesk.core.gcpause.gc_paused``: the collector is paused while the work runs and resumed as it was, also
after an error; the package's rendering and export run paused (their collections walked every live object:
0.2-0.6 s of a 52-page export)."""

from __future__ import annotations

import gc
import io

import pytest

from greendesk.core.gcpause import gc_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_resumed_after(collector_on):
    seen = []

    @gc_paused
    def work(x):
        seen.append(gc.isenabled())
        return x * 2

    assert work(21) == 42 and seen == [False] and gc.isenabled()

    @gc_paused
    def fails():
        seen.append(gc.isenabled())
        raise ValueError("bad cell")

    with pytest.raises(ValueError):
        fails()
    assert seen == [False, False] and gc.isenabled()
    assert work.__name__ == "work"


def test_a_paused_collector_stays_paused(collector_on):
    gc.disable()
    gc_paused(lambda: None)()
    assert not gc.isenabled()


def test_the_report_renders_with_the_collector_paused(collector_on, tmp_path):
    from greendesk.core.demo import build_demo
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.package.report import render_report
    from greendesk.core.workspace import Workspace

    with Workspace.open(build_demo(tmp_path / "demo.greendesk"), readonly=True) as ws:
        data = collect_report_data(ws, None, "zh")
    states = []
    info = render_report(data, io.BytesIO(), signer="测试", progress=lambda f: states.append(gc.isenabled()))
    assert info["pages"] > 5 and states and not any(states)
    assert gc.isenabled()
