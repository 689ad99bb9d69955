"""The marks a library shows, kept with the read and starred ids as sets.

The sets make ``is:read`` and ``is:starred`` cost the number of marked papers,
not the size of the library; they change with every mark, so they never go stale.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping

from papertui.models import NO_MARK, Mark

_VERSIONS = itertools.count()


class MarkSets(Mapping[str, Mark]):
    """Marks by paper id (papers without a mark are absent), and who is read or starred."""

    def __init__(self, marks: Mapping[str, Mark] | None = None) -> None:
        self._marks: dict[str, Mark] = {}
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self.version = 0  # new with every change, unique across MarkSets
        self.update(marks or {})

    def get(self, paper_id: str, default: Mark = NO_MARK) -> Mark:
        """The paper's mark, or ``default``."""
        return self._marks.get(paper_id, default)

    def update(self, changes: Mapping[str, Mark]) -> None:
        """Take new marks for some papers (NO_MARK clears one)."""
        for pid, mark in changes.items():
            if mark == NO_MARK:
                self._marks.pop(pid, None)
            else:
                self._marks[pid] = mark
            (self.read.add if mark.read else self.read.discard)(pid)
            (self.starred.add if mark.starred else self.starred.discard)(pid)
        self.version = next(_VERSIONS)

    def __getitem__(self, paper_id: str) -> Mark:
        return self._marks[paper_id]

    def copy(self) -> dict[str, Mark]:
        """A plain dict of the marks as they are now."""
        return dict(self._marks)

    def __iter__(self) -> Iterator[str]:
        return iter(self._marks)

    def __len__(self) -> int:
        return len(self._marks)
