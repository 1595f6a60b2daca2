"""Synthetic scheme, score and energy figures in the shapes the scoring and energy areas return.

Used by the benchmark (a report of a chosen size) and by tests that need a report
independent of the demo's content. Nothing here is a real standard.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class SField:
    id: str
    label: dict
    type: str = "text"
    unit: str | None = None
    choices: tuple = ()


@dataclass
class SIndicator:
    id: str
    title: dict
    points: float
    fields: tuple = ()


@dataclass
class SSection:
    id: str
    title: dict
    indicators: tuple = ()


@dataclass
class SScheme:
    id: str
    version: str
    title: dict
    sections: tuple = field(default_factory=tuple)


_SECTIONS = [
    ("infra", "基础设施", "Infrastructure"), ("mgmt", "管理体系", "Management systems"),
    ("energy", "能源与资源投入", "Energy and resource inputs"), ("product", "产品", "Products"),
    ("env", "环境排放", "Environmental emissions"), ("perf", "绩效", "Performance"),
]

_FIELD_TEXT = ("已建立并有效运行，有制度文件、记录和年度评审报告，覆盖全部生产车间和辅助设施，"
               "相关岗位人员经过培训并持证上岗。")


def sample_scheme_score(n_indicators: int = 30, fields_per_indicator: int = 3, seed: int = 7):
    """(scheme, score, answers) with ``n_indicators`` spread over six sections."""
    rnd = random.Random(seed)
    sections, ind_scores, sec_scores, answers = [], [], [], {}
    per = max(1, n_indicators // len(_SECTIONS))
    k = 0
    for sid, zh, en in _SECTIONS:
        inds = []
        ssum = smax = 0.0
        for j in range(per):
            k += 1
            iid = f"{sid}.{j + 1}"
            pts = float(rnd.choice([2, 3, 4, 5, 6]))
            flds = []
            for f in range(fields_per_indicator):
                fid = f"{iid}.f{f + 1}"
                kind = ("yesno", "number", "text")[f % 3]
                flds.append(SField(fid, {"zh": f"{zh}第{j + 1}项 要素{f + 1}：是否满足要求并提供记录",
                                         "en": f"{en} item {j + 1}, element {f + 1}: met and recorded?"},
                                   type=kind, unit="%" if kind == "number" else None))
                answers[fid] = ("yes" if rnd.random() > 0.2 else "no") if kind == "yesno" else \
                    round(rnd.uniform(10, 99), 1) if kind == "number" else _FIELD_TEXT
            inds.append(SIndicator(iid, {"zh": f"{zh}指标 {j + 1}", "en": f"{en} indicator {j + 1}"}, pts, tuple(flds)))
            sc = round(pts * rnd.choice([0, 0.5, 0.8, 1, 1]), 2)
            ssum += sc
            smax += pts
            ind_scores.append({"id": iid, "score": sc, "max": pts,
                               "explain": {"zh": f"按要素满足程度计分：{sc} / {pts} 分。",
                                           "en": f"Scored by the share of elements met: {sc} of {pts}."}})
        sections.append(SSection(sid, {"zh": zh, "en": en}, tuple(inds)))
        sec_scores.append({"id": sid, "score": round(ssum, 2), "max": smax})
    total = round(sum(s["score"] for s in sec_scores), 2)
    mx = sum(s["max"] for s in sec_scores)
    scheme = SScheme("sample", "1", {"zh": "示例评价方案", "en": "Sample scheme"}, tuple(sections))
    score = {"total": total, "max": mx, "qualified": total >= 0.6 * mx, "vetoes_failed": [],
             "grade": {"zh": "合格", "en": "Qualified"}, "sections": sec_scores, "indicators": ind_scores,
             "missing_answers": [], "missing_benchmarks": ["perf.1"]}
    return scheme, score, answers


def sample_energy(year: int = 2025) -> dict:
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    elec = {m: 1_450_000 + 60_000 * ((i * 7) % 5) for i, m in enumerate(months)}
    gas = {m: 310_000 + 15_000 * ((i * 3) % 4) for i, m in enumerate(months)}
    te, tg = sum(elec.values()), sum(gas.values())
    return {
        "year": year,
        "carriers": {
            "electricity": {"unit": "kWh", "total": te, "months": elec, "tce": te * 0.1229e-3, "co2_t": te * 0.5366e-3},
            "natural_gas": {"unit": "m³", "total": tg, "months": gas, "tce": tg * 1.2143e-3, "co2_t": tg * 2.162e-3},
        },
        "issues": [], "factors": [],
        "total_tce": te * 0.1229e-3 + tg * 1.2143e-3, "total_co2_t": te * 0.5366e-3 + tg * 2.162e-3,
    }
