"""The filters papertui knows, registered in papertui.filters.

* ``is:read``, ``is:unread``, ``is:starred``, ``is:unstarred``: marks.
* ``is:new``: papers that entered the library after *new-since* (papertui.newness).
* ``source:NAME``: the source a paper came from (a unique prefix will do).
* ``cat:cs.CL``: an arXiv category, exactly; ``cat:cs.*`` any in ``cs.``.
* ``since:2026-06-01``, ``since:7d``, ``since:2w``: the paper's date, or the date
  it entered the library when it has none.
* ``announce:new``: the arXiv RSS announce type (new, cross, replace, replace-cross).

A new kind is one function here and one :func:`papertui.filters.register` call.
Each gives the set of ids it keeps; those made from the catalog (categories,
sources, dates) are kept until the catalog changes (papertui.filters.derived).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from papertui.catalog import SEPARATOR
from papertui.errors import QueryError
from papertui.filters import Context, derived, register, where


def _unread(context: Context, ids: Sequence[str] | None, value: str) -> list[str]:
    read = context.read
    return where(context, ids, lambda pid: pid not in read)


def _unstarred(context: Context, ids: Sequence[str] | None, value: str) -> list[str]:
    starred = context.starred
    return where(context, ids, lambda pid: pid not in starred)


def _source(context: Context, value: str) -> frozenset[str]:
    name = context.find_source(value)
    of = context.column("sources")
    return derived(("source", name), (of,),
                   lambda: (pid for pid, names in of.items() if name in names.split(SEPARATOR)))


def _category(context: Context, value: str) -> frozenset[str]:
    wanted = value.casefold()
    by_category = _categories(context.column("categories"))
    if wanted.endswith("*"):
        prefix = wanted[:-1]
        return derived(("cat", wanted), (by_category,), lambda: (
            pid for category, ids in by_category.items() if category.startswith(prefix)
            for pid in ids))
    return by_category.get(wanted, frozenset())


_by_category: tuple[object, dict[str, frozenset[str]]] | None = None


def _categories(of: Mapping[str, str | None]) -> dict[str, frozenset[str]]:
    """The ids of each (case-folded) category, made once per catalog column."""
    global _by_category
    found = _by_category
    if found is None or found[0] is not of:
        ids: dict[str, set[str]] = {}
        for pid, categories in of.items():
            for category in (categories or "").casefold().split(SEPARATOR):
                if category:
                    ids.setdefault(category, set()).add(pid)
        found = _by_category = (of, {c: frozenset(members) for c, members in ids.items()})
    return found[1]


def _check_category(value: str) -> None:
    if value == "*" or not re.fullmatch(r"[A-Za-z][\w.-]*\*?", value):
        raise QueryError(f"cat:{value} is not an arXiv category: use e.g. cat:cs.CL or cat:cs.*")


_DAYS = re.compile(r"^(\d{1,5})([dw])$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def cutoff(value: str, now: float) -> str:
    """The first day ``since:value`` keeps, as an ISO date (or a year, or a month)."""
    days = _DAYS.match(value)
    if days:
        count = int(days.group(1)) * (7 if days.group(2).lower() == "w" else 1)
        today = dt.datetime.fromtimestamp(now).date()
        return (today - dt.timedelta(days=count)).isoformat()
    if _DATE.match(value):
        try:
            dt.date.fromisoformat(value + "-01-01"[len(value) - 4:])
        except ValueError:
            pass
        else:
            return value
    raise QueryError(f"since:{value} is not a date: use e.g. since:2026-06-01 or since:7d")


def _since(context: Context, value: str) -> frozenset[str]:
    first = cutoff(value, context.now)
    # The first local moment of that day (or month, or year), to compare entry times with.
    first_moment = dt.datetime.fromisoformat((first + "-01-01")[:10]).timestamp()
    dates, entered = context.column("date"), context.entered()

    def keep(pid: str, date: str | None) -> bool:
        if date:  # compare at the coarser precision: "2026-06" is kept by since:2026-06-15
            size = min(len(date), len(first))
            return date[:size] >= first[:size]
        at = entered.get(pid)
        return at is not None and at >= first_moment

    return derived(("since", first), (dates, entered),
                   lambda: (pid for pid, date in dates.items() if keep(pid, date)))


ANNOUNCE_TYPES = ("new", "cross", "replace", "replace-cross")


def _announce(context: Context, value: str) -> frozenset[str]:
    of, wanted = context.column("announce_type"), value.lower()
    return derived(("announce", wanted), (of,),
                   lambda: (pid for pid, kind in of.items() if kind == wanted))


def _check_announce(value: str) -> None:
    if value.lower() not in ANNOUNCE_TYPES:
        raise QueryError(f"announce:{value} is not an announce type: use one of"
                         f" {', '.join(ANNOUNCE_TYPES)}")


register("is:read", chosen=lambda context, value: context.read, small=True)
register("is:unread", _unread, chosen=lambda context, value: context.read, drops=True)
register("is:starred", chosen=lambda context, value: context.starred, small=True)
register("is:unstarred", _unstarred, chosen=lambda context, value: context.starred, drops=True)
register("is:new", chosen=lambda context, value: context.new(), small=True)
register("source", chosen=_source, example="source:d2l.bib", needs="a source name")
register("cat", chosen=_category, example="cat:cs.CL", negatable=True, check=_check_category)
register("since", chosen=_since, example="since:2026-06-01", negatable=True,
         check=lambda value: cutoff(value, 0.0))
register("announce", chosen=_announce, example="announce:new", negatable=True,
         check=_check_announce)
