"""The papers the user selected to act on at once, without Textual.

``v`` starts a range that follows the cursor, ``space`` toggles one paper and
``V`` takes every paper shown. The selection is a set of ids, so it stays put
when the list is searched or refreshed; a range ends when its first paper is
no longer shown. Every mark, tag and export action then applies to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from papertui.models import Mark
from papertui.reader import (CONFIRM_ABOVE,  # an action on more papers than this asks first
                             Notice, Outcome, Reader, next_unread)

_VERBS = {  # (flag, set or cleared): (what was done, what to ask first)
    ("starred", True): ("starred {}", "Star {}?"), ("starred", False): ("unstarred {}", "Unstar {}?"),
    ("read", True): ("marked {} read", "Mark {} read?"),
    ("read", False): ("marked {} unread", "Mark {} unread?"),
    ("decide", False): ("marked {} read", "Mark {} read?"),
    ("decide", True): ("starred and marked {} read", "Star and mark {} read?"),
}


def papers(count: int) -> str:
    """"1 paper", "3 papers"."""
    return f"{count:,} paper" + ("" if count == 1 else "s")


class Selection:
    """The selected ids, in the order they were chosen, and the range being drawn."""

    def __init__(self) -> None:
        self._chosen: dict[str, None] = {}
        self._anchor: str | None = None  # where the range started, while ``v`` draws one
        self._before: dict[str, None] = {}  # what was selected when the range started

    def __len__(self) -> int:
        return len(self._chosen)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._chosen

    def __iter__(self) -> Iterator[str]:
        return iter(self._chosen)

    @property
    def ranging(self) -> bool:
        """True while ``v`` draws a range that follows the cursor."""
        return self._anchor is not None

    def start_range(self, ids: Sequence[str], cursor: int) -> None:
        """Start a range at the cursor's paper (kept with what is selected); again: end it."""
        if self.ranging or not ids:
            self._anchor = None
            return
        self._anchor = ids[cursor]
        self._before = dict(self._chosen)
        self.follow(ids, cursor)

    def follow(self, ids: Sequence[str], cursor: int) -> bool:
        """Stretch the range from its start to the cursor; True when the selection changed."""
        if self._anchor is None or not ids:
            return False
        try:
            start = ids.index(self._anchor)
        except ValueError:  # its first paper is no longer shown: the range ends as it is
            self._anchor = None
            return False
        low, high = sorted((start, cursor))
        chosen = self._before | dict.fromkeys(ids[low:high + 1])
        changed = chosen.keys() != self._chosen.keys()
        self._chosen = chosen
        return changed

    def toggle(self, paper_id: str) -> None:
        """Select the paper, or leave it out when it is selected (a range stops growing)."""
        self._anchor = None
        if self._chosen.pop(paper_id, False) is False:
            self._chosen[paper_id] = None

    def select_all(self, ids: Iterable[str]) -> None:
        """Select every paper of ``ids``, as well as those already selected."""
        self._anchor = None
        self._chosen.update(dict.fromkeys(ids))

    def clear(self) -> None:
        self._anchor = None
        self._chosen = {}

    def in_order(self, shown: Sequence[str]) -> list[str]:
        """The selected ids in the list's order, then any selected paper no longer shown."""
        first = [pid for pid in shown if pid in self._chosen]
        seen = set(first)
        return first + [pid for pid in self._chosen if pid not in seen]


def question(template: str, count: int) -> str | None:
    """What to ask before acting on ``count`` papers ("Tag {}?"); None for a few papers."""
    return template.format(papers(count)) if count > CONFIRM_ABOVE else None


@dataclass(frozen=True, slots=True)
class MarkPlan:
    """Marks for many papers: what the undo log says, what to ask first, every paper's new mark."""

    label: str
    question: str | None
    after: dict[str, Mark]
    changed: int = -1  # how many papers it changes (-1: not counted)


def flip_marks(ids: Sequence[str], flag: str, mark_of: Callable[[str], Mark]) -> MarkPlan:
    """Set ``flag`` ("read" or "starred") on every paper, or clear it when every one has it."""
    marks = {pid: mark_of(pid) for pid in ids}
    value = not all(getattr(mark, flag) for mark in marks.values())
    changed = sum(1 for mark in marks.values() if getattr(mark, flag) != value)
    label, ask = _VERBS[flag, value]
    return MarkPlan(label.format(papers(changed)), question(ask, changed),
                    {pid: replace(mark, **{flag: value}) for pid, mark in marks.items()})


def read_plan(ids: Sequence[str], star: bool, mark_of: Callable[[str], Mark]) -> MarkPlan:
    """``x`` (``S`` with ``star``) on a selection: every paper read (and starred)."""
    marks = {pid: mark_of(pid) for pid in ids}
    after = {pid: Mark(read=True, starred=star or mark.starred) for pid, mark in marks.items()}
    changed = sum(1 for pid, mark in marks.items() if after[pid] != mark)
    label, ask = _VERBS["decide", star]
    return MarkPlan(label.format(papers(changed)), question(ask, changed), after, changed)


def decide_selected(reader: Reader, selection: Selection, plan: MarkPlan, shown: Sequence[str],
                    cursor: int) -> Outcome:
    """Save ``plan`` as one undoable change, clear the selection, and go to the next unread
    paper below the cursor; a failed save keeps the selection and the cursor."""
    problem = reader.apply(plan.label, plan.after)
    if problem is not None:
        return Outcome(True, notice=problem)
    selection.clear()
    said = f"{plan.label[:1].upper()}{plan.label[1:]}. u undoes it."
    if plan.changed == 0:
        starred = all(mark.starred for mark in plan.after.values())
        said = f"Every selected paper is already {'starred and ' if starred else ''}read."
    found = next_unread(shown, cursor, reader.is_read)
    if found is None:
        return Outcome(True, notice=Notice(f"{said} No unread papers below.", timeout=4))
    return Outcome(True, move_to=found, notice=Notice(said, timeout=4))
