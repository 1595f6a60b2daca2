"""The demo workspace: a fictional die-casting plant in Chongqing.

Later areas extend :func:`build_demo` with their own data (answers, ledgers, ...).
Everything here is invented; the USCC carries a valid check digit but belongs to no one.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from greendesk.core import uscc
from greendesk.core.workspace import Workspace

DEMO_SCHEME = "gbt36132-2025"
DEMO_YEAR = 2025

DEMO_FACTORY = {
    "name": "重庆渝锐精密压铸有限公司",
    "uscc": uscc.complete("91500113MA61RYP3X"),
    "industry_code": "C3392",
    "industry_name": "有色金属铸造",
    "province": "重庆市",
    "city": "重庆市",
    "district": "巴南区",
    "address": "重庆市巴南区界石镇渝锐路 18 号",
    "land_area_m2": 86000.0,
    "legal_rep": "陈建国",
    "contact_name": "刘晓燕（环境与能源主管）",
    "contact_phone": "023-6688 1234",
    "contact_email": "liu.xiaoyan@yurui-diecast.example.cn",
    "ownership": "有限责任公司（民营）",
    "description": "主要生产汽车铝合金压铸件（变速箱壳体、电机壳体、结构件），拥有 280–4400 吨压铸机 36 台，"
                   "熔炼采用天然气集中熔化炉，2025 年产量约 1.2 万吨铝铸件。",
}


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small solid-colour PNG, so the demo carries an image without shipping binary files."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


DEMO_EVIDENCE = [
    ("营业执照.png", None, lambda: _png(64, 40, (200, 60, 50))),
    ("ISO14001环境管理体系认证证书.txt", None,
     lambda: "环境管理体系认证证书\n证书编号：DEMO-EMS-2024-0088\n认证范围：铝合金压铸件的生产\n有效期至：2027-06-30\n"
             "（演示数据，非真实证书）\n".encode()),
    ("排污许可证（副本）.txt", None,
     lambda: "排污许可证\n编号：91500113DEMO0001P\n有效期：2023-08-01 至 2028-07-31\n（演示数据）\n".encode()),
]

# Filled by the schemes area: answers valid for DEMO_SCHEME (field id -> value).
# A realistic partial set: energy, CO2, renewables, water intake and output value are left to the meter
# ledgers (automatic values), so those indicators show as waiting for data.
DEMO_ANSWERS: dict = {
    "common.site_area_m2": 86000.0,
    "negative_list.operating": "yes",
    "negative_list.no_accidents": "yes",
    "negative_list.not_removed": "yes",
    "negative_list.no_serious_findings": "yes",
    "negative_list.energy_inspection_done": "yes",
    "negative_list.not_defaulter": "yes",
    "basic_requirements.manufacturing": "yes",
    "basic_requirements.qms": "yes",
    "basic_requirements.ohs": "yes",
    "basic_requirements.ems": "yes",
    "basic_requirements.enms": "yes",
    "basic_requirements.no_obsolete": "yes",
    "basic_requirements.emissions_compliant": "yes",
    "basic_requirements.no_env_incident": "yes",
    "energy_intensity.quota_applies": "no",
    "platform_functions.functions": ["query", "intensity", "analysis", "benchmarking", "carbon_accounting"],
    "material_saving.case": "quantified",
    "material_substitution.case": "described",
    "water_intensity.quota_applies": "no",
    "water_reuse.reused_m3": 152000.0,
    "solid_waste_use.generated_t": 2350.0,
    "solid_waste_use.utilised_t": 2210.0,
    "solid_waste_use.stored_used_t": 0.0,
    "advanced_equipment.items": [
        {"name": "4400 吨一体化压铸单元（伺服节能液压系统）", "catalogue": "energy_carbon"},
        {"name": "天然气集中熔化炉烟气余热回收", "catalogue": "energy_carbon"},
        {"name": "压铸脱模剂微量喷涂系统", "catalogue": "pollution"},
    ],
    "upgrade_projects.count_3y": 7,
    "upgrade_investment.investment_wan_yuan": 2860.0,
    "upgrade_investment.output_value_3y_wan_yuan": 131500.0,
    "wastewater_concentration.discharges": "yes",
    "wastewater_concentration.pollutants": [
        {"name": "化学需氧量 COD", "annual_mean": 86.0, "limit": 500.0},
        {"name": "石油类", "annual_mean": 3.2, "limit": 20.0},
        {"name": "悬浮物 SS", "annual_mean": 45.0, "limit": 400.0},
    ],
    "waste_gas_concentration.emits": "yes",
    "waste_gas_concentration.pollutants": [
        {"name": "颗粒物", "annual_mean": 6.8, "limit": 30.0},
        {"name": "氮氧化物", "annual_mean": 42.0, "limit": 200.0},
    ],
    "green_design.case": "described",
    "carbon_footprint.categories_total": 3,
    "carbon_footprint.categories_covered": 1,
    "energy_saving_products.standard_applies": "no",
    "building_coefficient.footprint_m2": 47300.0,
    "plot_ratio.floor_area_m2": 78500.0,
}


def build_demo(path: str | Path, *, overwrite: bool = False) -> Path:
    path = Path(path)
    ws = Workspace.create(path, DEMO_FACTORY, overwrite=overwrite)
    try:
        version = _scheme_version(DEMO_SCHEME)
        aid = ws.create_assessment(DEMO_SCHEME, version, DEMO_YEAR)
        for name, item, make in DEMO_EVIDENCE:
            ws.add_evidence(aid, make(), name=name, item_id=item)
        if DEMO_ANSWERS:
            ws.set_answers(aid, DEMO_ANSWERS, scheme_version=version)
        import greendesk.core.meters.demo  # noqa: F401  (registers the meter ledger demo data)
        for extend in _EXTENSIONS:
            extend(ws, aid)
    finally:
        ws.close()
    return path


def _scheme_version(scheme_id: str) -> str:
    try:
        from greendesk.core.schemes.registry import get_scheme
    except ImportError:
        return "unknown"
    return str(get_scheme(scheme_id).version)


# Other areas append callables (ws, assessment_id) -> None to add their demo data.
_EXTENSIONS: list = []
