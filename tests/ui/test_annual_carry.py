"""Across years in the app: carried-over answers marked "from 2024, please confirm" per field with a confirm
link and one for the whole section, counted on the dashboard; the dashboard's three-year check."""

from __future__ import annotations

import os

import pytest

from tests.core.annual import threeyears as T

pytestmark = pytest.mark.gui


@pytest.fixture
def three_path(tmp_path):
    """2023-2025, where 2025 holds only what 2024 carried over."""
    ws, _ids = T.build(tmp_path / "three.greendesk", skip_data=(2025,))
    ws.close()
    return tmp_path / "three.greendesk"


def _shot(widget, name):
    out = os.environ.get("GREENDESK_SHOTS")
    if out:
        widget.grab().save(os.path.join(out, name))


def test_carried_fields_are_marked_until_confirmed(window, three_path):
    from greendesk.core.schemes.continuity import unconfirmed

    assert window.open_workspace(three_path)
    view = window.view
    assert view.assessment["year"] == 2025
    view.jump_to("water_reuse")
    page = view.pages["water_reuse"]
    note = page.notes["water_reuse.reused_m3"]
    assert note.isVisibleTo(view) and "来自2024年，请确认" in note.text() and "确认" in note.text()
    bar = page.carried_bar
    assert bar.isVisibleTo(view)
    assert "本部分有 4 项答案来自2024年" in bar.text() and "确认本部分全部" in bar.text()
    _shot(view, "carried_form.png")
    # one field: confirm keeps the value and takes the mark away
    note.linkActivated.emit("keep")
    assert not note.isVisibleTo(view)
    rows = {r["field_id"]: r for r in view.ws.answer_rows(view.aid)}
    assert rows["water_reuse.reused_m3"]["source"] == "user" and rows["water_reuse.reused_m3"]["value"] == T.REUSED_M3
    assert "3 项" in bar.text()
    # the whole section (resources): the other three go, the energy and pollution ones stay
    bar.linkActivated.emit("section")
    assert not bar.isVisibleTo(view)
    left = {r["field_id"] for r in unconfirmed(view.ws, view.aid)}
    assert left == {"energy_intensity.quota_applies", "wastewater_concentration.discharges",
                    "wastewater_concentration.pollutants", "waste_gas_concentration.emits"}
    # the dashboard counts what is left, with the year, and jumps to it
    view.show_page("dashboard")
    d = view.dashboard
    top = d.issues.topLevelItem(0)
    assert top.text(0) == "待确认" and "4 项答案来自2024年" in top.text(1)
    d._activated(top)
    assert view.current_id == "energy_intensity"


def test_editing_a_carried_value_confirms_it_and_refreshing_does_not(window, three_path):
    assert window.open_workspace(three_path)
    view = window.view
    view.jump_to("solid_waste_use")
    page = view.pages["solid_waste_use"]
    page.flush()                     # leaving a field without typing writes nothing
    view.reevaluate()
    src = {r["field_id"]: r["source"] for r in view.ws.answer_rows(view.aid)}
    assert src["solid_waste_use.utilised_t"] == "carried:2024"
    view.store("solid_waste_use.utilised_t", 420.0)
    src = {r["field_id"]: r["source"] for r in view.ws.answer_rows(view.aid)}
    assert src["solid_waste_use.utilised_t"] == "user" and src["solid_waste_use.generated_t"] == "carried:2024"
    assert not page.notes["solid_waste_use.utilised_t"].isVisibleTo(view)
    assert page.notes["solid_waste_use.generated_t"].isVisibleTo(view)


def test_dashboard_shows_the_three_year_check_with_what_to_do(window, tmp_path):
    ws, _ = T.build(tmp_path / "full.greendesk")
    ws.close()
    assert window.open_workspace(tmp_path / "full.greendesk")
    view = window.view
    view.show_page("dashboard")
    d = view.dashboard
    assert "2023–2025：5 项指标需关注，0 项缺数据，4 项正常。" in d.years_text.text()
    assert d.years.topLevelItemCount() == 5          # the flagged ones; the ok ones are counted, not listed
    rows = {d.years.topLevelItem(i).text(0): d.years.topLevelItem(i) for i in range(d.years.topLevelItemCount())}
    it = rows["单位产值综合能耗（当量值）"]
    assert it.text(1) == "需关注"
    # 2023 58.64 → 2024 61.59 → 2025 66.01 kgce/万元 (293.196, 307.948, 330.066 tce ÷ 5000 万元)
    assert "连续两年变差" in it.text(2) and "58.64" in it.text(2) and "66.01" in it.text(2)
    assert "查明" in it.text(3)
    assert "工业固体废物综合利用率" in " ".join(rows)
    from PySide6.QtWidgets import QGroupBox

    d.resize(1000, 700)
    _shot(d.findChild(QGroupBox, "years_box"), "dashboard_years.png")
    d.years_open.click()
    assert view.tabs.currentIndex() == 4
