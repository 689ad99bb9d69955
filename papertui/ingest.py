"""Reading the library's files into the catalog, with each file's ingest report.

The catalog is reused while every file is unchanged. When only feed folders
changed or were added (a fetch), their papers are merged into it in place
(papertui.feed_merge); otherwise each file is parsed (or its cached parse
loaded), the papers are merged, and the catalog is replaced.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from papertui import ordering, paths
from papertui.catalog import Catalog, first_papers, library_files, read_cached, stamp
from papertui.errors import PapertuiError, QueryError, SourceError
from papertui.feed_merge import merge_into
from papertui.merge import Merger
from papertui.sources import formats
from papertui.sources.base import Skipped, source_label, source_name, summarise
from papertui.sources.feed_folder import is_feed_folder
from papertui.state import StateStore


@dataclass(frozen=True, slots=True)
class Source:
    """One file of the library and what reading it gave (or the error)."""

    name: str
    path: str
    format: str = ""
    title: str | None = None
    date: str | None = None
    entries: int = 0
    papers: int = 0
    skipped: tuple[Skipped, ...] = ()
    error: str | None = None
    new: int = 0
    merged: int = 0

    @classmethod
    def unread(cls, path: str, error: str | None = None) -> "Source":
        """A file not read (yet), or one that could not be: ``error`` says why."""
        return cls(source_name(path), path, error=error)

    @property
    def label(self) -> str:
        """What the source is shown as: "Daily Papers · Aug 13", else its file name."""
        return source_label(self.path, self.title, self.date)

    @property
    def summary(self) -> str:
        """The one-line ingest report, or the error."""
        if self.error:
            return self.error
        line = summarise(self.label, self.entries, self.papers, list(self.skipped))
        if self.new or self.merged:
            line += f"; {self.new} added, {self.merged} merged with papers already there"
        return line


def _read_all(files: list[str], damaged: list[Path]) -> tuple[list[Source], Merger]:
    """Parse (or load cached parses of) every file and merge their papers.

    Cached parses that cannot be read are added to ``damaged``."""
    merger = Merger()
    sources: list[Source] = []
    cache = paths.cache_dir() / "parsed"
    for path in files:
        try:
            parsed = read_cached(path, cache, damaged)
        except SourceError as error:
            sources.append(Source.unread(path, str(error)))
            continue
        before, merged_before = len(merger.order), merger.merged
        merger.add_all(parsed.papers)
        sources.append(Source(
            source_name(path), path, parsed.format, parsed.title, parsed.date, parsed.entries,
            len(parsed.papers), tuple(parsed.skipped),
            new=len(merger.order) - before, merged=merger.merged - merged_before,
        ))
    return sources, merger


def _listed(sources: list[Source], merger: Merger) -> list[str]:
    """The merged ids in list order: feed papers first, by day and upvotes (papertui.ordering)."""
    feeds = {s.name for s in sources if s.format == formats.FEED}
    papers = [merger.papers[pid] for pid in merger.order]
    rows = [(p.id, p.date, p.upvotes, not feeds.isdisjoint(p.sources)) for p in papers]
    return [merger.order[k] for k in ordering.list_order(rows)]


def _stored_sources(catalog: Catalog) -> list[Source]:
    """The sources' reports kept with the catalog."""
    return [Source(**{**s, "skipped": tuple(Skipped(**k) for k in s["skipped"])})
            for s in json.loads(catalog.meta("sources") or "[]")]


def _merged_in_place(catalog: Catalog, files: list[str], fingerprint: list,
                     damaged: list[Path]) -> list[Source] | None:
    """When only feed folders changed or were added since the catalog was stored, merge
    their papers into it in place (papertui.feed_merge); the sources, else None."""
    before = catalog.fingerprint()
    if not isinstance(before, list) or [s[0] for s in before] != files[:len(before)]:
        return None
    changed = [n for n, now in enumerate(fingerprint) if n >= len(before) or before[n] != now]
    sources = _stored_sources(catalog)
    if (not changed or len(sources) != len(before) or any(
            not is_feed_folder(files[n]) or (n < len(before) and sources[n].error)
            for n in changed)):
        return None
    cache = paths.cache_dir() / "parsed"
    try:
        parsed = {source_name(files[n]): read_cached(files[n], cache, damaged) for n in changed}
    except SourceError:
        return None  # the whole merge reports it
    sources += [Source.unread(files[n]) for n in changed if n >= len(before)]
    for n in changed:
        new = parsed[sources[n].name]
        sources[n] = Source(sources[n].name, files[n], new.format, new.title, new.date,
                            new.entries, len(new.papers), tuple(new.skipped),
                            new=sources[n].new, merged=sources[n].merged)
    feeds = {s.name for s in sources if s.format == formats.FEED}
    try:
        merged = merge_into(catalog, parsed, feeds)
        for n in changed:
            added, folded = merged.counts[sources[n].name]
            sources[n] = replace(sources[n], new=sources[n].new + added,
                                 merged=sources[n].merged + folded)
        catalog.update(before, [(p, p.title_key) for p in merged.papers.values()], merged.gone,
                       merged.listing, fingerprint, json.dumps([asdict(s) for s in sources]),
                       merged.arrived)
    except LookupError:  # another process changed the catalog: merge it whole
        return None
    return sources


def opening_notices(sources: Sequence[Source], store: StateStore, catalog: Catalog) -> list[str]:
    """What a library says as it opens: sources it could not read, a marks database moved
    aside, cache files rebuilt."""
    notices = [s.error for s in sources if s.error]
    if store.moved_aside:
        notices.append(f"The marks database was unreadable; it was moved to {store.moved_aside}"
                       " and a fresh one started.")
    if catalog.damaged:
        names = ", ".join(path.name for path in catalog.damaged)
        notices.append(f"Cache files could not be read ({names}); rebuilding them from the sources.")
    return notices


def open_catalog(store: StateStore, seed: Path | None) -> tuple[list[Source], Catalog]:
    """The sources of the library and the catalog of their papers, brought up to date.

    PapertuiError when the cache cannot be written (a read-only or full disk).
    """
    files = library_files(store.source_paths(), seed)
    fingerprint = [stamp(f) for f in files]
    try:
        paths.cache_dir().mkdir(parents=True, exist_ok=True)
        catalog = Catalog(paths.cache_dir() / "catalog.db")
        if catalog.is_current(fingerprint):
            sources = _stored_sources(catalog)
        elif (sources := _merged_in_place(catalog, files, fingerprint, catalog.damaged)) is None:
            sources, merger = _read_all(files, catalog.damaged)
            catalog.replace(((merger.papers[i], merger.keys[i]) for i in _listed(sources, merger)),
                            fingerprint, sources=json.dumps([asdict(s) for s in sources]),
                            feeds={s.name for s in sources if s.format == formats.FEED})
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise PapertuiError(f"cannot write the cache in {paths.cache_dir()}: {reason}") from None
    return sources, catalog


def remember_files(store: StateStore, files: Sequence[str], known: list[str], *,
                   quick: bool) -> dict[str, Source]:
    """Check that each file reads, and remember the new ones as sources (``known`` grows).

    ``quick`` reads only the head of a large file. Returns the files that could
    not be read, by absolute path, as unread Sources that say why.
    """
    errors: dict[str, Source] = {}
    for file in files:
        path = os.path.abspath(file)
        try:
            if quick:
                first_papers(path)
            else:
                read_cached(path, paths.cache_dir() / "parsed")
        except SourceError as error:
            errors[path] = Source.unread(path, str(error))
            continue
        if path not in known:
            store.add_source(path)
            known.append(path)
    return errors


def find_source(prefix: str, among: Sequence[Source]) -> Source:
    """The one source named ``prefix``, or whose name starts with it; QueryError naming
    the sources it matches (or all, when none) otherwise."""
    exact = [s for s in among if s.name == prefix]
    matches = exact or [s for s in among if s.name.startswith(prefix)]
    if len(matches) != 1:
        names = ", ".join(s.name for s in matches or among) or "none added"
        problem = "matches several sources" if matches else "matches no source"
        raise QueryError(f"{prefix!r} {problem} ({'they are' if matches else 'sources'}:"
                         f" {names})")
    return matches[0]


def removable_source(name: str, sources: Sequence[Source]) -> Source:
    """The added source ``name`` (or a unique prefix) names; the bundled list, first in
    ``sources``, cannot be removed (PapertuiError)."""
    bundled, added = sources[0], sources[1:]
    if name and not any(s.name.startswith(name) for s in added) and (
            bundled.name.startswith(name) or bundled.label.startswith(name)):
        raise PapertuiError(f"{bundled.label} is the bundled list: it cannot be removed")
    return find_source(name, added)
