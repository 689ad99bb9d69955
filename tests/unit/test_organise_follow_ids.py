"""Tags and notes follow their paper when its id changes, as marks do (papertui.rekeying)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_marks_follow_ids import TITLE_KEY, bib

from papertui.library import Library
from papertui.organise import NoteRow, merged_note

ARXIV = "2310.01217"


@pytest.fixture
def organised(seed_library: Library) -> Library:
    """The seed's first paper (known by its title key) tagged and noted."""
    assert seed_library.ids[0] == TITLE_KEY
    seed_library.organise.change_tags([TITLE_KEY], add=["baselines"])
    seed_library.organise.set_note(TITLE_KEY, "Compare with the glimmerfax adapters")
    return seed_library


def changed_times(library: Library) -> tuple[list[float], list[float]]:
    organiser = library.organise.organiser
    return [r.changed for r in organiser.tag_rows()], [r.changed for r in organiser.note_rows()]


def test_tags_and_note_move_to_the_arxiv_id_a_new_source_gives_and_back(
        organised: Library, tmp_path: Path) -> None:
    times = changed_times(organised)
    organised.add_sources([str(bib(tmp_path))])
    organised.ensure_index()
    assert organised.ids[0] == ARXIV
    assert organised.organise.tags_of(ARXIV) == ("baselines",)
    assert organised.organise.note(ARXIV) == "Compare with the glimmerfax adapters"
    assert organised.search("tag:baselines").ids == [ARXIV]
    assert organised.search("note:glimmerfax").ids == [ARXIV]
    assert organised.search("glimmerfax").ids == [ARXIV]
    assert changed_times(organised) == times  # moving is not a change of the user's
    organised.close()

    Library.load().remove_source("scalearn.bib")
    after = Library.load()
    try:
        after.ensure_index()
        assert after.ids[0] == TITLE_KEY
        assert after.search("tag:baselines").ids == [TITLE_KEY]
        assert after.search("note:glimmerfax").ids == [TITLE_KEY]
        assert after.organise.tags_of(ARXIV) == () and after.organise.note(ARXIV) == ""
        assert [r.id for r in after.organise.organiser.tag_rows()] == [TITLE_KEY]
        assert changed_times(after) == times
    finally:
        after.close()


def test_what_both_ids_have_merges_a_tag_on_either_stays_and_notes_join(
        organised: Library, tmp_path: Path) -> None:
    """State imported for the arXiv id before the paper had it (kept until it arrives)."""
    organise = organised.organise
    organise.change_tags([TITLE_KEY], add=["todo"])
    organise.change_tags([ARXIV], add=["survey", "todo"])
    organise.change_tags([ARXIV], remove=["todo"])  # a removal newer than the title key's todo
    organise.set_note(ARXIV, "Read section 4")
    organised.add_sources([str(bib(tmp_path))])
    assert organise.tags_of(ARXIV) == ("baselines", "survey", "todo")
    assert organise.note(ARXIV) == "Compare with the glimmerfax adapters\n\nRead section 4"
    assert organise.tags_of(TITLE_KEY) == () and organise.note(TITLE_KEY) == ""
    assert {r.id for r in organise.organiser.tag_rows()} == {ARXIV}


def test_two_different_notes_are_joined_older_first_and_keep_the_newer_time() -> None:
    older, newer = NoteRow("a", "first thought", 10.0), NoteRow("b", "second thought", 20.0)
    assert merged_note(newer, older) == NoteRow("b", "first thought\n\nsecond thought", 20.0)
    assert merged_note(older, NoteRow("b", "first thought", 5.0)).text == "first thought"
    assert merged_note(older, NoteRow("b", "", 30.0)) == NoteRow("b", "", 30.0)  # cleared later
    assert merged_note(NoteRow("b", "", 5.0), older) == older
