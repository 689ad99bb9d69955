"""The reader never shows a traceback, never shows stale results, and survives anything typed."""

from __future__ import annotations

import random
import re
import threading

from ui_helpers import SEED_PAPERS, notices, recording, running, settle, type_query
from textual import events, on
from textual.message import Message
from textual.widgets import Label, OptionList

from papertui import paths
from papertui.library import SearchResult
from papertui.reader import Answer
from papertui.ui.app import PaperApp, run_app
from papertui.ui.messages import SearchAnswered
from papertui.ui.chrome import BuildProgress
from papertui.ui.dialogs import HelpScreen


def status(app) -> str:
    return str(app.query_one("#filter-status", Label).content)


# Errors ------------------------------------------------------------------


async def test_an_error_in_a_key_is_logged_and_shown_in_one_line(make_library, monkeypatch):
    library = make_library()
    async with running(library) as (app, pilot):
        def broken(paper_id):
            raise RuntimeError("boom")

        with monkeypatch.context() as patched:  # undoing only this keeps the XDG isolation
            patched.setattr(library, "paper", broken)
            await pilot.press("c")
            note = notices(app)[-1]
            assert note.startswith("Unexpected error: RuntimeError: boom.")
            assert str(paths.log_file()) in note
            assert "\n" not in note
            log = paths.log_file().read_text()
            assert "Traceback" in log and "RuntimeError: boom" in log
        await pilot.press("j")  # still answers
        assert app.main_screen.paper_list.cursor == 1
        assert app.is_running


async def test_an_error_in_a_worker_is_logged_and_shown(make_library, monkeypatch):
    library = make_library()
    async with running(library) as (app, pilot):
        def broken(query, **options):
            raise ValueError("index on fire")

        monkeypatch.setattr(library, "search", broken)
        await type_query(pilot, "anything")
        assert any(n.startswith("Unexpected error: ValueError: index on fire.") for n in notices(app))
        assert len(app.main_screen.paper_list.ids) == SEED_PAPERS
        assert app.is_running


class Crash(Message):
    pass


class CrashingApp(PaperApp):
    @on(Crash)
    def crash(self) -> None:  # deliberately unguarded: the last resort must catch it
        raise RuntimeError("kaboom")


def test_the_last_resort_exits_with_one_line_and_no_traceback(make_library, capsys):
    async def crash(pilot) -> None:
        await settle(pilot)
        pilot.app.post_message(Crash())
        await pilot.pause()

    status = run_app(make_library(), app_class=CrashingApp, headless=True, size=(120, 36),
                     auto_pilot=crash)
    assert status == 1
    printed = capsys.readouterr()
    lines = printed.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("papertui: unexpected error: RuntimeError: kaboom")
    assert lines[0].endswith(f"(details in {paths.log_file()})")
    assert "Traceback" not in printed.out + printed.err
    log = paths.log_file().read_text()
    assert "Traceback" in log and "RuntimeError: kaboom" in log


# Stale results -------------------------------------------------------------


async def test_a_slow_old_search_never_overwrites_a_newer_one(make_library, monkeypatch):
    library = make_library()
    async with running(library) as (app, pilot):
        release = threading.Event()
        real = library.search

        def search(query, **options):
            if query == "survey":
                release.wait(10)  # the old query is slow...
            return real(query, **options)

        monkeypatch.setattr(library, "search", search)
        shown: list[list[str]] = []
        real_show = app.main_screen.paper_list.show
        monkeypatch.setattr(app.main_screen.paper_list, "show", lambda ids, *a, **k: (shown.append(ids), real_show(ids, *a, **k)))
        # Asked as the filter bar asks once typing pauses (keys typed one by one could pause
        # mid-word on a busy machine and ask for "surv" too, whose answer is rightly drawn).
        app.main_screen.run_query("survey")  # slow
        await pilot.pause()
        app.main_screen.run_query("mixture experts")  # newer, fast
        release.set()
        await settle(pilot)
        expected = real("mixture experts").ids
        assert app.main_screen.paper_list.ids == expected
        assert all(ids == expected for ids in shown)  # the "survey" answer was never drawn
        assert status(app) == f"{len(expected)} of 67"


async def test_a_result_for_an_old_generation_is_dropped(make_library):
    async with running(make_library()) as (app, pilot):
        await type_query(pilot, "is:unread")
        screen = app.main_screen
        current = list(screen.paper_list.ids)
        stale = Answer(screen.reader.generation - 1, SearchResult("old", current[:3]))
        screen.post_message(SearchAnswered(stale))
        await pilot.pause()
        assert screen.paper_list.ids == current
        assert status(app) == f"{len(current)} of 67"


# The index -----------------------------------------------------------------


async def test_first_launch_builds_the_index_with_progress(make_library, monkeypatch):
    library = make_library(with_index=False)
    started, release = threading.Event(), threading.Event()
    build = library.ensure_index

    def watched_build(progress=None):
        started.set()
        release.wait(20)  # hold the real build until the test has looked
        return build(progress)

    monkeypatch.setattr(library, "ensure_index", watched_build)
    app = recording(PaperApp(library))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        row = app.query_one(BuildProgress)
        assert row.display
        assert str(app.query_one("#index-count", Label).content) == "0/67"
        assert len(app.main_screen.paper_list.ids) == SEED_PAPERS  # browsable while it builds
        await pilot.press("j", "s")
        assert app.main_screen.reader.library.counts()[2] == 1
        release.set()
        await settle(pilot)
        assert library.index_ready
        assert not row.display
        assert "Search index built: 67 papers." in notices(app)


async def test_text_search_waits_for_the_index_but_filters_do_not(make_library, monkeypatch):
    library = make_library(with_index=False)
    gate = threading.Event()
    real = library.ensure_index

    def slow_build(progress=None):
        progress(30, 67, "indexing")
        gate.wait(20)
        return real(progress)

    monkeypatch.setattr(library, "ensure_index", slow_build)
    app = recording(PaperApp(library))
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(500):  # the build's first progress report, within 10 s
            if app.main_screen.reader.index.percent:
                break
            await pilot.pause(0.02)
        assert str(app.query_one("#index-count", Label).content) == "30/67"
        await type_query(pilot, "mixture experts", index=False)
        # With a second progress report SETTLE seconds after the first (a slow machine), the
        # wait also gives an estimate; either way it says how far the build is.
        assert re.fullmatch(r"Index 45% built — (text search starts when it's done"
                            r"|search ready in about \d+ (s|min))", app.main_screen.filter_bar.message)
        assert app.query_one("#filter-message").has_class("-waiting")
        assert len(app.main_screen.paper_list.ids) == SEED_PAPERS
        await pilot.press("s")
        await type_query(pilot, "is:starred", index=False)
        assert len(app.main_screen.paper_list.ids) == 1
        await type_query(pilot, "mixture experts", index=False)
        gate.set()
        await settle(pilot)
        while not library.index_ready:
            await pilot.pause(0.05)
        await settle(pilot)
        assert 0 < len(app.main_screen.paper_list.ids) < SEED_PAPERS
        assert status(app) == f"{len(app.main_screen.paper_list.ids)} of 67"
        assert app.main_screen.filter_bar.message == ""


async def test_a_failed_build_says_so_and_filters_still_work(make_library, monkeypatch):
    from papertui.index import BuildError

    library = make_library(with_index=False)

    def failing_build(progress=None):
        raise BuildError("index build failed: MemoryError: out of memory")

    monkeypatch.setattr(library, "ensure_index", failing_build)
    async with running(library) as (app, pilot):
        assert any("index build failed: MemoryError" in n for n in notices(app))
        assert not app.query_one(BuildProgress).display
        await type_query(pilot, "mixture")
        assert app.main_screen.filter_bar.message.startswith("Text search is off")
        await pilot.press("s")
        await type_query(pilot, "is:starred")
        assert len(app.main_screen.paper_list.ids) == 1
        assert "index build failed" in paths.log_file().read_text()


async def test_similar_papers_are_listed_and_enter_jumps_to_one(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        options = app.query_one("#similar-list", OptionList)
        assert options.option_count == 5
        expected = library.similar(app.main_screen.paper_list.current, 5)
        assert [options.get_option_at_index(i).id for i in range(5)] == expected
        await pilot.press("enter", "enter")  # to the detail pane, then into its similar list
        assert app.focused is options
        await pilot.press("enter")
        await settle(pilot)
        assert app.main_screen.paper_list.current == expected[0]
        assert app.focused is app.main_screen.paper_list


async def test_a_similar_paper_outside_the_filter_clears_it(make_library):
    async with running(make_library()) as (app, pilot):
        await type_query(pilot, '"mixture of experts"')
        options = app.query_one("#similar-list", OptionList)
        outside = [options.get_option_at_index(i).id for i in range(options.option_count)
                   if options.get_option_at_index(i).id not in app.main_screen.paper_list.ids]
        assert outside
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        await pilot.press("enter", "enter", *["j"] * ids.index(outside[0]), "enter")
        await settle(pilot)
        assert app.main_screen.filter_bar.value == ""
        assert app.main_screen.paper_list.current == outside[0]


# Sizes ---------------------------------------------------------------------

SIZES = [(40, 10), (60, 16), (80, 24), (99, 30), (100, 30), (120, 36), (200, 60), (300, 100)]


async def test_renders_at_every_size_from_40x10_to_300x100(make_library):
    async with running(make_library()) as (app, pilot):
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert app.screen.has_class("-narrow") == (width < 100)
            papers = app.main_screen.paper_list.region
            assert papers.height >= 1 and 0 < papers.width and papers.right <= width  # on screen
        await pilot.press("j", "s")
        assert app.is_running
        assert not paths.log_file().exists()  # no row failed to draw


async def test_resizing_with_a_dialog_open(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        for width, height in SIZES + [(120, 36)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is app.main_screen
        await pilot.press("ctrl+p")
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        await pilot.press("escape")
        assert app.screen is app.main_screen
        assert app.is_running
        assert not paths.log_file().exists()


async def test_at_80x24_the_detail_pane_goes_under_the_list(make_library):
    async with running(make_library(), size=(80, 24)) as (app, pilot):
        papers, detail = app.main_screen.paper_list.region, app.main_screen.detail.region
        assert detail.y >= papers.bottom
        assert papers.height >= 5 and detail.height >= 5
        await pilot.press("j", "s", "slash", *"is:starred", "enter")
        await settle(pilot)
        assert len(app.main_screen.paper_list.ids) == 1


# The monkey ------------------------------------------------------------------


def _key_event(key: str) -> events.Key:
    characters = {"space": " ", "slash": "/", "asterisk": "*", "question_mark": "?"}
    if len(key) == 1:
        return events.Key(key, key)
    return events.Key(key, characters.get(key))


async def test_two_thousand_random_keys_do_not_break_it(make_library, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # `e` then Enter exports a reading list to the current folder
    opened: list[str] = []
    letters = [c for c in "abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ0123456789" if c != "q"]
    keys = letters + ["space", "slash", "asterisk", "question_mark", "up", "down", "left", "right",
                      "enter", "escape", "tab", "shift+tab", "pageup", "pagedown", "home", "end",
                      "backspace"]
    rng = random.Random(20240813)
    async with running(make_library(), size=(100, 30), opener=opened.append) as (app, pilot):
        for start in range(0, 2000, 100):
            for _ in range(100):
                app.post_message(_key_event(rng.choice(keys)))
            await pilot.pause()
        await settle(pilot)
        assert app.is_running
        assert not any(n.startswith("Unexpected error") for n in notices(app)), paths.log_file().read_text()
        assert not paths.log_file().exists(), paths.log_file().read_text()
        while app.screen is not app.main_screen:
            app.pop_screen()
        await pilot.pause()
        app.main_screen.paper_list.focus()
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("G")
        assert app.main_screen.paper_list.cursor == len(app.main_screen.paper_list.ids) - 1
