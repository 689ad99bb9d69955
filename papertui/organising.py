"""Organising a library: tags, notes, saved searches and their counts, hidden papers, undo.

The facade hands out one ``Organising`` as ``Library.organise``: what the app
and the command line call to tag, annotate, save searches, count folders and
undo. Each action that changes many papers is one transaction and one entry
in the undo log. The library passes in what this needs of it as ``Hooks``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from papertui import config, paths
from papertui.errors import IndexNotReady, PapertuiError, QueryError, StateError
from papertui.models import Mark, Paper
from papertui.organise import Organiser, SavedRow, normalise_tag
from papertui.query import parse
from papertui.state import StateStore
from papertui.undo import Change, UndoLog, plan


@dataclass(frozen=True, slots=True)
class Hooks:
    """What organising needs of the library."""

    mark: Callable[[str], Mark]
    set_marks: Callable[[dict[str, Mark]], None]
    reload_marks: Callable[[], None]
    match: Callable[[str], AbstractSet[str]]  # a query's ids, hidden papers left out
    match_all: Callable[[str], AbstractSet[str]]  # a query's ids, hidden papers too
    shown: Callable[[str], bool]  # in the library and not hidden
    read: Callable[[], AbstractSet[str]]
    new: Callable[[], AbstractSet[str]]
    paper: Callable[[str], Paper]  # KeyError for an id not in the library
    index_note: Callable[[Paper, str], None]
    hidden_key: Callable[[], object]  # changes when the papers or the index change
    # Named values an undo puts back, e.g. "new_since" for a catch-up.
    values: dict[str, Callable[[object], None]] = field(default_factory=dict)
    marks_key: Callable[[], object] = lambda: None  # changes when any mark changes


@dataclass(frozen=True, slots=True)
class Folder:
    """A sidebar entry: a built-in (Inbox, Unread, Starred), a tag, or a saved search."""

    name: str
    query: str
    kind: str  # "builtin", "tag" or "saved"


@dataclass(frozen=True, slots=True)
class FolderCount:
    """How many papers a query finds, how many of those are unread and new; or its problem."""

    total: int = 0
    unread: int = 0
    new: int = 0
    problem: str = ""


_ON_MARKS = frozenset({"is:read", "is:unread", "is:starred", "is:unstarred"})

BUILT_IN = (Folder("Inbox", "is:new", "builtin"), Folder("Unread", "is:unread", "builtin"),
            Folder("Starred", "is:starred", "builtin"))


def active_folder(folders: Sequence[Folder], query: str) -> int | None:
    """The index of the first folder whose query is ``query`` (spacing and case aside): the
    sidebar marks it as the one shown."""
    wanted = " ".join(query.split()).casefold()
    if not wanted:
        return None
    return next((n for n, f in enumerate(folders) if " ".join(f.query.split()).casefold() == wanted),
                None)


def _papers(count: int) -> str:
    return f"{count:,} paper" + ("" if count == 1 else "s")


class Organising:
    """Tags, notes, saved searches, hide rules and the undo log of one library."""

    def __init__(self, store: StateStore, hooks: Hooks, notices: list[str],
                 hide_rules: Sequence[tuple[str, int]] | None = None) -> None:
        self._store = store
        self._hooks = hooks
        self.organiser = Organiser(store)
        self.undo = UndoLog(store)
        if hide_rules is None:
            hide_rules = config.load()[0].hide
        self.hide_rules = self._parsed_rules(hide_rules, notices)
        self._hidden: tuple[object, frozenset[str]] | None = None
        self._rules_read = _read_by(self.hide_rules)

    # Hidden papers -----------------------------------------------------------

    @staticmethod
    def _parsed_rules(rules: Sequence[tuple[str, int]], notices: list[str]) -> tuple[str, ...]:
        kept = []
        where = paths.config_file()
        for rule, line in rules:
            try:
                parsed = parse(rule)
                if any(f.key == "is:hidden" for f in parsed.filters):
                    raise QueryError("a hide rule cannot use is:hidden")
            except QueryError as error:
                at = f"{where}:{line}" if line else str(where)
                notices.append(f"{at}: hide rule {rule!r} is ignored: {error}")
                continue
            kept.append(rule)
        return tuple(kept)

    def _hidden_key(self) -> tuple:
        """What the hidden papers depend on: the papers and the index, and what the rules
        read of the user's own (marks; tags and notes; what is new)."""
        reads = self._rules_read
        return (self._hooks.hidden_key(),
                self._hooks.marks_key() if "marks" in reads else None,
                self.organiser.version if "organised" in reads else None,
                self._hooks.new() if "new" in reads else None)

    def hidden(self) -> frozenset[str]:
        """The ids the hide rules hide (text rules only once the index is open); asked
        again as soon as a mark, tag, note or new paper a rule reads changes."""
        key = self._hidden_key()
        if self._hidden is None or self._hidden[0] != key:
            found: set[str] = set()
            for rule in self.hide_rules:
                try:
                    found.update(self._hooks.match_all(rule))
                except IndexNotReady:
                    continue  # a text rule applies once the index is open
            self._hidden = (key, frozenset(found))
        return self._hidden[1]

    def hidden_count(self) -> int:
        """How many papers of the library the hide rules hide."""
        return len(self.hidden())

    # Marks ------------------------------------------------------------------

    def apply_marks(self, label: str, after: dict[str, Mark]) -> Change | None:
        """Save ``after`` as one transaction and one undo entry; None when nothing changes."""
        change = plan(label, after, self._hooks.mark)
        if change is not None:
            self._logged(change, lambda: self._hooks.set_marks(change.after))
        return change

    def _logged(self, change: Change | None, save: Callable[[], None]) -> None:
        """Run ``save`` and log ``change`` (None: ``save`` logs) in one transaction."""
        try:
            with self._store.transaction():
                save()
                if change is not None:
                    self.undo.push(change)
        except StateError:
            self._hooks.reload_marks()  # what memory holds may be ahead of what was saved
            self.organiser.reload()
            raise

    # Tags -------------------------------------------------------------------

    def tags_of(self, paper_id: str) -> tuple[str, ...]:
        """The paper's tags, sorted."""
        return self.organiser.tags_of(paper_id)

    def tag_counts(self) -> dict[str, int]:
        """Each tag in use and how many papers shown (not hidden) have it, by name."""
        return self.organiser.tag_counts(self._hooks.shown)

    def change_tags(self, ids: Iterable[str], add: Iterable[str] = (),
                    remove: Iterable[str] = ()) -> Change | None:
        """Add and remove tags on papers: one transaction, one undo entry; None if no change.

        OrganiseError names a bad tag before anything is saved.
        """
        ids = list(dict.fromkeys(ids))
        add = [normalise_tag(t) for t in add]
        remove = [normalise_tag(t) for t in remove]
        planned = []

        def save() -> None:
            planned.extend(self.organiser.change_tags(ids, add, remove))
            if not planned:
                raise _Unchanged
            self.undo.push(Change(self._tag_label(planned, add, remove), tags=tuple(planned)))

        try:
            self._logged(None, save)
        except _Unchanged:
            return None
        return Change(self._tag_label(planned, add, remove), tags=tuple(planned))

    @staticmethod
    def _tag_label(flips: list, add: list[str], remove: list[str]) -> str:
        papers = _papers(len({flip[0] for flip in flips}))
        if add and not remove:
            return f"tagged {papers} {', '.join(add)}"
        if remove and not add:
            return f"removed {', '.join(remove)} from {papers}"
        return f"changed the tags of {papers}"

    def rename_tag(self, old: str, new: str) -> Change | None:
        """Give every paper tagged ``old`` the tag ``new`` instead; None when none has it."""
        old, new = normalise_tag(old), normalise_tag(new)
        if old == new or not self.organiser.ids_with(old):
            return None
        label = f"renamed tag {old} to {new} on {_papers(len(self.organiser.ids_with(old)))}"
        flips: list = []

        def save() -> None:
            flips.extend(self.organiser.rename_tag(old, new))
            self.undo.push(Change(label, tags=tuple(flips)))

        self._logged(None, save)
        return Change(label, tags=tuple(flips))

    # Notes ------------------------------------------------------------------

    def note(self, paper_id: str) -> str:
        """The paper's note, "" when it has none."""
        return self.organiser.note(paper_id)

    def set_note(self, paper_id: str, text: str) -> Change | None:
        """Save a paper's note ("" clears it) as one undo entry, and re-index that paper."""
        text = text.strip()
        before = self.organiser.note(paper_id)
        if text == before:
            return None
        label = f"{'cleared' if not text else 'edited'} the note on {paper_id}"
        change = Change(label, notes={paper_id: (before, text)})
        self._logged(change, lambda: self.organiser.set_notes({paper_id: text}))
        self._index_notes({paper_id: text})
        return change

    def _index_notes(self, notes: dict[str, str]) -> None:
        for pid, text in notes.items():
            try:
                paper = self._hooks.paper(pid)
            except KeyError:
                continue  # not in the library: its note is indexed when it arrives
            self._hooks.index_note(paper, text)

    def reload(self, changed_notes: Iterable[str] = ()) -> None:
        """Read tags and notes again (another process changed them); re-index changed notes."""
        self.organiser.reload()
        self._index_notes({pid: self.organiser.note(pid) for pid in changed_notes})

    # Undo -------------------------------------------------------------------

    def undo_last(self) -> Change | None:
        """Undo the newest action, all of it, in one transaction; None when the log is empty.

        A failed undo (StateError) stays in the log.
        """
        found = self.undo.newest()
        if found is None:
            return None
        seq, change = found

        def put_back() -> None:
            if change.before:
                self._hooks.set_marks(change.before)
            if change.tags:
                self.organiser.set_tags([(p, t, now, was) for p, t, was, now in change.tags])
            if change.notes:
                self.organiser.set_notes({p: was for p, (was, _) in change.notes.items()})
            for name, (before, _) in change.values.items():
                self._hooks.values[name](before)
            self.undo.drop(seq)

        try:
            with self._store.transaction():
                put_back()
        except StateError:
            self._hooks.reload_marks()
            self.organiser.reload()
            raise
        self._index_notes({p: was for p, (was, _) in change.notes.items()})
        return change

    def log(self, change: Change) -> None:
        """Add an action done elsewhere (a catch-up, with its ``values``) to the undo log."""
        self.undo.push(change)

    # Saved searches and folders ---------------------------------------------

    def saved(self) -> list[SavedRow]:
        """The saved searches, oldest first."""
        return self.organiser.saved()

    def add_saved(self, name: str, query: str) -> None:
        """Save a search; QueryError if it does not parse, OrganiseError for a taken name."""
        parse(query)
        self.organiser.add_saved(name, query)

    def remove_saved(self, name: str) -> SavedRow:
        """Forget a saved search; OrganiseError when none has that name."""
        return self.organiser.remove_saved(name)

    def folders(self) -> list[Folder]:
        """The sidebar's entries: Inbox, Unread, Starred, one per tag, then the saved searches."""
        tags = [Folder(tag, f"tag:{tag}", "tag") for tag in self.organiser.tag_counts()]
        return [*BUILT_IN, *tags, *(Folder(s.name, s.query, "saved") for s in self.saved())]

    def counts(self, queries: Sequence[str]) -> list[FolderCount]:
        """Total, unread and new for each query, hidden papers left out. Blocking (about
        10 ms a query at 74k papers; more the first time), so call it in a worker."""
        read, new = self._hooks.read(), self._hooks.new()
        found = []
        for query in queries:
            try:
                ids = self._hooks.match(query)
            except PapertuiError as error:  # a bad query, or text before the index is open
                found.append(FolderCount(problem=str(error)))
                continue
            # & walks the smaller of two sets
            found.append(FolderCount(len(ids), len(ids) - len(ids & read), len(ids & new)))
        return found


def _read_by(rules: Sequence[str]) -> frozenset[str]:
    """What of the user's own the rules read: "marks", "organised" (tags, and notes: words
    match them) and "new" (``is:new``, which moves with each catch-up)."""
    reads = set()
    for rule in rules:
        parsed = parse(rule)
        keys = {f.key for f in parsed.filters}
        if keys & _ON_MARKS:
            reads.add("marks")
        if "tag" in keys or parsed.text is not None:
            reads.add("organised")
        if "is:new" in keys:
            reads.add("new")
    return frozenset(reads)


class _Unchanged(Exception):
    """Nothing to save: the transaction ends without an undo entry."""

