"""Keys: every one named and described, listed in help and Ctrl+P, remappable, and the theme kept."""

from __future__ import annotations

from ui_helpers import burst, notices, running, settle

from papertui import config, paths
from papertui.models import Mark
from papertui.ui import keys
from papertui.ui.dialogs import HelpScreen
from papertui.ui.key_hints import KeyHints

def help_cells(screen: HelpScreen) -> list[str]:
    """Every cell of the help tables, as text."""
    tables = [widget.content for widget in screen.query(".help-column")]
    return [str(cell) for table in tables for column in table.columns for cell in column._cells]


AVOID = {"ctrl+m", "ctrl+h", "ctrl+i", "ctrl+j", "ctrl+s", "ctrl+enter"}


def test_every_key_has_an_id_a_description_and_a_safe_key():
    ids = [key.id for key in keys.CATALOG]
    assert len(ids) == len(set(ids))
    for key in keys.CATALOG:
        binding = key.binding
        assert binding.id and binding.description and binding.tooltip
        assert not set(binding.key.split(",")) & AVOID


def test_the_issue_keys_are_all_there():
    bound = {k for key in keys.CATALOG for k in key.binding.key.split(",")}
    for wanted in ["j", "k", "up", "down", "g", "G", "pageup", "pagedown", "slash", "enter", "tab",
                   "r", "s", "A", "u", "c", "x", "S", "n", "p", "U", "asterisk", "o", "O", "R",
                   "e", "question_mark", "q", "escape"]:
        assert wanted in bound, wanted


async def test_help_lists_every_key_and_closes(make_library):
    async with running(make_library()) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = help_cells(app.screen)
        for key in keys.CATALOG:
            if key.owner != "help":
                assert key.binding.tooltip in rows
                assert key.id in rows
        await pilot.press("r")  # keys of the list do nothing under help
        assert app.main_screen.reader.library.counts()[1] == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark", "q")
        assert not isinstance(app.screen, HelpScreen)
        assert app.is_running


async def test_the_command_palette_runs_the_reader_s_actions(make_library):
    async with running(make_library()) as (app, pilot):
        first = app.main_screen.paper_list.current
        await pilot.press("ctrl+p", *"Toggle star")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main_screen.reader.library.mark(first) == Mark(starred=True)
        await pilot.press("ctrl+p", *"Last paper")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main_screen.paper_list.cursor == len(app.main_screen.paper_list.ids) - 1


async def test_keys_can_be_remapped_in_the_config_file(make_library):
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text('[keymap]\ntoggle_star = "f"\ncursor_down = "ctrl+n"\n')
    async with running(make_library()) as (app, pilot):
        first = app.main_screen.paper_list.current
        await pilot.press("s")
        assert app.main_screen.reader.library.mark(first) == Mark()
        await pilot.press("f")
        assert app.main_screen.reader.library.mark(first) == Mark(starred=True)
        await pilot.press("ctrl+n")
        assert app.main_screen.paper_list.cursor == 1
        await pilot.press("question_mark")
        rows = help_cells(app.screen)
        assert "f" in rows and "^n" in rows


async def test_a_bad_config_gives_one_line_and_the_defaults(make_library):
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text('theme = "nord\n')
    async with running(make_library()) as (app, pilot):
        assert any("not valid TOML" in n and "\n" not in n for n in notices(app))
        assert app.theme == config.DEFAULT_THEME


async def test_unknown_theme_and_binding_ids_are_reported(make_library):
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text('theme = "no-such-theme"\n[keymap]\nfly = "z"\n')
    async with running(make_library()) as (app, pilot):
        said = " ".join(notices(app))
        assert "Unknown theme 'no-such-theme'" in said
        assert 'config.toml line 3: [keymap] fly = "z": unknown binding id (? lists them)' in said
        assert app.theme == config.DEFAULT_THEME


async def test_the_theme_chosen_is_kept_for_next_time(make_library):
    library = make_library()
    async with running(library) as (app, pilot):
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("q")
    assert config.load()[0].theme == "textual-light"
    library.close()
    async with running(make_library()) as (again, pilot):
        assert again.theme == "textual-light"


async def test_the_theme_picker_in_the_palette_is_textual_s_own(make_library):
    async with running(make_library()) as (app, pilot):
        names = [command.title for command in app.get_system_commands(app.screen)]
        assert "Theme" in names


async def test_the_footer_shows_the_main_keys(make_library):
    async with running(make_library()) as (app, pilot):
        footer = str(app.screen.query_one(KeyHints).render())
        for description in ["Filter", "Read", "Star", "Read+next", "Undo", "Help", "Quit"]:
            assert description in footer


async def test_backspaces_typed_fast_take_the_characters_before_them(make_library):
    async with running(make_library()) as (app, pilot):
        burst(app, "slash", *"modle", "backspace", "backspace", *"el")
        await settle(pilot)
        assert app.main_screen.filter_bar.value == "model"


async def test_ctrl_u_typed_fast_clears_the_old_query_not_the_new_one(make_library):
    async with running(make_library()) as (app, pilot):
        burst(app, "slash", *"transfomer", "enter")
        await settle(pilot)
        burst(app, "slash", "ctrl+u", *"diff")
        await settle(pilot)
        assert app.main_screen.filter_bar.value == "diff"
        assert app.main_screen.reader.query == "diff"
