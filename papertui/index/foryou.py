"""The "for you" order: papers ranked by how close they are to the starred ones.

The model is relevance feedback over the Whoosh index, in two steps:

1. **Profile.** Each starred paper's title and abstract are analysed as the
   index analyses them (stemmed), weighted ``(1 + log tf) * idf`` and scaled to
   unit length; the profile is their mean, each term then multiplied by the
   share of starred papers that contain it, ``(r / R) ** SHARED``, so that the
   vocabulary the stars have in common outweighs one paper's idiosyncrasies.
   Papers read but not starred are mild negatives: a term's weight is cut by
   at most ``NEGATIVE`` (25%), in proportion to the share of them that hold it.
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
list of hits; :func:`explain` names a paper's three terms. Everything is pure
Python over Whoosh's reader API (``doc_count_all``, ``doc_frequency``,
``postings``, ``doc_field_length``), plus one reach into its codec, kept in
:func:`_read_postings`, to read postings a block at a time. ``PaperIndex``
owns the one Corpus of its reader and serialises its use (see search.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from whoosh.analysis import Analyzer
from whoosh.codec.whoosh3 import W3LeafMatcher

FIELDS = ("title", "abstract")  # the stemmed fields the model reads
TITLE_WEIGHT = 2.0  # a title word counts as this many abstract words
TERMS = 100  # profile terms kept
COMMON = 0.1  # terms in more than this share of papers are left out (slow, unspecific)
BUDGET = 300_000  # postings read at most: the time bound (about 0.5 s cold at 74k papers)
SMALL = 1000  # a term in fewer papers is never too common (small libraries keep every term)
SHARED = 1.0  # exponent of the share of stars that contain a term
NEGATIVE = 0.25  # the most a term loses for being in every read-not-starred paper
K1, B = 1.2, 0.75  # BM25 saturation and length normalisation

Text = tuple[str, str]  # title, abstract
Vector = dict[str, float]


class Corpus:
    """One open index reader and the star-independent facts the model needs.

    Building one reads every paper's field lengths and ids once (a few tenths
    of a second at 74k papers); keep it as long as the reader. ``ids`` is the
    reader's id column (an id for each docnum). Postings read
    for a term are cached, so a profile that changes by one star reads only
    its new terms. Not thread-safe: use it from one worker at a time.
    """

    def __init__(self, reader, ids: Sequence[str]) -> None:
        self.reader = reader
        self.analyzer: Analyzer = reader.schema["abstract"].analyzer
        self.count = reader.doc_count_all()
        self._boosts = {f: reader.schema[f].format.field_boost for f in FIELDS}
        lengths = [
            TITLE_WEIGHT * (reader.doc_field_length(d, "title", 0) or 0)
            + (reader.doc_field_length(d, "abstract", 0) or 0)
            for d in range(self.count)
        ]
        average = sum(lengths) / max(1, self.count) or 1.0
        # BM25's denominator term for each paper, fixed for the index's life.
        self._norm = [K1 * (1 - B + B * length / average) for length in lengths]
        self.ids: list[str] = [ids[d] for d in range(self.count)]
        self.docnum: dict[str, int] = {pid: d for d, pid in enumerate(self.ids)}
        self._postings: dict[str, tuple[list[int], list[float]]] = {}
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
        weights = {t: (1 + math.log(tf)) * self.idf(t) for t, tf in self.terms(text).items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}

    def postings(self, term: str) -> tuple[list[int], list[float]]:
        """Docnums holding ``term`` and the BM25 factor of its frequency in each."""
        found = self._postings.get(term)
        if found is not None:
            return found
        # Abstract frequencies as they are (a C-speed copy), then title ones added.
        docnums, weights = _read_postings(self.reader, "abstract", term)
        scale = 1.0 / self._boosts["abstract"]
        tfs = dict(zip(docnums, weights if scale == 1.0 else [w * scale for w in weights]))
        scale = TITLE_WEIGHT / self._boosts["title"]
        for docnum, weight in zip(*_read_postings(self.reader, "title", term)):
            tfs[docnum] = tfs.get(docnum, 0.0) + weight * scale
        norm = self._norm
        found = self._postings[term] = (
            list(tfs), [tf * (K1 + 1) / (tf + norm[d]) for d, tf in tfs.items()])
        return found


def _read_postings(reader, field: str, term: str) -> tuple[list[int], list[float]]:
    """The docnums and weights of every posting of ``term`` in ``field`` (empty if none).

    Whoosh's own codec is read a block (about 128 postings) at a time, several
    times faster than a call per posting; any other matcher (an index of several
    segments) goes through the public one-posting-at-a-time API.
    """
    docnums: list[int] = []
    weights: list[float] = []
    if (field, term) not in reader:
        return docnums, weights
    matcher = reader.postings(field, term)
    if not isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            docnums.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return docnums, weights
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        docnums.extend(matcher._ids)
        weights.extend(matcher._weights)
        matcher._next_block()
    return docnums, weights


def profile(corpus: Corpus, starred: Sequence[Text], read: Sequence[Text] = ()) -> Vector:
    """The model's term weights: the strongest TERMS terms of the stars' profile."""
    if not starred:
        return {}
    vectors = [corpus.vector(text) for text in starred]
    share = Counter(t for v in vectors for t in v)
    total = len(vectors)
    weights = _mean(vectors)
    for term in weights:
        weights[term] *= (share[term] / total) ** SHARED
    if read:
        seen = Counter(t for text in read for t in corpus.terms(text))
        weights = {t: w * (1 - NEGATIVE * seen[t] / len(read)) for t, w in weights.items()}
    kept: Vector = {}
    budget = BUDGET
    for term, weight in sorted(weights.items(), key=lambda item: item[1], reverse=True):
        if weight <= 0 or len(kept) == TERMS:
            break
        cost = corpus.df(term)
        if cost <= budget and not corpus.common(term):
            kept[term] = weight
            budget -= cost
    return kept


def _mean(vectors: Sequence[Vector]) -> Vector:
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    return {t: w / len(vectors) for t, w in total.items()}


def score_all(corpus: Corpus, weights: Mapping[str, float]) -> list[float]:
    """Every paper's score against the profile, by docnum (0.0 for no shared term)."""
    scores = [0.0] * corpus.count
    for term, weight in weights.items():
        weight *= corpus.idf(term)
        docnums, factors = corpus.postings(term)
        for docnum, factor in zip(docnums, factors):
            scores[docnum] += weight * factor
    return scores


@dataclass(frozen=True, slots=True)
class ForYou:
    """A built model: its terms, and every paper's score and place, best first."""

    weights: Vector
    scores: dict[str, float]  # by id; 0.0 for a paper sharing no model term
    ranked: list[str]  # every indexed id, best first

    def order(self, ids: Sequence[str]) -> list[str]:
        """``ids`` best first; ties (and papers the index lacks) keep their given order."""
        try:  # a sort with reverse=True is stable too: ties keep their order
            return sorted(ids, key=self.scores.__getitem__, reverse=True)
        except KeyError:  # a paper the index lacks scores 0
            score = self.scores.get
            return sorted(ids, key=lambda pid: score(pid, 0.0), reverse=True)

    def top(self, count: int, exclude: Callable[[str], bool] = lambda _pid: False) -> list[str]:
        """The ``count`` best ids in the whole corpus, skipping those ``exclude`` names."""
        best = []
        for pid in self.ranked:
            if not exclude(pid):
                best.append(pid)
                if len(best) == count:
                    break
        return best


def build(
    corpus: Corpus, starred: Sequence[str], read: Sequence[str], text_of: Callable[[str], Text]
) -> ForYou:
    """The model for these starred and read-not-starred ids (``text_of`` gives their text).

    Ties, and every paper when nothing is starred, keep index order in ``ranked``.
    """
    weights = profile(corpus, [text_of(pid) for pid in starred], [text_of(pid) for pid in read])
    scores = score_all(corpus, weights)
    ordered = sorted(range(corpus.count), key=scores.__getitem__, reverse=True)
    ids = corpus.ids
    return ForYou(weights, dict(zip(ids, scores)), [ids[docnum] for docnum in ordered])


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
