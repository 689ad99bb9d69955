"""Every export carries the user's tags and note, and CSL-JSON joins the formats.

Each format is read back by its real parser: bibtexparser and pybtex, rispy, csv,
json, markdown-it-py, and citeproc-py, which renders a bibliography from CSL-JSON.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import warnings

import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter
from citeproc.source.json import CiteProcJSON
from export_cases import ITEMS, NASTY_AUTHORS, SEED_LIKE, SHOWN_TITLES
from markdown_it import MarkdownIt
from test_export_bibtex import plain, read_with_bibtexparser, read_with_pybtex

from papertui.export import ExportItem, citation_key, format_for_path, render
from papertui.models import Paper, make_paper

ON = datetime.date(2025, 8, 13)
NOTE = "Compare with the *baseline* in §4.\n\n50% of $x & #1 {braced} ~ ^ \\ _ <b>\nlast line"
TAGS = ("survey", "to-read", "ask.ana/v2")


def export(items, fmt: str) -> str:
    return render(items, fmt, list_name="Daily Papers", on=ON)


def organised(papers=SEED_LIKE) -> list[ExportItem]:
    """The papers, the first with both tags and a note, the second with a tag only."""
    items = [ExportItem(p, read=False, starred=False) for p in papers]
    items[0] = ExportItem(papers[0], read=True, starred=True, tags=TAGS, note=NOTE)
    items[1] = ExportItem(papers[1], read=False, starred=False, tags=("baselines",))
    return items


# --- BibTeX ------------------------------------------------------------------------------


def test_bibtex_keywords_hold_the_marks_then_the_tags_and_annote_the_note():
    entries = list(read_with_bibtexparser(export(organised(), "bib")).values())
    assert entries[0]["keywords"] == "read, starred, survey, to-read, ask.ana/v2"
    assert plain(entries[0]["annote"]) == NOTE
    assert entries[1]["keywords"] == "unread, baselines"
    assert "annote" not in entries[1]


def test_bibtex_note_survives_pybtex_which_reads_line_breaks_as_spaces_as_bibtex_does():
    data = read_with_pybtex(export(organised(), "bib"))
    first = next(iter(data.entries.values()))
    assert plain(first.fields["annote"]) == " ".join(NOTE.split())


def test_a_tag_named_like_a_mark_is_a_keyword_once():
    item = ExportItem(SEED_LIKE[0], read=False, starred=True, tags=("starred", "x"))
    (fields,) = read_with_bibtexparser(export([item], "bib")).values()
    assert fields["keywords"] == "unread, starred, x"


# --- RIS ---------------------------------------------------------------------------------


def test_ris_tags_are_kw_lines_and_the_note_one_n1_line():
    entries = rispy.loads(export(organised(), "ris"))
    assert entries[0]["keywords"] == ["read", "starred", "survey", "to-read", "ask.ana/v2"]
    assert entries[0]["notes"] == [
        "Compare with the *baseline* in §4. 50% of $x & #1 {braced} ~ ^ \\ _ <b> last line"
    ]
    assert entries[1]["keywords"] == ["unread", "baselines"]
    assert "notes" not in entries[1]


# --- CSV and JSON ------------------------------------------------------------------------


def test_csv_has_tags_and_note_columns_with_the_note_lines_kept():
    rows = list(csv.DictReader(io.StringIO(export(organised(), "csv"), newline="")))
    assert rows[0]["tags"] == "survey; to-read; ask.ana/v2"
    assert rows[0]["note"] == NOTE
    assert (rows[1]["tags"], rows[1]["note"]) == ("baselines", "")
    assert {(row["tags"], row["note"]) for row in rows[2:]} == {("", "")}


def test_json_tags_are_a_list_and_the_note_a_string():
    records = json.loads(export(organised(), "json"))
    assert (records[0]["tags"], records[0]["note"]) == (list(TAGS), NOTE)
    assert (records[1]["tags"], records[1]["note"]) == (["baselines"], "")


def test_a_note_loses_only_its_windows_line_ends_and_surrounding_blank_lines():
    item = ExportItem(SEED_LIKE[0], False, False, note="\r\n  first\r\nsecond  \r\n\r\n")
    assert json.loads(export([item], "json"))[0]["note"] == "first\nsecond"


# --- Markdown ----------------------------------------------------------------------------


def list_items(text: str) -> list[list]:
    """The tokens inside each top-level list item."""
    tokens = MarkdownIt("commonmark").parse(text)
    items, current, depth = [], None, 0
    for token in tokens:
        if token.type == "list_item_open":
            depth += 1
            if depth == 1:
                current = []
                items.append(current)
                continue
        if token.type == "list_item_close":
            depth -= 1
            if depth == 0:
                continue
        if current is not None and depth >= 1:
            current.append(token)
    return items


def test_markdown_puts_the_tags_and_the_note_under_the_paper():
    text = export(organised(), "md")
    items = list_items(text)
    assert len(items) == len(SEED_LIKE)
    first_line = next(t for t in items[0] if t.type == "inline")
    codes = [child.content for child in first_line.children if child.type == "code_inline"]
    assert codes == [SEED_LIKE[0].id, *TAGS]
    quote_open = next(i for i, t in enumerate(items[0]) if t.type == "blockquote_open")
    quote_close = max(i for i, t in enumerate(items[0]) if t.type == "blockquote_close")
    lines = text.splitlines()
    start, end = items[0][quote_open].map
    assert [line.removeprefix("  >").removeprefix(" ") for line in lines[start:end]] == (
        NOTE.split("\n")
    )
    quoted = [t.content for t in items[0][quote_open:quote_close] if t.type == "inline"]
    assert quoted[0] == "Compare with the *baseline* in §4."
    second = next(t for t in items[1] if t.type == "inline")
    assert [c.content for c in second.children if c.type == "code_inline"] == [
        SEED_LIKE[1].id, "baselines"]
    assert not any(t.type == "blockquote_open" for item in items[1:] for t in item)


def test_a_note_with_any_markdown_stays_inside_its_paper_and_keeps_the_list_tight():
    note = "# A heading\n```python\nunclosed = 'fence'\n<div>\n\n- a list\n[ref]: http://x"
    items = [ExportItem(p, False, False, note=note if n == 0 else "")
             for n, p in enumerate(SEED_LIKE)]
    text = export(items, "md")
    parsed = list_items(text)
    assert len(parsed) == len(SEED_LIKE)
    for tokens, paper, title in zip(parsed[1:], SEED_LIKE[1:], SHOWN_TITLES[1:]):
        inline = next(t for t in tokens if t.type == "inline")
        texts = "".join(c.content for c in inline.children if c.type == "text")
        assert title in texts
    # A tight list: markdown-it hides the paragraph of each item (no <p>).
    paragraphs = [t for t in MarkdownIt("commonmark").parse(text) if t.type == "paragraph_open"]
    assert [t.hidden for t in paragraphs if t.level == 2] == [True] * len(SEED_LIKE)


# --- CSL-JSON ----------------------------------------------------------------------------


def render_bibliography(text: str) -> tuple[CiteProcJSON, list[str]]:
    """The export read by citeproc-py and rendered in a CSL style that it ships."""
    with warnings.catch_warnings():
        # citeproc-py predates CSL 1.0.2's citation-key, which it reads and then ignores.
        warnings.filterwarnings("ignore", message=".*unsupported: citation_key")
        source = CiteProcJSON(json.loads(text))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for key in source:
        bibliography.register(Citation([CitationItem(key)]))
    return source, [str(entry) for entry in bibliography.bibliography()]


def test_csljson_renders_a_bibliography_with_every_title_in_citeproc():
    items = list(ITEMS)
    source, entries = render_bibliography(export(items, "csljson"))
    assert len(entries) == len(items)
    for title in SHOWN_TITLES:
        assert any(f"“{title}”" in entry for entry in entries), title
    kaplan = next(e for e in entries if "Scaling Laws for Neural" in e)
    assert kaplan.startswith("Kaplan, J., McCandlish, S. and Henighan, T. (2020)")


def test_csljson_arxiv_preprint_fields():
    paper = SEED_LIKE[0]
    (record,) = json.loads(export([ExportItem(paper, True, True, TAGS, NOTE)], "csljson"))
    key = citation_key(paper)
    assert record == {
        "id": key,
        "citation-key": key,
        "type": "article",
        "title": SHOWN_TITLES[0],
        "author": [{"family": "Frohmann", "given": "Markus"},
                   {"family": "Holtermann", "given": "Carolin"},
                   {"family": "Masoudian", "given": "Shahed"}],
        "issued": {"date-parts": [[2023, 10, 2]]},
        "DOI": "10.48550/arXiv.2310.01217",
        "URL": "https://arxiv.org/abs/2310.01217",
        "abstract": "Multi-task learning (MTL) has shown considerable practical benefits,"
                    " e.g. adapters (e.g. AdapterFusion).",
        "keyword": "read, starred, survey, to-read, ask.ana/v2",
        "note": NOTE,
        "publisher": "arXiv",
        "number": "arXiv:2310.01217",
    }
    _, (entry,) = render_bibliography(export([ExportItem(paper, True, True)], "csljson"))
    assert "arXiv. Available at: https://doi.org/10.48550/arXiv.2310.01217." in entry


def test_csljson_journal_paper_and_a_bare_one():
    journal = SEED_LIKE[4]
    bare = Paper(id="a-bare-paper", title="A Bare Paper")
    first, second = json.loads(export(
        [ExportItem(journal, False, False), ExportItem(bare, False, False)], "csljson"))
    assert first["type"] == "article-journal"
    assert first["container-title"] == "arXiv preprint"
    assert "publisher" not in first and "number" not in first
    assert first["issued"] == {"date-parts": [[2020, 1, 23]]}
    assert second == {"id": citation_key(bare), "citation-key": citation_key(bare),
                      "type": "article", "title": "A Bare Paper", "keyword": "unread"}


@pytest.mark.parametrize(("date", "parts"), [("2025-03", [[2025, 3]]), ("2021", [[2021]])])
def test_csljson_partial_dates_keep_what_is_known(date, parts):
    paper = make_paper("Dated", authors=["A B"], date=date, source="md")
    (record,) = json.loads(export([ExportItem(paper, False, False)], "csljson"))
    assert record["issued"] == {"date-parts": parts}


def test_csljson_names_are_split_or_kept_literal_and_citeproc_reads_them():
    paper = make_paper("Names", authors=NASTY_AUTHORS, date="2024", source="md")
    text = export([ExportItem(paper, False, False)], "csljson")
    (record,) = json.loads(text)
    assert record["author"] == [
        {"family": "van der Berg", "given": "Jan", "suffix": "Jr."},
        {"family": "García-López", "given": "María José"},
        {"family": "O'Brien", "given": "Conan"},
        {"literal": "Google DeepMind and Friends"},
        {"literal": "李华"},
        {"family": "Smith", "given": "Ann {Braces}"},
        {"family": "Co", "given": "Under_Score 100% &"},
        {"family": "d'Artagnan", "given": "Jean-Luc"},
        {"family": "stiff", "given": "_why the lucky"},
    ]
    source, (entry,) = render_bibliography(text)
    assert entry.startswith("van der Berg, J., Jr. et al. (2024)")
    (reference,) = (source[key] for key in source)
    assert len(reference["author"]) == len(NASTY_AUTHORS)


def test_the_csl_json_extension_picks_csljson_and_plain_json_stays_json():
    assert format_for_path("refs.csl.json") == "csljson"
    assert format_for_path("REFS.CSL.JSON") == "csljson"
    assert format_for_path("refs.json") == "json"
