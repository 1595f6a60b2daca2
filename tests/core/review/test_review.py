"""The reviewer's desk (issue 12): verify, load into DuckDB, compare, write the summary workbook."""

from __future__ import annotations

import io
import json
import shutil
import statistics

import pytest

from tests.core.review.builders import FACTORIES, build_future_package, build_packages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pkgs(tmp_path_factory):
    d = tmp_path_factory.mktemp("review")
    out = build_packages(d)
    out["dir"] = d / "packages"
    out["ws0"] = d / "ws0.greendesk"
    return out


@pytest.fixture(scope="module")
def loaded(pkgs, tmp_path_factory):
    """The folder of five packages reviewed once (in worker processes: five files, two or more cores)."""
    from greendesk.core.i18n import using_language
    from greendesk.core.review.load import review_packages

    db = tmp_path_factory.mktemp("db") / "review.duckdb"
    with using_language("en"):
        result = review_packages([pkgs["dir"]], db, workers=2)
    return {"db": db, "result": result}


def _con(loaded):
    from greendesk.core.review.store import connect

    return connect(loaded["db"])


def _embedded(pdf) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from greendesk.core.package.sign import DATA_NAME
    from greendesk.core.package.verify import embedded_files

    with open(pdf, "rb") as f:
        return json.loads(embedded_files(PdfFileReader(io.BytesIO(f.read()), strict=False))[DATA_NAME])


def _manifest(pdf) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from greendesk.core.package.sign import MANIFEST_NAME
    from greendesk.core.package.verify import embedded_files

    with open(pdf, "rb") as f:
        return json.loads(embedded_files(PdfFileReader(io.BytesIO(f.read()), strict=False))[MANIFEST_NAME])


def test_verification_states(loaded, pkgs):
    r = loaded["result"]
    by_file = {x["file"]: x for x in r["packages"]}
    assert r["counts"] == {"loaded": 5, "skipped": 0, "refused": 0, "rejected": 1, "accepted": 4}
    for name, *_ in FACTORIES:
        x = by_file[str(pkgs[name])]
        assert (x["action"], x["status"], x["factory"]) == ("loaded", "accepted", name)
        assert x["reasons"] == []
    bad = by_file[str(pkgs["tampered"])]
    assert (bad["action"], bad["status"]) == ("loaded", "rejected")
    assert "The file was changed after signing (digest mismatch)." in bad["reasons"]
    con = _con(loaded)
    rows = con.execute("SELECT file, status, valid, signer_status, length(signer_fingerprint), reasons "
                       "FROM packages ORDER BY package_id").fetchall()
    assert [r[1] for r in rows] == ["accepted"] * 4 + ["rejected"]
    assert [r[2] for r in rows] == [True] * 4 + [False]
    assert all(r[3] == "new" and r[4] == 64 for r in rows[:4])     # self-issued, not on record here
    assert rows[4][5] == ["The file was changed after signing (digest mismatch)."]


def test_loaded_rows(loaded, pkgs):
    con = _con(loaded)
    data = _embedded(pkgs[FACTORIES[0][0]])
    n_ind = len(data["score"]["indicators"])
    n_months = sum(len(c["months"]) for c in data["energy"]["carriers"].values())
    count = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    assert count("SELECT count(*) FROM packages") == 5
    assert count("SELECT count(*) FROM factories") == 4                # the tampered copy adds no factory
    assert count("SELECT count(*) FROM assessments") == 5
    assert count("SELECT count(*) FROM indicators") == 5 * n_ind
    assert count("SELECT count(*) FROM carriers_by_month") == 5 * n_months
    # every file the manifest lists (3 evidence files, 1 ledger, the data file…; the manifest does not list itself)
    n_files = len(_manifest(pkgs[FACTORIES[0][0]])["files"])
    assert n_files >= 5
    assert count("SELECT count(*) FROM evidence WHERE package_id = 1") == n_files
    assert count("SELECT count(*) FROM evidence WHERE kind = 'evidence' AND package_id = 1") == 3
    # the tampered copy's flipped byte is in the report, not in an embedded file: its files still match
    assert count("SELECT count(*) FROM evidence WHERE ok") == 5 * n_files
    assert count("SELECT count(*) FROM v_current") == 4
    row = con.execute("SELECT name, industry_code, industry_class, province FROM factories "
                      "WHERE name = '丁铸造有限公司'").fetchone()
    assert row == ("丁铸造有限公司", "C3391", "3391", "四川省")
    ind = con.execute("SELECT value, unit, points, max, title FROM indicators WHERE package_id = 1 "
                      "AND indicator_id = 'energy_intensity'").fetchone()
    src = next(i for i in data["score"]["indicators"] if i["id"] == "energy_intensity")
    assert ind == (src["value"], src["unit"], src["score"], src["max"], src["title"])
    elec = con.execute("SELECT quantity FROM carriers_by_month WHERE package_id = 1 AND carrier = 'electricity' "
                       "AND month = '2025-06'").fetchone()[0]
    assert elec == data["energy"]["carriers"]["electricity"]["months"]["2025-06"]


def test_rerun_skips_known_packages_and_adds_new_ones(pkgs, tmp_path):
    from greendesk.core.review.load import review_packages
    from greendesk.core.review.store import connect

    db = tmp_path / "r.duckdb"
    first = review_packages([pkgs[FACTORIES[0][0]], pkgs[FACTORIES[1][0]]], db)
    assert first["counts"]["loaded"] == 2
    copy = tmp_path / "renamed.pdf"                      # the same bytes under another name: known by hash
    shutil.copyfile(pkgs[FACTORIES[0][0]], copy)
    second = review_packages([pkgs["dir"], copy], db)
    assert second["counts"] == {"loaded": 3, "skipped": 3, "refused": 0, "rejected": 1, "accepted": 2}
    third = review_packages([pkgs["dir"]], db)
    assert third["counts"]["loaded"] == 0 and third["counts"]["skipped"] == 5
    skipped_bad = next(x for x in third["packages"] if x["file"] == str(pkgs["tampered"]))
    assert skipped_bad["status"] == "rejected" and skipped_bad["reasons"]
    con = connect(db)
    assert con.execute("SELECT count(*) FROM packages").fetchone()[0] == 5
    assert con.execute("SELECT count(DISTINCT sha256) FROM packages").fetchone()[0] == 5


def test_peer_statistics_by_hand(loaded, pkgs):
    """Median, quartiles, ranks and the others' median of one peer group, computed here from the packages."""
    con = _con(loaded)
    group = [n for n, _u, prov, ind, *_ in FACTORIES if prov == "重庆市" and ind == "C3392"]
    values = {n: next(i["value"] for i in _embedded(pkgs[n])["score"]["indicators"] if i["id"] == "energy_intensity")
              for n in group}
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT factory_name, peer_n, rank_by_value, q1, median, q3, others_median FROM v_indicator_peers "
        "WHERE indicator_id = 'energy_intensity' AND province = '重庆市' AND industry_class = '3392'").fetchall()}
    assert set(rows) == set(group)
    vals = sorted(values.values())
    q1, _, q3 = statistics.quantiles(vals, n=4, method="inclusive")   # linear interpolation, as quantile_cont
    for name, v in values.items():
        peer_n, rank, g_q1, g_med, g_q3, others = rows[name]
        assert peer_n == 3
        assert rank == vals.index(v) + 1
        assert g_med == pytest.approx(statistics.median(vals))
        assert (g_q1, g_q3) == (pytest.approx(q1), pytest.approx(q3))
        assert others == pytest.approx(statistics.median([x for n, x in values.items() if n != name]))
    # 丁 is alone in its group (another class and province): no others to compare with
    alone = con.execute("SELECT peer_n, others_median FROM v_indicator_peers WHERE factory_name = '丁铸造有限公司' "
                        "AND indicator_id = 'energy_intensity'").fetchone()
    assert alone == (1, None)


def test_outlier_flags(loaded):
    con = _con(loaded)
    rows = con.execute("SELECT factory_name, rule, subject, ratio FROM v_outliers").fetchall()
    assert {r[0] for r in rows} == {"丙压铸有限公司"}          # the one with the odd figures, nobody else
    rules = {(r[1], r[2]) for r in rows}
    assert ("energy_intensity_vs_peers", "energy_intensity") in rules
    assert ("renewable_share_over_limit", "renewable_share") in rules
    jumps = {r[2]: r[3] for r in rows if r[1] == "monthly_jump"}
    june = next(k for k in jumps if k.endswith("2025-06") and k.startswith("电力"))
    assert jumps[june] == pytest.approx(4 * 1669500.0 / 1638000.0)
    ei = next(r[3] for r in rows if r[1] == "energy_intensity_vs_peers")
    assert ei > 5
    # the threshold is data: raise it and the flag goes
    con.execute("UPDATE outlier_rules SET threshold = 100 WHERE rule = 'energy_intensity_vs_peers'")
    try:
        assert not con.execute("SELECT count(*) FROM v_outliers WHERE rule = 'energy_intensity_vs_peers'").fetchone()[0]
    finally:
        con.execute("UPDATE outlier_rules SET threshold = 5 WHERE rule = 'energy_intensity_vs_peers'")


def test_rejected_package_is_never_compared(loaded):
    con = _con(loaded)
    bad = con.execute("SELECT package_id FROM packages WHERE status = 'rejected'").fetchone()[0]
    for view in ("v_current", "v_indicator_peers", "v_monthly", "v_outliers"):
        assert not con.execute(f"SELECT count(*) FROM {view} WHERE package_id = ?", [bad]).fetchone()[0], view
    # its claimed figures are kept for the reviewer to see, marked rejected
    assert con.execute("SELECT status, flags FROM v_packages WHERE package_id = ?", [bad]).fetchone() == ("rejected", 0)
    # the group of 甲 still counts three factories, not four
    assert con.execute("SELECT max(peer_n) FROM v_indicator_peers WHERE province = '重庆市'").fetchone()[0] == 3


def test_unknown_major_version_is_refused_and_not_stored(pkgs, tmp_path):
    from greendesk.core.i18n import using_language
    from greendesk.core.review.load import review_packages
    from greendesk.core.review.store import connect

    pdf = build_future_package(pkgs["ws0"], tmp_path / "future.pdf")
    db = tmp_path / "r.duckdb"
    with using_language("en"):
        r = review_packages([pdf], db)
    (x,) = r["packages"]
    assert (x["action"], x["status"]) == ("refused", None)
    assert ("greendesk-answers-scores.json: The package's data format is greendesk-answers-scores version 2; "
            "this GreenDesk reads version 1 only. Update GreenDesk to review this package.") in x["reasons"]
    assert connect(db).execute("SELECT count(*) FROM packages").fetchone()[0] == 0
    with using_language("zh"):
        again = review_packages([pdf], db)                # not stored, so read again (not skipped)
    assert again["packages"][0]["action"] == "refused"
    assert "本版本 GreenDesk 只能读取第 1 版" in again["packages"][0]["reasons"][0]


def test_summary_workbook(loaded, tmp_path):
    from openpyxl import load_workbook

    from greendesk.core.review.workbook import write_summary

    con = _con(loaded)
    info = write_summary(con, tmp_path / "汇总.xlsx", "zh")
    wb = load_workbook(tmp_path / "汇总.xlsx")
    assert wb.sheetnames == ["材料包", "指标对比", "异常", "审核备注", "月度用能"]
    assert wb["材料包"].max_row == 1 + 5
    assert [c.value for c in wb["材料包"][1]][:3] == ["编号", "文件", "审核状态"]
    n_peer = con.execute("SELECT count(*) FROM v_indicator_peers").fetchone()[0]
    assert wb["指标对比"].max_row == 1 + n_peer
    n_ind = con.execute("SELECT count(DISTINCT indicator_id) FROM v_indicator_peers").fetchone()[0]
    assert len(wb["指标对比"]._charts) == min(n_ind, 40) == info["sheets"]["v_indicator_peers"]["charts"]
    assert wb["异常"].max_row == 1 + con.execute("SELECT count(*) FROM v_outliers").fetchone()[0]
    assert "能耗强度超过同行其他工厂中位数的 5 倍" in [c.value for c in wb["异常"]["C"]]
    write_summary(con, tmp_path / "s.xlsx", "en")
    assert load_workbook(tmp_path / "s.xlsx").sheetnames == ["Packages", "Indicators vs peers", "Outliers",
                                                             "Review notes", "Monthly energy"]


def test_serial_and_parallel_load_the_same(pkgs, loaded, tmp_path):
    from greendesk.core.review.load import review_packages
    from greendesk.core.review.store import connect

    db = tmp_path / "serial.duckdb"
    review_packages([pkgs["dir"]], db, workers=1)
    q = "SELECT p.sha256, i.indicator_id, i.value, i.points FROM indicators i JOIN packages p USING (package_id) ORDER BY 1, 2"
    assert connect(db).execute(q).fetchall() == _con(loaded).execute(q).fetchall()
