"""Searching an open index: ranked ids, the terms to highlight, similar papers.

Whoosh objects stay in here: callers pass a parsed query (built by
``papertui.query``) or plain values and get back ids, counts and term sets.
"""

from __future__ import annotations

import contextlib
import threading
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path

from whoosh.query import MultiTerm, Not, Or, Query, Term
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher
from whoosh.writing import NO_MERGE
from whoosh.util.numeric import byte_to_length

from papertui.index.foryou import Corpus, ForYou, Text, build, explain
from papertui.index import checksums, ranking
from papertui.index.bulk import BulkWriter
from papertui.index.merging import SMALL_SEGMENTS, Merger, small_segments
from papertui.index.spelling import WORDS_FILE, HasHits, Unknown, Vocabulary, is_known, words
from papertui.index.spelling import correct as correct_words
from papertui.index.spelling import unknown_words as unknown_in
from papertui.index.storage import MappedStorage
from papertui.index.vectors import Ranker, length_bytes

MATCHING_CACHE = 64
_LENGTHS = [None] + [byte_to_length(code) for code in range(1, 256)]


EXPANSIONS = 512  # prefix and fuzzy terms whose expansion is kept


def _expand_once(query: Query, reader, cache: dict[tuple, list]) -> None:
    """Expand each prefix and fuzzy term of ``query`` once, for searching and highlighting.

    Whoosh expands a MultiTerm every time it is asked (a fuzzy term costs tens of
    ms at 74k papers); the expansion is kept on the query object, and in
    ``cache`` for the next query that has the same term (each keystroke parses anew).
    """
    for node in query.leaves():
        if isinstance(node, MultiTerm) and "_btexts" not in vars(node):
            key = (type(node), node.fieldname, node.text, getattr(node, "maxdist", None),
                   getattr(node, "prefixlength", None))
            expanded = cache.get(key)
            if expanded is None:
                if len(cache) >= EXPANSIONS:
                    cache.clear()
                expanded = cache[key] = list(node._btexts(reader))
            node._btexts = lambda _reader, expanded=expanded: iter(expanded)


def _serve_lengths_from_memory(searcher: Searcher) -> None:
    """Answer the searcher's field-length lookups from bytes read once.

    BM25 asks for a document's field length for every posting it scores, and
    Whoosh reads each from the column file; a table per field (one byte a
    document) makes ranking a broad query much cheaper. Same answers: the
    length byte decoded, None for a zero byte, ``default`` without a column.
    """
    reader = searcher.reader()
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not isinstance(reader, SegmentReader):
        return  # several segments: leave Whoosh's own lookups
    tables = {name: table for name in reader.schema.names()
              if (table := length_bytes(reader, name)) is not None}
    fallback = reader.doc_field_length

    def doc_field_length(docnum: int, fieldname: str, default=0):
        table = tables.get(fieldname)
        if table is None:
            return fallback(docnum, fieldname, default)
        code = table[docnum]
        return _LENGTHS[code] if code else None

    # The searcher copied the reader's bound method when it was made: replace both.
    reader.doc_field_length = searcher.doc_field_length = doc_field_length


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


class PaperIndex:
    """An open index with one long-lived searcher, safe to use from any thread.

    The searcher reads through one memory map with one file position, so its
    use is serialised here: callers need no lock of their own.
    """

    def __init__(self, directory: Path) -> None:
        self._ix = MappedStorage(str(directory)).open_index()
        self._searcher: Searcher = self._ix.searcher()
        self._ids = self._searcher.reader().column_reader("id")
        self._lock = threading.RLock()  # re-entered by spelling's searches for hits
        self._directory = directory
        self._expansions: dict[tuple, list] = {}
        self._vocabulary: Vocabulary | None = None  # read on the first unknown word
        self._corpus: Corpus | None = None  # the for-you model's view, made on first use
        self._matching: dict[Query, frozenset[str]] = {}
        self._merger = Merger()  # of the segments that note edits add
        self._pending: dict[str, dict[str, str]] = {}  # note edits made while it merges
        self._closed = False
        _serve_lengths_from_memory(self._searcher)
        self._ranker = Ranker(self._searcher)

    def doc_count(self) -> int:
        """How many papers are indexed."""
        with self._lock:
            return self._searcher.doc_count()

    def hits(self, query: Query, limit: int | None = None,
             cancelled: ranking.Cancelled | None = None) -> tuple[list[tuple[str, float]], bool]:
        """The ``limit`` best hits as (id, BM25F score), best first (every hit for
        None), and whether they are every hit. SearchCancelled once ``cancelled()``."""
        with self._lock:
            self._expand(query)
            ranked = self._ranker.hits(query, limit, cancelled)
            if ranked is not None:
                found, every = ranked
            elif limit is None:
                found, every = ranking.collect(self._searcher, query, None, cancelled), True
            else:
                found, every = ranking.top(self._searcher, query, limit, cancelled)
            ids = self._ids
            return [(ids[docnum], score) for score, docnum in found], every

    def _expand(self, query: Query) -> None:
        _expand_once(query, self._searcher.reader(), self._expansions)

    def unknown_words(self, text: str) -> list[Unknown]:
        """The words of a query no paper has, each with its best suggestion."""
        with self._lock:
            reader = self._searcher.reader()
            if all(is_known(reader, word) for word in words(text)):
                return []  # the common case: no vocabulary to read
            return unknown_in(reader, self._words(), text)

    def correct(self, text: str, has_hits: HasHits | None = None) -> str | None:
        """The query with its misspelt words corrected, or None (see spelling.correct)."""
        with self._lock:
            return correct_words(self._searcher.reader(), self._words(), text, has_hits)

    def _words(self) -> Vocabulary:
        """The vocabulary saved with the index; while it is read again from the
        index (it was missing or damaged), an empty one: no suggestions yet."""
        if self._vocabulary is None:
            self._vocabulary = Vocabulary.load(self._directory / WORDS_FILE)
            if self._vocabulary is None:
                self._vocabulary = Vocabulary([], array("I"))
                threading.Thread(target=self._read_words, daemon=True).start()
        return self._vocabulary

    def _read_words(self) -> None:
        """Read the vocabulary through a reader of its own (a few seconds), and save it."""
        try:
            ix = MappedStorage(str(self._directory)).open_index()
            try:
                with ix.reader() as reader:
                    vocabulary = Vocabulary.from_reader(reader)
            finally:
                ix.close()
        except Exception:  # whatever Whoosh raises on an index replaced meanwhile
            return  # no suggestions until the index is opened again
        with contextlib.suppress(OSError):
            vocabulary.save(self._directory / WORDS_FILE)
            checksums.record(self._directory)
        self._vocabulary = vocabulary

    def matched_terms(self, query: Query) -> set[tuple[str, str]]:
        """(field, term) pairs that the query looks for, prefixes and fuzzy terms
        expanded, for highlighting. Terms under NOT are left out."""
        with self._lock:
            reader = self._searcher.reader()
            self._expand(query)
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

    def similar(self, paper_id: str, abstract: str, count: int) -> list[str]:
        """Ids of the papers whose abstracts are most like ``abstract`` (this paper's)."""
        if not abstract.strip():
            return []
        with self._lock:
            docnum = self._searcher.document_number(id=paper_id)
            if docnum is None:
                return []
            # Whoosh's more_like (an OR of the abstract's key terms, each boosted by its weight),
            # ranked as arrays like a search: Whoosh's own matchers held the lock, and so the
            # next search, for tenths of a second when the key terms were common words
            terms = self._searcher.key_terms_from_text("abstract", abstract, numterms=5)
            ranked = self._ranker.hits(Or([Term("abstract", word, boost=weight) for word, weight in terms]),
                                       count + 1)
            if ranked is None:
                hits = self._searcher.more_like(docnum, "abstract", text=abstract, top=count)
                return [self._ids[hit.docnum] for hit in hits]
            return [self._ids[found] for _, found in ranked[0] if found != docnum][:count]

    def for_you(self, starred: Sequence[str], read: Sequence[str],
                text_of: Callable[[str], Text]) -> ForYou:
        """The "for you" model of these stars and read-not-starred papers (see foryou.py).

        Tens of ms at 74k papers after a star change, a few tenths of a second the
        first time after the index opens: call it off the UI's event loop.
        """
        with self._lock:
            return build(self._the_corpus(), starred, read, text_of)

    def explain(self, model: ForYou, text: Text) -> list[str]:
        """The three words a paper (its title and abstract) shares most with the model."""
        with self._lock:
            return explain(self._the_corpus(), model, text)

    def _the_corpus(self) -> Corpus:
        if self._corpus is None:
            self._corpus = Corpus(self._searcher.reader(), self._ids)
        return self._corpus

    def matching_ids(self, query: Query) -> frozenset[str]:
        """Every matching id, unranked, remembered for the next call until the index changes
        (folder counts ask for the same queries again after every mark)."""
        with self._lock:
            found = self._matching.get(query)
            if found is None:
                self._expand(query)
                ids = self._ids
                found = frozenset(ids[docnum] for docnum in self._searcher.docs_for_query(query))
                if len(self._matching) >= MATCHING_CACHE:
                    self._matching.pop(next(iter(self._matching)))
                self._matching[query] = found
            return found

    def replace(self, fields: dict[str, str]) -> None:
        """Re-index one paper (its note changed) in place, and search the new version; while
        small segments are merged in the background, once that merge is done."""
        with self._lock:
            if self._merger.running:
                self._pending[fields["id"]] = fields
            else:
                self._write([fields])

    def _write(self, changed: list[dict[str, str]]) -> None:
        """Commit ``changed`` papers as a new segment (the caller holds the lock), written as
        a build writes (its terms, nearly all in one paper, inlined: no block to compress)."""
        writer = BulkWriter(self._ix, beside=True, timeout=10.0)
        try:
            if not self._searcher.up_to_date():  # a merge committed since it opened
                self._reopen()
            for fields in changed:  # the old version found through the open searcher:
                # Whoosh's update_document would open every segment again to find it
                old = self._searcher.document_number(id=fields["id"])
                if old is not None:
                    writer.delete_document(old)
                writer.add_document(**fields)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=NO_MERGE)  # merged in a child, below: a merge takes ~1 s
        checksums.record(self._directory)
        self._reopen()
        if len(small_segments(self._ix._segments())) > SMALL_SEGMENTS:
            self._merger.start(self._directory, self._merged)

    def _merged(self) -> None:
        with self._lock:
            pending, self._pending = list(self._pending.values()), {}
            if pending:
                self._write(pending)
            elif not self._closed:
                self._reopen()

    def _reopen(self) -> None:
        """Search the index as it is on disk now (the caller holds the lock)."""
        self._matching.clear()
        # Not Searcher.refresh(): it reuses the old segment readers, which keep the
        # deletions they were opened with, so the replaced version would still match.
        self._searcher.close()
        self._searcher = self._ix.searcher()
        self._ids = self._searcher.reader().column_reader("id")
        self._corpus = None
        self._expansions = {}
        _serve_lengths_from_memory(self._searcher)
        self._ranker = Ranker(self._searcher)

    def close(self) -> None:
        """Release the searcher and the index, once note edits that wait on a merge are in."""
        if self._pending:
            self._merger.wait()  # then _merged() writes them
        with self._lock:
            self._closed = True
            self._searcher.close()
            self._ix.close()
