"""Energy quotas: the pack is read strictly, nothing uncertain carries a value, user entries are stored with who/when/
source, and the grades become 基准值 (grade 2) / 引领值 (grade 1) of the energy-per-product indicator."""

import pytest

from greendesk.core import quota_apply, quotas
from greendesk.core.energy import set_production
from greendesk.core.errors import UserError
from greendesk.core.safe_yaml import YamlError
from greendesk.core.schemes.scoring import score_assessment
from greendesk.core.workspace import Workspace

PACK = """source_notes: {zh: 说明, en: notes}
targets:
  - {scheme: gbt36132-2018, indicator: energy_per_product}
quotas:
  - id: cement
    product: {zh: 水泥, en: Cement}
    standard: GB 0000
    unit: kgce/t
    grade1: 100
    grade2: 110
    source: test
    certainty: secondary
"""


@pytest.fixture
def ws(tmp_path):
    w = Workspace.create(tmp_path / "w.greendesk", {"name": "测试厂", "uscc": "91350100M000100Y43"})
    w.aid = w.create_assessment("gbt36132-2018", "2018.1", 2025)
    yield w
    w.close()


def test_bundled_pack_has_no_invented_values():
    pack = quotas.bundled()
    assert len(pack.quotas) >= 3
    for q in pack.quotas:
        assert q.source and q.standard and q.unit
        if q.certainty == "uncertain":
            assert not q.usable
        assert (q.grade1, q.grade2, q.grade3) == (None, None, None)   # no value is stated by the domain files
    assert {(t.scheme, t.indicator or t.rows) for t in pack.targets} >= {
        ("gbt36132-2018", "energy_per_product"), ("gbt36132-2025", "energy_intensity.products")}


def test_parse_pack_reads_values():
    p = quotas.parse_pack(PACK, "t.yaml")
    (q,) = p.quotas
    assert (q.grade1, q.grade2, q.grade3, q.usable) == (100.0, 110.0, None, True)


@pytest.mark.parametrize("bad,line,what", [
    (PACK.replace("certainty: secondary", "certainty: sure"), 12, "certainty"),
    (PACK.replace("    grade1: 100\n", ""), 11, "must be uncertain"),
    (PACK.replace("grade1: 100", "grade1: 120"), 9, "cannot exceed"),
    (PACK.replace("grade1: 100", "grade1: lots"), 9, "number"),
    (PACK.replace("    unit: kgce/t\n", ""), 5, "unit"),
    (PACK.replace("    source: test\n", "    source: test\n    colour: red\n"), 12, "unknown key"),
    (PACK.replace("id: cement", "id: Cement!"), 5, "lower-case id"),
])
def test_parse_pack_refuses_with_file_and_line(bad, line, what):
    with pytest.raises(YamlError, match=what) as e:
        quotas.parse_pack(bad, "t.yaml")
    assert e.value.where == f"t.yaml:{line}"


def test_add_is_checked_and_stored_with_who_and_source(ws):
    with pytest.raises(UserError, match="cannot exceed"):
        quotas.add(ws, "ferroalloy", source="GB 21341-2023 表 1", grade1=900, grade2=800)
    with pytest.raises(UserError, match="source"):
        quotas.add(ws, "ferroalloy", source=" ", grade1=800, grade2=900)
    with pytest.raises(UserError, match="kgce/t"):
        quotas.add(ws, "ferroalloy", source="x", grade1=800, grade2=900, unit="tce/t")
    assert ws.quotas() == []
    q = quotas.add(ws, "ferroalloy", source="GB 21341-2023 表 1", grade1=800, grade2=900, grade3=1000, set_by="评价员张")
    assert (q.origin, q.certainty, q.grade1, q.grade2, q.grade3, q.set_by) == ("workspace", "user", 800, 900, 1000, "评价员张")
    assert q.standard == "GB 21341" and q.name("zh") == "铁合金"          # completed from the bundled entry
    own = quotas.add(ws, "my-casting", source="评价机构", grade1=300, grade2=350, product="铝合金压铸件", unit="kgce/t")
    assert own.product == {"zh": "铝合金压铸件", "en": "铝合金压铸件"}
    quotas.remove(ws, "my-casting")
    with pytest.raises(UserError, match="bundled entry"):
        quotas.remove(ws, "methanol_coke_oven_gas")
    assert [r["id"] for r in ws.quotas()] == ["ferroalloy"]


def test_grades_become_baseline_and_leading_and_score_hand_computed(ws):
    ws.set_answers(ws.aid, {"energy_per_product": None})
    set_production(ws, ws.aid, period="2025", product="硅铁", quantity=1000, unit="t", output_value_wan_yuan=5000)
    quotas.add(ws, "ferroalloy", source="GB 21341-2023 表 1", grade1=800, grade2=900)
    # the product 硅铁 is an alias of ferroalloy: it is matched without `quota use`
    r = quota_apply.apply(ws, ws.aid)
    assert r["benchmarks"] == [{"indicator": "energy_per_product", "quota": "ferroalloy", "baseline": 900.0,
                                "leading": 800.0, "source": quota_apply.benchmark_source(quotas.get(ws, "ferroalloy"))}]
    (b,) = [b for b in ws.benchmarks("gbt36132-2018") if b["indicator_id"] == "energy_per_product"]
    assert (b["baseline"], b["leading"], b["set_by"]) == (900, 800, "quota:ferroalloy")
    # 850 kgce/t: halfway between 基准值 900 and 引领值 800 -> half of the indicator's points
    ws.set_answers(ws.aid, {"common.energy_tce": 850, "common.output_quantity": 1000})
    ind = next(i for i in score_assessment(ws, ws.aid)["indicators"] if i["id"] == "energy_per_product")
    assert ind["score"] == pytest.approx(ind["max"] / 2)
    assert "GB 21341" in ind["benchmark_source"]


def test_a_benchmark_set_by_hand_is_kept_and_removal_clears_the_quota_one(ws):
    quotas.add(ws, "ferroalloy", source="x", grade1=800, grade2=900)
    ws.set_setting(quotas.SETTING_USED, ["ferroalloy"])
    quota_apply.apply(ws, ws.aid)
    quotas.remove(ws, "ferroalloy")
    r = quota_apply.apply(ws, ws.aid)
    assert r["benchmarks"] == [{"indicator": "energy_per_product", "cleared": True}]
    assert not [b for b in ws.benchmarks("gbt36132-2018") if b["indicator_id"] == "energy_per_product"]
    ws.set_benchmark("gbt36132-2018", "energy_per_product", 950, 850, source="评价机构", set_by="王工")
    quotas.add(ws, "ferroalloy", source="x", grade1=800, grade2=900)
    r = quota_apply.apply(ws, ws.aid)
    assert r["skipped"][0]["reason"] == "set_by_hand"
    (b,) = [b for b in ws.benchmarks("gbt36132-2018") if b["indicator_id"] == "energy_per_product"]
    assert (b["baseline"], b["set_by"]) == (950, "王工")


def test_2025_product_rows_get_the_grades(tmp_path):
    with Workspace.create(tmp_path / "n.greendesk", {"name": "测试厂", "uscc": "91350100M000100Y43"}) as w:
        aid = w.create_assessment("gbt36132-2025", "2025.1", 2025)
        rows = [{"name": "硅铁", "quantity": 1000, "quantity_unit": "t", "energy_tce": 850},
                {"name": "其他", "quantity": 10, "quantity_unit": "t", "energy_tce": 5, "quota_grade1": 1,
                 "quota_grade2": 2},
                {"name": "锰铁", "quantity": 10, "quantity_unit": "t", "energy_tce": 5, "quota_grade1": 700}]
        w.set_answers(aid, {"energy_intensity.quota_applies": "yes", "energy_intensity.products": rows})
        quotas.add(w, "ferroalloy", source="GB 21341-2023 表 1", grade1=800, grade2=900)
        w.set_setting(quotas.SETTING_USED, ["ferroalloy"])
        r = quota_apply.apply(w, aid)
        assert [(x["row"], x["filled"]) for x in r["rows"]] == [(1, ["quota_grade1", "quota_grade2"]),
                                                               (3, ["quota_grade2"])]
        got = w.answers(aid)["energy_intensity.products"]
        assert (got[0]["quota_grade1"], got[0]["quota_grade2"], got[0]["standard"]) == (800, 900, "GB 21341")
        assert got[1]["quota_grade1"] == 1 and got[2]["quota_grade1"] == 700      # typed values kept
        assert w.answer_rows(aid)[-1]["source"] == "quota:ferroalloy" or any(
            x["source"] == "quota:ferroalloy" for x in w.answer_rows(aid))
