"""A stale catalog opens on a preview at once; the full library is loaded in a child."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from papertui import opening, paths
from papertui.errors import PapertuiError, SourceError
from papertui.library import Library
from papertui.sources.head import read_head

from corpora import big_corpus



def test_no_preview_when_the_catalog_is_current(isolated_dirs: Path) -> None:
    Library.load().close()
    assert opening.preview() is None


def test_preview_shows_the_first_papers_then_the_child_loads_everything(isolated_dirs: Path) -> None:
    corpus = big_corpus(isolated_dirs, 3000)
    Library.load().add_sources([str(corpus)])
    (isolated_dirs / "xdg_cache_home" / "papertui" / "catalog.db").unlink()
    shown = opening.preview()
    assert shown is not None and shown.pending
    assert shown.paper(shown.ids[0]).title.startswith("ScaLearn")
    assert 67 < len(shown) < 3067
    assert shown.paper(shown.ids[67]).title.endswith("(copy 0)")
    with pytest.raises(PapertuiError, match="still loading"):
        shown.ensure_index()
    opening.load_in_child()
    assert opening.preview() is None
    full = Library.load()
    assert len(full) == 3067 and not full.pending


def test_the_head_of_a_compressed_file_gives_its_first_whole_records(tmp_path: Path) -> None:
    lines = (Path(__file__).parent.parent / "fixtures" / "arxiv-20.jsonl").read_bytes()
    path = tmp_path / "records.jsonl.gz"
    path.write_bytes(gzip.compress(lines))
    second_line_ends = lines.index(b"\n", lines.index(b"\n") + 1) + 1
    first = read_head(str(path), size=second_line_ends + 100)  # the third record cut short
    assert [paper.id for paper in first] == ["2503.11731", "2503.11742"]


def test_a_head_cut_inside_a_line_drops_that_line(tmp_path: Path) -> None:
    page = paths.seed_file().read_bytes()
    path = tmp_path / "page.txt.gz"
    path.write_bytes(gzip.compress(page))
    cut = page.index(b"Multi-task learning (MTL)") + 40  # inside ScaLearn's abstract
    [only] = read_head(str(path), size=cut)
    assert only.title.startswith("ScaLearn") and "Multi-task" not in only.abstract


def test_the_head_of_a_damaged_file_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl.xz"
    path.write_bytes(b"not xz at all")
    with pytest.raises(SourceError, match=r"records.jsonl.xz: cannot read"):
        read_head(str(path))
