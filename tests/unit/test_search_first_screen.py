"""The first screen, then the complete list; stale searches cancelled; did you mean, at the facade."""

from __future__ import annotations

import pytest

from papertui.errors import SearchCancelled
from papertui.models import Mark

QUERIES = ["model", "language model", '"language model"', "scal*", "experts~", "title:survey",
           "abstract:language", 'learning -"language model"']


@pytest.mark.parametrize("query", QUERIES)
def test_the_first_screen_is_the_top_of_the_complete_list(seed_library, query) -> None:
    complete = seed_library.search(query)
    first = seed_library.search(query, limit=5)
    assert complete.complete and complete.ids
    assert first.ids == complete.ids[:5]
    assert first.complete == (len(complete.ids) <= 5)
    assert [first.scores[pid] for pid in first.ids] == [complete.scores[pid] for pid in first.ids]


def test_scores_are_bm25f_best_first_and_absent_without_text(seed_library) -> None:
    ranked = seed_library.search("mixture of experts")
    scores = [ranked.scores[pid] for pid in ranked.ids]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1] > 0
    assert seed_library.search("is:unread").scores == {}


def test_a_filtered_first_screen_ranks_more_until_the_screen_is_full(seed_library) -> None:
    complete = seed_library.search("model")
    # Read every other hit, best first: only 1 in 2 passes is:unread.
    seed_library.set_marks({pid: Mark(read=True) for pid in complete.ids[::2]})
    unread = [pid for pid in complete.ids if not seed_library.mark(pid).read]
    first = seed_library.search("is:unread model", limit=8)
    assert first.ids == unread[:8] and not first.complete
    assert seed_library.search("is:unread model", limit=len(unread)).complete
    # Star only the two worst hits: the first rounds find no starred paper at all.
    assert len(complete.ids) > 20
    seed_library.set_marks({pid: Mark(starred=True) for pid in complete.ids[-2:]})
    starred = seed_library.search("is:starred model", limit=2)
    assert starred.ids == complete.ids[-2:]


def test_a_phrase_first_screen_holds_only_papers_with_the_phrase(seed_library) -> None:
    loose = seed_library.search("language model")
    phrase = seed_library.search('"language model"', limit=5)
    assert set(phrase.ids) < set(loose.ids)
    for pid in phrase.ids:
        paper = seed_library.paper(pid)
        assert "language model" in f"{paper.title} {paper.abstract}".lower()


def test_a_cancelled_search_stops(seed_library) -> None:
    with pytest.raises(SearchCancelled):
        seed_library.search("model", cancelled=lambda: True)
    with pytest.raises(SearchCancelled):
        seed_library.search('"language model"', limit=5, cancelled=lambda: True)
    assert seed_library.search("model", cancelled=lambda: False).ids


def test_a_search_made_stale_midway_stops_at_the_next_check(seed_library) -> None:
    checks = []

    def stale_after_two() -> bool:
        checks.append(1)
        return len(checks) > 2

    with pytest.raises(SearchCancelled):
        seed_library.search("model", cancelled=stale_after_two)
    assert len(checks) == 3


# Did you mean ---------------------------------------------------------------


def test_a_query_that_finds_nothing_shows_its_correction(seed_library) -> None:
    typed = seed_library.search("mixtrue of experts", correct=True)
    right = seed_library.search("mixture of experts")
    assert typed.query == "mixtrue of experts" and typed.corrected == "mixture of experts"
    assert typed.ids == right.ids and typed.ids
    assert [(u.word, u.suggestion) for u in typed.unknown] == [("mixtrue", "mixture")]


def test_without_correct_nothing_is_corrected(seed_library) -> None:
    plain = seed_library.search("mixtrue of experts")
    assert plain.ids == [] and plain.corrected is None and plain.unknown == ()


def test_a_query_with_hits_only_offers_the_correction(seed_library) -> None:
    result = seed_library.search("experts mixtrue OR survey", correct=True)
    assert result.ids == seed_library.search("experts mixtrue OR survey").ids and result.ids
    assert result.corrected is None and result.suggestion == "experts mixture OR survey"
    assert result.unknown[0].start == len("experts ") and result.unknown[0].end == len("experts mixtrue")


def test_the_first_screen_of_a_correction(seed_library) -> None:
    first = seed_library.search("mixtrue of experts", limit=3, correct=True)
    assert first.ids == seed_library.search("mixture of experts").ids[:3]
    assert first.corrected == "mixture of experts"


def test_filters_and_ids_are_never_corrected(seed_library) -> None:
    result = seed_library.search("is:starred mixture", correct=True)  # nothing starred
    assert result.ids == [] and result.corrected is None
    assert seed_library.search("2401.99999", correct=True).corrected is None
