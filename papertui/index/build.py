"""Writing the index: a fresh build swapped in whole, or an update in place.

Both run in a child process (see ``builder``), record the checksums of the
files written (``checksums``) and write the fingerprint last, so that an index
is current only once it is complete.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from whoosh import index as whoosh_index

from papertui.child import Progress
from papertui.index import checksums
from papertui.index.bulk import BulkWriter
from papertui.index.fingerprint import write_fingerprint
from papertui.index.schema import SCHEMA, Doc, fields_of
from papertui.index.spelling import save_words, update_words
from papertui.index.storage import MappedStorage

# The fastest one-segment build measured (docs/performance.md): the fields shared
# out between two processes.
WORKERS = 2
# An update writes its papers in a segment of their own (fast) while the index has
# fewer segments than this; each segment costs every search a little.
MOST_SEGMENTS = 8


def build(
    directory: Path, docs: Sequence[Doc], fingerprint: dict, progress: Progress | None = None
) -> None:
    """Build a fresh one-segment index beside ``directory``, then swap it in.

    A build that dies half-way leaves only a ``.building`` folder behind, never
    a half-built index under the real name.
    """
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(f"{directory.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    ix = whoosh_index.create_in(str(staging), SCHEMA)
    writer = BulkWriter(ix, workers=WORKERS, progress=progress)
    try:
        for doc in docs:
            writer.add_document(**fields_of(doc))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    ix = _opened(staging)
    save_words(ix, staging)
    ix.close()
    checksums.record(staging)
    write_fingerprint(staging, fingerprint)
    if progress:
        progress(0, 1, "swapping")
    old = directory.with_name(f"{directory.name}.old-{os.getpid()}")
    if directory.exists():
        os.replace(directory, old)
    os.replace(staging, directory)
    shutil.rmtree(old, ignore_errors=True)
    if progress:
        progress(1, 1, "swapping")


def update(
    directory: Path,
    add: Sequence[Doc],
    keep: Sequence[str],
    fingerprint: dict,
    progress: Progress | None = None,
) -> None:
    """Add or replace ``add`` and delete every paper not in ``keep``, without rebuilding.

    The papers go into a new segment, written as ``build`` writes one, until the
    index has MOST_SEGMENTS; then Whoosh's own writer adds them and merges the
    small segments, several times slower a paper: the caller updates only when
    few papers change (see papertui.index_keeper).
    """
    ix = _opened(directory)
    if len(ix._segments()) < MOST_SEGMENTS:  # the papers go in a new segment of their own
        writer = BulkWriter(ix, beside=True, timeout=30.0)
    else:  # Whoosh's writer merges the small segments as it adds, slower
        writer = ix.writer(timeout=30.0)
    try:
        wanted, held = set(keep), _ids_in(ix)
        stale = [paper_id for paper_id in held if paper_id not in wanted]
        for done, paper_id in enumerate(stale, start=1):
            writer.delete_by_term("id", paper_id)
            if progress and done % 100 == 0:
                progress(done, len(stale), "removing")
        held_ids = set(held)
        for done, doc in enumerate(add, start=1):
            if doc[0] in held_ids:  # a paper whose text changed
                writer.update_document(**fields_of(doc))
            else:  # update_document would search the index for it first
                writer.add_document(**fields_of(doc))
            if progress and (done % 100 == 0 or done == len(add)):
                progress(done, len(add), "indexing")
    except BaseException:
        writer.cancel()
        raise
    if progress:
        progress(0, 1, "writing")
    writer.commit()
    update_words(ix, directory, add)
    ix.close()
    checksums.record(directory)
    write_fingerprint(directory, fingerprint)
    if progress:
        progress(1, 1, "writing")


def indexed_ids(directory: Path) -> set[str]:
    """The ids of the papers in the index in ``directory`` (deleted ones left out)."""
    ix = _opened(directory)
    try:
        return set(_ids_in(ix))
    finally:
        ix.close()


def _opened(directory: Path):
    """The index in ``directory``, read in place: Whoosh's own storage copies the whole
    segment into memory (about 450 MB at 74k papers, beside the build's own)."""
    return MappedStorage(str(directory)).open_index()


def _ids_in(ix) -> list[str]:
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = reader.column_reader("id")
        return [ids[n] for n in reader.all_doc_ids()]
