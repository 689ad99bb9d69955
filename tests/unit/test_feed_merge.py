"""A fetch merges its feed's papers into the stored catalog in place: the library it
gives is the one a whole merge gives, and the index takes only the papers whose text
arrived."""

from __future__ import annotations

import json

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Term

from papertui import index, paths
from papertui.catalog import Catalog
from papertui.feeds import store
from papertui.index.build import MOST_SEGMENTS, build, indexed_ids, update
from papertui.library import Library
from papertui.models import Mark

SURVEY = "a-survey-of-large-language-models"  # a seed paper known by its title only


def daily(items: list[tuple[str, str, str, int]]) -> bytes:
    """A Daily Papers response of (arXiv id, title, day, upvotes) items."""
    return json.dumps([{"paper": {
        "id": pid, "title": title, "summary": f"What {title} found, at length.",
        "publishedAt": f"{day}T00:00:00.000Z", "authors": [{"name": "Ada Fetcher"}],
        "upvotes": upvotes}} for pid, title, day, upvotes in items]).encode()


@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The ids each incremental index update was asked to (re)index."""
    seen: list[list[str]] = []
    real = index.update_in_child

    def spy(directory, add, *args, **kwargs):
        seen.append(sorted(doc[0] for doc in add))
        return real(directory, add, *args, **kwargs)

    monkeypatch.setattr(index, "update_in_child", spy)
    return seen


def shown(library: Library) -> tuple[list, list[str]]:
    """Every paper in list order, and each source's report."""
    return [library.paper(pid) for pid in library.ids], [s.summary for s in library.sources]


def test_a_fetch_merged_in_place_gives_what_a_whole_merge_gives(
        seed_library, updates, monkeypatch: pytest.MonkeyPatch) -> None:
    survey = seed_library.paper(SURVEY).title
    seed_library.set_marks({SURVEY: Mark(starred=True)})
    folder = str(store.folder("hf"))
    store.save("hf", "2026-06-01.json", daily([("2606.00001", "Quokka habitats", "2026-06-01", 3)]))
    seed_library.add_sources([folder])
    assert seed_library.index_work() == "arrivals"  # one paper merged in beside the index
    seed_library.ensure_index()
    store.save("hf", "2026-06-02.json", daily([
        ("2606.00002", "Wombat burrows", "2026-06-02", 9),
        ("2303.18223", survey, "2026-06-02", 5),  # the seed paper learns its arXiv id
        ("2606.00001", "Quokka habitats", "2026-06-01", 7)]))  # only its upvotes changed
    [report] = seed_library.add_sources([folder])
    assert seed_library.index_work() == "arrivals"  # the app shows no build row for this
    seed_library.ensure_index()
    assert seed_library.index_work() == "current"

    assert report.summary.endswith("3 papers; 2 added, 1 merged with papers already there")
    assert seed_library.ids[:3] == ["2606.00002", "2303.18223", "2606.00001"]
    survey_paper = seed_library.paper("2303.18223")
    assert survey_paper.title == survey and SURVEY not in seed_library
    assert survey_paper.sources == (seed_library.sources[0].name, "hf")
    assert seed_library.mark("2303.18223").starred  # the star followed the paper
    assert seed_library.paper("2606.00001").upvotes == 7
    # The index took the new paper and the one whose id and text changed, not the upvotes.
    assert updates[-1] == ["2303.18223", "2606.00002"]
    assert set(seed_library.search("wombat").ids) == {"2606.00002"}
    assert SURVEY not in seed_library.search("survey").ids

    seed_library.invalidate_index()  # no index on disk: a build, with its progress row
    assert seed_library.index_work() == "build"

    in_place = shown(seed_library)
    seed_library.close()
    (paths.cache_dir() / "catalog.db").unlink()
    whole = Library.load()
    try:
        assert shown(whole) == in_place
    finally:
        whole.close()


def test_an_update_adds_new_papers_beside_the_index_and_replaces_changed_ones(tmp_path) -> None:
    folder = tmp_path / "index"
    build(folder, [
        ("p1", "Proteins folded", "We fold proteins.", "Ada Lovelace", ""),
        ("p2", "Transformer language models", "Large models.", "Alan Turing", ""),
        ("p3", "Robots in warehouses", "Robots carry boxes.", "Grace Hopper", "")], {"v": 1})
    update(folder, [("p1", "Quokka habitats", "Quokkas live here.", "Ada Lovelace", ""),
                    ("p9", "Wombat burrows", "Wombats dig.", "Alan Turing", "")],
           ["p1", "p3", "p9"], {"v": 2})

    def having(word: str) -> set[str]:
        ix = whoosh_index.open_dir(str(folder))
        with ix.searcher() as searcher:
            ids = searcher.reader().column_reader("id")
            found = {ids[n] for n in searcher.docs_for_query(Term("title_plain", word))}
        ix.close()
        return found

    assert indexed_ids(folder) == {"p1", "p3", "p9"}
    assert (having("quokka"), having("wombat"), having("robots")) == ({"p1"}, {"p9"}, {"p3"})
    assert having("proteins") == set() and having("transformer") == set()
    for n in range(MOST_SEGMENTS + 2):  # past the most segments, the small ones are merged
        update(folder, [(f"n{n}", f"Paper number {n}", "Text.", "Ada", "")],
               ["p1", "p3", "p9", *(f"n{k}" for k in range(n + 1))], {"v": 3 + n})
        assert len(whoosh_index.open_dir(str(folder))._segments()) <= MOST_SEGMENTS
    assert indexed_ids(folder) == {"p1", "p3", "p9", *(f"n{k}" for k in range(MOST_SEGMENTS + 2))}
    assert having("quokka") == {"p1"}


def test_a_catalog_another_process_changed_meanwhile_is_merged_whole(
        seed_library, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from papertui import ingest

    folder = str(store.folder("hf"))
    store.save("hf", "2026-06-01.json", daily([("2606.00001", "Quokka habitats", "2026-06-01", 3)]))
    seed_library.add_sources([folder])
    store.save("hf", "2026-06-02.json", daily([("2606.00002", "Wombat burrows", "2026-06-02", 9)]))
    real_merge, replaced = ingest.merge_into, []

    def racing(catalog, parsed, feeds):
        merged = real_merge(catalog, parsed, feeds)
        other = sqlite3.connect(catalog.path)  # another process stores its own merge
        with other:
            other.execute("UPDATE meta SET value = '[4, []]' WHERE key = 'fingerprint'")
        other.close()
        return merged

    real_replace = Catalog.replace
    monkeypatch.setattr(ingest, "merge_into", racing)
    monkeypatch.setattr(Catalog, "replace", lambda *a, **k: replaced.append(1) or real_replace(*a, **k))
    [report] = seed_library.add_sources([folder])
    assert replaced == [1]  # the merge in place gave way to a whole merge
    assert seed_library.ids[:2] == ["2606.00002", "2606.00001"] and report.papers == 2
