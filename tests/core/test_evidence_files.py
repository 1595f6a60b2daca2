"""Evidence opened from the app: written to a private folder under a cleaned name that cannot leave it."""

from __future__ import annotations

import hashlib
import os
import stat
import sys

import pytest

from greendesk.core import evidence_files as ef
from greendesk.core.errors import UserError

HOSTILE = [
    "../../x", "../../../../../../tmp/escaped.txt", "/etc/passwd", "C:\\x", "C:\\Windows\\evil.dll",
    "..", ".", "...", "", "a\x00b.pdf", "\x00", "x" * 300, "名" * 300 + ".pdf", "a/../../b", "..\\..\\y.txt",
    "CON", "con.txt", "NUL.pdf", "LPT1", "com9.log", "aux.tar.gz", "report.pdf. . .", "tab\there\n.pdf",
    "\u202eevil.pdf", "a" * 250 + "." + "e" * 40, "//server/share/z.pdf", "~/.bashrc", "x:y|z?*.pdf",
]


@pytest.fixture
def private(tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ef, "_folder", None)
    return tmp_path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name", HOSTILE)
def test_no_stored_name_leaves_the_private_folder(private, name):
    data = b"content of " + name.encode("utf-8", "replace")
    path = ef.file_for_opening(name, _sha(data), data)
    folder = ef.private_folder()
    assert path.resolve().parent.parent == folder.resolve()
    assert path.read_bytes() == data
    assert len(path.name.encode("utf-8")) <= ef.MAX_NAME_BYTES
    assert not any(ch in path.name for ch in '<>:"/\\|?*\x00\t\n\u202e')
    assert path.name not in ("", ".", "..")
    stem = path.name.split(".")[0].upper()
    assert stem not in {"CON", "NUL", "LPT1", "COM9", "AUX", "PRN"}
    # nothing was written anywhere else under the test folder
    written = [p for p in private.rglob("*") if p.is_file()]
    assert written == [path]


def test_names_are_kept_readable_with_their_extension():
    assert ef.safe_name("能源审计报告.pdf") == "能源审计报告.pdf"
    assert ef.safe_name("../../x.xlsx") == "x.xlsx"
    assert ef.safe_name("C:\\data\\证书.jpg") == "证书.jpg"
    assert ef.safe_name("con.txt") == "_con.txt"
    long = ef.safe_name("名" * 300 + ".pdf")
    assert long.endswith(".pdf") and len(long.encode()) <= ef.MAX_NAME_BYTES
    assert ef.safe_name("..", "ab" * 32) == "evidence-" + "ab" * 6


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_folder_is_private_and_file_is_not_shared(private):
    data = b"x"
    path = ef.file_for_opening("a.pdf", _sha(data), data)
    folder = ef.private_folder()
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0
    assert folder.parent == private / "cache"
    assert folder.name.startswith("evidence-") and len(folder.name) > len("evidence-") + 4  # mkdtemp, not predictable


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_a_cache_folder_others_can_write_is_not_used(private, monkeypatch):
    shared = private / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(shared))
    folder = ef.private_folder()
    assert shared not in folder.parents
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


@pytest.mark.parametrize("sha", ["../../etc", "0" * 63, "G" * 64, "", None])
def test_a_crafted_hash_is_refused(private, sha):
    with pytest.raises(UserError):
        ef.file_for_opening("a.pdf", sha, b"x")


def test_a_planted_link_is_not_followed(private, tmp_path):
    data = b"evidence"
    sha = _sha(data)
    folder = ef.private_folder() / sha[:16]
    folder.mkdir(mode=0o700)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    (folder / "a.pdf").symlink_to(outside)
    with pytest.raises(OSError):
        ef.file_for_opening("a.pdf", sha, data)
    assert outside.read_text() == "keep"


def test_second_open_reuses_the_file_and_reads_content_once(private):
    data = b"pdf bytes"
    calls = []

    def read():
        calls.append(1)
        return data

    a = ef.file_for_opening("a.pdf", _sha(data), read=read)
    b = ef.file_for_opening("a.pdf", _sha(data), read=read)
    assert a == b and a.read_bytes() == data and calls == [1]
