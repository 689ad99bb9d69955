"""Format detection from content, for every fixture and for near misses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papertui.errors import SourceError
from papertui.sources.detect import detect

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("daily_papers-2026-06.json", "hf-json"),
        ("arxiv-20.jsonl", "arxiv-json"),
        ("search-testing-100.xml", "arxiv-atom"),
        ("empty-result.xml", "arxiv-atom"),
        ("error-bad-id.xml", "arxiv-atom"),
        ("old-style-id.xml", "arxiv-atom"),
        ("rss-cs-cv.xml", "arxiv-rss"),
        ("d2l.bib", "bibtex"),
        ("biblatex-examples.bib", "bibtex"),
    ],
)
def test_every_fixture_is_recognised(name: str, expected: str) -> None:
    assert detect((FIXTURES / name).read_text(encoding="utf-8"), name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('\n  [{"paper": {"id": "2401.00001"}, "title": "T"}]', "hf-json"),
        ('[{"id": "2401.00001", "title": "T"}]', "arxiv-json"),
        ('[\n  {"title": "T"}\n]', "arxiv-json"),
        ("[]", "arxiv-json"),
        ('{"id": "2401.00001", "title": "T"}\n{"id": "2401.00002"}', "arxiv-json"),
        ("{broken first line\n{}", "arxiv-json"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "arxiv-atom"),
        ('<?xml version="1.0"?>\n<!-- c -->\n<rss version="2.0"><channel/></rss>', "arxiv-rss"),
        ("% refs\n@Article{key, title = {T}}", "bibtex"),
        ("@string{x = {y}}", "bibtex"),
        ("Daily Papers\n\nAug 13\n\nA Title\n\nAn abstract.", "daily-page"),
        ("Mail me @ home {or not}", "daily-page"),
    ],
)
def test_content_decides_the_format(text: str, expected: str) -> None:
    assert detect(text, "list.txt") == expected


def test_file_name_is_only_a_tie_breaker() -> None:
    assert detect("% no entries yet\n", "refs.bib") == "bibtex"
    assert detect("% no entries yet\n", "refs.bib.gz") == "bibtex"
    assert detect("[]", "refs.bib") == "arxiv-json"
    assert detect("Some title\n\nSome abstract.", "papers.json") == "daily-page"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"items": []}', "a JSON object that is not an arXiv record"),
        ("[1, 2, 3]", "a JSON list of neither"),
        ('[{"name": "x"}]', "a JSON list of neither"),
        ("<feed></feed>", r"XML of an unknown kind \(root element <feed>\)"),
        ("<opml version='2.0'/>", r"XML of an unknown kind \(root element <opml>\)"),
        ("<?xml version='1.0'?>", r"XML of an unknown kind \(no root element\)"),
        ("<!DOCTYPE html>\n<html><body/></html>", "an HTML page"),
    ],
)
def test_clearly_unknown_content_is_an_error(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=f"^list.txt: {message}"):
        detect(text, "list.txt")


def test_truncated_first_json_item_names_the_line() -> None:
    with pytest.raises(SourceError, match=r"^list.json:3: invalid JSON"):
        detect('[\n  {"paper":\n', "list.json")


@pytest.mark.parametrize("text", ["", " \n\t\n"])
def test_empty_file_is_an_error(text: str) -> None:
    with pytest.raises(SourceError, match="^list.txt: empty file$"):
        detect(text, "list.txt")


KNOWN = {"hf-json", "arxiv-json", "arxiv-atom", "arxiv-rss", "bibtex", "daily-page"}


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet='[]{}<>?!@":, \nidtitlepaperfeedrss')))
def test_any_text_gets_a_known_format_or_a_source_error(text: str) -> None:
    try:
        assert detect(text, "x") in KNOWN
    except SourceError as error:  # a bad file is one line that names it
        assert re.match(r"x(:\d+)?: \S", str(error)) and "\n" not in str(error)
