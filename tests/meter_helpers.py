"""Helpers that write ledger fixtures for the meter tests."""

from __future__ import annotations

from pathlib import Path


def xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def csv_bytes(rows: list[list], encoding: str) -> bytes:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


FACTORY = {"name": "测试厂", "uscc": "91350100M000100Y43", "industry_code": "C3392"}


def workspace(path: Path, year: int = 2025):
    from greendesk.core.workspace import Workspace

    ws = Workspace.create(path, FACTORY)
    aid = ws.create_assessment("gbt36132-2025", "1", year)
    return ws, aid
