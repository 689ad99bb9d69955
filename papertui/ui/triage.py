"""Triage without Textual: mark changes, their undo stack, and finding unread papers.

Every user action that changes marks is one ``Change``; undoing it restores
the marks each paper had before, all at once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from papertui.state import Mark


@dataclass(frozen=True, slots=True)
class Change:
    """One action's marks: what each paper had before and has after."""

    label: str
    before: dict[str, Mark]
    after: dict[str, Mark]

    @property
    def single(self) -> str | None:
        """The paper's id when the change touched exactly one paper."""
        return next(iter(self.after)) if len(self.after) == 1 else None


def plan(label: str, after: dict[str, Mark], mark_of: Callable[[str], Mark]) -> Change | None:
    """The change that sets ``after``, leaving out papers already so; None if nothing changes."""
    before = {pid: mark_of(pid) for pid in after}
    after = {pid: mark for pid, mark in after.items() if before[pid] != mark}
    if not after:
        return None
    return Change(label, {pid: before[pid] for pid in after}, after)


def toggled_read(mark: Mark) -> Mark:
    return Mark(read=not mark.read, starred=mark.starred)


def toggled_star(mark: Mark) -> Mark:
    return Mark(read=mark.read, starred=not mark.starred)


def read(mark: Mark) -> Mark:
    return Mark(read=True, starred=mark.starred)


def starred_and_read(mark: Mark) -> Mark:
    return Mark(read=True, starred=True)


class UndoStack:
    """The most recent changes, newest last; old ones fall off past ``limit``."""

    def __init__(self, limit: int = 1000) -> None:
        self._changes: deque[Change] = deque(maxlen=limit)

    def push(self, change: Change) -> None:
        self._changes.append(change)

    def pop(self) -> Change | None:
        return self._changes.pop() if self._changes else None

    def __len__(self) -> int:
        return len(self._changes)


def next_unread(
    ids: Sequence[str], start: int, is_read: Callable[[str], bool], step: int = 1
) -> int | None:
    """The index of the first unread paper after ``start`` going ``step`` (+1 or -1)."""
    index = start + step
    while 0 <= index < len(ids):
        if not is_read(ids[index]):
            return index
        index += step
    return None
