"""What is new: entered times, new-since across launches (a killed one too), catch-up and undo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from papertui import paths
from papertui.newness import Newness


@pytest.fixture
def newness(tmp_path: Path):
    store = Newness(tmp_path / "state.db")
    yield store
    store.close()


def test_the_papers_there_when_the_library_is_created_are_never_new(newness: Newness) -> None:
    newness.record(["seed-a", "seed-b"], "catalog-1", now=100.0)
    assert newness.new_ids() == set()
    newness.begin_session(now=200.0)
    newness.begin_session(now=300.0)
    assert newness.new_ids() == set()


def test_a_paper_that_arrives_stays_new_until_a_whole_session_went_by(newness: Newness) -> None:
    newness.record(["seed"], "catalog-1", now=100.0)
    newness.begin_session(now=200.0)  # launch 1
    newness.record(["seed", "fetched"], "catalog-2", now=250.0)  # fetched during launch 1
    assert newness.new_ids() == {"fetched"}
    newness.begin_session(now=400.0)  # launch 2: new-since is launch 1's start
    assert newness.new_since() == 200.0
    assert newness.new_ids() == {"fetched"}
    newness.begin_session(now=600.0)  # launch 3: launch 2 went by whole
    assert newness.new_ids() == set()


def test_a_killed_launch_counts_as_a_session(newness: Newness) -> None:
    newness.record(["seed"], "catalog-1", now=100.0)
    newness.record(["seed", "fetched"], "catalog-2", now=150.0)  # papertui fetch
    newness.begin_session(now=200.0)  # this app is killed: nothing runs at exit
    assert newness.new_ids() == {"fetched"}
    newness.begin_session(now=300.0)  # the killed session went by with it in the list
    assert newness.new_ids() == set()


def test_an_unchanged_catalog_records_nothing_and_an_entered_time_never_moves(
    newness: Newness,
) -> None:
    newness.record(["seed"], "catalog-1", now=100.0)
    newness.record(["seed", "fetched"], "catalog-2", now=150.0)
    newness.record(["seed", "fetched", "later"], "catalog-2", now=170.0)  # same catalog
    newness.record(["seed", "fetched", "later"], "catalog-3", now=190.0)
    assert newness.entered() == {"seed": 100.0, "fetched": 150.0, "later": 190.0}


def test_catch_up_clears_the_new_set_and_a_launch_never_brings_it_back(newness: Newness) -> None:
    newness.record(["seed"], "catalog-1", now=100.0)
    newness.begin_session(now=200.0)
    newness.record(["seed", "a", "b"], "catalog-2", now=250.0)
    done = newness.catch_up(now=300.0)
    assert (done.before, done.at, done.cleared) == (100.0, 300.0, 2)
    assert newness.new_ids() == set()
    newness.begin_session(now=400.0)  # the previous launch (200) began before the catch-up
    assert newness.new_ids() == set()


def test_undoing_a_catch_up_brings_the_new_papers_back_once(newness: Newness) -> None:
    newness.record(["seed"], "catalog-1", now=100.0)
    newness.record(["seed", "a"], "catalog-2", now=150.0)
    newness.catch_up(now=300.0)
    assert newness.undo_catch_up() == 100.0
    assert newness.new_ids() == {"a"}
    assert newness.undo_catch_up() is None


def test_the_seed_library_has_nothing_new_and_is_new_is_a_filter(seed_library) -> None:
    assert seed_library.new_count() == 0
    assert seed_library.search("is:new").ids == []


def test_catch_up_from_the_library_and_its_undo(seed_library) -> None:
    store = Newness(paths.state_db())
    store.record([*seed_library.ids, "not-in-the-library"], "test", now=store.new_since() + 1)
    store.close()
    assert seed_library.new_count() == 0  # "not-in-the-library" is new, but not shown
    newest = seed_library.ids[:2]
    make_new(newest)
    assert seed_library.new_count() == 2
    assert seed_library.search("is:new").ids == newest
    marks_before = seed_library.counts()
    seed_library.catch_up()
    assert seed_library.new_count() == 0 and seed_library.counts() == marks_before
    assert seed_library.undo_catch_up() is True
    assert seed_library.search("is:new").ids == newest


def make_new(ids: list[str]) -> None:
    """Move the library's clock an hour back, then let ``ids`` enter half an hour later."""
    store = Newness(paths.state_db())
    store._db.execute("UPDATE entered SET at = at - 3600")
    for key, value in store._db.execute("SELECT key, value FROM newness WHERE key IN"
                                        " ('created', 'new_since')").fetchall():
        store._db.execute("UPDATE newness SET value = ? WHERE key = ?",
                          (repr(float(value) - 3600), key))
    store._db.executemany("UPDATE entered SET at = at + 1800 WHERE id = ?", [(i,) for i in ids])
    store.close()


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "papertui", *args],
                          capture_output=True, text=True, timeout=120)


def test_the_catch_up_command_and_its_undo(seed_library) -> None:
    make_new(seed_library.ids[:1])
    assert seed_library.new_count() == 1
    done = papertui("catch-up")
    assert done.returncode == 0 and "1 papers are no longer new" in done.stdout, done.stderr
    assert seed_library.new_count() == 0
    undone = papertui("catch-up", "--undo")
    assert undone.returncode == 0 and "1 papers are new again" in undone.stdout, undone.stderr
    assert seed_library.new_count() == 1
    again = papertui("catch-up", "--undo")
    assert again.returncode == 1 and again.stderr.strip() == "papertui: no catch-up to undo"
