"""Issue 11, sources and models: dates that merge, error feeds, detection, ids, sorting, TeX."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from export_cases import SEED_LIKE

from papertui import paths
from papertui.catalog import Catalog
from papertui.errors import SourceError
from papertui.export import ExportItem, render
from papertui.merge import Merger, merge
from papertui.models import make_paper, normalise_id, title_sort_key
from papertui.sources import atom, daily_page, read_source
from papertui.sources.base import source_label
from papertui.sources.detect import detect
from papertui.tex import tex_to_text

FIXTURES = Path(__file__).parent.parent / "fixtures"
SHARED = Path(__file__).parents[3] / "shared" / "data"


# --- 7. merging keeps the finer date ------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "merged"),
    [
        ("2026-06-04", "2026-06", "2026-06-04"),  # a day from Hugging Face, a month from arXiv
        ("2026-06", "2026-06-04", "2026-06-04"),
        ("2026", "2026-06", "2026-06"),
        ("2026-06-04", "2026-05", "2026-05"),  # no refinement: the earliest
        ("2026-05-30", "2026-06", "2026-05-30"),
        ("2026-06", "2025", "2025"),
        (None, "2026-06", "2026-06"),
    ],
)
def test_merged_date_keeps_the_finer_one_else_the_earliest(first, second, merged) -> None:
    a = make_paper("Same Paper", date=first, source="a")
    b = make_paper("Same Paper", arxiv="2606.00001", date=second, source="b")
    assert merge(a, b).date == merged


def test_a_seed_paper_that_matches_an_arxiv_paper_gains_its_link_and_metadata() -> None:
    merger = Merger()
    merger.add(make_paper("ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by"
                          " Learning to Scale", date="2025-08-13", source="seed.txt"))
    merger.add(make_paper("ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by"
                          " Learning to Scale", arxiv="2310.01217v2", date="2023-10-02",
                          source="hf.json", upvotes=5, github="https://github.com/x/y",
                          categories=["cs.CL"]))
    (paper,) = merger.papers.values()
    assert (paper.id, paper.link) == ("2310.01217", "https://arxiv.org/abs/2310.01217")
    assert (paper.date, paper.upvotes, paper.github) == ("2023-10-02", 5, "https://github.com/x/y")
    assert paper.categories == ("cs.CL",)


def test_merge_unites_categories_and_keeps_the_most_upvotes() -> None:
    a = make_paper("T", arxiv="2401.00001", categories=["cs.CL", "cs.AI"], upvotes=3,
                   project_page="https://a.example", source="a")
    b = make_paper("T", arxiv="2401.00001", categories=["cs.LG", "cs.CL"], upvotes=9,
                   github="https://github.com/b/b", source="b")
    merged = merge(a, b)
    assert merged.categories == ("cs.CL", "cs.AI", "cs.LG")
    assert (merged.upvotes, merged.github, merged.project_page) == (
        9, "https://github.com/b/b", "https://a.example"
    )


def test_the_catalog_carries_the_new_fields() -> None:
    paper = make_paper("T", arxiv="2401.00001", categories=["cs.CL"], upvotes=7,
                       github="https://github.com/o/r", project_page="https://p.example",
                       source="s")
    catalog = Catalog.in_memory([(paper, paper.title_key)])
    stored = catalog.paper("2401.00001")
    assert (stored.categories, stored.upvotes, stored.github, stored.project_page) == (
        ("cs.CL",), 7, "https://github.com/o/r", "https://p.example"
    )
    assert catalog.column("upvotes") == {"2401.00001": 7}


# --- 8. an arXiv RSS error feed is an error -------------------------------------


def test_rss_error_feed_is_a_one_line_source_error() -> None:
    path = str(FIXTURES / "rss-error-bad-archive.xml")
    with pytest.raises(SourceError) as caught:
        read_source(path)
    message = str(caught.value)
    assert message == f"{path}: arXiv feed error: Bad archive 'cs.XYZ'."
    assert "\n" not in message


def test_an_empty_but_healthy_rss_feed_is_still_zero_papers() -> None:
    text = (FIXTURES / "rss-error-bad-archive.xml").read_text(encoding="utf-8")
    healthy = text.replace("Feed error for query: https://rss.arxiv.org/rss/cs.XYZ",
                           "cs.XYZ updates on arXiv.org")
    assert detect(healthy, "feed.xml") == "arxiv-rss"
    assert atom.parse(healthy, "feed.xml").papers == []


# --- 9. a file must be mostly of one format --------------------------------------


def markdown_export() -> str:
    items = [ExportItem(paper, read=True, starred=True) for paper in SEED_LIKE[:3]]
    return render(items, "md", list_name="Daily Papers · Aug 13", on=datetime.date(2025, 8, 13),
                  selection="Starred")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("README.md", (FIXTURES / "readme-copy.md").read_text(encoding="utf-8")),
        ("starred.md", markdown_export()),
    ],
)
def test_markdown_is_refused_with_one_line(name: str, text: str) -> None:
    with pytest.raises(SourceError, match=rf"^{name}: looks like a Markdown document \(\d+ of \d+"
                                          r" lines .*\), not a paper list") as caught:
        detect(text, name)
    assert "\n" not in str(caught.value)


def test_a_readme_with_one_bibtex_example_is_not_a_bibliography() -> None:
    text = (FIXTURES / "readme-copy.md").read_text(encoding="utf-8")
    assert "@misc{" in text
    with pytest.raises(SourceError):
        detect(text, "README.md")


def test_prose_around_a_bibtex_entry_outweighs_it() -> None:
    entry = "@misc{k, title = {T}}\n"
    assert detect(entry + "% a comment\n" * 50, "refs.txt") == "bibtex"
    prose = "\n\n".join(f"A long sentence of prose, number {n}, about nothing." for n in range(9))
    assert detect(prose + "\n\n" + entry, "notes.txt") == "daily-page"


def real_files() -> list[tuple[Path, str]]:
    cases = [
        (FIXTURES / "daily_papers-2026-06.json", "hf-json"),
        (FIXTURES / "arxiv-20.jsonl", "arxiv-json"),
        (FIXTURES / "rss-cs-cv.xml", "arxiv-rss"),
        (FIXTURES / "search-testing-100.xml", "arxiv-atom"),
        (FIXTURES / "d2l.bib", "bibtex"),
        (FIXTURES / "biblatex-examples.bib", "bibtex"),
        (paths.seed_file(), "daily-page"),
    ]
    if SHARED.is_dir():
        cases += [(SHARED / "bibtex" / "d2l.bib", "bibtex"),
                  (SHARED / "bibtex" / "biblatex-examples.bib", "bibtex"),
                  (SHARED / "hf-daily" / "daily_papers-2026-06.json", "hf-json")]
        cases += [(f, "arxiv-atom") for f in sorted((SHARED / "arxiv-atom").glob("*.xml"))]
    return cases


@pytest.mark.parametrize(("path", "expected"), real_files(), ids=lambda v: getattr(v, "name", v))
def test_real_files_are_detected_as_before_even_under_another_name(path: Path, expected) -> None:
    assert detect(Path(path).read_text(encoding="utf-8"), "renamed.txt") == expected


# --- the list's date, and the name a source is shown by --------------------------------


def test_a_page_date_with_its_year_dates_the_list_and_its_papers() -> None:
    parsed = daily_page.parse("Daily Papers\n\nAug 13, 2025\n\nA Title\n\nAn abstract.", "p.txt")
    assert parsed.date == "2025-08-13"
    assert parsed.papers[0].date == "2025-08-13"


def test_a_page_date_without_a_year_is_kept_as_the_label_only() -> None:
    parsed = daily_page.parse("Daily Papers\n\nAug 13\n\nA Title\n\nAn abstract.", "p.txt")
    assert (parsed.date, parsed.papers[0].date) == ("Aug 13", None)


def test_a_source_is_shown_by_its_list_title_and_date_not_its_file_name() -> None:
    seed = read_source(str(paths.seed_file()))
    assert source_label(seed.path, seed.title, seed.date) == "Daily Papers · Aug 13"
    rss = read_source(str(FIXTURES / "rss-cs-cv.xml"))
    assert source_label(rss.path, rss.title, rss.date) == "cs.CV updates on arXiv.org · 2025-03-18"
    query = read_source(str(FIXTURES / "search-testing-100.xml"))
    assert source_label(query.path, query.title, query.date) == "search-testing-100.xml"


# --- 10. ids in every form ----------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "paper_id"),
    [
        ("2505.15270", "2505.15270"),
        ("2505.15270v2", "2505.15270"),
        ("arXiv:2505.15270", "2505.15270"),
        ("  ARXIV:2505.15270v3 ", "2505.15270"),
        ("https://arxiv.org/abs/2505.15270", "2505.15270"),
        ("https://arxiv.org/pdf/2505.15270v1", "2505.15270"),
        ("http://export.arxiv.org/abs/2505.15270v2", "2505.15270"),
        ("astro-ph/0601001", "astro-ph/0601001"),
        ("astro-ph/0601001v1", "astro-ph/0601001"),
        ("https://arxiv.org/abs/astro-ph/0601001v1", "astro-ph/0601001"),
        ("scalearn-simple-and-highly", "scalearn-simple-and-highly"),
        (" a-title-key ", "a-title-key"),
    ],
)
def test_normalise_id_takes_every_form(given: str, paper_id: str) -> None:
    assert normalise_id(given) == paper_id


def test_an_id_with_more_digits_is_not_cut_to_a_shorter_one() -> None:
    assert normalise_id("https://arxiv.org/abs/2505.152701") != "2505.15270"


# --- sorting by title -------------------------------------------------------------------


def test_title_sort_ignores_leading_punctuation_quotes_and_case() -> None:
    titles = ['"Zebra" crossings', "(Almost) everything", "«Banana» split", "apple pie",
              "'Cherry'"]
    assert sorted(titles, key=title_sort_key) == [
        "(Almost) everything", "apple pie", "«Banana» split", "'Cherry'", '"Zebra" crossings'
    ]


# --- TeX reads the same everywhere --------------------------------------------------------


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        ("Ω^{n+1}", "Ω^(n+1)"),
        ("$x^{n+1}$ and $x^{-1}$", "x^(n+1) and x^(-1)"),
        ("$a_{i,j}$", "a_(i,j)"),
        ("$2^{10}$ and $a_{ij}$", "2^10 and a_ij"),
        ("$\\mu$P", "μP"),
    ],
)
def test_scripts_keep_their_extent(tex: str, text: str) -> None:
    assert tex_to_text(tex) == text
