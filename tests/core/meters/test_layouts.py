"""Ledger shapes recognised with no mapping file (issue 4, points 2-4). Fixtures are generated here."""

import datetime as dt

import pytest
from fixtures.meters.ledgers import csv_bytes, ods, xlsx

from greendesk.core.meters import analyse
from greendesk.core.meters.values import parse_number, parse_period

MONTHS = [f"{m}月" for m in range(1, 13)]
ELEC = [100000.0 + 1000 * m for m in range(12)]          # kWh
GAS = [5000.0 + 10 * m for m in range(12)]               # m3


def totals(plan):
    return {k: v["total"] for k, v in plan.totals().items()}


def codes(plan, level=None):
    return [i.code for i in plan.issues if level is None or i.level == level]


def test_title_rows_unit_note_and_year_from_title(tmp_path):
    rows = [["某某公司2025年能源消耗台账"], ["单位：万kWh", "", "制表：张三"], [], ["月份", "用电量"]]
    rows += [[m, v / 10000] for m, v in zip(MONTHS, ELEC, strict=True)]
    p = xlsx(tmp_path / "t.xlsx", {"Sheet1": rows}, {"Sheet1": ["A1:C1"]})
    # the title says 2025: against a 2030 assessment that is a question (the figures would land in 2025), not a warning
    other = analyse([p], year=2030)
    assert [e.code for e in other.errors] == ["other_year"]
    plan = analyse([p], year=2025)
    assert plan.ok, [i.text() for i in plan.errors]
    sh = plan.files[0].sheets[0]
    assert sh.year == 2025 and sh.year_from == "title"
    assert sh.header_rows == [4]
    assert totals(plan)["electricity"] == pytest.approx(sum(ELEC))
    assert min(plan.files[0].series[0].months) == "2025-01"


def test_preparation_date_in_a_note_is_not_the_ledger_year(tmp_path):
    # 制表日期 2026-01-05 on a 2025 ledger: the months belong to the assessment year, not to the day it was typed
    rows = [["能源消耗月报"], ["填报单位：某厂", "制表日期：2026年1月5日"], ["月份", "电(kWh)"]]
    rows += [[m, 1000.0] for m in MONTHS]
    plan = analyse([xlsx(tmp_path / "n.xlsx", {"月报": rows})], year=2025)
    assert plan.ok, [i.text() for i in plan.errors]
    assert plan.files[0].sheets[0].year == 2025
    assert min(plan.files[0].series[0].months) == "2025-01"
    # nor does an export date in the file name
    rows = [["月份", "电(kWh)"]] + [[m, 1000.0] for m in MONTHS]
    plan = analyse([xlsx(tmp_path / "能耗导出_2026-01-05.xlsx", {"S": rows})], year=2025)
    assert plan.files[0].sheets[0].year == 2025
    plan = analyse([xlsx(tmp_path / "2024年能耗.xlsx", {"S": rows})], year=2025)
    assert plan.files[0].sheets[0].year == 2024


def test_unit_in_parentheses_in_the_title_applies_to_the_sheet(tmp_path):
    rows = [["2025年分表用电（kWh）"], ["月份", "1#车间", "2#车间", "合计"]]
    rows += [[m, 100.0, 200.0, 300.0] for m in MONTHS]
    plan = analyse([xlsx(tmp_path / "t.xlsx", {"用电": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    assert totals(plan)["electricity"] == pytest.approx(3600.0)
    assert all(c["ok"] for c in plan.files[0].sheets[0].totals)


def test_months_down_total_column_is_cross_checked(tmp_path):
    rows = [["月份", "1#车间（kWh）", "2#车间（kWh）", "合计"]]
    rows += [[m, 100.0, 200.0, 999.0 if m == "5月" else 300.0] for m in MONTHS]
    plan = analyse([xlsx(tmp_path / "t.xlsx", {"用电": rows})], year=2025)
    assert plan.ok, [i.text() for i in plan.errors]
    assert totals(plan)["electricity"] == pytest.approx(3600.0)      # the total column is not data
    checks = plan.files[0].sheets[0].totals
    assert len(checks) == 12 and [c["where"] for c in checks if not c["ok"]] == ["用电!D6"]
    bad = [i for i in plan.issues if i.code == "total_mismatch"]
    assert len(bad) == 1 and "用电!D6" in bad[0].where


def test_months_across_under_merged_year_headers(tmp_path):
    # 同比 tables: a row of merged years (2024年 | 2025年) over a row of months
    rows = [["能源", "单位", "2024年"] + [None] * 11 + ["2025年"] + [None] * 11,
            [None, None] + MONTHS * 2,
            ["电", "kWh"] + [100.0] * 12 + [200.0] * 12,
            ["水", "m3"] + [10.0] * 12 + [20.0] * 12]
    p = xlsx(tmp_path / "yoy.xlsx", {"能耗": rows}, {"能耗": ["C1:N1", "O1:Z1", "A1:A2", "B1:B2"]})
    plan = analyse([p], year=2025)
    assert plan.ok, [i.text() for i in plan.errors]
    sh = plan.files[0].sheets[0]
    assert sh.layout == "months_across" and sh.header_rows == [1, 2]
    s = {x.carrier: x for x in plan.files[0].series}
    assert s["electricity"].months["2024-03"] == 100.0 and s["electricity"].months["2025-03"] == 200.0
    assert sum(v for k, v in s["water"].months.items() if k.startswith("2025")) == pytest.approx(240.0)


def test_production_and_intensity_columns_are_not_meters(tmp_path):
    # energy ledgers often carry output, output value and per-unit figures next to the meters
    rows = [["月份", "电(kWh)", "天然气(m3)", "产量(t)", "产值(万元)", "单位产品电耗(kWh/t)", "折标煤(tce)"]]
    rows += [[f"2025-{m:02d}", 1000.0, 100.0, 50.0, 300.0, 20.0, 0.2] for m in range(1, 13)]
    plan = analyse([xlsx(tmp_path / "p.xlsx", {"S": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    assert totals(plan) == {"electricity": pytest.approx(12000.0), "natural_gas": pytest.approx(1200.0)}
    notes = [i for i in plan.issues if i.code == "not_a_meter"]
    assert {n.where.split("!")[-1] for n in notes} == {"D1", "F1", "G1"}
    # the same rows in a months-across ledger
    rows = [["项目", "单位"] + MONTHS, ["电", "kWh"] + [1000.0] * 12, ["产量", "t"] + [50.0] * 12,
            ["单位产品电耗", "kWh/t"] + [20.0] * 12]
    plan = analyse([xlsx(tmp_path / "a.xlsx", {"S": rows})], year=2025)
    assert plan.ok, [i.text() for i in plan.errors]
    assert totals(plan) == {"electricity": pytest.approx(12000.0)}
    assert len([i for i in plan.issues if i.code == "not_a_meter"]) == 2


def test_two_header_rows_names_and_units_row_with_merged_group_header(tmp_path):
    rows = [["月份", "电", "电", "天然气"], ["", "1#变压器", "2#变压器", ""], ["", "kWh", "MWh", "万m³"]]
    rows += [[f"2025-{m + 1:02d}", ELEC[m], ELEC[m] / 1000, GAS[m] / 10000] for m in range(12)]
    p = xlsx(tmp_path / "two.xlsx", {"S": rows}, {"S": ["B1:C1"]})
    plan = analyse([p])
    assert plan.ok, [i.text() for i in plan.errors]
    sh = plan.files[0].sheets[0]
    assert sh.header_rows == [1, 2, 3]
    t = totals(plan)
    assert t["electricity"] == pytest.approx(2 * sum(ELEC))
    assert t["natural_gas"] == pytest.approx(sum(GAS))
    assert {s.meter for s in plan.files[0].series} == {"电 1#变压器", "电 2#变压器", "天然气"}


def test_months_across_carriers_down_with_unit_column_totals_row_and_column(tmp_path):
    rows = [["2025年度能源月报"], ["能源品种", "单位"] + MONTHS + ["合计"],
            ["电力", "kWh"] + ELEC + [sum(ELEC)],
            ["天然气", "m3"] + GAS + [sum(GAS) + 100],           # a wrong total: cross-checked
            ["合计", ""] + [""] * 12 + [""]]
    p = xlsx(tmp_path / "across.xlsx", {"年报": rows})
    plan = analyse([p])
    assert plan.ok
    sh = plan.files[0].sheets[0]
    assert sh.layout == "months_across" and sh.year == 2025
    t = totals(plan)
    assert t == {"electricity": pytest.approx(sum(ELEC)), "natural_gas": pytest.approx(sum(GAS))}
    checks = sh.totals
    assert [c["ok"] for c in checks] == [True, False]
    mism = [i for i in plan.issues if i.code == "total_mismatch"]
    assert len(mism) == 1 and "年报!O4" in mism[0].where


def test_months_across_merged_carrier_label_over_meter_rows(tmp_path):
    rows = [["能源", "计量点", "单位"] + [f"2025年{m}月" for m in range(1, 13)],
            ["电", "压铸车间", "kWh"] + ELEC,
            ["", "机加车间", "kWh"] + ELEC,
            ["新水", "总表", "t"] + [100.0] * 12]
    p = xlsx(tmp_path / "merged.xlsx", {"S": rows}, {"S": ["A2:A3"]})
    plan = analyse([p])
    assert plan.ok, [i.text() for i in plan.errors]
    t = totals(plan)
    assert t["electricity"] == pytest.approx(2 * sum(ELEC))
    assert t["water"] == pytest.approx(1200.0)


def test_long_format_with_carrier_and_unit_columns(tmp_path):
    rows = [["日期", "能源种类", "计量点", "数量", "单位"]]
    for m in range(12):
        rows.append([dt.date(2025, m + 1, 1), "电", "总表", ELEC[m] / 10000, "万kWh"])
        rows.append([dt.date(2025, m + 1, 1), "柴油", "叉车", 100.0, "L"])
    p = xlsx(tmp_path / "long.xlsx", {"S": rows})
    plan = analyse([p])
    assert plan.ok, [i.text() for i in plan.errors]
    assert plan.files[0].sheets[0].layout == "long"
    t = totals(plan)
    assert t["electricity"] == pytest.approx(sum(ELEC))
    assert t["diesel"] == pytest.approx(1200 * 0.84 / 1000)


def test_litres_converted_with_a_density_say_which_density_and_how_certain(tmp_path):
    rows = [["月份", "柴油(L)", "汽油(升)"]] + [[f"2025-{m:02d}", 1000, 100] for m in range(1, 13)]
    plan = analyse([xlsx(tmp_path / "fuel.xlsx", {"S": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    used = [i for i in plan.issues if i.code == "density_used"]
    assert len(used) == 2
    diesel = next(i for i in used if "Diesel" in i.en)
    assert "0.84 kg/L" in diesel.en and "uncertain" in diesel.en and "S!B1" in diesel.where
    assert "0.84 kg/L" in diesel.zh


def test_sheets_per_month_with_daily_rows(tmp_path):
    sheets = {}
    for m in (1, 2, 3):
        rows = [["日", "电（kWh）", "自来水（m³）"]]
        rows += [[f"{d}日", 1000.0, 10.0] for d in range(1, 29)]
        rows.append(["合计", 28000.0, 280.0])
        sheets[f"2025年{m}月"] = rows
    p = xlsx(tmp_path / "monthly.xlsx", sheets)
    plan = analyse([p])
    assert plan.ok, [i.text() for i in plan.errors]
    s = {x.carrier: x for x in plan.files[0].series}
    assert s["electricity"].months == {"2025-01": 28000.0, "2025-02": 28000.0, "2025-03": 28000.0}
    assert s["water"].total == pytest.approx(840.0)
    assert all(c["ok"] for sh in plan.files[0].sheets for c in sh.totals)


@pytest.mark.parametrize("day", ["{d}日", "{d}号", "{d}"])
def test_sheets_per_month_with_a_date_column_of_days(tmp_path, day):
    # the day column is headed 日期 (a period word) but holds days of the sheet's month
    sheets = {}
    for m in (1, 2, 3):
        rows = [["2025年能源日报"], ["日期", "电(kWh)"]]
        rows += [[day.format(d=d) if day != "{d}" else d, 100.0] for d in range(1, 29)]
        rows.append(["合计", 2800.0])
        sheets[f"{m}月"] = rows
    plan = analyse([xlsx(tmp_path / "daily.xlsx", sheets)])
    assert plan.ok, [i.text() for i in plan.errors]
    assert plan.files[0].series[0].months == {"2025-01": 2800.0, "2025-02": 2800.0, "2025-03": 2800.0}
    assert not [i for i in plan.issues if i.code == "row_skipped"]


def test_daily_columns_across_are_summed_to_months(tmp_path):
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(59)]       # Jan and Feb
    rows = [["表计", "单位"] + days + ["合计"], ["总表电", "kWh"] + [10.0] * 59 + [590.0],
            ["合计", ""] + [10.0] * 59 + [590.0]]
    plan = analyse([xlsx(tmp_path / "daily.xlsx", {"S": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    assert plan.files[0].series[0].months == {"2025-01": 310.0, "2025-02": 280.0}
    assert not [i for i in plan.issues if i.code in ("duplicate_column", "total_mismatch")]
    sh = plan.files[0].sheets[0]
    assert sh.interval and sh.totals and all(c["ok"] for c in sh.totals)
    # the same day twice is still a duplicate column
    rows = [["表计", "单位", days[0], days[0], days[1]], ["总表电", "kWh", 1.0, 1.0, 1.0]]
    plan = analyse([xlsx(tmp_path / "dup.xlsx", {"S": rows})])
    assert [i.code for i in plan.issues if i.code == "duplicate_column"] == ["duplicate_column"]


def test_interval_hourly_data_summed_to_months_with_refs(tmp_path):
    start = dt.datetime(2025, 1, 1)
    rows = [["时间", "1#压铸机 kWh", "2#压铸机 kWh"]]
    hours = 24 * (31 + 28)
    for h in range(hours):
        rows.append([start + dt.timedelta(hours=h), 1.5, 2.0])
    p = xlsx(tmp_path / "hourly.xlsx", {"S": rows})
    plan = analyse([p])
    assert plan.ok, [i.text() for i in plan.errors]
    sh = plan.files[0].sheets[0]
    assert sh.interval
    s = {x.meter: x for x in plan.files[0].series}
    assert s["1#压铸机"].months == {"2025-01": pytest.approx(1.5 * 744), "2025-02": pytest.approx(1.5 * 672)}
    assert s["1#压铸机"].ref("2025-01") == "S!B2:B745"
    assert s["1#压铸机"].counts["2025-01"] == 744


def test_numbers_as_text_fullwidth_and_units_in_cells(tmp_path):
    vals = ["1,234.5", "１２３４．５", "1234.5 kWh", "0.12345万kWh", 1234.5, "1234.5千瓦时",
            " 1 234.5 ", "1234.5度", "1,234.50", "1.2345 MWh", "１，２３４．５", "+1234.5"]
    rows = [["月份", "电（kWh）"]] + [[m, v] for m, v in zip(MONTHS, vals, strict=True)]
    p = xlsx(tmp_path / "text.xlsx", {"S": rows})
    plan = analyse([p], year=2025)
    assert plan.ok, [i.text() for i in plan.errors]
    s = plan.files[0].series[0]
    assert sorted(s.months) == [f"2025-{m:02d}" for m in range(1, 13)]
    for v in s.months.values():
        assert v == pytest.approx(1234.5)


@pytest.mark.parametrize("labels", [
    [dt.date(2025, m, 1) for m in range(1, 13)],
    [float((dt.date(2025, m, 1) - dt.date(1899, 12, 30)).days) for m in range(1, 13)],
    [f"2025年{m}月" for m in range(1, 13)],
    [f"2025.{m:02d}" for m in range(1, 13)],
    [f"2025-{m}" for m in range(1, 13)],
    [f"2025/{m:02d}" for m in range(1, 13)],
    [f"{m}月" for m in range(1, 13)],
    ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    ["January 2025", "February 2025", "March 2025", "April 2025", "May 2025", "June 2025", "July 2025",
     "August 2025", "September 2025", "October 2025", "November 2025", "December 2025"],
    [f"2025{m:02d}" for m in range(1, 13)],
    [f"2025年{m:02d}月份" for m in range(1, 13)],
])
def test_every_month_label_form(tmp_path, labels):
    rows = [["月份", "电（kWh）"]] + [[lab, 10.0] for lab in labels]
    p = xlsx(tmp_path / "labels.xlsx", {"S": rows})
    plan = analyse([p], year=2025)
    assert plan.ok, [i.text() for i in plan.errors]
    assert sorted(plan.files[0].series[0].months) == [f"2025-{m:02d}" for m in range(1, 13)]


def test_period_and_number_parsers_directly():
    assert parse_period("2025-1").key() == "2025-01"
    assert parse_period("2025年3月15日").key() == "2025-03"
    assert parse_period("2025-03-15 13:00").stamp == "2025-03-15T13:00:00"
    assert parse_period("12月").year is None and parse_period("12月").month == 12
    assert parse_period("合计") is None and parse_period("电") is None
    # month/year (01/2025) and the statistics style 2025M01
    assert parse_period("01/2025").key() == "2025-01" and parse_period("12-2025").key() == "2025-12"
    assert parse_period("2025M01").key() == "2025-01" and parse_period("2025m12").key() == "2025-12"
    assert parse_period("13/2025") is None and parse_period("2025M13") is None
    assert parse_period("12.3456") is None and parse_period("1.2025") is None      # numbers typed as text
    assert parse_number("—") == (None, None) and parse_number("无") == (None, None)
    assert parse_number("/") == (None, None) and parse_number("") == (None, None)
    assert parse_number("1,234.5 kWh") == (1234.5, "kWh")
    assert parse_number("－５") == (-5.0, None)


def test_placeholders_are_missing_not_zero(tmp_path):
    vals = [10.0, "—", 10.0, "-", 10.0, "/", 10.0, "无", 10.0, None, 10.0, 10.0]
    rows = [["月份", "天然气（m3）"]] + [[m, v] for m, v in zip(MONTHS, vals, strict=True)]
    p = xlsx(tmp_path / "ph.xlsx", {"S": rows})
    plan = analyse([p], year=2025)
    assert plan.ok
    s = plan.files[0].series[0]
    assert len(s.months) == 7 and s.total == pytest.approx(70.0)
    miss = [i for i in plan.issues if i.code == "missing_months"]
    assert miss and all(k in miss[0].en for k in ("2025-02", "2025-04", "2025-06", "2025-08", "2025-10"))
    assert "S!B3" in miss[0].where


def test_csv_gbk_and_utf8_bom(tmp_path):
    rows = [["月份", "电(kWh)", "新鲜水(吨)"]] + [[f"2025年{m}月", f"{ELEC[m - 1]:,.1f}", "100"] for m in range(1, 13)]
    for enc, name in (("gbk", "g.csv"), ("utf-8-sig", "u.csv"), ("gb18030", "g18.csv"), ("utf-8", "u8.csv")):
        p = tmp_path / name
        p.write_bytes(csv_bytes(rows, enc))
        plan = analyse([p])
        assert plan.ok, (enc, [i.text() for i in plan.errors])
        t = totals(plan)
        assert t["electricity"] == pytest.approx(sum(ELEC)) and t["water"] == pytest.approx(1200.0)


def test_semicolon_csv(tmp_path):
    p = tmp_path / "semi.csv"
    p.write_text("月份;电(kWh)\n" + "".join(f"2025-{m:02d};10\n" for m in range(1, 13)), encoding="utf-8")
    assert totals(analyse([p]))["electricity"] == 120.0


def test_meter_readings_with_multiplier_and_rollover(tmp_path):
    rows = [["抄表日期", "表号", "上月读数", "本月读数", "倍率"]]
    readings = [(0, 100), (100, 250), (250, 30), (30, 130)]
    for m, (a, b) in enumerate(readings, start=1):
        rows.append([f"2025-{m:02d}-28", "E-01", a, b, 80])
    p = xlsx(tmp_path / "rd.xlsx", {"电表": rows})
    plan = analyse([p])
    assert plan.ok
    s = plan.files[0].series[0]
    assert s.carrier == "electricity"
    assert s.months == {"2025-01": 8000.0, "2025-02": 12000.0, "2025-04": 8000.0}
    down = [i for i in plan.issues if i.code == "reading_down"]
    assert len(down) == 1 and "电表!D4" in down[0].where


def test_readings_current_only_column_chained(tmp_path):
    rows = [["日期", "表计", "本月示数"], ["2024-12-31", "W1", 1000], ["2025-01-31", "W1", 1100],
            ["2025-02-28", "W1", 1250]]
    p = xlsx(tmp_path / "water.xlsx", {"水表抄表": rows})
    plan = analyse([p])
    # the unit is missing: reported with the accepted units
    assert not plan.ok
    err = plan.errors[0]
    assert err.code == "unit_missing" and "m3" in err.en
    rows[0][2] = "本月示数(m³)"
    p = xlsx(tmp_path / "water2.xlsx", {"水表抄表": rows})
    plan = analyse([p])
    assert plan.ok, [i.text() for i in plan.errors]
    assert plan.files[0].series[0].months == {"2025-01": 100.0, "2025-02": 150.0}


def test_usage_column_named_by_its_carrier_wins_and_is_cross_checked(tmp_path):
    # "用电量" / "用水量(m³)" name the carrier instead of saying 用量: still the usage column of the readings ledger
    rows = [["日期", "表号", "上次读数", "本次读数", "倍率", "用电量"]]
    for m in range(1, 13):
        rows.append([f"2025-{m:02d}", "A1", 100 * m, 100 * (m + 1), 10, 1500 if m == 4 else 1000])
    plan = analyse([xlsx(tmp_path / "rd.xlsx", {"抄表": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    s = plan.files[0].series[0]
    assert s.carrier == "electricity" and s.months["2025-04"] == 1500.0
    assert totals(plan)["electricity"] == pytest.approx(12500.0)
    mism = [i for i in plan.issues if i.code == "usage_mismatch"]
    assert len(mism) == 1 and "抄表!F5" in mism[0].where
    rows = [["日期", "表号", "上次读数", "本次读数", "用水量(m³)"]]
    for m in range(1, 13):
        rows.append([f"2025-{m:02d}", "W1", 10 * m, 10 * (m + 1), 10])
    plan = analyse([xlsx(tmp_path / "w.xlsx", {"抄表": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    assert totals(plan) == {"water": pytest.approx(120.0)}


def test_usage_column_wins_and_is_cross_checked(tmp_path):
    rows = [["日期", "表号", "起码", "止码", "倍率", "用量", "单位"],
            ["2025-01-25", "M1", 0, 10, 100, 1000, "kWh"],
            ["2025-02-25", "M1", 10, 20, 100, 1500, "kWh"]]
    p = xlsx(tmp_path / "use.xlsx", {"S": rows})
    plan = analyse([p])
    assert plan.ok
    assert plan.files[0].series[0].months == {"2025-01": 1000.0, "2025-02": 1500.0}
    mm = [i for i in plan.issues if i.code == "usage_mismatch"]
    assert len(mm) == 1 and "S!F3" in mm[0].where


def test_unknown_unit_names_cell_and_accepted_units(tmp_path):
    rows = [["月份", "电（千瓦）"]] + [[m, 1.0] for m in MONTHS]
    p = xlsx(tmp_path / "u.xlsx", {"能耗": rows})
    plan = analyse([p], year=2025)
    assert not plan.ok
    e = plan.errors[0]
    assert e.code == "unknown_unit"
    assert "能耗!B1" in e.where and "u.xlsx" in e.where
    assert "万kWh" in e.en and "kWh" in e.zh


def test_unknown_carrier_names_cell(tmp_path):
    rows = [["月份", "压缩空气（Nm3）"]] + [[m, 1.0] for m in MONTHS]
    p = xlsx(tmp_path / "c.xlsx", {"S": rows})
    plan = analyse([p], year=2025)
    assert not plan.ok
    e = plan.errors[0]
    assert e.code == "unknown_carrier" and "S!B1" in e.where


def test_mapping_overrides_detection(tmp_path):
    rows = [["月份", "压缩空气（Nm3）", "备注"]] + [[m, 1.0, ""] for m in MONTHS]
    p = xlsx(tmp_path / "c.xlsx", {"S": rows})
    mp = tmp_path / "map.yaml"
    mp.write_text("year: 2025\ncolumns:\n  S!B: {carrier: natural_gas, unit: m3, meter: 空压站}\n", encoding="utf-8")
    plan = analyse([p], mapping=mp)
    assert plan.ok, [i.text() for i in plan.errors]
    s = plan.files[0].series[0]
    assert (s.carrier, s.meter, s.total) == ("natural_gas", "空压站", 12.0)


@pytest.mark.parametrize("text, expected", [
    ("year: 2025\ncolums:\n  S!B: {carrier: natural_gas}\n", "colums"),
    ("columns:\n  S!B: {carier: natural_gas, unit: m3}\n", "columns.S!B.carier"),
    ("sheets:\n  S: {header_rows: 2}\n", "sheets.S.header_rows"),
    ("columns:\n  S!B: {role: valu}\n", "columns.S!B.role"),
    ("columns:\n  S!B: natural_gas\n", "columns.S!B"),
])
def test_mapping_file_mistakes_are_named(tmp_path, text, expected):
    from greendesk.core.errors import UserError

    rows = [["月份", "压缩空气（Nm3）"]] + [[m, 1.0] for m in MONTHS]
    p = xlsx(tmp_path / "c.xlsx", {"S": rows})
    mp = tmp_path / "map.yaml"
    mp.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as e:
        analyse([p], mapping=mp)
    assert "map.yaml" in e.value.en and expected in e.value.en


def test_plan_edit_rederives_and_is_json(tmp_path):
    import json

    rows = [["月份", "用量"]] + [[m, 1.0] for m in MONTHS]
    p = xlsx(tmp_path / "e.xlsx", {"S": rows})
    plan = analyse([p], year=2025)
    assert not plan.ok
    json.dumps(plan.to_dict())
    col = plan.files[0].sheets[0].columns[1]
    plan.set_column(col.key, carrier="water", unit="t")
    assert plan.ok, [i.text() for i in plan.errors]
    assert plan.totals()["water"]["total"] == 12.0
    d = json.loads(json.dumps(plan.to_dict()))
    assert d["files"][0]["series"][0]["carrier"] == "water"


def test_pv_and_green_power_and_steam_words(tmp_path):
    rows = [["月份", "光伏自发自用电量(kWh)", "光伏上网电量(kWh)", "绿电交易电量(MWh)", "外购蒸汽(t)", "热水(GJ)"]]
    rows += [[m, 10.0, 5.0, 1.0, 2.0, 3.0] for m in MONTHS]
    plan = analyse([xlsx(tmp_path / "pv.xlsx", {"S": rows})], year=2025)
    assert plan.ok, [i.text() for i in plan.errors]
    t = totals(plan)
    assert t["pv_self_use"] == 120 and t["pv_export"] == 60 and t["green_power"] == 12000
    assert t["steam"] == 24 and t["heat"] == 36


def test_legacy_xls_months_across_with_merged_labels_and_totals():
    from pathlib import Path

    p = Path(__file__).resolve().parents[2] / "fixtures" / "meters" / "legacy_months_across.xls"
    plan = analyse([p])
    assert plan.ok, [i.text() for i in plan.errors]
    t = totals(plan)
    assert t == {"electricity": pytest.approx(2 * sum(ELEC)), "natural_gas": pytest.approx(180000.0),
                 "water": pytest.approx(3300.0)}
    sh = plan.files[0].sheets[0]
    assert sh.year == 2025 and sh.layout == "months_across"
    assert len(sh.totals) == 4 and all(c["ok"] for c in sh.totals)
    assert any(i.code == "missing_months" and "2025-12" in i.en for i in plan.issues)


def test_empty_period_header_and_money_columns_ignored(tmp_path):
    rows = [["", "电（kWh）", "电费(元)", "备注"]] + [[f"2025-{m:02d}", 1.0, 0.7, "抄表"] for m in range(1, 13)]
    plan = analyse([xlsx(tmp_path / "m.xlsx", {"S": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    assert totals(plan) == {"electricity": 12.0}


def test_english_headers_and_total_row(tmp_path):
    rows = [["Month", "Electricity (kWh)", "Natural gas (Nm3)", "Water (t)"]]
    rows += [[f"{m}-2025", 1.0, 2.0, 3.0] for m in ("Jan", "Feb")] + [["Total", 2.0, 4.0, 6.0]]
    plan = analyse([xlsx(tmp_path / "en.xlsx", {"S": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    assert totals(plan) == {"electricity": 2.0, "natural_gas": 4.0, "water": 6.0}
    assert all(c["ok"] for c in plan.files[0].sheets[0].totals)


def test_wide_with_meter_column_and_duplicates_per_meter(tmp_path):
    rows = [["日期", "表号", "电（kWh）", "水（m³）"]]
    for m in (1, 2):
        rows += [[f"2025-{m:02d}", "A", 10.0, 1.0], [f"2025-{m:02d}", "B", 20.0, 2.0]]
    rows.append(["2025-02", "B", 20.0, 2.0])          # an exact repeat
    rows.append(["2025-03", "", "", ""])             # a pre-filled month with nothing in it
    plan = analyse([xlsx(tmp_path / "wm.xlsx", {"S": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    got = {(s.meter, s.carrier): s.total for s in plan.files[0].series}
    assert got == {("A", "electricity"): 20.0, ("B", "electricity"): 40.0, ("A", "water"): 2.0, ("B", "water"): 4.0}
    assert any(i.code == "duplicate_exact" for i in plan.issues)
    rows.append(["2025-01", "A", 11.0, 1.0])          # a conflicting repeat
    plan = analyse([xlsx(tmp_path / "wm2.xlsx", {"S": rows})])
    e = [i for i in plan.errors if i.code == "duplicate_conflict"]
    assert e and "S!C2" in e[0].where and "S!C8" in e[0].where


def test_template_rows_with_only_a_month_are_skipped(tmp_path):
    rows = [["月份", "计量点", "能源品种", "用量", "单位"], ["2025-01", "总表", "电力", 5, "kWh"], ["2025-02", "", "", "", ""]]
    plan = analyse([xlsx(tmp_path / "tp.xlsx", {"S": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    assert totals(plan) == {"electricity": 5.0}


def test_quarter_subtotals_left_out_and_year_total_checked(tmp_path):
    rows = [["月份", "电（kWh）"]]
    for q in range(4):
        rows += [[f"2025-{3 * q + m:02d}", 10.0] for m in (1, 2, 3)]
        rows.append([f"第{q + 1}季度小计", 30.0])
    rows.append(["全年合计", 120.0])
    plan = analyse([xlsx(tmp_path / "q.xlsx", {"S": rows})])
    assert plan.ok and totals(plan) == {"electricity": 120.0}
    assert [c["ok"] for c in plan.files[0].sheets[0].totals] == [True]
    across = [["能源", "单位"] + MONTHS[:3] + ["一季度小计"] + MONTHS[3:] + ["全年合计"],
              ["电", "kWh"] + [1.0] * 3 + [3.0] + [1.0] * 9 + [12.0]]
    plan = analyse([xlsx(tmp_path / "qa.xlsx", {"S": across})], year=2025)
    assert plan.ok and totals(plan) == {"electricity": 12.0}
    assert [c["ok"] for c in plan.files[0].sheets[0].totals] == [True]


def test_reused_water_not_intake_and_pv_self_use_is_generation_minus_export(tmp_path):
    rows = [["月份", "新水(m3)", "回用水量(m3)", "光伏发电量(kWh)", "光伏上网电量(kWh)"]]
    rows += [[f"2025-{m:02d}", 1, 2, 3, 1] for m in range(1, 13)]
    plan = analyse([xlsx(tmp_path / "w.xlsx", {"S": rows})])
    assert plan.ok
    # PV generation is a cross-check: self-use = generation − export (3 − 1 a month), never generation itself
    assert totals(plan) == {"water": 12.0, "pv_self_use": 24.0, "pv_export": 12.0}
    assert {"not_intake", "pv_self_use_computed"} <= set(codes(plan))


def test_ods_spreadsheet(tmp_path):
    rows = [["月份", "电（kWh）", "天然气（万m³）"]] + [[f"2025-{m:02d}", 10.0, 0.5] for m in range(1, 13)]
    plan = analyse([ods(tmp_path / "t.ods", rows, "能耗")])
    assert plan.ok, [i.text() for i in plan.errors]
    assert totals(plan) == {"electricity": 120.0, "natural_gas": 60000.0}


@pytest.mark.parametrize("title,ok", [(["电力消耗统计表", "", "", "单位：kWh"], True),
                                      (["2025年水电气台账", "编制：能源科"], False),
                                      (["Energy ledger 2025", "Unit: kWh"], True)])
def test_title_rows_are_not_taken_for_the_header(tmp_path, title, ok):
    rows = [title, ["月份", "1#车间", "2#车间", "备注"]] + [[f"{m}月", 1, 2, ""] for m in range(1, 13)]
    plan = analyse([xlsx(tmp_path / "t.xlsx", {"S": rows})], year=2025)
    assert plan.files[0].sheets[0].header_rows == [2]
    assert plan.ok is ok
    if ok:
        assert totals(plan) == {"electricity": 36.0}
    else:
        assert {e.code for e in plan.errors} == {"unknown_carrier"}


def test_separate_year_and_month_columns(tmp_path):
    rows = [["年份", "月份", "电(kWh)"]] + [[2024, m, 1.0] for m in range(1, 13)] + [[2025, m, 2.0] for m in range(1, 13)]
    plan = analyse([xlsx(tmp_path / "ym.xlsx", {"S": rows})])
    assert plan.ok, [i.text() for i in plan.errors]
    s = plan.files[0].series[0]
    assert s.months["2024-12"] == 1.0 and s.months["2025-01"] == 2.0 and len(s.months) == 24
