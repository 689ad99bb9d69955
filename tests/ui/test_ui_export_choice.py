"""The export dialog's folder, format and heading: remembered, defaulted, said (issue 11)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from test_ui_export import chosen, confirm, default_file, open_dialog, path_field, type_path
from ui_helpers import notices, running
from textual.widgets import Static

from papertui import export
from papertui.ui import export_choice


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home" / "Documents"  # HOME is tmp_path/home (conftest)
    folder.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return folder


def target_line(app) -> str:
    return str(app.screen.query_one("#export-target", Static).content)


def test_the_default_folder_is_documents_then_downloads_then_home(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    assert export_choice.default_folder() == home
    (home / "Downloads").mkdir()
    assert export_choice.default_folder() == home / "Downloads"
    (home / "Documents").mkdir()
    assert export_choice.default_folder() == home / "Documents"


def test_a_damaged_or_stale_choice_falls_back_to_the_defaults(documents: Path, tmp_path: Path):
    saved = export_choice.choice_file()
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text("{not json", encoding="utf-8")
    assert export_choice.load() == export_choice.ExportChoice(documents, "md")
    assert export_choice.save(export_choice.ExportChoice(tmp_path / "gone", "nope"))
    assert export_choice.load() == export_choice.ExportChoice(documents, "md")
    assert export_choice.save(export_choice.ExportChoice(tmp_path, "bib"))
    assert export_choice.load() == export_choice.ExportChoice(tmp_path, "bib")


async def test_the_dialog_starts_in_documents_not_the_current_folder(make_library, documents,
                                                                     tmp_path):
    async with running(make_library()) as (app, pilot):
        await pilot.press("s")
        await open_dialog(pilot)
        assert target_line(app) == f"Saves to {default_file(documents)}"
        await confirm(pilot)
    assert default_file(documents).is_file()
    assert not list(tmp_path.glob("reading-list-*"))


async def test_the_last_folder_and_format_are_remembered_across_runs(make_library, documents,
                                                                     tmp_path):
    elsewhere = tmp_path / "papers"
    elsewhere.mkdir()
    async with running(make_library()) as (app, pilot):
        await pilot.press("s")
        await open_dialog(pilot)
        await pilot.press("tab", "down")  # BibTeX
        await type_path(pilot, f"{elsewhere}/mine.bib")
        await confirm(pilot)
        assert notices(app)[-1] == f"Exported 1 paper to {elsewhere / 'mine.bib'}"
    async with running(make_library()) as (app, pilot):
        await open_dialog(pilot)
        assert chosen(app, "#export-format") == 1  # BibTeX
        assert path_field(app).value == export.default_filename("bib", datetime.date.today())
        assert target_line(app) == f"Saves to {default_file(elsewhere, 'bib')}"


async def test_a_typed_folder_takes_the_default_file_name(make_library, documents, tmp_path):
    async with running(make_library()) as (app, pilot):
        await pilot.press("s")
        await open_dialog(pilot)
        await type_path(pilot, str(tmp_path))
        assert target_line(app) == f"Saves to {default_file(tmp_path)}"
        await confirm(pilot)
    assert default_file(tmp_path).is_file()


async def test_a_folder_that_does_not_exist_is_said_before_exporting(make_library, documents):
    async with running(make_library()) as (app, pilot):
        await open_dialog(pilot)
        await type_path(pilot, "nowhere/list.md")
        line = app.screen.query_one("#export-target", Static)
        assert target_line(app) == (f"Saves to {documents / 'nowhere/list.md'}"
                                    f" (the folder {documents / 'nowhere'} does not exist)")
        assert line.has_class("-missing")
        await type_path(pilot, "list.md")
        assert not line.has_class("-missing")


async def test_the_markdown_heading_names_the_selection(make_library, documents):
    async with running(make_library()) as (app, pilot):
        await pilot.press("s")
        await open_dialog(pilot)
        await confirm(pilot)  # starred, as Markdown
    heading = default_file(documents).read_text(encoding="utf-8").splitlines()[0]
    assert heading.startswith("# Starred · Daily Papers · Aug 13 — ")


async def test_csl_json_is_offered_and_swaps_a_double_extension(make_library, documents):
    async with running(make_library()) as (app, pilot):
        await open_dialog(pilot)
        await pilot.press("tab", "up")  # the last format: CSL-JSON
        assert path_field(app).value == default_file(documents, "csljson").name
        assert path_field(app).value.endswith(".csl.json")
        await type_path(pilot, "mine.csl.json")
        await pilot.press("shift+tab", "down")  # wraps round to Markdown
        assert path_field(app).value == "mine.md"
