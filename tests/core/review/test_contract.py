"""The package data contract: versions, the published schema, refusals with clear messages."""

from __future__ import annotations

import copy
import json

import pytest

from greendesk.core.errors import UserError
from greendesk.core.review import contract


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    """The answers-and-scores document the demo workspace's package embeds (built without signing)."""
    from greendesk.core.demo import build_demo
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.workspace import Workspace

    ws = build_demo(tmp_path_factory.mktemp("c") / "demo.greendesk")
    with Workspace.open(ws, readonly=True) as w:
        d = collect_report_data(w, None, "zh")
    # the same serialisation as export.plan_files
    return json.loads(json.dumps(d.to_json_dict(), ensure_ascii=False, default=str))


def test_current_export_fits_schema_v1(doc):
    assert doc["format"] == "greendesk-answers-scores/1.1"
    assert contract.validate(doc, contract.DATA_SCHEMA_V1) is None
    assert contract.check(doc, contract.DATA_FORMAT) == 1


def test_minor_version_is_read(doc):
    d = dict(doc, format="greendesk-answers-scores/1.7", added_later={"x": 1})
    assert contract.check(d, contract.DATA_FORMAT) == 1


@pytest.mark.parametrize("major, hint", [(2, "Update GreenDesk"), (0, "Export the package again")])
def test_unknown_major_is_refused(doc, major, hint):
    d = dict(doc, format=f"greendesk-answers-scores/{major}")
    with pytest.raises(UserError) as e:
        contract.check(d, contract.DATA_FORMAT)
    assert e.value.message("en").startswith(
        f"The package's data format is greendesk-answers-scores version {major}; this GreenDesk reads version 1 only.")
    assert hint in e.value.message("en")
    assert f"第 {major} 版" in e.value.message("zh")


@pytest.mark.parametrize("fmt", [None, 7, "greendesk-manifest/1", "greendesk-answers-scores", "other/1", "greendesk-answers-scores/x"])
def test_not_our_format(doc, fmt):
    d = dict(doc, format=fmt)
    with pytest.raises(UserError, match="not in GreenDesk's format"):
        contract.check(d, contract.DATA_FORMAT)


def test_schema_violation_names_the_path(doc):
    d = copy.deepcopy(doc)
    d["score"]["indicators"][3]["max"] = "eleven"
    with pytest.raises(UserError) as e:
        contract.check(d, contract.DATA_FORMAT)
    assert "$.score.indicators[3].max: number / null expected, found str" in e.value.message("en")
    d = copy.deepcopy(doc)
    del d["factory"]["uscc"]
    assert contract.validate(d, contract.DATA_SCHEMA_V1) == "$.factory: 'uscc' is missing"
    d = copy.deepcopy(doc)
    d["energy"]["carriers"]["electricity"]["months"]["2025-01"] = True      # a bool is not a number
    assert contract.validate(d, contract.DATA_SCHEMA_V1) == \
        "$.energy.carriers.electricity.months.2025-01: number / null expected, found bool"


def test_manifest_schema():
    m = {"format": "greendesk-manifest/1", "files": [{"name": "a", "sha256": "0" * 64, "size": 3}]}
    assert contract.check(m, contract.MANIFEST_FORMAT) == 1
    m["files"][0]["size"] = -1
    assert contract.validate(m, contract.MANIFEST_SCHEMA_V1) == "$.files[0].size: at least 0 expected"


def test_industry_class():
    from greendesk.core.review.load import industry_class

    assert industry_class("C3392") == "3392"
    assert industry_class("3392") == "3392"
    assert industry_class(" c1713 ") == "1713"
    assert industry_class("") is None and industry_class(None) is None
