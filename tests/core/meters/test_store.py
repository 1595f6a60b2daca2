"""Duplicates, re-import, all-or-nothing, cancel, quality checks, size limits, template round trip."""

import datetime as dt
import threading
import zipfile

import pytest
from fixtures.meters.ledgers import workspace, xlsx

from greendesk.core.errors import Cancelled, UserError
from greendesk.core.meters import analyse, commit, imports, remove_import
from greendesk.core.meters.model import Series
from greendesk.core.meters.quality import check_series

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def ledger(path, elec=100.0, extra=None):
    rows = [["月份", "电（kWh）"]] + [[m, elec] for m in MONTHS] + (extra or [])
    return xlsx(path, {"S": rows})


def snapshot(ws):
    c = ws.conn
    return (c.execute("SELECT * FROM meter_imports ORDER BY id").fetchall(),
            c.execute("SELECT * FROM meter_readings ORDER BY id").fetchall(),
            c.execute("SELECT sha256 FROM blobs ORDER BY sha256").fetchall())


def test_exact_duplicate_counted_once_and_conflict_names_both_rows(tmp_path):
    p = ledger(tmp_path / "d.xlsx", extra=[["2025-03", 100.0]])
    plan = analyse([p])
    assert plan.ok
    assert plan.totals()["electricity"]["total"] == 1200.0
    assert any(i.code == "duplicate_exact" and "14" in i.en and "4" in i.en for i in plan.issues)
    p2 = ledger(tmp_path / "c.xlsx", extra=[["2025-03", 101.0]])
    plan2 = analyse([p2])
    errs = [i for i in plan2.errors if i.code == "duplicate_conflict"]
    assert len(errs) == 1 and "S!B4" in errs[0].where and "S!B14" in errs[0].where


def test_long_format_conflicting_duplicate(tmp_path):
    rows = [["年月", "计量点", "用量", "单位"], ["2025-01", "总表", 1, "万kWh"], ["2025-01", "总表", 2, "万kWh"],
            ["2025-02", "总表", 1, "万kWh"], ["2025-02", "总表", 1, "万kWh"]]
    plan = analyse([xlsx(tmp_path / "l.xlsx", {"S": rows})])
    errs = [i for i in plan.errors if i.code == "duplicate_conflict"]
    assert len(errs) == 1 and "S!C2" in errs[0].where and "S!C3" in errs[0].where
    assert any(i.code == "duplicate_exact" for i in plan.issues)


def test_same_month_in_two_sheets(tmp_path):
    a = [["月份", "电（kWh）"], ["2025-01", 5.0], ["2025-02", 6.0]]
    b = [["月份", "电（kWh）"], ["2025-02", 7.0], ["2025-03", 8.0]]
    plan = analyse([xlsx(tmp_path / "s.xlsx", {"Q1": a, "Q2": b})])
    e = [i for i in plan.errors if i.code == "duplicate_conflict"]
    assert e and "Q1!B3" in e[0].where and "Q2!B2" in e[0].where


def test_commit_stores_readings_blob_and_reimport_replaces(tmp_path):
    ws, aid = workspace(tmp_path / "w.greendesk")
    p = ledger(tmp_path / "e.xlsx")
    s1 = commit(ws, aid, analyse([p]))
    assert s1.readings == 12
    row = ws.conn.execute("SELECT sha256, file_name FROM meter_imports").fetchone()
    assert ws.blob(row[0]) == p.read_bytes()
    refs = ws.conn.execute("SELECT period, value, source_ref, unit, carrier FROM meter_readings ORDER BY period").fetchall()
    assert refs[0] == ("2025-01", 100.0, "S!B2", "kWh", "electricity")
    # same file again: replaced, not doubled
    s2 = commit(ws, aid, analyse([p]))
    assert s2.imports[0]["replaced"] == [s1.imports[0]["id"]]
    assert ws.conn.execute("SELECT COUNT(*) FROM meter_readings").fetchone()[0] == 12
    # a corrected version under the same name replaces it too, and the old blob goes
    p = ledger(tmp_path / "e.xlsx", elec=200.0)
    commit(ws, aid, analyse([p]))
    assert ws.conn.execute("SELECT COUNT(*), SUM(value) FROM meter_readings").fetchone() == (12, 2400.0)
    assert ws.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
    assert len(imports(ws, aid)) == 1
    remove_import(ws, imports(ws, aid)[0]["id"])
    assert snapshot(ws) == ([], [], [])
    ws.close()


def test_all_or_nothing_on_error(tmp_path):
    ws, aid = workspace(tmp_path / "w.greendesk")
    commit(ws, aid, analyse([ledger(tmp_path / "ok.xlsx")]))
    before = snapshot(ws)
    bad = xlsx(tmp_path / "bad.xlsx", {"S": [["月份", "电（kWh）"], ["2025-01", "abc"]]})
    plan = analyse([ledger(tmp_path / "ok2.xlsx", elec=5.0), bad])
    assert not plan.ok
    with pytest.raises(UserError) as ei:
        commit(ws, aid, plan)
    assert "bad.xlsx" in str(ei.value) and "S!B2" in str(ei.value)
    assert snapshot(ws) == before
    ws.close()


def test_failure_inside_the_transaction_rolls_back(tmp_path, monkeypatch):
    ws, aid = workspace(tmp_path / "w.greendesk")
    before = snapshot(ws)
    plan = analyse([ledger(tmp_path / "a.xlsx"), ledger(tmp_path / "b.xlsx", elec=3.0)])
    assert plan.ok and any(i.code == "same_meter_other_file" for i in plan.issues)
    calls = []

    def progress(f, msg):
        calls.append(f)
        if len(calls) == 3:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        commit(ws, aid, plan, progress=progress)
    assert snapshot(ws) == before
    ws.close()


def test_cancel_writes_nothing_and_progress_is_reported(tmp_path):
    ws, aid = workspace(tmp_path / "w.greendesk")
    p = ledger(tmp_path / "a.xlsx")
    ev = threading.Event()
    ev.set()
    with pytest.raises(Cancelled):
        analyse([p], cancel=ev)
    seen = []
    plan = analyse([p], progress=lambda f, m: seen.append(f))
    assert seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen)
    before = snapshot(ws)
    with pytest.raises(Cancelled):
        commit(ws, aid, plan, cancel=lambda: True)
    assert snapshot(ws) == before
    ws.close()


def _series(values: dict) -> Series:
    return Series("f.xlsx", "S", "M1", "electricity", "kWh", "kWh", 1.0, "S!B", months=dict(values),
                  refs={k: [f"S!B{i + 2}"] for i, k in enumerate(sorted(values))}, counts={k: 1 for k in values})


def _codes(values, **kw):
    return {i.code for i in check_series(_series(values), **kw)}


def test_quality_checks_each():
    full = {m: 100.0 for m in MONTHS}
    assert _codes(full, year=2025, today=dt.date(2026, 3, 1)) == set()
    gap = {k: v for k, v in full.items() if k not in ("2025-03", "2025-07")}
    issues = check_series(_series(gap), year=2025, today=dt.date(2026, 3, 1))
    miss = [i for i in issues if i.code == "missing_months"][0]
    assert "2025-03" in miss.en and "2025-07" in miss.en
    assert "few_months" in {i.code for i in issues}
    assert "negative" in _codes({**full, "2025-05": -3.0}, today=dt.date(2026, 3, 1))
    assert "outlier" in _codes({**full, "2025-05": 450.0}, today=dt.date(2026, 3, 1))
    slip = check_series(_series({**full, "2025-05": 1_000_000.0}), today=dt.date(2026, 3, 1))
    assert [i.code for i in slip] == ["unit_scale"] and "S!B6" in slip[0].where
    assert "unit_scale" in _codes({**full, "2025-05": 0.01}, today=dt.date(2026, 3, 1))
    assert "future_period" in _codes(full, today=dt.date(2025, 6, 15))


def test_impossible_year_and_total_mismatch_and_future(tmp_path):
    rows = [["月份", "电（kWh）"], ["2205-01", 1.0], ["2025-02", 1.0], ["合计", 5.0]]
    plan = analyse([xlsx(tmp_path / "y.xlsx", {"S": rows})])
    assert any(i.code == "impossible_year" and "S!A2" in i.where for i in plan.errors)
    assert any(i.code == "total_mismatch" and "S!B4" in i.where for i in plan.issues)
    nxt = dt.date.today().year + 1
    rows = [["月份", "电（kWh）"]] + [[f"{nxt}-{m:02d}", 1.0] for m in range(1, 13)]
    plan = analyse([xlsx(tmp_path / "f.xlsx", {"S": rows})])
    assert any(i.code == "future_period" for i in plan.issues)


def test_sheet_dimension_over_limit_is_refused_before_reading(tmp_path):
    p = ledger(tmp_path / "big.xlsx")
    out = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(p) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'<dimension ref="A1:B13"/>', b'<dimension ref="A1:CV100000"/>')
                assert b"CV100000" in data
            zout.writestr(info, data)
    with pytest.raises(UserError) as ei:
        analyse([out])
    assert "10,000,000" in ei.value.en or "limit" in ei.value.en


def test_zip_bomb_is_refused(tmp_path):
    p = ledger(tmp_path / "b.xlsx")
    out = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("xl/media/padding.bin", b"\0" * 60_000_000)
    with pytest.raises(UserError) as ei:
        analyse([out])
    assert "bomb" in ei.value.en


def test_template_filled_with_month_only_labels_takes_the_assessment_year(tmp_path):
    # the template's own instruction line must not lend its example year to 1月…12月
    from openpyxl import load_workbook

    from greendesk.core.meters.template import write_template

    p = write_template(tmp_path / "tpl.xlsx")
    wb = load_workbook(p)
    ws = wb["能源台账"]
    for m in range(1, 13):
        for c, v in enumerate((f"{m}月", "总表", "电力", 100.0, "kWh"), start=1):
            ws.cell(row=3 + m, column=c, value=v)
    wb.save(p)
    plan = analyse([p], year=2026)
    assert plan.ok, [i.text() for i in plan.errors]
    assert sorted(plan.files[0].series[0].months)[0] == "2026-01"


def test_template_round_trip(tmp_path):
    from openpyxl import load_workbook

    from greendesk.core.meters.template import template_carrier_names, write_template

    p = write_template(tmp_path / "tpl.xlsx")
    wb = load_workbook(p)
    ws = wb["能源台账"]
    dvs = ws.data_validations.dataValidation
    assert {str(d.sqref) for d in dvs} == {"C4:C1003", "E4:E1003"}
    names = template_carrier_names()
    elec = next(k for k, v in names.items() if v == "electricity")
    gas = next(k for k, v in names.items() if v == "natural_gas")
    water = next(k for k, v in names.items() if v == "water")
    want = {}
    r = 4
    for m in range(1, 13):
        for meter, carrier, unit, value in (("总表", elec, "万kWh", 12.5 + m), ("熔炼炉", gas, "m3", 1000.0 + m),
                                            ("总水表", water, "t", 50.0 + m)):
            ws.cell(row=r, column=1, value=f"2025-{m:02d}")
            ws.cell(row=r, column=2, value=meter)
            ws.cell(row=r, column=3, value=carrier)
            ws.cell(row=r, column=4, value=value)
            ws.cell(row=r, column=5, value=unit)
            want[(meter, f"2025-{m:02d}")] = value * (10000 if unit == "万kWh" else 1)
            r += 1
    wb.save(p)
    plan = analyse([p])
    assert plan.ok, [i.text() for i in plan.errors]
    got = {(meter, period): v for meter, _c, _u, period, v, _ref in plan.records()}
    assert got == pytest.approx(want)
    assert len(plan.files[0].sheets) == 1  # the hidden lists sheet is not read
    # every carrier in the drop-down is understood back
    for name, cid in names.items():
        from greendesk.core.meters.catalog import catalog

        assert catalog().carrier(name) == cid


def test_plan_set_sheet_header_row_and_skip(tmp_path):
    rows = [["说明：本表由系统导出"], ["项目", "备注"], ["月份", "电（kWh）"]] + [[m, 1.0] for m in MONTHS]
    p = xlsx(tmp_path / "h.xlsx", {"S": rows, "Notes": [["电", "随便写写"], ["2025-01", "x"]]})
    plan = analyse([p])
    plan.set_sheet("S", header_row=3)
    plan.set_sheet("Notes", skip=True)
    assert plan.ok, [i.text() for i in plan.errors]
    assert plan.totals()["electricity"]["total"] == 12.0
    assert plan.files[0].sheets[0].header_rows == [3]


def test_steam_in_tonnes_and_gj_is_reported_in_gj(tmp_path):
    from greendesk.core.energy import energy_summary

    ws, aid = workspace(tmp_path / "w.greendesk")
    rows = [["月份", "蒸汽（t）", "外购蒸汽 2#（GJ）"]] + [[m, 1.0, 10.0] for m in MONTHS]
    commit(ws, aid, analyse([xlsx(tmp_path / "st.xlsx", {"S": rows})]))
    d = energy_summary(ws)
    st = d["carriers"]["steam"]
    assert st["unit"] == "GJ" and st["total"] == pytest.approx(12 * 3.769 + 120)
    assert st["co2_t"] == pytest.approx((12 * 3.769 + 120) * 0.11)
    assert "steam.gj_per_t" in {f["id"] for f in d["factors"]}
    ws.close()


def test_same_name_from_another_folder_is_another_file(tmp_path):
    ws, aid = workspace(tmp_path / "w.greendesk")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    commit(ws, aid, analyse([ledger(tmp_path / "a" / "能源.xlsx", elec=1.0)]))
    commit(ws, aid, analyse([ledger(tmp_path / "b" / "能源.xlsx", elec=2.0)]))
    assert len(imports(ws, aid)) == 2
    # the same content from anywhere is the same file
    (tmp_path / "能源.xlsx").write_bytes((tmp_path / "b" / "能源.xlsx").read_bytes())
    commit(ws, aid, analyse([tmp_path / "能源.xlsx"]))
    assert len(imports(ws, aid)) == 2
    ws.close()


def test_same_meter_name_in_two_files_is_one_meter_or_two_never_half_and_half(tmp_path):
    from greendesk.core.energy import energy_summary

    # two ledgers whose one shared column '电' agrees in one month only: two different meters, all months counted
    a = ledger(tmp_path / "a.xlsx", elec=100.0)
    b = xlsx(tmp_path / "b.xlsx", {"S": [["月份", "电（kWh）"]] + [[m, 100.0 if m == "2025-01" else 3.0]
                                                                  for m in MONTHS]})
    plan = analyse([a, b])
    assert plan.ok
    assert [i.code for i in plan.issues if i.code in ("same_meter_other_file", "duplicate_exact")] == [
        "same_meter_other_file"]
    assert plan.totals()["electricity"]["total"] == pytest.approx(1200 + 100 + 11 * 3)
    ws, aid = workspace(tmp_path / "w.greendesk")
    commit(ws, aid, plan)
    assert energy_summary(ws, 2025)["carriers"]["electricity"]["total"] == pytest.approx(1200 + 100 + 11 * 3)
    ws.close()
    # two ledgers that agree wherever they overlap (Jan-Jul and Jul-Dec): one meter, July counted once
    c = xlsx(tmp_path / "c.xlsx", {"S": [["月份", "电（kWh）"]] + [[m, 100.0] for m in MONTHS[:7]]})
    d = xlsx(tmp_path / "d.xlsx", {"S": [["月份", "电（kWh）"]] + [[m, 100.0] for m in MONTHS[6:]]})
    plan = analyse([c, d])
    assert plan.ok
    assert [i.code for i in plan.issues if i.code in ("same_meter_other_file", "duplicate_exact")] == [
        "duplicate_exact"]
    assert plan.totals()["electricity"]["total"] == pytest.approx(1200)
    plan.rederive()      # the wizard re-derives after every mapping change: same result
    assert plan.totals()["electricity"]["total"] == pytest.approx(1200)
    assert [i.code for i in plan.issues if i.code == "duplicate_exact"] == ["duplicate_exact"]
    ws, aid = workspace(tmp_path / "w2.greendesk")
    commit(ws, aid, plan)
    assert energy_summary(ws, 2025)["carriers"]["electricity"]["total"] == pytest.approx(1200)
    ws.close()


def test_the_same_ledger_named_twice_is_read_once(tmp_path):
    p = ledger(tmp_path / "e.xlsx")
    plan = analyse([p, tmp_path / "." / "e.xlsx"])
    assert [f.name for f in plan.files] == ["e.xlsx"]
    assert plan.totals()["electricity"]["total"] == 1200.0
