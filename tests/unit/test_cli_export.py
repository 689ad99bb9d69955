"""`papertui export`, end to end through subprocesses."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest


def papertui(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "papertui", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


@pytest.fixture
def two_starred(seed_library) -> list[str]:
    ids = seed_library.ids[:3]
    assert papertui("mark", ids[0], ids[1], "--star").returncode == 0
    assert papertui("mark", ids[1], "--read").returncode == 0
    return ids[:2]


def test_default_is_starred_markdown_to_stdout(two_starred: list[str]) -> None:
    out = papertui("export")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# ")
    assert out.stdout.count("- [ ] ") == 1 and out.stdout.count("- [x] ") == 1
    assert out.stderr.strip() == "exported 2 papers"


def test_unread_starred_all_and_query(two_starred: list[str]) -> None:
    rows = json.loads(papertui("export", "--unread-starred", "--format", "json").stdout)
    assert [r["id"] for r in rows] == [two_starred[0]]
    assert len(json.loads(papertui("export", "--all", "--format", "json").stdout)) == 67
    hits = json.loads(papertui("export", "--query", '"scaling law"', "--format", "json").stdout)
    assert hits and all(isinstance(r["read"], bool) for r in hits)


def test_bib_to_file_parses_with_cite_keys(two_starred: list[str], tmp_path: Path) -> None:
    out = papertui("export", "--format", "bib", "-o", "list.bib", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "exported 2 papers to list.bib" in out.stderr
    library = bibtexparser.parse_string((tmp_path / "list.bib").read_text(encoding="utf-8"))
    assert len(library.entries) == 2
    assert len({entry.key for entry in library.entries}) == 2


def test_csv_has_the_documented_header(two_starred: list[str]) -> None:
    rows = list(csv.reader(io.StringIO(papertui("export", "--format", "csv").stdout)))
    assert rows[0] == ["id", "title", "authors", "date", "url", "source", "read", "starred",
                       "categories", "upvotes", "github", "project_page", "tags", "note"]
    assert len(rows) == 3


def test_empty_list_writes_a_valid_empty_file(seed_library) -> None:
    out = papertui("export", "--format", "json")
    assert out.returncode == 0
    assert json.loads(out.stdout) == []
    assert out.stderr.strip() == "exported 0 papers"


@pytest.mark.parametrize(
    "args, status, message",
    [
        (("export", "--query", "is:nonsense"), 2, "unknown filter"),
        (("export", "--format", "docx"), 2, "invalid choice"),
        (("export", "--all", "--starred"), 2, "not allowed with"),
        (("export", "-o", "/no/such/dir/list.md"), 1, "/no/such/dir/list.md"),
    ],
)
def test_errors(seed_library, args, status, message) -> None:
    out = papertui(*args)
    assert out.returncode == status
    assert message in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) <= 2
