"""Ranking with NumPy: BM25F over whole posting lists, with Whoosh's own numbers.

Whoosh scores a query one posting at a time in Python, and its top-N
collector saves little when a word is an OR over several fields. Here each
term's posting list is read as arrays (document numbers and weights), scored
with Whoosh's BM25F formula, statistics and field lengths, and every clause is
a dense score vector over all documents: OR sums, AND sums where every child
matched, NOT masks. The hits and their scores are Whoosh's (up to the order in
which floats are added); a query with a node not handled here is None, and the
caller asks Whoosh.

A phrase is ranked as the AND of its words (Whoosh's phrase score: its span
matcher scores as the intersection of the words); positions are checked (see
phrases.py) for the best candidates until the top N is certain, or for every
candidate of the complete list.
"""

from __future__ import annotations

import io
import pickle
import struct
import threading
import zlib
from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.query import And, AndNot, MultiTerm, Not, NullQuery, Or, Phrase, Query, Term
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from papertui.index.phrases import PositionCache, phrase_docs
from papertui.index.ranking import Cancelled, Hit, check

FIRST_ROUND = 1.25  # a phrase's first screen first checks this many candidates a hit asked:
# the best candidates mostly hold the phrase, and each one costs the decoding of its blocks
WIDEN = 4  # each further round checks this many times more candidates
_LENGTHS = np.array([0.0] + [byte_to_length(code) for code in range(1, 256)])
_VALUES_START = (b"c_codecs\nencode\n", b"c__builtin__\nbytes\n")  # a block's first position bytes
_HEAD = 1024  # more bytes of a block inflated at a time, looking for where its positions start
_NO_VALUES = b"N\x87."  # None for the positions, then the block's 3-tuple, then STOP
_Vector = tuple[np.ndarray, np.ndarray]  # scores (float64) and matches (bool), one per document
_Sparse = tuple[np.ndarray, np.ndarray]  # the matching documents (int64) and their scores
_INT = struct.Struct("!i")
POSTINGS_KEPT = 2_000_000  # scored postings kept across searches (16 bytes each)


class _Unsupported(Exception):
    """A query node that only Whoosh evaluates."""


def length_bytes(reader: SegmentReader, fieldname: str) -> bytes | None:
    """One length byte per document of a segment for a scorable field (None without a column)."""
    field = reader.schema[fieldname]
    column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN) if field.scorable else None
    if column is None:
        return None
    data = bytes(column._dbfile.get(column._basepos, column._count * column._fixedlen))
    return data + bytes(max(0, reader.doc_count_all() - len(data)))


def _block(raw: bytes, compressed: bool, count: int) -> tuple:
    """A posting block's (ids, weights) without unpickling its positions, which cost
    most of the time (protocol 2 rebuilds each bytes object through a function call)."""
    inflater = zlib.decompressobj() if compressed else None
    # About 12 bytes a posting come before the positions: a short id delta and a float.
    head = inflater.decompress(raw, 12 * count + 64) if inflater else raw
    while True:
        starts = [at for at in (head.find(mark) for mark in _VALUES_START) if at > 0]
        if starts:
            cut = min(starts) - (1 if count > 3 else 0)  # a tuple of more than 3 opens with MARK
            try:
                ids, weights, _ = pickle.loads(head[:cut] + _NO_VALUES)
            except Exception:  # noqa: BLE001 - any malformed cut: unpickle the whole block
                break
            if len(ids) == count and (not isinstance(weights, tuple) or len(weights) == count):
                return ids, weights
            break
        if inflater is None or not inflater.unconsumed_tail:
            break
        head += inflater.decompress(inflater.unconsumed_tail, _HEAD)
    if inflater is not None:
        head += inflater.decompress(inflater.unconsumed_tail) + inflater.flush()
    ids, weights, _ = pickle.loads(head)
    return ids, weights


def postings(reader: SegmentReader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers (in this segment) and weights, deleted documents included."""
    terms = reader._terms
    info = terms.term_info(fieldname, btext)
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        return np.asarray(ids, np.int64), np.asarray(weights, np.float64)
    offset, size = info.extent()
    size = size[0] if isinstance(size, tuple) else size  # Whoosh reads it back as a 1-tuple
    data = terms._postfile.get(offset, size)  # every block at once: one read, not two a block
    position = 4  # after the header tag
    deltas: list[int] = []
    starts: list[int] = []
    weights_all: list[float] = []
    last = False
    while not last:
        length = _INT.unpack_from(data, position)[0]
        last, length = length < 0, abs(length)
        raw = data[position + 4:position + 4 + length]
        if len(raw) != length:
            raise ValueError(f"posting block of {btext!r} runs past its term's extent")
        position += 4 + length
        stream = io.BytesIO(raw)
        count, _, _, compression, _, _ = pickle.load(stream)  # the block's info
        ids, weights = _block(raw[stream.tell():], bool(compression), count)
        starts.append(len(deltas))
        deltas.extend(ids)
        if isinstance(weights, tuple):
            weights_all.extend(weights)
        else:
            weights_all.extend([1.0 if weights is None else weights] * count)
    sums = np.cumsum(np.asarray(deltas, np.int64))
    first = np.asarray(starts[1:], np.int64)
    bases = np.zeros(len(starts), np.int64)
    bases[1:] = sums[first - 1]  # each block's ids are deltas from 0
    sizes = np.diff(np.append(np.asarray(starts, np.int64), len(deltas)))
    return sums - np.repeat(bases, sizes), np.asarray(weights_all, np.float64)


class _Segment:
    """One segment of the open index: where its documents start, which are live,
    and its field lengths (decoded once, on first use)."""

    def __init__(self, searcher: Searcher, offset: int) -> None:
        reader = searcher.reader()
        if not isinstance(reader, SegmentReader):
            raise _Unsupported(type(reader).__name__)
        self.searcher, self.reader, self.offset = searcher, reader, offset
        self.count = reader.doc_count_all()
        self.live = np.ones(self.count, bool)
        if reader.has_deletions():
            self.live[np.fromiter(reader.deleted_docs_set, np.int64)] = False
        self._lengths: dict[str, np.ndarray] = {}

    def lengths(self, fieldname: str) -> np.ndarray:
        found = self._lengths.get(fieldname)
        if found is None:
            codes = length_bytes(self.reader, fieldname)
            found = (np.ones(self.count) if codes is None
                     else _LENGTHS[np.frombuffer(codes, np.uint8)[: self.count]])
            self._lengths[fieldname] = found
        return found


class _Evaluation:
    """One query's score vectors. Term vectors are kept for the query's rounds, never longer."""

    def __init__(self, ranker: Ranker, cancelled: Cancelled | None) -> None:
        self.ranker, self.cancelled = ranker, cancelled
        self.terms: dict[tuple[str, bytes | None], _Vector] = {}
        self.multiterms: dict[int, _Vector] = {}  # id(node) -> its OR, for the query's rounds
        self.confirmed: dict[int, np.ndarray] = {}  # id(phrase) -> documents whose positions match
        self.relaxed: dict[int, np.ndarray] = {}  # id(phrase) -> documents with all its words

    def vector(self, node: Query, exact: bool = False) -> _Vector:
        """``node``'s scores and matches; phrases are the AND of their words unless
        ``exact`` (under NOT) or once confirmed."""
        if isinstance(node, Term):
            if node.minquality:
                raise _Unsupported("minquality")
            return self._boosted(self.term(node.fieldname, node.text), node.boost)
        if isinstance(node, MultiTerm):
            return self.multiterm(node)
        if isinstance(node, Phrase):
            return self.phrase(node, exact)
        if isinstance(node, Not):
            _, inside = self.vector(node.query, exact=True)
            found = self.ranker.live & ~inside
            return found.astype(np.float64), found
        if isinstance(node, AndNot):
            scores, found = self.vector(node.a, exact)
            _, excluded = self.vector(node.b, exact=True)
            found = found & ~excluded
            return np.where(found, scores, 0.0), found
        if node is NullQuery:
            return self.ranker.nothing()
        if type(node) in (And, Or) and not getattr(node, "scale", None):
            children = node.subqueries
            if not children:
                return self.ranker.nothing()
            if len(children) == 1:  # Whoosh ignores the boost of a one-child group
                return self.vector(children[0], exact)
            vectors = [self.vector(child, exact) for child in children]
            scores = np.sum([s for s, _ in vectors], axis=0)
            combine = np.logical_and if isinstance(node, And) else np.logical_or
            found = combine.reduce([m for _, m in vectors])
            return self._boosted((np.where(found, scores, 0.0), found), node.boost)
        raise _Unsupported(type(node).__name__)

    @staticmethod
    def _boosted(vector: _Vector, boost: float) -> _Vector:
        return vector if boost == 1.0 else (vector[0] * boost, vector[1])

    def term(self, fieldname: str, text: str | bytes) -> _Vector:
        """BM25F of one term for every document, as Whoosh's BM25FScorer computes it."""
        key = (fieldname, self._bytes(fieldname, text))
        known = self.terms.get(key)
        if known is None:
            at, weights = self.sparse(*key)
            scores, found = self.ranker.nothing()
            scores[at], found[at] = weights, True
            known = self.terms[key] = (scores, found)
        return known

    def _bytes(self, fieldname: str, text: str | bytes) -> bytes | None:
        """The term as the index holds it; None when the field cannot hold it."""
        field = self.ranker.schema[fieldname] if fieldname in self.ranker.schema else None
        try:
            return field.to_bytes(text) if field is not None else None
        except ValueError:
            return None

    def sparse(self, fieldname: str, btext: bytes | None) -> _Sparse:
        """The live documents holding one term, and its BM25F score in each."""
        ranker = self.ranker
        if btext is None:
            return np.zeros(0, np.int64), np.zeros(0)
        known = ranker.postings.get((fieldname, btext))
        if known is not None:
            return known
        parts: list[_Sparse] = []
        for segment in ranker.segments:
            if (fieldname, btext) not in segment.reader:
                continue
            check(self.cancelled)
            ids, weights = postings(segment.reader, fieldname, btext)
            if ranker.schema[fieldname].scorable:
                lengths = segment.lengths(fieldname)[ids]
                weights = ranker.bm25(fieldname, btext, weights, lengths)
            live = segment.live[ids]
            parts.append((ids[live] + segment.offset, weights[live]))
        if len(parts) == 1:
            found = parts[0]
        else:  # none (an empty pair) or several segments
            found = (np.concatenate([at for at, _ in parts] or [np.zeros(0, np.int64)]),
                     np.concatenate([w for _, w in parts] or [np.zeros(0)]))
        ranker.postings.put((fieldname, btext), found)
        return found

    def multiterm(self, node: MultiTerm) -> _Vector:
        """A prefix, fuzzy or wildcard term: the OR of its expansions (one: that term).

        The expansions' scores are summed from their postings, in the order of the
        words, as an OR of their dense vectors would sum them; a prefix such as
        ``optim*`` has hundreds of words, and a dense vector each cost more than the
        postings."""
        if getattr(node, "text", None) in ("", "*"):
            raise _Unsupported("every document")
        known = self.multiterms.get(id(node))
        if known is not None:
            return known
        words = [word for word in node._btexts(self.ranker.reader) if word]
        if not words:
            return self.ranker.nothing()
        if len(words) == 1:
            return self.term(node.field(), words[0])
        parts = [self.sparse(node.field(), self._bytes(node.field(), word)) for word in words]
        at = np.concatenate([at for at, _ in parts])
        scores = np.bincount(at, np.concatenate([w for _, w in parts]),
                             minlength=self.ranker.total) * node.boost
        found = np.zeros(self.ranker.total, bool)
        found[at] = True
        if node.constantscore:
            # Whoosh preloads a small segment's OR unscored: 1 for every match.
            for segment in self.ranker.segments:
                if len(words) >= Or.TOO_MANY_CLAUSES or (len(words) != 2 and segment.count <= 5000):
                    part = slice(segment.offset, segment.offset + segment.count)
                    scores[part] = found[part]
        known = self.multiterms[id(node)] = (np.where(found, scores, 0.0), found)
        return known

    def phrase(self, node: Phrase, exact: bool) -> _Vector:
        field = self.ranker.schema[node.fieldname] if node.fieldname in self.ranker.schema else None
        if field is None or len(node.words) < 2 or not field.format.supports("positions"):
            raise _Unsupported("phrase")  # Whoosh says what is wrong
        vectors = [self.term(node.fieldname, word) for word in node.words]
        found = np.logical_and.reduce([m for _, m in vectors])
        self.relaxed[id(node)] = found
        if exact and id(node) not in self.confirmed:
            self.confirm(node, np.flatnonzero(found))
        if id(node) in self.confirmed:
            found = found & self.confirmed[id(node)]
        scores = np.where(found, np.sum([s for s, _ in vectors], axis=0), 0.0)
        return self._boosted((scores, found), node.boost)

    def confirm(self, node: Phrase, docnums: np.ndarray) -> None:
        """Check the phrase's positions in ``docnums`` (sorted, each holding every word)."""
        confirmed = self.confirmed.setdefault(id(node), np.zeros(self.ranker.total, bool))
        field = self.ranker.schema[node.fieldname]
        for number, segment in enumerate(self.ranker.segments):
            check(self.cancelled)
            start, end = segment.offset, segment.offset + segment.count
            local = docnums[(docnums >= start) & (docnums < end)] - start
            if not len(local):
                continue
            terms = [self.ranker.positions.term(number, segment.reader, node.fieldname,
                                                field.to_bytes(word))  # each word matched
                     for word in node.words]
            confirmed[start + phrase_docs(terms, node.slop, local, segment.count)] = True


class _Kept:
    """Scored postings of the most recently used terms, up to POSTINGS_KEPT, across searches:
    the first screen and then the complete list, and a query typed a word at a time, score
    the same terms. Shared by the search threads (a cancelled one may still be running)."""

    def __init__(self) -> None:
        self._terms: dict[tuple[str, bytes], _Sparse] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, bytes]) -> _Sparse | None:
        with self._lock:
            found = self._terms.pop(key, None)
            if found is not None:
                self._terms[key] = found  # the most recently used, last
            return found

    def put(self, key: tuple[str, bytes], postings: _Sparse) -> None:
        for array in postings:
            array.flags.writeable = False  # shared: nobody may change it
        with self._lock:
            if key in self._terms:
                return
            self._terms[key] = postings
            self._size += len(postings[0])
            while self._size > POSTINGS_KEPT and len(self._terms) > 1:
                self._size -= len(self._terms.pop(next(iter(self._terms)))[0])


class Ranker:
    """Ranks queries over one open searcher; made again when the searcher is."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher, self.reader, self.schema = searcher, searcher.reader(), searcher.schema
        weighting = searcher.weighting
        self.usable = type(weighting) is BM25F
        try:
            self.segments = [_Segment(leaf, offset) for leaf, offset in searcher.leaf_searchers()]
        except _Unsupported:
            self.usable, self.segments = False, []
        self.total = sum(segment.count for segment in self.segments)
        self.live = np.concatenate([s.live for s in self.segments]) if self.segments else np.ones(0, bool)
        self._weighting = weighting
        self.positions = PositionCache()
        self.postings = _Kept()

    def nothing(self) -> _Vector:
        return np.zeros(self.total), np.zeros(self.total, bool)

    def bm25(self, fieldname: str, btext: bytes, weights: np.ndarray,
             lengths: np.ndarray) -> np.ndarray:
        """whoosh.scoring.bm25, the same operations in the same order, over arrays."""
        weighting, searcher = self._weighting, self.searcher
        idf = searcher.idf(fieldname, btext)
        avgfl = searcher.avg_field_length(fieldname) or 1
        B = weighting._field_B.get(fieldname, weighting.B)  # noqa: N806 - Whoosh's names
        K1 = weighting.K1  # noqa: N806
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))

    def hits(self, query: Query, limit: int | None,
             cancelled: Cancelled | None = None) -> tuple[list[Hit], bool] | None:
        """The ``limit`` best hits (every hit for None), best first, ties in index
        order, and whether they are every hit; None when Whoosh must rank ``query``."""
        if not self.usable:
            return None
        evaluation = _Evaluation(self, cancelled)
        try:
            upper, found = evaluation.vector(query)
        except _Unsupported:
            return None
        phrases = [p for p in _phrases(query) if id(p) in evaluation.relaxed]
        if not phrases:
            return _best(upper, found, limit), limit is None or int(found.sum()) <= limit
        checked = np.zeros(self.total, bool)
        ask = self.total if limit is None else int(limit * FIRST_ROUND)
        while True:
            unchecked = found & ~checked
            fresh = (np.flatnonzero(unchecked) if ask >= self.total else
                     np.sort(np.array([d for _, d in _best(upper, unchecked, ask)], np.int64)))
            for phrase in phrases:
                evaluation.confirm(phrase, fresh[evaluation.relaxed[id(phrase)][fresh]])
            checked[fresh] = True
            check(cancelled)
            scores, matched = evaluation.vector(query)
            matched &= checked
            left = found & ~checked
            if limit is None or not left.any():
                return _best(scores, matched, limit), limit is None or int(matched.sum()) <= limit
            best = _best(scores, matched, limit)
            if len(best) == limit and best[-1][0] > upper[left].max():
                return best, False
            ask *= WIDEN


def _phrases(query: Query) -> Iterator[Phrase]:
    """The phrases of ``query`` that count towards its hits (not under NOT)."""
    if isinstance(query, Phrase):
        yield query
    elif isinstance(query, AndNot):
        yield from _phrases(query.a)
    elif not isinstance(query, Not):
        for child in query.children():
            yield from _phrases(child)


def _best(scores: np.ndarray, found: np.ndarray, limit: int | None) -> list[Hit]:
    """The ``limit`` best of the ``found`` documents, best first, ties in index order."""
    docnums = np.flatnonzero(found)
    if limit is not None and len(docnums) > limit:
        bar = np.partition(scores[docnums], len(docnums) - limit)[len(docnums) - limit]
        docnums = docnums[scores[docnums] >= bar]
    order = np.lexsort((docnums, -scores[docnums]))
    if limit is not None:
        order = order[:limit]
    chosen = docnums[order]
    return list(zip(scores[chosen].tolist(), chosen.tolist()))
