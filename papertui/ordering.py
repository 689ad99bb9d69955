"""The orders a list of papers can be shown in, and the one place that sorts.

By default: list order without a text query, relevance with one. ``o`` cycles
relevance (only for ranked results), list order, title, date, upvotes (only
when a shown paper has Hugging Face upvotes) and "for you" (closest to the
starred papers first: see papertui.recommend; list order while nothing is starred).

List order itself is the catalog's: feed papers first, newest day first and,
within a day, most upvoted first; then the papers of files (see :func:`list_order`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

RELEVANCE, LIST, TITLE, DATE = "relevance", "list order", "title", "date"
FORYOU, UPVOTES = "for you", "upvotes"
CYCLE = (RELEVANCE, LIST, TITLE, DATE, UPVOTES, FORYOU)
# The command line's names for the orders (``papertui search --sort NAME``).
NAMES = {"relevance": RELEVANCE, "list": LIST, "title": TITLE, "date": DATE, "upvotes": UPVOTES,
         "foryou": FORYOU}


def default(ranked: bool) -> str:
    """List order without a text query, relevance with one."""
    return RELEVANCE if ranked else LIST


def following(current: str, ranked: bool, upvotes: bool = False) -> str:
    """The order after ``current``; relevance is offered only for ranked results, and
    upvotes only when ``upvotes`` says some shown paper has them."""
    choices = tuple(o for o in CYCLE if (ranked or o != RELEVANCE) and (upvotes or o != UPVOTES))
    if current not in choices:
        return choices[0]
    return choices[(choices.index(current) + 1) % len(choices)]


def effective(chosen: str | None, ranked: bool) -> str:
    """The order to use: the user's choice, if it applies, else the default."""
    if chosen is None or (chosen == RELEVANCE and not ranked):
        return default(ranked)
    return chosen


@dataclass(frozen=True, slots=True)
class SortKeys:
    """What sorting needs to know of the papers; titles and dates are read only when asked."""

    position: Mapping[str, int]
    titles: Callable[[], Mapping[str, str]]
    dates: Callable[[], Mapping[str, str | None]]
    # The for-you model's ordering of a list (ties keep theirs), None without stars.
    for_you: Callable[[], Callable[[Sequence[str]], list[str]] | None] = lambda: None
    upvotes: Callable[[], Mapping[str, int | None]] = dict


def arrange(ids: Sequence[str], order: str, ranked: bool, keys: SortKeys) -> list[str]:
    """``ids`` in ``order``: relevance keeps ranked ids as they came.

    Title is casefolded; date is newest first, the undated last in list order;
    upvotes most first, the papers without last in list order.
    ``ranked`` says whether ``ids`` came ranked, or already in list order.
    """
    if order not in CYCLE:
        raise ValueError(f"unknown order {order!r}")
    if order == FORYOU:
        rank = keys.for_you()
        if rank is not None:
            return rank(ids)
        order = LIST
    if order == RELEVANCE or (order == LIST and not ranked):
        return list(ids)
    if order == TITLE:
        titles = keys.titles()
        return sorted(ids, key=lambda pid: titles[pid].casefold())
    if order in (DATE, UPVOTES):
        values = keys.dates() if order == DATE else keys.upvotes()
        valued = sorted((pid for pid in ids if values.get(pid)), key=values.__getitem__,
                        reverse=True)
        rest = [pid for pid in ids if not values.get(pid)]
        return valued + (rest if not ranked else sorted(rest, key=keys.position.__getitem__))
    return sorted(ids, key=keys.position.__getitem__)


def list_order(papers: Sequence[tuple[str, str | None, int | None, bool]]) -> list[int]:
    """The list order of papers given as (id, date, upvotes, from a feed), as indexes.

    Feed papers come first, newest day first and the most upvoted first within a
    day (the rest of a day as they came); then the papers of files, as they came.
    """
    def key(index: int) -> tuple:
        _pid, date, upvotes, fed = papers[index]
        if not fed:
            return (1, "", 0, index)
        return (0, _descending(date or ""), -(upvotes or 0), index)

    return sorted(range(len(papers)), key=key)


def _descending(date: str) -> str:
    """A key that sorts ISO dates newest first (undated last)."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date[:10]) if date else "\U0010ffff"
