"""Paper ids: arXiv ids without versions, else the documented title key."""

from __future__ import annotations

from papertui.merge import Merger, merge
from papertui.models import arxiv_id, make_paper, title_key


def test_arxiv_ids_lose_their_version() -> None:
    assert arxiv_id("2310.01217v3") == "2310.01217"
    assert arxiv_id("arXiv:2310.01217") == "2310.01217"
    assert arxiv_id("http://arxiv.org/abs/astro-ph/0601001v1") == "astro-ph/0601001"
    assert arxiv_id("https://arxiv.org/pdf/2401.00001v2") == "2401.00001"
    assert arxiv_id("not an id") is None


def test_title_key_rule() -> None:
    assert title_key("García's Café: A Study") == "garcia-s-cafe-a-study"
    assert title_key("  PanGu-α:  Large-scale ") == "pangu-α-large-scale"
    assert title_key("ＦＵＬＬ width") == "full-width"
    assert title_key("Straße") == "strasse"


def test_paper_id_prefers_arxiv() -> None:
    assert make_paper("T", arxiv="2401.00001v2", source="s").id == "2401.00001"
    assert make_paper("A Title", source="s").id == "a-title"
    assert make_paper("T", url="https://arxiv.org/abs/2401.00002", source="s").id == "2401.00002"


def test_merge_takes_longest_texts_earliest_date_and_union_of_extra() -> None:
    a = make_paper("Short", abstract="a", authors=["X"], date="2024-05-01", source="a",
                   extra={"upvotes": 3})
    b = make_paper("Short", arxiv="2401.00001", abstract="longer abstract", authors=["X", "Y"],
                   date="2024-01-01", source="b", extra={"categories": ["cs.CL"]})
    merged = merge(a, b)
    assert merged.id == "2401.00001"
    assert merged.abstract == "longer abstract"
    assert merged.authors == ("X", "Y")
    assert merged.date == "2024-01-01"
    assert merged.sources == ("a", "b")
    assert merged.extra == {"upvotes": 3, "categories": ["cs.CL"]}


def test_merger_rekeys_a_title_only_paper_in_place() -> None:
    merger = Merger()
    merger.add(make_paper("First", source="a"))
    merger.add(make_paper("Second Paper", source="a"))
    merger.add(make_paper("Second paper!", arxiv="2401.00009", source="b"))
    assert merger.order == ["first", "2401.00009"]
    assert merger.papers["2401.00009"].sources == ("a", "b")
    assert merger.merged == 1
