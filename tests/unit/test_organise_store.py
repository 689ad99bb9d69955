"""Tags, notes and saved searches in state.db, with change times; the persistent undo log."""

from __future__ import annotations

import sqlite3

import pytest

from papertui.models import Mark
from papertui.organise import (
    NoteRow,
    Organiser,
    OrganiseError,
    SavedRow,
    TagRow,
    normalise_tag,
    parse_tags,
)
from papertui.state import StateStore
from papertui.undo import Change, UndoLog


@pytest.fixture
def store(tmp_path):
    opened = StateStore.open(tmp_path / "state.db")
    yield opened
    opened.close()


def test_tag_names_are_case_folded_and_checked():
    assert normalise_tag(" Survey/2026_v1.x-B ") == "survey/2026_v1.x-b"
    assert parse_tags("A, b,,a") == ["a", "b"]
    for bad in ("two words", "tag!", "", "é"):
        with pytest.raises(OrganiseError, match="bad tag name"):
            normalise_tag(bad)


def test_tags_are_added_removed_and_kept_with_their_times(store):
    organiser = Organiser(store)
    flips = organiser.change_tags(["p1", "p2"], add=["survey", "ml"])
    assert len(flips) == 4
    assert organiser.change_tags(["p1"], add=["survey"]) == []  # already so: nothing
    organiser.change_tags(["p1"], remove=["ml"])
    assert organiser.tags_of("p1") == ("survey",)
    assert organiser.tags_of("p2") == ("ml", "survey")
    assert organiser.tag_counts() == {"ml": 1, "survey": 2}
    assert organiser.ids_with("survey") == {"p1", "p2"}
    rows = {(r.id, r.tag): r for r in organiser.tag_rows()}
    assert rows[("p1", "ml")].present is False  # the removal is kept, with its time
    assert rows[("p1", "ml")].changed >= rows[("p2", "ml")].changed
    # Another connection reads the same tags back.
    assert Organiser(store).tags_by_id() == {"p1": ("survey",), "p2": ("ml", "survey")}


def test_renaming_a_tag_moves_it_on_every_paper(store):
    organiser = Organiser(store)
    organiser.change_tags(["p1", "p2"], add=["old"])
    organiser.change_tags(["p2"], add=["new"])
    organiser.rename_tag("old", "new")
    assert organiser.tags_by_id() == {"p1": ("new",), "p2": ("new",)}


def test_notes_are_set_and_cleared_with_a_time(store):
    organiser = Organiser(store)
    organiser.set_notes({"p1": "ask Ana", "p2": "baseline"})
    organiser.set_notes({"p2": ""})
    assert organiser.note("p1") == "ask Ana"
    assert organiser.note("p2") == ""
    assert organiser.notes() == {"p1": "ask Ana"}
    assert [(r.id, r.text) for r in organiser.note_rows()] == [("p1", "ask Ana"), ("p2", "")]


def test_saved_searches_refuse_taken_and_unknown_names(store):
    organiser = Organiser(store)
    organiser.add_saved("Survey", "tag:survey is:unread")
    with pytest.raises(OrganiseError, match="exists already"):
        organiser.add_saved("survey", "x")
    with pytest.raises(OrganiseError, match="no saved search named 'nope'"):
        organiser.remove_saved("nope")
    assert [(s.name, s.query) for s in organiser.saved()] == [("Survey", "tag:survey is:unread")]
    organiser.remove_saved("SURVEY")
    assert organiser.saved() == []
    [tombstone] = organiser.saved_rows()
    assert (tombstone.name, tombstone.present) == ("Survey", False)
    organiser.add_saved("survey", "y")  # the name is free again
    assert [s.query for s in organiser.saved()] == ["y"]


def test_rows_written_as_given_keep_their_times(store):
    organiser = Organiser(store)
    organiser.put_tag_rows([TagRow("p1", "a", True, 100.0), TagRow("p1", "b", False, 50.0)])
    organiser.put_note_rows([NoteRow("p9", "kept for a paper to come", 200.0)])
    organiser.put_saved_rows([SavedRow("S", "is:starred", True, 300.0)])
    again = Organiser(store)
    assert again.tag_rows() == [TagRow("p1", "a", True, 100.0), TagRow("p1", "b", False, 50.0)]
    assert again.note_rows() == [NoteRow("p9", "kept for a paper to come", 200.0)]
    assert again.saved_rows() == [SavedRow("S", "is:starred", True, 300.0)]


def test_each_mark_flag_keeps_the_time_it_last_changed(store, monkeypatch):
    clock = iter([10.0, 20.0, 30.0])
    monkeypatch.setattr("papertui.state.time.time", lambda: next(clock))
    store.set({"p1": Mark(read=True)})
    store.set({"p1": Mark(read=True, starred=True)})
    assert (store.mark_rows()[0].read_changed, store.mark_rows()[0].starred_changed) == (10.0, 20.0)
    store.set({"p1": Mark(read=False, starred=True)})
    [row] = store.mark_rows()
    assert (row.read, row.read_changed, row.starred, row.starred_changed) == (False, 30.0, True, 20.0)
    store.put_mark_fields([("p2", "starred", True, 5.0)])
    row2 = store.mark_rows()[1]
    assert (row2.id, row2.starred, row2.starred_changed, row2.read_changed) == ("p2", True, 5.0, None)


def test_an_old_marks_table_gets_change_times(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE marks (id TEXT PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0,"
                     " starred INTEGER NOT NULL DEFAULT 0, updated REAL NOT NULL);"
                     "INSERT INTO marks VALUES ('p1', 1, 0, 42.0);")
    db.close()
    store = StateStore.open(path)
    assert [(r.id, r.read, r.read_changed, r.starred_changed) for r in store.mark_rows()] == [
        ("p1", True, 42.0, 42.0)]
    store.close()


def test_the_undo_log_outlives_the_connection_and_keeps_the_newest(tmp_path):
    path = tmp_path / "state.db"
    store = StateStore.open(path)
    log = UndoLog(store, limit=3)
    for number in range(5):
        log.push(Change(f"starred {number}", {"p": Mark()}, {"p": Mark(starred=True)},
                        tags=(("p", "t", False, True),), notes={"p": ("", "n")},
                        values={"new_since": (1.0, 2.0)}))
    store.close()
    store = StateStore.open(path)
    log = UndoLog(store, limit=3)
    assert len(log) == 3
    newest = log.pop()
    assert newest == Change("starred 4", {"p": Mark()}, {"p": Mark(starred=True)},
                            tags=(("p", "t", False, True),), notes={"p": ("", "n")},
                            values={"new_since": (1.0, 2.0)})
    assert [log.pop().label, log.pop().label, log.pop()] == ["starred 3", "starred 2", None]
    store.close()
