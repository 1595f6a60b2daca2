"""PDF/A-3b of the exported package, judged without GreenDesk's or pyHanko's own view of the file.

veraPDF cannot be installed here (its releases are on Maven Central and its own site; no registry
reachable here carries it), so this is a structural check of the PDF/A-3b rules that apply to what
GreenDesk writes, made by independent tools:

- qpdf: ``--check`` (syntax, xref, stream lengths) and ``--json`` (every object, streams decoded):
  header, trailer /ID, no /Encrypt, catalog version, XMP (pdfaid, no filter, xpacket header, only
  predefined schemas), Info = XMP, output intent + ICC header, annotation flags and appearances,
  forbidden actions and JavaScript, embedded files (/F, /UF, /AFRelationship, MIME /Subtype,
  /Params /ModDate and /Size, all in the catalog's /AF), images (/Interpolate, /Alternates, /OPI),
  ExtGState (transfer functions, halftones, blend modes), no DeviceCMYK, no LZW, no external streams,
  string and name length limits;
- pdffonts / pdfinfo (poppler): every font embedded, version 1.7, metadata stream present;
- fontTools: each embedded TrueType program's cmap maps no code to .notdef and its advance widths
  match the /Widths array;
- pdfsig and pyHanko's validator: the signature covers the whole file and stays intact.
"""

from __future__ import annotations

import base64
import datetime as _dt
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not (shutil.which("qpdf") and shutil.which("pdffonts")),
                                reason="qpdf / poppler-utils missing")

NS = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "xml": "http://www.w3.org/XML/1998/namespace"}
# Properties of the predefined schemas GreenDesk may use (ISO 19005-3 6.6.2.3.2; XMP 2005).
PREDEFINED = {
    NS["pdfaid"]: {"part", "conformance", "amd", "corr"},
    NS["dc"]: {"contributor", "coverage", "creator", "date", "description", "format", "identifier", "language",
               "publisher", "relation", "rights", "source", "subject", "title", "type"},
    NS["xmp"]: {"Advisory", "BaseURL", "CreateDate", "CreatorTool", "Identifier", "Label", "MetadataDate",
                "ModifyDate", "Nickname", "Rating", "Thumbnails"},
    NS["pdf"]: {"Keywords", "PDFVersion", "Producer"},
}
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide", "/SetOCGState",
                     "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript"}
FORBIDDEN_ANNOTS = {"/3D", "/Sound", "/Screen", "/Movie", "/RichMedia"}
BLEND_MODES = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten", "/ColorDodge",
               "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion", "/Hue", "/Saturation",
               "/Color", "/Luminosity"}
AF_RELATIONSHIPS = {"/Source", "/Data", "/Alternative", "/Supplement", "/Unspecified"}
STANDARD_14 = {"Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica", "Helvetica-Bold",
               "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier", "Courier-Bold", "Courier-Oblique",
               "Courier-BoldOblique", "Symbol", "ZapfDingbats"}


# --- reading the file through qpdf ---------------------------------------------------------------

class Pdf:
    """The objects of a PDF as qpdf sees them (``qpdf --json``, version 2, streams decoded)."""

    def __init__(self, path: Path):
        self.path = path
        out = subprocess.run(["qpdf", "--json", "--json-stream-data=inline", "--decode-level=generalized",
                              str(path)], capture_output=True, check=True).stdout
        doc = json.loads(out)
        self.objects: dict[str, dict] = {}
        self.trailer: dict = {}
        for k, v in doc["qpdf"][1].items():
            if k == "trailer":
                self.trailer = v["value"]
            elif k.startswith("obj:"):
                self.objects[k[4:]] = v

    def get(self, ref):
        """The value of an object ("12 0 R") or the value itself; for streams, the dictionary."""
        if isinstance(ref, str) and re.fullmatch(r"\d+ \d+ R", ref):
            o = self.objects[ref]
            return o["stream"]["dict"] if "stream" in o else o["value"]
        return ref

    def data(self, ref: str) -> bytes:
        return base64.b64decode(self.objects[ref]["stream"].get("data") or "")

    def dicts(self):
        """Every dictionary in the file (direct ones too), with the object it sits in."""
        def walk(v, where):
            if isinstance(v, dict):
                yield v, where
                for x in v.values():
                    yield from walk(x, where)
            elif isinstance(v, list):
                for x in v:
                    yield from walk(x, where)

        for ref, o in self.objects.items():
            yield from walk(o["stream"]["dict"] if "stream" in o else o.get("value"), ref)

    def streams(self):
        for ref, o in self.objects.items():
            if "stream" in o:
                yield ref, o["stream"]["dict"]


def text(v) -> str:
    """A qpdf JSON string ("u:…" Unicode, "b:…" hex bytes) as text."""
    assert isinstance(v, str), v
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        return bytes.fromhex(v[2:]).decode("latin-1")
    return v


def pdf_instant(s: str) -> _dt.datetime:
    m = re.fullmatch(r"D:(\d{14})(Z|[+-]\d\d'\d\d'?)", s)
    assert m, f"not a full PDF date with an offset: {s!r}"
    d = _dt.datetime.strptime(m.group(1), "%Y%m%d%H%M%S")
    tz = m.group(2)
    if tz == "Z":
        return d.replace(tzinfo=_dt.UTC)
    off = _dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    return d.replace(tzinfo=_dt.timezone(off if tz[0] == "+" else -off))


# --- the checks ---------------------------------------------------------------------------------

def check_pdfa3b(path: Path) -> dict:
    """Every problem found (a list of strings, empty when none) and what was looked at."""
    problems: list[str] = []
    raw = path.read_bytes()
    seen = {"fonts": 0, "annotations": 0, "embedded_files": 0, "images": 0}

    # File structure (6.1.2, 6.1.3): header, binary comment, trailer, syntax.
    if not raw.startswith(b"%PDF-1.7"):
        problems.append(f"header {raw[:8]!r} is not %PDF-1.7")
    second = raw.split(b"\n", 2)[1] if raw.count(b"\n") > 1 else b""
    if not (second.startswith(b"%") and sum(b > 127 for b in second[1:5]) == 4):
        problems.append("no binary comment of four bytes > 127 after the header")
    chk = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    if chk.returncode != 0 or "WARNING" in chk.stdout + chk.stderr:
        problems.append(f"qpdf --check: {chk.stdout[-300:]} {chk.stderr[-300:]}")
    pdf = Pdf(path)
    tr = pdf.trailer
    if "/Encrypt" in tr:
        problems.append("encrypted")
    if not (isinstance(tr.get("/ID"), list) and len(tr["/ID"]) == 2):
        problems.append("trailer has no /ID")
    root = pdf.get(tr["/Root"])
    if root.get("/Version") not in (None, "/1.7"):
        problems.append(f"catalog /Version {root.get('/Version')}")
    for bad in ("/Requirements", "/NeedsRendering", "/OCProperties"):
        if bad in root:
            problems.append(f"catalog has {bad}")
    if "/AA" in root:
        problems.append("catalog has additional actions /AA")
    names = pdf.get(root.get("/Names", {})) or {}
    if "/JavaScript" in names:
        problems.append("JavaScript name tree")

    # Metadata (6.6.2): XMP in the catalog, unfiltered, pdfaid 3/B, predefined schemas only.
    meta_ref = root.get("/Metadata")
    xmp = {}
    if not meta_ref:
        problems.append("no /Metadata in the catalog")
    else:
        md = pdf.get(meta_ref)
        if md.get("/Type") != "/Metadata" or md.get("/Subtype") != "/XML":
            problems.append(f"metadata stream type {md.get('/Type')} {md.get('/Subtype')}")
        if "/Filter" in md:
            problems.append("metadata stream is filtered")
        xmp, xp = _read_xmp(pdf.data(meta_ref))
        problems += xp
        if xmp.get("pdfaid:part") != "3" or xmp.get("pdfaid:conformance") != "B":
            problems.append(f"pdfaid {xmp.get('pdfaid:part')}/{xmp.get('pdfaid:conformance')}, not 3/B")

    # Info = XMP (6.6.3).
    info = pdf.get(tr.get("/Info", {})) or {}
    pairs = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description", "/Creator": "xmp:CreatorTool",
             "/Producer": "pdf:Producer", "/Keywords": "pdf:Keywords"}
    for k, x in pairs.items():
        if k in info and text(info[k]) != xmp.get(x):
            problems.append(f"Info {k} {text(info[k])!r} != XMP {x} {xmp.get(x)!r}")
    for k, x in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if k in info:
            want = pdf_instant(text(info[k]))
            got = xmp.get(x)
            if got is None or _dt.datetime.fromisoformat(got) != want:
                problems.append(f"Info {k} {text(info[k])} != XMP {x} {got}")
    if "/Trapped" in info and text(info["/Trapped"]) not in ("/False", "/True", "/Unknown"):
        problems.append("bad /Trapped")

    # Output intent (6.2.3) with an RGB ICC profile.
    intents = [pdf.get(i) for i in (pdf.get(root.get("/OutputIntents", [])) or [])]
    pdfa_intents = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    profiles = {i.get("/DestOutputProfile") for i in pdfa_intents}
    if len(pdfa_intents) < 1 or len(profiles) != 1:
        problems.append(f"{len(pdfa_intents)} GTS_PDFA1 output intents, {len(profiles)} profiles")
    else:
        prof = profiles.pop()
        d = pdf.get(prof)
        icc = pdf.data(prof)
        if d.get("/N") != 3 or icc[36:40] != b"acsp" or icc[12:16] not in (b"mntr", b"prtr") \
                or icc[16:20] != b"RGB " or icc[8] > 4 or int.from_bytes(icc[:4], "big") != len(icc):
            problems.append(f"ICC profile: N={d.get('/N')} class={icc[12:16]} space={icc[16:20]} v{icc[8]}")
    rgb_intent = bool(pdfa_intents)

    # Every dictionary: actions, annotations, fonts, images, graphics states, file specs, limits.
    af = {r for r in (pdf.get(root.get("/AF", [])) or [])}
    for dct, where in pdf.dicts():
        s = dct.get("/S")
        if s in FORBIDDEN_ACTIONS and ("/Type" not in dct or dct.get("/Type") == "/Action"):
            problems.append(f"forbidden action {s} in {where}")
        if s == "/Named" and dct.get("/N") not in ("/NextPage", "/PrevPage", "/FirstPage", "/LastPage"):
            problems.append(f"named action {dct.get('/N')}")
        if "/JS" in dct:
            problems.append(f"JavaScript in {where}")
        for k in ("/F", "/FFilter", "/FDecodeParms"):
            if k in dct and "/Length" in dct and dct.get("/Type") != "/EmbeddedFile" and k != "/F":
                problems.append(f"external stream key {k} in {where}")
        if "/Length" in dct and "/F" in dct and isinstance(dct["/F"], (str, dict)) and dct.get("/Type") != "/Filespec":
            problems.append(f"stream with external file /F in {where}")
        filt = dct.get("/Filter")
        if filt and any(f in ("/LZWDecode", "/LZW") for f in (filt if isinstance(filt, list) else [filt])):
            problems.append(f"LZW in {where}")
        if dct.get("/Type") == "/Annot" or dct.get("/Subtype") in ("/Link", "/Widget"):
            seen["annotations"] += 1
            problems += _check_annot(dct, where)
        if dct.get("/Type") == "/Font" and dct.get("/Subtype") not in ("/Type0", "/Type3"):
            seen["fonts"] += 1
            problems += _check_font(pdf, dct, where)
        if dct.get("/Subtype") == "/Image":
            seen["images"] += 1
            for k in ("/Alternates", "/OPI"):
                if k in dct:
                    problems.append(f"image with {k} in {where}")
            if dct.get("/Interpolate") is True:
                problems.append(f"image with /Interpolate true in {where}")
            if dct.get("/ColorSpace") == "/DeviceCMYK" or (dct.get("/ColorSpace") == "/DeviceRGB" and not rgb_intent):
                problems.append(f"image colour space {dct.get('/ColorSpace')} without a matching intent")
        if dct.get("/Type") == "/ExtGState":
            for k in ("/TR", "/HTP", "/HTO"):
                if k in dct:
                    problems.append(f"ExtGState {k} in {where}")
            if "/TR2" in dct and dct["/TR2"] != "/Default":
                problems.append(f"ExtGState /TR2 in {where}")
            bm = dct.get("/BM")
            for b in (bm if isinstance(bm, list) else [bm] if bm else []):
                if b not in BLEND_MODES:
                    problems.append(f"blend mode {b}")
        if "/DeviceCMYK" in dct.values():
            problems.append(f"DeviceCMYK in {where}")
        if dct.get("/Type") == "/Filespec" and "/EF" in dct:
            seen["embedded_files"] += 1
            problems += _check_filespec(pdf, dct, where, af)
        for k, v in dct.items():
            if len(k.encode()) > 128:
                problems.append(f"name longer than 127 bytes in {where}")
            if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**31 - 1:
                problems.append(f"integer {v} out of range in {where}")
            if isinstance(v, str) and v.startswith(("u:", "b:")):
                n = len(v) // 2 - 1 if v.startswith("b:") else len(text(v).encode("utf-16-be"))
                if n > 32767 and k != "/Contents":
                    problems.append(f"string of {n} bytes in {where} {k}")
    if seen["embedded_files"] and not af:
        problems.append("embedded files but no /AF in the catalog")

    # Content streams: no CMYK operators (the intent is RGB).
    for ref, d in pdf.streams():
        if d.get("/Type") in (None, "/XObject") and d.get("/Subtype") in (None, "/Form") and "/Length1" not in d \
                and d.get("/Type") != "/EmbeddedFile" and "/N" not in d and d.get("/Type") != "/Metadata":
            code = _strip_strings(pdf.data(ref))
            if re.search(rb"(?<![\w/])(k|K)(?![\w])", code) and re.search(rb"[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[kK]\b",
                                                                        code):
                problems.append(f"CMYK colour operator in content stream {ref}")
    return {"problems": problems, "seen": seen, "xmp": xmp, "info": {k: text(v) for k, v in info.items()}}


def _strip_strings(code: bytes) -> bytes:
    code = re.sub(rb"\((?:\\.|[^\\)])*\)", b"()", code, flags=re.S)
    return re.sub(rb"<[0-9A-Fa-f\s]*>", b"<>", code)


def _read_xmp(data: bytes) -> tuple[dict, list[str]]:
    problems = []
    head = re.match(rb'<\?xpacket\s+([^?]*)\?>', data)
    if not head:
        problems.append("no xpacket header")
    elif b"bytes=" in head.group(1) or b"encoding=" in head.group(1):
        problems.append("xpacket header with bytes= or encoding=")
    try:
        tree = ET.fromstring(re.sub(rb"<\?xpacket[^?]*\?>", b"", data))
    except ET.ParseError as e:
        return {}, problems + [f"XMP not well-formed: {e}"]
    out: dict[str, str] = {}
    prefix = {v: k for k, v in NS.items()}
    for desc in tree.iter(f"{{{NS['rdf']}}}Description"):
        props = list(desc) + [ET.Element(k, {}) for k in desc.attrib if not k.startswith(f"{{{NS['rdf']}}}")]
        for el in props:
            ns, _, local = el.tag[1:].partition("}")
            if ns not in PREDEFINED or local not in PREDEFINED[ns]:
                problems.append(f"XMP property {el.tag} outside the predefined schemas (needs an extension schema)")
                continue
            key = f"{prefix[ns]}:{local}"
            lis = el.findall(f".//{{{NS['rdf']}}}li")
            if key in ("dc:title", "dc:description"):
                xd = [li.text or "" for li in lis if li.get(f"{{{NS['xml']}}}lang") == "x-default"]
                if len(xd) != 1:
                    problems.append(f"{key} has no single x-default entry")
                out[key] = xd[0] if xd else None
            elif key == "dc:creator":
                if len(lis) != 1 or el.find(f"{{{NS['rdf']}}}Seq") is None:
                    problems.append("dc:creator is not a Seq of one")
                out[key] = lis[0].text if lis else None
            elif lis:
                out[key] = ",".join(li.text or "" for li in lis)
            else:
                out[key] = el.text if el.text is not None else desc.attrib.get(el.tag)
    return out, problems


def _check_annot(a: dict, where: str) -> list[str]:
    p = []
    sub = a.get("/Subtype")
    if sub in FORBIDDEN_ANNOTS:
        p.append(f"annotation {sub}")
    if sub != "/Popup":
        f = a.get("/F", 0)
        if not f & 4 or f & (1 | 2 | 32 | 256):
            p.append(f"annotation {sub} in {where} flags {f} (Print must be set, Hidden/NoView clear)")
    rect = a.get("/Rect", [0, 0, 0, 0])
    zero = rect[0] == rect[2] and rect[1] == rect[3]
    if sub not in ("/Popup", "/Link") and not zero and "/AP" not in a:
        p.append(f"annotation {sub} in {where} without an appearance")
    if "/AP" in a and set(a["/AP"]) != {"/N"}:
        p.append(f"appearance dictionary keys {sorted(a['/AP'])} in {where}")
    if sub == "/Widget" and ("/A" in a or "/AA" in a):
        p.append(f"widget with actions in {where}")
    if "/IRT" not in a and "/CA" in a and a["/CA"] != 1:
        p.append(f"annotation opacity {a['/CA']} in {where}")
    return p


def _check_font(pdf: Pdf, font: dict, where: str) -> list[str]:
    from fontTools.ttLib import TTFont

    p = []
    base = font.get("/BaseFont", "")[1:]
    fd = pdf.get(font.get("/FontDescriptor")) if font.get("/FontDescriptor") else None
    files = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if fd and k in fd]
    if not files:
        return [f"font {base} ({where}) not embedded" + (" (a standard-14 font)" if base in STANDARD_14 else "")]
    if font.get("/Subtype") != "/TrueType" or files != ["/FontFile2"]:
        return p
    tt = TTFont(io.BytesIO(pdf.data(fd["/FontFile2"])))
    symbolic = bool(fd.get("/Flags", 0) & 4)
    tables = tt["cmap"].tables
    if symbolic and "/Encoding" in font:
        p.append(f"symbolic TrueType {base} has an /Encoding")
    if symbolic and len(tables) != 1 and not any((t.platformID, t.platEncID) == (3, 0) for t in tables):
        p.append(f"symbolic TrueType {base}: cmap has {len(tables)} encodings and no (3,0)")
    upm = tt["head"].unitsPerEm
    order = tt.getGlyphOrder()
    first, widths = font.get("/FirstChar", 0), font.get("/Widths", [])
    cmap = tables[0].cmap
    for code, gname in cmap.items():
        if order.index(gname) == 0:
            p.append(f"{base}: code {code} maps to .notdef")
        i = code - first
        if 0 <= i < len(widths):
            want = tt["hmtx"][gname][0] * 1000 / upm
            if abs(widths[i] - want) > 1:
                p.append(f"{base}: width of code {code} is {widths[i]}, the font says {want:.1f}")
    return p


def _check_filespec(pdf: Pdf, fs: dict, where: str, af: set) -> list[str]:
    p = []
    name = text(fs.get("/UF", fs.get("/F", "u:?")))
    for k in ("/F", "/UF"):
        if k not in fs:
            p.append(f"file spec {name} without {k}")
    if fs.get("/AFRelationship") not in AF_RELATIONSHIPS:
        p.append(f"file spec {name}: /AFRelationship {fs.get('/AFRelationship')}")
    if f"{where}" not in af:
        p.append(f"file spec {name} ({where}) is not in the catalog's /AF")
    ef_ref = fs["/EF"].get("/F")
    ef = pdf.get(ef_ref)
    sub = ef.get("/Subtype", "")
    if not re.fullmatch(r"/[a-z]+/[A-Za-z0-9.+\-_]+", sub):
        p.append(f"file {name}: MIME /Subtype {sub!r}")
    params = ef.get("/Params", {})
    if "/ModDate" not in params:
        p.append(f"file {name}: no /Params /ModDate")
    else:
        pdf_instant(text(params["/ModDate"]))
    if params.get("/Size") != len(pdf.data(ef_ref)):
        p.append(f"file {name}: /Size {params.get('/Size')} != {len(pdf.data(ef_ref))} bytes")
    return p


def _fonts_embedded(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [r for r in out.splitlines()[2:] if r.split()[-5] != "yes"]


# --- the packages -------------------------------------------------------------------------------

def _seal_with_alpha() -> bytes:
    """A 64x64 RGBA seal: a red ring on a transparent ground (reportlab writes it with an /SMask)."""
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse((4, 4, 60, 60), outline=(200, 20, 20, 255), width=5)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def pkgs(tmp_path_factory):
    from greendesk.core.demo import build_demo
    from greendesk.core.package import export_package
    from greendesk.core.package.certs import new_identity, write_p12

    d = tmp_path_factory.mktemp("pdfa")
    ws = build_demo(d / "demo.greendesk")
    p12 = write_p12(new_identity("重庆渝锐精密压铸有限公司"), d / "org.p12", "pw")
    out = {"dir": d, "ws": ws, "p12": p12}
    out["zh"] = d / "zh.pdf"
    export_package(ws, out["zh"], lang="zh", p12_path=p12, passphrase="pw", seal_png=_seal_with_alpha())
    out["en"] = d / "en.pdf"
    export_package(ws, out["en"], lang="en", p12_path=p12, passphrase="pw")
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_package_passes_the_pdfa3b_checks(pkgs, lang):
    r = check_pdfa3b(pkgs[lang])
    assert r["problems"] == []
    # it looked at something: fonts, the TOC links and the signature widget, the embedded files
    assert r["seen"]["fonts"] >= 3 and r["seen"]["annotations"] >= 2 and r["seen"]["embedded_files"] >= 5
    assert _fonts_embedded(pkgs[lang]) == []
    info = subprocess.run(["pdfinfo", str(pkgs[lang])], capture_output=True, text=True, check=True).stdout
    assert re.search(r"PDF version:\s+1\.7", info) and re.search(r"Metadata Stream:\s+yes", info)
    assert r["xmp"]["dc:title"] == r["info"]["/Title"]
    assert r["xmp"]["pdf:Producer"] == r["info"]["/Producer"]
    assert ("绿色工厂" if lang == "zh" else "Green") in r["info"]["/Title"]


def test_seal_with_alpha_is_a_soft_mask_image(pkgs):
    """PDF/A-3 (like PDF/A-2) allows an image /SMask; the seal's transparency is written that way."""
    pdf = Pdf(pkgs["zh"])
    images = [d for _, d in pdf.streams() if d.get("/Subtype") == "/Image"]
    masked = [d for d in images if "/SMask" in d]
    assert masked, images
    smask = pdf.get(masked[0]["/SMask"])
    assert smask["/ColorSpace"] == "/DeviceGray"


def test_signature_still_covers_the_whole_file(pkgs):
    out = subprocess.run(["pdfsig", str(pkgs["zh"])], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out and "Total document signed" in out
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with open(pkgs["zh"], "rb") as f:
        st = validate_pdf_signature(PdfFileReader(f).embedded_signatures[0], ValidationContext(trust_roots=[]))
    assert st.intact and st.valid and st.coverage.name == "ENTIRE_FILE"


def test_countersigned_package_stays_pdfa(pkgs):
    """An evaluator's counter-signature (one more incremental update) keeps version, XMP and Info equal."""
    from greendesk.core.package.certs import new_identity
    from greendesk.core.package.sign import countersign_package

    out = pkgs["dir"] / "zh-countersigned.pdf"
    r = countersign_package(pkgs["zh"], out, new_identity("某评价机构"), role="评价机构")
    assert len(r["signatures"]) == 2
    res = check_pdfa3b(out)
    assert res["problems"] == []
    before = check_pdfa3b(pkgs["zh"])
    assert res["info"]["/CreationDate"] == before["info"]["/CreationDate"]
    assert pdf_instant(res["info"]["/ModDate"]) >= pdf_instant(before["info"]["/ModDate"])


def test_checker_catches_what_it_claims(pkgs, tmp_path):
    """The judge can fail: a file with the PDF/A pieces taken out is refused on each of them."""
    src = pkgs["en"]
    bad = tmp_path / "bad.pdf"
    # the same objects written by qpdf as version 2.0
    subprocess.run(["qpdf", str(src), "--remove-restrictions", "--force-version=2.0", str(bad)], check=False)
    raw = bad.read_bytes()
    assert raw.startswith(b"%PDF-2.0")
    r = check_pdfa3b(bad)
    assert any("header" in p for p in r["problems"])
    # a file with no metadata at all, an unprintable link and CMYK
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "plain.pdf"))
    c.setFillColorCMYK(0, 1, 1, 0)
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Hello")
    c.linkURL("https://example.invalid/", (72, 700, 200, 730))
    c.save()
    r = check_pdfa3b(tmp_path / "plain.pdf")
    text_all = "\n".join(r["problems"])
    for want in ("header", "no /Metadata", "GTS_PDFA1", "Helvetica", "flags", "CMYK"):
        assert want in text_all, (want, text_all)


def test_timestamped_package_stays_pdfa(pkgs):
    """PAdES B-T (a timestamp token inside the signature) changes nothing PDF/A looks at."""
    from greendesk.core.package import export_package
    from tests.core.package.signing_helpers import timestamp_server

    out = pkgs["dir"] / "bt.pdf"
    with timestamp_server() as (url, _pem):
        r = export_package(pkgs["ws"], out, lang="en", p12_path=pkgs["p12"], passphrase="pw", timestamp_url=url)
    assert r["timestamp"] is True
    assert check_pdfa3b(out)["problems"] == []


def test_xmp_packet_escapes_and_mirrors_info():
    """Markup characters and control characters in a factory name give well-formed XMP equal to Info."""
    from greendesk.core.package.pdfa import parse_pdf_date, pdf_date, xmp_packet

    tz8 = _dt.timezone(_dt.timedelta(hours=8))
    created = _dt.datetime(2026, 3, 1, 9, 30, 5, tzinfo=tz8)
    modified = _dt.datetime(2026, 3, 1, 1, 31, 0, tzinfo=_dt.UTC)
    info = {"Title": 'A&B <"厂"> \x07报告', "Author": "A&B", "Subject": "GB/T 36132", "Creator": "GreenDesk 9",
            "Producer": "pyHanko 0.38.0", "Keywords": "a, b"}
    xmp, problems = _read_xmp(xmp_packet(info, created, modified, "zh"))
    assert problems == []
    assert xmp["dc:title"] == 'A&B <"厂"> 报告' and xmp["dc:creator"] == "A&B" and xmp["pdf:Keywords"] == "a, b"
    assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "B" and xmp["dc:language"] == "zh"
    assert _dt.datetime.fromisoformat(xmp["xmp:CreateDate"]) == created
    assert pdf_date(created) == "D:20260301093005+08'00'"
    assert pdf_instant(pdf_date(modified)) == modified == parse_pdf_date("D:20260301013100Z")
    assert parse_pdf_date("D:20260301093005+08'00'") == created
    assert parse_pdf_date("D:2026") == _dt.datetime(2026, 1, 1, tzinfo=_dt.UTC)
    assert parse_pdf_date("yesterday") is None and parse_pdf_date(None) is None


def test_writer_keeps_info_and_xmp_equal_for_a_title_with_control_characters(tmp_path):
    from reportlab.pdfgen import canvas

    from greendesk.core.package.pdfa import PdfAWriter, prepare

    src = io.BytesIO()
    c = canvas.Canvas(src, pdfVersion=(1, 7))
    c.setTitle("工厂\x07报告 <A&B>")
    c.setAuthor("A&B")
    c.showPage()
    c.save()
    w = PdfAWriter(io.BytesIO(src.getvalue()), strict=False)
    assert prepare(w) is True
    out = tmp_path / "w.pdf"
    with open(out, "wb") as f:
        w.write(f)
    r = check_pdfa3b(out)
    assert not [p for p in r["problems"] if "Info" in p or "XMP" in p or "pdfaid" in p or "intent" in p], r["problems"]
    assert r["info"]["/Title"] == r["xmp"]["dc:title"] == "工厂报告 <A&B>"
