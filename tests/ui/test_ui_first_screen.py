"""Search that paints at once: the first screen, then the complete list; stale searches
cancelled; did you mean under the filter bar, and ctrl+r."""

from __future__ import annotations

import threading

from ui_helpers import SEED_PAPERS, running, settle, type_query
from textual.widgets import Label

from papertui.errors import SearchCancelled


def status(app) -> str:
    return str(app.query_one("#filter-status", Label).content)


def counts(app) -> str:
    return str(app.query_one("#counts", Label).content)


def hold_complete_lists(library, query: str) -> tuple[threading.Event, threading.Event, list[str]]:
    """Make ``query``'s complete list wait for ``release`` (its first screen does not);
    ``entered`` is set once it waits, and ``ended`` says how each such search ended."""
    entered, release, ended = threading.Event(), threading.Event(), []
    search = library.search

    def held(text, *args, limit=None, cancelled=None, **options):
        if text != query or limit is not None:
            return search(text, *args, limit=limit, cancelled=cancelled, **options)
        entered.set()
        release.wait(5)  # a failing test must not hold the app's shutdown for long
        try:
            result = search(text, *args, limit=limit, cancelled=cancelled, **options)
        except SearchCancelled:
            ended.append("cancelled")
            raise
        ended.append("finished")
        return result

    library.search = held
    return entered, release, ended


async def until(pilot, condition) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the app never got there")


async def test_the_first_screen_paints_then_the_complete_list_keeps_cursor_and_selection(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        entered, release, _ = hold_complete_lists(library, "model")
        await pilot.press("slash", *"model", "enter")
        await until(pilot, entered.is_set)
        await until(pilot, lambda: "50+" in counts(app))
        papers = app.main_screen.paper_list
        assert counts(app) == f"{SEED_PAPERS} papers · 0 read · 0 starred · 50+ shown"
        assert status(app) == f"50+ of {SEED_PAPERS}, counting…"
        assert len(papers.ids) == 50
        await pilot.press("j", "j", "j")
        selected = papers.current
        await pilot.press("space")  # select it (the cursor moves on)
        chosen, row = papers.current, papers.cursor
        assert row == 4
        release.set()
        await settle(pilot)
        assert counts(app) == f"{SEED_PAPERS} papers · 0 read · 0 starred · {SEED_PAPERS} shown · 1 selected"
        assert status(app) == f"{SEED_PAPERS} of {SEED_PAPERS}"
        assert len(papers.ids) == SEED_PAPERS
        assert papers.current == chosen and papers.cursor == row
        assert list(app.main_screen.workspace.selection.in_order(papers.ids)) == [selected]


async def test_a_search_made_stale_by_a_newer_query_is_cancelled(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        entered, release, ended = hold_complete_lists(library, "model")
        await pilot.press("slash", *"model", "enter")
        await until(pilot, entered.is_set)  # the complete list of "model" is on its way
        await pilot.press("slash")
        app.query_one("#filter-input").value = ""
        await pilot.press(*"mixture of experts", "enter")
        release.set()
        await settle(pilot)
        assert ended == ["cancelled"]  # it stopped, not only had its answer dropped
        assert app.main_screen.reader.shown.result.query == "mixture of experts"
        assert status(app) == f"{len(app.main_screen.paper_list.ids)} of {SEED_PAPERS}"


async def test_did_you_mean_shows_the_correction_and_ctrl_r_goes_back_to_what_was_typed(make_library):
    async with running(make_library()) as (app, pilot):
        bar = app.main_screen.filter_bar
        await type_query(pilot, "trasnformer")
        assert bar.message == "Showing results for “transformer”; search instead for “trasnformer” (ctrl+r)"
        assert app.query_one("#filter-message").has_class("-spelling")
        corrected = list(app.main_screen.paper_list.ids)
        assert corrected
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.main_screen.paper_list.ids == []
        assert bar.value == "trasnformer"
        assert bar.message == "Showing results for “trasnformer” as typed; search for “transformer” (ctrl+r)"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.main_screen.paper_list.ids == corrected


async def test_ctrl_r_works_while_typing_and_a_query_with_hits_is_only_offered_a_correction(make_library):
    async with running(make_library()) as (app, pilot):
        bar = app.main_screen.filter_bar
        await pilot.press("slash", *"transformer OR trasnformer")
        await settle(pilot)  # the debounce's query, while the bar still has focus
        assert bar.typing
        assert bar.message == "trasnformer? → transformer · did you mean “transformer OR transformer”? (ctrl+r)"
        typed_hits = list(app.main_screen.paper_list.ids)
        assert typed_hits  # the query as typed found something: that is what shows
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert bar.value == "transformer OR transformer"
        assert bar.message == ""


async def test_an_unknown_word_with_no_suggestion_is_marked(make_library):
    async with running(make_library()) as (app, pilot):
        await type_query(pilot, "model OR qqxyzzq")
        assert app.main_screen.filter_bar.message == "qqxyzzq? (no paper has it)"
