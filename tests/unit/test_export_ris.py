"""RIS export: read back by rispy with title, authors, year, abstract and URL intact."""

from __future__ import annotations

import datetime

import pytest
import rispy
from export_cases import ITEMS, MANY_AUTHORS, SEED_LIKE, SHOWN_ABSTRACTS, SHOWN_TITLES

from papertui.export import ExportItem, render
from papertui.export.ris import last_name_first
from papertui.models import Paper

ON = datetime.date(2025, 8, 13)


def ris(items) -> str:
    return render(items, "ris", list_name="Daily Papers", on=ON)


def first_name_first(name: str, original: str) -> str:
    """Undo last_name_first for a name it inverted."""
    if name == original:
        return name
    last, first, *suffix = name.split(", ")
    return " ".join([first, last, *suffix])


@pytest.mark.parametrize("newline", [None, "\r\n"], ids=["rispy-default", "crlf"])
def test_every_record_round_trips_through_rispy(newline):
    entries = rispy.loads(ris(ITEMS), **({"newline": newline} if newline else {}))
    assert len(entries) == 23
    assert [entry["title"] for entry in entries] == SHOWN_TITLES
    assert [entry.get("abstract", "") for entry in entries] == SHOWN_ABSTRACTS
    assert [n for n, entry in enumerate(entries) if entry["type_of_reference"] == "JOUR"] == [4, 11]
    assert {entry["type_of_reference"] for entry in entries} == {"JOUR", "GEN"}
    for entry, item in zip(entries, ITEMS):
        paper = item.paper
        authors = entry.get("authors", [])
        names = [first_name_first(a, o) for a, o in zip(authors, paper.authors)]
        assert names == list(paper.authors)
        assert len(authors) == len(paper.authors)
        assert entry.get("year") == (paper.date[:4] if paper.date else None)
        assert entry.get("urls", []) == ([paper.link] if paper.link else [])


def test_lines_end_in_crlf_and_records_close_with_er():
    text = ris(ITEMS[:2])
    assert "\n" not in text.replace("\r\n", "")
    assert text.count("ER  - \r\n") == 2
    assert text.startswith("TY  - ")
    assert text.endswith("ER  - \r\n")


def test_preprint_record():
    text = ris([ExportItem(SEED_LIKE[0], read=True, starred=True)])
    assert text.split("\r\n") == [
        "TY  - GEN",
        "TI  - ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by Learning to Scale",
        "AU  - Frohmann, Markus",
        "AU  - Holtermann, Carolin",
        "AU  - Masoudian, Shahed",
        "PY  - 2023",
        "DA  - 2023/10/02/",
        "AB  - Multi-task learning (MTL) has shown considerable practical benefits,"
        " e.g. adapters (e.g. AdapterFusion).",
        "UR  - https://arxiv.org/abs/2310.01217",
        "DO  - 10.48550/arXiv.2310.01217",
        "KW  - read",
        "KW  - starred",
        "ER  - ",
        "",
    ]


def test_journal_paper_is_jour_with_the_journal_as_t2():
    (entry,) = rispy.loads(ris([ExportItem(SEED_LIKE[4], False, False)]))
    assert entry["type_of_reference"] == "JOUR"
    assert entry["secondary_title"] == "arXiv preprint"
    assert entry["keywords"] == ["unread"]
    assert "doi" not in entry


def test_multi_line_abstracts_become_one_line():
    (entry,) = rispy.loads(ris([ExportItem(SEED_LIKE[4], False, False)]))
    assert entry["abstract"] == "We study empirical scaling laws for language model performance."


def test_a_bare_paper_has_only_what_is_known():
    text = ris([ExportItem(Paper(id="a-bare-paper", title="A Bare Paper"), False, False)])
    assert text == (
        "TY  - GEN\r\nTI  - A Bare Paper\r\nKW  - unread\r\nER  - \r\n"
    )


def test_three_thousand_authors():
    (entry,) = rispy.loads(ris([ExportItem(MANY_AUTHORS, False, False)]))
    assert len(entry["authors"]) == 3000
    assert entry["authors"][-1] == "Surname2999, Author2999"


@pytest.mark.parametrize(
    ("name", "inverted"),
    [
        ("Jared Kaplan", "Kaplan, Jared"),
        ("Wayne Xin Zhao", "Zhao, Wayne Xin"),
        ("Jan van der Berg", "van der Berg, Jan"),
        ("Jan van der Berg Jr.", "van der Berg, Jan, Jr."),
        ("Kaplan, Jared", "Kaplan, Jared"),
        ("Plato", "Plato"),
        ("李华", "李华"),
        ("Google DeepMind and Friends", "Google DeepMind and Friends"),
    ],
)
def test_authors_are_written_last_name_first(name, inverted):
    assert last_name_first(name) == inverted
