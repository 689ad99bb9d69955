"""The daily loop's keys for the main screen: fetch (F), what is new (N, C), the PDF (P, with
papertui.ui.paper_opener), and keeping the "for you" order current.

The screen holds one ``DailyLoop`` and forwards its keys to :meth:`DailyLoop.run`.
Fetches and downloads run in thread workers hosted by the title bar's
ActivityBar, which shows their progress and, when idle, "37 new". A fetch
does its heavy work in a child process (papertui.fetching); the library it
brings is swapped in as a loaded library is, once no worker still uses the
old one, and the cursor stays on its paper.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.actions import SkipAction
from textual.screen import Screen
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from papertui import activity, fetching, ordering
from papertui.errors import PapertuiError, StateError
from papertui.library import Library
from papertui.ui.activity import ActivityBar
from papertui.ui.chrome import TitleBar
from papertui.ui.messages import LibraryLoaded
from papertui.ui.paper_opener import PaperOpener
from papertui.ui.query_terms import has_term, toggled

NEW = "is:new"
# Workers that use the shown library: a fetched library replaces it once they are done.
USES_LIBRARY = ("load", "index", "search", "similar", "foryou")


class DailyLoop:
    """F, N, C and P for one main screen, and the title bar's activity."""

    def __init__(self, screen: Screen) -> None:
        """``screen`` is the MainScreen (its reader, filter bar, list and run_query)."""
        self.screen = screen
        self.bar = ActivityBar(id="activity")
        self.papers = PaperOpener(screen, self.bar, self._show)
        self._new = 0
        self._fetch: activity.Activity | None = None  # while fetching
        self._order = ""  # the order of the list shown
        self._starred = 0  # the stars the "for you" order shown was sorted by

    @property
    def library(self) -> Library:
        return self.screen.reader.library

    # The screen's hooks ---------------------------------------------------

    def start(self) -> None:
        """As the screen mounts: show the activity, begin a session, fetch when it is due."""
        self.screen.query_one(TitleBar).mount(self.bar)
        try:
            self.library.begin_session()
            due = self.library.fetch_due()
        except PapertuiError as error:  # the state database: the app still opens
            self._tell(f"What is new was not updated: {error}", "error", 10)
            due = False
        self.counts_changed()
        if due:
            self.fetch(auto=True)

    def run(self, what: str) -> None:
        """A key: "fetch", "only_new", "catch_up", "pdf" or "cancel" (SkipAction when there is
        no download to cancel, so that the key does what it does otherwise)."""
        actions: dict[str, Callable[[], None]] = {
            "fetch": self.fetch, "only_new": self.only_new, "catch_up": self.catch_up,
            "pdf": lambda: self.papers.open_pdf(self.screen.paper_list.current),
            "cancel": self.papers.cancel}
        try:
            actions[what]()
        except SkipAction:
            raise
        except Exception as error:  # a key never takes the app down: logged, one line shown
            self.screen.app.report_error(error, f"DailyLoop.{what}")

    def counts_changed(self) -> None:
        """The counts were repainted (a result shown, marks changed, an undo): "N new" follows,
        an ``is:new`` list too; sorted for you, a change of stars rebuilds the model in a worker
        (the list stays as it is, like a list of unread papers after a read: the next query or
        ``o`` applies it at once)."""
        before, self._new = self._new, self.library.new_count()
        self._show()
        query = self.screen.filter_bar.value
        if self._new != before and self.bar.is_mounted and has_term(query, NEW):
            self.screen.run_query(query)  # the new set changed under an is:new list
        order, starred = self.screen.reader.shown.result.order, self.library.counts()[2]
        if order == ordering.FORYOU and self._order != order:
            if why := self.library.for_you_status():
                self._tell(why + ".", "warning", 5)
        elif order == ordering.FORYOU and starred != self._starred:
            self.bar.run_worker(self._refresh_for_you, thread=True, exclusive=True,
                                group="foryou", exit_on_error=False)
        self._order, self._starred = order, starred

    # What is new ----------------------------------------------------------

    def only_new(self) -> None:
        self.screen.run_query(toggled(self.screen.filter_bar.value, NEW, NEW))

    def catch_up(self) -> None:
        try:
            done = self.library.catch_up()
        except StateError as error:
            self._tell(f"Not caught up: {error}", "error", 10)
            return
        cleared = f"{done.cleared:,} papers are no longer new" if done.cleared else "nothing was new"
        self._tell(f"Caught up: {cleared} (marks unchanged). u undoes it.", timeout=4)
        self.counts_changed()

    # Fetching -------------------------------------------------------------

    def fetch(self, auto: bool = False) -> None:
        """Fetch every feed in a worker (``auto``: on launch, silent without feeds)."""
        if self._fetch is not None:
            self._tell("Already fetching the feeds.")
            return
        if not fetching.has_feeds():
            if not auto:
                self._tell(f"Nothing to fetch: {fetching.NO_FEEDS}.", "warning", 6)
            return
        self._fetch = activity.starting_fetch()
        self._show()
        library = self.library
        self.bar.run_worker(lambda: self._fetching(library), thread=True, group="fetch",
                            exit_on_error=False)

    def _fetching(self, library: Library) -> None:
        """In the worker: fetch in a child, report each feed as it starts, then the result."""
        try:
            fetched = fetching.fetch(library, progress=lambda done, total, what: self.bar.report(
                self._fetch_progress, activity.fetching(done, total, what)))
        except PapertuiError as error:  # reopening the library failed: nothing was swapped
            self.bar.report(self._fetch_failed, str(error))
            return
        self.bar.report(self._fetched, fetched)

    def _fetch_progress(self, now: activity.Activity) -> None:
        if self._fetch is not None:
            self._fetch = now
            self._show()

    def _fetch_failed(self, error: str) -> None:
        self._fetch = None
        self._show()
        self._tell(f"Could not fetch: {error}", "error", 10)

    def _fetched(self, fetched: fetching.Fetched) -> None:
        self._fetch = None
        for text, severity in fetched.notices():
            self._tell(text, severity, 10 if severity == "error" else 5)
        if fetched.library is not None:
            self._swap(fetched.library)
        self.counts_changed()

    def _swap(self, library: Library) -> None:
        """Show ``library`` in place of the one shown, once no worker uses that one."""
        busy = [w for w in self.screen.app.workers
                if w.group in USES_LIBRARY and not w.is_finished]
        if busy:
            self.bar.run_worker(self._swap_after(busy, library), group="fetch")
        else:
            self.screen.post_message(LibraryLoaded(library))

    async def _swap_after(self, busy: list[Worker], library: Library) -> None:
        for worker in busy:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass  # it ended; that is all the swap waits for
        self._swap(library)

    # For you --------------------------------------------------------------

    def _refresh_for_you(self) -> None:
        """In the worker: rebuild the model for the stars as they are."""
        self.library.refresh_for_you()

    # Showing --------------------------------------------------------------

    def _show(self) -> None:
        """The download, else the fetch, else "N new"."""
        self.bar.activity = self.papers.activity or self._fetch or activity.new_papers(self._new)

    def _tell(self, text: str, severity: str = "information", timeout: float = 3) -> None:
        self.screen.notify(text, severity=severity, timeout=timeout, markup=False)
