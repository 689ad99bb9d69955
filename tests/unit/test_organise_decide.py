"""x, S and A on a selection, without Textual: one undoable action, then the next unread;
and which sidebar entry is the one shown."""

from __future__ import annotations

from papertui.library import Library
from papertui.models import Mark
from papertui.organising import BUILT_IN, Folder, active_folder
from papertui.reader import Reader
from papertui.selection import Selection, decide_selected, read_plan


def selected(*ids: str) -> Selection:
    selection = Selection()
    selection.select_all(ids)
    return selection


def test_x_marks_every_selected_paper_read_as_one_action_and_goes_to_the_next_unread(
        seed_library: Library) -> None:
    reader, ids = Reader(seed_library), seed_library.ids
    seed_library.set_marks({ids[3]: Mark(read=True), ids[1]: Mark(starred=True)})
    selection = selected(ids[0], ids[1], ids[5])
    plan = read_plan(list(selection), False, reader.mark)
    assert plan.question is None and plan.label == "marked 3 papers read"
    outcome = decide_selected(reader, selection, plan, ids, 2)
    assert [seed_library.mark(pid) for pid in ids[:6]] == [
        Mark(read=True), Mark(read=True, starred=True), Mark(), Mark(read=True), Mark(), Mark(read=True)]
    assert outcome.move_to == 4  # after the cursor (2): 3 was read already
    assert outcome.notice.text == "Marked 3 papers read. u undoes it."
    assert len(selection) == 0
    assert seed_library.organise.undo_last().label == "marked 3 papers read"
    assert [seed_library.mark(pid) for pid in (ids[0], ids[1], ids[5])] == [
        Mark(), Mark(starred=True), Mark()]


def test_S_stars_and_marks_read_and_says_when_no_unread_paper_is_below(seed_library: Library) -> None:
    reader, ids = Reader(seed_library), seed_library.ids
    seed_library.set_marks({ids[0]: Mark(read=True)})
    selection = selected(ids[0], ids[-1])
    plan = read_plan(list(selection), True, reader.mark)
    outcome = decide_selected(reader, selection, plan, ids, len(ids) - 1)
    assert seed_library.mark(ids[0]) == seed_library.mark(ids[-1]) == Mark(read=True, starred=True)
    assert outcome.move_to is None
    assert outcome.notice.text == "Starred and marked 2 papers read. u undoes it. No unread papers below."
    again = read_plan(list(selected(ids[0], ids[-1])), True, reader.mark)
    assert again.changed == 0
    said = decide_selected(reader, selected(ids[0]), again, ids, 0).notice.text
    assert said == "Every selected paper is already starred and read."


def test_more_than_100_papers_ask_first(make_library, tmp_path) -> None:
    rows = [f'{{"id": "2601.{n:05d}", "title": "Paper {n}", "abstract": "x"}}' for n in range(150)]
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(rows) + "\n")
    library = make_library()
    library.add_sources([str(source)])
    reader = Reader(library)
    assert read_plan(library.ids[:101], True, reader.mark).question == "Star and mark 101 papers read?"
    assert read_plan(library.ids[:100], False, reader.mark).question is None
    assert reader.read_all_question(library.ids[:101]) == "Mark 101 papers read?"


def test_A_on_a_selection_that_is_all_read_says_so(seed_library: Library) -> None:
    reader, ids = Reader(seed_library), seed_library.ids
    seed_library.set_marks({ids[0]: Mark(read=True)})
    assert reader.read_all([ids[0]], "selected").notice.text == "Every paper selected is already read."


def test_the_sidebar_marks_the_entry_whose_query_the_filter_bar_shows() -> None:
    folders = [*BUILT_IN, Folder("To read", "tag:survey  is:unread", "saved"),
               Folder("survey", "tag:survey", "tag")]
    assert active_folder(folders, "is:unread") == 1
    assert active_folder(folders, " Tag:Survey is:unread ") == 3  # spacing and case aside
    assert active_folder(folders, "tag:survey") == 4
    assert active_folder(folders, "tag:survey is:read") is None
    assert active_folder(folders, "") is None
