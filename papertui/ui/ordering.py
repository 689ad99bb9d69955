"""Which order the list is in, and what ``o`` goes to next (no Textual here).

By default: list order without a text query, relevance with one. ``o`` cycles
relevance (only for ranked results), list order, title and date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

RELEVANCE, LIST, TITLE, DATE = "relevance", "list order", "title", "date"
CYCLE = (RELEVANCE, LIST, TITLE, DATE)
# How Library.sort names the orders it knows.
_LIBRARY_NAMES = {LIST: "list", TITLE: "title", DATE: "date"}


def default(ranked: bool) -> str:
    """List order without a text query, relevance with one."""
    return RELEVANCE if ranked else LIST


def following(current: str, ranked: bool) -> str:
    """The order after ``current``; relevance is offered only for ranked results."""
    choices = CYCLE if ranked else CYCLE[1:]
    if current not in choices:
        return choices[0]
    return choices[(choices.index(current) + 1) % len(choices)]


def effective(chosen: str | None, ranked: bool) -> str:
    """The order to use: the user's choice, if it applies, else the default."""
    if chosen is None or (chosen == RELEVANCE and not ranked):
        return default(ranked)
    return chosen


def arrange(ids: list[str], order: str, ranked: bool,
            sort: Callable[[Sequence[str], str], list[str]]) -> list[str]:
    """``ids`` in ``order``, using ``sort`` (Library.sort) only when they are not already so."""
    if order == RELEVANCE or (order == LIST and not ranked):
        return ids
    return sort(ids, _LIBRARY_NAMES[order])
