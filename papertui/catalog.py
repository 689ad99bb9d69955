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
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from papertui import paths
from papertui.models import Paper
from papertui.errors import SourceError
from papertui.sources import ParsedSource, read_source
from papertui.sources.head import read_head

CATALOG_VERSION = 3
# Files up to this size are parsed whole for a preview; larger ones by their head.
WHOLE_FILE = 2 << 20
SEPARATOR = "\x1f"  # joins authors and sources in one column
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS papers (
    pos INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT NOT NULL,
    title_key TEXT NOT NULL, abstract TEXT NOT NULL, authors TEXT NOT NULL,
    date TEXT, url TEXT, sources TEXT NOT NULL, extra TEXT NOT NULL,
    categories TEXT NOT NULL, upvotes INTEGER, github TEXT, project_page TEXT
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


def _rows(papers: Iterable[tuple[Paper, str]]) -> Iterable[tuple]:
    return (
        (pos, p.id, p.title, key, p.abstract, SEPARATOR.join(p.authors), p.date, p.url,
         SEPARATOR.join(p.sources), json.dumps(p.extra, default=str) if p.extra else "",
         SEPARATOR.join(p.categories), p.upvotes, p.github, p.project_page)
        for pos, (p, key) in enumerate(papers)
    )


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
        """A throw-away catalog of some papers, for a preview."""
        catalog = cls(Path(":memory:"))
        catalog._db.executemany(_INSERT, _rows(papers))
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
            db.executemany(_INSERT, rows)
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
        for row in self._db.execute(f"SELECT {_COLUMNS} FROM papers ORDER BY pos"):
            yield _to_paper(row)

    def close(self) -> None:
        """Close the database."""
        self._db.close()
