"""The read and starred id sets follow every mark change and reload."""

from __future__ import annotations

from papertui import paths
from papertui.marksets import MarkSets
from papertui.models import Mark
from papertui.state import StateStore


def test_the_sets_follow_each_change() -> None:
    marks = MarkSets({"a": Mark(read=True), "b": Mark(starred=True)})
    assert (marks.read, marks.starred) == ({"a"}, {"b"})
    marks.update({"a": Mark(read=False, starred=True), "c": Mark(read=True)})
    assert (marks.read, marks.starred) == ({"c"}, {"a", "b"})
    marks.update({"b": Mark()})
    assert (marks.read, marks.starred, set(marks)) == ({"c"}, {"a"}, {"a", "c"})


def test_is_filters_follow_marks_made_here_and_elsewhere(seed_library) -> None:
    first, second, third = seed_library.ids[3], seed_library.ids[1], seed_library.ids[7]
    seed_library.set_marks({first: Mark(starred=True), third: Mark(read=True)})
    assert seed_library.search("is:starred").ids == [first]
    elsewhere = StateStore.open(paths.state_db())
    elsewhere.set({second: Mark(starred=True), third: Mark()})
    elsewhere.close()
    assert seed_library.search("is:starred").ids == [first]  # not reloaded yet
    seed_library.reload_marks()
    assert seed_library.search("is:starred").ids == [second, first]
    assert seed_library.search("is:read").ids == []
    seed_library.set_marks({first: Mark()})
    assert seed_library.search("is:starred").ids == [second]
    assert seed_library.counts()[1:] == (0, 1)
