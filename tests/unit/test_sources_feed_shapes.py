"""Two more shapes users have on disk: a saved Daily Papers page, and JSON wrapping records."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from feed_server import fixture

from papertui.errors import SourceError
from papertui.sources import read_source

ITEMS = json.loads(fixture("daily_papers-2026-06.json"))


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_saved_daily_papers_page_is_read_from_its_data_props(tmp_path) -> None:
    props = html.escape(json.dumps({"dailyPapers": ITEMS, "date": "2026-06-12"}), quote=True)
    page = ('<!DOCTYPE html><html><head><title>Daily Papers</title></head><body>'
            f'<div class="SVELTE_HYDRATER" data-target="DailyPapers" data-props="{props}"></div>'
            '<a href="/papers/2606.99999">Not in the data</a></body></html>')
    parsed = read_source(write(tmp_path, "Daily Papers.html", page))
    assert parsed.format == "hf-page"
    assert [p.id for p in parsed.papers] == [item["paper"]["id"] for item in ITEMS]
    top = max(parsed.papers, key=lambda p: p.upvotes or 0)
    assert (top.id, top.upvotes, top.authors[0]) == ("2606.13681", 118, "Jundong Xu")


def test_a_page_without_data_props_falls_back_to_its_paper_links(tmp_path) -> None:
    page = ('<html><body><article><a href="/papers/2606.13392"><img></a>'
            '<h3><a href="/papers/2606.13392">MiniMax   Sparse Attention</a></h3>'
            '<a href="https://huggingface.co/papers/2606.08063v2">Robust-U1</a>'
            '<a href="/models">Models</a></article></body></html>')
    parsed = read_source(write(tmp_path, "page.html", page))
    assert [(p.id, p.title) for p in parsed.papers] == [
        ("2606.13392", "MiniMax Sparse Attention"), ("2606.08063", "Robust-U1")]


def test_any_other_html_page_is_still_refused(tmp_path) -> None:
    with pytest.raises(SourceError, match="an HTML page"):
        read_source(write(tmp_path, "x.html", "<html><body><p>Hello</p></body></html>"))


@pytest.mark.parametrize("wrapper", [
    lambda records: {"papers": records},
    lambda records: {"count": len(records), "papers": records, "query_info": {"q": "x"}},
    lambda records: {"results": records},
])
def test_json_wrapping_paper_records_accepts_the_common_aliases(tmp_path, wrapper) -> None:
    records = [
        {"arxiv_id": "2501.00001v3", "title": "One", "abstract": "A\n b", "authors": "Ann Lee, Bo Li",
         "date": "2025-01-02", "pdf_url": "https://arxiv.org/pdf/2501.00001v3"},
        {"id": "https://arxiv.org/abs/2502.00002v1", "title": "Two", "summary": "S",
         "authors": [{"name": "Cy Ho"}, "Di Wu"], "published": "2025-02-03T00:00:00Z",
         "categories": "cs.CL cs.LG"},
        {"title": "Three", "link": "https://example.org/three", "authors": ["Ed Po"]},
    ]
    parsed = read_source(write(tmp_path, "list.json", json.dumps(wrapper(records))))
    assert parsed.format == "paper-records"
    one, two, three = parsed.papers
    assert (one.id, one.abstract, one.authors, one.date) == (
        "2501.00001", "A b", ("Ann Lee", "Bo Li"), "2025-01-02")
    assert (two.id, two.authors, two.date, two.categories) == (
        "2502.00002", ("Cy Ho", "Di Wu"), "2025-02-03", ("cs.CL", "cs.LG"))
    assert (three.id, three.url) == ("three", "https://example.org/three")
