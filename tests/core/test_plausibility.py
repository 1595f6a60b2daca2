"""core/plausibility.py: shares over 100 % and parts larger than their whole warn (data-driven)."""

from __future__ import annotations

from greendesk.core import plausibility
from greendesk.core.schemes.registry import get_scheme, list_schemes


def test_part_larger_than_whole_warns_at_the_part():
    s = get_scheme("gbt36132-2025")
    w = plausibility.check(s, {"solid_waste_use.utilised_t": 999_999, "solid_waste_use.generated_t": 2_350,
                               "solid_waste_use.stored_used_t": 0})
    assert list(w) == ["solid_waste_use.utilised_t"]
    (warning,) = w["solid_waste_use.utilised_t"]
    assert "999,999 t" in warning.zh and "2,350 t" in warning.zh and "42,553" in warning.zh
    assert "cannot exceed its whole" in warning.en and "42,553" in warning.en


def test_plausible_values_and_missing_wholes_do_not_warn():
    s = get_scheme("gbt36132-2025")
    assert plausibility.check(s, {"solid_waste_use.utilised_t": 2_000, "solid_waste_use.generated_t": 2_350}) == {}
    assert plausibility.check(s, {"solid_waste_use.utilised_t": 2_400, "solid_waste_use.generated_t": 2_350,
                                  "solid_waste_use.stored_used_t": 100}) == {}  # earlier storage counts too
    assert plausibility.check(s, {"solid_waste_use.utilised_t": 999_999}) == {}  # no whole yet
    assert plausibility.check(s, {"energy_saving_products.share_pct": 100}) == {}


def test_share_over_100_percent_warns_for_fields_and_direct_indicator_values():
    s = get_scheme("gbt36132-2025")
    w = plausibility.check(s, {"energy_saving_products.share_pct": 150}, {"renewable_share": 150,
                                                                          "wastewater_concentration": 150})
    assert set(w) == {"energy_saving_products.share_pct", "renewable_share"}  # headroom is not a share
    assert "150 %" in w["renewable_share"][0].zh


def test_auto_whole_from_ledgers_is_compared():
    s = get_scheme("gbt36132-2025")
    w = plausibility.check(s, {"common.renewable_tce": 500.0, "common.energy_tce": 400.0}, {})
    assert list(w) == ["common.renewable_tce"]


def test_every_pair_in_the_data_names_number_fields_of_a_bundled_scheme():
    fields = {}
    for s in list_schemes():
        fields.update(s.fields_by_id)
    for pair in plausibility.rules()["parts"]:
        for fid in [pair["part"], *pair["whole"]]:
            assert fid in fields and fields[fid].type in ("number", "integer", "percent"), fid
