"""The navigation tree: a not-applicable row reads 不适用 / N/A with the grey "not applicable" mark, never
0/0 with a green "complete" dot; answering it applicable again brings its points back."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def _points(view, iid) -> str:
    return view.nav.items[iid].text(1)


def _state(view, iid) -> str:
    return view.nav.items[iid].toolTip(0).split("\n")[1]


def test_not_applicable_row_reads_not_applicable(view):
    from greendesk.ui.nav import display_state

    iid = "energy_saving_products"
    view.on_edited(f"{iid}.standard_applies", "no")
    assert view.live.indicator_result(iid)["applicable"] is False
    assert display_state(view.live, iid, False) == "na"
    assert _points(view, iid) == "不适用" and _state(view, iid) == "不适用"
    assert view.nav.items[iid].foreground(1).color().name() == "#7a7a7a"     # grey, not the green/red of a result
    # applicable again: its points are back (answered yes, no share yet)
    view.on_edited(f"{iid}.standard_applies", "yes")
    assert view.live.indicator_result(iid)["applicable"] is not False
    mx = view.live.indicator_result(iid)["max"]
    assert mx > 0 and _points(view, iid).endswith(f"/{mx:g}") and _state(view, iid) != "不适用"


def test_not_applicable_in_english(window, demo_view):
    window.set_language("en")
    v = window.view
    assert v.live.indicator_result("energy_saving_products")["applicable"] is False     # the demo's answer
    assert _points(v, "energy_saving_products") == "N/A"
    assert _state(v, "energy_saving_products") == "Not applicable"
    assert _points(v, "energy_intensity") == "0/11"                   # an applicable row keeps its points
