"""write_atomic: the whole new file or the untouched old one, never half, never a stray temp."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from papertui.errors import ExportError, PapertuiError
from papertui.export import atomic, write_atomic

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def folder(tmp_path):
    """An empty folder of the test's own, so listing it shows any stray temp file."""
    path = tmp_path / "exports"
    path.mkdir()
    return path


def test_writes_utf8_text_byte_for_byte(folder):
    target = folder / "list.csv"
    write_atomic(target, "id,title\r\n1,PanGu-α\r\n")
    assert target.read_bytes() == "id,title\r\n1,PanGu-α\r\n".encode()
    assert os.listdir(folder) == ["list.csv"]


def test_replaces_an_existing_file_and_keeps_its_permissions(folder):
    target = folder / "list.md"
    target.write_text("old")
    target.chmod(0o600)
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_new_file_gets_the_usual_permissions(folder):
    umask = os.umask(0o022)
    try:
        write_atomic(folder / "list.md", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((folder / "list.md").stat().st_mode) == 0o644


def test_accepts_a_string_path(folder):
    write_atomic(str(folder / "list.md"), "x")
    assert (folder / "list.md").read_text() == "x"


def test_missing_folder_is_an_export_error_naming_the_path(folder):
    target = folder / "no" / "such" / "list.md"
    with pytest.raises(ExportError) as caught:
        write_atomic(target, "x")
    assert str(caught.value) == f"{target}: cannot write: the folder does not exist"
    assert isinstance(caught.value, PapertuiError)
    assert caught.value.path == str(target)


def test_a_folder_in_the_way_is_an_export_error(folder):
    (folder / "list.md").mkdir()
    with pytest.raises(ExportError, match="it is a folder"):
        write_atomic(folder / "list.md", "x")
    assert os.listdir(folder) == ["list.md"]


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root may write into a read-only folder")
def test_unwritable_folder_is_an_export_error(folder):
    (folder / "list.md").write_text("old")
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            write_atomic(folder / "list.md", "new")
        assert os.listdir(folder) == ["list.md"]
        assert (folder / "list.md").read_text() == "old"
    finally:
        folder.chmod(0o700)


def test_permission_denied_is_an_export_error_even_for_root(folder, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.os, "open", refuse)
    with pytest.raises(ExportError, match=r"list\.md: cannot write: permission denied$"):
        write_atomic(folder / "list.md", "x")
    assert os.listdir(folder) == []


def fill_the_disk_after(monkeypatch, allowed: int) -> None:
    """Let ``allowed`` bytes through os.write, then fail as a full disk does."""
    real_write = os.write
    budget = [allowed]

    def write(fd, data):
        if budget[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        written = real_write(fd, bytes(data[: budget[0]]))
        budget[0] -= written
        return written

    monkeypatch.setattr(atomic.os, "write", write)


def test_full_disk_leaves_the_old_file_and_no_temp_file(folder, monkeypatch):
    target = folder / "list.bib"
    target.write_text("old contents")
    fill_the_disk_after(monkeypatch, allowed=10)
    with pytest.raises(ExportError, match=r"list\.bib: cannot write: the disk is full$"):
        write_atomic(target, "new contents " * 1000)
    assert target.read_text() == "old contents"
    assert os.listdir(folder) == ["list.bib"]


def test_short_writes_are_completed(folder, monkeypatch):
    real_write = os.write
    monkeypatch.setattr(atomic.os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    write_atomic(folder / "list.json", "[\n" + '  "x",\n' * 100 + "]\n")
    assert (folder / "list.json").read_text() == "[\n" + '  "x",\n' * 100 + "]\n"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failure_at_the_last_step_leaves_the_old_file_and_no_temp_file(
    folder, monkeypatch, failing
):
    target = folder / "list.ris"
    target.write_text("old")

    def fail(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, failing, fail)
    with pytest.raises(ExportError, match="Input/output error"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(folder) == ["list.ris"]


def test_an_interrupt_mid_write_leaves_no_temp_file(folder, monkeypatch):
    def interrupt(fd, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "write", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(folder / "list.md", "x")
    assert os.listdir(folder) == []


def test_text_that_is_not_unicode_is_refused_before_touching_the_disk(folder):
    with pytest.raises(ExportError, match="not valid Unicode"):
        write_atomic(folder / "list.md", "bad \udc80 surrogate")
    assert os.listdir(folder) == []
