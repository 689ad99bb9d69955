"""Issue 11, export: the format from the file name, headings, TeX, dates and the new fields."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import rispy

from papertui.export import ExportItem, format_for_path, render
from papertui.models import make_paper

ON = datetime.date(2025, 8, 13)
TEX_PAPER = make_paper(
    "$\\mu$P: Scaling on Ω^{n+1} devices",
    arxiv="2401.00001",
    abstract="Tasks (\\eg adapters) gain $\\alpha$.",
    date="2024-01-05",
    source="feed.xml",
    categories=["cs.LG", "cs.CL"],
    upvotes=42,
    github="https://github.com/o/mup",
    project_page="https://mup.example",
)
SEED_ONLY = make_paper("A Paper Only the Seed Lists", date="2025-08-13", source="seed.txt")


def export(papers, fmt: str, **options) -> str:
    items = [ExportItem(paper, read=False, starred=True) for paper in papers]
    return render(items, fmt, list_name=options.pop("list_name", "All papers"), on=ON, **options)


# --- the format from the file name -------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fmt"),
    [("x.md", "md"), ("x.bib", "bib"), ("dir/x.csv", "csv"), ("x.json", "json"),
     ("x.ris", "ris"), ("X.BIB", "bib"), ("x.txt", None), ("x", None), ("x.bib.bak", None)],
)
def test_format_for_path(path: str, fmt: str | None) -> None:
    assert format_for_path(path) == fmt
    assert format_for_path(Path(path)) == fmt


def papertui(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "papertui", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


@pytest.fixture
def one_starred(seed_library, tmp_path: Path) -> Path:
    assert papertui("mark", seed_library.ids[0], "--star", cwd=tmp_path).returncode == 0
    return tmp_path


def test_export_to_a_bib_file_writes_bibtex(one_starred: Path) -> None:
    out = papertui("export", "-o", "x.bib", cwd=one_starred)
    assert out.returncode == 0, out.stderr
    library = bibtexparser.parse_string((one_starred / "x.bib").read_text(encoding="utf-8"))
    assert len(library.entries) == 1


def test_each_known_extension_picks_its_format(one_starred: Path) -> None:
    assert papertui("export", "-o", "x.json", cwd=one_starred).returncode == 0
    assert len(json.loads((one_starred / "x.json").read_text(encoding="utf-8"))) == 1
    assert papertui("export", "-o", "x.txt", cwd=one_starred).returncode == 0
    assert (one_starred / "x.txt").read_text(encoding="utf-8").startswith("# Starred · ")


def test_a_format_that_contradicts_the_extension_is_a_usage_error(one_starred: Path) -> None:
    out = papertui("export", "--format", "md", "-o", "x.bib", cwd=one_starred)
    assert out.returncode == 2
    assert out.stderr.strip() == "papertui: --format md contradicts the file name x.bib"
    assert not (one_starred / "x.bib").exists()
    assert papertui("export", "--format", "bib", "-o", "x.bib", cwd=one_starred).returncode == 0


# --- the heading names the selection ---------------------------------------------------------


def test_markdown_heading_names_the_selection_and_the_list() -> None:
    heading = export([SEED_ONLY], "md", selection="Starred").splitlines()[0]
    assert heading == "# Starred · All papers — 2025-08-13 — 1 paper"
    named = export([SEED_ONLY], "md", list_name="Daily Papers · Aug 13",
                   selection="Still to read").splitlines()[0]
    assert named == "# Still to read · Daily Papers · Aug 13 — 2025-08-13 — 1 paper"


def test_cli_markdown_export_of_starred_papers_says_starred(one_starred: Path) -> None:
    out = papertui("export", cwd=one_starred)
    assert out.stdout.startswith("# Starred · ")


# --- TeX reads as in the app, except in BibTeX ----------------------------------------------


def test_tex_reads_as_text_in_markdown_csv_json_and_ris() -> None:
    title = "μP: Scaling on Ω^(n+1) devices"
    assert f"[{title}](" in export([TEX_PAPER], "md")
    (row,) = csv.DictReader(io.StringIO(export([TEX_PAPER], "csv"), newline=""))
    assert row["title"] == title
    assert json.loads(export([TEX_PAPER], "json"))[0]["title"] == title
    (entry,) = rispy.loads(export([TEX_PAPER], "ris"))
    assert entry["title"] == title
    assert entry["abstract"] == "Tasks (e.g. adapters) gain α."


def test_bibtex_keeps_the_tex_math() -> None:
    assert "$\\mu$P" in export([TEX_PAPER], "bib")


# --- seed-only BibTeX entries get the list's date ---------------------------------------------


def test_seed_only_bibtex_entry_has_year_and_month() -> None:
    (entry,) = bibtexparser.parse_string(export([SEED_ONLY], "bib")).entries
    assert (entry["year"], entry["month"]) == ("2025", "8")
    (with_url,) = bibtexparser.parse_string(export([TEX_PAPER], "bib")).entries
    assert (with_url["month"], with_url["url"]) == ("1", "https://arxiv.org/abs/2401.00001")


def test_a_year_only_date_gives_no_month() -> None:
    paper = make_paper("Old", date="2021", source="s")
    (entry,) = bibtexparser.parse_string(export([paper], "bib")).entries
    assert entry["year"] == "2021" and "month" not in entry.fields_dict


# --- what sources parsed is written in CSV and JSON ----------------------------------------


def test_csv_and_json_carry_categories_upvotes_github_and_project_page() -> None:
    (record,) = json.loads(export([TEX_PAPER], "json"))
    assert (record["categories"], record["upvotes"]) == (["cs.LG", "cs.CL"], 42)
    assert (record["github"], record["project_page"]) == (
        "https://github.com/o/mup", "https://mup.example"
    )
    (row,) = csv.DictReader(io.StringIO(export([TEX_PAPER], "csv"), newline=""))
    assert (row["categories"], row["upvotes"], row["github"], row["project_page"]) == (
        "cs.LG; cs.CL", "42", "https://github.com/o/mup", "https://mup.example"
    )
    (bare,) = json.loads(export([SEED_ONLY], "json"))
    assert (bare["categories"], bare["upvotes"], bare["github"]) == ([], None, None)
