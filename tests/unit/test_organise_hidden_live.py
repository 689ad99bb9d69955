"""Hide rules that read marks, tags, notes or newness follow each change at once."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator

import pytest

from papertui import paths
from papertui.library import Library
from papertui.models import Mark
from papertui.state import StateStore


@pytest.fixture
def hiding(isolated_dirs, built_seed_index) -> Iterator[Callable[..., Library]]:
    """Open the seed library (index ready) with these hide rules in config.toml."""
    opened: list[Library] = []

    def make(*rules: str) -> Library:
        shutil.copytree(built_seed_index, paths.index_dir())
        paths.config_file().parent.mkdir(parents=True, exist_ok=True)
        paths.config_file().write_text(f"[hide]\nrules = {json.dumps(list(rules))}\n")
        library = Library.load()
        library.ensure_index()
        opened.append(library)
        return library

    yield make
    for library in opened:
        library.close()


def shown(library: Library) -> set[str]:
    return set(library.search("").ids)


def test_tagging_a_paper_junk_hides_it_at_once_and_untagging_shows_it(hiding) -> None:
    library = hiding("tag:junk")
    paper = library.ids[5]
    assert paper in shown(library) and library.organise.hidden_count() == 0
    library.organise.change_tags([paper], add=["junk"])
    assert paper not in shown(library)
    assert library.search("is:hidden").ids == [paper]
    assert library.counts()[0] == len(library) - 1
    library.organise.change_tags([paper], remove=["junk"])
    assert paper in shown(library) and library.organise.hidden_count() == 0
    library.organise.change_tags([paper], add=["junk"])
    library.organise.undo_last()
    assert paper in shown(library)


def test_a_rule_on_marks_follows_every_mark_change(hiding) -> None:
    library = hiding("is:starred")
    paper = library.ids[2]
    assert paper in shown(library)
    library.set_marks({paper: Mark(starred=True)})
    assert paper not in shown(library)
    library.organise.apply_marks("unstarred", {paper: Mark()})
    assert paper in shown(library)
    library.organise.undo_last()  # starred again
    assert paper not in shown(library)
    library.reload_marks()
    assert paper not in shown(library)


def test_a_rule_on_notes_follows_a_note_edit(hiding) -> None:
    library = hiding("note:spamalot")
    paper = library.ids[9]
    library.organise.set_note(paper, "spamalot, skip it")
    assert paper not in shown(library)
    library.organise.set_note(paper, "worth a read after all")
    assert paper in shown(library)


def test_a_rule_on_newness_follows_a_catch_up(hiding, tmp_path) -> None:
    library = hiding("is:new")
    assert library.organise.hidden_count() == 0
    arrived = tmp_path / "arrived.bib"
    arrived.write_text("@article{a, title = {Quibbling Over Quaternions}, year = {2025}}\n")
    library.add_sources([str(arrived)])
    new = set(library.search("is:new is:hidden").ids)
    assert len(new) == 1 and not new & shown(library)
    library.catch_up()
    assert new <= shown(library) and library.organise.hidden_count() == 0


def test_the_counts_follow_every_mark_and_hide_change(hiding) -> None:
    library = hiding("tag:junk")
    first, second = library.ids[4], library.ids[9]
    assert library.counts() == (67, 0, 0)
    library.set_marks({first: Mark(read=True, starred=True)})
    assert library.counts() == (67, 1, 1)
    library.organise.change_tags([first], add=["junk"])
    assert library.counts() == (66, 0, 0)
    library.organise.undo_last()
    assert library.counts() == (67, 1, 1)
    elsewhere = StateStore.open(paths.state_db())
    elsewhere.set({second: Mark(starred=True)})
    elsewhere.close()
    assert library.counts() == (67, 1, 1)  # not reloaded yet
    library.reload_marks()
    assert library.counts() == (67, 1, 2)
