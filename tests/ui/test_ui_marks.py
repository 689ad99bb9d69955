"""Triage from the keyboard: marks, decide-and-advance, undo, and marks that persist."""

from __future__ import annotations

from ui_helpers import SEED_PAPERS, notices, running, settle, type_query
from textual.widgets import Label

from papertui.errors import StateError
from papertui.models import Mark
from papertui.ui.paper_list import STAR, UNREAD


def row_text(app, index: int) -> str:
    """The row as drawn: star, read mark and title."""
    return app.main_screen.paper_list.render_line(index - round(app.main_screen.paper_list.scroll_offset.y)).text


def counts(app) -> str:
    return str(app.query_one("#counts", Label).content)


async def test_r_and_s_toggle_marks_and_show_them_at_once(make_library):
    async with running(make_library()) as (app, pilot):
        first = app.main_screen.paper_list.current
        assert row_text(app, 0).startswith(f"   {UNREAD} ")
        await pilot.press("s")
        assert row_text(app, 0).startswith(f" {STAR} {UNREAD} ")
        await pilot.press("r")
        assert row_text(app, 0).startswith(f" {STAR}   ")
        assert app.main_screen.reader.library.mark(first) == Mark(read=True, starred=True)
        assert counts(app) == "67 papers · 1 read · 1 starred"
        await pilot.press("r", "s")
        assert app.main_screen.reader.library.mark(first) == Mark()
        assert counts(app) == "67 papers · 0 read · 0 starred"


async def test_marks_persist_after_a_restart(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        ids = list(app.main_screen.paper_list.ids)
        await pilot.press("s", "j", "r", "j", "s", "r", "q")
    library.close()
    async with running(make_library()) as (again, pilot):
        marks = again.main_screen.reader.library
        assert marks.mark(ids[0]) == Mark(read=False, starred=True)
        assert marks.mark(ids[1]) == Mark(read=True, starred=False)
        assert marks.mark(ids[2]) == Mark(read=True, starred=True)
        assert counts(again) == "67 papers · 2 read · 2 starred"
        assert row_text(again, 0).startswith(f" {STAR} {UNREAD} ")


async def test_moving_never_marks(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("j", "j", "G", "g", "pagedown", "enter", "escape")
        assert app.main_screen.reader.library.counts() == (SEED_PAPERS, 0, 0)


async def test_u_undoes_one_change_at_a_time(make_library):
    async with running(make_library()) as (app, pilot):
        first = app.main_screen.paper_list.current
        await pilot.press("s", "r")
        await pilot.press("u")
        assert app.main_screen.reader.library.mark(first) == Mark(read=False, starred=True)
        await pilot.press("u")
        assert app.main_screen.reader.library.mark(first) == Mark()
        await pilot.press("u")
        assert "Nothing to undo." in notices(app)


async def test_undo_goes_back_to_the_paper_it_changed(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("j", "j", "s", "G")
        await pilot.press("u")
        assert app.main_screen.paper_list.cursor == 2
        assert app.main_screen.reader.library.counts() == (SEED_PAPERS, 0, 0)


async def test_x_marks_read_and_lands_on_the_next_unread_below(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        ids = app.main_screen.paper_list.ids
        library.set_marks({ids[1]: Mark(read=True), ids[2]: Mark(read=True)})
        await pilot.press("x")
        assert library.mark(ids[0]).read
        assert app.main_screen.paper_list.cursor == 3  # skips the two already read
        await pilot.press("S")
        assert library.mark(ids[3]) == Mark(read=True, starred=True)
        assert app.main_screen.paper_list.cursor == 4


async def test_S_is_one_change_for_undo(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        first = app.main_screen.paper_list.current
        await pilot.press("S")
        assert library.mark(first) == Mark(read=True, starred=True)
        await pilot.press("u")
        assert library.mark(first) == Mark()
        assert app.main_screen.paper_list.current == first


async def test_x_at_the_last_unread_stays_and_says_so(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("G", "x")
        assert app.main_screen.paper_list.cursor == SEED_PAPERS - 1
        assert "No unread papers below." in notices(app)


async def test_rows_marked_under_is_unread_stay_until_the_query_changes(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("U")
        await settle(pilot)
        shown = list(app.main_screen.paper_list.ids)
        first = shown[0]
        await pilot.press("x", "x")
        await settle(pilot)
        assert app.main_screen.paper_list.ids == shown  # nothing jumped
        assert app.main_screen.paper_list.cursor == 2
        assert app.main_screen.reader.library.mark(first).read
        await pilot.press("U", "U")  # off and on again: the query changed
        await settle(pilot)
        assert first not in app.main_screen.paper_list.ids
        assert len(app.main_screen.paper_list.ids) == SEED_PAPERS - 2


async def test_n_and_p_go_to_the_next_and_previous_unread(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        ids = app.main_screen.paper_list.ids
        library.set_marks({ids[1]: Mark(read=True), ids[2]: Mark(read=True), ids[4]: Mark(read=True)})
        await pilot.press("n")
        assert app.main_screen.paper_list.cursor == 3
        await pilot.press("n")
        assert app.main_screen.paper_list.cursor == 5
        await pilot.press("p", "p")
        assert app.main_screen.paper_list.cursor == 0
        await pilot.press("p")
        assert app.main_screen.paper_list.cursor == 0
        assert "No unread papers above." in notices(app)
        assert library.counts() == (SEED_PAPERS, 3, 0)


async def test_A_marks_all_shown_read_and_one_u_undoes_it(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        await pilot.press("s")  # a mark that must survive the round trip
        await type_query(pilot, "mixture experts")
        shown = list(app.main_screen.paper_list.ids)
        await pilot.press("A")
        assert all(library.mark(pid).read for pid in shown)
        assert library.counts()[1] == len(shown)
        assert any("Marked" in n for n in notices(app))
        await pilot.press("u")
        assert library.counts() == (SEED_PAPERS, 0, 1)


async def test_a_mark_that_cannot_be_saved_is_not_shown_and_says_why(make_library, monkeypatch):
    library = make_library()
    async with running(library) as (app, pilot):
        first = app.main_screen.paper_list.current

        def read_only(changes):
            raise StateError("cannot save marks to state.db: attempt to write a readonly database")

        monkeypatch.setattr(library._store, "set", read_only)
        await pilot.press("s")
        assert library.mark(first) == Mark()
        assert row_text(app, 0).startswith(f"   {UNREAD} ")
        assert any(n.startswith("Not saved: cannot save marks") for n in notices(app))
        await pilot.press("x")  # a failed save does not advance either
        assert app.main_screen.paper_list.cursor == 0
        assert app.is_running


async def test_marks_made_elsewhere_are_picked_up(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        first = app.main_screen.paper_list.current
        other = make_library()  # another papertui on the same data
        other.set_marks({first: Mark(read=True, starred=True)})
        app.main_screen.poll_marks()  # what the 2 s timer does
        await pilot.pause()
        assert library.mark(first) == Mark(read=True, starred=True)
        assert row_text(app, 0).startswith(f" {STAR}   ")
        assert counts(app) == "67 papers · 1 read · 1 starred"
        other.set_marks({first: Mark()})
        await pilot.press("R")
        assert library.mark(first) == Mark()
        assert "Marks reloaded." in notices(app)
