"""Marks live in SQLite in the user data dir and survive everything derived."""

from __future__ import annotations

import shutil
import subprocess
import sys

from papertui import paths
from papertui.library import Library
from papertui.models import Mark, make_paper
from papertui.state import StateStore


def test_marks_persist_across_library_instances(seed_library: Library) -> None:
    first = seed_library.ids[0]
    seed_library.set_marks({first: Mark(read=True, starred=True)})
    again = Library.load()
    assert again.mark(first) == Mark(read=True, starred=True)
    assert again.counts() == (67, 1, 1)
    assert paths.state_db().is_relative_to(paths.data_dir())


def test_marks_survive_deleting_the_index(seed_library: Library) -> None:
    first = seed_library.ids[0]
    seed_library.set_marks({first: Mark(starred=True)})
    seed_library.close()
    shutil.rmtree(paths.index_dir())
    again = Library.load()
    assert again.ensure_index() is True
    assert again.mark(first).starred


def test_marks_persist_across_processes(seed_library: Library) -> None:
    first = seed_library.ids[0]
    code = (
        "from papertui.library import Library; from papertui.models import Mark; "
        f"Library.load().set_marks({{{first!r}: Mark(read=True)}})"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert seed_library.marks_changed_elsewhere()
    seed_library.reload_marks()
    assert seed_library.mark(first).read


def test_title_key_marks_follow_the_arxiv_id(isolated_dirs) -> None:
    store = StateStore.open(paths.state_db())
    store.set({"a-paper-title": Mark(read=True, starred=True)})
    store.add_aliases([("a-paper-title", "2401.00001")])
    assert store.all() == {"2401.00001": Mark(read=True, starred=True)}
    assert store.resolve("a-paper-title") == "2401.00001"
    paper = make_paper("A Paper Title", arxiv="2401.00001v1", source="x")
    assert paper.title_key == "a-paper-title"


def test_corrupt_store_is_moved_aside_not_overwritten(isolated_dirs) -> None:
    db = paths.state_db()
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database" * 100)
    store = StateStore.open(db)
    assert store.moved_aside is not None
    assert store.moved_aside.read_bytes() == b"this is not a database" * 100
    assert store.moved_aside.name.startswith("state.db.corrupt-")
    assert store.all() == {}


def test_a_library_loaded_in_a_thread_marks_from_another(seed_library: Library) -> None:
    import threading

    loaded: list[Library] = []
    worker = threading.Thread(target=lambda: loaded.append(Library.load()))
    worker.start()
    worker.join()
    first = loaded[0].ids[0]
    loaded[0].set_marks({first: Mark(starred=True)})
    assert loaded[0].marks_changed_elsewhere() is False
    assert Library.load().mark(first).starred
