"""The catalog: the merged papers of every source, cached in SQLite for fast starts.

Parsing a large source takes seconds, so each parsed source is cached by its
file's size and mtime, and the merged library is stored in ``catalog.db`` in
the cache dir. A warm start reads only ids and titles; the rest of a paper is
read when it is shown. Like the index, the catalog is derived data.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from papertui import paths
from papertui.models import Paper
from papertui.sources import ParsedSource, read_source

CATALOG_VERSION = 2
SEPARATOR = "\x1f"  # joins authors and sources in one column
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS papers (
    pos INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL,
    title_key TEXT NOT NULL, abstract TEXT NOT NULL, authors TEXT NOT NULL,
    date TEXT, url TEXT, sources TEXT NOT NULL, extra TEXT NOT NULL
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


def read_cached(path: str, cache: Path) -> ParsedSource:
    """Parse a source, or load its parse from the cache when the file is unchanged."""
    key = hashlib.sha1(path.encode()).hexdigest()[:16]
    cached = cache / f"{key}.pickle"
    current = stamp(path)
    try:
        with open(cached, "rb") as handle:
            saved_stamp, parsed, rows = pickle.load(handle)
        if saved_stamp == current:
            parsed.papers = [Paper(*row) for row in rows]
            return parsed
    except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError):
        pass
    parsed = read_source(path)
    # Papers go in as plain tuples: unpickling frozen dataclasses is five times slower.
    rows = [(p.id, p.title, p.abstract, p.authors, p.date, p.url, p.sources, p.extra)
            for p in parsed.papers]
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


_COLUMNS = "id, title, abstract, authors, date, url, sources, extra"


def _rows(papers: Iterable[tuple[Paper, str]]) -> Iterable[tuple]:
    return (
        (pos, p.id, p.title, key, p.abstract, SEPARATOR.join(p.authors), p.date, p.url,
         SEPARATOR.join(p.sources), json.dumps(p.extra, default=str) if p.extra else "")
        for pos, (p, key) in enumerate(papers)
    )


def _split(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(SEPARATOR)) if joined else ()


def _to_paper(row: tuple) -> Paper:
    return Paper(row[0], row[1], row[2], _split(row[3]), row[4], row[5], _split(row[6]),
                 json.loads(row[7]) if row[7] else {})


class Catalog:
    """Read access to the merged papers, by id, with a small cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = self._connect(path)
        self.paper = lru_cache(maxsize=4096)(self._paper)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, check_same_thread=False)
        try:
            db.executescript(_TABLES + _INDEXES)
        except sqlite3.DatabaseError:
            # A damaged cache is thrown away: it is rebuilt from the sources.
            db.close()
            path.unlink(missing_ok=True)
            db = sqlite3.connect(path, check_same_thread=False)
            db.executescript(_TABLES + _INDEXES)
        return db

    @classmethod
    def in_memory(cls, papers: Iterable[tuple[Paper, str]]) -> "Catalog":
        """A throw-away catalog of some papers, for a preview."""
        catalog = cls(Path(":memory:"))
        catalog._db.executemany("INSERT INTO papers VALUES (?,?,?,?,?,?,?,?,?,?)", _rows(papers))
        return catalog

    def meta(self, key: str) -> str | None:
        """A stored value, e.g. the sources' reports as JSON."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def replace(
        self, papers: Iterable[tuple[Paper, str]], fingerprint: object, sources: str
    ) -> None:
        """Store a new merged library, as (paper, title key) pairs, and its sources' reports.

        The new catalog is written to a fresh file without a journal (it is
        derived data), then renamed over the old one, so that a crash leaves
        either the old catalog or the new one, never a mix.
        """
        rows = _rows(papers)
        fresh = self.path.with_name(f"{self.path.name}.new-{os.getpid()}")
        fresh.unlink(missing_ok=True)
        db = sqlite3.connect(fresh)
        written = False
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_TABLES)
            db.executemany("INSERT INTO papers VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
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
        rows = self._db.execute("SELECT id, title FROM papers ORDER BY pos").fetchall()
        return [r[0] for r in rows], [r[1] for r in rows]

    def column(self, name: str) -> dict[str, str | None]:
        """One column for every paper, by id (``date``, ``sources`` or ``title_key``).

        ``sources`` comes joined with SEPARATOR."""
        assert name in ("date", "sources", "title_key")
        return dict(self._db.execute(f"SELECT id, {name} FROM papers"))

    def id_for_title_key(self, key: str) -> str | None:
        """The paper whose title has this key."""
        row = self._db.execute("SELECT id FROM papers WHERE title_key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _paper(self, paper_id: str) -> Paper | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM papers WHERE id = ?", (paper_id,)).fetchone()
        return _to_paper(row) if row else None

    def papers(self, ids: Sequence[str] | None = None) -> Iterable[Paper]:
        """Papers in list order (all of them, or those with these ids)."""
        if ids is not None:
            for paper_id in ids:
                paper = self.paper(paper_id)
                if paper is not None:
                    yield paper
            return
        for row in self._db.execute(f"SELECT {_COLUMNS} FROM papers ORDER BY pos"):
            yield _to_paper(row)

    def close(self) -> None:
        """Close the database."""
        self._db.close()
