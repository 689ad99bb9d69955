"""The facade: one Library owns the sources, the catalog, the index and the marks.

The UI and the CLI use only this class; neither talks to Whoosh or SQLite.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from pathlib import Path

from papertui import filters, ordering, paths, pdfs
from papertui.catalog import Catalog
from papertui.child import Progress
from papertui.errors import IndexNotReady, PapertuiError
from papertui.export import ExportItem
from papertui import feed_runs as feeds_run
from papertui.index_keeper import IndexKeeper
from papertui.ingest import (Source, find_source, open_catalog, opening_notices,
                             remember_files, removable_source)
from papertui.marksets import MarkSets
from papertui.models import NO_MARK, Mark, Paper, is_arxiv_id, normalise_id
from papertui.newness import CatchUp, Newness
from papertui.query import ParsedQuery, parse
from papertui.rekeying import follow_papers
from papertui.searching import Search, SearchResult, UnknownWord
from papertui.recommend import ForYou
from papertui import state_sync
from papertui.state import StateStore
from papertui.organising import Hooks, Organising

__all__ = ["IndexNotReady", "Library", "SearchResult", "Source", "UnknownWord"]


class Library:
    """The papers of every source, their marks, and search over them.

    A *preview* (see papertui.opening) is ``pending``: it holds the first papers
    of each source and cannot search text; ``stale`` lists the files it has yet
    to read whole.
    """

    def __init__(self, sources: list[Source], store: StateStore, catalog: Catalog, *,
                 pending: bool = False, stale: Sequence[str] = ()) -> None:
        self._store = store
        self.pending = pending
        self.stale = tuple(stale)
        self.notices: list[str] = opening_notices(sources, store, catalog)
        self._keeper = IndexKeeper(paths.index_dir(), self.notices,
                                   lambda: self.organise.organiser.notes())
        self._for_you = ForYou(lambda: self._keeper.opened, lambda: self._marks.copy(),
                               lambda: self._position, self.paper)
        self._newness = Newness(store.path)
        self.organise = Organising(store, Hooks(  # tags, notes, saved searches, hiding, undo
            self.mark, lambda marks: self.set_marks(marks), self.reload_marks, self._match,
            lambda text: self._match(text, with_hidden=True), self._shown,
            lambda: self._marks.read, self._newness.new_ids, self.paper, self._keeper.update_note,
            lambda: (id(self._keeper.opened), id(self.ids)), self._newness.undoers(store.connection),
            lambda: self._marks.version), self.notices)
        self._take(sources, catalog)

    def _take(self, sources: list[Source], catalog: Catalog) -> None:
        """Show these sources and papers (again, after sources were added)."""
        self.sources = sources
        self._catalog = catalog
        self.ids, self.titles = catalog.ids_and_titles()
        self._position = {pid: pos for pos, pid in enumerate(self.ids)}
        self._keeper.use(sources, catalog, self.ids)
        self._columns: dict[str, dict] = {}
        self._marks = MarkSets(self._store.all())
        self._counted: tuple[int, frozenset[str], tuple[int, int, int]] | None = None
        if follow_papers(self._store, catalog, self._position, self._marks):
            self.reload_marks()  # and the tags and notes that moved with them
        if not self.pending:
            self._newness.record(self.ids, json.dumps(catalog.fingerprint()))
        # After our own writes through other connections: they are not marks changed elsewhere.
        self._data_version = self._store.data_version()
        self._sort_keys = ordering.SortKeys(
            self._position, lambda: dict(zip(self.ids, self.titles)), lambda: self._column("date"),
            for_you=self._for_you.order, upvotes=lambda: self._column("upvotes"),
        )

    @classmethod
    def load(cls, seed: Path | None = None, *, report: Collection[str] = ()) -> "Library":
        """Open the user's library: the bundled seed (or ``seed``) plus every added source.

        The ingest report of each added source whose path is in ``report`` (files
        read again) joins the notices.
        """
        store = StateStore.open(paths.state_db())
        try:
            sources, catalog = open_catalog(store, seed)
        except PapertuiError:
            store.close()
            raise
        library = cls(sources, store, catalog)
        library.notices.extend(s.summary for s in sources[1:] if s.path in report and not s.error)
        return library

    @property
    def name(self) -> str:
        """What is shown: "Daily Papers · Aug 13" for one list, else "All papers"."""
        loaded = [s for s in self.sources if not s.error]
        if len(loaded) == 1:
            return loaded[0].label
        return "All papers"

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._position

    def paper(self, paper_id: str) -> Paper:
        """The paper with this id (or a title key that aliases to it); KeyError if none."""
        paper = self._catalog.paper(paper_id) or self._catalog.paper(self.resolve(paper_id))
        if paper is None:
            raise KeyError(paper_id)
        return paper

    def resolve(self, paper_id: str) -> str:
        """The canonical id for an id in any form a user may paste (``arXiv:2505.15270``,
        ``2505.15270v2``, an arXiv URL) or a title key; as given when no paper has it."""
        given = normalise_id(paper_id)
        if given in self._position:
            return given
        return self._catalog.id_for_title_key(given) or self._store.resolve(given)

    # Sources --------------------------------------------------------------

    def add_sources(self, files: Sequence[str], *, quick: bool = False) -> list[Source]:
        """Remember files as sources; return each one's ingest report.

        A file that cannot be read is reported and not added. The library then
        shows the new papers; the index, brought up again, adds only theirs.
        ``quick`` checks only the head of a large file and returns no reports but
        errors, and the new papers show once the library is opened again (the app
        shows the reports once it has read the files).
        """
        errors = remember_files(self._store, files, [s.path for s in self.sources], quick=quick)
        if not quick:
            sources, catalog = open_catalog(self._store, Path(self.sources[0].path))
            old = self._catalog  # still open: the index keeper compares it with the new one
            self._take(sources, catalog)
            old.close()
        by_path = {s.path: s for s in self.sources}
        return [errors.get(p) or by_path.get(p) or Source.unread(p)
                for p in map(os.path.abspath, files)]

    def remove_source(self, name: str) -> Source:
        """Forget an added source, by name or unique prefix; its papers' marks stay."""
        source = removable_source(name, self.sources)
        self._store.remove_source(source.path)
        return source

    def source_labels(self) -> dict[str, str]:
        """How each source is shown ("Daily Papers · Aug 13"), by the name papers carry."""
        return {s.name: s.label for s in self.sources}

    # Index ----------------------------------------------------------------

    @property
    def index_ready(self) -> bool:
        """True once text search is available."""
        return self._keeper.opened is not None

    def index_is_current(self) -> bool:
        """True when an index built from these sources is on disk."""
        return self._keeper.is_current()

    def index_work(self) -> str:
        """What the index needs: "current", "arrivals" (only the papers a fetch merged in,
        seconds of work) or "build"."""
        return self._keeper.work_to_do()

    def ensure_index(self, progress: Progress | None = None) -> bool:
        """Open the index, building or updating it in a child process first if needed.

        Returns True when the index was (re)built or updated. A damaged index is
        rebuilt, with a notice. Blocks; call it off the UI's event loop.
        """
        if self.pending:
            raise PapertuiError("the library is still loading; index it once it is loaded")
        return self._keeper.ensure(progress)

    def invalidate_index(self) -> None:
        """Forget the index so that the next ensure_index() rebuilds it."""
        self._keeper.invalidate()

    def verify_index(self, done: Callable[[bool], None] = lambda rebuilt: None) -> None:
        """Check the open index against its checksums in a thread, after the first paint;
        a damaged index is rebuilt with a notice, then ``done(rebuilt)``."""
        self._keeper.verify_in_background(done)

    # Search ---------------------------------------------------------------

    def search(self, text: str, order: str | None = None, limit: int | None = None, *,
               correct: bool = False, cancelled: Callable[[], bool] | None = None,
               ) -> SearchResult:
        """The papers matching a filter-bar query, in ``order`` (None: relevance for text,
        else list order); see papertui.searching for ``limit`` (the first screen),
        ``correct`` (did you mean) and ``cancelled``. A query that is only an arXiv id, in
        any form, finds its paper. QueryError, IndexNotReady, SearchCancelled."""
        if is_arxiv_id(named := normalise_id(text)) and len(text.split()) == 1:
            return SearchResult(text, [named] if named in self._position else [],
                                order=ordering.effective(order, False))
        return Search(self._keeper.opened, self._filter, self._sort_keys).run(
            text, order, limit, correct=correct, cancelled=cancelled)

    def _filter(self, ids: Sequence[str] | None, parsed: ParsedQuery,
                with_hidden: bool = False) -> list[str]:
        kept = filters.apply(self._context(), ids, parsed.filters)
        if with_hidden or any(f.key == "is:hidden" for f in parsed.filters):
            return kept
        hidden = self.organise.hidden()  # hide rules keep papers out of every other result
        return [pid for pid in kept if pid not in hidden] if hidden else kept

    def _context(self) -> filters.Context:
        return filters.Context(
            self.ids, self._position, self._marks.read, self._marks.starred, self._column,
            lambda prefix: find_source(prefix, self.sources).name,
            self._newness.new_ids, self._newness.entered, time.time(),
            {"organiser": self.organise.organiser, "hidden": self.organise.hidden})

    def _match(self, text: str, with_hidden: bool = False) -> AbstractSet[str]:
        """The ids a query finds, unranked and by set operations (for counts and hide rules)."""
        parsed, opened = parse(text), self._keeper.opened
        if parsed.text is not None and opened is None:
            raise IndexNotReady("text search is available once the index is built")
        ids = None if parsed.text is None else opened.matching_ids(parsed.text)
        kept = filters.matching(self._context(), ids, parsed.filters)
        shown_all = with_hidden or any(f.key == "is:hidden" for f in parsed.filters)
        hidden = () if shown_all else self.organise.hidden()
        return kept - hidden if hidden else kept

    def _shown(self, paper_id: str) -> bool:
        return paper_id in self._position and paper_id not in self.organise.hidden()

    def _column(self, name: str) -> dict:
        if name not in self._columns:
            self._columns[name] = self._catalog.column(name)
        return self._columns[name]

    def similar(self, paper_id: str, count: int = 5) -> list[str]:
        """Ids of the papers most like this one, by their abstracts."""
        opened = self._keeper.opened
        if opened is None:
            return []
        return opened.similar(paper_id, self.paper(paper_id).abstract, count)

    # For you --------------------------------------------------------------

    def refresh_for_you(self) -> bool:
        """Build the "for you" model if the stars or reads changed; False without stars or an
        index. Tens of ms at 74k papers (tenths the first time): run it in a worker."""
        return self._for_you.model() is not None

    def for_you_status(self) -> str | None:
        """Why "for you" shows list order (nothing starred, no index yet); None when it ranks."""
        return self._for_you.status()

    def why(self, paper_id: str) -> list[str]:
        """The three words a paper shares most with the stars (none before the model is built)."""
        return self._for_you.why(paper_id)

    # PDFs -----------------------------------------------------------------

    def pdf_path(self, paper_id: str) -> Path | None:
        """The paper's downloaded PDF, None if it was not downloaded."""
        return pdfs.downloaded(paper_id)

    def download_pdf(self, paper_id: str, progress: pdfs.Progress | None = None,
                     cancel: Callable[[], bool] | None = None) -> Path:
        """The paper's PDF, downloaded unless kept; PdfError, Cancelled. Blocks: use a worker."""
        return pdfs.fetch(self.paper(paper_id), progress, cancel)

    def open_pdf(self, paper_id: str, progress: pdfs.Progress | None = None,
                 cancel: Callable[[], bool] | None = None) -> str:
        """Open the PDF (downloaded first if needed), or a DOI's landing page; what was opened."""
        return pdfs.open_paper(self.paper(paper_id), progress, cancel)

    # Feeds and what is new ------------------------------------------------

    def fetch_feeds(self, names: Sequence[str] | None = None,
                    progress: feeds_run.FeedProgress | None = None, *, index: bool = True,
                    ) -> feeds_run.FetchSummary:
        """Fetch the feeds (or those named; BadFeed for an unknown one), then show what arrived
        and index only that (``index`` False: at the next ensure_index()). Blocks: use a worker."""
        chosen, before = feeds_run.configured(names), set(self.ids)
        reports = feeds_run.fetch_feeds(chosen, progress)
        if changed := feeds_run.changed_folders(chosen, self._catalog.fingerprint()):
            self.add_sources(changed)
            if index and not self.pending:
                self.ensure_index()
        return feeds_run.FetchSummary(reports, sum(pid not in before for pid in self.ids))

    def fetch_due(self) -> bool:
        """True when feeds exist and one was last fetched longer ago than ``auto_fetch``."""
        return feeds_run.due()

    def offers_upvotes(self, ids: Sequence[str]) -> bool:
        """True when a paper among ``ids`` has upvotes: ``o`` then offers that order."""
        return any(map(self._column("upvotes").get, ids))

    def begin_session(self) -> None:
        """Call once as the app starts: new papers stay new for one whole session."""
        self._newness.begin_session()
        self._data_version = self._store.data_version()  # our own write, not another process's

    def new_count(self) -> int:
        """How many papers are new (``is:new``)."""
        return len(self._position.keys() & self._newness.new_ids())

    def catch_up(self) -> CatchUp:
        """Nothing is new any more (marks are untouched); undo_catch_up() or the undo log undoes it."""
        try:
            return self._newness.catch_up(log=self.organise.log)
        finally:  # written through another connection: not marks changed elsewhere
            self._data_version = self._store.data_version()

    def undo_catch_up(self) -> bool:
        """Undo the last catch-up; False when there was none to undo."""
        try:
            return self._newness.undo_catch_up() is not None
        finally:
            self._data_version = self._store.data_version()  # our own write

    # Marks ----------------------------------------------------------------

    def mark(self, paper_id: str) -> Mark:
        """The read and starred flags of a paper."""
        return self._marks.get(paper_id, NO_MARK)

    def set_marks(self, changes: dict[str, Mark]) -> None:
        """Save new marks in one transaction; StateError if they were not saved. Only flags
        that differ from what this library shows are written, so a flag another process set
        meanwhile is kept. The data version is left alone: resetting it would hide another
        process's change from marks_changed_elsewhere()."""
        seen = {pid: self._marks.get(pid, NO_MARK) for pid in changes}
        self._marks.update(self._store.set_changed(changes, seen))

    def counts(self) -> tuple[int, int, int]:
        """(papers, read, starred) over the whole library, hidden papers left out. The list's
        heading asks after every answer, and with thousands marked each count costs ms."""
        hidden, version = self.organise.hidden(), self._marks.version
        if self._counted is None or self._counted[0] != version or self._counted[1] is not hidden:
            here = self._position.keys()  # kept until the marks or the hidden papers change
            read = len((here & self._marks.read) - hidden)
            starred = len((here & self._marks.starred) - hidden)
            self._counted = (version, hidden, (len(self.ids) - len(hidden), read, starred))
        return self._counted[2]

    def marks_changed_elsewhere(self) -> bool:
        """True when another process saved marks since we last looked."""
        return self._store.data_version() != self._data_version

    def reload_marks(self) -> None:
        """Re-read every mark from the store."""
        self._marks = MarkSets(self._store.all())
        self._data_version = self._store.data_version()
        self.organise.organiser.reload()

    def export_items(self, ids: Sequence[str]) -> list[ExportItem]:
        """The papers to export, as ExportItems with their marks, in the given order; each
        paper's sources are named by their labels ("Daily Papers · Aug 13")."""
        items, labels = [], self.source_labels()
        for pid in ids:
            mark, paper = self.mark(pid), self.paper(pid)
            paper = replace(paper, sources=tuple(labels.get(n, n) for n in paper.sources))
            items.append(ExportItem(paper, mark.read, mark.starred,
                                    self.organise.tags_of(pid), self.organise.note(pid)))
        return items

    # State between machines -------------------------------------------------

    def export_state(self) -> str:
        """Every mark, tag, note and saved search as JSON Lines (see papertui.state_sync)."""
        return state_sync.export_state(self._store, self.organise.organiser)

    def import_state(self, text: str) -> state_sync.ImportReport:
        """Merge a state file: newest change wins; the index follows the changed notes."""
        report = state_sync.import_state(text, self._store, self.organise.organiser,
                                         lambda pid: pid in self._position)
        if report.note_ids and not self.index_ready and self.index_is_current():
            self.ensure_index()  # only opens it: the changed notes are indexed below
        self.reload_marks()
        self.organise.reload(report.note_ids)
        return report

    def close(self) -> None:
        """Release the index, the catalog and the store."""
        self._keeper.close()
        self._catalog.close()
        self._newness.close()
        self._store.close()

    @property
    def moved_aside(self) -> Path | None:
        """Where a damaged marks database was moved when the library was loaded, if it was."""
        return self._store.moved_aside

    def locations(self) -> dict[str, Path]:
        """Where the index, the state and the config live."""
        return {"index": self._keeper.directory, "state": self._store.path, "config": paths.config_file()}
