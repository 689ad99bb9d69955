"""The filters of the filter language, in one registry: a filter's name -> what it keeps.

papertui.query parses ``is:starred``, ``source:d2l``, ``-cat:cs.CV`` ... into
Filter values by this registry's names; :func:`apply` narrows a list of ids by
them. A new kind of filter is one :func:`register` call (``is:`` filters are
named ``"is:VALUE"``), and its function gets a :class:`Context`: what the
library knows about its papers, read only when a filter asks.

A filter function takes ``(context, ids, value)`` and returns the ids it keeps,
in their order. ``ids`` None stands for every paper in list order, so that a
filter that keeps a small set (``is:starred``) costs the size of that set, not
of the library: see :func:`members`.

A kind may instead give the set of every paper it keeps (``chosen``): then
:func:`matching` counts a query with set operations alone (the sidebar's
counts), and :func:`derived` keeps such a set until what it was made from changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from papertui.errors import QueryError

IS = "is"
SCAN_FROM = 5000  # members() sorts a smaller chosen set, or one under a quarter of the library


@dataclass(frozen=True, slots=True)
class Filter:
    """One filter of a query: ``source:d2l`` is Filter("source", "d2l"); ``is:read`` is
    Filter("is", "read"); a leading ``-`` negates it."""

    name: str
    value: str = ""
    negated: bool = False

    @property
    def key(self) -> str:
        """The registry entry: the name, or ``is:VALUE`` for an ``is:`` filter."""
        return f"{IS}:{self.value}" if self.name == IS else self.name


@dataclass
class Context:
    """What filters may ask of the library. Anything costly is behind a callable."""

    ids: Sequence[str]  # every paper, in list order
    position: Mapping[str, int]
    read: Collection[str] = frozenset()
    starred: Collection[str] = frozenset()
    column: Callable[[str], Mapping[str, Any]] = lambda name: {}
    find_source: Callable[[str], str] = lambda prefix: prefix
    new: Callable[[], Collection[str]] = frozenset
    entered: Callable[[], Mapping[str, float]] = dict  # when each paper entered the library
    now: float = 0.0  # seconds since the epoch
    extra: Mapping[str, Any] = field(default_factory=dict)  # for filters registered elsewhere


Keep = Callable[[Context, Sequence[str] | None, str], Sequence[str]]
Chosen = Callable[[Context, str], Collection[str]]  # every id a filter keeps, in no order


@dataclass(frozen=True, slots=True)
class Kind:
    """A registered filter: what it keeps and how its value is checked when parsed.

    A valued filter with no value (or negated, when it cannot be) is an error
    saying it ``needs`` a value, e.g. ``example``; ``check`` raises QueryError for
    a bad value; ``small`` says it keeps few papers, so it runs first. ``chosen``,
    when given, is the set of every id it keeps (ids outside the library may be in it),
    or with ``drops`` every id it drops (``is:unread`` drops the read papers).
    """

    keep: Keep
    example: str = ""
    needs: str = "a value"
    negatable: bool = False
    check: Callable[[str], object] | None = None
    small: bool = False
    chosen: Chosen | None = None
    drops: bool = False


REGISTRY: dict[str, Kind] = {}


def register(key: str, keep: Keep | None = None, *, chosen: Chosen | None = None,
             **options: Any) -> None:
    """Add a filter kind: ``"is:new"`` for an ``is:`` value, ``"cat"`` for ``cat:VALUE``.

    Give ``keep``, or ``chosen`` (the set of ids it keeps) and ``keep`` follows from it.
    """
    if keep is None:
        assert chosen is not None and not options.get("drops"), f"filter {key} needs keep"
        keep = lambda context, ids, value: members(context, ids, chosen(context, value))  # noqa: E731
    REGISTRY[key] = Kind(keep, chosen=chosen, **options)


DERIVED_LIMIT = 64
_derived: dict[tuple, tuple[tuple, frozenset[str]]] = {}
_derived_lock = threading.Lock()


def derived(key: tuple, inputs: tuple, compute: Callable[[], Iterable[str]]) -> frozenset[str]:
    """The ids ``compute()`` gives, kept under ``key`` for as long as the same ``inputs``
    (compared by identity: a catalog's column, the entered times) are given again.

    A new catalog brings new column objects, so sets made from the old one are not used."""
    with _derived_lock:
        found = _derived.get(key)
    if found is not None and len(found[0]) == len(inputs) and all(
            a is b for a, b in zip(found[0], inputs)):
        return found[1]
    value = frozenset(compute())
    with _derived_lock:
        _derived.pop(key, None)
        while len(_derived) >= DERIVED_LIMIT:
            _derived.pop(next(iter(_derived)))
        _derived[key] = (inputs, value)
    return value


_MARKS_FIRST = ("read", "unread", "starred", "unstarred", "new")


def is_values() -> list[str]:
    """The values ``is:`` takes: the marks and ``new`` first, then the rest by name."""
    values = [key.partition(":")[2] for key in REGISTRY if key.startswith(f"{IS}:")]
    first = [value for value in _MARKS_FIRST if value in values]
    return first + sorted(set(values) - set(first))


def kind(name: str) -> Kind | None:
    """The registered kind a valued filter (``cat``, ``source``...) names, if any."""
    return None if name == IS else REGISTRY.get(name)


def members(context: Context, ids: Sequence[str] | None, chosen: Collection[str]) -> list[str]:
    """The ids that are in ``chosen``, in their order; O(len(chosen)) for the whole library
    (a large part of it is picked out in one pass instead, faster than sorting)."""
    if ids is None and (len(chosen) < SCAN_FROM or len(chosen) * 4 < len(context.position)):
        position = context.position
        return sorted((pid for pid in chosen if pid in position), key=position.__getitem__)
    return [pid for pid in (context.ids if ids is None else ids) if pid in chosen]


def where(context: Context, ids: Sequence[str] | None, test: Callable[[str], bool]) -> list[str]:
    """The ids that pass ``test``, in their order."""
    return [pid for pid in (context.ids if ids is None else ids) if test(pid)]


def apply(context: Context, ids: Sequence[str] | None, chosen: Sequence[Filter]) -> list[str]:
    """The ids that every filter keeps (``ids`` None: every paper, in list order)."""
    if not chosen:
        return list(context.ids if ids is None else ids)
    # Filters that keep few papers go first: the rest then look at only those.
    for one in sorted(chosen, key=lambda f: not (REGISTRY[f.key].small and not f.negated)):
        kept = REGISTRY[one.key].keep(context, ids, one.value)
        if one.negated:
            dropped = set(kept)
            kept = [pid for pid in (context.ids if ids is None else ids) if pid not in dropped]
        ids = list(kept)
    return list(ids)


def matching(context: Context, ids: Collection[str] | None,
             chosen: Sequence[Filter]) -> AbstractSet[str]:
    """The ids (``ids`` None: every paper) that every filter keeps, in no order: as
    :func:`apply`, but by set operations where a kind gives its ``chosen`` set."""
    every = derived(("every",), (context.position,), lambda: context.position)
    # Text matches are all in the library; frozenset() of a frozenset is no copy.
    kept: frozenset[str] | set[str] = every if ids is None else frozenset(ids)
    for one in sorted(chosen, key=lambda f: not (REGISTRY[f.key].small and not f.negated)):
        kind, drop = REGISTRY[one.key], one.negated
        if kind.chosen is not None:
            found, drop = kind.chosen(context, one.value), drop != kind.drops
        else:
            found = kind.keep(context, None if kept is every else list(kept), one.value)
        # intersection() walks the smaller of two sets
        kept = kept.difference(found) if drop else kept.intersection(found)
    return kept


def check_known(name: str, value: str, token: str, negated: bool) -> Filter:
    """The Filter a ``name:value`` token stands for; QueryError when it is not one."""
    if name == IS:
        key = f"{IS}:{value.lower()}"
        found = REGISTRY.get(key)
        if found is None or (negated and not found.negatable):
            values = [f"is:{v}" for v in is_values()]
            listed = ", ".join(values[:-1]) + f" or {values[-1]}"
            raise QueryError(f"unknown filter {token!r}: use {listed}")
        return Filter(IS, value.lower(), negated)
    found = REGISTRY[name]
    if not value or (negated and not found.negatable):
        raise QueryError(f"{name}: needs {found.needs}, e.g. {found.example}")
    if found.check is not None:
        found.check(value)
    return Filter(name, value, negated)
