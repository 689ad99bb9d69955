"""The benchmark report (bench/report.py) on small fake results: every size, every stamp."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench import report
from bench.fts5 import LAYOUT, Fts5
from bench.queries import QUERIES

SIZES = (1_067, 10_063, 74_783)
COMPLETE_MS = {1_067: 11.0, 10_063: 42.0, 74_783: 920.0, 300_037: 3_000.0}  # p50; p95: twice as much
COMPLETE_CELL = {1_067: "| 11.0 / 22.0 |", 10_063: "| 42.0 / 84.0 |", 74_783: "| 920 / 1,840 |"}
CORPUS_SIZE = {1_067: 1_000, 10_063: 10_000, 74_783: 74_728, 300_037: 300_000}  # the seed's 67 more
BUILD_PEAK_MB = {1_067: 61.0, 10_063: 120.0, 74_783: 431.0, 300_037: 1_210.0}


def _stats(ms: float) -> dict:
    return {"n": 3, "p50": ms, "p95": ms * 2, "max": ms * 2}


def _search(ms: float) -> dict:
    queries = [q for qs in QUERIES.values() for q in qs]
    return {"complete": {k: _stats(ms) for k in QUERIES}, "first_screen": {k: _stats(ms / 2) for k in QUERIES},
            "hits": {q: 7 for q in queries}, "per_query_p50": {q: ms for q in queries}}


def fake_size(papers: int) -> dict:
    """One size's results, with complete-list times no other size has."""
    ms = COMPLETE_MS[papers]
    return {
        "size": CORPUS_SIZE[papers], "papers": papers, "build_s": 2.0,
        "build_papers_per_s": papers / 2.0, "build_child_cpu_s": 3.0, "build_peak_mb": BUILD_PEAK_MB[papers], "index_mb": 7.0, "load_cold_ms": 100.0, "load_warm_ms": 5.0,
        "index_open_warm_ms": 2.0, "cli_search_warm_ms": _stats(250.0), "memory": {"peak_mb": 40.0},
        "search": _search(ms), "toggle": _stats(0.5),
        "fts5": {"build_s": 0.1, "build_papers_per_s": papers * 10.0, "index_mb": 8.0,
                 **_search(ms / 4), "toggle": _stats(0.2)},
        "cli_search": {"baseline": "is:starred", "baseline_ms": _stats(200.0),
                       "classes": {"phrase": _stats(300.0), "author": _stats(260.0)},
                       "over_baseline_p95": {"phrase": 200.0, "author": 120.0}},
        "ui": {"error": "RuntimeError: no tmux"},
    }


def fake_results(sizes=SIZES, commit: str = "abc1234") -> dict:
    machine = {"cpu": "Test CPU", "cores": 2, "ram_mb": 4096, "python": "3.11", "platform": "test",
               "whoosh": "2.7.5", "textual": "8", "sqlite": "3.40", "load_average": (1.0, 1.0, 1.0),
               "date": "2026-12-01T10:00:00+00:00", "commit": commit}
    return {"machine": machine, "repeats": 3, "seconds": 60, "fts5_layout": LAYOUT,
            "sizes": [fake_size(n) for n in sizes]}


def test_the_report_writes_a_search_table_for_every_size_it_was_given(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    report.write(fake_results(), doc)
    text = doc.read_text()
    for papers in SIZES:
        assert f"### Search at {papers:,} papers" in text
        section = text.split(f"### Search at {papers:,} papers")[1].split("###")[0]
        term = next(line for line in section.splitlines() if line.startswith("| term | 20 | 7-7 |"))
        assert COMPLETE_CELL[papers] in term
        complete_by_size = text.split("### Complete hit list p95 ms by size")[1].split("###")[0]
        assert f"| {papers:,} | " in complete_by_size


def test_every_table_carries_the_date_the_commit_the_sizes_and_the_fts5_layout(tmp_path: Path) -> None:
    lines = report.generated(fake_results(), now="abc1234")
    stamp = ("*Run of 2026-12-01T10:00:00+00:00, commit abc1234, papers: 1,067, 10,063, 74,783;"
             f" FTS5: {LAYOUT}.*")
    headings = [n for n, line in enumerate(lines) if line.startswith("### ")]
    assert len(headings) > 8
    for n in headings:
        assert lines[n + 2] == stamp, lines[n]


def test_tables_measured_at_another_commit_are_marked_stale() -> None:
    assert not any("Stale" in line for line in report.generated(fake_results(), now="abc1234"))
    lines = report.generated(fake_results(), now="def5678")
    assert any(line.startswith("**Stale until `make bench` is run again:**") and "def5678" in line
               for line in lines)


def test_targets_not_measured_say_so_rather_than_pass() -> None:
    text = "\n".join(report.generated(fake_results(), now="abc1234"))
    targets = text.split("### Targets at 74,783 papers")[1].split("###")[0]
    assert "| 1,000 fetched papers merged and indexed | at most 10 s | not measured | - |" in targets
    assert "| `search --json --limit 50` p95 over no-text, phrase | at most 250 ms | 200 ms | met |" in targets
    assert "| complete list p95, term | at most 600 ms | 1,840 ms | **missed** |" in targets
    assert ("| index build peak RSS (builder child) at 300,000 papers | at most 1,000 MB"
            " | not measured | - |") in targets  # this run had no 300k size
    assert "| event loop's worst lag while `F` fetches | at most 60 ms | not measured | - |" in targets


def test_the_builders_peak_memory_is_reported_for_every_size_and_checked_at_74k_and_300k() -> None:
    text = "\n".join(report.generated(fake_results(SIZES + (300_037,)), now="abc1234"))
    build = text.split("### Index build (one segment)")[1].split("###")[0]
    for papers, peak in BUILD_PEAK_MB.items():
        row = next(line for line in build.splitlines() if line.startswith(f"| {papers:,} |"))
        assert f"| 3.0 | {report._f(peak)} |" in row  # beside the builder's CPU seconds
    targets = text.split("### Targets at 74,783 papers")[1].split("###")[0]
    assert "| index build peak RSS (builder child) | at most 500 MB | 431 MB | met |" in targets
    assert ("| index build peak RSS (builder child) at 300,037 papers | at most 1,000 MB"
            " | 1,210 MB | **missed** |") in targets


def test_the_fts5_layout_names_the_tables_the_baseline_builds(tmp_path: Path) -> None:
    fts = Fts5(tmp_path / "fts5.db")
    fts.build([("2501.00001", "A title", "An abstract", "Ana Bo")])
    fts.close()
    db = sqlite3.connect(tmp_path / "fts5.db")
    tables = [name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%USING fts5(%'")]
    db.close()
    assert sorted(tables) == ["papers", "plain"]
    assert LAYOUT.startswith("two tables, `papers` (") and "`plain` (" in LAYOUT
