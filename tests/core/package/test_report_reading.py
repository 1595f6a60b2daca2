"""The report as an evaluator reads it (issue 14.1): what the score means, scope and method, every
denominator, the source of each figure, factor certainty, no app-only notes, the ⚠ mark, and a
commitment letter that agrees with the answers. Checked on the PDF text (pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


def _render(ws_path, tmp_path, lang: str, name: str = "r") -> tuple[str, object]:
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.package.report import render_report
    from greendesk.core.workspace import Workspace

    with Workspace.open(ws_path, readonly=True) as ws:
        data = collect_report_data(ws, None, lang)
    pdf = tmp_path / f"{name}-{lang}.pdf"
    render_report(data, pdf, signer="测试签名人")
    txt = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return txt, data


def _flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory):
    from greendesk.core.demo import build_demo

    tmp = tmp_path_factory.mktemp("reading")
    ws = build_demo(tmp / "demo.greendesk")
    return {lang: _render(ws, tmp, lang) for lang in ("zh", "en")}


def test_conclusion_claims_no_pass_without_a_pass_mark(demo_reports):
    zh = _flat(demo_reports["zh"][0])
    assert "满足绿色工厂评价要求" not in zh.replace("不满足绿色工厂评价要求", "")
    assert "评价等级：—" not in zh
    # 10.5 points on the 94 applicable (节能产品占比, 6 points, not applicable): 10.5 × 100 / 94 = 11.17
    assert "总得分11.17分（满分100分）" in zh
    assert "适用项得分10.5分（适用项满分94分），按适用项折算为11.17分（满分100分）" in zh
    assert "适用项合计（折算前）10.594" in zh and "总得分（按适用项折算）11.17100" in zh
    assert "未规定合格分数线" in zh
    assert "15项指标（合计78分）因缺少基准值/引领值未能计分" in zh
    en = demo_reports["en"][0]
    assert "it meets the green factory requirements" not in en  # the old wording, a pass at 11.17 / 100
    assert "sets no pass mark" in " ".join(en.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_denominators_printed_beside_the_intensities(demo_reports, lang):
    flat = _flat(demo_reports[lang][0])
    for figure in ("65,300", "12,049.9", "3,591.12", "7,172.08", "86,000", "60,999.8"):
        assert figure in flat, figure
    assert "3,591.12tce×1000÷65,300万元" in flat       # kgce per 万元, with its numerator and denominator
    assert "3,591.12tce×1000÷12,049.9t" in flat        # per unit of product
    assert "54.9942" in flat and "298.0209" in flat


def test_scope_and_method_section(demo_reports):
    zh = _flat(demo_reports["zh"][0])
    for s in ("评价范围与方法", "评价边界", "评价期", "2025年1月1日至12月31日", "主要产品", "自评价人员",
              "评价依据与核算方法", "GB/T2589-2020", "《工业其他行业企业温室气体排放核算方法与报告指南》",
              "2023年全国平均", "采用的是已发布的最新年度（2023年）因子", "2025年能源月报.xlsx"):
        assert s in zh, s
    en = " ".join(demo_reports["en"][0].split())
    assert "Scope and method" in en and "Self-evaluation team" in en


def test_warning_mark_is_extractable(demo_reports):
    txt, data = demo_reports["zh"]
    uncertain = data.conclusion["uncertain_count"]
    assert uncertain > 0
    assert txt.count("⚠") >= uncertain


def test_app_only_notes_are_not_printed(demo_reports):
    zh = demo_reports["zh"][0]
    en = demo_reports["en"][0]
    for s in ("ncv.natural_gas.measured", "请设置", "较新指南", "请按评价年度"):
        assert s not in zh, s
    assert "national" not in zh
    assert "ncv.natural_gas.measured" not in en


def test_factor_certainty_is_shown(demo_reports):
    zh = _flat(demo_reports["zh"][0])
    assert "可信度" in zh and "已确认" in zh and "二手来源" in zh


def test_provenance_of_every_figure_in_the_embedded_json(demo_reports):
    _txt, data = demo_reports["zh"]
    doc = data.to_json_dict()
    fv = {f["id"]: f["provenance"] for f in doc["field_values"]}
    assert fv["common.energy_tce"] == "ledger"
    assert fv["common.output_value_wan_yuan"] == "declared"
    assert fv["common.site_area_m2"] == "declared"
    assert set(fv.values()) <= {"declared", "ledger", "computed", "mixed"}
    iv = {i["id"]: i for i in doc["indicator_values"]}
    assert iv["energy_intensity"]["provenance"] == "mixed"
    assert iv["energy_intensity"]["inputs"] == {"common.energy_tce": "ledger", "common.output_value_wan_yuan": "declared"}
    assert iv["renewable_share"]["provenance"] == "ledger"
    assert iv["building_coefficient"]["provenance"] == "computed"
    assert {i["id"] for i in doc["figures"]["intensities"]} >= {"kgce_per_wan_yuan", "kgce_per_unit"}
    assert doc["conclusion"]["has_pass_mark"] is False
    # and in print, beside the computed value
    assert "（来源：混合）" in _flat(demo_reports["zh"][0])


def test_an_entered_whole_indicator_value_is_declared(demo_path, tmp_path):
    from greendesk.core.workspace import Workspace

    with Workspace.open(demo_path) as ws:
        ws.set_answer(ws.assessments()[-1]["id"], "plot_ratio", 1.2)
    _txt, data = _render(demo_path, tmp_path, "zh")
    iv = {i["id"]: i for i in data.to_json_dict()["indicator_values"]}
    assert iv["plot_ratio"]["provenance"] == "declared"


def _commitment_page(pdf_text: str) -> str:
    pages = pdf_text.split("\f")
    return next(p for p in pages if ("材料真实性承诺" in p and "如有不实" in p)
                or ("Commitment to the truthfulness" in p and "Should any of this be untrue" in p))


def test_commitment_declares_only_what_the_answers_allow(demo_path, tmp_path):
    from greendesk.core.workspace import Workspace

    txt, _ = _render(demo_path, tmp_path, "zh", "before")
    page = _flat(_commitment_page(txt))
    assert "我单位近三年未发生较大及以上安全、环保、质量事故，未被列入严重失信主体名单，符合国家产业政策要求。" in page
    with Workspace.open(demo_path) as ws:
        ws.set_answer(ws.assessments()[-1]["id"], "negative_list.not_defaulter", "no")
    txt, data = _render(demo_path, tmp_path, "zh", "after")
    page = _flat(_commitment_page(txt))
    assert "未被列入严重失信主体名单，符合" not in page
    assert "我单位近三年未发生较大及以上安全、环保、质量事故，符合国家产业政策要求。" in page
    assert "本承诺不作声明：未被列入严重失信主体名单（未被列为失信被执行人：否）" in page
    assert data.commitment["all_made"] is False
    # the failed basic requirement is said in the conclusion, never a pass
    flat = _flat(txt)
    assert "不满足绿色工厂评价要求" in flat
    txt_en, _ = _render(demo_path, tmp_path, "en", "after")
    en = " ".join(_commitment_page(txt_en).split())
    assert "this letter does not declare" in en


def test_a_scheme_with_sourced_grades_prints_its_thresholds(tmp_path):
    from greendesk.core.schemes.registry import get_scheme
    from greendesk.core.workspace import Workspace

    path = tmp_path / "nb.greendesk"
    scheme = get_scheme("ningbo-2023")
    with Workspace.create(path, {"name": "宁波测试厂", "uscc": "91500113MA61RYP3XR"}) as ws:
        ws.create_assessment("ningbo-2023", scheme.version, 2025)
    txt, data = _render(path, tmp_path, "zh")
    flat = _flat(txt)
    assert "≥75三星级绿色工厂" in flat and "≥85可推荐申报四星级" in flat
    assert "宁波高新区2023" in flat  # the thresholds' source
    assert "未规定合格分数线" not in flat
    assert data.conclusion["has_pass_mark"] is True


def test_an_unmet_required_line_is_named_in_the_conclusion(tmp_path):
    """GB/T 36132-2018: one unmet 必选 line (建筑 — 节能评估) means the factory does not meet the requirements,
    whatever the total (69.25, worked in tests/core/schemes/test_compare.py)."""
    from tests.core.schemes.test_compare import make_2018

    path = make_2018(tmp_path / "old.greendesk")
    txt, data = _render(path, tmp_path, "zh")
    flat = _flat(txt)
    assert "总得分69.25分（满分100分）" in flat
    assert "有1项必选要求不符合：建筑—【基本要求】新建、改建和扩建建筑遵守固定资产投资项目节能评估审查制度" in flat
    assert "按此本工厂不满足绿色工厂评价要求" in flat
    assert data.conclusion["required_failed"][0].startswith("建筑 — ")
    assert data.conclusion["rescaled"] is False
    en, _ = _render(path, tmp_path, "en")
    assert "1 required (必选) line(s) not met: Buildings" in " ".join(en.split())
