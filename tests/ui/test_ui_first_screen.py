"""Search that paints at once: the first screen, then the complete list; stale searches
cancelled; did you mean under the filter bar, and ctrl+r."""

from __future__ import annotations

import threading

from ui_helpers import SEED_PAPERS, burst, running, settle, type_query, until
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


def paints_of(monkeypatch, app) -> list[tuple[str, bool]]:
    """Each row the list paints from now on, as (the query shown, whether its list is complete)."""
    from papertui.ui.paper_list import PaperList

    painted: list[tuple[str, bool]] = []
    render_line = PaperList.render_line

    def recorded(self, y):
        result = app.main_screen.reader.shown.result
        painted.append((result.query, result.complete))
        return render_line(self, y)

    monkeypatch.setattr(PaperList, "render_line", recorded)
    return painted


def wait_long_for_paints(monkeypatch) -> None:
    """Let a search wait for its first screen's paint as long as it takes: the bound
    (PAINT_WAIT) only keeps a search going on a screen that cannot paint, and a loaded
    machine may take longer than it to paint."""
    from papertui.ui import answer_pacing

    monkeypatch.setattr(answer_pacing, "PAINT_WAIT", 10.0)


async def test_the_complete_list_is_counted_once_the_first_screen_has_painted(make_library, monkeypatch):
    wait_long_for_paints(monkeypatch)
    library = make_library()
    async with running(library) as (app, pilot):
        events: list[str] = []
        painted = paints_of(monkeypatch, app)
        search = library.search

        def watched(text, *args, limit=None, **options):
            if text == "model" and limit is None:
                events.append(f"complete list counted, first screen painted: {('model', False) in painted}")
            return search(text, *args, limit=limit, **options)

        library.search = watched
        await pilot.press("slash", *"model", "enter")
        await until(pilot, lambda: ("model", True) in painted)
        assert events == ["complete list counted, first screen painted: True"]


async def test_enter_read_between_the_first_screen_and_its_paint_still_lets_it_paint_first(
        make_library, monkeypatch):
    """Typing stopped, "model" was asked for, and Enter is read just after its first screen
    came: Enter holds the repaints again before the screen could paint it."""
    from papertui.ui.filter_bar import FilterInput

    wait_long_for_paints(monkeypatch)
    library = make_library()
    async with running(library) as (app, pilot):
        events: list[str] = []
        painted = paints_of(monkeypatch, app)
        answers = app.main_screen.answers
        accept, search = answers.accept, library.search
        entered: list[bool] = []

        def enter_after(message, current):
            taken = accept(message, current)
            result = message.answer.result
            if not entered and result is not None and result.query == "model":
                entered.append(True)
                app.main_screen.query_one(FilterInput).action_search()  # what Enter does
            return taken

        def watched(text, *args, limit=None, **options):
            if text == "model" and limit is None:
                events.append(f"complete list counted, first screen painted: {('model', False) in painted}")
            return search(text, *args, limit=limit, **options)

        monkeypatch.setattr(answers, "accept", enter_after)
        library.search = watched
        await pilot.press("slash", *"model")
        await until(pilot, lambda: ("model", True) in painted)
        assert events[0] == "complete list counted, first screen painted: True"


def block_first_screens(library, query: str) -> threading.Event:
    """Make ``query``'s first screen wait for the returned event (at most 5 s)."""
    release = threading.Event()
    search = library.search

    def held(text, *args, limit=None, **options):
        if text == query and limit is not None:
            release.wait(5)
        return search(text, *args, limit=limit, **options)

    library.search = held
    return release


async def enter_while_the_first_screen_waits(pilot, library, monkeypatch):
    """Type "mode" and let its list show, then "l" and Enter, with the first screen of "model"
    held back: the event that lets it come, and the rows painted from Enter on."""
    release = block_first_screens(library, "model")
    await pilot.press("slash", *"mode")
    await settle(pilot)
    painted = paints_of(monkeypatch, pilot.app)
    await pilot.press("l", "enter")  # the focus goes back to the list: its cursor row repaints
    return release, painted


async def test_from_enter_to_the_first_answer_the_screen_waits_to_paint_them_together(make_library,
                                                                                      monkeypatch):
    from papertui.ui import answer_pacing

    monkeypatch.setattr(answer_pacing, "ANSWER_WAIT", 30.0)  # only the answer ends the wait here
    library = make_library()
    async with running(library) as (app, pilot):
        release, painted = await enter_while_the_first_screen_waits(pilot, library, monkeypatch)
        for _ in range(20):
            await pilot.pause()
        assert app.main_screen.paper_list.has_focus
        assert painted == []  # not yet: the first screen has not come
        release.set()
        await until(pilot, lambda: ("model", False) in painted)
        assert {query for query, _ in painted} == {"model"}  # the old list was never repainted


async def test_a_query_typed_fast_with_enter_paints_once_with_its_answer(make_library, monkeypatch):
    """"/", the query and Enter in one burst (typed fast, or pasted): the screen paints
    neither the focus moving into the bar nor the keys, only the answer with them."""
    from papertui.ui import answer_pacing

    monkeypatch.setattr(answer_pacing, "ANSWER_WAIT", 30.0)  # only the answer ends the wait here
    monkeypatch.setattr(answer_pacing, "TYPING_WAIT", 30.0)  # Pilot types slower than a burst
    library = make_library()
    async with running(library) as (app, pilot):
        release = block_first_screens(library, "model")
        painted = paints_of(monkeypatch, app)
        await pilot.press("slash", *"model", "enter")
        for _ in range(20):
            await pilot.pause()
        assert painted == []  # not the list's cursor row losing the focus to the bar, and back
        release.set()
        await until(pilot, lambda: ("model", False) in painted)
        assert {query for query, _ in painted} == {"model"}


async def test_the_filter_bar_opened_alone_paints_after_a_moment(make_library, monkeypatch):
    library = make_library()
    async with running(library) as (app, pilot):
        painted = paints_of(monkeypatch, app)
        await pilot.press("slash")
        await until(pilot, lambda: painted != [])  # the cursor row, its focus gone to the bar
        assert app.main_screen.filter_bar.typing


async def test_an_answer_slower_than_the_wait_lets_the_screen_paint_without_it(make_library,
                                                                              monkeypatch):
    from papertui.ui import answer_pacing

    monkeypatch.setattr(answer_pacing, "ANSWER_WAIT", 0.01)
    library = make_library()
    async with running(library) as (app, pilot):
        release, painted = await enter_while_the_first_screen_waits(pilot, library, monkeypatch)
        await until(pilot, lambda: painted)  # the list's focus shows, with no answer yet
        assert {query for query, _ in painted} == {"mode"}  # the list the debounce had shown
        release.set()
        await settle(pilot)
        assert ("model", True) in painted


async def test_a_query_typed_in_one_burst_with_enter_is_asked_for_once(make_library):
    """Asking again when the typing's debounce ends would throw away the search under way."""
    async with running(make_library()) as (app, pilot):
        screen = app.main_screen
        asked: list[str] = []
        ask = screen.reader.ask

        def recorded(query, *args, **options):
            asked.append(query)
            return ask(query, *args, **options)

        screen.reader.ask = recorded
        burst(app, "slash", *"model", "enter")
        await settle(pilot)
        await pilot.pause(3 * screen.filter_bar.DEBOUNCE)  # the typing's debounce has ended
        await settle(pilot)
        assert asked == ["model"]
        assert screen.reader.shown.result.query == "model"
        burst(app, "slash", *"mode")  # no Enter: asked for once the typing stops
        await pilot.pause(3 * screen.filter_bar.DEBOUNCE)
        await settle(pilot)
        assert asked == ["model", "mode"]


async def test_rows_are_rendered_again_for_a_new_theme_but_not_for_a_focus_change(make_library,
                                                                               monkeypatch):
    from papertui.ui.paper_list import PaperList

    async with running(make_library()) as (app, pilot):
        rendered: list[str] = []
        render_row = PaperList._render_row

        def recorded(self, paper_id, *args, **options):
            rendered.append(paper_id)
            return render_row(self, paper_id, *args, **options)

        monkeypatch.setattr(PaperList, "_render_row", recorded)
        papers = app.main_screen.paper_list
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert papers.has_focus
        assert set(rendered) == {papers.current}  # the cursor row, focused then not and back
        rendered.clear()
        app.theme = "textual-light"
        await settle(pilot)
        assert len(set(rendered)) > 20  # every row on screen, in the new colours


async def test_keys_typed_right_after_enter_or_esc_reach_the_list_and_those_before_the_query(
        make_library):
    async with running(make_library()) as (app, pilot):
        screen = app.main_screen
        burst(app, "slash", *"model", "enter", "j", "j", "space")
        await settle(pilot)
        assert screen.filter_bar.value == "model"
        assert screen.reader.shown.result.query == "model"
        assert screen.paper_list.has_focus
        assert len(screen.workspace.selection) == 1  # space selected a paper: it was the list's
        burst(app, "slash", "escape", "escape", "slash", *"diff", "escape", "j")
        await settle(pilot)
        assert screen.filter_bar.value == "diff"  # announced when the typing stopped
        assert screen.paper_list.has_focus
