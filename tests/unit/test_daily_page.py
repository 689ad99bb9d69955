"""The Daily Papers page parser, on the seed and on every edge case."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertui import paths
from papertui.errors import SourceError
from papertui.sources import daily_page, read_source

SEED_FIRST = "ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by Learning to Scale"
SEED_LAST = (
    "Exploring Parameter-Efficient Fine-Tuning Techniques for Code Generation"
    " with Large Language Models"
)
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\nAug 13\n\n"
)


def parse(text: str):
    return daily_page.parse(text, "page.txt")


def test_seed_has_67_papers_in_page_order_with_the_page_date() -> None:
    parsed = read_source(str(paths.seed_file()))
    assert parsed.format == "daily-page"
    assert len(parsed.papers) == 67
    assert parsed.papers[0].title == SEED_FIRST
    assert parsed.papers[-1].title == SEED_LAST
    assert (parsed.title, parsed.date) == ("Daily Papers", "Aug 13")
    assert parsed.papers[0].abstract.startswith("Multi-task learning (MTL)")
    assert len({p.id for p in parsed.papers}) == 67


def test_title_starting_in_lower_case_is_a_title() -> None:
    titles = [p.title for p in read_source(str(paths.seed_file())).papers]
    assert "bert2BERT: Towards Reusable Pretrained Language Models" in titles


def test_crlf_bom_trailing_spaces_and_blank_runs(tmp_path: Path) -> None:
    text = HEADER + "Title One  \n\n\n\nAbstract one.   \n\n\n\nTitle Two\n\nAbstract two.\n"
    file = tmp_path / "page.txt"
    file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    parsed = read_source(str(file))
    assert [(p.title, p.abstract) for p in parsed.papers] == [
        ("Title One", "Abstract one."),
        ("Title Two", "Abstract two."),
    ]
    assert parsed.date == "Aug 13"


def test_missing_header() -> None:
    parsed = parse("Title One\n\nAbstract one.\n")
    assert [p.title for p in parsed.papers] == ["Title One"]
    assert parsed.date is None


def test_abstract_in_several_paragraphs() -> None:
    text = (
        "Title One\n\nFirst paragraph ends here.\n\nSecond paragraph, also prose.\n\n"
        "Title Two\n\nIts abstract.\n"
    )
    parsed = parse(text)
    assert [p.title for p in parsed.papers] == ["Title One", "Title Two"]
    assert parsed.papers[0].abstract == (
        "First paragraph ends here.\n\nSecond paragraph, also prose."
    )


def test_long_paragraph_without_full_stop_continues_the_abstract() -> None:
    long = "word " * 80
    parsed = parse(f"Title One\n\nFirst paragraph.\n\n{long}\n\nTitle Two\n\nAbstract.\n")
    assert len(parsed.papers) == 2
    assert parsed.papers[0].abstract.endswith(long.strip())


def test_final_title_without_abstract() -> None:
    parsed = parse("Title One\n\nAbstract one.\n\nTitle Two\n")
    assert [(p.title, p.abstract) for p in parsed.papers] == [
        ("Title One", "Abstract one."),
        ("Title Two", ""),
    ]


def test_title_followed_by_title_has_no_abstract() -> None:
    parsed = parse("Title One\n\nTitle Two\n\nAbstract two.\n")
    assert [(p.title, p.abstract) for p in parsed.papers] == [
        ("Title One", ""),
        ("Title Two", "Abstract two."),
    ]


def test_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    file = tmp_path / "latin1.txt"
    file.write_bytes("Title\n\nCaf\xe9 abstract.\n".encode("latin-1"))
    with pytest.raises(SourceError, match=r"latin1\.txt:3: not UTF-8"):
        read_source(str(file))


def test_not_this_format_names_the_line() -> None:
    with pytest.raises(SourceError, match=r"page\.txt:1: expected a paper title"):
        parse("x" * 500 + "\nsecond line\n\nmore\n")


def test_header_only_is_an_error() -> None:
    with pytest.raises(SourceError, match="no papers found"):
        parse(HEADER)
