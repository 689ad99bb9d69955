"""Keeping marks, tags and notes on their paper when its id changes.

A paper's id is its arXiv id when some source gives one, else its title key
(see papertui.models). Adding a source can give a seed paper its arXiv id;
removing that source, or editing it, takes the id away again. The aliases
table of state.db remembers each marked, tagged or noted paper's title key and
arXiv id, so what the user gave it can move to whichever id the paper has now,
in either direction. Where both ids have some, they merge: a flag or tag set
on either stays, and two different notes are joined (papertui.organise).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from papertui.catalog import Catalog
from papertui.models import is_arxiv_id
from papertui.organise import move_rows, organised_ids
from papertui.state import StateStore

_MOVE_MARKS = (
    "INSERT INTO marks (id, read, starred, updated, read_changed, starred_changed)"
    " SELECT ?, read, starred, updated, read_changed, starred_changed FROM marks WHERE id = ?"
    " ON CONFLICT(id) DO UPDATE SET read = marks.read OR excluded.read,"
    " starred = marks.starred OR excluded.starred,"
    " updated = max(marks.updated, excluded.updated),"
    " read_changed = max(coalesce(marks.read_changed, 0), coalesce(excluded.read_changed, 0)),"
    " starred_changed = max(coalesce(marks.starred_changed, 0),"
    " coalesce(excluded.starred_changed, 0))"
)


def follow_papers(store: StateStore, catalog: Catalog, present: Collection[str],
                  marked: Iterable[str]) -> bool:
    """Move the marks, tags and notes of ids that no paper has onto the paper's id now.

    ``marked`` holds the ids with marks (those with tags or notes are read here);
    ``present`` holds the library's ids. First each such paper with an arXiv id
    gets its title key remembered as an alias, so that all it has can come back to
    the title key if the arXiv id goes away. Returns True when anything moved.
    """
    marked = list(dict.fromkeys([*marked, *sorted(organised_ids(store.connection))]))
    aliases = dict(store.connection.execute("SELECT alias, id FROM aliases"))
    remembered = set(aliases.values())
    fresh = [pid for pid in marked
             if pid in present and is_arxiv_id(pid) and pid not in remembered]
    keys = catalog.title_keys(fresh)
    new_aliases = [(key, pid) for pid, key in keys.items() if key != pid]
    by_target: dict[str, list[str]] = {}
    for alias, target in [*aliases.items(), *new_aliases]:
        by_target.setdefault(target, []).append(alias)
    moves = []
    for pid in marked:
        if pid not in present:
            now = _now_called(pid, present, catalog, by_target)
            if now is not None:
                moves.append((now, pid))
    if not (new_aliases or moves):
        return False
    with store.transaction() as db:
        db.executemany("INSERT OR REPLACE INTO aliases (alias, id) VALUES (?, ?)",
                       new_aliases + [(old, now) for now, old in moves
                                      if is_arxiv_id(now) and not is_arxiv_id(old)])
        for now, old in moves:
            db.execute(_MOVE_MARKS, (now, old))
            db.execute("DELETE FROM marks WHERE id = ?", (old,))
            move_rows(db, now, old)
    return bool(moves)


def _now_called(pid: str, present: Collection[str], catalog: Catalog,
                by_target: dict[str, list[str]]) -> str | None:
    """The id the paper once called ``pid`` has in the library now, if it is there."""
    if not is_arxiv_id(pid):  # a title key: has the paper gained an arXiv id?
        now = catalog.id_for_title_key(pid)
        return now if now in present and now != pid else None
    for key in by_target.get(pid, ()):  # an arXiv id that went away: back to its title key
        now = key if key in present else catalog.id_for_title_key(key)
        if now in present and now != pid:
            return now
    return None
