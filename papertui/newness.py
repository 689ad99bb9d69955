"""What is new: when each paper first entered the library, and *new-since*, in state.db.

A paper is new when it entered after new-since. new-since starts when the
library is created, and the papers there at creation entered then, so the
bundled seed is never new. Each app launch moves new-since to the start of the
previous launch (a killed app counts: a launch is recorded when it starts), so
a paper stays new until a whole session has gone by with it in the list.
Catching up moves it to now; only the last catch-up can be undone. new-since
never moves back but by that undo.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from papertui.errors import StateError
from papertui.sqlite_db import connect, writing
from papertui.undo import Change

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entered (id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS entered_at ON entered (at);
CREATE TABLE IF NOT EXISTS newness (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Keys of the newness table.
CREATED, NEW_SINCE, LAST_LAUNCH, BEFORE_CATCH_UP, RECORDED = (
    "created", "new_since", "last_launch", "before_catch_up", "recorded")


@dataclass(frozen=True, slots=True)
class CatchUp:
    """A catch-up: new-since moved from ``before`` to ``at``; ``cleared`` papers stopped being new."""

    before: float
    at: float
    cleared: int

    @property
    def label(self) -> str:
        return f"caught up ({self.cleared} new cleared)"


class Newness:
    """The entered times and new-since of one state database (its own connection)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entered: tuple[str | None, dict[str, float]] | None = None
        self._new: tuple[tuple[str | None, str | None], frozenset[str]] | None = None
        try:
            self._db = connect(path)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise StateError(f"cannot open what is new in {path}: {error}") from None

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return writing(self._db, f"cannot save what is new to {self.path}")

    def _get(self, db: sqlite3.Connection, key: str) -> str | None:
        row = db.execute("SELECT value FROM newness WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def _set(db: sqlite3.Connection, key: str, value: object) -> None:
        db.execute("INSERT INTO newness (key, value) VALUES (?, ?) ON CONFLICT(key)"
                   " DO UPDATE SET value = excluded.value", (key, str(value)))

    def _started(self, db: sqlite3.Connection, now: float) -> float:
        """new-since, starting the library's clock at ``now`` if it has not started."""
        since = self._get(db, NEW_SINCE)
        if since is None:
            self._set(db, CREATED, now)
            self._set(db, NEW_SINCE, now)
            return now
        return float(since)

    def record(self, ids: Sequence[str], stamp: str, now: float | None = None) -> None:
        """Note when each of ``ids`` entered: now, or at creation for the first library.

        ``stamp`` names the catalog the ids come from: an unchanged one is skipped.
        """
        try:
            if self._get(self._db, RECORDED) == stamp:
                return
        except sqlite3.Error as error:
            raise StateError(f"cannot read what is new in {self.path}: {error}") from None
        now = time.time() if now is None else now
        with self._transaction() as db:
            self._started(db, now)
            first = db.execute("SELECT 1 FROM entered LIMIT 1").fetchone() is None
            at = float(self._get(db, CREATED) or now) if first else now
            known = {row[0] for row in db.execute("SELECT id FROM entered")}
            db.executemany("INSERT INTO entered (id, at) VALUES (?, ?)",
                           [(pid, at) for pid in ids if pid not in known])
            self._set(db, RECORDED, stamp)
            self._entered = self._new = None  # a stamp seen before may come back with new papers

    def new_since(self) -> float | None:
        """The moment after which papers are new; None before the library's clock started."""
        value = self._get(self._db, NEW_SINCE)
        return None if value is None else float(value)

    def _version(self) -> tuple[str | None, str | None]:
        """new-since and the catalog last recorded: when either moves (here or in another
        process), the papers that are new, and those that entered, are read again."""
        rows = dict(self._db.execute("SELECT key, value FROM newness WHERE key IN (?, ?)",
                                     (NEW_SINCE, RECORDED)))
        return rows.get(NEW_SINCE), rows.get(RECORDED)

    def new_ids(self) -> frozenset[str]:
        """The papers that entered after new-since (read again only once it or the entries move)."""
        version = self._version()
        if self._new is None or self._new[0] != version:
            since = version[0]
            found = frozenset() if since is None else frozenset(row[0] for row in self._db.execute(
                "SELECT id FROM entered WHERE at > ?", (float(since),)))
            self._new = (version, found)
        return self._new[1]

    def entered(self) -> dict[str, float]:
        """When every paper entered the library (read once, until papers are recorded)."""
        version = self._version()[1]
        if self._entered is None or self._entered[0] != version:
            self._entered = (version, dict(self._db.execute("SELECT id, at FROM entered")))
        return self._entered[1]

    def begin_session(self, now: float | None = None) -> None:
        """An app launch: new-since moves to the start of the previous launch."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            since = self._started(db, now)
            previous = self._get(db, LAST_LAUNCH)
            if previous is not None and float(previous) > since:
                self._set(db, NEW_SINCE, previous)
            self._set(db, LAST_LAUNCH, now)

    def catch_up(self, now: float | None = None,
                 log: Callable[[Change], None] | None = None) -> CatchUp:
        """Nothing is new any more; the previous new-since is kept for :meth:`undo_catch_up`,
        and ``log`` is given the change for the undo log (see :meth:`undoers`)."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            before = self._started(db, now)
            cleared = db.execute("SELECT count(*) FROM entered WHERE at > ?", (before,)).fetchone()[0]
            self._set(db, NEW_SINCE, max(now, before))
            self._set(db, BEFORE_CATCH_UP, before)
        done = CatchUp(before, max(now, before), cleared)
        if log is not None:
            log(Change(done.label, values={NEW_SINCE: (done.before, done.at)}))
        return done

    def undoers(self, db: sqlite3.Connection) -> dict[str, Callable[[object], None]]:
        """What the undo log calls to undo a catch-up, inside its transaction on ``db`` (a
        connection to the same database: a write through our own would wait for it)."""
        return {NEW_SINCE: lambda since: self.put_back(float(since), db)}

    def put_back(self, since: float, db: sqlite3.Connection) -> None:
        """new-since is ``since`` again, written through ``db`` (see :meth:`undoers`)."""
        self._set(db, NEW_SINCE, since)
        db.execute("DELETE FROM newness WHERE key = ?", (BEFORE_CATCH_UP,))

    def undo_catch_up(self) -> float | None:
        """Put back new-since as it was before the last catch-up; None when there is none."""
        with self._transaction() as db:
            before = self._get(db, BEFORE_CATCH_UP)
            if before is None:
                return None
            self._set(db, NEW_SINCE, before)
            db.execute("DELETE FROM newness WHERE key = ?", (BEFORE_CATCH_UP,))
        return float(before)
