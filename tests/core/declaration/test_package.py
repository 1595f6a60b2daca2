"""The package carries the 申报表: a report part with the same rows and the .xlsx embedded as an
associated file (AFRelationship /Data), listed in the manifest; verification still passes."""

from __future__ import annotations

import io
import json
import subprocess

import pytest

from greendesk.core.declaration.package import DECLARATION_NAME
from greendesk.core.package.sign import MANIFEST_NAME


@pytest.fixture(scope="module")
def package(demo_package_zh):
    return demo_package_zh


def test_xlsx_embedded_as_associated_data_and_in_the_manifest(package):
    import hashlib

    import openpyxl
    from pyhanko.pdf_utils.reader import PdfFileReader

    from greendesk.core.package.verify import embedded_files, verify_package

    with open(package, "rb") as fh:
        r = PdfFileReader(fh)
        files = embedded_files(r)
        af = [s.get_object() for s in r.root["/AF"]]
        spec = next(s for s in af if str(s["/F"]) == DECLARATION_NAME)
        assert spec["/AFRelationship"] == "/Data"
    blob = files[DECLARATION_NAME]
    manifest = json.loads(files[MANIFEST_NAME])
    entry = next(f for f in manifest["files"] if f["name"] == DECLARATION_NAME)
    assert entry["sha256"] == hashlib.sha256(blob).hexdigest() and entry["size"] == len(blob) and entry["kind"] == "data"
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    rows = {r[1].value: r for r in wb["申报表"].iter_rows(min_row=4) if r[1].value}
    assert rows["1"][9].value == pytest.approx(54.994221, abs=1e-6)
    assert "18,900,000 kWh × 0.1229 kgce/kWh" in rows["1"][13].value
    v = verify_package(package)
    assert v["valid"] and v["problems"] == [] and all(f["ok"] for f in v["files"]), v
    assert DECLARATION_NAME in {f["name"] for f in v["files"]}


def test_report_prints_the_table(package):
    text = subprocess.run(["pdftotext", "-layout", str(package), "-"], capture_output=True, text=True).stdout
    assert "申报表（逐行）" in text and DECLARATION_NAME in text
    flat = "".join(text.split())
    assert "能源消耗强度=3,591.12tce×1000÷65,300万元=54.99kgce/万元" in flat
    assert "证明材料要求：计算表" in flat


def _first_text(row) -> str:
    c = row[0]
    while isinstance(c, (list, tuple)) and c:
        c = c[0]
    return c.getPlainText() if hasattr(c, "getPlainText") else str(c)


def test_a_row_block_is_never_cut_by_a_page_break(tmp_path, monkeypatch):
    """Split the printed table at every height from a few lines to a page: a part never ends on a group heading
    and the next never starts with a row's 证明材料要求 or 计算过程 (they stay on the page of their row)."""
    from greendesk.core.declaration import report_section
    from greendesk.core.demo import build_demo
    from greendesk.core.package.export import export_package

    made = []
    real = report_section.section
    monkeypatch.setattr(report_section, "section", lambda b: made.append(real(b)) or made[-1])
    ws = build_demo(tmp_path / "demo.greendesk")
    export_package(ws, tmp_path / "p.pdf", lang="zh", generate_cert=True)
    table = made[-1][-1]
    width = sum(table._colWidths)
    table.wrap(width, 10_000)
    cuts = 0
    for h in range(60, 760, 5):
        parts = table.split(width, h)
        if len(parts) < 2:
            continue
        cuts += 1
        head, rest = parts[0]._cellvalues, parts[1]._cellvalues
        assert not _first_text(rest[1]).startswith(("证明材料要求", "计算过程")), (h, _first_text(rest[1]))
        last = head[-1]
        assert not (len(head) > 1 and all(c == "" for c in last[1:])
                    and not _first_text(last).startswith(("证明材料要求", "计算过程"))), (h, _first_text(last))
    assert cuts > 50
