"""The facade: one Library owns the sources, the index and the marks.

The UI and the CLI use only this class; neither talks to Whoosh or SQLite.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from papertui import builder, index, paths
from papertui.errors import PapertuiError, QueryError, SourceError
from papertui.highlight import NO_HIGHLIGHTS, Highlights
from papertui.merge import Merger
from papertui.models import Paper, is_arxiv_id
from papertui.query import ParsedQuery, split, to_whoosh
from papertui.sources import ParsedSource, read_source
from papertui.state import NO_MARK, Mark, StateStore

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits of one query: ids in display order, and what to highlight."""

    query: str
    ids: list[str]
    highlights: Highlights = NO_HIGHLIGHTS
    ranked: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    """One file of the library and what reading it gave."""

    name: str
    path: str
    parsed: ParsedSource | None
    error: str | None = None

    @property
    def summary(self) -> str:
        """The one-line ingest report, or the error."""
        if self.parsed is None:
            return f"{self.name}: {self.error}"
        return self.parsed.summary(self.name)


class IndexNotReady(QueryError):
    """A text query arrived before the index was built."""


def _stamp(path: str) -> list:
    try:
        info = os.stat(path)
    except OSError:
        return [path, None, None]
    return [path, info.st_size, info.st_mtime_ns]


class Library:
    """The papers of every source, their marks, and search over them."""

    def __init__(self, sources: list[Source], store: StateStore, index_dir: Path) -> None:
        self.sources = sources
        self._store = store
        self._index_dir = index_dir
        self._index: index.PaperIndex | None = None
        self._index_lock = threading.Lock()
        self.notices: list[str] = []
        if store.moved_aside:
            self.notices.append(
                f"The marks database was corrupt; it was moved to {store.moved_aside}"
                " and a fresh one started."
            )
        merger = Merger()
        for source in sources:
            if source.parsed:
                merger.add_all(source.parsed.papers)
        self.merged = merger.merged
        self._papers: dict[str, Paper] = merger.papers
        self.ids: list[str] = merger.order
        self._title_ids = merger.by_title
        self._adopt_aliases()
        self._marks: dict[str, Mark] = store.all()
        self._data_version = store.data_version()

    # Loading --------------------------------------------------------------

    @classmethod
    def load(cls, seed: Path | None = None) -> "Library":
        """Open the user's library: the bundled seed (or ``seed``) plus every added source."""
        store = StateStore.open(paths.state_db())
        files = [str(seed or paths.seed_file())] + store.source_paths()
        return cls([_read(path) for path in files], store, paths.index_dir())

    def _adopt_aliases(self) -> None:
        """Move marks made on a title key to the arXiv id that paper now has."""
        marked = [pid for pid in self._store.all() if not is_arxiv_id(pid)]
        pairs = [(key, self._title_ids[key]) for key in marked if is_arxiv_id(self._title_ids.get(key, ""))]
        self._store.add_aliases(pairs)

    @property
    def name(self) -> str:
        """What is shown: "Daily Papers · Aug 13" for one list, else "All papers"."""
        loaded = [s for s in self.sources if s.parsed]
        if len(loaded) == 1:
            parsed = loaded[0].parsed
            label = parsed.title or loaded[0].name
            return f"{label} · {parsed.date}" if parsed.date else label
        return "All papers"

    def __len__(self) -> int:
        return len(self.ids)

    def paper(self, paper_id: str) -> Paper:
        """The paper with this id (or a title key that aliases to it)."""
        return self._papers.get(paper_id) or self._papers[self.resolve(paper_id)]

    def resolve(self, paper_id: str) -> str:
        """The canonical id for an id or an old title key."""
        if paper_id in self._papers:
            return paper_id
        return self._title_ids.get(paper_id) or self._store.resolve(paper_id)

    # Index ----------------------------------------------------------------

    def fingerprint(self) -> dict:
        """What the index must have been built from to be current."""
        return {"schema": index.SCHEMA_VERSION, "sources": [_stamp(s.path) for s in self.sources]}

    @property
    def index_ready(self) -> bool:
        """True once text search is available."""
        return self._index is not None

    def index_is_current(self) -> bool:
        """True when an index built from these sources is on disk."""
        return index.read_fingerprint(self._index_dir) == self.fingerprint()

    def ensure_index(self, progress: Progress | None = None) -> bool:
        """Open the index, building it in a child process first if needed.

        Returns True when a build ran. Blocks; call it off the UI's event loop.
        """
        with self._index_lock:
            if self._index is not None:
                return False
            built = False
            with builder.build_lock(self._index_dir):
                if not self.index_is_current():
                    docs = [index.doc_of(self._papers[i]) for i in self.ids]
                    builder.build_in_child(self._index_dir, docs, self.fingerprint(), progress)
                    built = True
            self._index = index.PaperIndex(self._index_dir)
            return built

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
        if not parsed.has_text:
            return SearchResult(query, self._filter(self.ids, parsed))
        text_query = to_whoosh(parsed.text)
        if text_query.__class__.__name__ == "_NullQuery":
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
        wanted_sources = [self._source_name(prefix) for prefix in parsed.sources]
        if not (parsed.read or parsed.starred or wanted_sources):
            return list(ids)
        marks, papers = self._marks, self._papers

        def keep(pid: str) -> bool:
            mark = marks.get(pid, NO_MARK)
            if any(mark.read != wanted for wanted in parsed.read):
                return False
            if any(mark.starred != wanted for wanted in parsed.starred):
                return False
            return all(name in papers[pid].sources for name in wanted_sources)

        return [pid for pid in ids if keep(pid)]

    def _source_name(self, prefix: str) -> str:
        names = [s.name for s in self.sources]
        if prefix in names:
            return prefix
        matches = [n for n in names if n.startswith(prefix)]
        if len(matches) != 1:
            known = ", ".join(names)
            problem = "matches several sources" if matches else "matches no source"
            raise QueryError(f"source:{prefix} {problem} (sources: {known})")
        return matches[0]

    def similar(self, paper_id: str, count: int = 5) -> list[str]:
        """Ids of the papers most like this one, by their abstracts."""
        if self._index is None:
            return []
        return self._index.similar(paper_id, self._papers[paper_id].abstract, count)

    # Marks ----------------------------------------------------------------

    def mark(self, paper_id: str) -> Mark:
        """The read and starred flags of a paper."""
        return self._marks.get(paper_id, NO_MARK)

    def set_marks(self, changes: dict[str, Mark]) -> None:
        """Save new marks, all in one transaction; StateError if they were not saved."""
        self._store.set(changes)
        self._marks.update(changes)
        self._data_version = self._store.data_version()

    def counts(self) -> tuple[int, int, int]:
        """(papers, read, starred) over the whole library."""
        papers = self._papers
        read = sum(1 for pid, m in self._marks.items() if m.read and pid in papers)
        starred = sum(1 for pid, m in self._marks.items() if m.starred and pid in papers)
        return len(self.ids), read, starred

    def marks_changed_elsewhere(self) -> bool:
        """True when another process saved marks since we last looked."""
        return self._store.data_version() != self._data_version

    def reload_marks(self) -> None:
        """Re-read every mark from the store."""
        self._marks = self._store.all()
        self._data_version = self._store.data_version()

    def close(self) -> None:
        """Release the index and the store."""
        if self._index:
            self._index.close()
            self._index = None
        self._store.close()

    # Where things are ----------------------------------------------------

    def locations(self) -> dict[str, Path]:
        """Where the index, the state and the config live."""
        return {"index": self._index_dir, "state": self._store.path, "config": paths.config_file()}


def _read(path: str) -> Source:
    name = os.path.basename(path)
    try:
        return Source(name, path, read_source(path))
    except SourceError as error:
        return Source(name, path, None, str(error))
