"""arXiv metadata as JSON Lines or a JSON array.

arxiv-20.jsonl holds 20 real records of the 74k corpus: its first 18 lines, one
with TeX in the title and the one with 3,303 authors.
"""

from __future__ import annotations

import gzip
import json
import lzma
from contextlib import suppress
from pathlib import Path

import pytest
from bad_sources import bad_text
from hypothesis import given, settings

from papertui.errors import SourceError
from papertui.sources import arxiv_json, read_source

FIXTURES = Path(__file__).parent.parent / "fixtures"
JSONL = FIXTURES / "arxiv-20.jsonl"
TEXT = JSONL.read_text(encoding="utf-8")


def parse_text(text: str, path: str = "/data/papers.jsonl"):
    return arxiv_json.parse(text, path)


def record(**fields) -> str:
    return json.dumps({"id": "2501.00001", "title": "A Title", **fields})


def test_fixture_has_20_papers_in_file_order() -> None:
    parsed = arxiv_json.parse(TEXT, str(JSONL))
    assert parsed.format == "arxiv-json"
    assert (parsed.entries, len(parsed.papers), parsed.skipped) == (20, 20, [])
    assert [p.id for p in parsed.papers[:3]] == ["2503.11731", "2503.11742", "2503.11750"]
    assert [p.id for p in parsed.papers[-2:]] == ["2503.12827", "2507.06261"]


def test_record_fields_and_month_from_id() -> None:
    first, second = arxiv_json.parse(TEXT, str(JSONL)).papers[:2]
    assert first.title.startswith("Industrial-Grade Sensor Simulation via Gaussian Splatting")
    assert len(first.authors) == 16
    assert first.authors[0] == "Xianming Zeng"
    assert first.date == "2025-03"
    assert first.url == "https://arxiv.org/abs/2503.11731"
    assert first.sources == ("arxiv-20.jsonl",)
    assert first.categories == ("cs.CV", "cs.RO")
    assert first.extra == {"pdf": "https://arxiv.org/pdf/2503.11731"}
    assert second.extra["comment"] == "Work in progress"
    assert second.authors[0] == "Moreno D'Incà"


def test_abstract_loses_hard_wraps_and_keeps_tex() -> None:
    papers = {p.id: p for p in arxiv_json.parse(TEXT, str(JSONL)).papers}
    tex = papers["2503.12827"]
    assert tex.title == "GSBAK$^K$: $top$-$K$ Geometric Score-based Black-box Attack"
    assert tex.abstract.startswith(
        "Existing score-based adversarial attacks mainly focus on crafting $top$-1 adversarial"
    )
    assert all("\n" not in p.abstract for p in papers.values())
    assert papers["2503.11930"].extra["comment"].startswith(
        "for associated iris database, see https://"
    )


def test_paper_with_3303_authors() -> None:
    gemini = arxiv_json.parse(TEXT, str(JSONL)).papers[-1]
    assert gemini.title.startswith("Gemini 2.5: Pushing the Frontier")
    assert len(gemini.authors) == 3303
    assert gemini.authors[:2] == ("Gheorghe Comanici", "Eric Bieber")


def test_json_array_gives_the_same_papers() -> None:
    records = [json.loads(line) for line in TEXT.splitlines()]
    as_array = parse_text(json.dumps(records, indent=2), "/data/papers.json")
    assert as_array.papers == arxiv_json.parse(TEXT, "/data/papers.json").papers
    assert as_array.entries == 20


def test_string_authors_and_categories_published_date_and_versions() -> None:
    line = record(
        id="2501.00001v3",
        authors="Ann Lee, Bo Chen and Cy Diaz",
        categories="cs.LG stat.ML",
        published="2025-01-02T10:00:00Z",
        abstract="Wrapped\n  abstract.",
    )
    paper = parse_text(line).papers[0]
    assert paper.id == "2501.00001"
    assert paper.authors == ("Ann Lee", "Bo Chen", "Cy Diaz")
    assert paper.categories == ("cs.LG", "stat.ML")
    assert (paper.date, paper.abstract) == ("2025-01-02", "Wrapped abstract.")


def test_old_style_id_and_kaggle_style_fields() -> None:
    line = record(
        id="astro-ph/0601001v2",
        comments="62 pages",
        **{"journal-ref": "ActaAstron.56:1-50,2006", "doi": "10.1000/x"},
    )
    paper = parse_text(line).papers[0]
    assert (paper.id, paper.date) == ("astro-ph/0601001", "2006-01")
    assert paper.extra == {
        "comment": "62 pages",
        "journal": "ActaAstron.56:1-50,2006",
        "doi": "10.1000/x",
    }


def test_record_without_arxiv_id_uses_title_key_and_update_date() -> None:
    paper = parse_text(record(id="local-7", update_date="2008-11-13")).papers[0]
    assert (paper.id, paper.date, paper.url) == ("a-title", "2008-11-13", None)


def test_bad_lines_are_skipped_with_their_line_number() -> None:
    lines = [
        record(),
        "{not json",
        "",
        "[1, 2]",
        json.dumps({"id": "2501.00002"}),
        record(id="2501.00003"),
    ]
    parsed = parse_text("\n".join(lines) + "\n")
    assert [p.id for p in parsed.papers] == ["2501.00001", "2501.00003"]
    assert parsed.entries == 5
    assert [(s.where, s.reason) for s in parsed.skipped] == [
        ("line 2", "invalid JSON"),
        ("line 4", "not a JSON object"),
        ("line 5", "no title"),
    ]


def test_bad_first_line_is_skipped_when_later_lines_parse() -> None:
    parsed = parse_text("{oops\n" + record())
    assert len(parsed.papers) == 1
    assert parsed.skipped[0].where == "line 1"


def test_nothing_parseable_from_a_bad_first_line_is_an_error() -> None:
    with pytest.raises(SourceError, match=r"^/data/papers.jsonl:2: invalid JSON.*not JSON Lines"):
        parse_text("\n{oops\nstill not json\n")


def test_truncated_last_line_is_skipped() -> None:
    parsed = parse_text(TEXT[: TEXT.index("\n", 1000) + 300])
    assert (len(parsed.papers), parsed.skipped[0].where) == (1, "line 2")


def test_truncated_json_array_names_the_line() -> None:
    records = [json.loads(line) for line in TEXT.splitlines()[:3]]
    text = json.dumps(records, indent=2)
    cut = text[: len(text) // 2]
    with pytest.raises(SourceError) as caught:
        parse_text(cut)
    assert caught.value.line == cut.count("\n") + 1


def test_json_value_that_is_no_array_or_lines_is_an_error() -> None:
    with pytest.raises(SourceError, match="not JSON Lines"):
        parse_text('{"id": "2501.00001",\n "title": "pretty-printed"}')


@pytest.mark.parametrize("text", ["", " \n\n"])
def test_empty_file_is_an_error(text: str) -> None:
    with pytest.raises(SourceError, match="^/data/papers.jsonl: empty file$"):
        parse_text(text)


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [(".jsonl", bytes), (".jsonl.gz", gzip.compress), (".jsonl.xz", lzma.compress)],
)
def test_compressed_copies_read_the_same(tmp_path: Path, suffix: str, compress) -> None:
    path = tmp_path / f"arxiv{suffix}"
    path.write_bytes(compress(TEXT.encode("utf-8")))
    parsed = read_source(str(path))
    assert parsed.format == "arxiv-json"
    assert [p.id for p in parsed.papers] == [p.id for p in arxiv_json.parse(TEXT, "x").papers]


SEED = "\n".join(TEXT.splitlines()[:3])


@settings(max_examples=150, deadline=None)
@given(bad_text('[]{}":,0123456789 \nidtitleauthors', SEED))
def test_bad_input_raises_only_source_error(text: str) -> None:
    with suppress(SourceError):
        parse_text(text)
