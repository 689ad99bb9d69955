"""The "for you" order through the facade and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from foryou_corpus import AUCTIONS, ROBOTS, write_corpus

from papertui import ordering
from papertui.cli import main
from papertui.library import Library
from papertui.models import Mark
from papertui.recommend import NO_STARS


@pytest.fixture
def library(isolated_dirs: Path):
    corpus = write_corpus(isolated_dirs)
    opened = Library.load()
    opened.add_sources([str(corpus)])
    opened.ensure_index()
    yield opened
    opened.close()


def test_without_stars_for_you_is_list_order_and_says_why(library: Library) -> None:
    result = library.search("", order=ordering.FORYOU)
    assert result.order == ordering.FORYOU
    assert result.ids == library.ids
    assert library.for_you_status() == NO_STARS
    assert library.refresh_for_you() is False


def test_the_starred_papers_topic_comes_first(library: Library) -> None:
    library.set_marks({pid: Mark(starred=True) for pid in ROBOTS[:2]})
    assert library.refresh_for_you() is True
    assert library.for_you_status() is None
    ids = library.search("is:unstarred", order=ordering.FORYOU).ids
    assert set(ids[:2]) == set(ROBOTS[2:])
    assert library.why(ROBOTS[2])[0] == "robot"


def test_for_you_reorders_the_hits_of_a_text_query(library: Library) -> None:
    library.set_marks({ROBOTS[2]: Mark(starred=True)})
    query = "learning source:topics"
    by_relevance = library.search(query).ids
    assert by_relevance[0] == AUCTIONS[1] and set(by_relevance) == {*ROBOTS[:2], AUCTIONS[1]}
    for_you = library.search(query, order=ordering.FORYOU).ids
    assert set(for_you[:2]) == set(ROBOTS[:2]) and for_you[2] == AUCTIONS[1]


def test_the_model_follows_the_stars(library: Library) -> None:
    library.set_marks({AUCTIONS[0]: Mark(starred=True)})
    assert library.search("is:unstarred", order=ordering.FORYOU).ids[0] in AUCTIONS
    assert library.why(AUCTIONS[1])
    library.set_marks({AUCTIONS[0]: Mark(), ROBOTS[0]: Mark(starred=True)})
    assert library.why(AUCTIONS[1]) == []  # the model of the old stars is not current
    assert library.search("is:unstarred", order=ordering.FORYOU).ids[0] in ROBOTS
    library.set_marks({ROBOTS[0]: Mark()})
    assert library.search("", order=ordering.FORYOU).ids == library.ids


def test_cli_sort_foryou(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    library.set_marks({pid: Mark(starred=True) for pid in AUCTIONS[:2]})
    library.close()
    assert main(["search", "is:unstarred", "--sort", "foryou", "--limit", "1", "--json"]) == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == [AUCTIONS[2]]


def test_cli_sort_foryou_without_stars_says_why(library: Library,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    library.close()
    assert main(["search", "", "--sort", "foryou", "--limit", "0", "--json"]) == 0
    printed = capsys.readouterr()
    assert [row["id"] for row in json.loads(printed.out)] == library.ids
    assert NO_STARS in printed.err
