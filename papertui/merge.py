"""One paper from many sources: duplicates are matched and their fields merged.

Two records are the same paper when they share an arXiv id (any version) or a
normalised title. The merged paper has the longest non-empty title and
abstract, the longest author list, the finer date when one date refines the
other (``2026-06-04`` refines ``2026-06``), else the earliest, the first known
URL, GitHub repo and project page, the most upvotes, the categories and sources
of both, and the union of the extra metadata (earlier sources win on conflicting
keys). Its id is the arXiv id when either record has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from papertui.models import Paper, is_arxiv_id


def _longest(a: str, b: str) -> str:
    return b if len(b) > len(a) else a


def merged_date(a: str | None, b: str | None) -> str | None:
    """The finer of two ISO dates when one refines the other, else the earlier."""
    if not (a and b):
        return a or b
    coarse, fine = sorted((a, b), key=len)
    if fine.startswith(coarse + "-"):
        return fine
    return min(a, b)


def merge(a: Paper, b: Paper) -> Paper:
    """Merge two records of the same paper; ``a`` came first."""
    return Paper(
        id=a.id if is_arxiv_id(a.id) or not is_arxiv_id(b.id) else b.id,
        title=_longest(a.title, b.title),
        abstract=_longest(a.abstract, b.abstract),
        authors=b.authors if len(b.authors) > len(a.authors) else a.authors,
        date=merged_date(a.date, b.date),
        url=a.url or b.url,
        sources=a.sources + tuple(s for s in b.sources if s not in a.sources),
        extra={**b.extra, **a.extra},
        categories=tuple(dict.fromkeys(a.categories + b.categories)),
        upvotes=max((n for n in (a.upvotes, b.upvotes) if n is not None), default=None),
        github=a.github or b.github,
        project_page=a.project_page or b.project_page,
    )


@dataclass
class Merger:
    """Collects papers in order, folding duplicates into the first occurrence."""

    papers: dict[str, Paper] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    by_title: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # id -> title key of its title
    merged: int = 0
    _position: dict[str, int] = field(default_factory=dict)

    def add(self, paper: Paper) -> str:
        """Add one record; return the id it ended up under."""
        key = paper.title_key
        existing = paper.id if paper.id in self.papers else self.by_title.get(key)
        if existing is None:
            self._position[paper.id] = len(self.order)
            self.order.append(paper.id)
            self.papers[paper.id] = paper
            self.keys[paper.id] = key
            self.by_title.setdefault(key, paper.id)
            return paper.id
        self.merged += 1
        old = self.papers[existing]
        old_key = self.keys[existing]
        combined = merge(old, paper)
        if combined.id != existing:
            # A title-only paper learned its arXiv id: re-key it, keeping its place.
            del self.papers[existing], self.keys[existing]
            position = self._position.pop(existing)
            self.order[position] = combined.id
            self._position[combined.id] = position
            self.by_title[old_key] = combined.id
        self.papers[combined.id] = combined
        self.keys[combined.id] = old_key if combined.title == old.title else key
        self.by_title.setdefault(key, combined.id)
        return combined.id

    def add_all(self, papers: Iterable[Paper]) -> None:
        """Add records in order."""
        for paper in papers:
            self.add(paper)
