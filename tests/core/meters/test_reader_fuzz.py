"""Fuzz: mutated ledger files through the import analysis never crash the process.

Seeds (a real .xlsx with shared strings, merges and formulas, a hand-made .xlsx, the
.xls fixture, an .ods and two CSVs) are mutated: byte flips, truncation, broken zip
members, bad cell references, huge dimensions and merges, wrong encodings, deflate
bombs, long text. Each file goes through ``analyse()`` (what ``import-meters --dry-run``
runs) in a worker process, so that a native abort is seen as a death instead of killing
pytest. A case passes when it imports or ends in one ``UserError`` that names the file, within
the worker's case time-out (60 s: the native reader itself stops at read_limits.CHILD_SECONDS).

``GREENDESK_FUZZ_N`` sets the number of mutations (``make fuzz`` sets it large).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from fixtures.meters.ledgers import ods, xlsx

ROOT = Path(__file__).resolve().parents[3]
N = int(os.environ.get("GREENDESK_FUZZ_N", "200"))
XLS_FIXTURE = ROOT / "tests" / "fixtures" / "meters" / "legacy_months_across.xls"

WORKER = r"""
import json, sys, time, traceback
from greendesk.core.errors import UserError
from greendesk.core.meters import analyse
for line in sys.stdin:
    i, path, name = json.loads(line)
    print(json.dumps(["start", i]), flush=True)
    t0 = time.perf_counter()
    res = {"i": i}
    try:
        plan = analyse([path], year=2025)
        res["kind"] = "ok"
        res["messages"] = [[x.zh, x.en] for f in plan.files for x in f.all_issues() if x.level == "error"][:3]
    except UserError as e:
        res["kind"] = "user_error"
        res["zh"], res["en"] = e.message("zh"), e.message("en")
    except BaseException as e:
        res["kind"] = "traceback"
        res["tb"] = traceback.format_exc()[-1500:]
    res["seconds"] = time.perf_counter() - t0
    print(json.dumps(["end", res]), flush=True)
"""


# ---------------------------------------------------------------- seeds

def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
              'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def handmade_xlsx(sheet_body: str) -> bytes:
    """A minimal .xlsx with one sheet whose <worksheet> content is sheet_body (inline strings only)."""
    return _zip({
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (SHEET_HEAD + sheet_body + "</worksheet>").encode(),
    })


def _inline_rows(rows: list[list]) -> str:
    from greendesk.core.meters.reader import cell_ref

    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, v in enumerate(row):
            ref = cell_ref(r, c)
            if isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
        out.append(f'<row r="{r + 1}">{"".join(cells)}</row>')
    return "<sheetData>" + "".join(out) + "</sheetData>"


LEDGER = [["2025年能源台账"], ["月份", "电(kWh)", "天然气(m3)"]] + [[f"2025-{m:02d}", 1000 + m, 50 + m] for m in
                                                            range(1, 13)]


def seeds(tmp: Path) -> dict[str, bytes]:
    rows = [list(r) for r in LEDGER]
    rows.append(["合计", "=SUM(B3:B14)", "=SUM(C3:C14)"])
    real = xlsx(tmp / "seed.xlsx", {"台账": rows}, {"台账": ["A1:C1"]}).read_bytes()
    out = {
        "real.xlsx": real,
        "hand.xlsx": handmade_xlsx(_inline_rows(LEDGER)),
        "sheet.ods": ods(tmp / "seed.ods", LEDGER).read_bytes(),
        "utf8.csv": "\n".join(",".join(str(v) for v in r) for r in LEDGER).encode("utf-8"),
        "gbk.csv": "\n".join(",".join(str(v) for v in r) for r in LEDGER).encode("gbk"),
    }
    if XLS_FIXTURE.exists():
        out["legacy.xls"] = XLS_FIXTURE.read_bytes()
    return out


# ---------------------------------------------------------------- mutations

BAD_REFS = ["A0", "ZZZZZ1", "", "a1", "1", "A", "A99999999999", "XFD1048576", "AAAA1", "A-1", "A1:B2", "&#65;1",
            "XFE1", "A1048577", "A4294967296", "ZZZ999999", "$A$1", " A1", "A1 ", "Ａ1", "A01", "B0"]


def _sheet_member(members: dict[str, bytes]) -> str | None:
    names = [k for k in members if k.startswith("xl/worksheets/") and k.endswith(".xml")] or \
            [k for k in members if k == "content.xml"]
    return names[0] if names else None


def m_byte_flip(rnd, data):
    b = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        b[rnd.randrange(len(b))] = rnd.randrange(256)
    return bytes(b)


def m_truncate(rnd, data):
    return data[:rnd.randrange(len(data))]


def _rezip(rnd, data, change):
    try:
        members = _members(data)
    except Exception:
        return m_byte_flip(rnd, data)
    name = _sheet_member(members)
    if name is None:
        return m_byte_flip(rnd, data)
    members[name] = change(members[name])
    return _zip(members)


def m_member_flip(rnd, data):
    def flip(x):
        b = bytearray(x)
        for _ in range(rnd.randint(1, 6)):
            b[rnd.randrange(len(b))] = rnd.choice(b"<>\"'&=/ \x00\xff\xfe0123456789AZ:")
        return bytes(b)
    return _rezip(rnd, data, flip)


def m_member_truncate(rnd, data):
    return _rezip(rnd, data, lambda x: x[:rnd.randrange(len(x))])


def m_bad_ref(rnd, data):
    def sub(x):
        refs = list(re.finditer(rb'(<(?:\w+:)?c\b[^>]*?\br=")([^"]*)"', x))
        if not refs:
            return x
        for m in rnd.sample(refs, min(len(refs), rnd.randint(1, 3))):
            bad = rnd.choice(BAD_REFS).encode()
            x = x[:m.start(2)] + bad + x[m.end(2):] if len(x[m.start(2):m.end(2)]) == len(m.group(2)) else x
        return x
    return _rezip(rnd, data, sub)


def m_bad_row(rnd, data):
    def sub(x):
        bad = rnd.choice([b"0", b"-1", b"", b"99999999999", b"1048577", b"4294967296", b"x", b"1048576"])
        return re.sub(rb'(<row\b[^>]*?\br=")[^"]*"', lambda m: m.group(1) + bad + b'"', x, count=rnd.randint(1, 3))
    return _rezip(rnd, data, sub)


def m_huge(rnd, data):
    def sub(x):
        kind = rnd.randrange(5)
        if kind == 0:   # a dimension claiming the whole sheet
            return x.replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"/><sheetData', 1)
        ref, row = rnd.choice([("XFD1048576", 1048576), ("A1048576", 1048576), ("XFD1", 1), ("ZZ99999", 99999)])
        cell = f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'.encode()
        if kind == 1:
            return x.replace(b"</sheetData>", cell + b"</sheetData>", 1)
        if kind == 2:  # out of order: the far cell first
            return x.replace(b"<sheetData>", b"<sheetData>" + cell, 1)
        if kind == 3:  # many merged ranges
            n = rnd.choice([1000, 5000])
            merges = "".join(f'<mergeCell ref="A{i + 1}:Z{i + 10000}"/>' for i in range(n)).encode()
            return x.replace(b"</sheetData>", b'</sheetData><mergeCells count="%d">' % n + merges + b"</mergeCells>", 1)
        return x.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/>'
                                          b"</mergeCells>", 1)
    return _rezip(rnd, data, sub)


def m_ods_repeat(rnd, data):
    def sub(x):
        attr = rnd.choice([b'table:number-rows-repeated="1048576"', b'table:number-columns-repeated="16384"',
                           b'table:number-rows-repeated="99999999999"', b'table:number-columns-repeated="-5"'])
        tag = b"<table:table-row" if b"rows" in attr else b"<table:table-cell"
        return x.replace(tag, tag + b" " + attr, rnd.randint(1, 3))
    return _rezip(rnd, data, sub)


def m_broken_member(rnd, data):
    """Bad CRC, unknown compression method, encrypted flag, missing parts, duplicate names."""
    kind = rnd.randrange(5)
    try:
        members = _members(data)
    except Exception:
        return m_truncate(rnd, data)
    name = _sheet_member(members) or next(iter(members))
    if kind == 0:
        members.pop(rnd.choice(list(members)))
        return _zip(members)
    if kind == 1:
        import warnings

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
            for k, v in members.items():
                z.writestr(k, v)
            z.writestr(name, b"<worksheet/>")  # a duplicate name
        return buf.getvalue()
    b = bytearray(data)
    # the local header of a member: signature PK\x03\x04, flags at +6, method at +8, crc at +14
    starts = [m.start() for m in re.finditer(rb"PK\x03\x04", bytes(b))]
    if not starts:
        return m_byte_flip(rnd, data)
    at = rnd.choice(starts)
    if kind == 2:
        b[at + 14:at + 18] = b"\xde\xad\xbe\xef"
    elif kind == 3:
        b[at + 8:at + 10] = b"\x63\x00"
    else:
        b[at + 6] |= 1
    # the central directory copy as well, so that zipfile sees it
    for m in re.finditer(rb"PK\x01\x02", bytes(b)):
        c = m.start()
        if kind == 2:
            b[c + 16:c + 20] = b"\xde\xad\xbe\xef"
        elif kind == 3:
            b[c + 10:c + 12] = b"\x63\x00"
        else:
            b[c + 8] |= 1
        break
    return bytes(b)


def m_bomb(rnd, data):
    """A sheet member that inflates far beyond its compressed size (zeros or repeated cells)."""
    members = _members(data) if data[:2] == b"PK" else {}
    name = _sheet_member(members) or "xl/worksheets/sheet1.xml"
    size = rnd.choice([20, 200]) * 1_000_000
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = (b" " * 1_000_000) if rnd.random() < 0.5 else (b'<c r="A1"><v>1</v></c>' * 45_000)
    raw = bytearray(co.compress(SHEET_HEAD.encode() + b"<sheetData><row r=\"1\">"))
    for _ in range(size // len(chunk)):
        raw += co.compress(chunk)
    raw += co.compress(b"</row></sheetData></worksheet>") + co.flush()
    members.pop(name, None)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in members.items():
            z.writestr(k, v)
    out = buf.getvalue()
    # append a deflated member written by hand: local header + data, then rebuild the directory with zipfile
    zi = zipfile.ZipInfo(name)
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.file_size = size + 100
    zi.compress_size = len(raw)
    zi.CRC = 0
    zi.header_offset = 0
    return _splice(out, zi, bytes(raw))


def _splice(zip_bytes: bytes, zi: zipfile.ZipInfo, raw: bytes) -> bytes:
    """Add a pre-compressed member (with a possibly false size and CRC) to a zip file."""
    buf = io.BytesIO(zip_bytes)
    with zipfile.ZipFile(buf, "a") as z:
        z.fp.seek(z.start_dir)
        zi.header_offset = z.start_dir
        z.fp.write(zi.FileHeader())
        z.fp.write(raw)
        z.start_dir = z.fp.tell()
        z.filelist.append(zi)
        z.NameToInfo[zi.filename] = zi
        z._didModify = True
    return buf.getvalue()


def m_encoding(rnd, data):
    text = "\n".join(",".join(str(v) for v in r) for r in LEDGER)
    kind = rnd.randrange(7)
    if kind == 0:
        return text.encode("utf-16-le")
    if kind == 1:
        return text.encode("utf-32")
    if kind == 2:
        return bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 4000)))
    if kind == 3:
        return text.encode("utf-8").replace(b",", b"\x00", 5)
    if kind == 4:
        return b"\xef\xbb\xbf" + text.encode("gbk")
    if kind == 5:
        return b"\xff\xfe" + text.encode("utf-8")[:-1]
    return text.encode("shift_jis", "replace")


def m_long_text(rnd, data):
    n = rnd.choice([40_000, 200_000])
    rows = [list(r) for r in LEDGER]
    rows[1][1] = "电" * n if rnd.random() < 0.5 else "电(kWh)" + "，" * n
    if rnd.random() < 0.5:
        return "\n".join(",".join(str(v) for v in r) for r in rows).encode()
    return handmade_xlsx(_inline_rows(rows))


def m_xml_encoding(rnd, data):
    def sub(x):
        return x.replace(b'encoding="UTF-8"', rnd.choice([b'encoding="UTF-16"', b'encoding="GBK"', b'encoding="x"']), 1)
    return _rezip(rnd, data, sub)


MUTATORS = {
    "byte_flip": m_byte_flip, "truncate": m_truncate, "member_flip": m_member_flip,
    "member_truncate": m_member_truncate, "bad_ref": m_bad_ref, "bad_row": m_bad_row, "huge": m_huge,
    "broken_member": m_broken_member, "xml_encoding": m_xml_encoding,
}
ZIP_ONLY = {"member_flip", "member_truncate", "bad_ref", "bad_row", "huge", "broken_member", "xml_encoding"}


def make_cases(tmp: Path, n: int, seed: int = 20261202) -> list[tuple[str, Path]]:
    rnd = random.Random(seed)
    base = seeds(tmp)
    cases: list[tuple[str, Path]] = []
    names = list(base)
    for i in range(n):
        k = i % 20
        if k == 0:
            kind, seed_name = "encoding", rnd.choice(["utf8.csv", "gbk.csv"])
            data = m_encoding(rnd, base[seed_name])
        elif k == 1:
            kind, seed_name = "long_text", "hand.xlsx"
            data = m_long_text(rnd, b"")
        elif k == 2 and i % 60 == 2:
            kind, seed_name = "bomb", rnd.choice(["hand.xlsx", "real.xlsx"])
            data = m_bomb(rnd, base[seed_name])
        elif k == 3:
            kind, seed_name = "ods_repeat", "sheet.ods"
            data = m_ods_repeat(rnd, base[seed_name])
        else:
            seed_name = rnd.choice(names)
            kinds = list(MUTATORS)
            if not seed_name.endswith((".xlsx", ".ods")):
                kinds = [x for x in kinds if x not in ZIP_ONLY]
            kind = rnd.choice(kinds)
            data = MUTATORS[kind](rnd, base[seed_name])
        ext = seed_name.rsplit(".", 1)[1] if kind != "long_text" or data[:2] == b"PK" else "csv"
        if kind == "encoding":
            ext = "csv"
        if kind == "long_text":
            ext = "xlsx" if data[:2] == b"PK" else "csv"
        if rnd.random() < 0.03:  # a file under the wrong extension
            ext = rnd.choice(["xlsx", "xls", "xlsb", "ods", "csv", "xlsm"])
        p = tmp / f"台账_{i:04d}_{kind}.{ext}"
        p.write_bytes(data)
        cases.append((kind, p))
    return cases


def _pump(stream, q) -> None:
    for line in stream:
        q.put(line)
    q.put(None)


def _drain(stream, out: list) -> None:
    out.append(stream.read())


def _feed(stream, text: str) -> None:
    try:
        stream.write(text)
        stream.close()
    except OSError:  # the worker died before reading all of it
        pass


def run_cases(cases: list[tuple[str, Path]], case_timeout: float = 60) -> list[dict]:
    """Run every case in a worker process; a worker that dies (or takes longer than case_timeout on one
    case) is recorded for that case and restarted after it."""
    import queue
    import threading

    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    results: dict[int, dict] = {}
    todo = list(range(len(cases)))
    while todo:
        proc = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env, cwd=str(ROOT))
        lines: queue.Queue = queue.Queue()
        err: list[str] = []
        feed = "".join(json.dumps([i, str(cases[i][1]), cases[i][1].name]) + "\n" for i in todo)
        for target, args in ((_pump, (proc.stdout, lines)), (_drain, (proc.stderr, err)), (_feed, (proc.stdin, feed))):
            threading.Thread(target=target, args=args, daemon=True).start()
        started = None
        while True:
            try:
                line = lines.get(timeout=case_timeout)
            except queue.Empty:
                proc.kill()
                proc.wait()
                if started is not None:
                    results[started] = {"i": started, "kind": "timeout", "seconds": case_timeout}
                break
            if line is None:
                proc.wait()
                if started is not None:
                    results[started] = {"i": started, "kind": "death", "rc": proc.returncode,
                                        "stderr": "".join(err)[-800:]}
                break
            try:
                tag, val = json.loads(line)
            except ValueError:
                continue
            if tag == "start":
                started = val
            else:
                results[val["i"]] = val
                started = None
        left = [i for i in todo if i not in results]
        if len(left) == len(todo):  # the worker did not get through a single case: give up on them
            for i in left:
                results[i] = {"i": i, "kind": "lost", "stderr": "".join(err)[-800:]}
            left = []
        todo = left
    return [dict(results[i], mutation=cases[i][0], file=cases[i][1].name) for i in range(len(cases))]


def failures(results: list[dict]) -> list[dict]:
    bad = []
    for r in results:
        if r["kind"] in ("traceback", "death", "lost", "timeout"):
            bad.append(r)
        elif r["kind"] == "user_error" and not (r["file"] in r["zh"] and r["file"] in r["en"]):
            bad.append(dict(r, kind="unnamed"))
    return bad


@pytest.mark.fuzz
@pytest.mark.slow
def test_mutated_ledgers_never_crash(tmp_path):
    """No traceback, no death, nothing over a minute; every refusal names the file."""
    cases = make_cases(tmp_path, N)
    results = run_cases(cases)
    bad = failures(results)
    summary = {}
    for r in bad:
        summary[r["kind"]] = summary.get(r["kind"], 0) + 1
    detail = "\n".join(f"{r['kind']} {r['file']}: {(r.get('tb') or r.get('stderr') or r.get('en') or '')[-300:]}"
                       for r in bad[:8])
    assert not bad, f"{len(bad)} of {len(cases)} failed {summary}:\n{detail}"
    assert {r["kind"] for r in results} == {"ok", "user_error"}
    assert sum(r["kind"] == "user_error" for r in results) > len(results) // 5  # the mutations do break files
