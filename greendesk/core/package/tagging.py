"""Structure tagging of the report (a tagged PDF: logical structure and reading order, ISO 32000-1 14.7-14.8).

Two halves:

- while reportlab draws, every flowable the frame places becomes one marked-content sequence with an MCID
  (``/P <</MCID 3>> BDC … EMC``): headings H1/H2/H3, paragraphs P, charts and the seal Figure (with the
  chart's title as /Alt), anything else Div; a table's cells are TH/TD sequences (through reportlab's
  table render callback), its backgrounds and grid lines artifacts, as are the running header and footer.
  The canvas keeps a log of what it tagged, in drawing (= reading) order;
- :func:`write_structure` turns that log into the structure tree of the finished file (pyHanko writer, before
  anything is signed): StructTreeRoot → Document → elements, tables as Table → TR → TH/TD, each link
  annotation a Link element with an object reference; the ParentTree maps each page's MCIDs and each link
  back to its element; pages get /StructParents and /Tabs /S, the catalog /MarkInfo /Marked true and /Lang.

Nested content (a paragraph inside a table cell, a table inside a kept-together group) is covered by the
sequence it is drawn in: a sequence never opens inside another one.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.platypus import Frame, Paragraph, Table
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.tableofcontents import TableOfContents

ARTIFACT_BEGIN = "/Artifact BMC"
END = "EMC"
# the operators that leave a mark on the page (show text, paint a path, an image or a shading)
_PAINT = frozenset({"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI"})


def _paints(code: list[str]) -> bool:
    for line in code:
        if "Tj" in line or "TJ" in line or " Do" in line:   # text or an image: the usual case, found at once
            return True
    return any(tok in _PAINT for line in code for tok in line.split())


class TaggingCanvasMixin:
    """For a reportlab canvas: marked-content sequences with MCIDs per page and the log of what they hold.

    ``struct_log`` entries: {"page": index, "mcid": n, "kind": "P", "alt": str|None, "cell": (table, row)|None}.
    """

    def init_tagging(self) -> None:
        self.struct_log: list[dict] = []
        self._mcid = 0
        self._in_mc = False
        self._tables = 0

    def tagging_new_page(self) -> None:
        self._mcid = 0
        self._in_mc = False

    def begin_mc(self, kind: str, *, alt: str | None = None, cell: tuple | None = None):
        """Open a tagged sequence; returns a token for :meth:`end_mc`, or None inside another sequence."""
        if self._in_mc:
            return None
        self._in_mc = True
        mark = len(self._code)
        self._code.append(f"/{kind} <</MCID {self._mcid}>> BDC")
        return (mark, kind, alt, cell)

    def end_mc(self, token) -> None:
        if token is None:
            return
        mark, kind, alt, cell = token
        self._in_mc = False
        if not _paints(self._code[mark + 1:]):
            del self._code[mark]           # nothing drawn (a spacer, an empty cell): no sequence, no element
            return
        self._code.append(END)
        self.struct_log.append({"page": self.getPageNumber() - 1, "mcid": self._mcid, "kind": kind, "alt": alt,
                                "cell": cell})
        self._mcid += 1

    def begin_artifact(self) -> bool:
        if self._in_mc:
            return False
        self._in_mc = True
        self._code.append(ARTIFACT_BEGIN)
        return True

    def end_artifact(self, opened: bool) -> None:
        if opened:
            self._in_mc = False
            self._code.append(END)

    def new_table(self) -> int:
        self._tables += 1
        return self._tables


def _drawing_alt(f) -> str | None:
    from reportlab.graphics.shapes import String

    texts = [x.text for x in getattr(f, "contents", []) if isinstance(x, String) and str(x.text).strip()]
    return " — ".join(texts[:2]) or None


def kind_of(f) -> str | None:
    """The structure type of a flowable the frame places; None for one tagged otherwise (tables, containers)."""
    from reportlab.graphics.shapes import Drawing

    if isinstance(f, Table) or getattr(f, "_content", None) is not None:
        return None
    level = getattr(f, "toc_level", None)
    if level is not None:
        return f"H{min(int(level), 2) + 1}"
    if isinstance(f, Paragraph):
        name = getattr(f.style, "name", "")
        return {"h1": "H1", "h2": "H2", "h3": "H3", "cover_title": "H1"}.get(name, "P")   # the cover's title too
    if isinstance(f, Drawing) or getattr(f, "alt_text", None) is not None:
        return "Figure"
    return "Div"


def alt_of(f) -> str | None:
    from reportlab.graphics.shapes import Drawing

    if getattr(f, "alt_text", None):
        return str(f.alt_text)
    if isinstance(f, Drawing):
        return _drawing_alt(f)
    return None


def tag(f: Flowable) -> None:
    """Make ``f`` draw as a tagged sequence of its kind (children of a container each as their own)."""
    # set through __dict__: a reportlab Drawing refuses attributes it does not declare
    if f.__dict__.get("_gd_tagged"):
        return
    f.__dict__["_gd_tagged"] = True
    content = getattr(f, "_content", None)
    if isinstance(content, list):
        for child in content:
            tag(child)
        return
    if isinstance(f, Table):
        f.__dict__["_renderCB"] = table_callback
        return
    if isinstance(f, TableOfContents):    # it draws a table it makes at layout time: tag that table's rows
        draw_inner = f.drawOn

        def toc_draw_on(canv, x, y, *a, **kw):
            t = getattr(f, "_table", None)
            if isinstance(t, Table):
                t.__dict__["_renderCB"] = table_callback
            return draw_inner(canv, x, y, *a, **kw)

        f.__dict__["drawOn"] = toc_draw_on
        return
    kind = kind_of(f)
    if kind is None:
        return
    draw_on = f.drawOn
    alt = alt_of(f) if kind == "Figure" else None

    def tagged_draw_on(canv, x, y, *a, **kw):
        token = canv.begin_mc(kind, alt=alt) if hasattr(canv, "begin_mc") else None
        try:
            return draw_on(canv, x, y, *a, **kw)
        finally:
            if token is not None:
                canv.end_mc(token)

    f.__dict__["drawOn"] = tagged_draw_on


def table_callback(table, event: str, *args) -> None:
    """reportlab's table render callback: cells as TH (repeated header rows) or TD, the rest artifacts."""
    c = table.canv
    if event == "startTable":
        table.__dict__["_gd_state"] = {"id": c.new_table()} if hasattr(c, "begin_mc") else None
        return
    st = table.__dict__.get("_gd_state")
    if st is None:
        return
    if event == "startCell":
        row = args[0]
        header = isinstance(table.repeatRows, int) and row < table.repeatRows
        st["cell"] = c.begin_mc("TH" if header else "TD", cell=(st["id"], row))
    elif event == "endCell":
        c.end_mc(st.pop("cell", None))
    elif event in ("startBG", "startLines"):
        st["artifact"] = c.begin_artifact()
    elif event in ("endBG", "endLines"):
        c.end_artifact(st.pop("artifact", False))


class TaggedFrame(Frame):
    """A frame whose flowables are tagged before they are placed."""

    def add(self, flowable, canv, trySplit=0):
        tag(flowable)
        return Frame._add(self, flowable, canv, trySplit=trySplit)

    _add = add


# --- the structure tree, in the finished file -----------------------------------------------------------

def _lang_tag(lang: str | None) -> str:
    return "en" if (lang or "").startswith("en") else "zh-CN"


_SAFE_NAME = re.compile(r"^/[A-Za-z0-9]+$")


def _fast_bytes(v) -> bytes | None:
    """The serialisation of a name, number, boolean, reference or array of those; None for anything else."""
    from pyhanko.pdf_utils import generic as g

    if isinstance(v, g.IndirectObject):
        return b"%d %d R" % (v.idnum, v.generation)
    if isinstance(v, g.BooleanObject):
        return b"true" if v else b"false"
    if isinstance(v, g.NumberObject):
        return b"%d" % v
    if isinstance(v, g.NameObject):
        return v.encode("ascii") if _SAFE_NAME.match(v) else None
    if isinstance(v, g.ArrayObject):
        parts = [_fast_bytes(x) for x in v]
        return None if None in parts else b"[" + b" ".join(parts) + b"]"
    return None


def _struct_dict():
    """A pyHanko dictionary for the structure elements, written in one piece: there are thousands of them
    (a TD per table cell) and pyHanko writes a name character by character."""
    from pyhanko.pdf_utils import generic as g

    class StructDict(g.DictionaryObject):
        def __init__(self, items: dict):
            dict.__init__(self, items)           # keys are NameObjects already: no normalising

        def write_to_stream(self, stream, handler=None, container_ref=None):
            parts = [b"<<"]
            for k, v in self.items():
                fast = _fast_bytes(v)
                if fast is None:
                    stream.write(b"".join(parts) + k.encode("ascii") + b" ")
                    parts = []
                    v.write_to_stream(stream, handler, container_ref)
                else:
                    parts += [k.encode("ascii"), b" ", fast]
                parts.append(b"\n")
            parts.append(b">>")
            stream.write(b"".join(parts))

    return StructDict


def _page_refs(node_ref) -> list:
    """The page objects' references in page order, in one walk of the page tree (asking pyHanko for each
    page walks the tree from its root every time)."""
    out: list = []
    stack = [node_ref]
    while stack:
        ref = stack.pop()
        node = ref.get_object()
        if node.get("/Type") == "/Pages":
            stack.extend(reversed(list(node.raw_get("/Kids"))))
        else:
            out.append(ref)
    return out


def write_structure(writer, log: list[dict], lang: str | None) -> int:
    """Add the structure tree for ``log`` (the canvas's struct_log) to ``writer``; returns the element count."""
    from pyhanko.pdf_utils import generic as g

    N = g.NameObject
    if not log:
        return 0
    root = writer.root
    tree_root = g.DictionaryObject({N("/Type"): N("/StructTreeRoot")})
    tree_ref = writer.add_object(tree_root)
    doc = g.DictionaryObject({N("/Type"): N("/StructElem"), N("/S"): N("/Document"), N("/P"): tree_ref})
    doc_ref = writer.add_object(doc)
    page_refs = _page_refs(root.raw_get("/Pages"))

    def page_ref(i: int):
        return page_refs[i]

    fast = _struct_dict()
    t_struct, k_type, k_s, k_p = N("/StructElem"), N("/Type"), N("/S"), N("/P")

    def elem(kind: str, parent, **extra) -> tuple[g.DictionaryObject, Any]:
        d = fast({k_type: t_struct, k_s: N("/" + kind), k_p: parent, **{N("/" + k): v for k, v in extra.items()}})
        return d, writer.add_object(d)

    doc_kids: list = []
    parents: dict[int, dict[int, Any]] = {}       # page -> mcid -> element ref
    last_of_page: dict[int, int] = {}              # page -> index in doc_kids after its last element
    tables: dict[Any, dict] = {}
    for e in log:
        p = e["page"]
        pg = page_ref(p)
        if e["cell"] is None:
            extra = {"Pg": pg, "K": g.NumberObject(e["mcid"])}
            if e.get("alt"):
                extra["Alt"] = g.TextStringObject(e["alt"])
            _d, ref = elem(e["kind"], doc_ref, **extra)
            doc_kids.append(ref)
        else:
            tid, row = e["cell"]
            key = (p, tid)                              # a table's part on each page is one Table element
            t = tables.get(key)
            if t is None:
                td, tref = elem("Table", doc_ref)
                t = tables[key] = {"dict": td, "ref": tref, "rows": {}, "order": []}
                doc_kids.append(tref)
            r = t["rows"].get(row)
            if r is None:
                rd, rref = elem("TR", t["ref"])
                r = t["rows"][row] = {"dict": rd, "ref": rref, "kids": []}
                t["order"].append(rref)
            _d, ref = elem(e["kind"], r["ref"], Pg=pg, K=g.NumberObject(e["mcid"]))
            r["kids"].append(ref)
        parents.setdefault(p, {})[e["mcid"]] = ref
        last_of_page[p] = len(doc_kids)
    for t in tables.values():
        t["dict"][N("/K")] = g.ArrayObject(t["order"])
        for r in t["rows"].values():
            r["dict"][N("/K")] = g.ArrayObject(r["kids"])

    nums: list = []
    for p in sorted(parents):
        by_mcid = parents[p]
        nums += [g.NumberObject(p), g.ArrayObject([by_mcid[m] for m in range(len(by_mcid))])]
    next_key = (max(parents) + 1) if parents else 0
    # links: a Link element (object reference to the annotation) after the last element of its page
    inserts: list[tuple[int, Any]] = []
    link_entries: list = []
    for p in sorted(parents):
        page = page_ref(p).get_object()
        annots = page.get("/Annots")
        for a_ref in (annots.get_object() if annots is not None else []):
            if not isinstance(a_ref, g.IndirectObject):
                continue
            a = a_ref.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            objr = g.DictionaryObject({N("/Type"): N("/OBJR"), N("/Obj"): a_ref, N("/Pg"): page_ref(p)})
            _d, lref = elem("Link", doc_ref, Pg=page_ref(p), K=g.ArrayObject([objr]))
            a[N("/StructParent")] = g.NumberObject(next_key)
            writer.mark_update(a_ref)
            link_entries += [g.NumberObject(next_key), lref]
            next_key += 1
            inserts.append((last_of_page[p], lref))
    after: dict[int, list] = {}
    for at, ref in inserts:
        after.setdefault(at, []).append(ref)
    kids = list(after.get(0, []))
    for i, ref in enumerate(doc_kids):
        kids += [ref, *after.get(i + 1, [])]
    doc[N("/K")] = g.ArrayObject(kids)

    tree_root[N("/K")] = doc_ref
    tree_root[N("/ParentTree")] = writer.add_object(g.DictionaryObject({N("/Nums"): g.ArrayObject(nums + link_entries)}))
    tree_root[N("/ParentTreeNextKey")] = g.NumberObject(next_key)
    for p in parents:
        page = page_ref(p).get_object()
        page[N("/StructParents")] = g.NumberObject(p)
        page[N("/Tabs")] = N("/S")
        writer.mark_update(page_ref(p))
    root[N("/StructTreeRoot")] = tree_ref
    root[N("/MarkInfo")] = g.DictionaryObject({N("/Marked"): g.BooleanObject(True)})
    root[N("/Lang")] = g.TextStringObject(_lang_tag(lang))
    prefs = root.get("/ViewerPreferences")
    prefs = prefs.get_object() if prefs is not None else g.DictionaryObject()
    prefs[N("/DisplayDocTitle")] = g.BooleanObject(True)
    root[N("/ViewerPreferences")] = prefs
    writer.update_root()
    return len(log) + len(link_entries) // 2

