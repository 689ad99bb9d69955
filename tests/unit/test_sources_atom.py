"""arXiv API Atom responses (real, recorded) and arXiv RSS feeds.

The RSS fixture is written by hand in rss.arxiv.org's format (RSS 2.0 with
``arxiv:announce_type`` and ``dc:creator``), with real papers from the corpus.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import pytest
from bad_sources import bad_text
from hypothesis import given, settings

from papertui.errors import SourceError
from papertui.sources import atom

FIXTURES = Path(__file__).parent.parent / "fixtures"
ATOM_ENTRY = (
    "<feed xmlns='http://www.w3.org/2005/Atom'><entry>"
    "<id>http://arxiv.org/abs/{id}</id><title>{title}</title><summary>{summary}</summary>"
    "</entry></feed>"
)


def parse_fixture(name: str):
    path = FIXTURES / name
    return atom.parse(path.read_text(encoding="utf-8"), str(path))


def parse_text(text: str):
    return atom.parse(text, "/feeds/query.xml")


def test_search_response_has_100_papers_with_versions_stripped() -> None:
    parsed = parse_fixture("search-testing-100.xml")
    assert parsed.format == "arxiv-atom"
    assert (parsed.entries, len(parsed.papers), parsed.skipped) == (100, 100, [])
    assert [p.id for p in parsed.papers[:3]] == ["2202.12139", "2405.13786", "2005.14124"]
    assert all("v" not in p.id for p in parsed.papers)
    assert parsed.title.startswith("arXiv Query: search_query=all:testing")
    assert parsed.date == "2026-04-12"


def test_entry_keeps_authors_dates_categories_and_arxiv_metadata() -> None:
    first = parse_fixture("search-testing-100.xml").papers[0]
    assert first.title == (
        "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    )
    assert first.authors == ("Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker")
    assert first.date == "2022-02-24"
    assert first.url == "https://arxiv.org/abs/2202.12139"
    assert first.sources == ("search-testing-100.xml",)
    assert first.abstract.startswith("Deep Learning (DL) has revolutionized")
    assert first.categories == ("cs.SE", "cs.LG")
    assert first.extra["doi"] == "10.1109/ICSTW55395.2022.00035"
    assert first.extra["comment"] == (
        "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022"
    )
    assert first.extra["journal"].startswith("Artificial Intelligence in Software Testing @ 2022")


def test_utf8_read_as_latin1_in_the_recording_is_repaired() -> None:
    second = parse_fixture("search-testing-100.xml").papers[1]
    assert second.authors == (
        "Aurora Ramírez",
        "Mario Berrios",
        "José Raúl Romero",
        "Robert Feldt",
    )


def test_real_latin1_text_is_left_alone() -> None:
    feed = ATOM_ENTRY.format(id="2401.00001v1", title="Caf\u00e9 Models", summary="\u00e9t\u00e9")
    paper = parse_text(feed).papers[0]
    assert (paper.title, paper.abstract) == ("Café Models", "été")


def test_old_style_id_keeps_its_archive() -> None:
    parsed = parse_fixture("old-style-id.xml")
    (paper,) = parsed.papers
    assert paper.id == "astro-ph/0601001"
    assert paper.url == "https://arxiv.org/abs/astro-ph/0601001"
    assert paper.date == "2006-01-02"
    assert paper.authors == ("Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski")
    assert paper.categories == ("astro-ph",)
    assert paper.extra["journal"] == "ActaAstron.56:1-50,2006"
    assert paper.abstract.startswith("We derive the frequencies of hot Jupiters")


def test_hard_wrapped_summary_and_title_become_one_line_with_tex_kept() -> None:
    feed = ATOM_ENTRY.format(
        id="2401.00002v2",
        title="On $\\alpha$-\n    stable laws",
        summary="  A\n  $\\beta$ bound.\n",
    )
    paper = parse_text(feed).papers[0]
    assert (paper.id, paper.title, paper.abstract) == (
        "2401.00002",
        "On $\\alpha$- stable laws",
        "A $\\beta$ bound.",
    )


def test_empty_result_is_zero_papers_not_an_error() -> None:
    parsed = parse_fixture("empty-result.xml")
    assert (parsed.entries, parsed.papers, parsed.skipped) == (0, [], [])


def test_api_error_entry_is_an_error_naming_file_and_reason() -> None:
    path = FIXTURES / "error-bad-id.xml"
    with pytest.raises(SourceError) as caught:
        parse_fixture("error-bad-id.xml")
    assert str(caught.value) == f"{path}: arXiv API error: incorrect id format for abc"


def test_entry_without_title_is_skipped() -> None:
    parsed = parse_text(ATOM_ENTRY.format(id="2401.00003", title="", summary="x"))
    assert parsed.papers == []
    assert [(s.where, s.reason) for s in parsed.skipped] == [("entry 1", "no title")]


def test_rss_items_have_announce_type_authors_and_day() -> None:
    parsed = parse_fixture("rss-cs-cv.xml")
    assert parsed.format == "arxiv-rss"
    assert (parsed.title, parsed.date) == ("cs.CV updates on arXiv.org", "2025-03-18")
    assert [p.id for p in parsed.papers] == ["2503.11742", "2503.12827", "astro-ph/0601001"]
    first, second, third = parsed.papers
    assert first.authors[0] == "Moreno D'Incà"
    assert len(first.authors) == 6
    assert first.abstract == (
        "Vision-language models (VLMs) often inherit the biases and unsafe"
        " associations present within their large-scale training dataset."
    )
    assert first.date == "2025-03-18"
    assert first.categories == ("cs.CV", "cs.AI")
    assert first.extra == {"announce_type": "new"}
    assert second.title == "GSBAK$^K$: $top$-$K$ Geometric Score-based Black-box Attack"
    assert second.extra["announce_type"] == "replace-cross"
    assert third.url == "https://arxiv.org/abs/astro-ph/0601001"


def test_rss_item_without_arxiv_link_keeps_its_link_and_whole_description() -> None:
    rss = (
        '<rss version="2.0"><channel><title>t</title><item><title>Plain Item</title>'
        "<link>https://example.org/p/1</link><description>Just text.</description>"
        "<pubDate>not a date</pubDate></item></channel></rss>"
    )
    paper = parse_text(rss).papers[0]
    assert (paper.id, paper.url, paper.abstract, paper.date) == (
        "plain-item",
        "https://example.org/p/1",
        "Just text.",
        None,
    )


def test_empty_rss_channel_is_zero_papers() -> None:
    parsed = parse_text('<rss version="2.0"><channel><title>t</title></channel></rss>')
    assert (parsed.format, parsed.entries, parsed.papers) == ("arxiv-rss", 0, [])


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">]>',
        "<!DOCTYPE feed SYSTEM 'file:///etc/passwd'>",
    ],
)
def test_dtd_and_entity_declarations_are_refused(declaration: str) -> None:
    text = f"<?xml version='1.0'?>\n{declaration}\n<feed xmlns='http://www.w3.org/2005/Atom'/>"
    with pytest.raises(SourceError, match=r"^/feeds/query.xml:2: DOCTYPE and ENTITY"):
        parse_text(text)


def test_billion_laughs_is_refused_before_parsing() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    text = f'<!DOCTYPE lolz [<!ENTITY l0 "lol">{lol}]><rss>&l9;</rss>'
    with pytest.raises(SourceError, match="DOCTYPE"):
        parse_text(text)


def test_truncated_xml_names_file_and_line() -> None:
    text = (FIXTURES / "search-testing-100.xml").read_text(encoding="utf-8")
    cut = text[:50_000]
    with pytest.raises(SourceError) as caught:
        parse_text(cut)
    assert caught.value.line == cut.count("\n") + 1
    assert str(caught.value).startswith(f"/feeds/query.xml:{caught.value.line}: invalid XML")


def test_unknown_root_element_is_an_error() -> None:
    with pytest.raises(SourceError, match=r"not an arXiv Atom or RSS feed \(root element <html>\)"):
        parse_text("<html><body/></html>")


@pytest.mark.parametrize("text", ["", "\n \t"])
def test_empty_file_is_an_error(text: str) -> None:
    with pytest.raises(SourceError, match="^/feeds/query.xml: empty file$"):
        parse_text(text)


SEEDS = [
    (FIXTURES / name).read_text(encoding="utf-8")
    for name in ("old-style-id.xml", "error-bad-id.xml", "rss-cs-cv.xml")
]


@settings(max_examples=200, deadline=None)
@given(bad_text("<>/&;!?='\" \nfeedrssentrytitle", *SEEDS))
def test_bad_input_raises_only_source_error(text: str) -> None:
    with suppress(SourceError):
        parse_text(text)
