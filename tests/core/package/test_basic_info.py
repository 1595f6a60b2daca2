"""The report's basic-information table carries the MIIT template's fields (schema 4), the embedded JSON has them
(data format 1.1, valid against the contract), the commitment follows the template's public wording, and the
method line names the residual-mix grid factor when green power is deducted."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")

FIELDS = {"registration_authority": "重庆市巴南区市场监督管理局", "established_on": "2009-06-18",
          "registered_capital": "8000万元", "business_term": "2009-06-18至长期", "postcode": "401320",
          "contact_department": "安全环保部", "contact_mobile": "13900001234", "contact_fax": "023-66881235"}


def _render(ws_path, tmp_path, lang):
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.package.report import render_report
    from greendesk.core.workspace import Workspace

    with Workspace.open(ws_path, readonly=True) as ws:
        data = collect_report_data(ws, None, lang)
    pdf = tmp_path / f"r-{lang}.pdf"
    render_report(data, pdf, signer="测试签名人")
    txt = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", txt), data


def test_template_fields_in_table_json_and_contract(demo_path, tmp_path):
    from greendesk.core.review import contract
    from greendesk.core.workspace import Workspace

    with Workspace.open(demo_path) as ws:
        ws.update_factory(**FIELDS)
    flat, data = _render(demo_path, tmp_path, "zh")
    for label, value in (("注册机关", "重庆市巴南区市场监督管理局"), ("成立日期", "2009-06-18"), ("注册资本", "8000万元"),
                         ("营业期限", "2009-06-18至长期"), ("邮编", "401320"), ("申报工作联系部门", "安全环保部"),
                         ("手机", "13900001234"), ("传真", "023-66881235")):
        assert label + value in flat, label
    # the commitment: the template's public fragment and its signature line
    assert "相关数据和信息均真实、有效" in flat and "愿接受并积极配合主管部门的监督抽查和核验" in flat
    assert "法定代表人或单位负责人（签字）" in flat and "申报单位（公章）" in flat
    doc = json.loads(json.dumps(data.to_json_dict(), ensure_ascii=False, default=str))
    assert doc["format"] == "greendesk-answers-scores/1.1"
    assert {k: doc["factory"][k] for k in FIELDS} == FIELDS
    assert contract.validate(doc, contract.DATA_SCHEMA_V1) is None


def test_commitment_wording_names_its_source():
    from greendesk.core.package.templates import texts

    c = texts()["commitment"]
    assert "igat.cn" in c["wording_source"]["zh"] and "全文未公开" in c["wording_source"]["zh"]
    assert c["wording_certainty"] == "secondary"


def test_method_line_names_the_residual_factor(tmp_path):
    from fixtures.meters.ledgers import workspace, xlsx

    from greendesk.core.meters import analyse, commit

    p = tmp_path / "g.greendesk"
    ws, aid = workspace(p)
    rows = [["月份", "电（kWh）", "绿电（kWh）"]] + [[f"2025-{m:02d}", 100_000.0, 20_000.0] for m in range(1, 13)]
    commit(ws, aid, analyse([xlsx(tmp_path / "e.xlsx", {"S": rows})]))
    ws.close()
    flat, data = _render(p, tmp_path, "zh")
    assert data.scope["grid_factor"]["method"] == "residual_mix"
    assert "外购绿电240,000kWh已扣除" in flat and "0.6096kgCO2/kWh" in flat and "不包括市场化交易的非化石能源电量" in flat
