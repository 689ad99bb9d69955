"""The daily loop in the app: F fetches, N and C for what is new, P opens the PDF, o for you.

Feeds and PDFs come from a loopback server; the PDF viewer is a stub that
records its arguments. No test touches the internet or opens a real viewer.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from feed_server import RSS, FeedServer, Reply, fixture
from foryou_corpus import AUCTIONS, ROBOTS, write_corpus
from stubs import recorded, stub
from textual.widgets import Label
from ui_helpers import SEED_PAPERS, body_lines, notices, running, settle

from papertui import config, pdfs
from papertui.feeds.spec import new_feed
from papertui.library import Library
from papertui.ui.chrome import BuildProgress
from papertui.ui.main_screen import MainScreen
from papertui.ui.paper_list import PaperList

PDF = fixture("minimal.pdf")


def activity(app) -> str:
    """What the title bar's activity area says."""
    return str(app.query_one("#activity-text", Label).content)


async def until(pilot, done: Callable[[], bool], what: str) -> None:
    """Let the app run (workers, then their messages) until ``done()``; fail after a while."""
    for _ in range(100):
        if done():
            return
        await settle(pilot)
        await pilot.pause(0.05)
    raise AssertionError(f"the app never got there: {what}")


@pytest.fixture
def topics(isolated_dirs: Path, server: FeedServer) -> Iterator[tuple[Library, Path]]:
    """The seed plus three topics (added after the library began, so new), arXiv PDFs at the
    loopback server, and the viewer stub's record."""
    viewer, record = stub(isolated_dirs, "viewer")
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "papertui" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(f'pdf_viewer = "{viewer} {{path}}"\n\n[pdf]\narxiv_base = "{server.url}/"\n')
    library = Library.load()
    library.add_sources([str(write_corpus(isolated_dirs))])
    yield library, record
    library.close()


# Fetching -------------------------------------------------------------------


def subscribe(server: FeedServer, auto_fetch: float) -> None:
    """One arXiv RSS feed at the loopback server."""
    feed = new_feed("arxiv-rss", ["cs.CV"], url=server.url)
    assert config.save(config.Config(feeds=(feed,), raw={"auto_fetch": auto_fetch})) is None
    assert config.load()[0].auto_fetch == auto_fetch


async def test_the_app_fetches_on_launch_when_the_feeds_are_due(server: FeedServer,
                                                                seed_library: Library) -> None:
    server.route("/rss/cs.CV", Reply(fixture("rss-cs-cv.xml"), content_type=RSS))
    subscribe(server, auto_fetch=12)  # never fetched: due
    async with running(seed_library) as (app, pilot):
        screen = app.main_screen
        await until(pilot, lambda: len(screen.reader.library) == SEED_PAPERS + 3, "papers arrived")
        assert activity(app) == "3 new"
    subscribe(server, auto_fetch=12)
    async with running(screen.reader.library) as (app, pilot):  # fetched just now: not due
        await settle(pilot)
        assert len(server.asked("/rss/cs.CV")) == 1


async def test_f_fetches_in_the_background_keeps_the_cursor_and_says_how_many_are_new(
        server: FeedServer, seed_library: Library) -> None:
    server.route("/rss/cs.CV", Reply(fixture("rss-cs-cv.xml"), content_type=RSS))
    subscribe(server, auto_fetch=0)  # not on launch: on F
    seed = list(seed_library.ids)
    async with running(seed_library) as (app, pilot):
        screen = app.main_screen
        await pilot.press("j", "j")
        assert screen.paper_list.current == seed[2]
        assert activity(app) == ""  # nothing is new in the seed
        await pilot.press("F")
        assert activity(app).startswith("Fetching")
        await until(pilot, lambda: len(screen.reader.library) == SEED_PAPERS + 3, "papers arrived")
        await until(pilot, lambda: screen.reader.library.index_ready, "the index took them")
        assert activity(app) == "3 new"
        assert "Fetched arxiv-rss: 1 request, 3 papers, 3 new" in notices(app)
        assert screen.reader.library.ids[3:] == seed  # feed papers first, the seed after
        assert screen.paper_list.current == seed[2]  # the cursor stayed on its paper
        assert screen.paper_list.ids[screen.paper_list.cursor] == seed[2]
        assert len(screen.reader.library.search("is:new").ids) == 3
        assert server.asked("/rss/cs.CV")


async def test_the_index_takes_fetched_papers_after_the_new_list_painted_without_the_build_row(
        server: FeedServer, seed_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """The update's worker would slow the repaint of the swap, and a progress row shown for
    a second would move the list twice: both cost the event loop a whole-screen repaint."""
    server.route("/rss/cs.CV", Reply(fixture("rss-cs-cv.xml"), content_type=RSS))
    subscribe(server, auto_fetch=0)
    painted: list[int] = []  # the list's length at each row it painted
    started: list[int] = []  # how many rows of the grown list had painted when the index started
    rows: list[bool] = []  # whether the build row showed, at each index status
    render_line, start_index = PaperList.render_line, MainScreen.start_index
    watch_status = BuildProgress.watch_status

    def record_paint(self: PaperList, y: int):
        painted.append(len(self.ids))
        return render_line(self, y)

    def record_start(self: MainScreen) -> None:
        started.append(painted.count(SEED_PAPERS + 3))
        start_index(self)

    def record_row(self: BuildProgress, status) -> None:
        watch_status(self, status)
        rows.append(self.display)

    monkeypatch.setattr(PaperList, "render_line", record_paint)
    monkeypatch.setattr(MainScreen, "start_index", record_start)
    monkeypatch.setattr(BuildProgress, "watch_status", record_row)
    async with running(seed_library) as (app, pilot):
        screen = app.main_screen
        started.clear()  # the launch's
        await pilot.press("F")
        await until(pilot, lambda: len(screen.reader.library) == SEED_PAPERS + 3, "papers arrived")
        await until(pilot, lambda: screen.reader.library.index_ready, "the index took them")
        assert len(started) == 1 and started[0] > 0  # after the grown list painted
        assert rows and not any(rows)  # statuses came (building, ready), the row never showed
        assert screen.reader.library.search("is:new").ids


async def test_f_without_feeds_says_how_to_add_one(seed_library: Library) -> None:
    async with running(seed_library) as (app, pilot):
        await pilot.press("F")
        await settle(pilot)
        assert notices(app)[-1].startswith("Nothing to fetch: no feeds to fetch; add one")
        assert activity(app) == ""


async def test_f_offline_keeps_the_library_and_says_why(server: FeedServer,
                                                        seed_library: Library) -> None:
    server.route("/rss/cs.CV", Reply(b"<html>down for maintenance</html>", 200, "text/html"))
    subscribe(server, auto_fetch=0)
    async with running(seed_library) as (app, pilot):
        await pilot.press("F")
        await until(pilot, lambda: not activity(app).startswith("Fetching"), "the fetch ended")
        failed = [n for n in notices(app) if n.startswith("Could not fetch arxiv-rss: ")]
        assert len(failed) == 1 and "HTML" in failed[0]
        assert app.main_screen.reader.library is seed_library
        assert len(seed_library) == SEED_PAPERS


# What is new ----------------------------------------------------------------


async def test_n_shows_only_new_papers_and_c_catches_up_which_u_undoes(topics) -> None:
    library, _ = topics
    async with running(library) as (app, pilot):
        screen = app.main_screen
        assert activity(app) == "9 new"
        await pilot.press("N")
        await settle(pilot)
        assert screen.filter_bar.value == "is:new"
        assert sorted(screen.paper_list.ids) == sorted([*ROBOTS, *AUCTIONS, "2601.00008",
                                                        "2601.00009"])
        await pilot.press("N")
        await settle(pilot)
        assert screen.filter_bar.value == ""
        assert len(screen.paper_list.ids) == SEED_PAPERS + 9
        await pilot.press("N", "C")
        await settle(pilot)
        assert "Caught up: 9 papers are no longer new (marks unchanged). u undoes it." in \
            notices(app)
        assert activity(app) == ""
        assert list(screen.paper_list.ids) == []  # is:new now finds nothing
        assert library.counts()[1:] == (0, 0)  # nothing was marked read
        await pilot.press("u")
        await settle(pilot)
        assert activity(app) == "9 new"
        assert library.new_count() == 9
        assert len(screen.paper_list.ids) == 9  # the is:new list shows them again


# PDFs -------------------------------------------------------------------------


async def test_p_downloads_with_progress_then_opens_the_viewer_and_then_the_kept_copy(
        topics, server: FeedServer) -> None:
    library, record = topics
    # The server waits a little before answering, so that the download is seen under way.
    server.route(f"/pdf/{ROBOTS[0]}", Reply(PDF, content_type="application/pdf", stall=0.5))
    async with running(library) as (app, pilot):
        assert app.main_screen.paper_list.select(ROBOTS[0])
        await pilot.press("P")
        assert activity(app).startswith(f"PDF {ROBOTS[0]} 0.0 MB · Esc cancels")
        await until(pilot, lambda: pdfs.downloaded(ROBOTS[0]) is not None
                    and activity(app) != "" and not activity(app).startswith("PDF"),
                    "the download ended")
        kept = pdfs.path_for(ROBOTS[0])
        assert recorded(record) == [str(kept)]
        assert kept.read_bytes() == PDF
        assert f"Opening {kept}" in notices(app)
        await settle(pilot)
        assert any(line.endswith("PDF ✓") for line in body_lines(app))  # the pane says so at once
        record.unlink()
        await pilot.press("P")
        assert not activity(app).startswith("PDF")  # the kept copy: no download
        await settle(pilot)
        assert recorded(record) == [str(kept)]
        assert len(server.asked(f"/pdf/{ROBOTS[0]}")) == 1


async def test_esc_cancels_a_download_and_keeps_the_filter(topics, server: FeedServer) -> None:
    library, record = topics
    # The server holds the reply back: Esc must not wait for it.
    server.route(f"/pdf/{ROBOTS[1]}", Reply(PDF, content_type="application/pdf", stall=1))
    async with running(library) as (app, pilot):
        screen = app.main_screen
        screen.run_query("robot")
        await settle(pilot)
        assert screen.paper_list.select(ROBOTS[1])
        await pilot.press("P", "escape")
        assert not activity(app).startswith("PDF")  # at once, before the server answers
        assert notices(app)[-1] == "PDF download cancelled."
        assert screen.filter_bar.value == "robot"  # Esc cancelled; it did not clear
        await settle(pilot)  # the worker got its reply, and dropped it
        assert notices(app)[-1] == "PDF download cancelled."
        assert pdfs.downloaded(ROBOTS[1]) is None and not record.exists()
        assert pdfs.folder().exists() and list(pdfs.folder().iterdir()) == []
        await pilot.press("escape")  # no download now: Esc clears the filter
        await settle(pilot)
        assert screen.filter_bar.value == ""


# For you ----------------------------------------------------------------------


async def sort_until(pilot, order: str) -> None:
    screen = pilot.app.main_screen
    for _ in range(6):
        if screen.reader.shown.result.order == order:
            return
        await pilot.press("o")
        await settle(pilot)
    raise AssertionError(f"o never reached {order!r}")


async def test_o_sorts_for_you_after_stars_and_says_why_without(topics) -> None:
    library, _ = topics
    async with running(library) as (app, pilot):
        screen = app.main_screen
        await sort_until(pilot, "for you")
        assert any(n.startswith("No starred papers yet") for n in notices(app))
        assert list(screen.paper_list.ids) == library.ids  # list order kept
        await sort_until(pilot, "list order")
        for pid in (ROBOTS[0], ROBOTS[1], ROBOTS[2]):  # three on robots
            assert screen.paper_list.select(pid)
            await pilot.press("s")
        await sort_until(pilot, "for you")
        top = list(screen.paper_list.ids)[:4]
        assert set(top) == set(ROBOTS), top  # the fourth robot paper follows the starred ones


async def test_a_star_while_sorted_for_you_rebuilds_it_in_a_worker_and_the_list_stays(
        topics) -> None:
    library, _ = topics
    async with running(library) as (app, pilot):
        screen = app.main_screen
        assert screen.paper_list.select(AUCTIONS[0])
        await pilot.press("s")
        await sort_until(pilot, "for you")
        shown = list(screen.paper_list.ids)
        assert screen.paper_list.select(ROBOTS[0])
        await pilot.press("s")
        await settle(pilot)
        assert list(screen.paper_list.ids) == shown  # no jump under the cursor
        assert screen.paper_list.current == ROBOTS[0]
        # The model of both stars was built (in the worker: nothing searched): it explains.
        assert library.why(ROBOTS[1])
