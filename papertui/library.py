"""The facade: one Library owns the sources, the catalog, the index and the marks.

The UI and the CLI use only this class; neither talks to Whoosh or SQLite.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from papertui import builder, index, paths
from papertui.catalog import SEPARATOR, Catalog, library_files, read_cached, stamp
from papertui.errors import PapertuiError, QueryError, SourceError
from papertui.highlight import NO_HIGHLIGHTS, Highlights
from papertui.merge import Merger
from papertui.models import Paper, is_arxiv_id
from papertui.query import ParsedQuery, split, to_whoosh
from papertui.sources.base import Skipped, summarise
from papertui.state import NO_MARK, Mark, StateStore

Progress = Callable[[int, int], None]
SORTS = ("list", "title", "date")


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits of one query: ids in display order, and what to highlight."""

    query: str
    ids: list[str]
    highlights: Highlights = NO_HIGHLIGHTS
    ranked: bool = False


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

    @property
    def summary(self) -> str:
        """The one-line ingest report, or the error."""
        if self.error:
            return self.error
        line = summarise(self.name, self.entries, self.papers, list(self.skipped))
        if self.new or self.merged:
            line += f"; {self.new} added, {self.merged} merged with papers already there"
        return line


class IndexNotReady(QueryError):
    """A text query arrived before the index was built."""


class IndexProblem(PapertuiError):
    """The index on disk cannot be opened; it is rebuilt."""


def _source_name(path: str) -> str:
    return os.path.basename(path)


def _load_sources(files: list[str]) -> tuple[list[Source], Merger]:
    """Parse (or load cached parses of) every file and merge their papers."""
    merger = Merger()
    sources: list[Source] = []
    cache = paths.cache_dir() / "parsed"
    for path in files:
        name = _source_name(path)
        try:
            parsed = read_cached(path, cache)
        except SourceError as error:
            sources.append(Source(name, path, error=str(error)))
            continue
        before, merged_before = len(merger.order), merger.merged
        merger.add_all(parsed.papers)
        sources.append(Source(
            name, path, parsed.format, parsed.title, parsed.date, parsed.entries,
            len(parsed.papers), tuple(parsed.skipped),
            new=len(merger.order) - before, merged=merger.merged - merged_before,
        ))
    return sources, merger


class Library:
    """The papers of every source, their marks, and search over them."""

    def __init__(self, sources: list[Source], store: StateStore, catalog: Catalog) -> None:
        self.sources = sources
        self._store = store
        self._catalog = catalog
        self._index_dir = paths.index_dir()
        self._index: index.PaperIndex | None = None
        self._index_lock = threading.Lock()
        # A preview (see open()) holds the first papers only, and has no index.
        self.pending = False
        self.stale: list[str] = []
        self.notices: list[str] = [s.error for s in sources if s.error]
        if store.moved_aside:
            self.notices.append(
                f"The marks database was unreadable; it was moved to {store.moved_aside}"
                " and a fresh one started."
            )
        self.ids, self.titles = catalog.ids_and_titles()
        self._position = {pid: pos for pos, pid in enumerate(self.ids)}
        self._columns: dict[str, dict] = {}
        self._marks: dict[str, Mark] = store.all()
        if self._adopt_aliases():
            self._marks = store.all()
        self._data_version = store.data_version()

    # Loading --------------------------------------------------------------

    @classmethod
    def load(cls, seed: Path | None = None) -> "Library":
        """Open the user's library: the bundled seed (or ``seed``) plus every added source."""
        store = StateStore.open(paths.state_db())
        files = library_files(store.source_paths(), seed)
        fingerprint = [stamp(f) for f in files]
        try:
            paths.cache_dir().mkdir(parents=True, exist_ok=True)
            catalog = Catalog(paths.cache_dir() / "catalog.db")
            if catalog.is_current(fingerprint):
                sources = [Source(**{**s, "skipped": tuple(Skipped(**k) for k in s["skipped"])})
                           for s in json.loads(catalog.meta("sources") or "[]")]
            else:
                sources, merger = _load_sources(files)
                catalog.replace(((merger.papers[i], merger.keys[i]) for i in merger.order),
                                fingerprint, sources=json.dumps([asdict(s) for s in sources]))
        except (OSError, sqlite3.Error) as error:  # a read-only or full disk
            store.close()
            reason = getattr(error, "strerror", None) or str(error)
            message = f"cannot write the cache in {paths.cache_dir()}: {reason}"
            raise PapertuiError(message) from None
        return cls(sources, store, catalog)

    @classmethod
    def open(cls, seed: Path | None = None) -> "Library":
        """The library at once: loaded, when its catalog is current; else a preview.

        A preview is ``pending``: it holds the first papers of each source and
        cannot search text. Its ``load_rest()`` gives the full library.
        """
        from papertui import loader

        return loader.preview(seed) or cls.load(seed)

    def load_rest(self) -> "Library":
        """Read every source in a child process, then return the full library.

        Its notices carry the ingest report of each source that was read again.
        Blocks for seconds on a large source: call it off the UI's event loop.
        """
        from papertui import loader

        seed = Path(self.sources[0].path)
        loader.load_in_child(seed)
        full = Library.load(seed)
        added = full.sources[1:]  # the bundled seed's report would only be noise
        full.notices.extend(s.summary for s in added if s.path in self.stale and not s.error)
        return full

    def _adopt_aliases(self) -> bool:
        """Move marks made on a title key to the arXiv id that paper now has; True if any moved."""
        pairs = []
        for pid in self._marks:
            if pid not in self._position and not is_arxiv_id(pid):
                target = self._catalog.id_for_title_key(pid)
                if target and is_arxiv_id(target):
                    pairs.append((pid, target))
        self._store.add_aliases(pairs)
        return bool(pairs)

    @property
    def name(self) -> str:
        """What is shown: "Daily Papers · Aug 13" for one list, else "All papers"."""
        loaded = [s for s in self.sources if not s.error]
        if len(loaded) == 1:
            only = loaded[0]
            label = only.title or only.name
            return f"{label} · {only.date}" if only.date else label
        return "All papers"

    def __len__(self) -> int:
        return len(self.ids)

    def paper(self, paper_id: str) -> Paper:
        """The paper with this id (or a title key that aliases to it); KeyError if none."""
        paper = self._catalog.paper(paper_id) or self._catalog.paper(self.resolve(paper_id))
        if paper is None:
            raise KeyError(paper_id)
        return paper

    def resolve(self, paper_id: str) -> str:
        """The canonical id for an id or a title key."""
        if paper_id in self._position:
            return paper_id
        return self._catalog.id_for_title_key(paper_id) or self._store.resolve(paper_id)

    # Sources --------------------------------------------------------------

    def add_sources(self, files: Sequence[str], *, quick: bool = False) -> list[Source]:
        """Remember files as sources; return each one's ingest report.

        A file that cannot be read is reported and not added. Load the library
        again to see the new papers; the index then adds only theirs. ``quick``
        checks only the head of a large file and returns no reports but errors
        (the app shows the reports once it has read the files).
        """
        from papertui.loader import first_papers

        known = [s.path for s in self.sources]
        errors: dict[str, Source] = {}
        for file in files:
            path = os.path.abspath(file)
            try:
                if quick:
                    first_papers(path)
                else:
                    read_cached(path, paths.cache_dir() / "parsed")
            except SourceError as error:
                errors[path] = Source(_source_name(path), path, error=str(error))
                continue
            if path not in known:
                self._store.add_source(path)
                known.append(path)
        if quick:
            return [errors.get(p) or Source(_source_name(p), p) for p in map(os.path.abspath, files)]
        fresh = Library.load(seed=Path(self.sources[0].path))
        by_path = {s.path: s for s in fresh.sources}
        fresh.close()
        return [errors.get(p) or by_path[p] for p in map(os.path.abspath, files)]

    def remove_source(self, name: str) -> Source:
        """Forget an added source, by name or unique prefix; its papers' marks stay."""
        source = self._find_source(name, self.sources[1:])
        self._store.remove_source(source.path)
        return source

    def _find_source(self, prefix: str, among: Sequence[Source]) -> Source:
        exact = [s for s in among if s.name == prefix]
        matches = exact or [s for s in among if s.name.startswith(prefix)]
        if len(matches) != 1:
            names = ", ".join(s.name for s in among) or "none added"
            problem = "matches several sources" if matches else "matches no source"
            raise QueryError(f"{prefix!r} {problem} (sources: {names})")
        return matches[0]

    # Index ----------------------------------------------------------------

    def fingerprint(self) -> dict:
        """What the index must have been built from to be current."""
        return {"schema": index.SCHEMA_VERSION, "sources": [stamp(s.path) for s in self.sources]}

    @property
    def index_ready(self) -> bool:
        """True once text search is available."""
        return self._index is not None

    def index_is_current(self) -> bool:
        """True when an index built from these sources is on disk."""
        return index.read_fingerprint(self._index_dir) == self.fingerprint()

    def ensure_index(self, progress: Progress | None = None) -> bool:
        """Open the index, building or updating it in a child process first if needed.

        Returns True when the index was (re)built or updated. A damaged index is
        rebuilt, with a notice. Blocks; call it off the UI's event loop.
        """
        if self.pending:
            raise PapertuiError("the library is still loading; index it once it is loaded")
        with self._index_lock:
            if self._index is not None:
                return False
            built_before = builder.lock_file(self._index_dir).exists()
            with builder.build_lock(self._index_dir):
                built = self._bring_up_to_date(progress, built_before)
                try:
                    self._index = index.PaperIndex(self._index_dir)
                    if self._index.doc_count() != len(self.ids):
                        raise IndexProblem(f"it holds {self._index.doc_count()} papers")
                except Exception as error:
                    self._index = None
                    self.notices.append(f"The index was damaged ({error}); rebuilding it.")
                    self._build(progress)
                    self._index = index.PaperIndex(self._index_dir)
                    built = True
            return built

    def _bring_up_to_date(self, progress: Progress | None, built_before: bool = False) -> bool:
        interrupted = builder.clear_leftovers(self._index_dir)
        wanted = self.fingerprint()
        found = index.read_fingerprint(self._index_dir)
        if not (isinstance(found, dict) and isinstance(found.get("sources"), list)):
            found = None  # missing, or not a fingerprint this code ever wrote
        if found == wanted:
            return False
        if found and found.get("schema") == wanted["schema"] and self._index_dir.exists():
            old = {tuple(s) for s in found["sources"]}
            changed = {s[0] for s in wanted["sources"] if tuple(s) not in old}
            names = {_source_name(p) for p in changed}
            add = [index.doc_of(p) for p in self._catalog.papers()
                   if names.intersection(p.sources)]
            try:
                builder.run_in_child(
                    "update", self._index_dir, add, wanted, progress, keep=list(self.ids)
                )
                return True
            except builder.BuildError as error:
                self.notices.append(f"Updating the index failed ({error}); rebuilding it.")
        elif interrupted:
            self.notices.append("An earlier index build was interrupted; rebuilding the index.")
        elif found and found.get("schema") != wanted["schema"]:
            self.notices.append(f"The index was made by another version of papertui (index"
                                f" schema {found.get('schema')}); rebuilding it.")
        elif built_before and not index.exists(self._index_dir):  # the folder or its files
            self.notices.append(f"The index was missing ({self._index_dir}); rebuilding it.")
        self._build(progress)
        return True

    def _build(self, progress: Progress | None) -> None:
        docs = [index.doc_of(p) for p in self._catalog.papers()]
        builder.run_in_child("build", self._index_dir, docs, self.fingerprint(), progress)

    def invalidate_index(self) -> None:
        """Forget the index so that the next ensure_index() rebuilds it."""
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None
            index.forget(self._index_dir)

    # Search ---------------------------------------------------------------

    def search(self, query: str) -> SearchResult:
        """Every paper matching ``query``: ranked for text, list order otherwise.

        Raises QueryError (IndexNotReady before the index is open) and nothing else.
        """
        parsed = split(query)
        text_query = to_whoosh(parsed.text) if parsed.has_text else None
        if text_query is None or text_query.__class__.__name__ == "_NullQuery":
            return SearchResult(query, self._filter(self.ids, parsed))
        if self._index is None:
            raise IndexNotReady("text search is available once the index is built")
        try:
            ids = self._index.ranked_ids(text_query)
            highlights = Highlights.of(self._index.matched_terms(text_query))
        except Exception as error:  # Whoosh raises assorted errors on odd queries.
            raise QueryError(f"cannot run query: {error}") from None
        return SearchResult(query, self._filter(ids, parsed), highlights, ranked=True)

    def _filter(self, ids: Sequence[str], parsed: ParsedQuery) -> list[str]:
        names = [self._find_source(prefix, self.sources).name for prefix in parsed.sources]
        if not (parsed.read or parsed.starred or names):
            return list(ids)
        marks = self._marks
        keep = list(ids)
        for wanted in parsed.read:
            keep = [pid for pid in keep if marks.get(pid, NO_MARK).read == wanted]
        for wanted in parsed.starred:
            keep = [pid for pid in keep if marks.get(pid, NO_MARK).starred == wanted]
        if names:
            of = self._column("sources")
            keep = [pid for pid in keep if all(n in of[pid].split(SEPARATOR) for n in names)]
        return keep

    def _column(self, name: str) -> dict:
        if name not in self._columns:
            self._columns[name] = self._catalog.column(name)
        return self._columns[name]

    def sort(self, ids: Sequence[str], by: str) -> list[str]:
        """``ids`` in list order, by title, or newest first by date (unknown last)."""
        if by == "title":
            titles = dict(zip(self.ids, self.titles))
            return sorted(ids, key=lambda pid: titles[pid].casefold())
        if by == "date":
            dates = self._column("date")
            dated = sorted((pid for pid in ids if dates[pid]), key=dates.__getitem__, reverse=True)
            return dated + self.sort([pid for pid in ids if not dates[pid]], "list")
        return sorted(ids, key=self._position.__getitem__)

    def similar(self, paper_id: str, count: int = 5) -> list[str]:
        """Ids of the papers most like this one, by their abstracts."""
        if self._index is None:
            return []
        return self._index.similar(paper_id, self.paper(paper_id).abstract, count)

    # Marks ----------------------------------------------------------------

    def mark(self, paper_id: str) -> Mark:
        """The read and starred flags of a paper."""
        return self._marks.get(paper_id, NO_MARK)

    def set_marks(self, changes: dict[str, Mark]) -> None:
        """Save new marks, all in one transaction; StateError if they were not saved.

        Only the flags that differ from what this library shows are written, so a
        flag another process set meanwhile is kept, and shown from now on. The
        data version is not touched: our own commits do not change it, and
        resetting it here would hide another process's change from
        marks_changed_elsewhere().
        """
        seen = {pid: self._marks.get(pid, NO_MARK) for pid in changes}
        self._marks.update(self._store.set_changed(changes, seen))

    def counts(self) -> tuple[int, int, int]:
        """(papers, read, starred) over the whole library."""
        position = self._position
        read = sum(1 for pid, m in self._marks.items() if m.read and pid in position)
        starred = sum(1 for pid, m in self._marks.items() if m.starred and pid in position)
        return len(self.ids), read, starred

    def marks_changed_elsewhere(self) -> bool:
        """True when another process saved marks since we last looked."""
        return self._store.data_version() != self._data_version

    def reload_marks(self) -> None:
        """Re-read every mark from the store."""
        self._marks = self._store.all()
        self._data_version = self._store.data_version()

    def export_items(self, ids: Sequence[str]) -> list:
        """The papers to export, as ExportItems with their marks, in the given order."""
        from papertui.export import ExportItem

        items = []
        for pid in ids:
            mark = self.mark(pid)
            items.append(ExportItem(self.paper(pid), mark.read, mark.starred))
        return items

    def close(self) -> None:
        """Release the index, the catalog and the store."""
        if self._index:
            self._index.close()
            self._index = None
        self._catalog.close()
        self._store.close()

    @property
    def moved_aside(self) -> Path | None:
        """Where a damaged marks database was moved when the library was loaded, if it was."""
        return self._store.moved_aside

    def locations(self) -> dict[str, Path]:
        """Where the index, the state and the config live."""
        return {"index": self._index_dir, "state": self._store.path, "config": paths.config_file()}
