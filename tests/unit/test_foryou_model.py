"""The "for you" model over a small index: the stars' topic first, ties, negatives, why."""

from __future__ import annotations

from pathlib import Path

import pytest
from foryou_corpus import AUCTIONS, OTHER, RECORDS, ROBOTS

from papertui.index import PaperIndex, doc_of
from papertui.index.build import build
from papertui.models import Paper

TEXT = {pid: (title, abstract) for pid, title, abstract in RECORDS}


@pytest.fixture(scope="module")
def paper_index(tmp_path_factory: pytest.TempPathFactory):
    directory = Path(tmp_path_factory.mktemp("foryou")) / "index"
    build(directory, [doc_of(Paper(pid, title, abstract)) for pid, title, abstract in RECORDS],
          {"test": 1})
    opened = PaperIndex(directory)
    yield opened
    opened.close()


def test_the_stars_topic_ranks_first(paper_index: PaperIndex) -> None:
    model = paper_index.for_you(ROBOTS[:2], [], TEXT.__getitem__)
    assert set(model.ranked[:4]) == set(ROBOTS)
    assert model.ranked.index(ROBOTS[2]) < min(model.ranked.index(pid) for pid in AUCTIONS)


def test_papers_sharing_nothing_keep_the_order_they_came_in(paper_index: PaperIndex) -> None:
    model = paper_index.for_you(ROBOTS[:2], [], TEXT.__getitem__)
    given = [OTHER[0], AUCTIONS[0], ROBOTS[2], OTHER[1]]
    assert model.order(given) == [ROBOTS[2], OTHER[0], AUCTIONS[0], OTHER[1]]
    assert model.order(["not-indexed", ROBOTS[2], OTHER[0]]) == \
        [ROBOTS[2], "not-indexed", OTHER[0]]


def test_without_stars_every_list_keeps_its_order(paper_index: PaperIndex) -> None:
    model = paper_index.for_you([], [], TEXT.__getitem__)
    given = [OTHER[1], ROBOTS[0], AUCTIONS[2]]
    assert model.order(given) == given
    assert model.weights == {}


def test_a_read_paper_that_was_not_starred_lowers_papers_like_it(paper_index: PaperIndex) -> None:
    stars = ROBOTS[:2]
    plain = paper_index.for_you(stars, [], TEXT.__getitem__)
    damped = paper_index.for_you(stars, [ROBOTS[3]], TEXT.__getitem__)
    assert 0 < damped.scores[ROBOTS[3]] < plain.scores[ROBOTS[3]]
    assert damped.scores[ROBOTS[2]] > damped.scores[ROBOTS[3]]


def test_why_names_the_three_strongest_shared_words_as_the_paper_spells_them(
        paper_index: PaperIndex) -> None:
    model = paper_index.for_you(ROBOTS[:3], [], TEXT.__getitem__)
    assert paper_index.explain(model, TEXT[ROBOTS[0]]) == ["robot", "tactile", "grasping"]
    assert paper_index.explain(model, TEXT[ROBOTS[3]]) == ["robots"]  # the title's spelling
    assert paper_index.explain(model, TEXT[OTHER[0]]) == []
