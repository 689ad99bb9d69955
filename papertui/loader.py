"""Opening a library whose catalog is out of date without making the user wait.

Parsing and merging a large source (75k arXiv records) takes seconds. Instead
the app opens on a *preview*: the first papers of each source, read from the
head of the file, in a Library backed by an in-memory catalog. Meanwhile a
spawned child parses everything and writes the real catalog; the app then
swaps in the full Library.
"""

from __future__ import annotations

import gzip
import lzma
import multiprocessing
import os
from multiprocessing.connection import Connection
from pathlib import Path

from papertui import paths
from papertui.catalog import Catalog, library_files, read_cached, stamp
from papertui.errors import PapertuiError, SourceError
from papertui.merge import Merger
from papertui.models import Paper
from papertui.sources import decode
from papertui.state import StateStore

# Files up to this size are parsed whole for the preview; larger ones by their head.
WHOLE_FILE = 2 << 20
HEAD_BYTES = 256 << 10


class LoadError(PapertuiError):
    """Loading the library in the child process failed."""


def _head(path: str) -> list[Paper]:
    """The first papers of a large file, from its head cut at the last full line.

    SourceError when the file cannot be read or its head is in no known format.
    """
    opener = lzma.open if path.endswith(".xz") else gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            data = handle.read(HEAD_BYTES)
    except (OSError, EOFError, lzma.LZMAError) as error:
        raise SourceError(path, f"cannot read: {getattr(error, 'strerror', None) or error}") from None
    data = data[: data.rfind(b"\n") + 1] or data
    from papertui.sources import _parsers
    from papertui.sources.detect import detect

    text = decode(data, path)
    return _parsers()[detect(text, path)].parse(text, path).papers


def first_papers(path: str) -> list[Paper]:
    """The papers of a small file, or the first papers of a large one; SourceError if none."""
    try:  # a directory is small too, and read_source says what it is
        small = os.path.getsize(path) <= WHOLE_FILE
    except OSError:
        raise SourceError(path, "no such file") from None
    if small:
        return read_cached(path, paths.cache_dir() / "parsed").papers
    return _head(path)


def _preview_papers(path: str) -> list[Paper]:
    try:
        return first_papers(path)
    except SourceError:
        return []  # the full load reports it


def preview(seed: Path | None = None):
    """A Library of the first papers of every source, or None when the catalog is current.

    Its ``pending`` is True and its ``stale`` lists the files to be read again:
    call :func:`load_in_child`, then ``Library.load()``.
    """
    from papertui.library import Library, Source

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
    sources = [Source(os.path.basename(f), f) for f in files]
    library = Library(sources, store, catalog)
    library.pending = True
    library.stale = [f for f, s in zip(files, stamps) if s not in known]
    return library


def _child(seed: str | None, conn: Connection) -> None:
    from papertui.library import Library

    try:
        Library.load(Path(seed) if seed else None).close()
        conn.send(("done", ""))
    except BaseException as error:  # reported to the parent as one line
        conn.send(("error", str(error) if isinstance(error, PapertuiError)
                   else f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def load_in_child(seed: Path | None = None) -> None:
    """Parse every source and write the catalog in a spawned child; block until done."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(str(seed) if seed else None, send), daemon=True)
    child.start()
    send.close()
    try:
        outcome = receive.recv()
    except EOFError:
        outcome = ("error", "the loader exited early")
    finally:
        child.join()
        receive.close()
    if outcome[0] == "error":
        raise LoadError(f"cannot load the library: {outcome[1]}")
