"""Signed packages from demo workspaces with different figures, for the review tests."""

from __future__ import annotations

from pathlib import Path

from greendesk.core.uscc import complete

# name, USCC body (17 characters), province, industry code, output value factor, renewable_share answer,
# meter readings of one month multiplied (month, factor)
FACTORIES = [
    ("甲压铸有限公司", "91500113MA61RYP3X", "重庆市", "C3392", 1.0, None, None),
    ("乙压铸有限公司", "91500113MA61RYP4X", "重庆市", "C3392", 2.0, None, None),
    ("丙压铸有限公司", "91500113MA61RYP5X", "重庆市", "C3392", 0.1, 150.0, ("2025-06", 4.0)),
    ("丁铸造有限公司", "91500113MA61RYP6X", "四川省", "C3391", 1.0, None, None),
]


def build_workspace(path: Path, name: str, uscc_body: str, province: str, industry: str, value_factor: float,
                    renewable: float | None, jump: tuple[str, float] | None) -> Path:
    from greendesk.core.demo import build_demo
    from greendesk.core.workspace import Workspace

    build_demo(path)
    with Workspace.open(path) as ws:
        ws.update_factory(name=name, uscc=complete(uscc_body), province=province, industry_code=industry)
        aid = ws.assessment()["id"]
        with ws.transaction() as c:
            c.execute("UPDATE production SET output_value_wan_yuan = output_value_wan_yuan * ?", [value_factor])
            if jump:
                c.execute("UPDATE meter_readings SET value = value * ? WHERE period = ?", [jump[1], jump[0]])
        if renewable is not None:
            ws.set_answer(aid, "renewable_share", renewable)
    return path


def build_packages(folder: Path) -> dict[str, Path]:
    """One signed package per entry of FACTORIES (self-issued certificates), plus a tampered copy of the first."""
    from greendesk.core.package import export_package

    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for i, row in enumerate(FACTORIES):
        ws = build_workspace(folder / f"ws{i}.greendesk", *row)
        pdf = folder / "packages" / f"pkg{i}.pdf"
        pdf.parent.mkdir(exist_ok=True)
        export_package(ws, pdf, generate_cert=True)
        out[row[0]] = pdf
    raw = bytearray(out[FACTORIES[0][0]].read_bytes())
    raw[len(raw) // 3] ^= 0x01
    tampered = folder / "packages" / "tampered.pdf"
    tampered.write_bytes(bytes(raw))
    out["tampered"] = tampered
    return out


def build_future_package(ws: Path, pdf: Path, major: int = 2) -> Path:
    """A genuine signed package whose embedded data says it is in data format ``major`` (a later GreenDesk)."""
    from unittest import mock

    from greendesk.core.package import export_package
    from greendesk.core.package.data import ReportData

    original = ReportData.to_json_dict

    def later(self):
        d = original(self)
        d["format"] = f"greendesk-answers-scores/{major}.0"
        return d

    with mock.patch.object(ReportData, "to_json_dict", later):
        export_package(ws, pdf, generate_cert=True)
    return pdf


def build_peer_pair(d: Path) -> Path:
    """Two factories of one peer group (甲, and 丙 with odd figures) and a tampered copy of 甲's package,
    in ``d/packages`` (pkg0.pdf, pkg1.pdf, tampered.pdf); returns that folder."""
    from greendesk.core.package import export_package

    (d / "packages").mkdir(parents=True, exist_ok=True)
    for i, row in enumerate((FACTORIES[0], FACTORIES[2])):
        ws = build_workspace(d / f"ws{i}.greendesk", *row)
        export_package(ws, d / "packages" / f"pkg{i}.pdf", generate_cert=True)
    raw = bytearray((d / "packages" / "pkg0.pdf").read_bytes())
    raw[len(raw) // 3] ^= 0x01
    (d / "packages" / "tampered.pdf").write_bytes(bytes(raw))
    return d / "packages"
