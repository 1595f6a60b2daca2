"""The annual return page's charts: each carrier's months with one bar per year, each key indicator by year,
from the three-year workspace (figures hand-computed in tests/core/annual/threeyears.py)."""

from __future__ import annotations

import os

import pytest

from tests.core.annual import threeyears as T

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, qapp, tmp_path):
    from greendesk.ui.annualpage import AnnualPage
    from greendesk.ui.app import create_app

    create_app()
    ws, _ = T.build(tmp_path / "three.greendesk", listing_year=2023)
    p = AnnualPage(ws, 2025)
    qtbot.addWidget(p)
    p.resize(1100, 900)
    p.show()
    p.reload()
    yield p
    ws.close()


def test_charts_show_every_carrier_and_key_indicator_across_the_years(page):
    c = page.charts
    by_carrier = {ch.objectName(): ch for ch in c.monthly}
    assert set(by_carrier) == {"months:electricity", "months:natural_gas", "months:water"}
    el = by_carrier["months:electricity"]
    assert list(el.years) == ["2023", "2024", "2025"]
    assert el.years["2023"] == [T.ELECTRICITY[2023]] * 12 and el.years["2025"] == [T.ELECTRICITY[2025]] * 12
    assert "2024: 12" in el.toolTip() and "1,320,000" in el.toolTip()      # 12 × 110,000 kWh
    yearly = {ch.objectName(): ch for ch in c.yearly}
    e = yearly["years:energy_per_output"].values
    # 293.196 / 307.944 / 330.066 tce × 1000 ÷ 5000 万元
    assert e == {"2023": pytest.approx(58.6392), "2024": pytest.approx(61.5888), "2025": pytest.approx(66.0132)}
    assert yearly["years:solid_waste_use"].values == {"2023": pytest.approx(90.0), "2024": pytest.approx(88.0),
                                                      "2025": pytest.approx(86.0)}
    assert len(c.yearly) == sum(1 for r in page.doc["rows"] if r["key"])
    page.views.setCurrentIndex(1)
    out = os.environ.get("GREENDESK_SHOTS")
    if out:
        page.grab().save(os.path.join(out, "annual_charts.png"))


def test_a_year_without_data_is_drawn_missing_not_zero(qtbot, qapp, tmp_path):
    from greendesk.ui.annualpage import AnnualPage
    from greendesk.ui.app import create_app

    create_app()
    ws, _ = T.build(tmp_path / "gap.greendesk", skip_data=(2024,))
    p = AnnualPage(ws, 2025)
    qtbot.addWidget(p)
    p.reload()
    el = {ch.objectName(): ch for ch in p.charts.monthly}["months:electricity"]
    assert el.years["2024"] == [None] * 12 and "2024: 无数据" in el.toolTip()
    yearly = {ch.objectName(): ch for ch in p.charts.yearly}
    assert yearly["years:energy_per_output"].values["2024"] is None
    ws.close()
