"""Issue 11 in the UI: keys typed fast after /, bad keymaps, asking before many papers, the footer."""

from __future__ import annotations

import json

from textual import events
from ui_helpers import notices, running, settle

from papertui import paths
from papertui.models import Mark
from papertui.ui.confirm import ConfirmScreen
from papertui.ui.dialogs import HelpScreen
from papertui.ui.export_dialog import ExportScreen
from papertui.ui.key_hints import KeyHints


def burst(app, text: str) -> None:
    """Queue every key of ``text`` at once, as a paste or a fast typist sends them."""
    names = {"/": "slash", " ": "space"}
    for character in text:
        app.post_message(events.Key(names.get(character, character), character))


def write_config(text: str) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(text, encoding="utf-8")


async def test_every_key_typed_after_slash_reaches_the_filter_bar_in_order(make_library):
    async with running(make_library()) as (app, pilot):
        burst(app, "/mixture of experts")
        await settle(pilot)
        assert app.query_one("#filter-input").value == "mixture of experts"
        assert not isinstance(app.screen, ExportScreen)  # its "e" did not open the export dialog
        library = app.main_screen.reader.library
        assert library.counts()[1:] == (0, 0)  # its x, r and s changed no marks


async def test_a_word_right_after_slash_keeps_its_first_letter(make_library):
    async with running(make_library()) as (app, pilot):
        burst(app, "/diffusion")
        await settle(pilot)
        assert app.query_one("#filter-input").value == "diffusion"


async def test_a_slash_typed_in_the_filter_bar_is_text(make_library):
    async with running(make_library()) as (app, pilot):
        burst(app, "/a/b")
        await settle(pilot)
        assert app.query_one("#filter-input").value == "a/b"


async def test_an_unknown_key_or_a_taken_key_in_the_keymap_keeps_the_default_and_says_so(make_library):
    write_config('theme = "textual-dark"\n\n[keymap]\ncursor_down = "notakey!!"\nquit = "r"\n'
                 'toggle_star = "f"\n')
    async with running(make_library()) as (app, pilot):
        said = [n for n in notices(app) if "[keymap]" in n]
        assert said == [
            'config.toml line 4: [keymap] cursor_down = "notakey!!": unknown key; keeping j, down\n'
            'config.toml line 5: [keymap] quit = "r": r is already "Read" (toggle_read); keeping q'
        ]
        shown = [n for n in app._notifications if "[keymap]" in n.message]
        assert shown and shown[0].timeout >= 10
        screen = app.main_screen
        first = screen.paper_list.current
        await pilot.press("j", "down")
        assert screen.paper_list.cursor == 2
        await pilot.press("r", "f")  # r still toggles read; the good entry is in use
        assert screen.reader.library.mark(screen.paper_list.current) == Mark(read=True, starred=True)
        assert app.is_running
        assert screen.reader.library.mark(first) == Mark()


async def test_a_keymap_may_swap_two_keys(make_library):
    write_config('[keymap]\ntoggle_read = "s"\ntoggle_star = "r"\n')
    async with running(make_library()) as (app, pilot):
        assert not [n for n in notices(app) if "[keymap]" in n]
        await pilot.press("s")
        screen = app.main_screen
        assert screen.reader.library.mark(screen.paper_list.current) == Mark(read=True)


def add_papers(library, folder, count: int) -> None:
    lines = [json.dumps({"id": f"2601.{n:05d}", "title": f"Paper number {n}", "abstract": "x",
                         "authors": "A. Author"}) for n in range(count)]
    (folder / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    library.add_sources([str(folder / "more.jsonl")])


async def test_marking_more_than_a_hundred_papers_read_asks_first(make_library, tmp_path):
    library = make_library()
    add_papers(library, tmp_path, 40)  # 107 papers
    async with running(library) as (app, pilot):
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == "Mark 107 papers read?"
        await pilot.pause()
        assert {"Yes", "No"} <= set(footer_keys(app)) and "Read" not in footer_keys(app)
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmScreen)
        assert library.counts()[1] == 0
        await pilot.press("A", "escape")
        assert library.counts()[1] == 0
        await pilot.press("A", "y")
        await settle(pilot)
        assert library.counts()[1] == 107
        assert "Marked 107 papers read. u undoes it." in notices(app)


async def test_marking_a_hundred_or_fewer_does_not_ask(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("A")
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.main_screen.reader.library.counts()[1] == 67


def footer_keys(app) -> dict[str, tuple[int, int]]:
    """The footer's hints as drawn: description -> (first, last) column of the hint."""
    hints = app.screen.query_one(KeyHints)
    return {hint.description: (x, x + hint.width - 1) for hint, x in hints.spans(hints.size.width)}


async def test_the_footer_follows_focus(make_library):
    async with running(make_library()) as (app, pilot):
        assert {"Read", "Star", "Filter"} <= set(footer_keys(app))
        await pilot.press("slash")
        await pilot.pause()
        shown = set(footer_keys(app))
        assert "Back" in shown and not {"Read", "Star", "Help"} & shown
        await pilot.press("escape", "enter")  # back to the list, then into the detail pane
        await pilot.pause()
        assert {"Back", "Similar"} <= set(footer_keys(app))
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert set(footer_keys(app)) >= {"Close"} and "Read" not in footer_keys(app)


async def test_at_60_columns_the_footer_still_shows_help_and_quit(make_library):
    async with running(make_library(), size=(60, 24)) as (app, pilot):
        shown = footer_keys(app)
        for name in ("Help", "Quit"):
            assert shown[name][1] < 60


async def test_j_and_k_move_in_the_similar_papers_and_scroll_the_help(make_library):
    async with running(make_library(), size=(120, 50)) as (app, pilot):
        similar = app.main_screen.detail.similar
        similar.focus()
        await pilot.pause()
        similar.highlighted = 0
        await pilot.press("j")
        assert similar.highlighted == 1
        await pilot.press("k")
        assert similar.highlighted == 0
    async with running(make_library(), size=(60, 15)) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body")
        await pilot.press("j", "j")
        assert body.scroll_y == 2
        await pilot.press("k")
        assert body.scroll_y == 1


async def test_new_words_open_on_the_top_row(make_library):
    async with running(make_library()) as (app, pilot):
        screen = app.main_screen
        await pilot.press("slash", *"model", "enter")
        await settle(pilot)
        await pilot.press("j", "j", "j")
        assert screen.paper_list.cursor == 3
        kept = screen.paper_list.current
        await pilot.press("U")  # a filter only: the paper stays under the cursor
        await settle(pilot)
        assert screen.paper_list.current == kept
        assert "shown" in str(app.query_one("#counts").content)
        await pilot.press("slash", *" language", "enter")
        await settle(pilot)
        assert screen.paper_list.cursor == 0


async def test_a_narrow_title_bar_still_says_how_many_are_shown(make_library):
    async with running(make_library(), size=(48, 20)) as (app, pilot):
        await pilot.press("U")
        await settle(pilot)
        counts = app.query_one("#counts")
        assert str(counts.content).endswith("· 67 shown")
        assert counts.region.right <= 48 and counts.region.width >= len(str(counts.content))
