"""Running a filter-bar query: the first screen, the complete list, and did you mean.

A search in relevance order with a ``limit`` is the *first screen*: the index
ranks only the best hits (see papertui.index.ranking), and more rounds widen
it until ``limit`` of them pass the filters. Without a limit, or in another
order, every hit is ranked and sorted: the *complete list*.

Spelling (``correct=True``: the filter bar and ``papertui search`` only) marks
the words no paper has. When the query as typed finds nothing, the results are
those of its correction, the first one that finds something; when it finds
something, a correction is only offered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from papertui import ordering
from papertui.errors import IndexNotReady, QueryError
from papertui.highlight import NO_HIGHLIGHTS, Highlights
from papertui.index import PaperIndex
from papertui.index.ranking import Cancelled, check
from papertui.query import ParsedQuery, parse

Filtered = Callable[[Sequence[str] | None, ParsedQuery], list[str]]  # None: every paper
WIDEN = 4  # each round of a filtered first screen ranks this many times more hits


@dataclass(frozen=True, slots=True)
class UnknownWord:
    """A word of the query that no paper has: where it is typed, and the best guess."""

    start: int
    end: int
    word: str
    suggestion: str | None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to one query: ids in their final display order, and what to highlight.

    ``ranked`` says a text query was ranked; ``order`` is the order applied (see
    papertui.ordering). ``complete`` is False when a ``limit`` cut the ids to the
    first screen. ``scores`` holds each id's BM25F score (higher is better) for
    a text query. With spelling on, ``corrected`` is the query whose results
    these are when the typed one found nothing, ``suggestion`` a correction
    offered for a query that found something, and ``unknown`` its unknown words.
    """

    query: str
    ids: list[str]
    highlights: Highlights = NO_HIGHLIGHTS
    ranked: bool = False
    order: str = ordering.LIST
    complete: bool = True
    scores: Mapping[str, float] = field(default_factory=dict)
    corrected: str | None = None
    suggestion: str | None = None
    unknown: tuple[UnknownWord, ...] = ()


@dataclass(frozen=True, slots=True)
class Search:
    """What a search needs of the library: its index, its filters and its sort keys."""

    index: PaperIndex | None
    filtered: Filtered
    sort_keys: ordering.SortKeys

    def run(self, text: str, order: str | None = None, limit: int | None = None, *,
            correct: bool = False, cancelled: Cancelled | None = None) -> SearchResult:
        """The papers matching ``text`` (see Library.search)."""
        result = self._run(text, order, limit, cancelled)
        if not correct or self.index is None:
            return result
        unknown = tuple(UnknownWord(u.word.start, u.word.end, u.word.text, u.suggestion)
                        for u in self.index.unknown_words(text))
        if result.ids:
            offered = self.index.correct(text) if unknown else None
            return replace(result, suggestion=offered, unknown=unknown)
        check(cancelled)
        corrected = self.index.correct(text, lambda query: self._has_hits(query, text, cancelled))
        if corrected is None:
            return replace(result, unknown=unknown)
        found = self._run(corrected, order, limit, cancelled)
        return replace(found, query=text, corrected=corrected, unknown=unknown)

    def _has_hits(self, query: str, typed: str, cancelled: Cancelled | None) -> bool:
        if query == typed:
            return False  # it was searched already
        try:
            return bool(self._run(query, ordering.RELEVANCE, 1, cancelled).ids)
        except QueryError:
            return False

    def _run(self, text: str, order: str | None, limit: int | None,
             cancelled: Cancelled | None) -> SearchResult:
        parsed = parse(text)
        ranked = parsed.text is not None
        chosen = ordering.effective(order, ranked)
        scores: dict[str, float] = {}
        highlights = NO_HIGHLIGHTS
        every = True
        if parsed.text is None:
            ids = self.filtered(None, parsed)
        elif self.index is None:
            raise IndexNotReady("text search is available once the index is built")
        else:
            if limit is not None and chosen == ordering.RELEVANCE:
                ids, scores, every = self._first_screen(parsed, limit, cancelled)
            else:
                hits, _ = self.index.hits(parsed.text, None, cancelled)
                scores = dict(hits)
                check(cancelled)
                ids = self.filtered([pid for pid, _ in hits], parsed)
            check(cancelled)
            highlights = Highlights.of(self.index.matched_terms(parsed.text))
        check(cancelled)
        ids = ordering.arrange(ids, chosen, ranked, self.sort_keys)
        complete = every and (limit is None or len(ids) <= limit)
        shown = ids if limit is None else ids[:limit]
        return SearchResult(text, shown, highlights, ranked, chosen, complete,
                            {pid: scores[pid] for pid in shown} if scores else {})

    def _first_screen(self, parsed: ParsedQuery, limit: int, cancelled: Cancelled | None,
                      ) -> tuple[list[str], dict[str, float], bool]:
        """The ``limit`` best hits that pass the filters, their scores, and whether
        they are every such hit; each round ranks more hits until enough pass."""
        assert self.index is not None and parsed.text is not None
        # One more than shown, to know whether there are more; more still when
        # filters will drop some.
        ask = limit * WIDEN if parsed.filters else limit + 1
        while True:
            hits, every = self.index.hits(parsed.text, ask, cancelled)
            kept = self.filtered([pid for pid, _ in hits], parsed)
            if len(kept) >= limit or every:
                return kept[:limit], dict(hits), every and len(kept) <= limit
            check(cancelled)
            ask *= WIDEN
