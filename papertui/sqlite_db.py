"""The one way papertui opens its SQLite databases, and a write transaction on them.

Every connection waits up to ten seconds for another writer, keeps a write-ahead
log, and syncs each commit to disk (``synchronous=FULL``): a mark, a tag or a
fetch state survives a crash the moment its call returns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from papertui.errors import StateError

BUSY_TIMEOUT_MS = 10_000


def connect(path: Path) -> sqlite3.Connection:
    """A connection any thread may use (one at a time), with papertui's durability settings."""
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                         check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error:
        db.close()
        raise
    return db


@contextmanager
def writing(db: sqlite3.Connection, failure: str) -> Iterator[sqlite3.Connection]:
    """One write transaction, rolled back on any error; StateError("``failure``: why")."""
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    except sqlite3.Error as error:
        raise StateError(f"{failure}: {error}") from None
