"""Ranking with scores: every hit, or the top N without ranking every hit.

Whoosh's top-N collector skips the posting blocks that cannot reach the N-th
best score (block-max quality), but only when every matcher of the query can
say how good a block is. A phrase cannot: its matcher reads the positions of
every paper holding all its words. So the top N of a query with phrases ranks
the query with each phrase *relaxed* to the AND of its words, whose score is
never below the true one (and equal to it where the phrase matches), and
checks positions only for the best candidates, until N papers are confirmed
at a score no unchecked candidate can beat.

A search made stale by a newer one stops at its next check of ``cancelled``:
every few thousand hits while collecting, and between rounds.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh.collectors import Collector, TopCollector, UnlimitedCollector, WrappingCollector
from whoosh.query import And, AndNot, Not, Phrase, Query, Term
from whoosh.searching import Searcher

from papertui.errors import SearchCancelled

Hit = tuple[float, int]  # BM25F score, document number
Cancelled = Callable[[], bool]
CHECK_EVERY = 4096  # hits collected between two checks of ``cancelled``
WIDEN = 4  # each round of a phrase's first screen looks at this many times more candidates


class _Cancellable(WrappingCollector):
    """A collector that gives up (SearchCancelled) once ``cancelled()`` is true."""

    def __init__(self, child: Collector, cancelled: Cancelled) -> None:
        super().__init__(child)
        self.cancelled = cancelled

    def collect_matches(self) -> None:
        collect, cancelled = self.child.collect, self.cancelled
        for count, sub_docnum in enumerate(self.child.matches()):
            if not count % CHECK_EVERY and cancelled():
                raise SearchCancelled("a newer search replaced this one")
            collect(sub_docnum)


class _ExactTop(TopCollector):
    """Whoosh's top-N collector, skipping blocks that cannot reach the N-th score,
    without replacing matchers.

    Whoosh's replacement drops an OR branch whose best score is below the N-th,
    which loses papers whose score is a sum of branches (at 74k, 14 of 15 AND
    queries had another top 50); and without it Whoosh never raises the bar it
    skips blocks by. Here the bar rises with each hit that enters the top N.
    """

    def matches(self):
        matcher = self.matcher
        usequality = self._use_block_quality()
        minscore = 0
        checkquality = True
        while matcher.is_active():
            if self.minscore != minscore:
                minscore, checkquality = self.minscore, True
            if usequality and checkquality and minscore:
                self.skipped_times += matcher.skip_to_quality(minscore)
                if not matcher.is_active():
                    break
            yield matcher.id()
            checkquality = matcher.next()


def check(cancelled: Cancelled | None) -> None:
    """Raise SearchCancelled when the search has gone stale."""
    if cancelled is not None and cancelled():
        raise SearchCancelled("a newer search replaced this one")


def collect(searcher: Searcher, query: Query, limit: int | None,
            cancelled: Cancelled | None = None) -> list[Hit]:
    """The ``limit`` best hits (every hit for None), best first; ties in index order."""
    collector = UnlimitedCollector() if limit is None else _ExactTop(limit, replace=0)
    if cancelled is not None:
        collector = _Cancellable(collector, cancelled)
    searcher.search_with_collector(query, collector)
    return [(score, docnum) for score, docnum in collector.results().top_n]


def has_phrase(query: Query) -> bool:
    """True when a phrase of ``query`` counts towards its hits (not under NOT)."""
    if isinstance(query, Phrase):
        return True
    if isinstance(query, Not):
        return False
    if isinstance(query, AndNot):
        return has_phrase(query.a)
    return any(has_phrase(child) for child in query.children())


def relaxed(query: Query) -> Query:
    """``query`` with each phrase outside NOT made the AND of its words."""
    if isinstance(query, Phrase):
        return And([Term(query.fieldname, word) for word in query.words], boost=query.boost)
    if isinstance(query, Not):
        return query
    if isinstance(query, AndNot):
        return AndNot(relaxed(query.a), query.b)
    return query.apply(relaxed)


def true_scores(searcher: Searcher, query: Query, docnums: list[int]) -> dict[int, float]:
    """The scores of those of ``docnums`` that ``query`` matches, skipping to each."""
    found: dict[int, float] = {}
    wanted = sorted(docnums)
    context = searcher.context()
    for leaf, offset in searcher.leaf_searchers():
        matcher = query.matcher(leaf, context)
        end = offset + leaf.doc_count_all()
        for docnum in wanted:
            if not offset <= docnum < end:
                continue
            if not matcher.is_active():
                break
            local = docnum - offset
            if matcher.id() < local:
                matcher.skip_to(local)
            if matcher.is_active() and matcher.id() == local:
                found[docnum] = matcher.score()
    return found


def top(searcher: Searcher, query: Query, limit: int,
        cancelled: Cancelled | None = None) -> tuple[list[Hit], bool]:
    """The ``limit`` best hits, best first, and whether they are every hit."""
    if not has_phrase(query):
        hits = collect(searcher, query, limit, cancelled)
        return hits, len(hits) < limit
    loose = relaxed(query)
    confirmed: dict[int, float] = {}
    checked: set[int] = set()
    ask = limit * WIDEN
    while True:
        candidates = collect(searcher, loose, ask, cancelled)
        fresh = [docnum for _, docnum in candidates if docnum not in checked]
        confirmed.update(true_scores(searcher, query, fresh))
        checked.update(fresh)
        best = sorted(((score, docnum) for docnum, score in confirmed.items()),
                      key=lambda hit: (-hit[0], hit[1]))
        exhausted = len(candidates) < ask
        if exhausted:
            return best[:limit], len(best) <= limit
        if len(best) >= limit and best[limit - 1][0] > candidates[-1][0]:
            return best[:limit], False
        check(cancelled)
        ask *= WIDEN
