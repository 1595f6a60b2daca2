"""The reviewer's notes (审核备注), the peer distribution of one indicator, and signers restated after trusting."""

from __future__ import annotations

import datetime as dt
import json
import statistics

import pytest

from tests.core.review.builders import build_peer_pair

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return build_peer_pair(tmp_path_factory.mktemp("notes"))


@pytest.fixture
def con(folder, tmp_path, monkeypatch):
    from greendesk.core.review.load import review_packages
    from greendesk.core.review.store import connect

    monkeypatch.setenv("GREENDESK_SETTINGS_DIR", str(tmp_path / "settings"))
    db = tmp_path / "review.duckdb"
    review_packages([folder], db, workers=1)
    c = connect(db)
    yield c
    c.close()


def _declared(pdf, indicator: str):
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    from greendesk.core.package.sign import DATA_NAME
    from greendesk.core.package.verify import embedded_files

    doc = json.loads(embedded_files(PdfFileReader(io.BytesIO(pdf.read_bytes()), strict=False))[DATA_NAME])
    return next(i for i in doc["score"]["indicators"] if i["id"] == indicator)


def test_note_text_words():
    from greendesk.core.review.notes import note_text

    assert note_text(54.99422, 0.48, "与电费单核对", "kgce/万元", "zh") == \
        "该指标值由54.9942 kgce/万元修改为0.48 kgce/万元，理由是与电费单核对"
    assert note_text(54.99422, 0.48, "checked", "kgce/万元", "en") == \
        "The value was changed from 54.9942 kgce/万元 to 0.48 kgce/万元. Reason: checked"
    assert note_text(None, 3, "补填", None, "zh") == "该指标值由（未填写）修改为3，理由是补填"
    assert note_text(4.5, None, "请补充绿电交易凭证", "%", "zh") == "审核意见：请补充绿电交易凭证"
    assert note_text(0.000123456, 2e-3, "x", None, "en") == "The value was changed from 0.000123 to 0.002. Reason: x"


def test_notes_are_appended_and_replace_visibly(con, folder):
    from greendesk.core.review.notes import add_note, notes

    ei = _declared(folder / "pkg0.pdf", "energy_intensity")
    t1 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    n1 = add_note(con, folder / "pkg0.pdf", "energy_intensity", "  电量少计  ", value=50, reviewer="张审核", now=t1)
    assert (n1["note_id"], n1["old_value"], n1["new_value"], n1["unit"], n1["reason"], n1["replaces"]) == \
        (1, ei["value"], 50.0, ei["unit"], "电量少计", None)
    assert n1["noted_at"] == "2026-12-01T09:00:00+00:00" and n1["factory_name"] == "甲压铸有限公司"
    sha = n1["package_sha256"]
    # a second note on the same row: stored beside the first, naming it; the first is kept as history
    n2 = add_note(con, sha[:12], "energy_intensity", "复核后", value=48.5, reviewer="李审核")
    assert (n2["note_id"], n2["replaces"], n2["old_value"], n2["current"], n2["versions"]) == (2, 1, ei["value"], True, 2)
    add_note(con, "1", "renewable_share", "请补充绿电交易凭证", reviewer="张审核")
    every = notes(con, sha256=sha, lang="zh")
    assert [(n["note_id"], n["current"]) for n in every] == [(1, False), (2, True), (3, True)]
    assert [n["note_id"] for n in notes(con, package_id=1, current_only=True)] == [2, 3]
    assert every[2]["text"] == "审核意见：请补充绿电交易凭证"
    assert con.execute("SELECT count(*) FROM review_notes").fetchone()[0] == 3
    assert con.execute("SELECT notes FROM v_packages WHERE package_id = 1").fetchone()[0] == 2
    assert con.execute("SELECT notes FROM v_packages WHERE package_id = 2").fetchone()[0] == 0


def test_notes_in_the_summary_workbook(con, tmp_path):
    from openpyxl import load_workbook

    from greendesk.core.review.notes import add_note
    from greendesk.core.review.workbook import write_summary

    add_note(con, "1", "energy_intensity", "电量少计", value=50, reviewer="张审核",
             now=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
    add_note(con, "1", "energy_intensity", "复核后", value=48.5, reviewer="李审核")
    write_summary(con, tmp_path / "汇总.xlsx", "zh")
    ws = load_workbook(tmp_path / "汇总.xlsx")["审核备注"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][:9] == ["备注编号", "工厂", "年度", "指标", "名称", "单位", "申报值", "审核值", "理由"]
    assert [(r[0], r[7], r[8], r[9], r[11], r[12]) for r in rows[1:]] == [
        (1, 50, "电量少计", "张审核", False, None), (2, 48.5, "复核后", "李审核", True, 1)]
    assert rows[1][10] == "2026-12-01T09:00:00+00:00"


@pytest.mark.parametrize("args, message", [
    (("9", "energy_intensity", "x"), "has no package 9"),
    (("1", "no_such_indicator", "x"), "has no indicator no_such_indicator"),
    (("1", "energy_intensity", "   "), "Give the reason"),
    (("1", "energy_intensity", "a\x1b[31m"), "control character U+001B"),
    (("zz", "energy_intensity", "x"), "give its file, its SHA-256"),
])
def test_note_errors(con, args, message):
    from greendesk.core.errors import UserError
    from greendesk.core.i18n import using_language
    from greendesk.core.review.notes import add_note

    with using_language("en"), pytest.raises(UserError) as e:
        add_note(con, *args, reviewer="张")
    assert message in e.value.message("en")
    assert con.execute("SELECT count(*) FROM review_notes").fetchone()[0] == 0


def test_note_on_a_file_not_loaded(con, tmp_path):
    from greendesk.core.errors import UserError
    from greendesk.core.review.notes import add_note

    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.7 not loaded")
    with pytest.raises(UserError, match="not in the review database"):
        add_note(con, other, "energy_intensity", "x", reviewer="张")


def test_peer_distribution_by_hand(con, folder):
    from greendesk.core.review.peers import peer_distribution

    a = _declared(folder / "pkg0.pdf", "energy_intensity")["value"]
    b = _declared(folder / "pkg1.pdf", "energy_intensity")["value"]
    d = peer_distribution(con, 2, "energy_intensity")
    lo, hi = sorted((a, b))
    assert d["n"] == 2 and [p[2] for p in d["peers"]] == pytest.approx([lo, hi])
    assert [p[0] for p in d["peers"]] == (["甲压铸有限公司", "丙压铸有限公司"] if a < b else ["丙压铸有限公司", "甲压铸有限公司"])
    assert d["value"] == pytest.approx(b) and d["others_median"] == pytest.approx(a)
    assert d["median"] == pytest.approx(statistics.median([a, b]))
    assert d["q1"] == pytest.approx(lo + 0.25 * (hi - lo)) and d["q3"] == pytest.approx(lo + 0.75 * (hi - lo))
    assert d["rank"] == (2 if b > a else 1)
    assert (d["industry_class"], d["province"], d["year"]) == ("3392", "重庆市", 2025)
    assert peer_distribution(con, 3, "energy_intensity") is None        # the rejected package: never compared


def test_trusting_a_signer_restates_the_packages(con, tmp_path):
    from greendesk.core.errors import UserError
    from greendesk.core.package import trust
    from greendesk.core.review.signers import restate_signers, trust_signer

    states = lambda: dict(con.execute("SELECT package_id, signer_status FROM packages ORDER BY 1").fetchall())  # noqa: E731
    assert states() == {1: "new", 2: "new", 3: "new"}       # 3: 甲's key, on a tampered copy
    assert restate_signers(con) == 0                       # nothing changed: nothing written
    r = trust_signer(con, 2)
    assert r["added"] and r["restated"] == 1 and r["entry"]["factory"] == "丙压铸有限公司"
    assert states() == {1: "new", 2: "known", 3: "new"}
    assert [s["fingerprint"] for s in trust.load()] == [r["entry"]["fingerprint"]]
    with pytest.raises(UserError, match="did not pass verification"):
        trust_signer(con, 3)
    # forgotten in the store (by the CLI, say): stated again as new
    trust.remove(r["entry"]["fingerprint"])
    assert restate_signers(con) == 1 and states()[2] == "new"
    # 甲's key trusted: its tampered copy is signed by a known key, and still rejected
    assert trust_signer(con, 1)["restated"] == 2
    assert states() == {1: "known", 2: "new", 3: "known"}
    assert con.execute("SELECT status FROM packages WHERE package_id = 3").fetchone()[0] == "rejected"


def test_certificate_read_from_the_file_when_the_database_has_none(con):
    from greendesk.core.review.signers import certificate_of

    fp = con.execute("SELECT fingerprint FROM package_certificates WHERE package_id = 1").fetchone()[0]
    con.execute("DELETE FROM package_certificates")
    from greendesk.core.package.certs import fingerprint

    assert fingerprint(certificate_of(con, 1)) == fp


def test_recheck_against_trusted_certificates(con, tmp_path, folder):
    from greendesk.core.i18n import using_language
    from greendesk.core.review.signers import recheck_trust

    pem = tmp_path / "丙.pem"
    pem.write_text(con.execute("SELECT certificate_pem FROM package_certificates WHERE package_id = 2").fetchone()[0])
    before = con.execute("SELECT package_id, status, trusted FROM packages ORDER BY 1").fetchall()
    assert before == [(1, "accepted", False), (2, "accepted", False), (3, "rejected", False)]
    with using_language("en"):
        r = recheck_trust(con, [str(pem)], workers=1)
    assert r == {"checked": 3, "trusted": 1, "changed": 2, "missing": 0}      # the tampered one: no trust question
    rows = con.execute("SELECT package_id, status, trusted, reasons FROM packages ORDER BY 1").fetchall()
    assert [(x[0], x[1], x[2]) for x in rows] == [(1, "accepted", False), (2, "accepted", True), (3, "rejected", False)]
    assert any("is not trusted" in reason for reason in rows[0][3]) and rows[1][3] == []
    # the same again: nothing to change; a file moved away is left as it was
    (folder / "pkg1.pdf").rename(tmp_path / "moved.pdf")
    try:
        with using_language("en"):
            assert recheck_trust(con, [str(pem)], workers=1) == {"checked": 2, "trusted": 1, "changed": 0, "missing": 1}
    finally:
        (tmp_path / "moved.pdf").rename(folder / "pkg1.pdf")
