"""Marks (read, starred) in SQLite: the one source of truth for triage state.

WAL mode, ``synchronous=FULL`` and one short transaction per action, so an
acknowledged mark survives a crash; a busy timeout lets two processes write.
Title keys that later turned out to have an arXiv id are kept as aliases, so
marks follow the paper.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from papertui.errors import StateError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    id TEXT PRIMARY KEY,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT PRIMARY KEY,
    id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    added REAL NOT NULL
);
"""
BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True, slots=True)
class Mark:
    """The triage state of one paper."""

    read: bool = False
    starred: bool = False


NO_MARK = Mark()


class StateStore:
    """The user's state: marks, aliases and the list of added sources.

    Open it with :meth:`open`. ``moved_aside`` names the corrupt file that
    was moved out of the way when opening, if any.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self.moved_aside: Path | None = None

    @classmethod
    def open(cls, path: Path) -> "StateStore":
        """Open or create the store; a corrupt file is moved aside, never overwritten."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StateError(f"cannot create {path.parent}: {error.strerror}") from None
        try:
            return cls(cls._connect(path), path)
        except sqlite3.DatabaseError as error:
            if not path.exists() or "locked" in str(error):
                raise StateError(f"cannot open the marks database {path}: {error}") from None
            aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            os.replace(path, aside)
            for suffix in ("-wal", "-shm"):
                sidecar = path.with_name(path.name + suffix)
                if sidecar.exists():
                    os.replace(sidecar, aside.with_name(aside.name + suffix))
            store = cls(cls._connect(path), path)
            store.moved_aside = aside
            return store

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.executescript(_SCHEMA)
            db.execute("PRAGMA quick_check").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StateError(f"cannot save marks to {self.path}: {error}") from None

    def all(self) -> dict[str, Mark]:
        """Every paper with a mark set."""
        try:
            rows = self._db.execute(
                "SELECT id, read, starred FROM marks WHERE read OR starred"
            ).fetchall()
        except sqlite3.Error as error:
            raise StateError(f"cannot read marks from {self.path}: {error}") from None
        return {row[0]: Mark(bool(row[1]), bool(row[2])) for row in rows}

    def set(self, changes: dict[str, Mark]) -> None:
        """Save new marks for some papers, in one transaction."""
        now = time.time()
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO marks (id, read, starred, updated) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET read = excluded.read,"
                " starred = excluded.starred, updated = excluded.updated",
                [(pid, int(m.read), int(m.starred), now) for pid, m in changes.items()],
            )

    def resolve(self, paper_id: str) -> str:
        """The id a title key now stands for, or the id itself."""
        row = self._db.execute("SELECT id FROM aliases WHERE alias = ?", (paper_id,)).fetchone()
        return row[0] if row else paper_id

    def add_aliases(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Record title key -> arXiv id aliases and move any marks onto the arXiv id."""
        pairs = list(pairs)
        if not pairs:
            return
        with self._transaction() as db:
            known = {row[0] for row in db.execute("SELECT alias FROM aliases")}
            fresh = [(alias, target) for alias, target in pairs if alias not in known]
            db.executemany("INSERT OR IGNORE INTO aliases (alias, id) VALUES (?, ?)", fresh)
            for alias, target in fresh:
                db.execute(
                    "INSERT INTO marks (id, read, starred, updated)"
                    " SELECT ?, read, starred, updated FROM marks WHERE id = ?"
                    " ON CONFLICT(id) DO UPDATE SET read = marks.read OR excluded.read,"
                    " starred = marks.starred OR excluded.starred",
                    (target, alias),
                )
                db.execute("DELETE FROM marks WHERE id = ?", (alias,))

    def source_paths(self) -> list[str]:
        """The files the user added, oldest first."""
        return [row[0] for row in self._db.execute("SELECT path FROM sources ORDER BY added")]

    def add_source(self, path: str) -> None:
        """Remember an added file (again, if it was there already)."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO sources (path, added) VALUES (?, ?)", (path, time.time())
            )

    def remove_source(self, path: str) -> None:
        """Forget an added file; its papers' marks stay."""
        with self._transaction() as db:
            db.execute("DELETE FROM sources WHERE path = ?", (path,))

    def data_version(self) -> int:
        """Changes when another connection commits: cheap to poll."""
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
