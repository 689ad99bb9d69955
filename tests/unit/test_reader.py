"""The reader model, without Textual: queries and stale answers, orders, the index wait, marks and undo."""

from __future__ import annotations

import json

import pytest

from papertui import ordering, reader
from papertui.errors import StateError
from papertui.library import Library
from papertui.models import Mark
from papertui.reader import Answer, Reader
from papertui.state import StateStore
from papertui.undo import Change, UndoLog, plan

SEED_PAPERS = 67


@pytest.fixture
def model(seed_library: Library) -> Reader:
    return Reader(seed_library)


def ask_and_accept(model: Reader, query: str, current: str | None = None) -> Answer:
    answer = model.answer(model.ask(query))
    assert model.accept(answer, current)
    return answer


# Queries and stale answers ----------------------------------------------------


def test_it_starts_on_every_paper_in_list_order(model, seed_library):
    assert model.shown.result.ids == seed_library.ids
    assert model.status() == "67 of 67"
    assert model.counts() == (SEED_PAPERS, 0, 0, None)
    assert model.message() == ("", "")


def test_an_answer_to_an_older_request_is_dropped(model):
    old = model.ask("is:starred")
    new = model.ask("mixture experts")
    assert not model.accept(model.answer(old), None)
    assert model.shown.result.query == ""  # nothing changed
    assert model.accept(model.answer(new), None)
    assert model.shown.result.query == "mixture experts"
    assert 0 < len(model.shown.result.ids) < SEED_PAPERS
    assert model.shown.result.ranked


def test_the_cursor_stays_on_its_paper_or_the_one_asked_for(model, seed_library):
    third = seed_library.ids[2]
    ask_and_accept(model, "is:unread", current=third)
    assert model.shown.keep == third
    wanted = seed_library.ids[5]
    model.ask("", keep=wanted)
    model.accept(model.answer(model.ask("")), current=third)
    assert model.shown.keep == wanted
    ask_and_accept(model, "", current=third)
    assert model.shown.keep == third  # asked for once, then the cursor's paper again


def test_a_bad_query_keeps_the_last_good_list_and_says_why(model):
    ask_and_accept(model, "is:unread")
    good = model.shown
    ask_and_accept(model, "is:bogus")
    assert model.shown is good
    text, kind = model.message()
    assert "unknown filter 'is:bogus'" in text and kind == "error"
    ask_and_accept(model, "")
    assert model.message() == ("", "")


def test_filters_only_count_the_papers_shown(model, seed_library):
    seed_library.set_marks({seed_library.ids[0]: Mark(starred=True)})
    ask_and_accept(model, "is:starred")
    assert model.status() == "1 of 67"
    assert model.counts() == (SEED_PAPERS, 0, 1, 1)
    assert model.empty_message() == "No papers match the filter."


# Orders ----------------------------------------------------------------------


def test_o_cycles_the_orders_of_a_ranked_result_and_comes_back_to_relevance(model, seed_library):
    ask_and_accept(model, "mixture experts")
    ranked = list(model.shown.result.ids)
    seen = []
    for _ in range(5):
        order, request = model.resort()
        assert request.query == "mixture experts"
        assert model.accept(model.answer(request), None)
        seen.append((order, model.shown.result.order))
    # No upvotes in the seed: that order is not offered.
    assert seen == [(o, o) for o in ("list order", "title", "date", "for you", "relevance")]
    assert model.sort is None  # back at the default: a later text query is ranked again
    assert model.shown.result.ids == ranked


def test_the_chosen_order_applies_to_the_next_query_and_shows_in_the_status(model, seed_library):
    model.resort()  # list order -> title
    assert model.sort == "title"
    ask_and_accept(model, "is:unread")
    titles = [seed_library.paper(pid).title.casefold() for pid in model.shown.result.ids]
    assert titles == sorted(titles)
    assert model.status() == "67 of 67 · by title"


def test_orders_without_a_text_query_skip_relevance():
    assert ordering.default(ranked=True) == ordering.RELEVANCE
    assert ordering.default(ranked=False) == ordering.LIST
    assert ordering.following(ordering.DATE, ranked=False) == ordering.FORYOU
    assert ordering.following(ordering.FORYOU, ranked=False) == ordering.LIST
    assert ordering.following(ordering.RELEVANCE, ranked=False) == ordering.LIST
    assert ordering.effective(ordering.RELEVANCE, ranked=False) == ordering.LIST


# Waiting for the index -------------------------------------------------------


def test_text_waits_for_the_index_and_says_how_far_it_is(make_library):
    model = Reader(make_library(with_index=False))
    ask_and_accept(model, "mixture")
    assert model.waiting
    assert model.shown.result.query == ""  # the list stays browsable
    assert model.message() == ("Opening the search index — text search starts in a moment", "waiting")
    model.index_progress(30, 67)
    assert model.message() == ("Index 45% built — text search starts when it's done", "waiting")
    model.index_failed()
    assert model.message() == (
        "Text search is off: the search index could not be built (filters still work)", "error")
    ask_and_accept(model, "is:unread")  # filters still work
    assert not model.waiting and model.message() == ("", "")


# Marks, decide-and-advance, undo ----------------------------------------------


def test_decide_marks_read_and_goes_to_the_next_unread(model, seed_library):
    ids = seed_library.ids
    seed_library.set_marks({ids[1]: Mark(read=True), ids[2]: Mark(read=True)})
    outcome = model.decide(ids, 0)
    assert seed_library.mark(ids[0]) == Mark(read=True)
    assert outcome.repaint and outcome.move_to == 3
    outcome = model.decide(ids, 3, star=True)
    assert seed_library.mark(ids[3]) == Mark(read=True, starred=True)
    assert outcome.move_to == 4


def test_decide_at_the_last_unread_says_so(model, seed_library):
    ids = seed_library.ids
    outcome = model.decide(ids, len(ids) - 1)
    assert outcome.move_to is None
    assert outcome.notice.text == "No unread papers below."


def test_a_mark_that_cannot_be_saved_says_why_and_does_not_advance(model, seed_library, monkeypatch):
    def read_only(changes):
        raise StateError("cannot save marks to state.db: attempt to write a readonly database")

    monkeypatch.setattr(seed_library, "set_marks", read_only)
    outcome = model.decide(seed_library.ids, 0)
    assert outcome.move_to is None
    assert outcome.notice.text.startswith("Not saved: cannot save marks")
    assert outcome.notice.severity == "error"
    assert len(seed_library.organise.undo) == 0


def test_jumping_to_unread_papers_either_way(model, seed_library):
    ids = seed_library.ids
    seed_library.set_marks({ids[1]: Mark(read=True)})
    assert model.jump_unread(ids, 0, +1).move_to == 2
    assert model.jump_unread(ids, 2, -1).move_to == 0
    assert model.jump_unread(ids, 0, -1).notice.text == "No unread papers above."


def test_mark_all_read_is_one_change_and_one_undo(model, seed_library):
    ids = seed_library.ids[:5]
    seed_library.set_marks({ids[0]: Mark(read=True, starred=True)})
    outcome = model.read_all(ids)
    assert outcome.notice.text == "Marked 4 papers read. u undoes it."
    assert all(seed_library.mark(pid).read for pid in ids)
    assert model.read_all(ids).notice.text == "Every paper shown is already read."
    undone = model.undo()
    assert undone.notice.text == "Undone: marked 4 papers read."
    assert undone.select is None  # several papers: the cursor stays
    assert [seed_library.mark(pid) for pid in ids] == [Mark(read=True, starred=True)] + [Mark()] * 4


def test_undo_takes_back_one_paper_and_goes_to_it(model, seed_library):
    first = seed_library.ids[0]
    model.toggle_star(first)
    model.toggle_read(first)
    assert seed_library.mark(first) == Mark(read=True, starred=True)
    assert model.undo().select == first
    assert seed_library.mark(first) == Mark(starred=True)
    assert model.undo().notice.text == (
        "Undone: starred: ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by Learning to Scale.")
    assert model.undo().notice.text == "Nothing to undo."


def test_an_undo_that_cannot_be_saved_stays_in_the_log(model, seed_library, monkeypatch):
    model.toggle_star(seed_library.ids[0])

    def read_only(changes):
        raise StateError("disk full")

    monkeypatch.setattr(seed_library, "set_marks", read_only)
    assert model.undo().notice.text == "Undo not saved: disk full"
    assert len(seed_library.organise.undo) == 1


def test_the_undo_log_survives_the_full_library_replacing_the_preview(make_library):
    preview, full = make_library(), make_library()
    model = Reader(preview)
    model.toggle_star(preview.ids[0])
    model.swap(full)
    assert model.library is full
    assert model.undo().select == full.ids[0]


# The pieces -----------------------------------------------------------------------


def test_plan_leaves_out_papers_already_so():
    marks = {"a": Mark(read=True), "b": Mark()}
    change = plan("marked read", {"a": Mark(read=True), "b": Mark(read=True)}, marks.get)
    assert change.after == {"b": Mark(read=True)}
    assert change.before == {"b": Mark()}
    assert change.single == "b"
    assert plan("x", {"a": Mark()}, lambda pid: Mark()) is None


def test_the_undo_log_is_last_in_first_out_and_bounded(tmp_path):
    log = UndoLog(StateStore.open(tmp_path / "state.db"), limit=2)
    changes = [Change(str(i), {}, {"a": Mark(starred=True)}) for i in range(3)]
    for change in changes:
        log.push(change)
    assert len(log) == 2
    assert log.pop() == changes[2]
    assert log.pop() == changes[1]
    assert log.pop() is None


def test_decisions():
    assert reader.toggled_read(Mark(read=False, starred=True)) == Mark(read=True, starred=True)
    assert reader.toggled_star(Mark(read=True)) == Mark(read=True, starred=True)
    assert reader.read(Mark(starred=True)) == Mark(read=True, starred=True)
    assert reader.starred_and_read(Mark()) == Mark(read=True, starred=True)


def test_next_unread_looks_past_the_read_ones_either_way():
    ids = ["a", "b", "c", "d", "e"]
    is_read = {"b", "c", "e"}.__contains__
    assert reader.next_unread(ids, 0, is_read) == 3
    assert reader.next_unread(ids, 3, is_read) is None
    assert reader.next_unread(ids, 4, is_read, -1) == 3
    assert reader.next_unread(ids, 3, is_read, -1) == 0
    assert reader.next_unread([], 0, is_read) is None


def test_similar_papers_are_remembered_up_to_a_bound(model, seed_library):
    first = seed_library.ids[0]
    assert model.similar_known(first) is None
    found = model.find_similar(first, 5)
    assert len(found) == 5 and first not in found
    model.similar_found(first, found)
    assert model.similar_known(first) == found
    for pid in seed_library.ids[1:]:
        model.similar_found(pid, [])
    for n in range(reader.SIMILAR_CACHE):
        model.similar_found(f"x{n}", [])
    assert model.similar_known(first) is None  # the oldest fell off



def test_a_restored_paper_keeps_the_cursor_on_the_list_shown_and_its_query(model, seed_library):
    fifth = seed_library.ids[4]
    model.keep_on(fifth, pending=True)  # restored with its query, whose answer is to come
    assert model.shown.keep == fifth
    ask_and_accept(model, "is:unread", current=seed_library.ids[0])
    assert model.shown.keep == fifth


def test_a_restored_paper_without_a_query_does_not_pull_the_cursor_back_later(model, seed_library):
    model.keep_on(seed_library.ids[4])  # restored with no query: nothing is pending
    assert model.shown.keep == seed_library.ids[4]
    moved_to = seed_library.ids[0]  # the user went to the top, then sorted (o)
    model.accept(model.answer(model.resort()[1]), current=moved_to)
    assert model.shown.keep == moved_to


# Issue 11: where a new query opens, the wait for a big index, many papers at once -----


def test_new_words_open_on_the_top_row_but_filters_and_orders_keep_the_paper(model, seed_library):
    ask_and_accept(model, "model")
    deep = model.shown.result.ids[5]
    ask_and_accept(model, "model is:unread", current=deep)  # only a filter more
    assert model.shown.keep == deep
    model.accept(model.answer(model.resort()[1]), current=deep)  # another order
    assert model.shown.keep == deep
    ask_and_accept(model, "language model is:unread", current=deep)  # new words
    assert model.shown.keep is None


def test_new_words_go_to_the_top_even_when_a_filter_follows_before_the_answer(model, seed_library):
    third = seed_library.ids[2]
    model.ask("model")  # its answer never comes: a filter was added at once
    ask_and_accept(model, "model is:unread", current=third)
    assert model.shown.keep is None


def test_a_paper_asked_for_wins_over_new_words(model, seed_library):
    wanted = seed_library.ids[7]
    model.keep_on(wanted, pending=True)  # the session's paper, restored with its query
    ask_and_accept(model, "model", current=seed_library.ids[0])
    assert model.shown.keep == wanted


def test_the_full_library_shows_at_once_while_a_query_waits_for_its_index(make_library):
    preview = make_library(with_index=False)
    model = Reader(preview)
    ask_and_accept(model, "mixture")
    assert model.waiting
    full = make_library(with_index=False)
    model.swap(full, current=full.ids[3])
    assert model.shown.result.ids == full.ids
    assert model.shown.keep == full.ids[3]


def test_the_wait_says_when_search_will_be_ready(make_library):
    now = [100.0]
    model = Reader(make_library(with_index=False), clock=lambda: now[0])
    ask_and_accept(model, "mixture")
    model.index_progress(0, 1000)
    assert model.message() == ("Index 0% built — text search starts when it's done", "waiting")
    now[0] += 30
    model.index_progress(100, 1000)  # 100 papers in 30 s: 900 more take 270 s
    assert model.message() == ("Index 10% built — search ready in about 4 min", "waiting")
    now[0] += 240
    model.index_progress(900, 1000)
    assert model.message() == ("Index 90% built — search ready in about 30 s", "waiting")
    model.index_progress(0, 1, "writing")  # a new phase, with a pace of its own
    assert model.message() == ("Index built, now writing — text search starts when it's done", "waiting")


def test_the_wait_while_the_index_takes_fetched_papers_says_so_through_its_progress(make_library):
    model = Reader(make_library(with_index=False))
    ask_and_accept(model, "mixture")
    model.index_adding_arrivals()
    adding = ("Adding the papers that arrived to the index — text search starts in a moment",
              "waiting")
    assert model.message() == adding
    model.index_progress(3, 10)  # the update's own progress keeps it an update
    assert model.index.arrivals_only and model.message() == adding
    model.index_ready()
    model.index_progress(0, 67)  # a later build is a build
    assert not model.index.arrivals_only
    assert model.message() == ("Index 0% built — text search starts when it's done", "waiting")


def test_marking_more_than_a_hundred_papers_asks_first(seed_library, tmp_path):
    model = Reader(seed_library)
    assert model.read_all_question(seed_library.ids) is None  # 67 papers
    lines = [json.dumps({"id": f"2601.{n:05d}", "title": f"Paper {n}", "abstract": "x",
                         "authors": "A. Author"}) for n in range(40)]
    (tmp_path / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    seed_library.add_sources([str(tmp_path / "more.jsonl")])
    assert len(seed_library.ids) == 107
    assert model.read_all_question(seed_library.ids) == "Mark 107 papers read?"
    seed_library.set_marks({pid: Mark(read=True) for pid in seed_library.ids[:7]})
    assert model.read_all_question(seed_library.ids) is None  # 100 unread: no question


def test_an_empty_list_of_unread_starred_papers_says_why(model, seed_library):
    seed_library.set_marks({seed_library.ids[0]: Mark(read=True, starred=True)})
    ask_and_accept(model, "is:unread is:starred")
    assert model.shown.result.ids == []
    assert model.empty_message() == "No starred paper is unread."
    ask_and_accept(model, "nonexistentword")
    assert model.empty_message() == "No papers match the filter."


def test_undo_names_the_paper_it_changed(model, seed_library):
    first = seed_library.ids[0]
    model.toggle_read(first)
    title = "ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by Learning to Scale"
    assert model.undo().notice.text == f"Undone: marked read: {title}."
