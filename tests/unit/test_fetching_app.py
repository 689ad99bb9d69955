"""The app's side of the daily loop without Textual: fetching in a child and reopening the
library, the title bar's activity words, and a catch-up undone through the undo log."""

from __future__ import annotations

from pathlib import Path

from feed_server import RSS, FeedServer, Reply, fixture
from foryou_corpus import write_corpus

from papertui import activity, fetching
from papertui.library import Library


def test_a_fetch_runs_in_a_child_and_the_library_reopens_with_what_arrived(
        rss_feed: FeedServer, seed_library: Library) -> None:
    rss_feed.route("/rss/cs.CV", Reply(fixture("rss-cs-cv.xml"), content_type=RSS))
    seen: list[tuple[int, int, str]] = []
    fetched = fetching.fetch(seed_library, progress=lambda *report: seen.append(report))
    assert fetched.summary.lines() == ["arxiv-rss: 1 request, 3 papers, 3 new"]
    assert fetched.notices() == [("Fetched arxiv-rss: 1 request, 3 papers, 3 new", "information")]
    assert seen[0] == (1, 1, "arxiv-rss: starting") and seen[1][2].endswith("/rss/cs.CV")
    assert fetched.library is not None and fetched.library is not seed_library
    try:
        assert fetched.library.ids[3:] == seed_library.ids  # the shown library is untouched
        assert fetched.library.new_count() == 3
        assert not fetched.library.index_ready  # the app brings the index up after the swap
    finally:
        fetched.library.close()


def test_an_unchanged_or_failed_fetch_does_not_reopen_the_library(rss_feed: FeedServer,
                                                                   seed_library: Library) -> None:
    rss_feed.route("/rss/cs.CV", Reply(fixture("rss-cs-cv.xml"), content_type=RSS, etag=True),
                 Reply(fixture("rss-cs-cv.xml"), content_type=RSS, etag=True),
                 Reply(b"<html>down</html>", 200, "text/html"))
    first = fetching.fetch(seed_library)
    assert first.library is not None
    first.library.close()
    unchanged = fetching.fetch(seed_library)
    assert unchanged.summary.lines() == ["arxiv-rss: 1 request, unchanged"]
    assert unchanged.library is None
    failed = fetching.fetch(seed_library)
    assert failed.library is None
    [(text, severity)] = failed.notices()
    assert severity == "error" and text.startswith("Could not fetch arxiv-rss: ") and "HTML" in text


def test_without_feeds_the_notice_says_how_to_add_one(seed_library: Library) -> None:
    assert not fetching.has_feeds()
    fetched = fetching.fetch(seed_library)
    assert fetched.library is None
    assert fetched.notices() == [("Nothing fetched: no feeds to fetch; add one, e.g. papertui"
                                  " feed add hf-daily.", "warning")]


def test_a_catch_up_is_undone_by_the_undo_log(isolated_dirs: Path) -> None:
    library = Library.load()
    try:
        library.add_sources([str(write_corpus(isolated_dirs))])
        assert library.new_count() == 9
        done = library.catch_up()
        assert done.cleared == 9 and library.new_count() == 0
        assert not library.marks_changed_elsewhere()  # the app must not say "changed elsewhere"
        change = library.organise.undo_last()
        assert change is not None and change.label == "caught up (9 new cleared)"
        assert library.new_count() == 9
        assert library.mark("2601.00001").read is False  # marks were never touched
        assert library.undo_catch_up() is False  # undone already
    finally:
        library.close()


def test_the_title_bar_words() -> None:
    assert activity.new_papers(0) == activity.Activity()
    assert activity.new_papers(1234).text == "1,234 new"
    fetching_two = activity.fetching(2, 3, "hf-daily: http://127.0.0.1/api/daily_papers")
    assert fetching_two == activity.Activity("Fetching hf-daily (2/3)", True, 1, 3)
    assert activity.downloading("2401.00001", 1_200_000, 3_400_000, "Esc") == activity.Activity(
        "PDF 2401.00001 1.2/3.4 MB · Esc cancels", True, 1_200_000, 3_400_000)
    assert activity.downloading("2401.00001", 500_000, None, "Esc").text == \
        "PDF 2401.00001 0.5 MB · Esc cancels"
    assert activity.downloading("2401.00001", 0, None, "Esc").total is None  # an indeterminate bar
