"""Schema 4: the MIIT template's basic-information fields and user-added energy quotas; upgrades from every
released fixture keep the data and add the new columns and table empty."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from greendesk.core.errors import UserError
from greendesk.core.workspace import SCHEMA_VERSION, Workspace

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PROFILE = {"name": "测试厂", "uscc": "91350100M000100Y43"}


def test_schema_is_4_or_later():
    assert SCHEMA_VERSION >= 4


@pytest.mark.parametrize("version", [1, 2, 3])
def test_upgrade_to_4_from_every_older_fixture(tmp_path, version):
    p = tmp_path / f"workspace-v{version}.greendesk"
    shutil.copy(FIXTURES / p.name, p)
    with Workspace.open(p) as w:
        assert w.schema_version == SCHEMA_VERSION
        f = w.factory()
        assert f["name"] == "夹具测试厂 Fixture Works" and f["land_area_m2"] == 12000
        for k in ("registration_authority", "established_on", "registered_capital", "business_term", "postcode",
                  "contact_department", "contact_mobile", "contact_fax"):
            assert k in f and f[k] is None
        assert w.quotas() == []
        w.update_factory(postcode="400000", contact_mobile="138 0000 0000")
        w.set_quota("x", product="铝压铸件", unit="kgce/t", source="test", grade1=1, grade2=2)
        assert w.factory()["contact_mobile"] == "13800000000"
        assert [q["id"] for q in w.quotas()] == ["x"]
        assert w.integrity_ok()
    con = sqlite3.connect(p.with_name(f"{p.name}.v{version}.bak"))
    assert con.execute("PRAGMA user_version").fetchone()[0] == version
    con.close()


def test_v4_fixture_opens_with_its_fields_and_quota(tmp_path):
    p = tmp_path / "workspace-v4.greendesk"
    shutil.copy(FIXTURES / p.name, p)
    with Workspace.open(p) as w:
        f = w.factory()
        assert f["registration_authority"] == "重庆市市场监督管理局" and f["established_on"] == "2005-03-01"
        assert f["postcode"] == "400000" and f["contact_fax"] == "023-00000000"
        (q,) = w.quotas()
        assert (q["id"], q["grade1"], q["grade2"], q["grade3"], q["set_by"]) == ("fixture-product", 1, 2, 3, "fixture")
        assert w.answers(w.assessment()["id"]) == {"fixture.text": "第一版的答案", "fixture.number": 43.5}


@pytest.mark.parametrize("field,value,msg", [
    ("postcode", "40000", "6 digits"), ("established_on", "2005-13-01", "YYYY-MM-DD"),
    ("established_on", "1850-01-01", "not plausible"), ("contact_mobile", "2380000000", "11-digit"),
    ("contact_fax", "fax me", "telephone"),
])
def test_template_fields_are_checked(tmp_path, field, value, msg):
    with Workspace.create(tmp_path / "w.greendesk", PROFILE) as w:
        with pytest.raises(UserError, match=msg):
            w.update_factory(**{field: value})
        assert w.factory()[field] is None


def test_template_fields_normalised(tmp_path):
    with Workspace.create(tmp_path / "w.greendesk", {**PROFILE, "established_on": "2005/3/1".replace("3/1", "03/01"),
                                                      "contact_mobile": "+86 139-0000-0000"}) as w:
        f = w.factory()
        assert f["established_on"] == "2005-03-01" and f["contact_mobile"] == "13900000000"
