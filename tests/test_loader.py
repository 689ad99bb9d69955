"""A stale catalog opens on a preview at once; the full library is loaded in a child."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papertui import loader
from papertui.errors import PapertuiError
from papertui.library import Library

FIXTURE = Path(__file__).parent / "fixtures" / "arxiv-20.jsonl"


def big_corpus(folder: Path, count: int) -> Path:
    """A JSON Lines file of ``count`` records, larger than the preview reads whole."""
    records = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    path = folder / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(count):
            record = dict(records[number % len(records)])
            record["id"] = f"2601.{number:05d}"
            record["title"] = f"{record['title']} (copy {number})"
            handle.write(json.dumps(record) + "\n")
    assert path.stat().st_size > loader.WHOLE_FILE
    return path


def test_no_preview_when_the_catalog_is_current(isolated_dirs: Path) -> None:
    Library.load().close()
    assert loader.preview() is None


def test_preview_shows_the_first_papers_then_the_child_loads_everything(isolated_dirs: Path) -> None:
    corpus = big_corpus(isolated_dirs, 3000)
    Library.load().add_sources([str(corpus)])
    (isolated_dirs / "xdg_cache_home" / "papertui" / "catalog.db").unlink()
    shown = loader.preview()
    assert shown is not None and shown.pending
    assert shown.paper(shown.ids[0]).title.startswith("ScaLearn")
    assert 67 < len(shown) < 3067
    assert shown.paper(shown.ids[67]).title.endswith("(copy 0)")
    with pytest.raises(PapertuiError, match="still loading"):
        shown.ensure_index()
    loader.load_in_child()
    assert loader.preview() is None
    full = Library.load()
    assert len(full) == 3067 and not full.pending
