"""What papertui remembers about fetching each feed, kept in state.db (not config.toml).

Per feed: the last day fetched, when it was last fetched, the result and its
paper count; per URL: the ETag and Last-Modified for conditional requests.
Same file, WAL mode and one-transaction-per-action style as papertui.state.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from papertui.errors import StateError
from papertui.sqlite_db import connect, writing

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_state (
    feed TEXT PRIMARY KEY,
    last_day TEXT,
    last_fetch REAL NOT NULL,
    last_result TEXT NOT NULL,
    ok INTEGER NOT NULL,
    papers INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS feed_validators (
    feed TEXT NOT NULL,
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    PRIMARY KEY (feed, url)
);
"""
Validators = tuple[str | None, str | None]  # (ETag, Last-Modified)


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """The outcome of a feed's last fetch."""

    last_day: str | None = None
    last_fetch: float | None = None
    last_result: str = "never fetched"
    ok: bool = True
    papers: int = 0


NEVER = FeedStatus()


class FetchState:
    """Fetch bookkeeping for every feed, in the state database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = connect(path)
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise StateError(f"cannot open the fetch state in {path}: {error}") from None

    def __enter__(self) -> "FetchState":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return writing(self._db, f"cannot save the fetch state to {self.path}")

    def status(self, feed: str) -> FeedStatus:
        """The feed's last fetch, or NEVER."""
        row = self._read(
            "SELECT last_day, last_fetch, last_result, ok, papers FROM feed_state WHERE feed = ?",
            (feed,),
        ).fetchone()
        return FeedStatus(row[0], row[1], row[2], bool(row[3]), row[4]) if row else NEVER

    def validators(self, feed: str, url: str) -> Validators:
        """The ETag and Last-Modified saved for ``url``, or (None, None)."""
        row = self._read(
            "SELECT etag, last_modified FROM feed_validators WHERE feed = ? AND url = ?",
            (feed, url),
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def _read(self, sql: str, parameters: tuple) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.Error as error:
            raise StateError(f"cannot read the fetch state in {self.path}: {error}") from None

    def succeeded(self, feed: str, result: str, *, papers: int, last_day: str | None,
                  validators: Mapping[str, Validators]) -> None:
        """Record a successful fetch and the validators of the URLs it fetched."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO feed_state (feed, last_day, last_fetch, last_result, ok, papers)"
                " VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT(feed) DO UPDATE SET"
                " last_day = COALESCE(excluded.last_day, last_day),"
                " last_fetch = excluded.last_fetch, last_result = excluded.last_result,"
                " ok = 1, papers = excluded.papers",
                (feed, last_day, time.time(), result, papers),
            )
            db.executemany(
                "INSERT INTO feed_validators (feed, url, etag, last_modified) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(feed, url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified",
                [(feed, url, etag, modified) for url, (etag, modified) in validators.items()],
            )

    def failed(self, feed: str, result: str) -> None:
        """Record a failed fetch; what the feed had fetched before stays as it was."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO feed_state (feed, last_fetch, last_result, ok) VALUES (?, ?, ?, 0)"
                " ON CONFLICT(feed) DO UPDATE SET last_fetch = excluded.last_fetch,"
                " last_result = excluded.last_result, ok = 0",
                (feed, time.time(), result),
            )

    def forget(self, feed: str) -> None:
        """Drop everything remembered about a removed feed."""
        with self._transaction() as db:
            db.execute("DELETE FROM feed_state WHERE feed = ?", (feed,))
            db.execute("DELETE FROM feed_validators WHERE feed = ?", (feed,))
