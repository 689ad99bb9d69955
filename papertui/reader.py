"""The reader without Textual: what the list shows, why a query waits, and what the keys decide.

The screen turns keys into calls on ``Reader`` and repaints from its state.
Searches are blocking calls (``answers``: a ranked query's first screen, then
its complete list) that the screen runs off the event loop; each request
carries a generation number, and ``accept`` drops any answer that is not for
the newest request, so a slow old search never overwrites a newer one (its
worker cancels it). Mark changes go through the facade and its undo log,
one ``Change`` per action.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from papertui import answering, ordering
from papertui.answering import Answer, Request
from papertui.did_you_mean import Spelling
from papertui.errors import QueryError, StateError
from papertui.index_wait import BuildClock, IndexStatus, about
from papertui.query import parse
from papertui.library import Library, SearchResult
from papertui.models import Mark
from papertui.tex import tex_to_text

SIMILAR_CACHE = 512
CONFIRM_ABOVE = 100  # an action on more papers than this asks first


@dataclass(frozen=True, slots=True, eq=False)
class Shown:
    """What the list shows: a query's result, and the paper the cursor should stay on."""

    result: SearchResult
    keep: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """One line to tell the user."""

    text: str
    severity: str = "information"
    timeout: float = 3


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a key did: marks to repaint, where the cursor goes, what to say."""

    repaint: bool = False
    move_to: int | None = None
    select: str | None = None
    notice: Notice | None = None


NOTHING = Outcome()


def toggled_read(mark: Mark) -> Mark:
    return Mark(read=not mark.read, starred=mark.starred)


def toggled_star(mark: Mark) -> Mark:
    return Mark(read=mark.read, starred=not mark.starred)


def read(mark: Mark) -> Mark:
    return Mark(read=True, starred=mark.starred)


def starred_and_read(mark: Mark) -> Mark:
    return Mark(read=True, starred=True)


def next_unread(
    ids: Sequence[str], start: int, is_read: Callable[[str], bool], step: int = 1
) -> int | None:
    """The index of the first unread paper after ``start`` going ``step`` (+1 or -1)."""
    index = start + step
    while 0 <= index < len(ids):
        if not is_read(ids[index]):
            return index
        index += step
    return None


class Reader:
    """One library as the reader shows it: the query, its results, the index, the marks."""

    def __init__(self, library: Library, clock: Callable[[], float] = time.monotonic) -> None:
        self.library = library
        self.generation = 0
        self.query = ""
        self.sort: str | None = None  # None: relevance with a text query, else list order
        self.keep: str | None = None  # the paper to keep the cursor on when results arrive
        self.to_top = False  # the words changed: the next result opens on its top row
        self.shown = Shown(library.search(""))
        self.problem = ""
        self.waiting = False  # the newest query waits for the index
        self.index = IndexStatus()
        self.spelling = Spelling()  # did you mean: its note, and what ctrl+r searches
        self._notices_shown = 0
        self._similar: OrderedDict[str, list[str]] = OrderedDict()
        self._build = BuildClock(clock)

    # The library ------------------------------------------------------------

    def swap(self, library: Library, current: str | None = None) -> None:
        """Show ``library`` from now on, in place of the preview it completes.

        Its whole list shows at once, cursor on ``current``: a query waiting for
        the index must not leave the preview's few papers on screen.
        """
        old, self.library = self.library, library
        old.close()
        self.shown = Shown(library.search(""), current)
        self.index = IndexStatus()
        self._similar.clear()
        self._notices_shown = 0

    def new_notices(self) -> list[str]:
        """The library's one-line notices not taken yet (opening the index can add some)."""
        fresh = self.library.notices[self._notices_shown:]
        self._notices_shown = len(self.library.notices)
        return list(fresh)

    def title(self, paper_id: str) -> str:
        """A paper's title as plain text (what the list shows)."""
        return tex_to_text(self.library.paper(paper_id).title)

    def mark(self, paper_id: str) -> Mark:
        return self.library.mark(paper_id)

    # The query --------------------------------------------------------------

    def keep_on(self, paper_id: str | None, *, pending: bool = False) -> None:
        """Put the cursor on ``paper_id`` in the list shown now; with a query ``pending``, keep
        it there when that query's answer arrives too (and no longer: a later answer must not
        pull the cursor back from where the user moved it)."""
        self.shown = Shown(self.shown.result, paper_id)
        self.keep = paper_id if pending else None

    def ask(self, query: str, keep: str | None = None) -> Request:
        """A request for ``query``'s results; from now on only its answer is accepted.

        New words open the results on their top row; the same words with other
        filters (or another order) keep the cursor's paper while it is shown.
        """
        self.generation += 1
        if words_of(query) != words_of(self.query):
            self.to_top = True
        self.query = query
        if keep is not None:
            self.keep = keep
        return Request(self.generation, query, self.sort, self.spelling.asked(query))

    def respell(self) -> str | None:
        """ctrl+r: the query to ask for instead of the one shown: what was typed instead of its
        correction, or the other way round, or the correction offered; None when there is none."""
        return self.spelling.switch(self.shown.result)

    def resort(self) -> tuple[str, Request]:
        """The next order for the results shown, and the request that shows them so."""
        result = self.shown.result
        order = ordering.following(result.order, result.ranked,
                                   self.library.offers_upvotes(result.ids))
        # Back at the default, the default it stays: a later text query is ranked again.
        self.sort = None if order == ordering.default(result.ranked) else order
        return order, self.ask(result.query)

    def answers(self, request: Request, cancelled: Callable[[], bool] | None = None) -> Iterator[Answer]:
        """The first screen of ``request``'s results, then its complete list (blocking: call it
        off the event loop; see papertui.answering). Stops, without an answer, once stale:
        a newer request was asked for, or ``cancelled()``."""
        def stale() -> bool:
            return request.generation != self.generation or (cancelled is not None and cancelled())

        return answering.answers(self.library, request, stale)

    def answer(self, request: Request) -> Answer:
        """Run ``request`` for its complete list (blocking: call it off the event loop)."""
        return answering.answer(self.library, request)

    def accept(self, answer: Answer, current: str | None) -> bool:
        """Take ``answer`` if it is for the newest request; False (and nothing changes) if stale.

        A problem or a wait leaves the last good list in place.
        """
        if answer.generation != self.generation:
            return False
        self.waiting = answer.waiting
        self.problem = answer.problem
        if answer.result is not None:
            self.shown = Shown(answer.result, self.keep or (None if self.to_top else current))
            self.keep = None
            self.to_top = False
        return True

    def message(self) -> tuple[str, str]:
        """What to say under the query, and its kind ("error" or "waiting"); ("", "") for nothing."""
        if self.waiting:
            return self.waiting_text(), "error" if self.index.stage == "failed" else "waiting"
        if self.problem:
            return self.problem, "error"
        spelling = self.spelling.note(self.shown.result)
        return (spelling, "spelling") if spelling else ("", "")

    @property
    def counting(self) -> bool:
        """True while the list shows a first screen and its complete list is on its way."""
        return not self.shown.result.complete

    def status(self) -> str:
        """ "N of M" ("50+ of M, counting…" for a first screen), and the order when it is not the default."""
        result = self.shown.result
        status = f"{len(result.ids):,}{'+' if self.counting else ''} of {len(self.library):,}"
        status += ", counting…" if self.counting else ""
        if result.order != ordering.default(result.ranked):
            status += f" · by {result.order}"
        return status

    def counts(self) -> tuple[int, int, int, int | None]:
        """(papers, read, starred, shown); shown is None without a query."""
        papers, read_, starred = self.library.counts()
        result = self.shown.result
        return papers, read_, starred, len(result.ids) if result.query.strip() else None

    def empty_message(self) -> str:
        query = self.shown.result.query
        if not query.strip():
            return "No papers yet."
        words = query.casefold().split()
        if "is:starred" in words and "is:unread" in words:
            return "No starred paper is unread."
        if "is:starred" in words and "is:read" in words:
            return "No starred paper is read."
        return "No papers match the filter."

    # The index --------------------------------------------------------------

    def loading(self) -> None:
        """The rest of a preview library is being read."""
        self.index = IndexStatus("loading", what=f"Reading {len(self.library.stale)} new or changed "
                                 "source(s) — showing the first papers")

    def index_progress(self, done: int, total: int, phase: str = "indexing") -> None:
        """The build has done ``done`` of ``total``; the time left is guessed from its pace so far."""
        self.index = self._build.status(self.index, done, total, phase)

    def index_adding_arrivals(self) -> None:
        """The index is about to take only the papers a fetch brought (seconds of work)."""
        self.index = IndexStatus("building", arrivals_only=True)

    def index_ready(self) -> None:
        self.index = IndexStatus("ready")

    def index_failed(self) -> None:
        """Text search stays off; filters still work."""
        self.index = IndexStatus("failed")

    def waiting_text(self) -> str:
        """Why text search is not answering yet."""
        stage = self.index.stage
        if stage == "failed":
            return "Text search is off: the search index could not be built (filters still work)"
        if self.library.pending:
            return "Reading the library — text search starts once it is read and indexed"
        if stage != "building":
            return "Opening the search index — text search starts in a moment"
        if self.index.arrivals_only:
            return "Adding the papers that arrived to the index — text search starts in a moment"
        left = self.index.seconds_left
        when = f"search ready in {about(left)}" if left is not None else "text search starts when it's done"
        if self.index.what not in ("", "indexing"):
            return f"Index built, now {self.index.what} — {when}"
        return f"Index {self.index.percent}% built — {when}"

    # Similar papers ---------------------------------------------------------

    def similar_known(self, paper_id: str) -> list[str] | None:
        """The papers most like ``paper_id`` if already found, else None."""
        found = self._similar.get(paper_id)
        if found is not None:
            self._similar.move_to_end(paper_id)
        return found

    def find_similar(self, paper_id: str, count: int) -> list[str]:
        """The papers most like ``paper_id`` (blocking: call it off the event loop)."""
        return self.library.similar(paper_id, count)

    def similar_found(self, paper_id: str, similar: list[str]) -> None:
        self._similar[paper_id] = similar
        if len(self._similar) > SIMILAR_CACHE:
            self._similar.popitem(last=False)

    # Marks ------------------------------------------------------------------

    def is_read(self, paper_id: str) -> bool:
        return self.library.mark(paper_id).read

    def apply(self, label: str, after: dict[str, Mark]) -> Notice | None:
        """Save ``after`` as one undoable change; a notice saying why if it was not saved."""
        try:
            self.library.organise.apply_marks(label, after)
        except StateError as error:
            return Notice(f"Not saved: {error}", "error", 10)
        return None

    def toggle_read(self, paper_id: str | None) -> Outcome:
        if paper_id is None:
            return NOTHING
        label = "marked unread" if self.is_read(paper_id) else "marked read"
        return Outcome(True, notice=self._change(paper_id, label, toggled_read))

    def toggle_star(self, paper_id: str | None) -> Outcome:
        if paper_id is None:
            return NOTHING
        label = "unstarred" if self.library.mark(paper_id).starred else "starred"
        return Outcome(True, notice=self._change(paper_id, label, toggled_star))

    def decide(self, ids: Sequence[str], cursor: int, star: bool = False) -> Outcome:
        """Mark the paper at ``cursor`` read (and starred), then go to the next unread below."""
        if not ids:
            return NOTHING
        label, how = ("starred and marked read", starred_and_read) if star else ("marked read", read)
        problem = self._change(ids[cursor], label, how)
        if problem is not None:
            return Outcome(True, notice=problem)
        found = next_unread(ids, cursor, self.is_read)
        if found is None:
            return Outcome(True, notice=Notice("No unread papers below."))
        return Outcome(True, move_to=found)

    def jump_unread(self, ids: Sequence[str], cursor: int, step: int) -> Outcome:
        """The next unread paper going ``step`` (+1 down, -1 up)."""
        found = next_unread(ids, cursor, self.is_read, step)
        if found is None:
            return Outcome(notice=Notice(f"No unread papers {'below' if step > 0 else 'above'}."))
        return Outcome(move_to=found)

    def read_all_question(self, ids: Sequence[str]) -> str | None:
        """What to ask before marking ``ids`` read, when that changes too many papers; else None."""
        unread = sum(1 for pid in ids if not self.is_read(pid))
        return f"Mark {unread:,} papers read?" if unread > CONFIRM_ABOVE else None

    def read_all(self, ids: Sequence[str], what: str = "shown") -> Outcome:
        """Mark every paper in ``ids`` (those ``what``: shown, selected) read, as one change."""
        unread = sum(1 for pid in ids if not self.is_read(pid))
        if not unread:
            return Outcome(notice=Notice(f"Every paper {what} is already read."))
        noun = "paper" if unread == 1 else "papers"
        problem = self.apply(f"marked {unread:,} {noun} read",
                             {pid: read(self.library.mark(pid)) for pid in ids})
        return Outcome(True, notice=problem or Notice(f"Marked {unread:,} {noun} read. u undoes it.", timeout=4))

    def undo(self) -> Outcome:
        """Undo the newest change; a failed undo stays in the log."""
        try:
            change = self.library.organise.undo_last()
        except StateError as error:
            return Outcome(True, notice=Notice(f"Undo not saved: {error}", "error", 10))
        if change is None:
            return Outcome(notice=Notice("Nothing to undo."))
        which = f": {self.title(change.single)}" if change.single in self.library else ""
        return Outcome(True, select=change.single, notice=Notice(f"Undone: {change.label}{which}."))

    def reload_marks(self, announce: str) -> Outcome:
        """Read every mark again (another papertui may have saved some)."""
        try:
            self.library.reload_marks()
        except StateError as error:
            return Outcome(notice=Notice(f"Cannot reload marks: {error}", "error", 10))
        return Outcome(True, notice=Notice(announce))

    def _change(self, paper_id: str, label: str, how: Callable[[Mark], Mark]) -> Notice | None:
        return self.apply(label, {paper_id: how(self.library.mark(paper_id))})


def words_of(query: str) -> object:
    """What ranks ``query``'s results: its words without its filters (a bad query: its text)."""
    try:
        return parse(query).text
    except QueryError:
        return query
