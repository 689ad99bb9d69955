"""The filter registry: each filter keeps the right papers, in order, and parses strictly."""

from __future__ import annotations

import datetime as dt

import pytest

from papertui import filters
from papertui.catalog import SEPARATOR
from papertui.errors import QueryError
from papertui.filters import Context, Filter
from papertui.query import parse

IDS = ["2606.00001", "2606.00002", "2606.00003", "2606.00004", "seed-paper"]
NOW = dt.datetime(2026, 6, 15, 12, 0).timestamp()
COLUMNS = {
    "categories": {"2606.00001": SEPARATOR.join(["cs.CL", "cs.AI"]), "2606.00002": "cs.CV",
                   "2606.00003": "math.GT", "2606.00004": "", "seed-paper": ""},
    "date": {"2606.00001": "2026-06-14", "2606.00002": "2026-06-01", "2606.00003": "2026-05",
             "2606.00004": "2026-06", "seed-paper": None},
    "sources": {"2606.00001": SEPARATOR.join(["hf-daily", "rss"]), "2606.00002": "rss",
                "2606.00003": "d2l.bib", "2606.00004": "rss", "seed-paper": "seed"},
    "announce_type": {"2606.00002": "new", "2606.00004": "replace-cross"},
}


def context(**changes) -> Context:
    made = Context(
        IDS, {pid: n for n, pid in enumerate(IDS)}, read={"2606.00003", "2606.00001"},
        starred={"2606.00002"}, column=COLUMNS.__getitem__,
        find_source=lambda prefix: {"hf": "hf-daily", "d2l": "d2l.bib"}.get(prefix, prefix),
        new=lambda: {"2606.00004", "gone-from-the-library"},
        entered=lambda: {"seed-paper": dt.datetime(2026, 6, 10).timestamp()}, now=NOW)
    for name, value in changes.items():
        setattr(made, name, value)
    return made


def kept(query: str, given: list[str] | None = None, **changes) -> list[str]:
    return filters.apply(context(**changes), given, parse(query).filters)


@pytest.mark.parametrize(("query", "expected"), [
    ("is:read", ["2606.00001", "2606.00003"]),
    ("is:unread", ["2606.00002", "2606.00004", "seed-paper"]),
    ("is:starred", ["2606.00002"]),
    ("is:unstarred", ["2606.00001", "2606.00003", "2606.00004", "seed-paper"]),
    ("is:new", ["2606.00004"]),
    ("is:read is:unread", []),
    ("source:hf", ["2606.00001"]),
    ("source:rss is:unread", ["2606.00002", "2606.00004"]),
    ("cat:cs.CL", ["2606.00001"]),
    ("cat:CS.cl", ["2606.00001"]),
    ("cat:cs", []),
    ("cat:cs.*", ["2606.00001", "2606.00002"]),
    ("-cat:cs.*", ["2606.00003", "2606.00004", "seed-paper"]),
    ("announce:new", ["2606.00002"]),
    ("announce:replace-cross", ["2606.00004"]),
    ("-announce:new", ["2606.00001", "2606.00003", "2606.00004", "seed-paper"]),
    # The paper's own date; an undated one by when it entered the library (June 10).
    ("since:2026-06-01", ["2606.00001", "2606.00002", "2606.00004", "seed-paper"]),
    ("since:2026-06-11", ["2606.00001", "2606.00004"]),
    ("since:7d", ["2606.00001", "2606.00004", "seed-paper"]),
    ("since:1w", ["2606.00001", "2606.00004", "seed-paper"]),
    ("since:3d", ["2606.00001", "2606.00004"]),  # "2026-06" may be June 12 or later
    ("since:2026-05", IDS),
    ("since:2026", IDS),
    ("-since:2026-06-11", ["2606.00002", "2606.00003", "seed-paper"]),
])
def test_each_filter_keeps_its_papers_in_list_order(query: str, expected: list[str]) -> None:
    assert kept(query) == expected


def test_filters_keep_the_order_of_ranked_ids() -> None:
    ranked = ["seed-paper", "2606.00003", "2606.00002", "2606.00001"]
    assert kept("is:read", ranked) == ["2606.00003", "2606.00001"]
    assert kept("is:unread", ranked) == ["seed-paper", "2606.00002"]


def test_a_mark_filter_over_the_library_looks_only_at_the_marked_papers() -> None:
    class Untouchable(list):
        def __iter__(self):
            raise AssertionError("is:starred walked the whole library")

    everything = Untouchable(IDS)
    assert kept("is:starred", ids=everything) == ["2606.00002"]
    assert kept("is:starred is:unread", ids=everything) == ["2606.00002"]
    assert kept("is:read is:new", ids=everything) == []


@pytest.mark.parametrize(("query", "message"), [
    ("is:bogus", "unknown filter 'is:bogus': use is:read, is:unread, is:starred, is:unstarred,"),
    ("-is:read", "unknown filter '-is:read'"),
    ("source:", "source: needs a source name, e.g. source:d2l.bib"),
    ("-source:x", "source: needs a source name, e.g. source:d2l.bib"),
    ("cat:", "cat: needs a value, e.g. cat:cs.CL"),
    ("cat:*", "cat:* is not an arXiv category"),
    ("cat:cs.CL!", "use e.g. cat:cs.CL or cat:cs.*"),
    ("since:yesterday", "since:yesterday is not a date: use e.g. since:2026-06-01 or since:7d"),
    ("since:2026-13-01", "is not a date"),
    ("since:", "since: needs a value"),
    ("announce:old", "announce:old is not an announce type: use one of new, cross, replace"),
])
def test_bad_filters_are_one_line_query_errors(query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse(query)
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_is_new_is_listed_among_the_is_values() -> None:
    with pytest.raises(QueryError, match="is:new"):
        parse("is:nope")


def test_a_filter_parses_to_a_generic_value() -> None:
    parsed = parse("attention -cat:cs.CV is:Starred source:d2l is:starred")
    assert parsed.filters == (Filter("cat", "cs.CV", negated=True), Filter("is", "starred"),
                              Filter("source", "d2l"))
    assert parsed.text is not None


def test_a_registered_kind_is_parsed_and_applied_by_its_name() -> None:
    filters.register("is:even", lambda ctx, ids, value: filters.where(
        ctx, ids, lambda pid: pid[-1:].isdigit() and int(pid[-1]) % 2 == 0))
    try:
        assert kept("is:even") == ["2606.00002", "2606.00004"]
        assert kept("is:even is:unread") == ["2606.00002", "2606.00004"]
    finally:
        del filters.REGISTRY["is:even"]
    with pytest.raises(QueryError):
        parse("is:even")


def test_words_with_a_colon_that_name_no_filter_stay_text() -> None:
    assert parse("GPT-4: scaling").filters == ()


def test_a_bad_filter_value_exits_2_with_one_line_on_the_command_line() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "papertui", "search", "since:yesterday"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "papertui: since:yesterday is not a date: use e.g. since:2026-06-01 or since:7d"]
