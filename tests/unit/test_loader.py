"""A stale catalog opens on a preview at once; the full library is loaded in a child."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papertui import loader
from papertui.errors import PapertuiError
from papertui.library import Library

from corpora import big_corpus



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
