"""The query language over the seed: stemming, phrases, fields, prefixes, fuzzy, filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papertui import ordering
from papertui.errors import QueryError
from papertui.library import Library
from papertui.models import Mark

FIXTURES = Path(__file__).parent.parent / "fixtures"


def titles(library: Library, query: str) -> list[str]:
    return [library.paper(i).title for i in library.search(query).ids]


def test_stemming_finds_plural_forms(seed_library: Library) -> None:
    found = titles(seed_library, "transformer")
    assert "Relaxed Recursive Transformers: Effective Parameter Sharing with Layer-wise LoRA" in found


def test_phrase_finds_the_scaling_law_papers_ranked_title_first(seed_library: Library) -> None:
    found = titles(seed_library, '"scaling law"')
    title_hits = [t for t in found if "scaling law" in t.lower()]
    assert len(title_hits) >= 3
    assert found[: len(title_hits)] == title_hits
    assert all("scaling law" in (seed_library.paper(i).title + seed_library.paper(i).abstract).lower()
               for i in seed_library.search('"scaling law"').ids)


def test_title_hit_ranks_above_abstract_only_hit(seed_library: Library) -> None:
    found = titles(seed_library, "experts")
    assert found[0] == "A Survey on Mixture of Experts"
    abstract_only = [t for t in found if "expert" not in t.lower()]
    assert abstract_only and found.index(abstract_only[0]) > 1


def test_stop_words_are_dropped_in_every_field(seed_library: Library) -> None:
    found = titles(seed_library, "mixture of experts")
    assert found[0] == "A Survey on Mixture of Experts"
    assert found == titles(seed_library, "mixture experts")


def test_field_queries(seed_library: Library) -> None:
    found = titles(seed_library, "title:survey")
    assert found and all("survey" in t.lower() for t in found)
    assert len(titles(seed_library, "survey")) > len(found)


def test_prefix_matches_unstemmed_words(seed_library: Library) -> None:
    result = seed_library.search("pretrain*")
    assert result.ids
    assert "pretraining" in result.highlights.terms.get("title_plain", frozenset())


def test_fuzzy_finds_a_one_letter_typo(seed_library: Library) -> None:
    assert "A Survey on Mixture of Experts" in titles(seed_library, "mixtre~")


def test_boolean_operators(seed_library: Library) -> None:
    both = set(titles(seed_library, "survey mixture"))
    either = set(titles(seed_library, "survey OR mixture"))
    without = set(titles(seed_library, "survey NOT mixture"))
    assert both and both < either
    assert "A Survey on Mixture of Experts" in both
    assert "A Survey on Mixture of Experts" not in without


def test_accents_fold_both_ways(seed_library: Library) -> None:
    assert titles(seed_library, "pangu") == titles(seed_library, "pangú")


def test_empty_query_lists_every_paper_in_list_order(seed_library: Library) -> None:
    result = seed_library.search("")
    assert result.ids == seed_library.ids and not result.ranked


def test_is_filters_combine_with_text(seed_library: Library) -> None:
    ids = seed_library.search("survey").ids
    seed_library.set_marks({ids[0]: Mark(read=True), ids[1]: Mark(starred=True)})
    assert seed_library.search("is:read").ids == [ids[0]]
    assert seed_library.search("is:starred survey").ids == [ids[1]]
    assert ids[0] not in seed_library.search("is:unread survey").ids
    assert len(seed_library.search("is:unstarred").ids) == 66
    assert seed_library.search("is:read is:unread").ids == []


def test_highlight_spans_cover_stemmed_words(seed_library: Library) -> None:
    result = seed_library.search("transformer")
    title = "Relaxed Recursive Transformers: Effective Parameter Sharing with Layer-wise LoRA"
    assert [title[s:e] for s, e in result.highlights.spans("title", title)] == ["Transformers"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("is:brand-new", "unknown filter"),
        ("title:", "needs a word"),
        ("*", "too broad"),
        ("x" * 3000, "too long"),
        ("source:nothing-like-this", "matches no source"),
    ],
)
def test_bad_queries_raise_query_error(seed_library: Library, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        seed_library.search(query)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(
            st.sampled_from(['"', "(", ")", "*", "~", "title:", "author:", "is:", "OR", "NOT",
                             "AND", "^", "[", "]", "{", "}", "-", ":", "x", "law", "\\", "'"]),
            max_size=12,
        ).map(" ".join),
        st.text(min_size=1, max_size=40).map(lambda s: (s * (10_240 // len(s) + 1))[:10_240]),
    )
)
def test_search_raises_only_query_error(seed_library: Library, query: str) -> None:
    try:
        seed_library.search(query)
    except QueryError:
        pass


# Orders and the first screen ------------------------------------------------------------


def test_the_default_order_is_relevance_with_text_and_list_order_without(
    seed_library: Library,
) -> None:
    ranked = seed_library.search("experts")
    assert (ranked.ranked, ranked.order) == (True, ordering.RELEVANCE)
    assert seed_library.paper(ranked.ids[0]).title == "A Survey on Mixture of Experts"
    listed = seed_library.search("is:unread")
    assert (listed.ranked, listed.order) == (False, ordering.LIST)
    assert listed.ids == seed_library.ids


def test_title_order_ignores_case(seed_library: Library) -> None:
    result = seed_library.search("", order=ordering.TITLE)
    titles = [seed_library.paper(pid).title.casefold() for pid in result.ids]
    assert result.order == ordering.TITLE and sorted(result.ids) == sorted(seed_library.ids)
    assert titles == sorted(titles)


def test_date_order_is_newest_first_with_the_undated_last_in_list_order(
    seed_library: Library,
) -> None:
    seed_library.add_sources([str(FIXTURES / "arxiv-20.jsonl")])  # dated; the seed is not
    result = seed_library.search("", order=ordering.DATE)
    dates = [seed_library.paper(pid).date for pid in result.ids]
    dated = [d for d in dates if d]
    assert len(dated) == 20 and dated == sorted(dated, reverse=True)
    assert dates == dated + [None] * (len(dates) - len(dated))
    undated = [pid for pid, d in zip(result.ids, dates) if not d]
    assert undated == [pid for pid in seed_library.ids if pid in set(undated)]
    assert sorted(result.ids) == sorted(seed_library.ids)


def test_list_order_puts_ranked_hits_back_in_list_order(seed_library: Library) -> None:
    result = seed_library.search("experts", order=ordering.LIST)
    assert result.ranked and result.order == ordering.LIST
    assert result.ids == [pid for pid in seed_library.ids if pid in set(result.ids)]


def test_relevance_without_text_falls_back_to_list_order(seed_library: Library) -> None:
    result = seed_library.search("", order=ordering.RELEVANCE)
    assert result.order == ordering.LIST and result.ids == seed_library.ids


def test_a_limit_gives_the_first_screen_of_the_full_answer(seed_library: Library) -> None:
    full = seed_library.search("model", order=ordering.TITLE)
    first = seed_library.search("model", order=ordering.TITLE, limit=5)
    assert len(full.ids) > 5
    assert first.ids == full.ids[:5] and not first.complete and full.complete
    assert seed_library.search("model", limit=len(full.ids)).complete


def test_an_unknown_order_is_a_programming_error(seed_library: Library) -> None:
    with pytest.raises(ValueError, match="unknown order"):
        seed_library.search("", order="by colour")
