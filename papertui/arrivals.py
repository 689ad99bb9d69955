"""What the index must take after the library's sources changed: the papers that arrived.

Comparing the catalog before and after a reload, only the papers of the changed
sources that are new, or whose indexed text changed (a merge gave a seed paper
its abstract), need indexing; the rest of a feed's folder is indexed already.
"""

from __future__ import annotations

from collections.abc import Collection

from papertui.catalog import Catalog
from papertui.models import Paper


def _text(paper: Paper) -> tuple:
    return paper.title, paper.abstract, paper.authors


def changed_ids(old: Catalog, new: Catalog, names: Collection[str]) -> set[str]:
    """The ids of ``new``'s papers from the sources ``names`` that ``old`` lacks, or holds
    with another title, abstract or authors."""
    wanted = set(names)
    changed = set()
    for paper in new.papers():
        if not wanted.isdisjoint(paper.sources):
            before = old.paper(paper.id)
            if before is None or _text(before) != _text(paper):
                changed.add(paper.id)
    return changed
