"""Organising in the app: selections, the sidebar, the tag editor and notes (issue 13)."""

from __future__ import annotations

import stat
import sys

from rich.console import Console
from textual import events
from textual.widgets import Input, Label, TextArea
from ui_helpers import notices, running, settle, type_query

from papertui.models import Mark
from papertui.ui.paper_list import SELECTED
from papertui.ui.sidebar import FolderList


def counts(app) -> str:
    return str(app.query_one("#counts", Label).content)


def entry_text(app, index: int) -> str:
    """A sidebar entry as drawn: its number key, name and counts."""
    console = Console(width=30, color_system=None)
    with console.capture() as captured:
        console.print(app.query_one(FolderList).get_option_at_index(index).prompt)
    return captured.get()


def row_text(app, index: int) -> str:
    paper_list = app.main_screen.paper_list
    return paper_list.render_line(index - round(paper_list.scroll_offset.y)).text


async def test_v_j_j_s_stars_three_papers_and_one_u_undoes_them(make_library):
    async with running(make_library()) as (app, pilot):
        library = app.main_screen.reader.library
        first_three = list(app.main_screen.paper_list.ids[:3])
        await pilot.press("v", "j", "j")
        assert counts(app).endswith("· 3 selected")
        assert [row_text(app, i).startswith(SELECTED) for i in range(4)] == [True, True, True, False]
        await pilot.press("s")
        assert [library.mark(pid) for pid in first_three] == [Mark(starred=True)] * 3
        assert library.mark(app.main_screen.paper_list.ids[3]) == Mark()
        assert "Starred 3 papers. u undoes it." in notices(app)
        assert counts(app) == "67 papers · 0 read · 3 starred · 3 selected"
        await pilot.press("u")
        assert [library.mark(pid) for pid in first_three] == [Mark()] * 3
        assert "Undone: starred 3 papers." in notices(app)
        # s again on a selection where every paper is starred clears them all
        await pilot.press("s", "s")
        assert [library.mark(pid) for pid in first_three] == [Mark()] * 3
        assert "Unstarred 3 papers. u undoes it." in notices(app)


async def test_v_j_j_s_typed_in_one_burst_stars_three_papers(make_library):
    """The keys arrive before the list's cursor messages reach the selection."""
    async with running(make_library()) as (app, pilot):
        library = app.main_screen.reader.library
        first_three = list(app.main_screen.paper_list.ids[:3])
        for key in "vjjs":
            app.post_message(events.Key(key, key))
        await settle(pilot)
        assert [library.mark(pid) for pid in first_three] == [Mark(starred=True)] * 3
        assert library.mark(app.main_screen.paper_list.ids[3]) == Mark()


async def test_esc_clears_the_selection_first_then_the_filter(make_library):
    async with running(make_library()) as (app, pilot):
        await type_query(pilot, "is:unread")
        await pilot.press("space", "space")
        assert counts(app).endswith("· 2 selected")
        await pilot.press("escape")
        assert "selected" not in counts(app)
        assert app.main_screen.reader.query == "is:unread"
        await pilot.press("escape")
        await settle(pilot)
        assert app.main_screen.reader.query == ""


async def test_selection_stays_when_the_list_changes_and_r_marks_every_paper(make_library):
    async with running(make_library()) as (app, pilot):
        library = app.main_screen.reader.library
        ids = list(app.main_screen.paper_list.ids)
        library.set_marks({ids[1]: Mark(read=True)})
        await pilot.press("space", "space", "space")
        await type_query(pilot, "is:read")
        assert counts(app).endswith("· 3 selected")
        await pilot.press("r")  # one of three is read: all three become read
        assert [library.mark(pid).read for pid in ids[:3]] == [True, True, True]
        assert "Marked 2 papers read. u undoes it." in notices(app)


async def test_an_action_on_more_papers_than_the_limit_asks_first(monkeypatch, make_library):
    monkeypatch.setattr("papertui.selection.CONFIRM_ABOVE", 50)  # the seed has 67 papers, not 101
    library = make_library()
    async with running(library) as (app, pilot):
        await pilot.press("V")
        assert counts(app).endswith("· 67 selected")
        await pilot.press("s")
        await pilot.pause()
        assert str(app.screen.query_one("#confirm-question").content) == "Star 67 papers?"
        await pilot.press("n")
        await pilot.pause()
        assert library.counts()[2] == 0
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert library.counts()[2] == 67
        await pilot.press("u")
        assert library.counts()[2] == 0


async def test_the_sidebar_counts_match_the_library_and_a_number_key_shows_the_entry(make_library):
    library = make_library()
    ids = list(library.ids)
    library.set_marks({ids[0]: Mark(read=True, starred=True), ids[1]: Mark(starred=True)})
    library.organise.add_saved("diffusion", "diffusion")
    async with running(library) as (app, pilot):
        await pilot.press("b")
        await settle(pilot)
        sidebar = app.main_screen.workspace.sidebar
        assert sidebar.display and isinstance(app.focused, FolderList)
        names = [folder.name for folder in sidebar.folders]
        assert names[:4] == ["Inbox", "Unread", "Starred", "diffusion"]
        for folder, count in zip(sidebar.folders, sidebar.counts):
            found = set(library.search(folder.query).ids)
            assert count.total == len(found), folder.name
            assert count.unread == sum(not library.mark(pid).read for pid in found), folder.name
        assert (sidebar.counts[2].total, sidebar.counts[2].unread) == (2, 1)
        assert entry_text(app, 2).split() == ["3", "Starred", "1/2"]
        await pilot.press("escape")
        assert app.focused is app.main_screen.paper_list
        await pilot.press("3")
        await settle(pilot)
        assert app.main_screen.reader.query == "is:starred"
        assert list(app.main_screen.paper_list.ids) == sorted(ids[:2], key=ids.index)
        await pilot.press("s")  # unstar one: the sidebar counts again, in its worker
        await settle(pilot)
        assert (sidebar.counts[2].total, sidebar.counts[2].unread) == (1, 1)


async def test_enter_on_a_sidebar_entry_sets_the_filter(make_library):
    library = make_library()
    library.organise.add_saved("diffusion", "diffusion")
    async with running(library) as (app, pilot):
        await pilot.press("b", "down", "down", "down", "enter")
        await settle(pilot)
        assert app.main_screen.reader.query == "diffusion"
        assert app.main_screen.filter_bar.value == "diffusion"
        assert app.focused is app.main_screen.paper_list


async def test_w_saves_the_filter_as_a_saved_search(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        await type_query(pilot, "diffusion is:unread")
        await pilot.press("w")
        await pilot.pause()
        await pilot.press(*"fresh", "enter")
        await pilot.pause()
        assert [(s.name, s.query) for s in library.organise.saved()] == [("fresh", "diffusion is:unread")]
        await pilot.press("w")
        await pilot.pause()
        await pilot.press(*"fresh", "enter")  # a taken name: the prompt says why and stays
        await pilot.pause()
        assert "fresh" in str(app.screen.query_one("#name-problem").content)


async def test_t_adds_a_tag_that_tag_filter_finds(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        await pilot.press("j", "t")
        await pilot.pause()
        await pilot.press(*"survey", "enter")
        await pilot.pause()
        current = app.main_screen.paper_list.current
        assert library.organise.tags_of(current) == ("survey",)
        await type_query(pilot, "tag:survey")
        assert list(app.main_screen.paper_list.ids) == [current]
        await pilot.press("escape", "escape")
        await settle(pilot)
        # on a selection, with completion from the tags in use, then - to remove
        await pilot.press("g", "space", "space", "space", "t")
        await pilot.pause()
        await pilot.press(*"sur", "tab", "enter")
        await pilot.pause()
        assert library.search("tag:survey").ids == library.ids[:3]
        await pilot.press("t")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "survey, "
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace",
                          "backspace", "backspace", *"-survey", "enter")
        await pilot.pause()
        assert library.search("tag:survey").ids == []
        await pilot.press("u")
        assert library.search("tag:survey").ids == library.ids[:3]
        assert "Undone: removed survey from 3 papers." in notices(app)


async def test_a_edits_the_note_in_the_editor(tmp_path, monkeypatch, make_library):
    script = tmp_path / "editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('Ask Ana about the baseline.')\n")
    editor = tmp_path / "editor"
    editor.write_text(f"#!/bin/sh\nexec {sys.executable} {script} \"$@\"\n")
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    library = make_library()
    async with running(library) as (app, pilot):
        current = app.main_screen.paper_list.current
        await pilot.press("a")
        await pilot.pause()
        assert library.organise.note(current) == "Ask Ana about the baseline."
        assert "Note saved. u undoes it." in notices(app)
        await type_query(pilot, "note:ana")
        assert list(app.main_screen.paper_list.ids) == [current]


async def test_a_without_an_editor_opens_a_text_area(monkeypatch, make_library):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    library = make_library()
    async with running(library) as (app, pilot):
        current = app.main_screen.paper_list.current
        await pilot.press("a")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        assert area.has_focus
        await pilot.press(*"baseline", "ctrl+o")
        await pilot.pause()
        assert library.organise.note(current) == "baseline"
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("x", "escape")  # Esc leaves the note as it was
        await pilot.pause()
        assert library.organise.note(current) == "baseline"



async def test_e_on_a_selection_offers_the_selected_papers_first(make_library):
    from textual.widgets import RadioButton, RadioSet

    async with running(make_library()) as (app, pilot):
        await pilot.press("v", "j", "e")
        await settle(pilot)
        what = app.screen.query_one("#export-what", RadioSet)
        assert what.pressed_button.id == "export-shown"
        assert str(app.screen.query_one("#export-shown", RadioButton).label) == "The selected papers (2)"
