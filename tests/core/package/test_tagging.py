"""The package is a tagged PDF: a structure tree in reading order (Document → headings, paragraphs, tables as
Table/TR/TH/TD, figures with alternate text, links by object reference), every MCID of every page's content
in the ParentTree and back, the running header and footer as artifacts; checked with poppler's pdfinfo and
pdftotext and with qpdf's JSON, not with the code that wrote it. The signature and PDF/A stay as they were."""

from __future__ import annotations

import base64
import json
import re
import subprocess
from collections import Counter

import pytest

pytestmark = pytest.mark.skipif(subprocess.run(["which", "qpdf"], capture_output=True).returncode != 0,
                                reason="qpdf is not installed")

_MC = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC|/(\w+)\s+BMC|(?<![A-Za-z])(EMC)(?![A-Za-z])")


@pytest.fixture(scope="module")
def package(demo_package_zh):
    return demo_package_zh


@pytest.fixture(scope="module")
def objects(package):
    out = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                          "--decode-level=generalized", str(package)], capture_output=True, check=True).stdout
    return json.loads(out)["qpdf"][1]


def _obj(objects, ref: str):
    o = objects[f"obj:{ref}"]
    return o.get("value", o.get("stream", {}).get("dict"))


def _stream(objects, ref: str) -> bytes:
    return base64.b64decode(objects[f"obj:{ref}"]["stream"]["data"])


def _catalog(objects):
    return next(v["value"] for v in objects.values() if isinstance(v.get("value"), dict)
                and v["value"].get("/Type") == "/Catalog")


def _pages(objects, node_ref: str) -> list[str]:
    node = _obj(objects, node_ref)
    if node.get("/Type") == "/Page":
        return [node_ref]
    return [p for kid in node["/Kids"] for p in _pages(objects, kid)]


def _content(objects, page: dict) -> bytes:
    c = page["/Contents"]
    return b"\n".join(_stream(objects, r) for r in (c if isinstance(c, list) else [c]))


def _nums(objects, ref: str) -> dict[int, object]:
    node = _obj(objects, ref)
    out = {}
    nums = node.get("/Nums", [])
    for k, v in zip(nums[::2], nums[1::2], strict=True):
        out[k] = v
    for kid in node.get("/Kids", []):
        out.update(_nums(objects, kid))
    return out


def test_poppler_reads_a_tagged_file_with_the_report_in_reading_order(package):
    info = subprocess.run(["pdfinfo", str(package)], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M) and re.search(r"^PDF version:\s+1\.7$", info, re.M)
    struct = subprocess.run(["pdfinfo", "-struct", str(package)], capture_output=True, text=True).stdout
    kinds = Counter(line.split()[0] for line in struct.splitlines() if line.strip())
    assert kinds["Document"] == 1 and kinds["H1"] >= 8 and kinds["H2"] >= 10 and kinds["P"] >= 50
    assert kinds["Table"] >= 20 and kinds["TR"] > kinds["Table"] and kinds["TD"] > kinds["TR"] and kinds["TH"] > 0
    assert kinds["Link"] >= 10 and kinds["Figure"] >= 1
    text = subprocess.run(["pdfinfo", "-struct-text", str(package)], capture_output=True, text=True).stdout
    assert '""' not in text                                            # no element without content
    heads = re.findall(r"^  H1 \(block\)\n    \"(.*)\"$", text, re.M)
    assert "申报表（逐行）" in heads and heads[0] == "绿色工厂自评价报告"     # the cover's title first
    body = subprocess.run(["pdftotext", str(package), "-"], capture_output=True, text=True).stdout
    flat = "".join(body.split())
    at = 0
    for h in heads:                                  # each heading is found in the page text after the one before
        at = flat.find("".join(h.split()), at)
        assert at >= 0, (h, heads)
    # the running header and the page footer are artifacts: printed on every page, not in the structure
    assert "第 20 页" in body and "第 20 页" not in text
    # the table head is a header row, its cells TH
    assert re.search(r"TH\n\s+\"序号\"", text)


def test_every_mcid_is_in_the_parent_tree_and_points_back(objects):
    cat = _catalog(objects)
    assert cat["/MarkInfo"] == {"/Marked": True} and cat["/Lang"] == "u:zh-CN"
    root = _obj(objects, cat["/StructTreeRoot"])
    assert root["/Type"] == "/StructTreeRoot"
    assert _obj(objects, root["/K"])["/S"] == "/Document"
    parents = _nums(objects, root["/ParentTree"])
    pages = _pages(objects, cat["/Pages"])
    assert len(pages) > 15
    tagged_pages = 0
    for ref in pages:
        page = _obj(objects, ref)
        content = _content(objects, page)
        depth, mcids = 0, []
        for m in _MC.finditer(content):
            if m.group(4):
                depth -= 1
                assert depth >= 0, ref
                continue
            assert depth == 0, f"a marked-content sequence opens inside another on {ref}"
            depth += 1
            if m.group(1):
                mcids.append((m.group(1).decode(), int(m.group(2))))
            else:
                assert m.group(3) == b"Artifact"
        assert depth == 0, ref
        if not mcids:
            continue
        tagged_pages += 1
        assert page["/Tabs"] == "/S"
        elems = parents[page["/StructParents"]]
        assert [n for _k, n in mcids] == list(range(len(mcids))) == list(range(len(elems)))
        for (kind, n), eref in zip(mcids, elems, strict=True):
            e = _obj(objects, eref)
            assert e["/S"] == "/" + kind and e["/K"] == n and e["/Pg"] == ref, (ref, n, e)
        assert content.count(b"/Artifact BMC") >= 1
    assert tagged_pages == len(pages)


def test_links_and_figures(objects):
    cat = _catalog(objects)
    parents = _nums(objects, _obj(objects, cat["/StructTreeRoot"])["/ParentTree"])
    links = 0
    for ref in _pages(objects, cat["/Pages"]):
        for aref in _obj(objects, ref).get("/Annots", []):
            a = _obj(objects, aref)
            if a.get("/Subtype") != "/Link":
                continue
            links += 1
            e = _obj(objects, parents[a["/StructParent"]])
            assert e["/S"] == "/Link" and e["/K"][0]["/Obj"] == aref and e["/K"][0]["/Type"] == "/OBJR"
    assert links >= 10
    figures = [v["value"] for v in objects.values() if isinstance(v.get("value"), dict)
               and v["value"].get("/S") == "/Figure"]
    assert figures and all(f.get("/Alt", "u:").removeprefix("u:").strip() for f in figures)


def test_signature_and_pdfa_unchanged(package):
    from greendesk.core.package.verify import verify_package

    v = verify_package(package)
    assert v["valid"] and v["problems"] == [], v
    check = subprocess.run(["qpdf", "--check", str(package)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    xmp = subprocess.run(["pdfinfo", "-meta", str(package)], capture_output=True, text=True).stdout
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
