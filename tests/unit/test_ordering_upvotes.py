"""List order puts feed papers first, by day and upvotes; ``o`` offers upvotes when there are some."""

from __future__ import annotations

from papertui import ordering

KEYS = ordering.SortKeys(
    {"a": 0, "b": 1, "c": 2, "d": 3}, lambda: {}, lambda: {},
    upvotes=lambda: {"a": 3, "b": None, "c": 40, "d": 3},
)


def test_upvotes_sort_most_first_and_the_rest_in_list_order() -> None:
    assert ordering.arrange(["d", "b", "c", "a"], ordering.UPVOTES, False, KEYS) == ["c", "d", "a", "b"]
    assert ordering.arrange(["d", "b", "c", "a"], ordering.UPVOTES, True, KEYS) == ["c", "d", "a", "b"]


def test_the_cycle_offers_upvotes_only_when_a_shown_paper_has_them() -> None:
    assert ordering.following(ordering.DATE, ranked=False) == ordering.FORYOU
    assert ordering.following(ordering.DATE, ranked=False, upvotes=True) == ordering.UPVOTES
    assert ordering.following(ordering.UPVOTES, ranked=True, upvotes=True) == ordering.FORYOU
    assert ordering.NAMES["upvotes"] == ordering.UPVOTES


def test_list_order_feed_papers_first_newest_day_first_most_upvoted_first() -> None:
    papers = [
        ("file-1", "2026-06-09", 999, False),
        ("hf-old", "2026-06-01", 50, True),
        ("hf-new-low", "2026-06-03", 2, True),
        ("rss-new", "2026-06-03", None, True),
        ("hf-new-high", "2026-06-03", 90, True),
        ("undated-feed", None, 5, True),
        ("file-2", None, None, False),
    ]
    order = [papers[i][0] for i in ordering.list_order(papers)]
    assert order == ["hf-new-high", "hf-new-low", "rss-new", "hf-old", "undated-feed",
                     "file-1", "file-2"]


def test_the_library_offers_upvotes_for_hugging_face_papers(seed_library) -> None:
    assert seed_library.offers_upvotes(seed_library.ids) is False
