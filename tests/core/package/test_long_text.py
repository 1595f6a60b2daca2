"""Text that fits: 5,000-character values in every free-text field still give a package, and every
text can be read in full in the PDF (in its table, or in the annex of long texts)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

N = 5000

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


def _long(tag: str, n: int = N, cjk: bool = True) -> str:
    """A distinct n-character text: its tag, then a pattern that wraps in CJK and Latin alike."""
    unit = "绿色工厂长文本测试" if cjk else "LongTextWithoutSpaces"
    body = (tag + ":" + (unit + "0123456789") * (n // 10 + 1))[:n - 4]
    return body + tag[-4:].rjust(4, "#")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def long_package(tmp_path_factory):
    from greendesk.core.demo import build_demo
    from greendesk.core.energy import set_production
    from greendesk.core.package import export_package
    from greendesk.core.workspace import Workspace

    tmp = tmp_path_factory.mktemp("long")
    ws_path = build_demo(tmp / "long.greendesk")
    texts: dict[str, str] = {}
    with Workspace.open(ws_path) as ws:
        profile = {k: _long(f"F{i:02d}", cjk=i % 2 == 0) for i, k in enumerate(
            ("name", "address", "industry_name", "legal_rep", "contact_name", "contact_phone", "contact_email",
             "ownership", "description", "province", "city", "district"))}
        ws.update_factory(**profile)
        texts.update({f"factory.{k}": v for k, v in profile.items()})
        aid = ws.assessments()[-1]["id"]
        answers = ws.answers(aid)
        rows = answers["advanced_equipment.items"]
        rows[0] = dict(rows[0], name=_long("A01"))
        pol = answers["wastewater_concentration.pollutants"]
        pol[0] = dict(pol[0], name=_long("A02", cjk=False))
        ws.set_answers(aid, {"advanced_equipment.items": rows, "wastewater_concentration.pollutants": pol})
        texts["answer.equipment"] = rows[0]["name"]
        texts["answer.pollutant"] = pol[0]["name"]
        ev_general = _long("E01") + ".pdf"
        ev_item = _long("E02", cjk=False) + ".txt"
        ws.add_evidence(aid, b"%PDF-1.4 long", name=ev_general)
        ws.add_evidence(aid, b"item evidence", name=ev_item, item_id="green_design")
        texts["evidence.general"] = ev_general
        texts["evidence.item"] = ev_item
        # meter names and the ledger's file name, as a ledger with such headers would store them
        with ws.transaction() as c:
            c.execute("UPDATE meter_readings SET meter = ? WHERE carrier = 'electricity'", [_long("M01")])
            c.execute("UPDATE meters SET name = ? || id", [_long("M02")])
            c.execute("UPDATE meter_imports SET file_name = ?", [_long("L01") + ".xlsx"])
        texts["ledger.file"] = _long("L01") + ".xlsx"
        set_production(ws, aid, period="2025", product=_long("P01", 300), quantity=10, unit="t",
                       output_value_wan_yuan=5)
    out = {}
    for lang in ("zh", "en"):
        pdf = tmp / f"long-{lang}.pdf"
        r = export_package(ws_path, pdf, lang=lang, generate_cert=True)
        txt = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        # the body area only (A4 at 72 dpi, margins of templates/report/layout.yaml): a text that runs over
        # pages is then not cut by the page header and footer
        body = subprocess.run(["pdftotext", "-r", "72", "-x", "0", "-y", "74", "-W", "595", "-H", "706",
                               str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        out[lang] = {"result": r, "text": txt, "body": body, "pdf": pdf}
    return texts, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_with_5000_character_values_succeeds(long_package, lang):
    _texts, out = long_package
    r = out[lang]["result"]
    assert r["pages"] > 10
    assert out[lang]["pdf"].stat().st_size > 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_long_text_is_in_the_pdf_in_full(long_package, lang):
    texts, out = long_package
    flat = _squash(out[lang]["body"])
    missing = [k for k, v in texts.items() if _squash(v) not in flat]
    assert missing == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_shortened_cells_point_to_the_annex(long_package, lang):
    _texts, out = long_package
    txt = out[lang]["text"]
    title = "附录：完整文本" if lang == "zh" else "Annex: long texts in full"
    assert title in txt
    see = "全文见附录" if lang == "zh" else "full text: annex of long texts"
    assert _squash(see) in _squash(txt)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cover_with_long_names_stays_one_page(long_package, lang):
    _texts, out = long_package
    first = out[lang]["text"].split("\f")[0]
    foot = "依据工业和信息化部绿色工厂自评价报告格式编制" if lang == "zh" else "Prepared in the layout of the MIIT"
    assert foot in " ".join(first.split())
