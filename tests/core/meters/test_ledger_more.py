"""More ledgers in real layouts, written after the role code as a check of it (the first run got 9 of 12 right,
refused 2 and summed 1 wrong: steam in t and its heat in GJ; all three were fixed in the code, not here).

Expected totals are computed from the numbers written.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures.meters.ledgers import xlsx

from greendesk.core.meters import analyse

M = [f"2025-{m:02d}" for m in range(1, 13)]
a = [1000.0 + 37 * ((i * 5) % 7) for i in range(12)]
b = [700.0 + 23 * ((i * 3) % 5) for i in range(12)]
loss = [40.0 + i for i in range(12)]
main = [x + y + z for x, y, z in zip(a, b, loss, strict=True)]
cases = {}
cases["en_incomer"] = ({"S": [["Month", "Main incomer (kWh)", "Workshop A (kWh)", "Workshop B (kWh)", "Power factor"]] + [[m, p, x, y, 0.95] for m, p, x, y in zip(M, main, a, b, strict=True)]}, {"electricity": sum(main)})
cases["wan_kwh_site"] = ({"S": [["2025年用电台账"], ["单位：万千瓦时"], ["月份", "全厂用电", "注塑车间", "装配车间"]] + [[f"{i+1}月", p / 1e4, x / 1e4, y / 1e4] for i, (p, x, y) in enumerate(zip(main, a, b, strict=True))]}, {"electricity": sum(main)})
rows = [["采集时间", "表计名称", "有功电量(kWh)"]]
for i in range(12):
    for name, v in (("总进线", main[i]), ("1#车间", a[i]), ("2#车间", b[i])):
        rows.append([dt.datetime(2025, i + 1, 1, 0, 0), name, v])
cases["long_export"] = ({"S": rows}, {"electricity": sum(main)})
rd = [50000.0]
for x in a:
    rd.append(rd[-1] + x / 10)
cases["gas_readings_mult"] = ({"S": [["月份", "上期示数", "本期示数", "倍率", "用气量(m³)"]] + [[m, rd[i], rd[i + 1], 10, a[i]] for i, m in enumerate(M)]}, {"natural_gas": sum(a)})
cases["water_lastyear"] = ({"S": [["月份", "本年用水量(m3)", "去年同期用水量(m3)", "增减(%)"]] + [[m, x, y, 1.0] for m, x, y in zip(M, a, b, strict=True)]}, {"water": sum(a)})
gen = [x + y for x, y in zip(a, b, strict=True)]
cases["pv_across"] = ({"S": [["项目", "单位"] + [f"{i}月" for i in range(1, 13)], ["光伏总发电量", "kWh"] + gen, ["其中：上网电量", "kWh"] + b, ["自发自用电量", "kWh"] + a]}, {"pv_self_use": sum(a), "pv_export": sum(b)})
cases["steam_two_names"] = ({"S": [["月份", "蒸汽耗量(t)", "蒸汽热量(GJ)"]] + [[m, x, x * 2.9] for m, x in zip(M, a, strict=True)]}, {"steam": sum(a)})
cases["tou_across"] = ({"S": [["时段", "单位"] + [f"{i}月" for i in range(1, 13)], ["峰", "kWh"] + a, ["平", "kWh"] + b, ["谷", "kWh"] + loss, ["合计", "kWh"] + main]}, {"electricity": sum(main)})
q = {f"第{k}季度": [["月份", "电(kWh)"]] + [[M[i], a[i]] for i in range(3 * (k - 1), 3 * k)] for k in range(1, 5)}
q["年度汇总"] = [["季度", "电(kWh)"], ["一季度", sum(a[0:3])], ["二季度", sum(a[3:6])], ["三季度", sum(a[6:9])], ["四季度", sum(a[9:12])]]
cases["quarters_summary"] = (q, {"electricity": sum(a)})
rows = [["表号", "抄表日期", "上月读数", "本月读数", "倍率"]]
r0 = 1200.0
for i in range(12):
    r1 = r0 + a[i] / 80
    rows.append(["E-001", dt.date(2025, i + 1, 25), r0, r1, 80])
    r0 = r1
cases["readings_ct"] = ({"S": rows}, {"electricity": sum(a)})
cases["subs_only_named_lines"] = ({"S": [["月份", "1号线(kWh)", "2号线(kWh)"]] + [[m, x, y] for m, x, y in zip(M, a, b, strict=True)]}, {"electricity": sum(a) + sum(b)})
cases["total_col_named_zongji"] = ({"S": [["月份", "电炉(kWh)", "空压机(kWh)", "总用电量(kWh)"]] + [[m, x, y, x + y] for m, x, y in zip(M, a, b, strict=True)]}, {"electricity": sum(a) + sum(b)})


@pytest.mark.parametrize("name", sorted(cases))
def test_ledger_total_is_right(tmp_path, name):
    sheets, want = cases[name]
    plan = analyse([xlsx(tmp_path / f"{name}.xlsx", sheets)], year=2025)
    assert plan.ok, [e.text() for e in plan.errors]
    got = {k: v["total"] for k, v in plan.totals().items()}
    assert set(got) == set(want)
    for k, v in want.items():
        assert got[k] == pytest.approx(v), k
