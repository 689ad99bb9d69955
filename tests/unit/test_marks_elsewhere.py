"""Only another process's commits count as marks changed elsewhere, never our own writes."""

from __future__ import annotations

from papertui import paths
from papertui.library import Library
from papertui.models import Mark
from papertui.state import StateStore


def test_our_own_writes_are_not_changes_made_elsewhere(isolated_dirs) -> None:
    library = Library.load()
    try:
        assert library.marks_changed_elsewhere() is False  # loading records newness
        library.begin_session()
        assert library.marks_changed_elsewhere() is False
        library.catch_up()
        assert library.marks_changed_elsewhere() is False
        library.undo_catch_up()
        assert library.marks_changed_elsewhere() is False
    finally:
        library.close()


def test_a_mark_saved_by_another_process_is_seen(isolated_dirs) -> None:
    library = Library.load()
    try:
        paper_id = library.ids[0]
        other = StateStore.open(paths.state_db())
        other.set({paper_id: Mark(read=True, starred=False)})
        other.close()
        assert library.marks_changed_elsewhere() is True
        library.reload_marks()
        assert library.mark(paper_id).read is True
        assert library.marks_changed_elsewhere() is False
    finally:
        library.close()
