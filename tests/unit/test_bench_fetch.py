"""The fetch bench on a tiny library: fetched papers merge and are indexed, and the app's
event loop is watched while F fetches them."""

from __future__ import annotations

from pathlib import Path

from bench import fetch_merge


def test_the_fetch_bench_merges_indexes_and_watches_the_app(tmp_path: Path) -> None:
    records = [{"id": f"2501.{n:05d}", "title": f"Paper {n} on graphs", "summary": "Graphs, at length.",
                "authors": ["Ana Bo"], "categories": ["cs.LG"]} for n in range(60)]
    result = fetch_merge.run(60, 15, tmp_path / "out", records=records)
    assert (result["arrived"], result["arrivals_found"]) == (15, 15)
    assert result["papers_after"] == result["papers"] + 15
    assert result["fetch_shown"] == "15 new"  # the app's title bar, once the fetch landed
    assert result["fetch_lag_worst_ms"] >= result["fetch_lag_p99_ms"] >= 0
    assert result["fetch_lag_wakes"] > 0
    [row] = [line for line in fetch_merge.table(result) if line.startswith(f"| {result['papers']:,} |")]
    assert f"| {result['papers']:,} | 15 | 15 |" in row and row.endswith(f"| {result['papers_after']:,} |")
    assert not (tmp_path / "out" / "fetch-60-app").exists()  # the app's copy is cleaned up
