"""PDF/A-3b for the declaration package (ISO 19005-3, level B: the visual appearance is preserved).

What makes the exported package PDF/A-3b, on top of what reportlab and pyHanko already write:

- version 1.7 everywhere: the report is written with a ``%PDF-1.7`` header (report.py) and
  :class:`PdfAWriter` never raises the catalog's /Version above it (pyHanko would write /2.0
  for associated files, which PDF/A-3 brings to PDF 1.7);
- an output intent (GTS_PDFA1) with the bundled sRGB profile (``resources/icc/sRGB.icc``, ICC v2,
  N = 3), so the DeviceRGB and DeviceGray colours of the pages are defined (:func:`prepare`);
- every annotation printable: report.py writes the table-of-contents links with /F 4 (reportlab
  writes none), pyHanko's signature widget has /F 132;
- an XMP metadata stream with ``pdfaid:part=3``, ``pdfaid:conformance=B`` and the dc/xmp/pdf
  properties that mirror the Info dictionary. Both are written by :class:`PdfAWriter` at each
  write from one set of values and one clock reading, so a signature (an incremental update)
  leaves them equal; pyHanko's own metadata update would read the clock twice and give XMP a
  Producer different from Info's.

Embedded files (``sign.embed_and_sign``) are associated files of the catalog (/AF) with
/AFRelationship, a MIME /Subtype and /Params with /Size and /ModDate.
The fonts are reportlab's embedded TrueType subsets (with :func:`repair_hmetrics`, so each
subset's advance widths equal the /Widths); no standard-14 font is referenced (the signature
widget's appearance is empty). The report is tagged for structure (tagging.py); level A (PDF/A-3a) is
not claimed: the signature widget is outside the structure tree and no level-A validator is at hand.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import cache
from xml.sax.saxutils import escape as _xml_escape

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from greendesk.core.paths import resources_dir

PDFA_PART = 3
PDFA_CONFORMANCE = "B"
PDF_VERSION = (1, 7)
ICC_FILE = "icc/sRGB.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PDF_DATE = re.compile(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([Zz+-])(?:(\d\d)'?(\d\d)?'?)?)?")


@cache
def srgb_profile() -> bytes:
    """The bundled sRGB ICC profile (v2.3, from icc-profiles-free; licence beside it)."""
    return (resources_dir() / ICC_FILE).read_bytes()


def pdf_date(d: _dt.datetime) -> str:
    """``D:YYYYMMDDHHmmSS+HH'mm'`` (the offset always written, so XMP can state the same instant)."""
    off = d.utcoffset() or _dt.timedelta(0)
    sign = "-" if off < _dt.timedelta(0) else "+"
    mins = abs(int(off.total_seconds())) // 60
    return d.strftime("D:%Y%m%d%H%M%S") + f"{sign}{mins // 60:02d}'{mins % 60:02d}'"


def parse_pdf_date(s) -> _dt.datetime | None:
    """A PDF date string as an aware datetime (no offset given: UTC); None when it is not one."""
    m = _PDF_DATE.match(str(s or "").strip())
    if not m:
        return None
    y, mo, d, h, mi, sec, sign, oh, om = m.groups()
    tz = _dt.UTC
    if sign in ("+", "-"):
        delta = _dt.timedelta(hours=int(oh or 0), minutes=int(om or 0))
        tz = _dt.timezone(delta if sign == "+" else -delta)
    try:
        return _dt.datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(sec or 0), tzinfo=tz)
    except ValueError:
        return None


def _x(text: str) -> str:
    return _xml_escape(_NOT_XML.sub("", text))


def xmp_packet(info: dict[str, str], created: _dt.datetime, modified: _dt.datetime, lang: str | None = None) -> bytes:
    """The XMP packet of a PDF/A-3b file whose Info holds ``info`` (keys Title, Author, Subject,
    Keywords, Creator, Producer) and the two dates. Each Info entry has its XMP twin."""
    dc, xmp, pdf = [], [], []
    if info.get("Title"):
        dc.append(f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_x(info["Title"])}</rdf:li></rdf:Alt></dc:title>')
    if info.get("Author"):
        dc.append(f"<dc:creator><rdf:Seq><rdf:li>{_x(info['Author'])}</rdf:li></rdf:Seq></dc:creator>")
    if info.get("Subject"):
        dc.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_x(info["Subject"])}</rdf:li>'
                  f"</rdf:Alt></dc:description>")
    if lang:
        dc.append(f"<dc:language><rdf:Bag><rdf:li>{_x(lang)}</rdf:li></rdf:Bag></dc:language>")
    if info.get("Creator"):
        xmp.append(f"<xmp:CreatorTool>{_x(info['Creator'])}</xmp:CreatorTool>")
    xmp.append(f"<xmp:CreateDate>{created.isoformat()}</xmp:CreateDate>")
    xmp.append(f"<xmp:ModifyDate>{modified.isoformat()}</xmp:ModifyDate>")
    xmp.append(f"<xmp:MetadataDate>{modified.isoformat()}</xmp:MetadataDate>")
    if info.get("Producer"):
        pdf.append(f"<pdf:Producer>{_x(info['Producer'])}</pdf:Producer>")
    if info.get("Keywords"):
        pdf.append(f"<pdf:Keywords>{_x(info['Keywords'])}</pdf:Keywords>")

    def desc(ns: str, uri: str, props: list[str]) -> str:
        body = "\n   ".join(props)
        return f'  <rdf:Description rdf:about="" xmlns:{ns}="{uri}">\n   {body}\n  </rdf:Description>\n'

    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        + desc("pdfaid", "http://www.aiim.org/pdfa/ns/id/",
               [f"<pdfaid:part>{PDFA_PART}</pdfaid:part>", f"<pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>"])
        + desc("dc", "http://purl.org/dc/elements/1.1/", ["<dc:format>application/pdf</dc:format>", *dc])
        + desc("xmp", "http://ns.adobe.com/xap/1.0/", xmp)
        + (desc("pdf", "http://ns.adobe.com/pdf/1.3/", pdf) if pdf else "")
        + " </rdf:RDF>\n</x:xmpmeta>\n"
        + " " * 512 + "\n"     # room for an in-place edit by a later tool, as XMP writers leave
        '<?xpacket end="w"?>'
    )
    return text.encode("utf-8")


_INFO_TEXT_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator")


class PdfAWriter(IncrementalPdfFileWriter):
    """pyHanko's incremental writer kept to PDF 1.7, writing Info and XMP together at each write.

    The Producer is pyHanko's own name (the tool that wrote the last revision), so a later update by
    an unmodified pyHanko of the same version (an evaluator's counter-signature) keeps Info and XMP equal.
    """

    def ensure_output_version(self, version):
        super().ensure_output_version(min(tuple(version), PDF_VERSION))

    def _update_meta(self):  # pyHanko calls this once, right before writing the update
        from pyhanko.pdf_utils.metadata.model import VENDOR

        now = _dt.datetime.now().astimezone().replace(microsecond=0)
        if self._info is None:
            self.set_info(generic.DictionaryObject())
        info = self._info.get_object()
        values = {}
        for k in _INFO_TEXT_KEYS:
            v = info.get("/" + k)
            v = _NOT_XML.sub("", str(v)) if v is not None else ""   # XMP cannot carry control characters
            if v.strip():
                values[k] = v
        values["Producer"] = VENDOR
        created = parse_pdf_date(info.get("/CreationDate")) or now
        for k in list(info.keys()):
            del info[k]
        for k, v in values.items():
            info[generic.NameObject("/" + k)] = generic.TextStringObject(v)
        info["/CreationDate"] = generic.TextStringObject(pdf_date(created))
        info["/ModDate"] = generic.TextStringObject(pdf_date(now))
        self.mark_update(self._info)

        lang = self.root.get("/Lang")
        stream = generic.StreamObject(
            {generic.NameObject("/Type"): generic.NameObject("/Metadata"),
             generic.NameObject("/Subtype"): generic.NameObject("/XML")},
            stream_data=xmp_packet(values, created, now, str(lang) if lang else None))
        try:
            ref = self.root.raw_get("/Metadata")
        except KeyError:
            ref = None
        if isinstance(ref, generic.IndirectObject) and ref.idnum < self.prev.trailer["/Size"]:
            self.objects[(ref.generation, ref.idnum)] = stream   # a new version of the same object
        else:
            self.root["/Metadata"] = self.add_object(stream)
            self.update_root()


def repair_hmetrics(font) -> int:
    """Undo a reportlab 5 subsetting bug that makes a font's program disagree with its /Widths.

    reportlab keeps each glyph's (advance, lsb) in font units for the subset's hmtx, but for the glyphs
    after hhea.numberOfHMetrics (which share the last advance) it stores the advance already scaled to
    1/1000 em. Their subset then says 600 units where the font has 1229 (WenQuanYi Micro Hei Mono's
    ASCII), and PDF/A (ISO 19005-3 6.2.11.5) requires the font program and /Widths to agree.
    ``font`` is a registered ``reportlab.pdfbase.ttfonts.TTFont``; returns how many entries it fixed.
    """
    metrics = font.face.hmetrics
    last, fixed = None, 0
    for i, (aw, lsb) in enumerate(metrics):
        if isinstance(aw, int):
            last = aw
        elif last is not None:
            metrics[i] = (last, lsb)
            fixed += 1
    return fixed


def prepare(writer: PdfAWriter) -> bool:
    """Add the PDF/A output intent to the catalog unless it has one. Returns whether it added it.

    Annotations are not walked here (reading every page costs time at each export): the report's links
    are written printable (/F 4) by report.py, pyHanko's signature widget has /F 132 (Print, Locked),
    and the tests check every annotation of the file.
    """
    root = writer.root
    if "/OutputIntents" in root:
        return False
    icc = generic.StreamObject({generic.NameObject("/N"): generic.NumberObject(3)}, stream_data=srgb_profile())
    icc.compress()
    intent = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/OutputIntent"),
        generic.NameObject("/S"): generic.NameObject("/GTS_PDFA1"),
        generic.NameObject("/OutputConditionIdentifier"): generic.TextStringObject(OUTPUT_CONDITION),
        generic.NameObject("/Info"): generic.TextStringObject(OUTPUT_CONDITION),
        generic.NameObject("/RegistryName"): generic.TextStringObject("http://www.color.org"),
        generic.NameObject("/DestOutputProfile"): writer.add_object(icc),
    })
    root["/OutputIntents"] = generic.ArrayObject([writer.add_object(intent)])
    writer.update_root()
    return True
