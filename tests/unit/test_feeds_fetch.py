"""Fetching feeds into the data dir, against a loopback server serving recorded responses."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from feed_server import ATOM, ERROR_PAGE, HTML, RSS, Reply, fixture

from papertui import paths
from papertui.feeds import fetch as fetching
from papertui.feeds import store
from papertui.feeds.fetch_state import FetchState
from papertui.feeds.http import HttpClient
from papertui.feeds.spec import Feed
from papertui.sources import read_source

DAILY = fixture("daily_papers-2026-06.json")
DAILY_IDS = {item["paper"]["id"] for item in json.loads(DAILY)}
NOW = dt.datetime(2026, 6, 12, 9, 30, tzinfo=dt.timezone.utc)
# The same one-paper Atom list, another paper in it.
ATOM_TWO = fixture("old-style-id.xml").replace(b"astro-ph/0601001", b"2301.00002").replace(
    b"Frequency of Hot Jupiters", b"Rarity of Cold Jupiters")


pytestmark = pytest.mark.usefixtures("no_proxy")  # see tests/conftest.py


@pytest.fixture
def run(server):
    """Fetch a feed as ``papertui fetch`` does, at a chosen moment."""
    state = FetchState(paths.state_db())
    client = HttpClient(read_timeout=0.5, sleep=lambda _: None)

    def fetch(feed: Feed, now: dt.datetime = NOW) -> fetching.FetchReport:
        return fetching.fetch(feed, client, state, now=now)

    fetch.state = state
    yield fetch
    client.close()
    state.close()


def folder_snapshot(name: str) -> dict[str, bytes]:
    where = store.folder(name)
    return {p.name: p.read_bytes() for p in where.iterdir()} if where.exists() else {}


def test_a_first_hf_fetch_asks_for_today_and_the_6_days_before(server, run) -> None:
    server.route("/api/daily_papers", Reply(DAILY, etag=True))
    report = run(Feed("hf", "hf-daily", url=server.url))
    assert report.line() == "hf: 7 days, 30 papers, 30 new"
    dates = [r.query["date"] for r in server.asked("/api/daily_papers")]
    assert dates == [f"2026-06-{day:02d}" for day in range(6, 13)]
    parsed = read_source(str(store.folder("hf")))
    assert {p.id for p in parsed.papers} == DAILY_IDS
    assert {p.sources for p in parsed.papers} == {("hf",)}
    assert run.state.status("hf").last_day == "2026-06-12"


def test_hf_items_keep_upvotes_comments_github_and_who_submitted(server, run) -> None:
    server.route("/api/daily_papers", Reply(DAILY))
    run(Feed("hf", "hf-daily", url=server.url))
    paper = {p.id: p for p in read_source(str(store.folder("hf"))).papers}["2606.13392"]
    assert (paper.upvotes, paper.github) == (103, "https://github.com/MiniMax-AI/MSA")
    assert paper.extra["comments"] == 4 and paper.extra["github_stars"] == 251
    assert paper.extra["organization"] == "MiniMax" and paper.extra["submitter"] == "Ryanlee"
    assert "sparse attention" in paper.extra["ai_keywords"]
    assert paper.extra["ai_summary"].startswith("MiniMax Sparse Attention")


def test_a_second_fetch_of_an_unchanged_feed_changes_nothing(server, run) -> None:
    server.route("/api/daily_papers", Reply(DAILY, etag=True))
    feed = Feed("hf", "hf-daily", url=server.url)
    run(feed)
    before = folder_snapshot("hf")
    mtime = store.folder("hf").stat().st_mtime_ns
    report = run(feed)
    assert report.line() == "hf: 1 day, unchanged"
    last = server.requests[-1]
    assert last.query["date"] == "2026-06-12" and "If-None-Match" in last.headers
    assert folder_snapshot("hf") == before and store.folder("hf").stat().st_mtime_ns == mtime


def test_a_later_fetch_asks_from_the_last_day_fetched_through_today(server, run) -> None:
    server.route("/api/daily_papers", Reply(b"[]"))
    feed = Feed("hf", "hf-daily", url=server.url)
    run(feed)
    run(feed, NOW + dt.timedelta(days=2))
    dates = [r.query["date"] for r in server.asked("/api/daily_papers")][7:]
    assert dates == ["2026-06-12", "2026-06-13", "2026-06-14"]


@pytest.mark.parametrize(("reply", "cause"), [
    (Reply(b"busy", 503, "text/plain"), "HTTP 503 Service Unavailable (after 3 tries)"),
    (Reply(ERROR_PAGE, 200, HTML), "an HTML page where JSON was expected (HTTP 200)"),
    (Reply(ERROR_PAGE, 200, "application/json"), "an HTML page where JSON was expected"),
    (Reply(DAILY[:4000]), "bad response: "),  # cut short, with a matching Content-Length
    (Reply(DAILY, content_type="image/png"), "expected JSON, got content type image/png"),
    (Reply(DAILY, stall=2.0), "timed out waiting for the server"),
])
def test_a_failed_fetch_saves_nothing_and_says_why_in_one_line(server, run, reply, cause) -> None:
    server.route("/api/daily_papers", Reply(DAILY), reply)  # the first day succeeds
    report = run(Feed("hf", "hf-daily", url=server.url))
    assert report.error is not None and cause in report.error and "\n" not in report.error
    assert report.line() == f"hf: {report.error}" and server.url in report.error
    assert folder_snapshot("hf") == {}
    status = run.state.status("hf")
    assert not status.ok and status.last_day is None


def test_arxiv_rss_keeps_the_announce_type_and_categories(server, run) -> None:
    server.route("/rss/cs.CV+cs.LG", Reply(fixture("rss-cs-cv.xml"), content_type=RSS))
    report = run(Feed("cv", "arxiv-rss", ("cs.CV", "cs.LG"), url=server.url))
    assert report.error is None and report.requests == 1
    assert [p.name for p in store.folder("cv").iterdir() if not p.name.startswith(".")] == [
        "2025-03-18.xml"]
    paper = {p.id: p for p in read_source(str(store.folder("cv"))).papers}["2503.11742"]
    assert paper.extra["announce_type"] == "new" and paper.categories[:2] == ("cs.CV", "cs.AI")


def test_arxiv_query_pages_until_papers_already_seen(server, run, monkeypatch) -> None:
    monkeypatch.setattr(fetching, "PAGE_SIZE", 100)
    server.route("/api/query", Reply(fixture("search-testing-100.xml"), content_type=ATOM))
    feed = Feed("q", "arxiv-query", ("all:testing",), url=server.url, max=500)
    first = run(feed)
    pages = [(r.query["start"], r.query["max_results"]) for r in server.asked("/api/query")]
    assert pages == [("0", "100"), ("100", "100")]  # the second page repeats the first: stop
    assert server.requests[0].query["search_query"] == "all:testing"
    assert server.requests[0].query["sortBy"] == "submittedDate"
    assert first.line() == "q: 2 pages, 100 papers, 100 new"
    again = run(feed)
    assert again.line() == "q: 1 page, 100 papers, 0 new"
    assert len([p for p in store.folder("q").iterdir() if not p.name.startswith(".")]) == 1


def test_arxiv_query_stops_at_its_max(server, run, monkeypatch) -> None:
    monkeypatch.setattr(fetching, "PAGE_SIZE", 40)
    server.route("/api/query", Reply(fixture("search-testing-100.xml"), content_type=ATOM))
    run(Feed("q", "arxiv-query", ("all:testing",), url=server.url, max=60))
    assert [r.query["max_results"] for r in server.asked("/api/query")] == ["40"]


def test_two_url_responses_in_one_second_are_both_kept(server, run) -> None:
    server.route("/list.xml", Reply(fixture("old-style-id.xml"), content_type="text/xml"))
    run(Feed("mine", "url", (server.url + "/list.xml",)))
    server.route("/list.xml", Reply(ATOM_TWO, content_type="text/xml"))
    report = run(Feed("mine", "url", (server.url + "/list.xml",)))  # the same moment, NOW
    assert len(folder_snapshot("mine")) == 3  # the marker and both responses
    assert report.line() == "mine: 1 request, 1 papers, 1 new"
    assert {p.id for p in read_source(str(store.folder("mine"))).papers} == {
        "astro-ph/0601001", "2301.00002"}


def test_arxivs_error_entry_fails_the_fetch(server, run) -> None:
    server.route("/api/query", Reply(fixture("error-bad-id.xml"), content_type=ATOM))
    report = run(Feed("q", "arxiv-query", ("id:abc",), url=server.url))
    assert "arXiv API error" in report.error
    assert folder_snapshot("q") == {}


def test_a_url_feed_reads_any_format_papertui_reads(server, run) -> None:
    server.route("/list.xml", Reply(fixture("old-style-id.xml"), content_type="text/xml"))
    report = run(Feed("mine", "url", (server.url + "/list.xml",)))
    assert report.line() == "mine: 1 request, 1 papers, 1 new"
    assert [p.id for p in read_source(str(store.folder("mine"))).papers] == ["astro-ph/0601001"]
