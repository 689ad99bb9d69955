"""An index build that hits a full disk is one line, and the library goes on working.

The cache dir sits on a small tmpfs: the catalog fits, then a filler file takes every
block left, so the build child gets the kernel's own ENOSPC. Marks live in the data
dir, on another disk, and must still save; papers must still list and filter.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from papertui import paths
from papertui.errors import PapertuiError
from papertui.library import Library
from papertui.models import Mark

FIRST = "scalearn-simple-and-highly-parameter-efficient-task-transfer-by-learning-to-scale"
SECOND = "privacy-preserving-prompt-engineering-a-survey"
DISK_FULL = "index build failed: OSError: [Errno 28] No space left on device"


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "papertui", *args], capture_output=True, text=True, timeout=120
    )


def fill(folder: Path) -> None:
    """Write a file until the disk holding ``folder`` says ENOSPC."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError as error:
        assert error.errno == 28, error
    finally:
        os.close(fd)
    assert os.statvfs(folder).f_bavail == 0


@pytest.fixture
def full_cache_disk(isolated_dirs: Path) -> Iterator[Path]:
    """XDG_CACHE_HOME on a 4 MB tmpfs (room for the index): the catalog, then full."""
    cache = Path(os.environ["XDG_CACHE_HOME"])
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(cache)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.strip()}")
    try:
        Library.load().close()  # the catalog is written while there is room
        fill(cache)
        yield cache
    finally:
        subprocess.run(["umount", "-l", str(cache)], check=True)


def test_the_facade_says_one_line_and_the_library_goes_on(full_cache_disk: Path) -> None:
    library = Library.load()
    try:
        with pytest.raises(PapertuiError) as caught:
            library.ensure_index()
        assert str(caught.value) == DISK_FULL
        assert not library.index_ready

        assert len(library.ids) == 67
        assert library.ids[:2] == [FIRST, SECOND]
        assert library.paper(SECOND).title == "Privacy Preserving Prompt Engineering: A Survey"
        assert len(library.search("is:unread").ids) == 67

        library.set_marks({FIRST: Mark(read=True), SECOND: Mark(starred=True)})
        assert library.search("is:read").ids == [FIRST]
        assert library.counts() == (67, 1, 1)
    finally:
        library.close()
    again = Library.load()
    assert again.mark(FIRST) == Mark(read=True)
    assert again.mark(SECOND) == Mark(starred=True)

    # Room again: the next build succeeds, and the failed build's folder is gone.
    (full_cache_disk / "filler").unlink()
    assert again.ensure_index() is True
    assert again.search("prompt engineering survey").ids[0] == SECOND
    again.close()
    assert [p.name for p in paths.index_dir().parent.glob("index.*")] == ["index.lock"]


def test_the_cli_says_one_line_and_the_other_commands_go_on(full_cache_disk: Path) -> None:
    built = papertui("index")
    assert built.returncode == 1
    assert built.stdout == ""
    assert built.stderr.splitlines() == [f"papertui: {DISK_FULL}"]

    marked = papertui("mark", FIRST, "--read")
    assert marked.returncode == 0, marked.stderr
    assert marked.stdout.split() == ["r", FIRST]

    info = papertui("info")
    assert info.returncode == 0, info.stderr
    assert "papers   67" in info.stdout and "read     1" in info.stdout

    searched = papertui("search", "survey")
    assert searched.returncode == 1
    assert searched.stderr.splitlines() == [f"papertui: {DISK_FULL}"]
