"""The index is built once, reused, and rebuilt when its inputs change."""

from __future__ import annotations

import shutil
from pathlib import Path

from papertui import index, paths
from papertui.library import Library


def seed_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "page.txt"
    shutil.copy(paths.seed_file(), copy)
    return copy


def test_built_once_then_reused(isolated_dirs: Path) -> None:
    seed = seed_copy(isolated_dirs)
    progress: list[tuple[int, int, str]] = []
    first = Library.load(seed=seed)
    assert first.ensure_index(lambda *step: progress.append(step)) is True
    phases = [phase for _, _, phase in progress]
    assert list(dict.fromkeys(phases)) == ["reading", "indexing", "writing", "swapping"]
    assert (67, 67, "reading") in progress and (67, 67, "indexing") in progress
    assert progress[-1] == (1, 1, "swapping")
    assert paths.index_dir().is_relative_to(paths.cache_dir())
    first.close()
    second = Library.load(seed=seed)
    assert second.ensure_index() is False
    assert second.search("survey").ids


def test_rebuilt_after_the_source_changes(isolated_dirs: Path) -> None:
    seed = seed_copy(isolated_dirs)
    Library.load(seed=seed).ensure_index()
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\nA Brand New Title\n\nIts abstract.\n")
    changed = Library.load(seed=seed)
    assert len(changed) == 68
    assert changed.ensure_index() is True
    assert [changed.paper(i).title for i in changed.search("brand").ids] == ["A Brand New Title"]


def test_rebuilt_when_the_schema_changes(isolated_dirs: Path, monkeypatch) -> None:
    seed = seed_copy(isolated_dirs)
    Library.load(seed=seed).ensure_index()
    monkeypatch.setattr(index, "SCHEMA_VERSION", index.SCHEMA_VERSION + 1)
    assert Library.load(seed=seed).ensure_index() is True


def test_ids_come_from_a_column_and_similar_papers_exclude_the_paper(seed_library: Library) -> None:
    moe = seed_library.search('title:"mixture of experts"').ids[0]
    similar = seed_library.similar(moe)
    assert len(similar) == 5 and moe not in similar


def test_searches_from_many_threads_at_once_answer_as_one_at_a_time(
    seed_library: Library,
) -> None:
    """The index serialises use of its one searcher itself: callers hold no lock."""
    from concurrent.futures import ThreadPoolExecutor

    queries = ["survey", "mixtre~", '"scaling law"', "lang*", "model -language", "agent OR robot"]
    alone = {query: seed_library.search(query).ids for query in queries}
    assert all(alone.values())
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda query: (query, seed_library.search(query).ids),
                                 queries * 40))
    assert together == [(query, alone[query]) for query in queries * 40]
