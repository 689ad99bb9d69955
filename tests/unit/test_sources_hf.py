"""The Hugging Face daily papers API parser, on a real response and broken ones."""

from __future__ import annotations

import json
from contextlib import suppress
from pathlib import Path

import pytest
from bad_sources import bad_text
from hypothesis import given, settings

from papertui.errors import SourceError
from papertui.sources import hf_json

FIXTURES = Path(__file__).parent.parent / "fixtures"
DAILY = FIXTURES / "daily_papers-2026-06.json"


def parse_text(text: str):
    return hf_json.parse(text, "/lists/daily.json")


def parse_items(items: list) -> object:
    return parse_text(json.dumps(items))


def test_real_response_has_30_papers_in_order() -> None:
    parsed = hf_json.parse(DAILY.read_text(encoding="utf-8"), str(DAILY))
    assert parsed.format == "hf-json"
    assert (parsed.entries, len(parsed.papers), parsed.skipped) == (30, 30, [])
    assert [p.id for p in parsed.papers[:3]] == ["2606.00467", "2606.12730", "2606.13594"]
    assert parsed.papers[-1].id == "2606.13106"
    assert len({p.id for p in parsed.papers}) == 30


def test_first_paper_keeps_arxiv_id_authors_day_and_upvotes() -> None:
    first = hf_json.parse(DAILY.read_text(encoding="utf-8"), str(DAILY)).papers[0]
    assert first.title == (
        "On the Limits of LLM Adaptability: Impact of Model-Internalized Priors"
        " on Annotation Task Performance"
    )
    assert first.arxiv_id == "2606.00467"
    assert first.authors[:2] == ("Etienne Casanova", "Rafal Kocielnik")
    assert first.date == "2026-05-30"
    assert first.abstract.startswith("Large Language Models (LLMs) are increasingly used")
    assert first.url == "https://arxiv.org/abs/2606.00467"
    assert first.sources == ("daily_papers-2026-06.json",)
    assert (first.upvotes, first.github, first.project_page) == (0, None, None)


def test_github_repo_project_page_and_upvotes_are_kept() -> None:
    papers = hf_json.parse(DAILY.read_text(encoding="utf-8"), str(DAILY)).papers
    by_id = {p.id: p for p in papers}
    evoarena = by_id["2606.13681"]
    assert (evoarena.upvotes, evoarena.github) == (118, "https://github.com/Aiden0526/EvoArena")
    assert len(evoarena.authors) == 14
    assert sum(p.github is not None for p in papers) == 16
    assert sum(p.project_page is not None for p in papers) == 13


def test_versioned_id_is_stripped_and_item_fields_are_the_fallback() -> None:
    item = {
        "paper": {"id": "2401.00001v3", "authors": []},
        "title": "Fallback  title",
        "summary": "Line one\nline two.",
        "publishedAt": "2024-01-02T20:00:00.000Z",
    }
    paper = parse_items([item]).papers[0]
    assert (paper.id, paper.title, paper.abstract) == (
        "2401.00001",
        "Fallback title",
        "Line one line two.",
    )
    assert paper.date == "2024-01-02"


def test_items_without_paper_or_title_are_skipped_and_counted() -> None:
    parsed = parse_items([{"title": "no paper"}, {"paper": {"id": "2401.00002"}}, "junk"])
    assert parsed.entries == 3
    assert parsed.papers == []
    assert [(s.where, s.reason) for s in parsed.skipped] == [
        ("item 1", "no paper"),
        ("item 2", "no title"),
        ("item 3", "no paper"),
    ]


def test_odd_field_types_are_ignored() -> None:
    item = {
        "paper": {
            "id": 42,
            "title": "Typed Oddly",
            "authors": [{"name": "A. Author"}, "B. Plain", {"name": None}],
            "upvotes": True,
            "githubRepo": None,
            "publishedAt": "soon",
        }
    }
    paper = parse_items([item]).papers[0]
    assert paper.id == "typed-oddly"
    assert paper.authors == ("A. Author",)
    assert (paper.date, paper.extra, paper.upvotes, paper.github) == (None, {}, None, None)


def test_empty_list_is_no_papers() -> None:
    parsed = parse_text("[]")
    assert (parsed.entries, parsed.papers) == (0, [])


@pytest.mark.parametrize("text", ["", "  \n"])
def test_empty_file_is_an_error(text: str) -> None:
    with pytest.raises(SourceError, match="^/lists/daily.json: empty file$"):
        parse_text(text)


def test_truncated_json_names_file_and_line() -> None:
    text = DAILY.read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    with pytest.raises(SourceError) as caught:
        parse_text(cut)
    assert caught.value.line == cut.count("\n") + 1
    assert str(caught.value).startswith(f"/lists/daily.json:{caught.value.line}: invalid JSON")


def test_a_json_object_is_not_a_daily_list() -> None:
    with pytest.raises(SourceError, match="expected a JSON list"):
        parse_text('{"paper": {}}')


SMALL = json.dumps(json.loads(DAILY.read_text(encoding="utf-8"))[:2], indent=1)


@settings(max_examples=150, deadline=None)
@given(bad_text('[]{}":,0123456789 \nabcpaperid', SMALL))
def test_bad_input_raises_only_source_error(text: str) -> None:
    with suppress(SourceError):
        parse_text(text)
