"""The app's mark actions: toggle, decide-and-advance, mark all, undo, reload.

Marks change only on these keys, never by moving the cursor. Each action is one
save through the facade and one entry on the undo stack. If the save fails the
store is unchanged, so the rows (which read marks from the library) show the
truth, and the user is told why.
"""

from __future__ import annotations

from collections.abc import Callable

from papertui.errors import StateError
from papertui.state import Mark
from papertui.ui import triage
from papertui.ui.failsafe import guarded
from papertui.ui.host import AppHost


class MarkActions(AppHost):
    """Mixed into the app, which provides the library, the list and the undo stack."""

    undo_stack: triage.UndoStack

    def _is_read(self, paper_id: str) -> bool:
        return self.library.mark(paper_id).read

    def apply_marks(self, label: str, after: dict[str, Mark]) -> bool:
        """Save ``after`` as one undoable change; False (and a message) if it was not saved."""
        change = triage.plan(label, after, self.library.mark)
        if change is None:
            return True
        try:
            self.library.set_marks(change.after)
        except StateError as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=10, markup=False)
            self.marks_changed()
            return False
        self.undo_stack.push(change)
        self.marks_changed()
        return True

    def _change_current(self, label: str, new_mark: Callable[[Mark], Mark]) -> bool:
        paper_id = self.paper_list.current
        if paper_id is None:
            return False
        return self.apply_marks(label, {paper_id: new_mark(self.library.mark(paper_id))})

    @guarded
    def action_toggle_read(self) -> None:
        current = self.paper_list.current
        if current is not None:
            label = "marked unread" if self.library.mark(current).read else "marked read"
            self._change_current(label, triage.toggled_read)

    @guarded
    def action_toggle_star(self) -> None:
        current = self.paper_list.current
        if current is not None:
            label = "unstarred" if self.library.mark(current).starred else "starred"
            self._change_current(label, triage.toggled_star)

    @guarded
    def action_decide_read(self) -> None:
        if self._change_current("marked read", triage.read):
            self._advance()

    @guarded
    def action_decide_star(self) -> None:
        if self._change_current("starred and marked read", triage.starred_and_read):
            self._advance()

    def _advance(self) -> None:
        papers = self.paper_list
        found = triage.next_unread(papers.ids, papers.cursor, self._is_read)
        if found is None:
            self.notify("No unread papers below.", timeout=3)
        else:
            papers.move_to(found)

    @guarded
    def action_next_unread(self) -> None:
        self._jump_unread(+1, "below")

    @guarded
    def action_prev_unread(self) -> None:
        self._jump_unread(-1, "above")

    def _jump_unread(self, step: int, where: str) -> None:
        papers = self.paper_list
        found = triage.next_unread(papers.ids, papers.cursor, self._is_read, step)
        if found is None:
            self.notify(f"No unread papers {where}.", timeout=3)
        else:
            papers.move_to(found)

    @guarded
    def action_read_all_shown(self) -> None:
        ids = self.paper_list.ids
        after = {pid: triage.read(self.library.mark(pid)) for pid in ids}
        unread = sum(1 for pid in ids if not self._is_read(pid))
        if not unread:
            self.notify("Every paper shown is already read.", timeout=3)
            return
        noun = "paper" if unread == 1 else "papers"
        if self.apply_marks(f"marked {unread:,} {noun} read", after):
            self.notify(f"Marked {unread:,} {noun} read. u undoes it.", timeout=4)

    @guarded
    def action_undo(self) -> None:
        change = self.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        try:
            self.library.set_marks(change.before)
        except StateError as error:
            self.undo_stack.push(change)
            self.notify(f"Undo not saved: {error}", severity="error", timeout=10, markup=False)
            self.marks_changed()
            return
        self.marks_changed()
        if change.single:
            self.paper_list.select(change.single)
        self.notify(f"Undone: {change.label}.", timeout=3)

    @guarded
    def action_reload_marks(self) -> None:
        self.reload_marks(announce="Marks reloaded.")

    def reload_marks(self, announce: str) -> None:
        try:
            self.library.reload_marks()
        except StateError as error:
            self.notify(f"Cannot reload marks: {error}", severity="error", timeout=10, markup=False)
            return
        self.marks_changed()
        self.notify(announce, timeout=3)
