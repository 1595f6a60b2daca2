"""Years in the app: the year picker shows each year's own assessment, "New year…" carries this year's answers
over to confirm, and the import wizard asks before a ledger's months of a year without an assessment go in."""

from __future__ import annotations

import pytest

from tests.core.annual import threeyears as T

pytestmark = pytest.mark.gui


@pytest.fixture
def three_path(tmp_path):
    ws, _ids = T.build(tmp_path / "three.greendesk")
    ws.close()
    return tmp_path / "three.greendesk"


def test_the_year_picker_keeps_each_years_assessment_apart(window, three_path):
    assert window.open_workspace(three_path)
    view = window.view
    picker = view.year_picker
    assert [picker.combo.itemText(i) for i in range(picker.combo.count())] == ["2025 (草稿)", "2024 (草稿)",
                                                                                 "2023 (草稿)"]
    assert view.assessment["year"] == 2025
    picker.combo.setCurrentIndex(2)
    picker.combo.activated.emit(2)
    view = window.view                       # the window rebuilt the view on 2023
    assert view.assessment["year"] == 2023 and view.year_picker.combo.currentText() == "2023 (草稿)"
    assert view.live.answer("solid_waste_use.utilised_t") == T.UTILISED[2023]
    assert "2023" in window.statusBar().currentMessage()
    # an edit in 2023 stays in 2023
    view.store("solid_waste_use.utilised_t", 451.0)
    ids = {a["year"]: a["id"] for a in view.ws.assessments()}
    assert view.ws.answers(ids[2023])["solid_waste_use.utilised_t"] == 451.0
    assert view.ws.answers(ids[2025])["solid_waste_use.utilised_t"] == T.UTILISED[2025]
    # the dashboard and the annual return follow the picked year
    view.show_page("dashboard")
    assert view.dashboard.energy_summary.text().startswith("2023 年：综合能源消费量 293.2 tce")   # 293.196 by hand


def test_new_year_carries_this_years_answers_over_to_confirm(window, three_path):
    from greendesk.core.schemes.continuity import unconfirmed

    assert window.open_workspace(three_path)
    new_id = window.view.new_year(2026)
    view = window.view
    assert new_id and view.aid == new_id and view.assessment["year"] == 2026
    rows = unconfirmed(view.ws, new_id)
    assert len(rows) == len(T.year_answers(2025)) and {r["from_year"] for r in rows} == {2025}
    view.jump_to("solid_waste_use")
    note = view.pages["solid_waste_use"].notes["solid_waste_use.utilised_t"]
    assert "来自2025年，请确认" in note.text()
    # a year that exists is refused, not doubled
    assert view.new_year(2025) is None
    assert sum(1 for a in view.ws.assessments() if a["year"] == 2025) == 1


def _fiscal(tmp_path):
    p = tmp_path / "财年台账.csv"
    months = [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 7)]
    p.write_text("\n".join(["月份,电（外购）", ",kWh"] + [f"{y}年{m}月,1000" for y, m in months]) + "\n",
                 encoding="utf-8")
    return p


def _to_preview(view, qtbot, ledger):
    from greendesk.ui.importwizard import ImportWizard

    wiz = ImportWizard(view.ws, view.aid, 2025, view)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.add_files([ledger])
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.mapping_page, timeout=20000)
    wiz.next()
    assert wiz.currentPage() is wiz.preview_page and wiz.preview_page.isComplete()
    return wiz


def test_the_wizard_asks_before_creating_a_year_for_a_ledgers_months(view, qtbot, tmp_path, isolated_ui,
                                                                     monkeypatch):
    wiz = _to_preview(view, qtbot, _fiscal(tmp_path))
    wiz.next()                                  # no one answers (tests): nothing created, nothing imported
    assert wiz.currentPage() is wiz.preview_page and not wiz.imported
    text, question, _ = isolated_ui[-1]
    assert "2024：2024-07 至 2024-12（6 个月）" in text and "2024" in question
    assert [a["year"] for a in view.ws.assessments()] == [2025]
    assert view.ws.conn.execute("SELECT COUNT(*) FROM meter_readings").fetchone()[0] == 0
    from greendesk.ui import errors

    monkeypatch.setattr(errors, "offer", lambda *a, **k: True)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.done_page, timeout=20000)
    ids = {a["year"]: a["id"] for a in view.ws.assessments()}
    assert set(ids) == {2024, 2025}
    per = dict(view.ws.conn.execute(
        "SELECT i.assessment_id, SUM(r.value) FROM meter_readings r JOIN meter_imports i ON i.id = r.import_id "
        "GROUP BY i.assessment_id").fetchall())
    assert per == {ids[2024]: 6000.0, ids[2025]: 6000.0}
    wiz.accept()
