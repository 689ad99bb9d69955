"""The user's state as JSON Lines that move between machines, and the merge that reads them.

``papertui state export`` writes one line per paper that has any state, sorted
by id (the arXiv id where there is one), then one per saved search, sorted by
name. Every fact carries the time it last changed, in UTC to the microsecond
(``"2025-08-13T09:12:01.000000Z"``, shown as T below), and each tag its own add
or remove time; one line each in the file::

    {"kind": "paper", "id": "2001.08361", "read": {"value": true, "changed": T},
     "starred": {...}, "note": {"text": "Use for §2", "changed": T},
     "tags": {"old": {"removed": T}, "survey": {"added": T}}}
    {"kind": "saved", "name": "to read", "query": "tag:survey is:unread", "added": T}

Keys come in a fixed order, so the file diffs cleanly in git or a synced folder.

Importing merges fact by fact: the newer change wins, so a removal made later
beats an older add and is never undone by it, and nothing that is not in the
file is touched. Two changes at the same microsecond are settled by value
(true over false, then the greater text), so every machine ends up the same
whichever file it reads first. A winner with the same value only moves the
time forward, silently; importing a file twice changes nothing. Ids this
library does not hold are kept and apply when the paper arrives.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from papertui.errors import PapertuiError, QueryError
from papertui.organise import NoteRow, Organiser, OrganiseError, SavedRow, TagRow, normalise_tag
from papertui.query import parse
from papertui.state import StateStore

PAPER, SAVED = "paper", "saved"
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MICRO = datetime.timedelta(microseconds=1)
_MARKS = ("read", "starred")
_TAG = "tag:"


@dataclass(frozen=True, slots=True)
class Stamped:
    """A value and when it last changed, in whole microseconds since the epoch.

    Values: a bool for a mark or a tag (present), the text for a note, and
    (present, query, name) for a saved search.
    """

    value: Any
    micros: int

    def beats(self, other: Stamped | None) -> bool:
        """Newer wins; at the same time the greater value does, so every merge agrees."""
        if other is None:
            return True
        return (self.micros, self.value) > (other.micros, other.value)


# A paper fact is keyed (id, "read" | "starred" | "note" | "tag:NAME"); a saved
# search ("saved", its name case-folded), as saved-search names ignore case.
Key = tuple[str, str]


class LineError(PapertuiError):
    """One line of a state file that cannot be read."""


@dataclass
class ImportReport:
    """What an import changed, one line per paper or saved search, and the lines it skipped."""

    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line N: why"
    papers: int = 0
    saved: int = 0
    note_ids: set[str] = field(default_factory=set)  # whose note changed (for the index)

    def summary(self) -> str:
        if not self.papers and not self.saved:
            return "nothing changed"
        return f"{_count(self.papers, 'paper')} and {_count(self.saved, 'saved search')} changed"


# Export ---------------------------------------------------------------------


def export_state(store: StateStore, organiser: Organiser) -> str:
    """Every mark, tag, note and saved search as JSON Lines (see the module's docstring)."""
    facts = _local(store, organiser)
    lines = [_paper_line(pid, facts) for pid in sorted({k[0] for k in facts if k[0] != SAVED})]
    lines += [_saved_line(facts[key]) for key in sorted(k for k in facts if k[0] == SAVED)]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _paper_line(pid: str, facts: dict[Key, Stamped]) -> dict[str, Any]:
    line: dict[str, Any] = {"kind": PAPER, "id": pid}
    for mark in _MARKS:
        if fact := facts.get((pid, mark)):
            line[mark] = {"value": fact.value, "changed": format_time(fact.micros)}
    if fact := facts.get((pid, "note")):
        line["note"] = {"text": fact.value, "changed": format_time(fact.micros)}
    tags = sorted((k[1].removeprefix(_TAG), f) for k, f in facts.items()
                  if k[0] == pid and k[1].startswith(_TAG))
    if tags:
        line["tags"] = {tag: {"added" if f.value else "removed": format_time(f.micros)}
                        for tag, f in tags}
    return line


def _saved_line(fact: Stamped) -> dict[str, Any]:
    present, query, name = fact.value
    when = "added" if present else "removed"
    return {"kind": SAVED, "name": name, "query": query, when: format_time(fact.micros)}


# Import ---------------------------------------------------------------------


def import_state(text: str, store: StateStore, organiser: Organiser,
                 known: Callable[[str], bool]) -> ImportReport:
    """Merge a state file into the store, in one transaction.

    ``known`` says whether an id is a paper of this library (the others are kept
    all the same). A line that cannot be read is skipped and named in
    ``problems``; the rest is imported. ``text`` may hold bytes decoded with
    ``surrogateescape``: a line that is not UTF-8 is one such problem.
    """
    report = ImportReport()
    incoming = _read(text, report.problems, store.resolve)
    with store.transaction():
        local = _local(store, organiser)
        winners = {key: fact for key, fact in incoming.items() if fact.beats(local.get(key))}
        _write(winners, store, organiser)
    _describe(winners, local, known, report)
    return report


def _local(store: StateStore, organiser: Organiser) -> dict[Key, Stamped]:
    facts: dict[Key, Stamped] = {}
    for row in store.mark_rows():
        for mark, value, changed in (("read", row.read, row.read_changed),
                                     ("starred", row.starred, row.starred_changed)):
            if changed is not None:
                facts[row.id, mark] = Stamped(value, to_micros(changed))
    for tag in organiser.tag_rows():
        facts[tag.id, _TAG + tag.tag] = Stamped(tag.present, to_micros(tag.changed))
    for note in organiser.note_rows():
        facts[note.id, "note"] = Stamped(note.text, to_micros(note.changed))
    for saved in organiser.saved_rows():
        facts[SAVED, saved.name.casefold()] = Stamped(
            (saved.present, saved.query, saved.name), to_micros(saved.changed))
    return facts


def _write(winners: dict[Key, Stamped], store: StateStore, organiser: Organiser) -> None:
    marks, tags, notes, saved = [], [], [], []
    for (pid, what), fact in winners.items():
        when = fact.micros / 1_000_000
        if pid == SAVED:
            present, query, name = fact.value
            saved.append(SavedRow(name, query, present, when))
        elif what in _MARKS:
            marks.append((pid, what, fact.value, when))
        elif what == "note":
            notes.append(NoteRow(pid, fact.value, when))
        else:
            tags.append(TagRow(pid, what.removeprefix(_TAG), fact.value, when))
    store.put_mark_fields(marks)
    organiser.put_tag_rows(tags)
    organiser.put_note_rows(notes)
    organiser.put_saved_rows(saved)


def _describe(winners: dict[Key, Stamped], local: dict[Key, Stamped],
              known: Callable[[str], bool], report: ImportReport) -> None:
    """Report each paper (marks, tags, note) and then each saved search that changed visibly."""
    by_paper: dict[str, list[str]] = {}
    saved: list[str] = []
    for (pid, what), fact in sorted(winners.items(), key=_report_order):
        before = local.get((pid, what))
        if pid == SAVED:
            if change := _saved_change(fact, before):
                saved.append(change)
            continue
        if what == "note":
            if fact.value != (before.value if before else ""):
                report.note_ids.add(pid)
                word = "note cleared" if not fact.value else "note set"
                by_paper.setdefault(pid, []).append(word)
        elif fact.value != (before.value if before else False):
            by_paper.setdefault(pid, []).append(_flip(what, fact.value))
    for pid, words in by_paper.items():
        later = "" if known(pid) else " (not in the library yet: kept for when it arrives)"
        report.changes.append(f"{pid}: {', '.join(words)}{later}")
    report.changes += saved
    report.papers, report.saved = len(by_paper), len(saved)


def _report_order(item: tuple[Key, Stamped]) -> tuple[bool, str, int, str]:
    (pid, what), _ = item
    rank = {"read": 0, "starred": 1, "note": 3}.get(what, 2)  # tags between
    return pid == SAVED, pid, rank, what


def _flip(what: str, value: bool) -> str:
    if what.startswith(_TAG):
        return ("+" if value else "-") + what.removeprefix(_TAG)
    return what if value else "un" + what


def _saved_change(fact: Stamped, before: Stamped | None) -> str | None:
    present, query, name = fact.value
    was_present, old_query = (before.value[0], before.value[1]) if before else (False, "")
    if present and not was_present:
        return f"saved search {name!r} added: {query}"
    if was_present and not present:
        return f"saved search {name!r} removed"
    if present and query != old_query:
        return f"saved search {name!r} now: {query}"
    return None


# Reading the file -------------------------------------------------------------


def _read(text: str, problems: list[str], resolve: Callable[[str], str]) -> dict[Key, Stamped]:
    """The newest fact of each key in the file; a bad line goes to ``problems`` whole."""
    facts: dict[Key, Stamped] = {}
    # Only \n ends a line: a note may hold U+2028, which str.splitlines would split.
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        if not line.strip():
            continue
        try:
            found = _line_facts(line.removesuffix("\r"), resolve)
        except LineError as error:
            problems.append(f"line {number}: {error}")
            continue
        for key, fact in found:
            if fact.beats(facts.get(key)):
                facts[key] = fact
    return facts


def _line_facts(line: str, resolve: Callable[[str], str]) -> list[tuple[Key, Stamped]]:
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # bytes read with surrogateescape that are not UTF-8
        raise LineError("not UTF-8 text") from None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise LineError("not a JSON object")
    kind = record.get("kind")
    if kind == PAPER:
        return _paper_facts(record, resolve)
    if kind == SAVED:
        return [_saved_fact(record)]
    raise LineError(f'"kind" must be "{PAPER}" or "{SAVED}", not {_show(kind)}')


def _paper_facts(record: dict[str, Any],
                 resolve: Callable[[str], str]) -> list[tuple[Key, Stamped]]:
    pid = _text(record, "id").strip()
    if not pid:
        raise LineError('"id" is empty')
    pid = resolve(pid)
    facts: list[tuple[Key, Stamped]] = []
    for mark in _MARKS:
        if mark in record:
            entry = _object(record, mark)
            value = entry.get("value")
            if not isinstance(value, bool):
                raise LineError(f'"{mark}.value" must be true or false, not {_show(value)}')
            facts.append(((pid, mark), Stamped(value, _time(entry, "changed", mark))))
    if "note" in record:
        note = _object(record, "note")
        text = _text(note, "text", "note")
        facts.append(((pid, "note"), Stamped(text, _time(note, "changed", "note"))))
    for name, entry in _object(record, "tags").items() if "tags" in record else ():
        try:
            tag = normalise_tag(name)
        except OrganiseError as error:
            raise LineError(str(error)) from None
        if not isinstance(entry, dict) or len(entry.keys() & {"added", "removed"}) != 1:
            raise LineError(f'tag {name!r} needs one of "added" or "removed" with its time')
        added = "added" in entry
        when = _time(entry, "added" if added else "removed", f"tags.{name}")
        facts.append(((pid, _TAG + tag), Stamped(added, when)))
    return facts


def _saved_fact(record: dict[str, Any]) -> tuple[Key, Stamped]:
    name = " ".join(_text(record, "name").split())
    query = _text(record, "query")
    if not name:
        raise LineError('"name" is empty')
    if len(record.keys() & {"added", "removed"}) != 1:
        raise LineError(f'saved search {name!r} needs one of "added" or "removed" with its time')
    added = "added" in record
    if added:
        try:
            parse(query)
        except QueryError as error:
            raise LineError(f"saved search {name!r}: {error}") from None
    when = _time(record, "added" if added else "removed", name)
    return (SAVED, name.casefold()), Stamped((added, query, name), when)


def _object(record: dict[str, Any], key: str) -> dict[str, Any]:
    value = record.get(key)
    if not isinstance(value, dict):
        raise LineError(f'"{key}" must be an object, not {_show(value)}')
    return value


def _text(record: dict[str, Any], key: str, where: str = "") -> str:
    value = record.get(key)
    if not isinstance(value, str):
        raise LineError(f'"{_path(where, key)}" must be text, not {_show(value)}')
    return value


def _time(record: dict[str, Any], key: str, where: str) -> int:
    value = record.get(key)
    try:
        if isinstance(value, str):
            return parse_time(value)
    except ValueError:
        pass
    raise LineError(f'"{_path(where, key)}" must be a UTC time such as'
                    f' "2025-08-13T09:12:01.000000Z", not {_show(value)}')


def _path(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _show(value: object) -> str:
    return "nothing" if value is None else json.dumps(value, ensure_ascii=False)[:60]


def _count(number: int, noun: str) -> str:
    plural = noun if number == 1 else ("saved searches" if noun == "saved search" else noun + "s")
    return f"{number} {plural}"


# Times ----------------------------------------------------------------------------


def to_micros(seconds: float) -> int:
    """A ``time.time()`` value in whole microseconds, the precision the file keeps."""
    return round(seconds * 1_000_000)


def format_time(micros: int) -> str:
    """``2025-08-13T09:12:01.000000Z``."""
    return (_EPOCH + micros * _MICRO).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> int:
    """Microseconds since the epoch of an ISO 8601 time with a zone; ValueError otherwise."""
    when = datetime.datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError(text)
    return (when - _EPOCH) // _MICRO
