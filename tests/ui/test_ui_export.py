"""The export dialog (`e`): choose what, the format and the file; Enter writes it, Esc doesn't."""

from __future__ import annotations

import datetime
import errno
import json
import threading
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from ui_helpers import SEED_PAPERS, burst, notices, running, settle, type_query, until
from textual.widgets import Input, RadioButton, Static

from papertui import export
from papertui.export import atomic
from papertui.ui.app import PaperApp
from papertui.ui.export_dialog import ChoiceSet, ExportScreen, OverwriteScreen


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's documents folder, where default export paths land (never the current folder)."""
    folder = tmp_path / "home" / "Documents"  # HOME is tmp_path/home (conftest)
    folder.mkdir(parents=True)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return folder


def default_file(here: Path, fmt: str = "md") -> Path:
    return here / export.default_filename(fmt, datetime.date.today())


@pytest.fixture
def old_file(here: Path) -> Path:
    """The default Markdown file, already there and holding "old"."""
    target = default_file(here)
    target.write_text("old", encoding="utf-8")
    return target


def dialog(app) -> ExportScreen:
    assert isinstance(app.screen, ExportScreen)
    return app.screen


def labels(app, set_id: str) -> list[str]:
    return [str(button.label) for button in dialog(app).query_one(set_id, ChoiceSet).query(RadioButton)]


def chosen(app, set_id: str) -> int:
    return dialog(app).query_one(set_id, ChoiceSet).pressed_index


def path_field(app) -> Input:
    return dialog(app).query_one("#export-path", Input)


def problem(app) -> str:
    return str(dialog(app).query_one("#export-problem", Static).content)


async def open_dialog(pilot) -> ExportScreen:
    await pilot.press("e")
    await pilot.pause()
    return dialog(pilot.app)


async def confirm(pilot, *keys: str) -> None:
    """Press ``keys`` (Enter by default) and wait for the file to be written."""
    await pilot.press(*(keys or ("enter",)))
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def export_over_the_old_file(pilot) -> None:
    """Star the first paper and press Enter in the dialog: the app asks before overwriting."""
    await pilot.press("s")
    await open_dialog(pilot)
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, OverwriteScreen)


async def type_path(pilot, path: str) -> None:
    """Tab to the file field, clear it and type ``path``."""
    for _ in range(3):
        if pilot.app.focused is path_field(pilot.app):
            break
        await pilot.press("tab")
    assert pilot.app.focused is path_field(pilot.app)
    await pilot.press("home", "ctrl+k", *path)


def checklist(markdown: str) -> list[tuple[bool, str]]:
    """(read, title) of each list item, as a Markdown parser sees them."""
    items = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type != "inline" or not token.content.startswith("["):
            continue
        children = token.children or []
        opener = next(i for i, c in enumerate(children) if c.type in ("link_open", "strong_open"))
        closer = next(i for i, c in enumerate(children) if c.type in ("link_close", "strong_close"))
        title = "".join(c.content for c in children[opener + 1 : closer])
        items.append((token.content.startswith("[x]"), title))
    return items


# Done when --------------------------------------------------------------------


async def test_e_then_enter_writes_the_starred_papers_as_markdown(make_library, here):
    async with running(make_library()) as (app, pilot):
        first, second = app.main_screen.paper_list.ids[:2]
        await pilot.press("s", "r", "j", "s")  # the first read and starred, the second starred
        await open_dialog(pilot)
        await confirm(pilot)
        target = default_file(here)
        assert notices(app)[-1] == f"Exported 2 papers to {target}"
        assert not isinstance(app.screen, ExportScreen)
    text = target.read_text(encoding="utf-8")
    library = app.main_screen.reader.library
    assert checklist(text) == [(True, library.paper(first).title), (False, library.paper(second).title)]
    assert "★" in text.splitlines()[2] and "★" in text.splitlines()[3]
    assert [p.name for p in here.iterdir()] == [target.name]  # no temporary file left


# The three choices ----------------------------------------------------------------


async def test_each_choice_of_what_to_export_shows_its_count(make_library, here):
    async with running(make_library()) as (app, pilot):
        await pilot.press("s", "r", "j", "s", "j", "s")  # three starred, the first also read
        await type_query(pilot, "is:unread")  # Enter applies it and goes back to the list
        await open_dialog(pilot)
        assert labels(app, "#export-what") == [
            "Starred (3)",
            "Still to read: starred and unread (2)",
            f"Shown by the filter ({SEED_PAPERS - 1})",
            f"All papers ({SEED_PAPERS})",
        ]
        assert chosen(app, "#export-what") == 0  # starred is the default
        assert labels(app, "#export-format") == [
            "Markdown", "BibTeX", "CSV", "JSON", "RIS", "CSL-JSON",
        ]
        assert chosen(app, "#export-format") == 0
        assert path_field(app).value == default_file(here).name


async def test_tab_moves_between_the_choices_and_arrows_choose_within_one(make_library, here):
    async with running(make_library()) as (app, pilot):
        screen = await open_dialog(pilot)
        what, fmt = screen.query_one("#export-what"), screen.query_one("#export-format")
        assert app.focused is what
        await pilot.press("down", "down")
        assert chosen(app, "#export-what") == 2
        await pilot.press("up")
        assert chosen(app, "#export-what") == 1
        await pilot.press("tab")
        assert app.focused is fmt
        await pilot.press("right")
        assert chosen(app, "#export-format") == 1
        await pilot.press("tab")
        assert app.focused is path_field(app)
        await pilot.press("tab")
        assert app.focused is what
        await pilot.press("shift+tab")
        assert app.focused is path_field(app)
        assert (chosen(app, "#export-what"), chosen(app, "#export-format")) == (1, 1)


async def test_keys_typed_ahead_of_the_dialog_land_in_it(make_library, here):
    async with running(make_library()) as (app, pilot):
        burst(app, "e", "tab", "down", "tab")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen) and app.focused is path_field(app),
                    "(the focus in the path)")
        assert chosen(app, "#export-format") == 1


async def test_enter_typed_right_after_an_arrow_exports_what_the_arrow_chose(
    make_library, here, old_file
):
    async with running(make_library()) as (app, pilot):
        await pilot.press("s", "r", "j", "s")  # starred: two; still to read: one
        burst(app, "e", "down", "tab", "down", "enter")  # still to read, as BibTeX
        await until(pilot, lambda: isinstance(app.screen, OverwriteScreen)
                    or any(notice.startswith("Exported") for notice in notices(app)), "(exported)")
        assert not isinstance(app.screen, OverwriteScreen)  # not asked about the .md
        assert notices(app)[-1] == f"Exported 1 paper to {default_file(here, 'bib')}"
    assert old_file.read_text(encoding="utf-8") == "old"
    bib = default_file(here, "bib").read_text(encoding="utf-8")
    assert sum(line.startswith("@") for line in bib.splitlines()) == 1


async def test_the_format_changes_the_extension_and_the_content(make_library, here):
    async with running(make_library()) as (app, pilot):
        ids = app.main_screen.paper_list.ids
        await pilot.press("j", "j", "s", "k", "k", "s", "r")  # starred out of list order
        await open_dialog(pilot)
        await pilot.press("tab", "down", "down", "down")  # JSON
        assert path_field(app).value == default_file(here, "json").name
        await confirm(pilot)  # Enter from the format choice
    exported = json.loads(default_file(here, "json").read_text(encoding="utf-8"))
    assert [(p["id"], p["read"], p["starred"]) for p in exported] == [
        (ids[0], True, True),
        (ids[2], False, True),
    ]
    assert not default_file(here).exists()


async def test_still_to_read_and_shown_keep_their_orders(make_library, here):
    async with running(make_library()) as (app, pilot):
        ids = app.main_screen.paper_list.ids
        await pilot.press("j", "j", "s", "k", "s", "r", "k", "s")  # starred: 0, 1 (read), 2
        await pilot.press("o")  # sort by something other than the list's order
        await settle(pilot)
        shown = list(app.main_screen.paper_list.ids)
        assert shown != list(ids)
        await open_dialog(pilot)
        await pilot.press("down", "tab", "down", "down", "down")  # still to read, as JSON
        await confirm(pilot)
        still = [p["id"] for p in json.loads(default_file(here, "json").read_text(encoding="utf-8"))]
        assert still == [ids[0], ids[2]]
        await open_dialog(pilot)
        assert chosen(app, "#export-format") == 3  # JSON, remembered from the last export
        await pilot.press("down", "down", "tab", "up")  # shown, as CSV
        await type_path(pilot, "shown.csv")
        await confirm(pilot)
    rows = (here / "shown.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == shown


async def test_an_edited_path_keeps_its_name_and_swaps_only_a_known_extension(make_library, here):
    async with running(make_library()) as (app, pilot):
        await open_dialog(pilot)
        await type_path(pilot, "mine.md")
        await pilot.press("shift+tab", "down")  # BibTeX
        assert path_field(app).value == "mine.bib"
        await type_path(pilot, "notes.txt")
        await pilot.press("shift+tab", "down")  # CSV
        assert path_field(app).value == "notes.txt"


async def test_the_dialog_says_where_the_file_will_go(make_library, here, tmp_path):
    async with running(make_library()) as (app, pilot):
        screen = await open_dialog(pilot)

        def target() -> str:
            return str(screen.query_one("#export-target", Static).content)

        assert target() == f"Saves to {default_file(here)}"
        await type_path(pilot, "sub/../list.md")
        assert target() == f"Saves to {here / 'list.md'}"
        await type_path(pilot, "~/list.md")
        assert target() == f"Saves to {tmp_path / 'home' / 'list.md'}"  # HOME, from conftest


# Writing -------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [("n",), ("escape",)], ids=["n", "escape"])
async def test_declining_to_overwrite_keeps_the_old_file(make_library, old_file, keys):
    async with running(make_library()) as (app, pilot):
        await export_over_the_old_file(pilot)
        await confirm(pilot, *keys)
        assert chosen(app, "#export-what") == 0  # back in the dialog, as it was
        assert path_field(app).value == old_file.name
        assert app.focused is path_field(app)
        assert not any(n.startswith("Exported") for n in notices(app))
    assert old_file.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("keys", [("y",), ("enter",)], ids=["y", "enter"])
async def test_accepting_to_overwrite_replaces_the_file(make_library, old_file, keys):
    async with running(make_library()) as (app, pilot):
        await export_over_the_old_file(pilot)
        await confirm(pilot, *keys)
        assert notices(app)[-1] == f"Exported 1 paper to {old_file}"
        assert not isinstance(app.screen, (ExportScreen, OverwriteScreen))
    assert len(checklist(old_file.read_text(encoding="utf-8"))) == 1


async def test_a_missing_folder_is_shown_in_the_dialog_with_the_choices_intact(make_library, here):
    async with running(make_library()) as (app, pilot):
        await pilot.press("s")
        await open_dialog(pilot)
        await pilot.press("down", "tab", "down")  # still to read, BibTeX
        await type_path(pilot, "no/such/list.bib")
        await confirm(pilot)  # Enter in the file field
        assert problem(app) == f"{here / 'no/such/list.bib'}: cannot write: the folder does not exist"
        assert (chosen(app, "#export-what"), chosen(app, "#export-format")) == (1, 1)
        assert path_field(app).value == "no/such/list.bib"
        await pilot.press("backspace")  # any change clears the message
        assert problem(app) == ""
    assert list(here.iterdir()) == []


@pytest.mark.parametrize(
    ("where", "error", "reason"),
    [
        ("_create_temp", PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        ("_write_all", OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
    ],
    ids=["permission", "disk-full"],
)
async def test_an_unwritable_file_is_shown_in_the_dialog(
    make_library, here, old_file, monkeypatch, where, error, reason
):
    def fail(*args):
        raise error

    monkeypatch.setattr(atomic, where, fail)
    async with running(make_library()) as (app, pilot):
        await export_over_the_old_file(pilot)
        await confirm(pilot, "y")
        assert problem(app) == f"{old_file}: cannot write: {reason}"
        assert path_field(app).value == old_file.name
    assert old_file.read_text(encoding="utf-8") == "old"
    assert [p.name for p in here.iterdir()] == [old_file.name]


async def test_an_empty_file_name_asks_for_one(make_library, here):
    async with running(make_library()) as (app, pilot):
        await open_dialog(pilot)
        await type_path(pilot, "   ")
        await confirm(pilot)
        assert problem(app) == "Type the name of the file to export to."
    assert list(here.iterdir()) == []


async def test_escape_cancels_without_writing(make_library, here):
    async with running(make_library()) as (app, pilot):
        await pilot.press("s")
        await open_dialog(pilot)
        await pilot.press("tab", "down")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert app.focused is app.main_screen.paper_list
        assert not any(n.startswith("Exported") for n in notices(app))
    assert list(here.iterdir()) == []


async def test_closing_the_dialog_during_a_slow_write_still_reports_it(make_library, here, monkeypatch):
    release = threading.Event()
    write = export.write_atomic

    def slow_write(path, text):
        release.wait(10)
        write(path, text)

    monkeypatch.setattr(export, "write_atomic", slow_write)
    async with running(make_library()) as (app, pilot):
        await pilot.press("s")
        await open_dialog(pilot)
        await pilot.press("enter", "enter")  # the second Enter is ignored while writing
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        release.set()
        for _ in range(200):  # the notice comes from the worker's thread
            if any(n.startswith("Exported") for n in notices(app)):
                break
            await pilot.pause()
        assert notices(app)[-1] == f"Exported 1 paper to {default_file(here)}"
    assert len(checklist(default_file(here).read_text(encoding="utf-8"))) == 1


async def test_the_dialog_fits_any_size_and_shows_a_problem(make_library, here):
    async with running(make_library()) as (app, pilot):
        await open_dialog(pilot)
        await type_path(pilot, "missing/list.md")
        await confirm(pilot)
        for width, height in [(40, 10), (60, 16), (77, 21), (80, 24), (120, 36), (300, 100)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            line = dialog(app).query_one("#export-problem", Static)
            assert line.display and problem(app).endswith("the folder does not exist")
        await pilot.press("escape")
        assert app.is_running and not isinstance(app.screen, ExportScreen)


# Snapshot ------------------------------------------------------------------------


def test_the_dialog_at_120x36(make_library, snap_compare):
    """Dated and placed explicitly, so the picture does not change with the day or the folder."""

    async def open_it(pilot) -> None:
        await settle(pilot)
        await pilot.press("s", "j", "s", "r")
        await settle(pilot)
        app = pilot.app
        screen = ExportScreen(app.main_screen.reader.library, app.main_screen.paper_list.ids,
                              today=datetime.date(2025, 8, 13), folder=Path("/tmp"))
        await app.push_screen(screen)
        await pilot.pause()

    assert snap_compare(PaperApp(make_library()), terminal_size=(120, 36), run_before=open_it)
