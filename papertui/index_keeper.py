"""The index's lifecycle for a library: check, build or update, open, and forget it.

The library hands its keeper what the index must hold (the sources and the
catalog); the keeper decides whether the index on disk is current, updates or
rebuilds it in a child process, opens it, and holds the open PaperIndex under
its own lock. What went wrong on the way joins the library's notices.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from papertui import arrivals, index
from papertui.catalog import Catalog, stamp
from papertui.child import Progress
from papertui.errors import IndexProblem, PapertuiError
from papertui.index import checksums
from papertui.models import Paper
from papertui.sources.base import source_name


# An update adds papers through Whoosh's own writer, several times slower a paper
# than a bulk build (docs/performance.md): past this many papers, or this share
# of the library, a full build is faster.
UPDATE_ALWAYS = 2000
UPDATE_SHARE = 0.2


class _Source(Protocol):
    path: str


class IndexKeeper:
    """The index of one library's papers, in ``directory``; ``opened`` once it is open."""

    def __init__(self, directory: Path, notices: list[str],
                 notes: Callable[[], Mapping[str, str]] = dict) -> None:
        self.directory = directory
        self._notes = notes  # the user's notes are indexed with their papers
        self._notices = notices
        self._lock = threading.Lock()
        self.opened: index.PaperIndex | None = None
        self._sources: Sequence[_Source] = ()
        self._catalog: Catalog | None = None
        self._ids: Sequence[str] = ()
        self._arrived: tuple[dict, set[str]] | None = None

    def use(self, sources: Sequence[_Source], catalog: Catalog, ids: Sequence[str]) -> None:
        """Index these sources' papers from now on; an index open before is closed."""
        with self._lock:
            self._close()
            self._arrived = self._arrivals(sources, catalog)
            self._sources, self._catalog, self._ids = sources, catalog, ids

    def _arrivals(self, sources: Sequence[_Source], catalog: Catalog) -> tuple[dict, set[str]] | None:
        """When the index holds the catalog being replaced: its fingerprint, and the ids
        of the new catalog that it lacks or holds with other text (papertui.arrivals)."""
        if self._catalog is None or catalog.arrivals() is not None:  # merged in place: kept
            return None
        before = {"schema": index.SCHEMA_VERSION, "sources": self._catalog.fingerprint()}
        try:
            if index.read_fingerprint(self.directory) != before:
                return None
        except index.UnreadableFingerprint:
            return None
        old = {tuple(s) for s in before["sources"]}
        names = {source_name(s.path) for s in sources if tuple(stamp(s.path)) not in old}
        return before, arrivals.changed_ids(self._catalog, catalog, names)

    def fingerprint(self) -> dict:
        """What the index must have been built from to be current."""
        return {"schema": index.SCHEMA_VERSION, "sources": [stamp(s.path) for s in self._sources]}

    def is_current(self) -> bool:
        """True when an index built from these sources is on disk."""
        try:
            return index.read_fingerprint(self.directory) == self.fingerprint()
        except index.UnreadableFingerprint:
            return False

    def ensure(self, progress: Progress | None = None) -> bool:
        """Open the index, building or updating it in a child process first if needed.

        Returns True when the index was (re)built or updated. A damaged index is
        rebuilt, with a notice. Blocks; call it off the UI's event loop.
        """
        with self._lock:
            if self.opened is not None:
                return False
            built_before = index.lock_file(self.directory).exists()
            with index.build_lock(self.directory):
                built = self._bring_up_to_date(progress, built_before)
                try:
                    self.opened = index.PaperIndex(self.directory)
                    if self.opened.doc_count() != len(self._ids):
                        raise IndexProblem(f"it holds {self.opened.doc_count()} papers")
                except Exception as error:  # whatever Whoosh raises on a damaged file
                    self._close()
                    self._rebuild_damaged(str(error), progress)
                    self.opened = index.PaperIndex(self.directory)
                    built = True
            return built

    def _bring_up_to_date(self, progress: Progress | None, built_before: bool = False) -> bool:
        interrupted = index.clear_leftovers(self.directory)
        wanted = self.fingerprint()
        try:
            found = index.read_fingerprint(self.directory)
        except index.UnreadableFingerprint as error:
            self._rebuild_damaged(str(error), progress)
            return True
        if found == wanted:
            return False
        if found and found.get("schema") == wanted["schema"] and self.directory.exists():
            try:
                self._update(found, wanted, progress)
                return True
            except index.BuildError as error:
                self._notices.append(f"Updating the index failed ({error}); rebuilding it.")
        elif interrupted:
            self._notices.append("An earlier index build was interrupted; rebuilding the index.")
        elif found and found.get("schema") != wanted["schema"]:
            self._notices.append(f"The index was made by another version of papertui (index"
                                 f" schema {found.get('schema')}); rebuilding it.")
        elif built_before and not index.exists(self.directory):  # the folder or its files
            self._notices.append(f"The index was missing ({self.directory}); rebuilding it.")
        self._build(progress)
        return True

    def _update(self, found: dict, wanted: dict, progress: Progress | None) -> None:
        """Update the index in place, or build it afresh when so many papers change that
        a build is faster; BuildError when the index cannot be read or updated.

        After a merge in place from the catalog the index holds, the papers to
        (re)index are the arrivals it kept (only they are read). Otherwise they are
        those the index lacks (a paper whose id changed when a source went away)
        and those that arrived since the catalog it was built from, else every
        paper of a changed source. Papers the index holds but the library does not
        are deleted.
        """
        arrived = self._arrivals_to_add(found)
        if arrived is not None and self._catalog:
            # Only the arrivals are read, and the child finds the papers that went (CPU
            # work in this thread would hold up the UI's).
            by_id = self._catalog.papers_of(arrived)
            changed = [by_id[pid] for pid in arrived if pid in by_id]
            index.update_in_child(self.directory, self._docs(changed), self._ids, wanted, progress)
            return
        old = {tuple(s) for s in found["sources"]}
        names = {source_name(s[0]) for s in wanted["sources"] if tuple(s) not in old}
        try:
            held = index.indexed_ids(self.directory)
        except Exception as error:  # whatever Whoosh raises on a damaged file
            raise index.BuildError(f"cannot read the index: {error}") from None
        stale = len(held.difference(self._ids))
        papers = self._papers(progress)
        if self._arrived is not None and self._arrived[0] == found:
            arrived = self._arrived[1]  # compared with the catalog the index was built from
            changed = [p for p in papers if p.id not in held or p.id in arrived]
        else:
            changed = [p for p in papers if p.id not in held or names.intersection(p.sources)]
        if len(changed) + stale > self._most_to_update():
            self._build(progress, papers)
        else:
            index.update_in_child(self.directory, self._docs(changed), self._ids, wanted, progress)

    def work_to_do(self) -> str:
        """What bringing the index up to date takes: "current" (nothing), "arrivals" (adding
        the papers a merge in place brought, a fetch: seconds) or "build" (a build, or an
        update that reads the sources)."""
        try:
            found = index.read_fingerprint(self.directory)
        except index.UnreadableFingerprint:
            return "build"
        if found == self.fingerprint():
            return "current"
        return "arrivals" if self._arrivals_to_add(found) is not None else "build"

    def _arrivals_to_add(self, found: dict | None) -> list[str] | None:
        """The papers to add when the catalog was merged in place from the one the index
        (fingerprint ``found``) holds, few enough to add in place; else None."""
        kept = self._catalog.arrivals() if self._catalog else None
        if not (kept and found and {"schema": found.get("schema"), "sources": kept[0]} == found):
            return None
        arrived = [pid for pid in self._ids if pid in kept[1]]
        return arrived if len(arrived) <= self._most_to_update() else None

    def _most_to_update(self) -> int:
        return int(max(UPDATE_ALWAYS, UPDATE_SHARE * len(self._ids)))

    def verify(self, progress: Progress | None = None) -> bool:
        """Check the open index's files against the checksums recorded at each commit;
        when one does not match, rebuild the index, with a notice, and search the new one.

        Returns True when it rebuilt. Reads every file of the index (about a
        second at 74k papers): call it off the UI's event loop, after the first paint.
        """
        if self.opened is None or checksums.verify(self.directory) is None:
            return False
        with self._lock, index.build_lock(self.directory):
            with checksums.held(self.directory):  # not a commit caught half-way
                reason = checksums.verify(self.directory) if self.opened else None
            if reason is None:
                return False
            self._rebuild_damaged(reason, progress)
            # The damaged index serves searches until the new one is open.
            damaged, self.opened = self.opened, index.PaperIndex(self.directory)
            damaged.close()
            return True

    def verify_in_background(self, done: Callable[[bool], None] = lambda rebuilt: None) -> None:
        """verify() in a thread of its own, then ``done(rebuilt)``; a failed rebuild
        joins the notices (``done(False)``)."""
        def run() -> None:
            try:
                rebuilt = self.verify()
            except PapertuiError as error:
                self._notices.append(f"Rebuilding the damaged index failed: {error}")
                rebuilt = False
            done(rebuilt)

        threading.Thread(target=run, name="index-checksums", daemon=True).start()

    def _rebuild_damaged(self, reason: str, progress: Progress | None) -> None:
        if not self._catalog or not self._catalog.damaged:  # else the cache's notice said it
            self._notices.append(f"The index was damaged ({reason}); rebuilding it.")
        self._build(progress)

    def _build(self, progress: Progress | None, papers: list[Paper] | None = None) -> None:
        docs = self._docs(self._papers(progress) if papers is None else papers)
        index.build_in_child(self.directory, docs, self.fingerprint(), progress)

    def _docs(self, papers: list[Paper]) -> list[index.Doc]:
        notes = self._notes()
        return [index.doc_of(p, notes.get(p.id, "")) for p in papers]

    def _papers(self, progress: Progress | None) -> list[Paper]:
        """Every paper of the catalog, read with progress ("reading")."""
        if self._catalog is None:
            raise PapertuiError("the index has no papers to hold yet")
        total, papers = len(self._ids), []
        for papers_read, paper in enumerate(self._catalog.papers(), start=1):
            papers.append(paper)
            if progress and papers_read % 5000 == 0:
                progress(papers_read, total, "reading")
        if progress:
            progress(len(papers), total, "reading")
        return papers

    def update_note(self, paper: Paper, note: str) -> None:
        """Re-index one paper whose note changed, in the open index or the current one on disk
        (a build to come reads the note anyway)."""
        fields = index.fields_of(index.doc_of(paper, note))
        with self._lock:
            if self.opened is not None:
                self.opened.replace(fields)
            elif self.is_current():
                on_disk = index.PaperIndex(self.directory)
                try:
                    on_disk.replace(fields)
                finally:
                    on_disk.close()

    def invalidate(self) -> None:
        """Forget the index so that the next ensure() rebuilds it."""
        with self._lock:
            self._close()
            index.forget(self.directory)

    def close(self) -> None:
        """Close the open index, if any, without waiting for a build in progress."""
        self._close()

    def _close(self) -> None:
        if self.opened is not None:
            self.opened.close()
            self.opened = None
