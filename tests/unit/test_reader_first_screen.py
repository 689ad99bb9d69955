"""The reader's searches: the first screen then the complete list, stale ones stopped, did you mean."""

from __future__ import annotations

import pytest

from papertui.library import Library
from papertui.reader import Answer, Reader

SEED_PAPERS = 67  # "model" finds every one of them: more than a first screen of 50


@pytest.fixture
def model(seed_library: Library) -> Reader:
    return Reader(seed_library)


def answered(model: Reader, query: str) -> list[Answer]:
    """Every answer to ``query``, each accepted as it comes (as the screen does)."""
    given = list(model.answers(model.ask(query)))
    for answer in given:
        assert model.accept(answer, None)
    return given


def test_a_ranked_query_answers_its_first_screen_then_its_complete_list(model, seed_library):
    first, complete = model.answers(model.ask("model"))
    assert len(first.result.ids) == 50 and not first.result.complete
    assert complete.result.complete and len(complete.result.ids) == SEED_PAPERS
    assert first.result.ids == complete.result.ids[:50]
    assert first.generation == complete.generation


def test_a_query_that_ranks_nothing_or_fits_one_screen_answers_once(model):
    assert [len(a.result.ids) for a in answered(model, "is:unread")] == [SEED_PAPERS]
    assert [a.result.complete for a in answered(model, "mixture of experts")] == [True]
    model.sort = "title"  # another order sorts every hit: no first screen
    assert [len(a.result.ids) for a in answered(model, "model")] == [SEED_PAPERS]


def test_a_problem_answers_once(model):
    (only,) = answered(model, "title:")
    assert only.result is None and "title: needs a word" in only.problem


def test_while_counting_the_status_says_so_and_then_the_real_count(model):
    first, complete = model.answers(model.ask("model"))
    model.accept(first, None)
    assert model.counting
    assert model.status() == f"50+ of {SEED_PAPERS}, counting…"
    model.accept(complete, None)
    assert not model.counting
    assert model.status() == f"{SEED_PAPERS} of {SEED_PAPERS}"


def test_the_complete_list_keeps_the_cursor_where_the_user_moved_it(model):
    first, complete = model.answers(model.ask("model"))
    model.accept(first, None)
    assert model.shown.keep is None  # new words: the first screen opens on its top row
    moved_to = first.result.ids[7]
    model.accept(complete, moved_to)
    assert model.shown.keep == moved_to


def test_a_search_made_stale_stops_without_answering(model):
    old = model.ask("model")
    model.ask("language model")
    assert list(model.answers(old)) == []


def test_a_cancelled_search_stops_after_what_it_answered(model):
    checks = []

    def cancelled() -> bool:
        checks.append(True)
        return len(checks) > 1 and bool(given)  # cancelled once the first screen is out

    given: list[Answer] = []
    for answer in model.answers(model.ask("model"), cancelled):
        given.append(answer)
    assert len(given) == 1 and not given[0].result.complete


# Did you mean -------------------------------------------------------------------


def test_a_query_that_finds_nothing_shows_its_correction(model):
    (answer,) = answered(model, "trasnformer")
    assert answer.result.corrected == "transformer" and answer.result.ids
    assert model.message() == (
        "Showing results for “transformer”; search instead for “trasnformer” (ctrl+r)", "spelling")


def test_ctrl_r_searches_as_typed_and_back(model):
    answered(model, "trasnformer")
    request = model.ask(model.respell())
    assert (request.query, request.correct) == ("trasnformer", False)
    assert model.accept(model.answer(request), None)
    assert model.shown.result.ids == []
    assert model.message() == (
        "Showing results for “trasnformer” as typed; search for “transformer” (ctrl+r)", "spelling")
    again = model.ask(model.respell())
    assert (again.query, again.correct) == ("trasnformer", True)
    model.accept(model.answer(again), None)
    assert model.shown.result.corrected == "transformer"


def test_searching_as_typed_lasts_until_the_query_changes(model):
    answered(model, "trasnformer")
    model.ask(model.respell())
    assert model.resort()[1].correct is False  # the same query in another order
    assert model.ask("trasnformer attention").correct
    assert model.ask("trasnformer").correct


def test_a_query_with_hits_keeps_them_and_only_offers_the_correction(model):
    (answer,) = answered(model, "transformer OR trasnformer")
    assert answer.result.corrected is None and answer.result.ids
    assert model.message() == (
        "trasnformer? → transformer · did you mean “transformer OR transformer”? (ctrl+r)", "spelling")
    assert model.respell() == "transformer OR transformer"


def test_without_a_correction_ctrl_r_does_nothing(model):
    answered(model, "model")
    assert model.message() == ("", "")
    assert model.respell() is None
