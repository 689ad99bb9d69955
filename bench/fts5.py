"""The baseline: the same corpus and queries in SQLite FTS5 (stdlib sqlite3, porter tokenizer).

Two FTS5 tables, as the Whoosh schema has stemmed fields and unstemmed twins:
``papers`` (porter over unicode61) for words, phrases and fields, and ``plain``
(unicode61 alone) for ``prefix*`` and ``fuzzy~`` terms, which miss on stems
("generat*" matches no porter token: "generation" is stored as "gener").
Queries are translated from the filter language by hand-written rules that
cover the benchmark's query set. FTS5 has no fuzzy search, so ``word~`` is
expanded in Python the way an application would: the word against the plain
table's vocabulary (fts5vocab), Damerau-Levenshtein distance 1, first letter
fixed (as Whoosh's FuzzyTerm does). ``is:`` filters join a marks table in the
same database. Ranking is bm25 with the Whoosh schema's field boosts.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from papertui.index import Doc

FIRST_SCREEN = 50
_COLUMNS = {"title": "title", "abstract": "abstract", "author": "authors", "authors": "authors"}
_TOKEN = re.compile(r'(-?)(?:(\w+):)?("[^"]*"|\S+)')
_WEIGHTS = "3.0, 1.0, 1.5"  # title, abstract, authors: the Whoosh schema's field boosts
_FILTERS = {
    "starred": "id IN (SELECT id FROM marks WHERE starred)",
    "unstarred": "id NOT IN (SELECT id FROM marks WHERE starred)",
    "read": "id IN (SELECT id FROM marks WHERE read)",
    "unread": "id NOT IN (SELECT id FROM marks WHERE read)",
}
LAYOUT = ("two tables, `papers` (porter unicode61 remove_diacritics 2) for words, phrases and"
          " fields, `plain` (unicode61 remove_diacritics 2) for prefix* and fuzzy~ terms")
_TABLE = "CREATE VIRTUAL TABLE {name} USING fts5(title, abstract, authors, id UNINDEXED, tokenize = '{tokenizer}')"


class Fts5:
    """One FTS5 database holding a corpus and its marks."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self._vocabulary: dict[str, list[str]] | None = None

    def build(self, docs: Sequence[Doc]) -> float:
        """Create and fill both tables in one transaction, then merge each to one b-tree; seconds."""
        started = time.perf_counter()
        db = self.db
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(_TABLE.format(name="papers", tokenizer="porter unicode61 remove_diacritics 2"))
        db.execute(_TABLE.format(name="plain", tokenizer="unicode61 remove_diacritics 2"))
        db.execute("CREATE TABLE marks (id TEXT PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0,"
                   " starred INTEGER NOT NULL DEFAULT 0)")
        db.execute("BEGIN")
        for table in ("papers", "plain"):
            db.executemany(f"INSERT INTO {table} (rowid, id, title, abstract, authors)"
                           " VALUES (?, ?, ?, ?, ?)",
                           ((n, *doc[:4]) for n, doc in enumerate(docs, start=1)))
        db.execute("COMMIT")
        for table in ("papers", "plain"):
            db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        return time.perf_counter() - started

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))

    def set_marks(self, marks: dict[str, tuple[bool, bool]]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT INTO marks (id, read, starred) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE"
            " SET read = excluded.read, starred = excluded.starred",
            [(pid, int(r), int(s)) for pid, (r, s) in marks.items()])
        self.db.execute("COMMIT")

    def search(self, query: str, limit: int | None = None) -> list[str]:
        """Ids matching ``query``: ranked for text, in list (rowid) order otherwise."""
        words, plain, filters = self.translate(query)
        where = [f"({f})" for f in filters]
        args: tuple = ()
        if words is None and plain is None:
            sql = "SELECT id FROM papers" + (" WHERE " + " AND ".join(where) if where else "")
            sql += " ORDER BY rowid"
        elif words is None:
            sql = "SELECT id FROM plain WHERE plain MATCH ?" + "".join(" AND " + w for w in where)
            sql += f" ORDER BY bm25(plain, {_WEIGHTS})"
            args = (plain,)
        else:
            if plain is not None:
                where.append("rowid IN (SELECT rowid FROM plain WHERE plain MATCH ?)")
            sql = "SELECT id FROM papers WHERE papers MATCH ?" + "".join(" AND " + w for w in where)
            sql += f" ORDER BY bm25(papers, {_WEIGHTS})"
            args = (words,) if plain is None else (words, plain)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [row[0] for row in self.db.execute(sql, args)]

    def translate(self, query: str) -> tuple[str | None, str | None, list[str]]:
        """(MATCH for ``papers``, MATCH for ``plain``, SQL filters) for a filter-bar query."""
        words: list[str] = []
        plain: list[str] = []
        filters: list[str] = []
        for negate, field, value in _TOKEN.findall(query):
            if field == "is":
                filters.append(_FILTERS[value])
                continue
            unstemmed = value.endswith(("*", "~"))
            expression = self._term(value)
            if expression is None:
                expression = '"nothing_matches_this_at_all"'
            if field:
                expression = f"{_COLUMNS[field]} : {expression}"
            (plain if unstemmed else words).append(("NOT " if negate else "") + expression)
        return (" AND ".join(words) or None, " AND ".join(plain) or None, filters)

    def _term(self, value: str) -> str | None:
        if value.startswith('"'):
            return '"' + value.strip('"').replace("-", " ") + '"'
        if value.endswith("*"):
            return '"' + value[:-1] + '"*'
        if value.endswith("~"):
            found = self.similar_terms(value[:-1])
            return "(" + " OR ".join(f'"{t}"' for t in found) + ")" if found else None
        return '"' + value + '"'

    def similar_terms(self, word: str) -> list[str]:
        """Unstemmed index terms within one edit (a swap counts one) of ``word``, same first letter."""
        if self._vocabulary is None:
            self.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, plain, row)")
            vocabulary: dict[str, list[str]] = {}
            for (term,) in self.db.execute("SELECT term FROM temp.vocab"):
                vocabulary.setdefault(term[:1], []).append(term)
            self._vocabulary = vocabulary
        target = word.lower()
        return [t for t in self._vocabulary.get(target[:1], [])
                if abs(len(t) - len(target)) <= 1 and _within_one(t, target)]

    def close(self) -> None:
        self.db.close()


def _within_one(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of at most 1."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            if len(a) < len(b):
                return a[i:] == b[i + 1:]
            return a[i + 1:] == b[i + 1:] or (a[i + 1:i + 2] == y and b[i + 1:i + 2] == x
                                                and a[i + 2:] == b[i + 2:])
    return True
