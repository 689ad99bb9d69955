"""The "for you" model over a small index: the stars' topic first, ties, negatives, why."""

from __future__ import annotations

from pathlib import Path

import pytest
from foryou_corpus import AUCTIONS, OTHER, RECORDS, ROBOTS

from papertui.analysis import STEMMED
from papertui.index import PaperIndex, doc_of, foryou
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
    ranked = model.order(list(TEXT))
    assert set(ranked[:4]) == set(ROBOTS)
    assert ranked.index(ROBOTS[2]) < min(ranked.index(pid) for pid in AUCTIONS)


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


def test_reads_damp_a_term_below_the_next_one_and_the_model_keeps_the_stronger(
        paper_index: PaperIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    # "robot" leads "tactile" among the stars' terms; the one read paper holds only "robot".
    monkeypatch.setattr(foryou, "NEGATIVE", 0.5)
    plain = paper_index.for_you(ROBOTS[:3], [], TEXT.__getitem__)
    damped = paper_index.for_you(ROBOTS[:3], [ROBOTS[3]], TEXT.__getitem__)
    assert plain.weights["robot"] > plain.weights["tactil"]
    assert damped.weights["robot"] == pytest.approx(plain.weights["robot"] * 0.5)
    assert damped.weights["tactil"] == plain.weights["tactil"]
    monkeypatch.setattr(foryou, "TERMS", 1)
    assert list(paper_index.for_you(ROBOTS[:3], [], TEXT.__getitem__).weights) == ["robot"]
    assert list(paper_index.for_you(ROBOTS[:3], [ROBOTS[3]], TEXT.__getitem__).weights) == \
        ["tactil"]


def test_only_the_stars_text_is_read_however_many_papers_were_read(
        paper_index: PaperIndex) -> None:
    stars = ROBOTS[:2]
    read = [ROBOTS[3], *AUCTIONS, *OTHER]

    def starred_text(pid: str) -> tuple[str, str]:
        assert pid in stars, f"the text of {pid} was asked for"
        return TEXT[pid]

    model = paper_index.for_you(stars, read, starred_text)
    assert 0 < model.scores[ROBOTS[3]] < paper_index.for_you(stars, [], TEXT.__getitem__) \
        .scores[ROBOTS[3]]


def test_a_term_beyond_the_postings_budget_is_passed_over_for_cheaper_ones(
        paper_index: PaperIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    # "robot" is in 4 papers, "tactile" in 3, "grasping" in 2: a budget of 5 takes
    # "robot" and then only terms in at most 1 paper.
    monkeypatch.setattr(foryou, "BUDGET", 5)
    model = paper_index.for_you(ROBOTS[:3], [], TEXT.__getitem__)
    assert "robot" in model.weights and "tactil" not in model.weights
    assert "grasp" not in model.weights and "cloth" in model.weights


def test_the_budget_holds_when_reads_reorder_the_terms(
        paper_index: PaperIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    # Damped by the read paper, "robot" (4 papers) falls behind "tactile" (3), which takes
    # 3 of the 5 postings: "robot" no longer fits, "grasping" (2) does, and then nothing.
    monkeypatch.setattr(foryou, "NEGATIVE", 0.5)
    monkeypatch.setattr(foryou, "BUDGET", 5)
    model = paper_index.for_you(ROBOTS[:3], [ROBOTS[3]], TEXT.__getitem__)
    assert set(model.weights) == {"tactil", "grasp"}


def test_a_few_stars_keep_every_term_they_have(paper_index: PaperIndex) -> None:
    title, abstract = TEXT[ROBOTS[0]]
    terms = {token.text for token in STEMMED(f"{title} {abstract}")}
    assert set(paper_index.for_you(ROBOTS[:1], [], TEXT.__getitem__).weights) == terms
