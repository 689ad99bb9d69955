"""The "for you" order: papers ranked by how close they are to the starred ones.

The model is relevance feedback over the Whoosh index, in two steps:

1. **Profile.** Each starred paper's title and abstract are analysed as the
   index analyses them (stemmed), weighted ``(1 + log tf) * idf`` and scaled to
   unit length; the profile is their mean, each term then multiplied by the
   share of starred papers that contain it, ``(r / R) ** SHARED``, so that the
   vocabulary the stars have in common outweighs one paper's idiosyncrasies.
   Papers read but not starred are mild negatives: a term's weight is cut by
   at most ``NEGATIVE`` (25%), in proportion to the share of them that hold it,
   counted in the term's postings (never by analysing their text, so a long
   reading history costs one array lookup per term).
   The ``TERMS`` strongest terms are kept, leaving out terms in more than
   ``COMMON`` of the papers and stopping at ``BUDGET`` postings in all: the
   time bound, as reading postings is most of a build's cost.
2. **Scores.** Every paper gets ``sum(profile[t] * idf[t] * bm25(tf, length))``
   over those terms, read straight from the index's postings (title and
   abstract, a title word counting ``TITLE_WEIGHT`` times), with BM25's
   saturation and length normalisation instead of a cosine, which would need
   every paper's full vector.

A :class:`Corpus` wraps one open index reader and caches what does not
depend on the stars (per-paper length factors, ids, each term's postings);
:func:`build` turns stars and reads into a :class:`ForYou`, which orders any
list of hits; :func:`explain` names a paper's three terms. Postings and
scores are numpy arrays by docnum: each segment's postings and field lengths
are read as arrays by vectors.py (the ranking's own readers, which skip the
positions), the rest through Whoosh's reader API (``doc_count_all``,
``doc_frequency``, ``leaf_readers``, ``all_doc_ids``). ``PaperIndex`` owns
the one Corpus of its reader and serialises its use (see search.py).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np
from whoosh.analysis import Analyzer
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from papertui.index.vectors import length_bytes
from papertui.index.vectors import postings as segment_postings

FIELDS = ("title", "abstract")  # the stemmed fields the model reads
TITLE_WEIGHT = 2.0  # a title word counts as this many abstract words
TERMS = 100  # profile terms kept
COMMON = 0.1  # terms in more than this share of papers are left out (slow, unspecific)
BUDGET = 300_000  # postings read at most: the time bound (0.1-0.2 s cold at 74k papers)
SMALL = 1000  # a term in fewer papers is never too common (small libraries keep every term)
SHARED = 1.0  # exponent of the share of stars that contain a term
NEGATIVE = 0.25  # the most a term loses for being in every read-not-starred paper
K1, B = 1.2, 0.75  # BM25 saturation and length normalisation

Text = tuple[str, str]  # title, abstract
Vector = dict[str, float]
Postings = tuple[np.ndarray, np.ndarray]  # docnums (ascending), BM25 frequency factors
_LENGTH_OF = np.array([0.0] + [byte_to_length(code) for code in range(1, 256)])  # by length byte


class Corpus:
    """One open index reader and the star-independent facts the model needs.

    Building one reads every paper's field lengths and ids once (about a tenth
    of a second at 74k papers); keep it as long as the reader. ``ids`` is the
    reader's id column (an id for each docnum). Postings read for a term, and
    a starred paper's vector, are cached, so a profile that changes by one
    star reads and analyses only what is new. Not thread-safe: use it from one
    worker at a time.
    """

    def __init__(self, reader, ids: Sequence[str]) -> None:
        self.reader = reader
        self.analyzer: Analyzer = reader.schema["abstract"].analyzer
        self.count = reader.doc_count_all()
        self._boosts = {f: reader.schema[f].format.field_boost for f in FIELDS}
        self._leaves: list[tuple[SegmentReader, int]] = list(reader.leaf_readers())
        lengths = TITLE_WEIGHT * _lengths(self._leaves, "title") + _lengths(self._leaves, "abstract")
        self._live = np.ones(self.count, dtype=bool)  # False for a paper since re-indexed
        for leaf, base in self._leaves:
            if leaf.has_deletions():
                self._live[base:base + leaf.doc_count_all()] = False
                self._live[base + np.fromiter(leaf.all_doc_ids(), dtype=np.int64)] = True
        average = float(lengths.mean()) if self.count else 0.0
        # BM25's denominator term for each paper, fixed for the index's life.
        self._norm = K1 * (1 - B + B * lengths / (average or 1.0))
        self.ids: list[str] = list(islice(ids, self.count))  # a column reads fastest in turn
        self.docnum: dict[str, int] = {pid: d for d, pid in enumerate(self.ids)}
        self._postings: dict[str, Postings] = {}
        self._vectors: dict[Text, Vector] = {}
        self._df: dict[str, int] = {}

    def df(self, term: str) -> int:
        """How many papers hold ``term`` in title or abstract (the larger of the two)."""
        found = self._df.get(term)
        if found is None:
            found = self._df[term] = max(self.reader.doc_frequency(f, term) for f in FIELDS)
        return found

    def idf(self, term: str) -> float:
        """Inverse document frequency over title and abstract."""
        return math.log((self.count + 1) / (self.df(term) + 1)) + 1.0

    def common(self, term: str) -> bool:
        """True for a term in more than COMMON of the papers: weak evidence, long postings."""
        return self.df(term) > max(COMMON * self.count, SMALL)

    def terms(self, text: Text) -> Counter[str]:
        """The stemmed terms of a paper, a title word counting TITLE_WEIGHT times."""
        title, abstract = text
        counts: Counter[str] = Counter()
        for token in self.analyzer(title):
            counts[token.text] += TITLE_WEIGHT
        for token in self.analyzer(abstract):
            counts[token.text] += 1
        return counts

    def vector(self, text: Text) -> Vector:
        """A paper's ``(1 + log tf) * idf`` vector, of unit length (empty if no terms)."""
        found = self._vectors.get(text)
        if found is None:
            weights = {t: (1 + math.log(tf)) * self.idf(t) for t, tf in self.terms(text).items()}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            found = self._vectors[text] = {t: w / norm for t, w in weights.items()} if norm else {}
        return found

    def postings(self, term: str) -> Postings:
        """Docnums holding ``term`` and the BM25 factor of its frequency in each."""
        found = self._postings.get(term)
        if found is not None:
            return found
        docnums, tfs = [], []
        for field in FIELDS:
            docs, weights = self._field_postings(field, term)
            docnums.append(docs)
            tfs.append(weights * ((TITLE_WEIGHT if field == "title" else 1.0) / self._boosts[field]))
        # A paper with the term in both fields: one posting, the frequencies added.
        both, merged = np.unique(np.concatenate(docnums), return_inverse=True)
        tf = np.bincount(merged, weights=np.concatenate(tfs), minlength=len(both))
        found = self._postings[term] = (both, tf * (K1 + 1) / (tf + self._norm[both]))
        return found

    def _field_postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """The papers holding ``term`` in ``field`` (none since re-indexed) and its frequency
        in each: each segment's arrays (see vectors.py), moved by the segment's base."""
        docnums, weights = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
        for leaf, base in self._leaves:
            if (field, term) in leaf:
                found = segment_postings(leaf, field, leaf.schema[field].to_bytes(term))
                docnums.append(found[0] + base)
                weights.append(found[1])
        every = np.concatenate(docnums)
        live = self._live[every]
        return every[live], np.concatenate(weights)[live]


def _lengths(leaves: Sequence[tuple[SegmentReader, int]], field: str) -> np.ndarray:
    """Every paper's length in ``field`` (0 for none), decoded from its segment's length bytes."""
    parts = [np.zeros(0)]
    for leaf, _ in leaves:
        count, codes = leaf.doc_count_all(), length_bytes(leaf, field)
        parts.append(np.zeros(count) if codes is None
                     else _LENGTH_OF[np.frombuffer(codes, dtype=np.uint8)[:count]])
    return np.concatenate(parts)


def profile(corpus: Corpus, starred: Sequence[Text], read: Collection[int] = ()) -> Vector:
    """The model's term weights: the strongest TERMS terms of the stars' profile.

    ``read`` holds the docnums of the papers read but not starred. How many of
    them hold a term is counted in its postings (read anyway to score it, then
    cached), never by analysing their text: a long reading history costs one
    array lookup per term. A term is damped by at most NEGATIVE, so only the
    terms whose undamped weight could still place them are looked at, best
    first (a threshold walk), and a term too common or too costly for what is
    left of the budget is passed over before its postings are read.
    """
    if not starred:
        return {}
    vectors = [corpus.vector(text) for text in starred]
    share = Counter(t for v in vectors for t in v)
    total = len(vectors)
    weights = _mean(vectors)
    for term in weights:
        weights[term] *= (share[term] / total) ** SHARED
    # Best first; ties keep the terms' first appearance, as a stable sort would.
    ranked = sorted(enumerate(weights.items()), key=lambda item: item[1][1], reverse=True)
    damping = _damping(corpus, read)
    waiting: list[tuple[float, int, str]] = []  # a heap of (-damped weight, place, term)
    kept: Vector = {}
    budget = BUDGET

    def settle(bound: float) -> None:
        """Keep, best first, the waiting terms that no term still to come can outrank."""
        nonlocal budget
        while waiting and len(kept) < TERMS and -waiting[0][0] >= bound:
            negated, _, term = heapq.heappop(waiting)
            if negated < 0 and corpus.df(term) <= budget:
                kept[term] = -negated
                budget -= corpus.df(term)

    for place, (term, weight) in ranked:
        settle(weight)  # damping only lowers a weight: nothing after this term outranks it
        if len(kept) == TERMS:
            break
        # A term too common, or costlier than the budget left, never gets in: no postings read.
        if not corpus.common(term) and corpus.df(term) <= budget:
            heapq.heappush(waiting, (-weight * damping(term), place, term))
    settle(-math.inf)
    return kept


def _damping(corpus: Corpus, read: Collection[int]) -> Callable[[str], float]:
    """A term's weight factor: 1 less NEGATIVE times the share of read papers holding it."""
    if not read:
        return lambda _term: 1.0
    seen = np.zeros(corpus.count, dtype=bool)
    seen[list(read)] = True
    scale = NEGATIVE / len(read)
    return lambda term: 1 - scale * int(np.count_nonzero(seen[corpus.postings(term)[0]]))


def _mean(vectors: Sequence[Vector]) -> Vector:
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    return {t: w / len(vectors) for t, w in total.items()}


def score_all(corpus: Corpus, weights: Mapping[str, float]) -> np.ndarray:
    """Every paper's score against the profile, by docnum (0.0 for no shared term)."""
    scores = np.zeros(corpus.count, dtype=np.float64)
    for term, weight in weights.items():
        docnums, factors = corpus.postings(term)
        scores[docnums] += weight * corpus.idf(term) * factors  # docnums are unique
    return scores


@dataclass(frozen=True, slots=True)
class ForYou:
    """A built model: its terms, and every indexed paper's score."""

    weights: Vector
    scores: dict[str, float]  # by id; 0.0 for a paper sharing no model term

    def order(self, ids: Sequence[str]) -> list[str]:
        """``ids`` best first; ties (and papers the index lacks) keep their given order."""
        try:  # a sort with reverse=True is stable too: ties keep their order
            return sorted(ids, key=self.scores.__getitem__, reverse=True)
        except KeyError:  # a paper the index lacks scores 0
            score = self.scores.get
            return sorted(ids, key=lambda pid: score(pid, 0.0), reverse=True)


def build(
    corpus: Corpus, starred: Sequence[str], read: Sequence[str], text_of: Callable[[str], Text]
) -> ForYou:
    """The model for these starred and read-not-starred ids (``text_of`` gives the stars' text;
    the read papers are looked up in the index)."""
    docnum = corpus.docnum
    weights = profile(corpus, [text_of(pid) for pid in starred],
                      {docnum[pid] for pid in read if pid in docnum})
    return ForYou(weights, dict(zip(corpus.ids, score_all(corpus, weights).tolist())))


def explain(corpus: Corpus, model: ForYou, text: Text, count: int = 3) -> list[str]:
    """The ``count`` words a paper shares most with the stars, as the paper spells them.

    A term's share is its contribution to the paper's score; each stem is shown
    as the paper's most frequent surface form of it ("robots" for ``robot``).
    """
    weights = model.weights
    spelled: dict[str, Counter[str]] = {}
    for part in text:
        for token in corpus.analyzer(part, chars=True):
            if token.text in weights:
                word = part[token.startchar:token.endchar].lower()
                spelled.setdefault(token.text, Counter())[word] += 1
    tfs = corpus.terms(text)
    contribution = {
        t: weights[t] * corpus.idf(t) * (1 + math.log(tfs[t])) for t in spelled if tfs[t] > 0
    }
    best = sorted(contribution, key=contribution.__getitem__, reverse=True)[:count]
    return [spelled[t].most_common(1)[0][0] for t in best]
