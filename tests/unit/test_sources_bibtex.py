"""The BibTeX parser, on two real bibliographies and on broken files.

Counts were checked by hand: d2l.bib has 488 ``@`` blocks, all entries with a
title; biblatex-examples.bib has 100 blocks, 8 of them @string, and its two
@set entries have no title.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import pytest
from bad_sources import bad_text
from hypothesis import given, settings

from papertui.errors import SourceError
from papertui.sources import bibtex
from papertui.sources.base import summarise

FIXTURES = Path(__file__).parent.parent / "fixtures"


def parse_fixture(name: str):
    path = FIXTURES / name
    return bibtex.parse(path.read_text(encoding="utf-8"), str(path))


def parse_text(text: str):
    return bibtex.parse(text, "/refs/my.bib")


def by_key(parsed) -> dict:
    return {paper.extra["citation_key"]: paper for paper in parsed.papers}


@pytest.fixture(scope="module")
def d2l():
    return parse_fixture("d2l.bib")


@pytest.fixture(scope="module")
def examples():
    return parse_fixture("biblatex-examples.bib")


def test_d2l_imports_all_488_entries(d2l) -> None:
    assert d2l.format == "bibtex"
    assert (d2l.entries, len(d2l.papers), d2l.skipped) == (488, 488, [])
    assert (summarise("d2l.bib", d2l.entries, len(d2l.papers), d2l.skipped)
            == "d2l.bib: 488 entries, 488 papers")
    assert sum(1 for p in d2l.papers if p.arxiv_id) == 128


def test_d2l_entry_with_accents_braces_and_et_al(d2l) -> None:
    paper = by_key(d2l)["Abadi.Barham.Chen.ea.2016"]
    assert paper.title == "TensorFlow: A system for large-scale machine learning"
    assert paper.id == "tensorflow-a-system-for-large-scale-machine-learning"
    assert paper.authors[0] == "Martín Abadi"  # Mart{\'\i}n
    assert paper.authors[-1] == "Michael Isard"  # "and et al." is no author
    assert len(paper.authors) == 10
    assert paper.date == "2016"
    assert paper.sources == ("d2l.bib",)
    assert paper.extra == {
        "entry_type": "inproceedings",
        "citation_key": "Abadi.Barham.Chen.ea.2016",
        "booktitle": (
            "12th USENIX Symposium on Operating Systems Design and Implementation (OSDI 16)"
        ),
        "year": "2016",
    }


def test_arxiv_journal_gives_the_id_and_is_no_journal(d2l) -> None:
    paper = by_key(d2l)["Ba.Kiros.Hinton.2016"]  # journal = {Ar{X}iv:1607.06450}
    assert paper.id == "1607.06450"
    assert paper.url == "https://arxiv.org/abs/1607.06450"
    assert "journal" not in paper.extra
    assert by_key(d2l)["feurer-arxiv22"].id == "1802.02219"  # Ar{X}iv:1802.02219 [stat.ML]


def test_capitalised_field_names_and_ties(d2l) -> None:
    paper = by_key(d2l)["Silverman86"]  # Title =, Author = {B.~W. Silverman}
    assert paper.title == "Density Estimation for Statistical and Data Analysis"
    assert paper.authors == ("B. W. Silverman",)


def test_name_with_trailing_comma_and_particle(d2l) -> None:
    paper = by_key(d2l)["Cajal.Azoulay.1894"]
    assert paper.authors == ("Santiago Ramón y Cajal", "L. Azoulay")
    assert paper.title.startswith("Les Nouvelles Idées sur la Structure du Système")


def test_math_stays_verbatim(d2l) -> None:
    titles = {p.title for p in d2l.papers}
    assert (
        "An image is worth $16\\times 16$ words: Transformers for image recognition at scale"
        in titles
    )


def test_biblatex_examples_skip_the_two_untitled_sets(examples) -> None:
    assert (examples.entries, len(examples.papers)) == (92, 90)
    assert [(s.where, s.reason) for s in examples.skipped] == [
        ("entry set (line 26)", "no title"),
        ("entry stdmodel (line 31)", "no title"),
    ]
    assert (summarise("x.bib", examples.entries, len(examples.papers), examples.skipped)
            == "x.bib: 92 entries, 90 papers, 2 skipped (no title: 2)")


def test_string_macros_are_expanded(examples) -> None:
    papers = by_key(examples)
    assert papers["aksin"].extra["journal"] == "J. Organomet. Chem."  # journaltitle = jomch
    assert papers["bertram"].extra["journal"] == "J. Amer. Math. Soc."


def test_accents_become_unicode(examples) -> None:
    papers = by_key(examples)
    assert papers["angenendt"].extra["journal"] == "Revue d'Histoire Ecclésiastique"  # {\'e}
    assert papers["aksin"].authors[:4] == (
        "Özge Aksın",
        "Hayati Türkmen",
        "Levent Artok",
        "Bekir Çetinkaya",
    )
    assert papers["cicero"].title == "De natura deorum. Über das Wesen der Götter"


def test_eprint_with_eprinttype_arxiv_gives_versionless_id(examples) -> None:
    papers = by_key(examples)
    assert papers["baez/article"].id == "math/0307200"  # eprint = {math/0307200v3}
    assert papers["itzhaki"].id == "hep-th/9603067"
    assert papers["wassenberg"].id == "1008.2849"
    assert papers["wassenberg"].date == "2010-08-17"
    assert sum(1 for p in examples.papers if p.arxiv_id) == 4  # not the googlebooks eprint


def test_crossref_fills_booktitle_and_year_and_subtitle_joins_title(examples) -> None:
    paper = by_key(examples)["westfahl:space"]
    assert paper.title == (
        "The True Frontier: Confronting and Avoiding the Realities of Space"
        " in American Science Fiction Films"
    )
    assert (paper.date, paper.extra["booktitle"]) == ("2000", "Space and Beyond")


def test_logo_and_hyphen_macros(examples) -> None:
    papers = by_key(examples)
    assert papers["knuth:ct:b"].title == "TeX: The Program"
    assert papers["kastenholz"].title.startswith("Computation of methodology-independent")


BROKEN = """\
@article{good1,
  title = {First Good},
  author = {Doe, Jane},
  year = 2020,
}

@article{broken,
  title = {Never closed,
  year = 2021

@book{good2, title = {Second Good}, year = {2022}}
@misc{untitled, author = {Nobody}}
"""


def test_partly_broken_file_keeps_its_good_entries() -> None:
    parsed = parse_text(BROKEN)
    assert [p.title for p in parsed.papers] == ["First Good", "Second Good"]
    assert parsed.entries == 4
    assert [(s.where, s.reason) for s in parsed.skipped] == [
        ("line 7", "unparsable entry"),
        ("entry untitled (line 12)", "no title"),
    ]
    assert parsed.papers[0].authors == ("Jane Doe",)


def test_arxiv_ids_from_eprint_url_doi_and_note() -> None:
    text = """
    @misc{a, title={A}, eprint={2301.00001v2}, archivePrefix={arXiv}}
    @misc{b, title={B}, url={https://arxiv.org/pdf/2301.00002v1}}
    @misc{c, title={C}, doi={10.48550/arXiv.2301.00003}}
    @article{d, title={D}, journal={arXiv preprint arXiv:2301.00004}}
    @misc{e, title={E}, eprint={2301.00005}, eprinttype={hal}}
    """
    ids = [p.id for p in parse_text(text).papers]
    assert ids == ["2301.00001", "2301.00002", "2301.00003", "2301.00004", "e"]


def test_concatenation_quotes_duplicates_and_names() -> None:
    text = r"""
    @string{conf = "Proc. of "}
    @inproceedings{x,
      title = "Quoted {T}itle with 50% \& more",
      booktitle = conf # {ICML},
      author = {{Barnes and Noble} and van der Berg, Jr, Jan and Alice Smith and others},
      title = {Second title is ignored},
    }
    @misc{x, title = {Same key again}}
    """
    first, second = parse_text(text).papers
    assert first.title == "Quoted Title with 50% & more"
    assert first.extra["booktitle"] == "Proc. of ICML"
    assert first.authors == ("Barnes and Noble", "Jan van der Berg Jr", "Alice Smith")
    assert second.title == "Same key again"


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_empty_file_is_an_error(text: str) -> None:
    with pytest.raises(SourceError, match="^/refs/my.bib: empty file$"):
        parse_text(text)


def test_file_without_entries_is_no_papers() -> None:
    parsed = parse_text("% just a comment\n@comment{nothing here}\n")
    assert (parsed.entries, parsed.papers, parsed.skipped) == (0, [], [])


SEED = (FIXTURES / "biblatex-examples.bib").read_text(encoding="utf-8")[:4000]


@settings(max_examples=150, deadline=None)
@given(bad_text('@{}()"#,=%$\\~\'` \narticlestringtitleauthor', SEED))
def test_bad_input_raises_only_source_error(text: str) -> None:
    with suppress(SourceError):
        parse_text(text)
