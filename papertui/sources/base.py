"""What every source parser returns."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from papertui.models import Paper


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that was not imported, with where it was and why."""

    where: str
    reason: str


@dataclass(slots=True)
class ParsedSource:
    """The papers read from one file, in the file's order, and what was skipped.

    ``title`` and ``date`` describe the list itself where the file says so,
    e.g. "Daily Papers" and "Aug 13".
    """

    path: str
    format: str
    papers: list[Paper] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    entries: int = 0
    title: str | None = None
    date: str | None = None

    def summary(self, name: str) -> str:
        """One line such as "d2l.bib: 488 entries, 470 papers, 18 skipped (no title: 12, ...)"."""
        line = f"{name}: {self.entries} entries, {len(self.papers)} papers"
        if self.skipped:
            reasons = Counter(s.reason for s in self.skipped)
            detail = ", ".join(f"{r}: {n}" for r, n in reasons.most_common())
            line += f", {len(self.skipped)} skipped ({detail})"
        return line
