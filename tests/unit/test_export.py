"""The export core: one render for every format, each read back by a real parser."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
import sys

import pytest
import rispy
from export_cases import ITEMS, MANY_AUTHORS, NASTY, SEED_LIKE, SHOWN_TITLES, items_for
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from papertui.export import FORMATS, ExportItem, default_filename, render
from papertui.export.tabular import FIELDS
from papertui.models import Paper
from papertui.tex import tex_to_text

ON = datetime.date(2025, 8, 13)


def export(items, fmt: str, list_name: str = "Daily Papers") -> str:
    return render(items, fmt, list_name=list_name, on=ON)


def as_shown(text: str) -> str:
    """Title text as the app shows it, which every export but BibTeX writes."""
    return " ".join(tex_to_text(text).split())


# --- the API ---------------------------------------------------------------


def test_formats_are_the_six_the_cli_and_app_offer():
    assert FORMATS == {
        "md": "Markdown", "bib": "BibTeX", "csv": "CSV", "json": "JSON", "ris": "RIS",
        "csljson": "CSL-JSON",
    }


def test_unknown_format_is_a_value_error():
    with pytest.raises(ValueError, match="docx"):
        export(ITEMS, "docx")
    with pytest.raises(ValueError):
        default_filename("docx", ON)


@pytest.mark.parametrize(
    ("fmt", "extension"),
    [("md", "md"), ("bib", "bib"), ("csv", "csv"), ("json", "json"), ("ris", "ris"),
     ("csljson", "csl.json")],
)
def test_default_filename_carries_the_date_and_extension(fmt, extension):
    assert default_filename(fmt, ON) == f"reading-list-2025-08-13.{extension}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_is_deterministic(fmt):
    assert export(ITEMS, fmt) == export(list(ITEMS), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_paper_listed_twice_is_exported_once(fmt):
    first, second = items_for(SEED_LIKE[:2])
    duplicate = ExportItem(first.paper, read=not first.read, starred=not first.starred)
    assert export([first, second, duplicate], fmt) == export([first, second], fmt)


def test_the_core_never_imports_the_ui():
    code = (
        "import sys, papertui.export\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- empty lists -----------------------------------------------------------


def test_empty_markdown_is_a_heading_with_zero_papers():
    assert export([], "md") == "# Daily Papers — 2025-08-13 — 0 papers\n"


def test_empty_csv_is_the_header_only():
    assert export([], "csv") == CSV_HEADER + "\r\n"


def test_empty_json_is_an_empty_array():
    assert json.loads(export([], "json")) == []


@pytest.mark.parametrize("fmt", ["bib", "ris"])
def test_empty_bib_and_ris_are_empty_files(fmt):
    assert export([], fmt) == ""


# --- triage state travels in every format ----------------------------------


def triage_items() -> list[ExportItem]:
    papers = SEED_LIKE[:4]
    states = [(False, False), (True, False), (False, True), (True, True)]
    return [ExportItem(p, read, starred) for p, (read, starred) in zip(papers, states)]


def test_triage_state_travels_in_markdown():
    lines = export(triage_items(), "md").splitlines()[2:]
    assert [(line[:5], "★" in line) for line in lines] == [
        ("- [ ]", False), ("- [x]", False), ("- [ ]", True), ("- [x]", True)
    ]


def test_triage_state_travels_in_csv_json_and_ris():
    expected = [(i.read, i.starred) for i in triage_items()]
    rows = list(csv.DictReader(io.StringIO(export(triage_items(), "csv"))))
    assert [(r["read"] == "true", r["starred"] == "true") for r in rows] == expected
    records = json.loads(export(triage_items(), "json"))
    assert [(r["read"], r["starred"]) for r in records] == expected
    entries = rispy.loads(export(triage_items(), "ris"))
    assert [("read" in e["keywords"], "starred" in e["keywords"]) for e in entries] == expected
    assert all(("unread" in e["keywords"]) != ("read" in e["keywords"]) for e in entries)


# --- Markdown --------------------------------------------------------------

COMMONMARK = MarkdownIt("commonmark")
WITH_TABLES = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def rendered_titles(markdown: str, parser: MarkdownIt) -> list[str]:
    """The text inside each list item's first link or bold span, as a reader sees it."""
    titles = []
    for token in parser.parse(markdown):
        if token.type != "inline" or not token.content.startswith("["):
            continue
        children = token.children or []
        opener = next(i for i, c in enumerate(children) if c.type in ("link_open", "strong_open"))
        closer = opener + next(
            i for i, c in enumerate(children[opener:]) if c.type in ("link_close", "strong_close")
        )
        titles.append("".join(c.content for c in children[opener + 1 : closer]))
    return titles


@pytest.mark.parametrize("parser", [COMMONMARK, WITH_TABLES], ids=["commonmark", "tables"])
def test_markdown_renders_every_title_exactly(parser):
    markdown = export(ITEMS, "md")
    assert rendered_titles(markdown, parser) == SHOWN_TITLES


def test_markdown_is_one_checklist_item_per_paper_under_a_heading():
    tokens = COMMONMARK.parse(export(ITEMS, "md", list_name="My *list*"))
    heading = tokens[1]
    assert heading.content == r"My \*list\* — 2025-08-13 — 23 papers"
    assert tokens[0].type == "heading_open"
    assert sum(t.type == "list_item_open" for t in tokens) == 23


def test_markdown_links_known_urls_and_shows_authors_and_id():
    item = ExportItem(SEED_LIKE[4], read=True, starred=False)
    assert export([item], "md").splitlines()[2] == (
        "- [x] [Scaling Laws for Neural Language Models](https://arxiv.org/abs/2001.08361)"
        " — Jared Kaplan, Sam McCandlish, Tom Henighan · `2001.08361`"
    )


def test_markdown_without_url_or_authors_shows_a_bold_title_and_the_title_key():
    item = ExportItem(NASTY[1], read=False, starred=False)
    assert export([item], "md").splitlines()[2] == (
        r"- [ ] **a lone closing brace** · `a-lone-closing-brace`"
    )


def test_markdown_shortens_long_author_lists():
    line = export([ExportItem(MANY_AUTHORS, False, False)], "md").splitlines()[2]
    assert "Author0 Surname0, Author1 Surname1, Author2 Surname2 et al." in line
    assert "Surname3" not in line


def test_markdown_link_urls_survive_the_parser():
    html = COMMONMARK.render(export(ITEMS, "md"))
    assert 'href="https://example.org/papers?id=7&amp;lang=en#top"' in html


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1))
def test_markdown_renders_any_title_exactly(text):
    title = " ".join(text.split())
    if not as_shown(title):
        return
    paper = Paper(id="x", title=title, url="https://example.org/x")
    markdown = export([ExportItem(paper, False, False)], "md")
    assert rendered_titles(markdown, COMMONMARK) == [as_shown(title)]


# --- CSV and JSON ----------------------------------------------------------


NASTY_AUTHORS_CSV = (
    "Jan van der Berg Jr.; María José García-López; O'Brien, Conan; Google DeepMind and Friends;"
    " 李华; Ann {Braces} Smith; Under_Score 100% & Co; Jean-Luc d'Artagnan; _why the lucky stiff"
)
# ITEMS as CSV rows: id, authors, date, url, source, read, starred (titles: SHOWN_TITLES).
CSV_ROWS = [
    ("2310.01217", "Markus Frohmann; Carolin Holtermann; Shahed Masoudian", "2023-10-02",
     "https://arxiv.org/abs/2310.01217", "hf-daily", "true", "true"),
    ("2104.12369", "Wei Zeng; Xiaozhe Ren; Teng Su", "2021-04-26",
     "https://arxiv.org/abs/2104.12369", "hf-daily", "false", "false"),
    ("2503.04715", "Houyi Li; Wenzhen Zheng", "2025-03",
     "https://arxiv.org/abs/2503.04715", "hf-daily", "true", "false"),
    ("2110.07143", "Cheng Chen; Yichun Yin", "2021",
     "https://arxiv.org/abs/2110.07143", "hf-daily", "false", "true"),
    ("2001.08361", "Jared Kaplan; Sam McCandlish; Tom Henighan", "2020-01-23",
     "https://arxiv.org/abs/2001.08361", "bib", "true", "false"),
    ("a-survey-of-large-language-models", "Wayne Xin Zhao", "2023-03-31",
     "https://example.org/papers?id=7&lang=en#top", "md", "false", "false"),
    ("braces-balanced-and-a-lone-one", NASTY_AUTHORS_CSV, "2024-02-29",
     "https://example.org/p/0", "md", "true", "true"),
    ("a-lone-closing-brace", "", "", "", "md", "false", "false"),
    ("100-of-5-1-on-a-b-with-c-path-and-x-2", NASTY_AUTHORS_CSV, "", "", "md", "true", "false"),
    ("markdown-stars-under-brackets-pipes-tags-code-and-bold", "", "2024-02-29", "", "md",
     "false", "true"),
    ("double-backticks-and-a-trailing-backslash", NASTY_AUTHORS_CSV, "",
     "https://example.org/p/4", "md", "true", "false"),
    ("alpha-net-math-like-mathcal-o-n-log-n-in-titles", "", "", "", "md", "false", "false"),
    ("from-5-to-10-plain-dollars", NASTY_AUTHORS_CSV, "2024-02-29", "", "md", "true", "true"),
    ("unbalanced-math-is-text", "", "", "", "md", "false", "false"),
    ("a-textbf-command-outside-math-is-text", NASTY_AUTHORS_CSV, "",
     "https://example.org/p/8", "md", "true", "false"),
    ("say-hello-scale-with-commas-signs-and-percent", "", "2024-02-29", "", "md",
     "false", "true"),
    ("umlauts-cedillas-and-中文标题-quotes-dashes", NASTY_AUTHORS_CSV, "", "", "md",
     "true", "false"),
    ("all-caps-title-b-html-b-amp-entities", "", "", "", "md", "false", "false"),
    ("leading-and-trailing", NASTY_AUTHORS_CSV, "2024-02-29", "https://example.org/p/12", "md",
     "true", "true"),
    ("", "", "", "", "md", "false", "false"),
    ("x-1-y-2-z-3-50-off", NASTY_AUTHORS_CSV, "", "", "md", "true", "false"),
    ("2401.00001", "Author0 Surname0; … Author2999 Surname2999", "2024-01-01",
     "https://arxiv.org/abs/2401.00001", "hf-daily", "false", "true"),
    ("a-bare-paper", "", "", "", "", "true", "false"),
]
CSV_HEADER = (
    "id,title,authors,date,url,source,read,starred,categories,upvotes,github,project_page,tags,note"
)


def test_csv_round_trips_every_field_through_the_csv_module():
    text = export(ITEMS, "csv")
    assert text.startswith(CSV_HEADER + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    many = rows[21]["authors"].split("; ")
    assert len(many) == 3000
    assert (many[0], many[1], many[-1]) == (
        "Author0 Surname0", "Author1 Surname1", "Author2999 Surname2999")
    rows[21]["authors"] = "Author0 Surname0; … Author2999 Surname2999"
    fields = ("id", "authors", "date", "url", "source", "read", "starred")
    assert [tuple(row[f] for f in fields) for row in rows] == CSV_ROWS
    assert [row["title"] for row in rows] == SHOWN_TITLES
    extras = ("categories", "upvotes", "github", "project_page", "tags", "note")
    assert {row[f] for row in rows for f in extras} == {""}


def test_json_has_the_csv_fields_with_lists_and_booleans():
    records = json.loads(export(ITEMS, "json"))
    assert len(records) == 23
    for record, item, title in zip(records, ITEMS, SHOWN_TITLES):
        paper = item.paper
        assert tuple(record) == FIELDS
        assert record == {
            "id": paper.id,
            "title": title,
            "authors": list(paper.authors),
            "date": paper.date,
            "url": paper.link,
            "source": list(paper.sources),
            "read": item.read,
            "starred": item.starred,
            "categories": list(paper.categories),
            "upvotes": paper.upvotes,
            "github": paper.github,
            "project_page": paper.project_page,
            "tags": [],
            "note": "",
        }


def test_json_keeps_non_ascii_readable():
    assert "PanGu-α" in export(items_for(SEED_LIKE), "json")
