"""Finalize warns (never blocks) about a row with a value but none of its required evidence."""

from __future__ import annotations

from greendesk.core import finalize
from greendesk.core.workspace import Workspace


def _evidence_items(p):
    return [w["item"] for w in p["warnings"] if w["kind"] == "evidence"]


def test_value_without_evidence_warns_and_attaching_clears_it(demo_path):
    with Workspace.open(demo_path) as ws:
        aid = ws.assessment()["id"]
        p = finalize.problems(ws, aid, lang="zh")
        items = _evidence_items(p)
        assert len(items) == 21 and "energy_saving_products" not in items      # not applicable: no warning
        w = next(w for w in p["warnings"] if w["item"] == "energy_intensity" and w["kind"] == "evidence")
        assert w["text"].startswith("已有数值但未附任何要求的证明材料：1 能源消耗强度") and "计算表" in w["text"]
        ws.add_evidence(aid, b"%PDF-1.4 x", name="计算表.pdf", item_id="energy_intensity")
        ws.add_evidence(aid, b"%PDF-1.4 y", name="废气监测.pdf", item_id="waste_gas_concentration.pollutants")
        ws.add_evidence(aid, b"%PDF-1.4 z", name="营业执照.pdf")                # general: ties to no row
        after = _evidence_items(finalize.problems(ws, aid, lang="en"))
        assert set(items) - set(after) == {"energy_intensity", "waste_gas_concentration"} and len(after) == 19
        # a row without a value is not warned about
        ws.set_answer(aid, "plot_ratio.floor_area_m2", None)
        assert "plot_ratio" not in _evidence_items(finalize.problems(ws, aid))
        result = finalize.finalize(ws, aid, by="tester")                       # warnings only: it finalizes
        assert result["blocking"] == [] and ws.assessment(aid)["status"] == "final"
