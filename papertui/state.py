"""Marks (read, starred) in SQLite: the one source of truth for triage state.

WAL mode, ``synchronous=FULL`` and one short transaction per action, so an
acknowledged mark survives a crash; a busy timeout lets two processes write.
Title keys that later turned out to have an arXiv id are kept as aliases, so
marks follow the paper.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from papertui.errors import StateError
from papertui.models import NO_MARK, Mark
from papertui.sqlite_db import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    id TEXT PRIMARY KEY,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL,
    read_changed REAL,
    starred_changed REAL
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
# A marks table from before per-field change times: both fields get the row's time.
_PER_FIELD_TIMES = (
    "ALTER TABLE marks ADD COLUMN read_changed REAL",
    "ALTER TABLE marks ADD COLUMN starred_changed REAL",
    "UPDATE marks SET read_changed = updated, starred_changed = updated",
)


@dataclass(frozen=True, slots=True)
class MarkRow:
    """A paper's stored marks, each flag with the time it last changed (None: never)."""

    id: str
    read: bool
    read_changed: float | None
    starred: bool
    starred_changed: float | None


@contextmanager
def _held(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (none when it cannot be created)."""
    try:
        handle = open(lock_path, "a")
    except OSError:
        yield  # a read-only folder: nothing can be moved or created there anyway
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _why(folder: Path) -> str:
    """What SQLite's "unable to open" or "disk I/O error" may be hiding, in brackets."""
    if not os.access(folder, os.W_OK):
        return f" ({folder} is read-only)"
    try:
        if os.statvfs(folder).f_bavail == 0:
            return f" (the disk holding {folder} is full)"
    except OSError:
        pass
    return ""


def _add_change_times(db: sqlite3.Connection) -> None:
    """Give an older marks table its per-field change times (once, whoever opens it first)."""
    if "read_changed" in {row[1] for row in db.execute("PRAGMA table_info(marks)")}:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        if "read_changed" not in {row[1] for row in db.execute("PRAGMA table_info(marks)")}:
            for statement in _PER_FIELD_TIMES:
                db.execute(statement)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _has_sqlite_header(path: Path) -> bool:
    """False only for a file that is there, not empty, and not an SQLite database."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return True  # missing or unreadable: SQLite creates it, or says why it cannot
    return not head or head == b"SQLite format 3\x00"


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
        # Two instances opening a damaged file at once must not both move it aside.
        with _held(path.with_name(path.name + ".lock")):
            if not _has_sqlite_header(path):
                # Before SQLite opens it: closing would delete a -wal file beside it.
                return cls._start_fresh(path, sqlite3.DatabaseError("file is not a database"))
            try:
                return cls(cls._connect(path), path)
            except sqlite3.DatabaseError as error:
                # OperationalError is a file that cannot be opened or written (permissions,
                # read-only or full disk, locked): not damage, so it is left where it is.
                if not path.exists() or isinstance(error, sqlite3.OperationalError):
                    raise StateError(
                        f"cannot open the marks database {path}: {error}{_why(path.parent)}"
                    ) from None
                return cls._start_fresh(path, error)

    @classmethod
    def _start_fresh(cls, path: Path, error: sqlite3.Error) -> "StateStore":
        """Move a damaged database (and its -wal, -shm) to a new name; open a fresh one."""
        stem = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
        aside = path.with_name(stem)
        for number in range(2, 1000):
            if not any(aside.with_name(aside.name + s).exists() for s in ("", "-wal", "-shm")):
                break
            aside = path.with_name(f"{stem}-{number}")
        try:
            os.replace(path, aside)
            for suffix in ("-wal", "-shm"):
                sidecar = path.with_name(path.name + suffix)
                if sidecar.exists():
                    os.replace(sidecar, aside.with_name(aside.name + suffix))
            store = cls(cls._connect(path), path)
        except (OSError, sqlite3.Error) as second:
            raise StateError(
                f"the marks database {path} is damaged ({error}) and a fresh one"
                f" cannot be started: {getattr(second, 'strerror', None) or second}"
            ) from None
        store.moved_aside = aside
        return store

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        # Any thread may use the store, one at a time: the app loads a library in a
        # worker thread and then marks papers on the UI thread.
        db = connect(path)
        try:
            db.executescript(_SCHEMA)
            _add_change_times(db)
            problems = [row[0] for row in db.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError("database disk image is malformed")
        except BaseException:
            db.close()
            raise
        return db

    @property
    def connection(self) -> sqlite3.Connection:
        """The connection, for the core modules that keep their own tables in this file."""
        return self._db

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One transaction; the store's own writes inside it join it."""
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self._db.in_transaction:  # a step of a caller's transaction
            yield self._db
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        except sqlite3.Error as error:
            raise StateError(f"cannot save marks to {self.path}: {error}") from None

    def _rollback(self) -> None:
        """End a failed transaction; SQLite may have rolled it back already (disk full)."""
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the error that got us here is the one to report

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
        """Save new marks for some papers, in one transaction; a flag that changes gets its time."""
        now = time.time()
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO marks (id, read, starred, updated, read_changed, starred_changed)"
                " VALUES (?1, ?2, ?3, ?4, CASE WHEN ?2 THEN ?4 END, CASE WHEN ?3 THEN ?4 END)"
                " ON CONFLICT(id) DO UPDATE SET read = excluded.read,"
                " starred = excluded.starred, updated = excluded.updated,"
                " read_changed = CASE WHEN marks.read != excluded.read"
                " THEN excluded.updated ELSE marks.read_changed END,"
                " starred_changed = CASE WHEN marks.starred != excluded.starred"
                " THEN excluded.updated ELSE marks.starred_changed END",
                [(pid, int(m.read), int(m.starred), now) for pid, m in changes.items()],
            )

    def mark_rows(self) -> list[MarkRow]:
        """Every stored row, cleared ones too (their change times matter), sorted by id."""
        rows = self._db.execute(
            "SELECT id, read, read_changed, starred, starred_changed FROM marks ORDER BY id"
        )
        return [MarkRow(pid, bool(r), rc, bool(s), sc) for pid, r, rc, s, sc in rows]

    def put_mark_fields(self, rows: Iterable[tuple[str, str, bool, float]]) -> None:
        """Set (id, "read" or "starred", value, changed) as given, times kept, in one transaction."""
        with self._transaction() as db:
            for pid, field, value, changed in rows:
                if field not in ("read", "starred"):
                    raise ValueError(f"unknown mark field {field!r}")
                db.execute("INSERT OR IGNORE INTO marks (id, updated) VALUES (?, ?)",
                           (pid, changed))
                db.execute(
                    f"UPDATE marks SET {field} = ?, {field}_changed = ?,"
                    " updated = max(updated, ?) WHERE id = ?",
                    (int(value), changed, changed, pid),
                )

    def set_changed(self, changes: dict[str, Mark], seen: dict[str, Mark]) -> dict[str, Mark]:
        """Save the flags of ``changes`` that differ from ``seen``, in one transaction.

        ``seen`` is what the caller showed. A flag it left alone keeps the stored
        value, which another process may have changed since: two windows, one
        marking read and one starring, keep both. Returns the marks now stored.
        """
        with self._transaction() as db:
            stored = self._marks_of(db, list(changes))
            merged = {}
            for pid, mark in changes.items():
                before, now = seen.get(pid, NO_MARK), stored[pid]
                merged[pid] = Mark(
                    mark.read if mark.read != before.read else now.read,
                    mark.starred if mark.starred != before.starred else now.starred,
                )
            different = {pid: m for pid, m in merged.items() if m != stored[pid]}
            if different:
                self.set(different)
        return merged

    @staticmethod
    def _marks_of(db: sqlite3.Connection, ids: list[str]) -> dict[str, Mark]:
        found: dict[str, Mark] = {}
        if len(ids) > 2000:  # "mark all read" on a big list: one scan beats many lookups
            rows = db.execute("SELECT id, read, starred FROM marks")
            found = {pid: Mark(bool(read), bool(starred)) for pid, read, starred in rows}
            return {pid: found.get(pid, NO_MARK) for pid in ids}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for pid, read, starred in db.execute(
                f"SELECT id, read, starred FROM marks WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                found[pid] = Mark(bool(read), bool(starred))
        return {pid: found.get(pid, NO_MARK) for pid in ids}

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
                    "INSERT INTO marks (id, read, starred, updated, read_changed, starred_changed)"
                    " SELECT ?, read, starred, updated, read_changed, starred_changed"
                    " FROM marks WHERE id = ?"
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

    def settings(self) -> dict[str, str | int]:
        """The connection's durability settings, as SQLite reports them."""
        synchronous = self._db.execute("PRAGMA synchronous").fetchone()[0]
        return {
            "journal_mode": self._db.execute("PRAGMA journal_mode").fetchone()[0],
            "synchronous": ("OFF", "NORMAL", "FULL", "EXTRA")[synchronous],
            "busy_timeout_ms": self._db.execute("PRAGMA busy_timeout").fetchone()[0],
        }

    def data_version(self) -> int:
        """Changes when another connection commits: cheap to poll."""
        # A read first: the pragma reports other connections' commits only once a read
        # transaction has looked at the log, so alone it can lag one commit behind.
        self._db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection."""
        self._db.close()
