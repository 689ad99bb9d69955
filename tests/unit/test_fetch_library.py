"""Fetching through the facade: what arrives is shown, new, first in the list, and the
index takes only the papers that arrived."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from feed_server import RSS, Reply

from papertui import index
from papertui.feeds.fetch_state import FetchState
from papertui import paths

Item = tuple[str, str, str]  # arXiv id, day, announce type


def rss(day: str, items: list[Item]) -> bytes:
    """An arXiv RSS channel of ``day`` holding ``items``."""
    def when(iso: str) -> str:
        return dt.date.fromisoformat(iso).strftime("%a, %d %b %Y 00:00:00 -0400")

    entries = "".join(f"""
    <item>
      <title>Paper {pid} about fetched things</title>
      <link>https://arxiv.org/abs/{pid}</link>
      <description>arXiv:{pid}v1 Announce Type: {kind}
Abstract: A study of arrivals number {pid}.</description>
      <guid isPermaLink="false">oai:arXiv.org:{pid}v1</guid>
      <category>cs.CV</category>
      <pubDate>{when(on)}</pubDate>
      <arxiv:announce_type>{kind}</arxiv:announce_type>
      <dc:creator>Ada Fetcher</dc:creator>
    </item>""" for pid, on, kind in items)
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>cs.CV updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.CV</link>
    <description>cs.CV updates on the arXiv.org e-print archive.</description>
    <pubDate>{when(day)}</pubDate>{entries}
  </channel>
</rss>""".encode()


DAY1 = [("2606.10001", "2026-06-01", "new"), ("2606.10002", "2026-06-01", "cross")]
DAY2 = [("2606.20001", "2026-06-02", "new"), ("2606.20002", "2026-06-02", "replace"),
        ("2606.10001", "2026-06-01", "new")]


@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The ids each incremental index update was asked to add."""
    seen: list[list[str]] = []
    real = index.update_in_child

    def spy(directory, add, *args, **kwargs):
        seen.append([doc[0] for doc in add])
        return real(directory, add, *args, **kwargs)

    monkeypatch.setattr(index, "update_in_child", spy)
    return seen


def test_a_fetch_shows_what_arrived_as_new_first_in_the_list(rss_feed, seed_library, updates) -> None:
    seed = list(seed_library.ids)
    rss_feed.route("/rss/cs.CV", Reply(rss("2026-06-01", DAY1), content_type=RSS))
    progress: list[tuple[str, str]] = []
    summary = seed_library.fetch_feeds(progress=lambda feed, what: progress.append((feed, what)))
    assert not summary.failed and summary.arrived == 2
    assert summary.lines() == ["arxiv-rss: 1 request, 2 papers, 2 new"]
    assert progress[0] == ("arxiv-rss", "starting") and progress[1][1].endswith("/rss/cs.CV")
    assert seed_library.ids == ["2606.10001", "2606.10002", *seed]
    assert seed_library.search("is:new").ids == ["2606.10001", "2606.10002"]
    assert seed_library.new_count() == 2
    assert seed_library.search("announce:new").ids == ["2606.10001"]
    assert set(seed_library.search("cat:cs.CV fetched").ids) == {"2606.10001", "2606.10002"}
    assert updates == [["2606.10001", "2606.10002"]]


def test_the_index_takes_only_the_papers_of_the_second_fetch(rss_feed, seed_library, updates) -> None:
    rss_feed.route("/rss/cs.CV", Reply(rss("2026-06-01", DAY1), content_type=RSS),
                 Reply(rss("2026-06-02", DAY2), content_type=RSS))
    seed_library.fetch_feeds()
    summary = seed_library.fetch_feeds()
    assert summary.arrived == 2
    # The folder now holds both days; the index was asked for the two arrivals only.
    assert updates[-1] == ["2606.20001", "2606.20002"]
    assert seed_library.ids[:4] == ["2606.20001", "2606.20002", "2606.10001", "2606.10002"]
    assert set(seed_library.search("arrivals").ids) == {
        "2606.10001", "2606.10002", "2606.20001", "2606.20002"}
    assert seed_library.search("source:arxiv-rss is:new").ids == seed_library.ids[:4]


def test_an_unchanged_feed_changes_nothing(rss_feed, seed_library, updates) -> None:
    rss_feed.route("/rss/cs.CV", Reply(rss("2026-06-01", DAY1), content_type=RSS, etag=True))
    seed_library.fetch_feeds()
    ids = list(seed_library.ids)
    summary = seed_library.fetch_feeds()
    assert summary.arrived == 0 and summary.lines() == ["arxiv-rss: 1 request, unchanged"]
    assert seed_library.ids == ids and len(updates) == 1


def test_a_failed_fetch_is_reported_and_the_library_kept(rss_feed, seed_library) -> None:
    rss_feed.route("/rss/cs.CV", Reply(b"<html>down</html>", 200, "text/html"))
    ids = list(seed_library.ids)
    summary = seed_library.fetch_feeds()
    assert summary.failed and summary.arrived == 0
    assert summary.lines()[0].startswith("arxiv-rss: ") and "HTML" in summary.lines()[0]
    assert seed_library.ids == ids


def test_no_feeds_means_nothing_to_fetch(seed_library) -> None:
    summary = seed_library.fetch_feeds()
    assert summary.reports == () and summary.lines()[0].startswith("no feeds to fetch")
    assert seed_library.fetch_due() is False


def test_fetch_is_due_when_the_last_fetch_is_older_than_auto_fetch(rss_feed, seed_library) -> None:
    assert seed_library.fetch_due() is True  # never fetched
    with FetchState(paths.state_db()) as state:
        state.succeeded("arxiv-rss", "ok", papers=0, last_day=None, validators={})
    assert seed_library.fetch_due() is False
    feeds = paths.config_file().read_text()
    paths.config_file().write_text("auto_fetch = 0.0001\n" + feeds)  # hours: 0.36 s
    time.sleep(0.5)
    assert seed_library.fetch_due() is True
    paths.config_file().write_text("auto_fetch = 0\n" + feeds)
    assert seed_library.fetch_due() is False
