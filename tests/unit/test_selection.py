"""The selection model, many-paper marks, the tag editor's line and the note editor command."""

from __future__ import annotations

import pytest

from papertui.errors import PapertuiError
from papertui.models import Mark
from papertui.note_editing import edit_text, editor
from papertui.selection import Selection, flip_marks, question
from papertui.tag_entry import TagEdit, complete, parse, start_text

IDS = ["a", "b", "c", "d", "e"]


def test_a_range_follows_the_cursor_both_ways_and_v_again_stops_it():
    selection = Selection()
    selection.start_range(IDS, 1)
    assert selection.follow(IDS, 3) is True
    assert list(selection) == ["b", "c", "d"]
    assert selection.follow(IDS, 0) is True
    assert sorted(selection) == ["a", "b"]
    selection.start_range(IDS, 0)  # v again: the range stops, the papers stay selected
    assert not selection.ranging
    assert selection.follow(IDS, 4) is False
    assert sorted(selection) == ["a", "b"]


def test_a_range_adds_to_what_was_selected_before_it():
    selection = Selection()
    selection.toggle("e")
    selection.start_range(IDS, 0)
    selection.follow(IDS, 1)
    assert sorted(selection) == ["a", "b", "e"]


def test_the_selection_is_kept_when_the_list_changes_and_a_range_ends_without_its_start():
    selection = Selection()
    selection.start_range(IDS, 1)
    selection.follow(IDS, 2)
    assert selection.follow(["c", "d"], 1) is False  # "b", where the range began, is gone
    assert not selection.ranging
    assert sorted(selection) == ["b", "c"]
    assert selection.in_order(["d", "c", "a"]) == ["c", "b"]


def test_toggle_select_all_and_clear():
    selection = Selection()
    selection.toggle("c")
    selection.toggle("a")
    selection.toggle("c")
    assert list(selection) == ["a"]
    selection.select_all(IDS)
    assert len(selection) == 5 and "e" in selection
    selection.clear()
    assert len(selection) == 0 and not selection.ranging


def test_flip_marks_sets_the_flag_on_every_paper_unless_every_paper_has_it():
    marks = {"a": Mark(starred=True), "b": Mark(read=True), "c": Mark()}
    plan = flip_marks(["a", "b", "c"], "starred", marks.__getitem__)
    assert plan.label == "starred 2 papers"
    assert plan.after == {"a": Mark(starred=True), "b": Mark(read=True, starred=True),
                          "c": Mark(starred=True)}
    marks = plan.after
    plan = flip_marks(["a", "b", "c"], "starred", marks.__getitem__)
    assert plan.label == "unstarred 3 papers"
    assert plan.after == {"a": Mark(), "b": Mark(read=True), "c": Mark()}
    plan = flip_marks(["b"], "read", marks.__getitem__)
    assert (plan.label, plan.after) == ("marked 1 paper unread", {"b": Mark(starred=True)})


def test_more_than_100_papers_ask_first():
    assert question("Star {}?", 100) is None
    assert question("Star {}?", 101) == "Star 101 papers?"
    ids = [str(n) for n in range(101)]
    assert flip_marks(ids, "read", lambda pid: Mark()).question == "Mark 101 papers read?"
    assert flip_marks(ids[:100], "read", lambda pid: Mark()).question is None


def test_the_tag_line_adds_new_names_and_removes_those_left_off_or_marked_with_a_minus():
    assert start_text(["ml", "survey"]) == "ml, survey, "
    assert start_text([]) == ""
    assert parse("ml, survey, Baselines", ["ml", "survey"]) == TagEdit(("baselines",), ())
    assert parse("survey new", ["ml", "survey"]) == TagEdit(("new",), ("ml",))
    assert parse("ml, -ask-ana", ["ml"]) == TagEdit((), ("ask-ana",))
    assert parse("", []) == TagEdit()
    with pytest.raises(PapertuiError, match="bad tag name"):
        parse("ml, no!pe", ["ml"])


def test_completion_takes_the_last_word_from_the_tags_in_use():
    tags = ["survey", "surrogate", "ml"]
    assert complete("ml, sur", tags) == "ml, survey"
    assert complete("-sur", tags) == "-survey"
    assert complete("ml, ", tags) is None
    assert complete("survey", tags) is None
    assert complete("x", tags) is None


def test_the_editor_is_visual_then_editor(tmp_path):
    assert editor({"VISUAL": "vim", "EDITOR": "nano"}) == "vim"
    assert editor({"VISUAL": " ", "EDITOR": "nano -w"}) == "nano -w"
    assert editor({}) is None


def test_edit_text_runs_the_editor_on_a_markdown_file(tmp_path):
    script = tmp_path / "append.sh"
    script.write_text('#!/bin/sh\ncase "$1" in *.md) printf " more" >> "$1";; esac\n')
    script.chmod(0o755)
    assert edit_text(str(script), "note", "A title") == "note more"
    failing = tmp_path / "fail.sh"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    with pytest.raises(PapertuiError, match="status 3; the note on 'A title' is unchanged"):
        edit_text(str(failing), "note", "A title")
    with pytest.raises(PapertuiError, match="cannot run the editor"):
        edit_text(str(tmp_path / "missing"), "note", "A title")
