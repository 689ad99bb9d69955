"""The app's use of the index: building it on first launch, and similar papers.

The build runs in a child process (Whoosh holds the GIL; a thread would stall
the UI), driven from a thread worker that passes progress on by message.
Similar papers are computed lazily in a worker, one paper at a time, and cached.
"""

from __future__ import annotations

from textual import work
from textual.cache import LRUCache
from textual.timer import Timer
from textual.worker import get_current_worker

from papertui.ui.chrome import BuildProgress
from papertui.ui.failsafe import guarded, log_exception
from papertui.ui.host import AppHost
from papertui.ui.messages import IndexProgress, IndexReady, SimilarFound

SIMILAR = 5
SIMILAR_PATIENCE = 0.2  # seconds before saying "finding" (the answer usually comes sooner)


def prepare_child_processes() -> None:
    """Start multiprocessing's resource tracker while stderr is still the real one.

    Inside a running Textual app sys.stderr is a capture whose fileno() is -1,
    and spawning the tracker then fails ("bad value(s) in fds_to_keep"), which
    would fail the index build in its child process.
    """
    from multiprocessing import resource_tracker

    try:
        resource_tracker.ensure_running()
    except Exception as error:  # the build will report its own failure, if any
        log_exception(error, "starting the resource tracker")


class IndexActions(AppHost):
    """Mixed into the app, which provides the library, the widgets and ``run_query``."""

    _index_percent: int
    _index_building: bool
    _similar: LRUCache[str, list[str]]
    _similar_timer: Timer | None

    def start_index(self) -> None:
        """Open the index, building it first (with a progress bar) when it is not current."""
        if self.library.index_ready:
            return
        if not self.library.index_is_current():
            self._index_building = True
            self.query_one(BuildProgress).update_progress(0, len(self.library))
        self._build_index()

    @work(thread=True, group="index", exit_on_error=False)
    def _build_index(self) -> None:
        built = self.library.ensure_index(
            lambda done, total: self.post_message(IndexProgress(done, total))
        )
        self.post_message(IndexReady(built))

    def index_failed(self, error: BaseException) -> None:
        """The build failed: say so once; text search stays off, filters still work."""
        self._index_failed = True
        self.query_one(BuildProgress).finish()
        self.show_new_notices()
        if self._waiting_for_index:
            self.filter_bar.set_message(self.waiting_text())

    @guarded
    def on_index_progress(self, message: IndexProgress) -> None:
        self._index_building = True
        self._index_percent = round(100 * message.done / max(message.total, 1))
        self.query_one(BuildProgress).update_progress(message.done, message.total)
        if self._waiting_for_index:
            self.filter_bar.set_message(self.waiting_text(), "waiting")

    @guarded
    def on_index_ready(self, message: IndexReady) -> None:
        self.query_one(BuildProgress).finish()
        self.show_new_notices()
        if message.built:
            self.notify(f"Search index built: {len(self.library):,} papers.", timeout=3)
        if self._waiting_for_index or self.filter_bar.value.strip():
            self.run_query(self.filter_bar.value)
        if self.paper_list.current:
            self.request_similar(self.paper_list.current)

    def waiting_text(self) -> str:
        """Why text search is not answering yet."""
        if self._index_failed:
            return "Text search is off: the search index could not be built (filters still work)"
        if self.library.pending:
            return "Reading the library — text search starts once it is read and indexed"
        if not self._index_building:
            return "Opening the search index — text search starts in a moment"
        return f"Index {self._index_percent}% built — text search starts when it's done"

    # Similar papers -------------------------------------------------------

    def request_similar(self, paper_id: str) -> None:
        """Show the papers most like ``paper_id``: from the cache, or from a worker."""
        if self._similar_timer is not None:
            self._similar_timer.stop()
            self._similar_timer = None
        known = self._similar.get(paper_id)
        if known is not None:
            self._show_similar(known)
        elif not self.library.index_ready:
            self.detail.show_similar(None, "Similar papers appear once the search index is built.")
        else:
            self._similar_timer = self.set_timer(
                SIMILAR_PATIENCE, lambda: self.detail.show_similar(None, "Finding similar papers…")
            )
            self._find_similar(paper_id)

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False)
    def _find_similar(self, paper_id: str) -> None:
        worker = get_current_worker()
        with self._index_guard:
            if worker.is_cancelled:
                return  # the cursor has moved on; a newer request follows
            similar = self.library.similar(paper_id, SIMILAR)
        self.post_message(SimilarFound(paper_id, similar))

    @guarded
    def on_similar_found(self, message: SimilarFound) -> None:
        self._similar[message.paper_id] = message.similar
        if message.paper_id == self.paper_list.current:
            if self._similar_timer is not None:
                self._similar_timer.stop()
                self._similar_timer = None
            self._show_similar(message.similar)

    def _show_similar(self, similar: list[str]) -> None:
        items = [(pid, self.library.paper(pid).title) for pid in similar]
        self.detail.show_similar(items, "No similar papers found." if not items else "")

    @guarded
    def on_detail_pane_similar_chosen(self, message) -> None:
        self.paper_list.focus()
        if self.paper_list.select(message.paper_id):
            return
        # Not among the papers shown: show them all, then go to it.
        self._keep = message.paper_id
        self.filter_bar.set_query("")
        self.run_query("")
        self.notify("Filter cleared to show that paper.", timeout=3)
