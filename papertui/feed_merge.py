"""Merging the papers of changed feed folders into the stored catalog, in place.

A fetch changes only its feeds' folders. Merging the whole library again for
that costs seconds at 74k papers, so each paper of a changed folder is merged
instead into the stored paper it matches (same id, else same title key) by the
rules of papertui.merge, or added, and the list order is worked out again from
the catalog's narrow listing (papertui.ordering). A paper that a folder's
responses no longer hold stays until the library is next merged whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from papertui import ordering
from papertui.catalog import Catalog, Listed, listed
from papertui.merge import merge
from papertui.models import Paper
from papertui.sources.base import ParsedSource


def _text(paper: Paper) -> tuple:
    """What the index holds of a paper (the rest needs no re-indexing)."""
    return paper.title, paper.abstract, paper.authors


@dataclass
class Merged:
    """What merging some sources into a catalog changes, for Catalog.update."""

    papers: dict[str, Paper] = field(default_factory=dict)  # added or changed, by id
    gone: list[str] = field(default_factory=list)  # stored ids that became another id
    arrived: list[str] = field(default_factory=list)  # ids new here, or whose text changed
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # name: (added, merged)
    listing: list[Listed] = field(default_factory=list)


def merge_into(catalog: Catalog, parsed: Mapping[str, ParsedSource],
               feeds: AbstractSet[str]) -> Merged:
    """Merge the papers of ``parsed`` (by source name, in the library's order) into
    ``catalog``'s; ``feeds`` names every feed source. Writes nothing."""
    rows = catalog.listing()
    present = {row[0] for row in rows}
    wanted = [p.id for source in parsed.values() for p in source.papers if p.id in present]
    stored = catalog.papers_of(wanted)
    done = Merged()
    renamed: dict[str, str] = {}
    added_keys: dict[str, str] = {}  # title key -> id, of the papers added here
    for name, source in parsed.items():
        added = merged = 0
        for paper in source.papers:
            existing = paper.id if paper.id in done.papers or paper.id in present else (
                added_keys.get(paper.title_key) or _by_title(catalog, paper.title_key, present,
                                                            renamed))
            existing = renamed.get(existing, existing) if existing else None
            if existing is None:
                done.papers[paper.id] = paper
                added_keys.setdefault(paper.title_key, paper.id)
                added += 1
                continue
            old = done.papers.get(existing) or stored.get(existing) or catalog.paper(existing)
            if old is None:  # the catalog moved under us: a whole merge sorts it out
                raise LookupError(existing)
            merged += name not in old.sources
            combined = merge(old, paper)
            if combined == old:
                continue
            if combined.id != existing:
                done.papers.pop(existing, None)
                renamed[existing] = combined.id
            done.papers[combined.id] = combined
        done.counts[name] = (added, merged)
    before = {pid: stored.get(pid) or (catalog.paper(pid) if pid in present else None)
              for pid in done.papers}
    for old_id, new_id in renamed.items():
        if old_id in present:
            done.gone.append(old_id)
        before[new_id] = before.get(new_id) or stored.get(old_id) or catalog.paper(old_id)
    done.arrived = [pid for pid, paper in done.papers.items()  # what the index lacks
                    if pid not in present or before[pid] is None or _text(before[pid]) != _text(paper)]
    done.listing = _listing(rows, done.papers, renamed, feeds)
    return done


def _by_title(catalog: Catalog, key: str, present: AbstractSet[str],
              renamed: Mapping[str, str]) -> str | None:
    """The stored paper with this title key, under the id it has now."""
    found = catalog.id_for_title_key(key)
    found = renamed.get(found, found) if found else None
    return found if found in present or found in renamed.values() else None


def _listing(rows: list[Listed], papers: Mapping[str, Paper], renamed: Mapping[str, str],
             feeds: AbstractSet[str]) -> list[Listed]:
    """The new list order: the stored rows as they were (changed ones updated), then the
    papers added, sorted by papertui.ordering."""
    seen: set[str] = set()
    result: list[Listed] = []
    for row in rows:
        pid = renamed.get(row[0], row[0])
        if pid not in seen:
            seen.add(pid)
            result.append(listed(papers[pid], feeds) if pid in papers else row)
    result += [listed(paper, feeds) for pid, paper in papers.items() if pid not in seen]
    order = ordering.list_order([(pid, date, upvotes, fed) for pid, _, date, upvotes, fed in result])
    return [result[k] for k in order]
