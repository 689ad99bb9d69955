"""The Whoosh full-text index: schema, build in a child process, open, search.

The index is derived data: deleting it loses nothing. It lives in the user
cache dir and carries a fingerprint of the schema version and the sources it
was built from; a mismatch means a rebuild. Marks never go into it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import MultiTerm, Not, Query
from whoosh.searching import Searcher

from papertui.analysis import PLAIN, STEMMED
from papertui.models import Paper

SCHEMA_VERSION = 1
FINGERPRINT_FILE = "papertui-fingerprint.json"
Progress = Callable[[int, int], None]
Doc = tuple[str, str, str, str]  # id, title, abstract, authors

SCHEMA = Schema(
    id=ID(stored=True, unique=True, sortable=True),
    title=TEXT(analyzer=STEMMED, field_boost=3.0),
    abstract=TEXT(analyzer=STEMMED),
    authors=TEXT(analyzer=PLAIN, field_boost=1.5),
    title_plain=TEXT(analyzer=PLAIN, phrase=False),
    abstract_plain=TEXT(analyzer=PLAIN, phrase=False),
)
# Fuzzy and prefix terms are looked up in the unstemmed twin of a stemmed field.
PLAIN_TWIN = {"title": "title_plain", "abstract": "abstract_plain"}
WRITER_OPTIONS = {"procs": 1, "limitmb": 256, "multisegment": False}


def doc_of(paper: Paper) -> Doc:
    """The indexed text of a paper, small enough to send to a child process."""
    return (paper.id, paper.title, paper.abstract, "; ".join(paper.authors))


def _fields(doc: Doc) -> dict[str, str]:
    paper_id, title, abstract, authors = doc
    return {
        "id": paper_id,
        "title": title,
        "abstract": abstract,
        "authors": authors,
        "title_plain": title,
        "abstract_plain": abstract,
    }


def read_fingerprint(directory: Path) -> dict | None:
    """The fingerprint the index was built with, or None when there is none."""
    try:
        return json.loads((directory / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def forget(directory: Path) -> None:
    """Mark the index as out of date, so that it is rebuilt."""
    try:
        (directory / FINGERPRINT_FILE).unlink()
    except FileNotFoundError:
        pass


def _write_fingerprint(directory: Path, fingerprint: dict) -> None:
    temporary = directory / (FINGERPRINT_FILE + ".tmp")
    temporary.write_text(json.dumps(fingerprint), encoding="utf-8")
    os.replace(temporary, directory / FINGERPRINT_FILE)


def build(
    directory: Path,
    docs: Sequence[Doc],
    fingerprint: dict,
    progress: Progress | None = None,
    writer_options: dict | None = None,
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
    writer = ix.writer(**(writer_options or WRITER_OPTIONS))
    total = len(docs)
    step = max(1, min(500, total // 100))
    try:
        for done, doc in enumerate(docs, start=1):
            writer.add_document(**_fields(doc))
            if progress and done % step == 0:
                progress(done, total)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    _write_fingerprint(staging, fingerprint)
    if progress:
        progress(total, total)
    old = directory.with_name(f"{directory.name}.old-{os.getpid()}")
    if directory.exists():
        os.replace(directory, old)
    os.replace(staging, directory)
    shutil.rmtree(old, ignore_errors=True)


def update(
    directory: Path,
    add: Sequence[Doc],
    keep: Sequence[str],
    fingerprint: dict,
    progress: Progress | None = None,
) -> None:
    """Add or replace ``add`` and delete every paper not in ``keep``, without rebuilding."""
    ix = whoosh_index.open_dir(str(directory))
    writer = ix.writer(timeout=30.0)
    try:
        wanted = set(keep)
        with ix.searcher() as searcher:
            ids = searcher.reader().column_reader("id")
            stale = [ids[n] for n in range(searcher.reader().doc_count_all()) if ids[n] not in wanted]
        for paper_id in stale:
            writer.delete_by_term("id", paper_id)
        for done, doc in enumerate(add, start=1):
            writer.update_document(**_fields(doc))
            if progress and done % 100 == 0:
                progress(done, len(add))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    _write_fingerprint(directory, fingerprint)
    if progress:
        progress(len(add), len(add))


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


class PaperIndex:
    """An open index with one long-lived searcher."""

    def __init__(self, directory: Path) -> None:
        self._ix = whoosh_index.open_dir(str(directory))
        self._searcher: Searcher = self._ix.searcher()
        self._ids = self._searcher.reader().column_reader("id")

    @property
    def searcher(self) -> Searcher:
        """The searcher, for query expansion and similarity."""
        return self._searcher

    def doc_count(self) -> int:
        """How many papers are indexed."""
        return self._searcher.doc_count()

    def ranked_ids(self, query: Query) -> list[str]:
        """Every matching id, best first."""
        results = self._searcher.search(query, limit=None)
        ids = self._ids
        return [ids[docnum] for _, docnum in results.top_n]

    def matched_terms(self, query: Query) -> set[tuple[str, str]]:
        """(field, term) pairs that the query looks for, prefixes and fuzzy terms
        expanded, for highlighting. Terms under NOT are left out."""
        reader = self._searcher.reader()
        found: set[tuple[str, str]] = set()

        def walk(node: Query) -> None:
            if isinstance(node, Not):
                return
            if isinstance(node, MultiTerm):
                found.update(
                    (field, _text(term)) for field, term in node.expanded_terms(reader)
                )
            elif node.is_leaf():
                found.update((field, _text(term)) for field, term in node.iter_all_terms())
            else:
                for child in node.children():
                    walk(child)

        walk(query)
        return found

    def docnum(self, paper_id: str) -> int | None:
        """The document number of an id, None when it is not indexed."""
        return self._searcher.document_number(id=paper_id)

    def similar(self, paper_id: str, abstract: str, count: int) -> list[str]:
        """Ids of the papers whose abstracts are most like ``abstract`` (this paper's)."""
        docnum = self.docnum(paper_id)
        if docnum is None or not abstract.strip():
            return []
        hits = self._searcher.more_like(docnum, "abstract", text=abstract, top=count)
        return [self._ids[hit.docnum] for hit in hits]

    def close(self) -> None:
        """Release the searcher and the index."""
        self._searcher.close()
        self._ix.close()
