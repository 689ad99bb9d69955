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
    progress: list[tuple[int, int]] = []
    first = Library.load(seed=seed)
    assert first.ensure_index(lambda done, total: progress.append((done, total))) is True
    assert progress[-1] == (67, 67)
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
