"""Tags, notes and saved searches, in the state database beside the marks.

Each row keeps the time it last changed, and a removed tag or saved search
keeps a tombstone, so that state moved between machines merges field by
field (newest wins) and a removal is never silently undone. The stored
tags and notes are also held in memory: filters and counts read them often.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from papertui.errors import PapertuiError, QueryError, StateError
from papertui.filters import register
from papertui.state import StateStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tags (
    id TEXT NOT NULL,
    tag TEXT NOT NULL,
    present INTEGER NOT NULL,
    changed REAL NOT NULL,
    PRIMARY KEY (id, tag)
);
CREATE TABLE IF NOT EXISTS notes (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    changed REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS saved (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    query TEXT NOT NULL,
    present INTEGER NOT NULL,
    changed REAL NOT NULL
);
"""
_TAG = re.compile(r"[a-z0-9_./-]+")
MAX_TAG = 100
MAX_NAME = 100


class OrganiseError(PapertuiError):
    """A bad tag or saved-search name, or an unknown saved search."""


@dataclass(frozen=True, slots=True)
class TagRow:
    """A tag on a paper (``present``) or its removal, and when that happened."""

    id: str
    tag: str
    present: bool
    changed: float


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A paper's note ("" once cleared) and when it last changed."""

    id: str
    text: str
    changed: float


@dataclass(frozen=True, slots=True)
class SavedRow:
    """A saved search (or its removal, ``present`` False) and when it last changed."""

    name: str
    query: str
    present: bool
    changed: float


# (paper id, tag, had it before, has it after): one tag's part in an action.
TagFlip = tuple[str, str, bool, bool]


def normalise_tag(name: str) -> str:
    """The tag as stored: case-folded; OrganiseError when a character is not allowed."""
    tag = name.strip().casefold()
    if not tag or len(tag) > MAX_TAG or not _TAG.fullmatch(tag):
        raise OrganiseError(
            f"bad tag name {name!r}: use letters, digits and - _ . / (at most {MAX_TAG})"
        )
    return tag


def parse_tags(text: str) -> list[str]:
    """Comma-separated tag names, normalised, without repeats."""
    return list(dict.fromkeys(normalise_tag(part) for part in text.split(",") if part.strip()))


class Organiser:
    """The tags, notes and saved searches of a StateStore's database."""

    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._db = store.connection
        try:
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise StateError(f"cannot open the tags and notes in {store.path}: {error}") from None
        self.version = 0  # grows with every change of the tags or notes held
        self.reload()

    def reload(self) -> None:
        """Read the tags and notes again (another process may have changed them)."""
        self._tags: dict[str, set[str]] = {}
        for pid, tag in self._db.execute("SELECT id, tag FROM tags WHERE present"):
            self._tags.setdefault(pid, set()).add(tag)
        self._notes = dict(self._db.execute("SELECT id, text FROM notes WHERE text != ''"))
        self.version += 1

    # Tags -------------------------------------------------------------------

    def tags_of(self, paper_id: str) -> tuple[str, ...]:
        """The paper's tags, sorted."""
        return tuple(sorted(self._tags.get(paper_id, ())))

    def tags_by_id(self) -> dict[str, tuple[str, ...]]:
        """Every tagged paper's tags, sorted."""
        return {pid: tuple(sorted(tags)) for pid, tags in self._tags.items() if tags}

    def ids_with(self, tag: str) -> set[str]:
        """The ids of the papers that have ``tag`` (already normalised)."""
        return {pid for pid, tags in self._tags.items() if tag in tags}

    def tag_counts(self, keep: Callable[[str], bool] = lambda pid: True) -> dict[str, int]:
        """Each tag in use with how many papers (those ``keep`` keeps) have it, by name."""
        counts: dict[str, int] = {}
        for pid, tags in self._tags.items():
            if keep(pid):
                for tag in tags:
                    counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items()))

    def change_tags(self, ids: Iterable[str], add: Iterable[str] = (),
                    remove: Iterable[str] = ()) -> list[TagFlip]:
        """Add and remove tags on papers, in one transaction; the flips that changed something."""
        add, remove = list(add), [t for t in remove if t not in set(add)]
        flips = [(pid, tag, tag in self._tags.get(pid, ()), True) for pid in ids for tag in add]
        flips += [(pid, tag, tag in self._tags.get(pid, ()), False) for pid in ids for tag in remove]
        flips = [flip for flip in flips if flip[2] != flip[3]]
        self.set_tags(flips)
        return flips

    def set_tags(self, flips: Iterable[TagFlip]) -> None:
        """Save each flip's "after" state, stamped now, in one transaction."""
        now = time.time()
        self.put_tag_rows([TagRow(pid, tag, after, now) for pid, tag, _, after in flips])

    def rename_tag(self, old: str, new: str) -> list[TagFlip]:
        """Move every paper's ``old`` tag to ``new``; the flips (for undo)."""
        ids = sorted(self.ids_with(old))
        flips = [(pid, old, True, False) for pid in ids]
        flips += [(pid, new, False, True) for pid in ids if new not in self._tags[pid]]
        self.set_tags(flips)
        return flips

    def tag_rows(self) -> list[TagRow]:
        """Every tag row, removals too, sorted by id and tag."""
        rows = self._db.execute("SELECT id, tag, present, changed FROM tags ORDER BY id, tag")
        return [TagRow(pid, tag, bool(present), changed) for pid, tag, present, changed in rows]

    def put_tag_rows(self, rows: Iterable[TagRow]) -> None:
        """Write the rows as given (their times kept), in one transaction."""
        rows = list(rows)
        with self._store.transaction() as db:
            db.executemany(
                "INSERT INTO tags (id, tag, present, changed) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(id, tag) DO UPDATE SET present = excluded.present,"
                " changed = excluded.changed",
                [(r.id, r.tag, int(r.present), r.changed) for r in rows],
            )
        for row in rows:
            tags = self._tags.setdefault(row.id, set())
            (tags.add if row.present else tags.discard)(row.tag)
        self.version += 1

    # Notes ------------------------------------------------------------------

    def note(self, paper_id: str) -> str:
        """The paper's note, "" when it has none."""
        return self._notes.get(paper_id, "")

    def notes(self) -> dict[str, str]:
        """Every non-empty note by paper id."""
        return dict(self._notes)

    def set_notes(self, texts: dict[str, str]) -> None:
        """Save notes ("" clears one), stamped now, in one transaction."""
        now = time.time()
        self.put_note_rows([NoteRow(pid, text, now) for pid, text in texts.items()])

    def note_rows(self) -> list[NoteRow]:
        """Every note row, cleared ones too, sorted by id."""
        rows = self._db.execute("SELECT id, text, changed FROM notes ORDER BY id")
        return [NoteRow(*row) for row in rows]

    def put_note_rows(self, rows: Iterable[NoteRow]) -> None:
        """Write the rows as given (their times kept), in one transaction."""
        rows = list(rows)
        with self._store.transaction() as db:
            db.executemany(
                "INSERT INTO notes (id, text, changed) VALUES (?, ?, ?) ON CONFLICT(id)"
                " DO UPDATE SET text = excluded.text, changed = excluded.changed",
                [(r.id, r.text, r.changed) for r in rows],
            )
        for row in rows:
            if row.text:
                self._notes[row.id] = row.text
            else:
                self._notes.pop(row.id, None)
        self.version += 1

    # Saved searches ---------------------------------------------------------

    def saved(self) -> list[SavedRow]:
        """The saved searches, in the order they were saved."""
        return [r for r in sorted(self.saved_rows(), key=lambda r: r.changed) if r.present]

    def add_saved(self, name: str, query: str) -> None:
        """Save a search; OrganiseError for a bad or taken name."""
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME:
            raise OrganiseError(f"bad saved-search name {name!r}: 1 to {MAX_NAME} characters")
        if any(r.name.casefold() == name.casefold() for r in self.saved()):
            raise OrganiseError(f"a saved search named {name!r} exists already")
        self.put_saved_rows([SavedRow(name, query, True, time.time())])

    def remove_saved(self, name: str) -> SavedRow:
        """Forget a saved search (a tombstone stays); OrganiseError if there is none so named."""
        found = [r for r in self.saved() if r.name.casefold() == name.casefold()]
        if not found:
            names = ", ".join(r.name for r in self.saved()) or "none saved"
            raise OrganiseError(f"no saved search named {name!r} (saved: {names})")
        self.put_saved_rows([SavedRow(found[0].name, found[0].query, False, time.time())])
        return found[0]

    def saved_rows(self) -> list[SavedRow]:
        """Every saved-search row, removals too, sorted by name."""
        rows = self._db.execute("SELECT name, query, present, changed FROM saved ORDER BY name")
        return [SavedRow(name, query, bool(present), changed) for name, query, present, changed in rows]

    def put_saved_rows(self, rows: Iterable[SavedRow]) -> None:
        """Write the rows as given (their times kept), in one transaction."""
        with self._store.transaction() as db:
            db.executemany(
                "INSERT INTO saved (name, query, present, changed) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET name = excluded.name, query = excluded.query,"
                " present = excluded.present, changed = excluded.changed",
                [(r.name, r.query, int(r.present), r.changed) for r in rows],
            )


# Moving a paper's rows to its new id ---------------------------------------------

_MOVE_TAGS = (  # a tag present on either id stays, with the time of its newest state
    "INSERT INTO tags (id, tag, present, changed) SELECT ?, tag, present, changed FROM tags"
    " WHERE id = ? ON CONFLICT(id, tag) DO UPDATE SET present = tags.present OR excluded.present,"
    " changed = CASE WHEN tags.present = excluded.present THEN max(tags.changed, excluded.changed)"
    " WHEN excluded.present THEN excluded.changed ELSE tags.changed END"
)


def organised_ids(db: sqlite3.Connection) -> set[str]:
    """The ids that have a tag or a note row (removals too)."""
    return {pid for (pid,) in db.execute("SELECT id FROM tags UNION SELECT id FROM notes")}


def merged_note(one: NoteRow, other: NoteRow) -> NoteRow:
    """Two notes on one paper as one: both texts, older first, when both have text and
    they differ; else the newer (a cleared note stays cleared). The newer time is kept."""
    older, newer = sorted((one, other), key=lambda row: row.changed)
    if older.text and newer.text and older.text != newer.text:
        return NoteRow(newer.id, f"{older.text}\n\n{newer.text}", newer.changed)
    return NoteRow(newer.id, newer.text, newer.changed)


def move_rows(db: sqlite3.Connection, now: str, old: str) -> None:
    """Move the tags and the note of ``old`` onto ``now``, merging with what ``now`` has,
    inside the caller's transaction (Organiser.reload() then reads them again)."""
    db.execute(_MOVE_TAGS, (now, old))
    db.execute("DELETE FROM tags WHERE id = ?", (old,))
    rows = {pid: NoteRow(pid, text, changed) for pid, text, changed in db.execute(
        "SELECT id, text, changed FROM notes WHERE id IN (?, ?)", (now, old))}
    if old in rows:
        note = merged_note(rows[old], rows[now]) if now in rows else rows[old]
        db.execute("INSERT OR REPLACE INTO notes (id, text, changed) VALUES (?, ?, ?)",
                   (now, note.text, note.changed))
        db.execute("DELETE FROM notes WHERE id = ?", (old,))


# Filters --------------------------------------------------------------------
# The library puts its Organiser and its hidden ids in the filter context's ``extra``.


def _check_tag(value: str) -> None:
    try:
        normalise_tag(value)
    except OrganiseError as error:
        raise QueryError(f"tag:{value}: {error}") from None


register("tag", chosen=lambda context, value: context.extra["organiser"].ids_with(
    normalise_tag(value)), example="tag:survey", needs="a tag name", negatable=True,
    check=_check_tag, small=True)
register("is:hidden", chosen=lambda context, value: context.extra["hidden"](), small=True)
