"""The undo log: each app action is one ``Change``, undone all at once, kept in SQLite.

The log lives in the state database, so ``u`` still works after a restart;
only the newest ``LIMIT`` actions are kept. A change records what each paper
had before and has after: marks, tags, notes, and named values such as the
new-since time that catching up moves.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from papertui.errors import StateError
from papertui.models import Mark
from papertui.organise import TagFlip
from papertui.state import StateStore

LIMIT = 100
_SCHEMA = """
CREATE TABLE IF NOT EXISTS undo (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL,
    change TEXT NOT NULL,
    made REAL NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Change:
    """One action: marks (``before``/``after``), tag flips, notes and named values."""

    label: str
    before: dict[str, Mark] = field(default_factory=dict)
    after: dict[str, Mark] = field(default_factory=dict)
    tags: tuple[TagFlip, ...] = ()
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (before, after)
    values: dict[str, tuple[object, object]] = field(default_factory=dict)  # name -> (before, after)

    @property
    def papers(self) -> set[str]:
        """The ids of every paper the change touched."""
        return set(self.after) | {flip[0] for flip in self.tags} | set(self.notes)

    @property
    def single(self) -> str | None:
        """The paper's id when the change touched exactly one paper."""
        papers = self.papers
        return next(iter(papers)) if len(papers) == 1 else None

    def to_json(self) -> str:
        return json.dumps({
            "before": {pid: [m.read, m.starred] for pid, m in self.before.items()},
            "after": {pid: [m.read, m.starred] for pid, m in self.after.items()},
            "tags": [list(flip) for flip in self.tags],
            "notes": {pid: list(pair) for pid, pair in self.notes.items()},
            "values": {name: list(pair) for name, pair in self.values.items()},
        }, separators=(",", ":"))

    @classmethod
    def from_json(cls, label: str, text: str) -> "Change":
        data = json.loads(text)
        return cls(
            label,
            {pid: Mark(*flags) for pid, flags in data["before"].items()},
            {pid: Mark(*flags) for pid, flags in data["after"].items()},
            tuple(tuple(flip) for flip in data["tags"]),
            {pid: tuple(pair) for pid, pair in data["notes"].items()},
            {name: tuple(pair) for name, pair in data["values"].items()},
        )


def plan(label: str, after: dict[str, Mark], mark_of: Callable[[str], Mark]) -> Change | None:
    """The change that sets ``after``, leaving out papers already so; None if nothing changes."""
    before = {pid: mark_of(pid) for pid in after}
    after = {pid: mark for pid, mark in after.items() if before[pid] != mark}
    if not after:
        return None
    return Change(label, {pid: before[pid] for pid in after}, after)


class UndoLog:
    """The newest ``limit`` changes in the state database, newest last."""

    def __init__(self, store: StateStore, limit: int = LIMIT) -> None:
        self._store = store
        self._limit = limit
        try:
            store.connection.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise StateError(f"cannot open the undo log in {store.path}: {error}") from None

    def push(self, change: Change) -> None:
        """Log a change (in the caller's transaction, if there is one); drop the oldest."""
        with self._store.transaction() as db:
            db.execute("INSERT INTO undo (label, change, made) VALUES (?, ?, ?)",
                       (change.label, change.to_json(), time.time()))
            db.execute("DELETE FROM undo WHERE seq <= (SELECT max(seq) FROM undo) - ?",
                       (self._limit,))

    def newest(self) -> tuple[int, Change] | None:
        """The newest change and its number, without taking it off the log."""
        row = self._store.connection.execute(
            "SELECT seq, label, change FROM undo ORDER BY seq DESC LIMIT 1").fetchone()
        return None if row is None else (row[0], Change.from_json(row[1], row[2]))

    def drop(self, seq: int) -> None:
        """Take change ``seq`` off the log."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM undo WHERE seq = ?", (seq,))

    def pop(self) -> Change | None:
        """Take the newest change off the log and return it."""
        found = self.newest()
        if found is None:
            return None
        self.drop(found[0])
        return found[1]

    def __len__(self) -> int:
        return self._store.connection.execute("SELECT count(*) FROM undo").fetchone()[0]
