"""The catalog: the merged papers of every source, cached in SQLite for fast starts.

Parsing a large source takes seconds, so each parsed source is cached by its
file's size and mtime, and the merged library is stored in ``catalog.db`` in
the cache dir. A warm start reads only ids and titles; the rest of a paper is
read when it is shown. The list order is a narrow table of its own, so that a
merge in place (papertui.feed_merge) reorders the list without rewriting every
paper. Like the index, the catalog is derived data.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from pathlib import Path

from papertui import paths
from papertui.models import Paper
from papertui.errors import SourceError
from papertui.sources import ParsedSource, read_source
from papertui.sources.head import read_head

CATALOG_VERSION = 4
# Files up to this size are parsed whole for a preview; larger ones by their head.
WHOLE_FILE = 2 << 20
SEPARATOR = "\x1f"  # joins authors and sources in one column
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS papers (
    row INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL,
    title_key TEXT NOT NULL, abstract TEXT NOT NULL, authors TEXT NOT NULL,
    date TEXT, url TEXT, sources TEXT NOT NULL, extra TEXT NOT NULL,
    categories TEXT NOT NULL, upvotes INTEGER, github TEXT, project_page TEXT
);
CREATE TABLE IF NOT EXISTS listing (
    pos INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL,
    date TEXT, upvotes INTEGER, fed INTEGER NOT NULL
);
"""
_INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS papers_id ON papers (id);
CREATE INDEX IF NOT EXISTS papers_title_key ON papers (title_key);
"""


def stamp(path: str) -> list:
    """What identifies a version of a file: its path, size and mtime."""
    try:
        info = os.stat(path)
    except OSError:
        return [path, None, None]
    return [path, info.st_size, info.st_mtime_ns]


def library_files(source_paths: list[str], seed: Path | None) -> list[str]:
    """The files of the library: the bundled seed (or ``seed``), then the added sources."""
    return [str(seed or paths.seed_file())] + source_paths


def read_cached(path: str, cache: Path, damaged: list[Path] | None = None) -> ParsedSource:
    """Parse a source, or load its parse from the cache when the file is unchanged.

    A cached parse that cannot be read is parsed again, its file added to ``damaged``.
    """
    key = hashlib.sha1(path.encode()).hexdigest()[:16]
    cached = cache / f"{key}.pickle"
    current = [CATALOG_VERSION, *stamp(path)]  # a new Paper shape invalidates old parses
    try:
        with open(cached, "rb") as handle:
            saved_stamp, parsed, rows = pickle.load(handle)
        if saved_stamp == current:
            parsed.papers = [Paper(*row) for row in rows]
            return parsed
    except FileNotFoundError:
        pass
    except Exception:  # unpickling garbage can raise almost anything
        if damaged is not None:
            damaged.append(cached)
    parsed = read_source(path)
    # Papers go in as plain tuples: unpickling frozen dataclasses is five times slower.
    rows = [(p.id, p.title, p.abstract, p.authors, p.date, p.url, p.sources, p.extra,
             p.categories, p.upvotes, p.github, p.project_page) for p in parsed.papers]
    shell = dataclasses.replace(parsed, papers=[])
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".tmp-{os.getpid()}")
        with open(temporary, "wb") as handle:
            pickle.dump((current, shell, rows), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cached)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return parsed


def first_papers(path: str) -> list[Paper]:
    """The papers of a small file (its parse cached), or the first papers of a large one.

    SourceError when the file cannot be read or is in no known format.
    """
    try:  # a directory is small too, and read_source says what it is
        small = os.path.getsize(path) <= WHOLE_FILE
    except OSError:
        raise SourceError(path, "no such file") from None
    if small:
        return read_cached(path, paths.cache_dir() / "parsed").papers
    return read_head(path)


_COLUMNS = ("id, title, abstract, authors, date, url, sources, extra,"
            " categories, upvotes, github, project_page")
_INSERT = "INSERT INTO papers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
_LIST = "INSERT INTO listing VALUES (?,?,?,?,?,?)"
# A row of the listing, the list order: (id, title, date, upvotes, from a feed).
Listed = tuple[str, str, str | None, int | None, bool]


def _row(p: Paper, key: str) -> tuple:
    """The papers row of a paper (its row number chosen by SQLite)."""
    return (None, p.id, p.title, key, p.abstract, SEPARATOR.join(p.authors), p.date, p.url,
            SEPARATOR.join(p.sources), json.dumps(p.extra, default=str) if p.extra else "",
            SEPARATOR.join(p.categories), p.upvotes, p.github, p.project_page)


def listed(paper: Paper, feeds: AbstractSet[str]) -> Listed:
    """The listing row of a paper, given the names of the feed sources."""
    return (paper.id, paper.title, paper.date, paper.upvotes, not feeds.isdisjoint(paper.sources))


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(SEPARATOR)) if joined else ()


def _to_paper(row: tuple) -> Paper:
    return Paper(row[0], row[1], row[2], _split(row[3]), row[4], row[5], _split(row[6]),
                 json.loads(row[7]) if row[7] else {}, _split(row[8]), row[9], row[10], row[11])


class Catalog:
    """Read access to the merged papers, by id, with a small cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # The cache files found unreadable while opening or filling this catalog.
        self.damaged: list[Path] = []
        self._db = self._connect(path)
        self.paper = lru_cache(maxsize=4096)(self._paper)

    def _connect(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, check_same_thread=False)
        try:
            db.executescript(_TABLES + _INDEXES)
        except sqlite3.DatabaseError:
            # A damaged cache is thrown away: it is rebuilt from the sources.
            self.damaged.append(path)
            db.close()
            path.unlink(missing_ok=True)
            db = sqlite3.connect(path, check_same_thread=False)
            db.executescript(_TABLES + _INDEXES)
        return db

    @classmethod
    def in_memory(cls, papers: Iterable[tuple[Paper, str]]) -> "Catalog":
        """A throw-away catalog of some papers, in this order, for a preview."""
        catalog = cls(Path(":memory:"))
        catalog._write(catalog._db, papers, frozenset())
        return catalog

    @staticmethod
    def _write(db: sqlite3.Connection, papers: Iterable[tuple[Paper, str]],
               feeds: AbstractSet[str]) -> None:
        rows, listing = [], []
        for pos, (paper, key) in enumerate(papers):
            rows.append(_row(paper, key))
            listing.append((pos, *listed(paper, feeds)))
        db.executemany(_INSERT, rows)
        db.executemany(_LIST, listing)

    def meta(self, key: str) -> str | None:
        """A stored value, e.g. the sources' reports as JSON."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def replace(self, papers: Iterable[tuple[Paper, str]], fingerprint: object, sources: str,
                feeds: AbstractSet[str] = frozenset()) -> None:
        """Store a new merged library, as (paper, title key) pairs in list order, and its
        sources' reports; ``feeds`` names the feed sources (their papers lead the list).

        The new catalog is written to a fresh file without a journal (it is
        derived data), then renamed over the old one, so that a crash leaves
        either the old catalog or the new one, never a mix.
        """
        fresh = self.path.with_name(f"{self.path.name}.new-{os.getpid()}")
        fresh.unlink(missing_ok=True)
        db = sqlite3.connect(fresh)
        written = False
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_TABLES)
            self._write(db, papers, feeds)
            db.executescript(_INDEXES)
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("fingerprint", json.dumps([CATALOG_VERSION, fingerprint])), ("sources", sources)],
            )
            db.commit()
            written = True
        finally:
            db.close()
            if not written:
                fresh.unlink(missing_ok=True)  # half a catalog on a full disk: give the space back
        os.replace(fresh, self.path)
        self._db.close()
        self._db = self._connect(self.path)
        self.paper.cache_clear()

    def update(self, before: object, papers: Sequence[tuple[Paper, str]], gone: Sequence[str],
               listing: Sequence[Listed], fingerprint: object, sources: str,
               arrived: Sequence[str]) -> None:
        """Store papers merged in place into the catalog merged from ``before``, in one
        transaction: ``papers`` (paper, title key) take the place of those with their
        ids, the ids ``gone`` (re-keyed) go, ``listing`` is the new list order.
        ``arrived`` and ``before`` are kept (see :meth:`arrivals`). LookupError, and
        nothing written, when another process changed the catalog meanwhile."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")  # no other writer from here to the commit
            if self.fingerprint() != before:
                raise LookupError("the catalog changed while papers were merged into it")
            self._db.executemany("DELETE FROM papers WHERE id = ?",
                                 [(pid,) for pid in [*gone, *(p.id for p, _ in papers)]])
            self._db.executemany(_INSERT, [_row(p, key) for p, key in papers])
            self._db.execute("DELETE FROM listing")
            self._db.executemany(_LIST, [(pos, *row) for pos, row in enumerate(listing)])
            arrivals = {"before": before, "ids": list(arrived)}
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [
                ("fingerprint", json.dumps([CATALOG_VERSION, fingerprint])),
                ("sources", sources), ("arrivals", json.dumps(arrivals))])
        self.paper.cache_clear()

    def arrivals(self) -> tuple[object, set[str]] | None:
        """After a merge in place: the fingerprint before it, and the ids that an index of
        the catalog before it lacks, or holds with other text (title, abstract, authors);
        None after a catalog was stored whole."""
        stored = self.meta("arrivals")
        if stored is None:
            return None
        arrivals = json.loads(stored)
        return arrivals["before"], set(arrivals["ids"])

    def listing(self) -> list[Listed]:
        """The list order, with what orders it (papertui.ordering.list_order)."""
        return [(pid, title, date, upvotes, bool(fed)) for pid, title, date, upvotes, fed
                in self._db.execute("SELECT id, title, date, upvotes, fed FROM listing ORDER BY pos")]

    def papers_of(self, ids: Sequence[str]) -> dict[str, Paper]:
        """The papers with these ids that are here, by id."""
        found: dict[str, Paper] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in self._db.execute(f"SELECT {_COLUMNS} FROM papers WHERE id IN"
                                        f" ({','.join('?' * len(chunk))})", chunk):
                found[row[0]] = _to_paper(row)
        return found

    def fingerprint(self) -> object:
        """The sources the stored papers were merged from, None if another version stored them."""
        stored = self.meta("fingerprint")
        version, fingerprint = json.loads(stored) if stored else (None, None)
        return fingerprint if version == CATALOG_VERSION else None

    def is_current(self, fingerprint: object) -> bool:
        """True when the stored papers were merged from these sources."""
        return self.fingerprint() == fingerprint

    def ids_and_titles(self) -> tuple[list[str], list[str]]:
        """Every id and title, in list order."""
        # Row by row, not fetchall(): 75k rows held at once would wake the garbage
        # collector's full pass, which holds up every thread (the UI's too).
        ids: list[str] = []
        titles: list[str] = []
        for pid, title in self._db.execute("SELECT id, title FROM listing ORDER BY pos"):
            ids.append(pid)
            titles.append(title)
        return ids, titles

    def column(self, name: str) -> dict[str, str | None]:
        """One column for every paper, by id (``date``, ``sources``, ``title_key``,
        ``categories`` or ``upvotes``).

        ``sources`` and ``categories`` come joined with SEPARATOR; ``announce_type``
        (arXiv RSS) is read from ``extra``, for the papers that have one."""
        if name == "announce_type":
            return dict(self._db.execute("SELECT id, json_extract(extra, '$.announce_type')"
                                         " FROM papers WHERE extra LIKE '%announce_type%'"))
        assert name in ("date", "sources", "title_key", "categories", "upvotes")
        return dict(self._db.execute(f"SELECT id, {name} FROM papers"))

    def id_for_title_key(self, key: str) -> str | None:
        """The paper whose title has this key."""
        row = self._db.execute("SELECT id FROM papers WHERE title_key = ?", (key,)).fetchone()
        return row[0] if row else None

    def title_keys(self, ids: list[str]) -> dict[str, str]:
        """The title key of each of these papers that is here, by id."""
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found.update(self._db.execute(
                f"SELECT id, title_key FROM papers WHERE id IN ({','.join('?' * len(chunk))})",
                chunk))
        return found

    def _paper(self, paper_id: str) -> Paper | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM papers WHERE id = ?", (paper_id,)).fetchone()
        return _to_paper(row) if row else None

    def papers(self) -> Iterable[Paper]:
        """Every paper, in list order."""
        columns = ", ".join(f"papers.{name.strip()}" for name in _COLUMNS.split(","))
        for row in self._db.execute(f"SELECT {columns} FROM listing JOIN papers USING (id)"
                                    " ORDER BY listing.pos"):
            yield _to_paper(row)

    def close(self) -> None:
        """Close the database."""
        self._db.close()
