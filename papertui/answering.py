"""Answering the reader's searches: the first screen of a ranked query, then its complete list.

Each request carries a generation number (see papertui.reader); the answers
carry it back, so that the reader can drop those a newer request made stale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from papertui import ordering
from papertui.errors import IndexNotReady, QueryError, SearchCancelled
from papertui.library import Library, SearchResult
from papertui.query import parse

FIRST_SCREEN = 50  # a ranked query paints this many at once, then its complete list


@dataclass(frozen=True, slots=True)
class Request:
    """Search number ``generation``: ``query`` in the order the user chose (None: the default),
    with its spelling corrected unless the user turned the correction down."""

    generation: int
    query: str
    order: str | None
    correct: bool = True


@dataclass(frozen=True, slots=True)
class Answer:
    """What a search gave: a result, a problem with the query, or a wait for the index."""

    generation: int
    result: SearchResult | None = None
    problem: str = ""
    waiting: bool = False


def answers(library: Library, request: Request,
            cancelled: Callable[[], bool] | None = None) -> Iterator[Answer]:
    """The first screen of ``request``'s results, then its complete list (blocking).

    A query that is not ranked (no words, or another order) has only its
    complete list. Ends, without an answer, once ``cancelled()`` is true.
    """
    try:
        if _ranked(request):
            first = answer(library, request, FIRST_SCREEN, cancelled)
            yield first
            if first.result is None or first.result.complete or (cancelled is not None and cancelled()):
                return
        yield answer(library, request, None, cancelled)
    except SearchCancelled:
        return


def answer(library: Library, request: Request, limit: int | None = None,
           cancelled: Callable[[], bool] | None = None) -> Answer:
    """``request``'s first ``limit`` results (None: all). SearchCancelled once ``cancelled()``."""
    try:
        result = library.search(request.query, order=request.order, limit=limit,
                                correct=request.correct, cancelled=cancelled)
    except IndexNotReady:
        return Answer(request.generation, waiting=True)
    except QueryError as error:
        return Answer(request.generation, problem=str(error))
    return Answer(request.generation, result)


def _ranked(request: Request) -> bool:
    if request.order not in (None, ordering.RELEVANCE):
        return False
    try:
        return parse(request.query).text is not None
    except QueryError:
        return False  # the complete search says what is wrong
