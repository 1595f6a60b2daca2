"""Opening a large workspace checks its structure without the blob store (the evidence and ledger files); a
stored file that is damaged is found when it is read, named as damage, and never used or exported.

``FULL_CHECK_BYTES`` is set to 0 here so that the small demo counts as large.
"""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from greendesk.core import workspace as wsmod
from greendesk.core.errors import UserError, WorkspaceError
from greendesk.core.workspace import Workspace

MARK = b"GREENDESK-TEST-EVIDENCE-"


@pytest.fixture
def with_evidence(demo_path, tmp_path):
    """The demo with one 300 kB evidence file; (path, its SHA-256, where its bytes start in the file)."""
    path = tmp_path / "ev.greendesk"
    shutil.copy(demo_path, path)
    body = MARK + os.urandom(300_000)
    with Workspace.open(path) as ws:
        row = ws.add_evidence(ws.assessment()["id"], body, name="排污许可证.pdf", mime="application/pdf")
    data = path.read_bytes()  # (closing checkpointed the WAL into the file)
    at = data.find(MARK)
    assert at > 0
    return path, row["sha256"], at


def _patch(path, offset: int, new: bytes) -> None:
    data = bytearray(path.read_bytes())
    data[offset:offset + len(new)] = new
    path.write_bytes(bytes(data))


def test_a_large_workspace_opens_without_reading_its_files(with_evidence, monkeypatch):
    path, sha, at = with_evidence
    _patch(path, at + 150_000, b"\x00" * 64)   # the file's content, not the database's structure
    monkeypatch.setattr(wsmod, "FULL_CHECK_BYTES", 0)
    with Workspace.open(path, readonly=True) as ws:
        assert ws.assessment()["id"]
        with pytest.raises(WorkspaceError, match="is damaged .*no longer matches its recorded SHA-256") as e:
            ws.blob(sha)
        assert "已损坏" in e.value.zh and sha[:12] in e.value.en


def test_the_export_refuses_a_damaged_file_by_its_name(with_evidence, tmp_path):
    from greendesk.core.package.export import export_package

    path, _sha, at = with_evidence
    _patch(path, at + 150_000, b"\x00" * 64)
    out = tmp_path / "申报包.pdf"
    with pytest.raises(UserError, match="Evidence 排污许可证.pdf does not match its recorded SHA-256"):
        export_package(path, out, lang="zh", generate_cert=True)
    assert not out.exists()


def test_a_broken_page_chain_of_a_file(with_evidence, monkeypatch):
    path, sha, at = with_evidence
    page = (at + 150_000) // 4096 * 4096       # an overflow page of the file: its first 4 bytes lead to the next
    _patch(path, page, b"\x7f\xff\xff\xff")
    with pytest.raises(WorkspaceError, match="is damaged"):
        Workspace.open(path, readonly=True)    # small: the whole file is checked, the file's pages too
    monkeypatch.setattr(wsmod, "FULL_CHECK_BYTES", 0)
    with Workspace.open(path, readonly=True) as ws:   # large: found when the file is read
        with pytest.raises(WorkspaceError, match="is damaged"):
            ws.blob(sha)
        assert ws.answers(ws.assessment()["id"])      # everything else still reads


def test_damage_outside_the_files_is_still_refused_at_open(demo_path, tmp_path, monkeypatch):
    monkeypatch.setattr(wsmod, "FULL_CHECK_BYTES", 0)
    bad = tmp_path / "bad.greendesk"
    data = bytearray(demo_path.read_bytes())
    for i in range(4096 + 200, len(data), 4096):  # scribble over every page but the header
        data[i:i + 64] = b"\xff" * 64
    bad.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError, match="is damaged"):
        Workspace.open(bad, readonly=True)


def test_a_missing_file_is_still_missing(demo_path, tmp_path):
    path = tmp_path / "m.greendesk"
    shutil.copy(demo_path, path)
    with Workspace.open(path, readonly=True) as ws:
        with pytest.raises(UserError, match="is missing"):
            ws.blob("0" * 64)


def test_the_export_checks_the_files_beside_the_rendering_and_leaves_no_thread(with_evidence, tmp_path):
    """The files are hashed in a thread while the report is rendered; the refusal comes before anything is
    written and names the first damaged file; no checking thread outlives the export (also when the export
    stops earlier, e.g. cancelled)."""
    import threading

    from greendesk.core.errors import Cancelled
    from greendesk.core.package.export import BlobCheck, export_package

    check = BlobCheck([(b"x" * 5000, hashlib.sha256(b"x" * 5000).hexdigest(), "甲", "first"),
                       (b"y" * 5000, "0" * 64, "乙", "second"), (b"z" * 5000, "1" * 64, "丙", "third")])
    with pytest.raises(UserError, match="^second does not match"):
        check.result()
    assert not check._thread.is_alive()  # it ends once the files are hashed
    BlobCheck([(b"x" * 5000, hashlib.sha256(b"x" * 5000).hexdigest(), "甲", "first")]).result()  # sound: no error

    path, _sha, _at = with_evidence
    with pytest.raises(Cancelled):
        export_package(path, tmp_path / "x.pdf", lang="en", generate_cert=True, cancel=lambda: True)
    assert not [t for t in threading.enumerate() if t.name == "greendesk-blob-check"]
    out = tmp_path / "ok.pdf"
    assert export_package(path, out, lang="en", generate_cert=True)["files"] >= 2 and out.exists()
    assert not [t for t in threading.enumerate() if t.name == "greendesk-blob-check"]
