"""Opening a library whose catalog is out of date without making the user wait.

Parsing and merging a large source (75k arXiv records) takes seconds. Instead
the app opens on a *preview*: the first papers of each source, read from the
head of the file, in a Library backed by an in-memory catalog. Meanwhile a
spawned child parses everything and writes the real catalog; the app then
swaps in the full Library. This module sits above the facade: Library knows
nothing of previews but what its constructor is told.
"""

from __future__ import annotations

from pathlib import Path

from papertui import paths
from papertui.catalog import Catalog, first_papers, library_files, stamp
from papertui.child import ChildError, run_in_child
from papertui.errors import PapertuiError, SourceError
from papertui.ingest import Source
from papertui.library import Library
from papertui.merge import Merger
from papertui.models import Paper
from papertui.state import StateStore


class LoadError(PapertuiError):
    """Loading the library in the child process failed."""


def open_library(seed: Path | None = None) -> Library:
    """The library at once: loaded, when its catalog is current; else a preview.

    A preview is ``pending``; :func:`load_rest` gives the full library.
    """
    return preview(seed) or Library.load(seed)


def _preview_papers(path: str) -> list[Paper]:
    try:
        return first_papers(path)
    except SourceError:
        return []  # the full load reports it


def preview(seed: Path | None = None) -> Library | None:
    """A Library of the first papers of every source, or None when the catalog is current.

    It is ``pending``, and its ``stale`` lists the files to be read again.
    """
    store = StateStore.open(paths.state_db())
    files = library_files(store.source_paths(), seed)
    stamps = [stamp(f) for f in files]
    catalog_path = paths.cache_dir() / "catalog.db"
    known: list = []
    if catalog_path.exists():
        catalog = Catalog(catalog_path)
        known = catalog.fingerprint() or []
        catalog.close()
        if known == stamps:
            store.close()
            return None
    merger = Merger()
    for file in files:
        merger.add_all(_preview_papers(file))
    catalog = Catalog.in_memory((merger.papers[i], merger.keys[i]) for i in merger.order)
    stale = [f for f, s in zip(files, stamps) if s not in known]
    return Library([Source.unread(f) for f in files], store, catalog, pending=True, stale=stale)


def load_rest(shown: Library) -> Library:
    """Read every source of a preview in a child process, then return the full library.

    Its notices carry the ingest report of each source that was read again.
    Blocks for seconds on a large source: call it off the UI's event loop.
    """
    seed = Path(shown.sources[0].path)
    load_in_child(seed)
    return Library.load(seed, report=shown.stale)


def _load(seed: str | None) -> None:
    Library.load(Path(seed) if seed else None).close()


def load_in_child(seed: Path | None = None) -> None:
    """Parse every source and write the catalog in a spawned child; block until done."""
    try:
        run_in_child(_load, str(seed) if seed else None)
    except ChildError as error:
        raise LoadError(f"cannot load the library: {error}") from None
