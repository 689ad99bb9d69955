"""Every file in the cache dir is derived data: one that cannot be read is rebuilt,
with one notice line and exit status 0, never a traceback."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from papertui import paths
from papertui.library import Library


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "papertui", *args], capture_output=True, text=True, timeout=120
    )


def scribble(file: Path) -> None:
    """Overwrite ``file`` with 100 random bytes (the same ones each run)."""
    file.write_bytes(random.Random(file.name).randbytes(100))


def index_files(pattern: str) -> list[Path]:
    return sorted(paths.index_dir().glob(pattern))


def parsed_without_catalog() -> list[Path]:
    # A current catalog never reads the parsed copies: without one, they are read.
    (paths.cache_dir() / "catalog.db").unlink()
    return sorted((paths.cache_dir() / "parsed").glob("*.pickle"))


DAMAGED: dict[str, Callable[[], list[Path]]] = {
    "index segment": lambda: index_files("*.seg"),
    "index table of contents": lambda: index_files("*.toc"),
    "index fingerprint": lambda: index_files("papertui-fingerprint.json"),
    "catalog.db": lambda: [paths.cache_dir() / "catalog.db"],
    "parsed copies of the sources": parsed_without_catalog,
    "every cache file at once": lambda: sorted(
        f for f in paths.cache_dir().rglob("*") if f.is_file()),
}


def search_scaling() -> tuple[list[str], list[str]]:
    """The titles ``papertui search scaling`` finds, and the lines it wrote to stderr."""
    out = papertui("search", "scaling", "--json")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return [hit["title"] for hit in json.loads(out.stdout)], out.stderr.splitlines()


@pytest.mark.parametrize("kind", DAMAGED)
def test_an_unreadable_cache_file_is_rebuilt_with_one_notice(
    seed_library: Library, kind: str
) -> None:
    seed_library.close()
    before, quiet = search_scaling()
    assert any(title.startswith("CMR Scaling Law: Predicting") for title in before)
    assert quiet == []
    files = DAMAGED[kind]()
    assert files
    for file in files:
        scribble(file)
    after, said = search_scaling()
    assert after == before
    assert len(said) == 1, said
    assert said[0].startswith("papertui: ")
    assert search_scaling() == (before, [])  # rebuilt for good
