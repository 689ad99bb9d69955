"""The main screen: the list, the detail pane and the filter bar over one reader model.

Its state is reactive and bound into the widgets (peplum's design): ``shown``
into the list, ``query``, ``status`` and ``note`` into the filter bar,
``index_status`` into the progress row and ``heading`` into the title bar.
Widgets post messages about what happened; the screen turns them and the keys
into calls on ``papertui.reader.Reader``, and repaints from its state. Blocking
work (searching, loading, indexing) runs in workers that report back by
message; similar papers are the detail pane's own (ui/similar.py).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from papertui import opening, ordering
from papertui.library import Library
from papertui.paper_view import Rows, clipboard_text, view_of
from papertui.reader import IndexStatus, Outcome, Reader, Shown
from papertui.ui import keys, session
from papertui.ui.answer_pacing import AnswerPacing
from papertui.ui.chrome import BuildProgress, TitleBar, counts_line
from papertui.ui.daily import DailyLoop
from papertui.ui.detail import DetailPane
from papertui.ui.dialogs import HelpScreen
from papertui.ui.export_dialog import ExportScreen
from papertui.ui.failsafe import guarded, log_exception, one_line
from papertui.ui.filter_bar import FilterBar
from papertui.ui.interpreter import keep_for_good
from papertui.ui.messages import IndexProgress, IndexReady, LibraryLoaded, SearchAnswered
from papertui.ui.paper_list import PaperList
from papertui.ui.query_terms import toggled
from papertui.ui.workspace import Workspace
from papertui.ui.key_hints import KeyHints

POLL_SECONDS = 2.0


class MainScreen(Screen[None]):
    """The reader: a filterable list of papers beside the one under the cursor."""

    BINDINGS = keys.bindings("main")

    shown: var[Shown | None] = var(None)
    query_text: var[str] = var("")
    status: var[str] = var("")
    note: var[tuple[str, str]] = var(("", ""))
    index_status: var[IndexStatus] = var(IndexStatus())
    heading: var[tuple[str, str]] = var(("", ""))

    def __init__(self, library: Library, *, opener: Callable[[str], object],
                 restore_session: bool = True) -> None:
        super().__init__()
        self.reader = Reader(library)
        self.opener = opener
        self._restore = restore_session
        self._index_after_answer = False  # a swap's index start waits for its answer to paint
        self._session = session.Keeper(lambda: session.Session(self.reader.query, self.paper_list.current))
        self.paper_list = PaperList(Rows(lambda: self.reader.library), id="paper-list")
        self.detail = DetailPane(self.reader, id="detail")
        self.workspace = Workspace(self.reader, self.paper_list, self.detail, id="main")
        self.daily = DailyLoop(self)  # F, N, C, P, O and the title bar's activity
        self.answers = AnswerPacing(self, self.reader)
        self.filter_bar = FilterBar(back_to=self.paper_list, before_search=self.answers.hold, id="filter-bar")

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar").data_bind(MainScreen.heading)
        yield self.filter_bar.data_bind(MainScreen.query_text, MainScreen.status, MainScreen.note)
        yield BuildProgress(id="index-progress").data_bind(status=MainScreen.index_status)
        with self.workspace:  # the sidebar, the list and the detail pane
            yield self.paper_list.data_bind(MainScreen.shown)
            yield self.detail
        yield KeyHints()

    # Start and stop -------------------------------------------------------

    def on_mount(self) -> None:
        self.show_notices()
        last = session.load() if self._restore else session.Session()
        # The whole list at once, browsable while a restored query waits for the index.
        self.reader.keep_on(last.paper_id, pending=bool(last.query.strip()))
        self.show_result()
        if last.query.strip():
            self.run_query(last.query)
        self.paper_list.focus()
        self.start_loading()
        self.daily.start()
        self.set_interval(POLL_SECONDS, self.poll_marks)
        if self._restore:
            self.set_interval(session.EVERY, self._session.keep)

    def on_unmount(self) -> None:
        """Save what is shown for next time; stop a build still running in its child."""
        self.answers.release()
        if self._restore:
            self._session.keep()
        # A build still running in its child would keep the app from exiting until it ends.
        for child in multiprocessing.active_children():
            child.terminate()

    def show_notices(self) -> None:
        for notice in self.reader.new_notices():
            self.notify(notice, severity="warning", timeout=10, markup=False)

    # Repaints ---------------------------------------------------------------

    def show_result(self) -> None:
        """Repaint from the reader: the list, "N of M", the note, the counts."""
        empty = self.reader.empty_message()
        self.paper_list.empty_message = self.detail.empty_message = empty
        self.shown = self.reader.shown
        self.status = self.reader.status()
        self.note = self.reader.message()
        self.update_counts()

    def update_counts(self) -> None:
        selected = len(self.workspace.selection)
        self.heading = (self.reader.library.name,
                        counts_line(*self.reader.counts(), selected=selected, counting=self.reader.counting))
        self.workspace.recount()
        self.daily.counts_changed()

    def marks_changed(self) -> None:
        """Repaint what shows marks, after any change to them."""
        self.paper_list.refresh_marks()
        self._show_detail(self.paper_list.current)
        self.update_counts()

    def show_outcome(self, outcome: Outcome) -> None:
        """Repaint after a key: marks, the cursor, a notice."""
        if outcome.repaint:
            self.marks_changed()
        if outcome.move_to is not None:
            self.paper_list.move_to(outcome.move_to)
        if outcome.select is not None:
            self.paper_list.select(outcome.select)
        if outcome.notice is not None:
            notice = outcome.notice
            self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)

    def _show_detail(self, paper_id: str | None) -> None:
        result, library = self.reader.shown.result, self.reader.library
        view = view_of(library, paper_id, why=result.order == ordering.FORYOU) if paper_id else None
        self.detail.show(view, result.highlights)

    # Searching --------------------------------------------------------------

    def run_query(self, query: str, keep: str | None = None) -> None:
        """Show ``query`` in the bar and ask for its results; only the newest answer is shown."""
        self.query_text = query
        self.answers.ask(self.reader.ask(query, keep))

    @on(SearchAnswered)
    @guarded
    def _answered(self, message: SearchAnswered) -> None:
        if not self.answers.accept(message, self.paper_list.current):
            return
        if message.answer.result is None:
            self.note = self.reader.message()
        else:
            self.show_result()
        self._start_index_after_paint()

    @on(FilterBar.QueryChanged)
    @guarded
    def _query_changed(self, message: FilterBar.QueryChanged) -> None:
        self.run_query(message.query)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        """While the filter bar takes the keys, the list's keys neither run nor show in the footer."""
        return not self.filter_bar.typing or action == "respell"

    @guarded
    def action_respell(self) -> None:
        """ctrl+r: what was typed instead of its correction, or the other way round (see did_you_mean)."""
        if (query := self.reader.respell()) is None:
            self.notify("No spelling correction to switch to.", timeout=2)
        else:
            self.run_query(query)

    @guarded
    def action_focus_filter(self) -> None:
        self.answers.typing()  # the keys typed with "/" paint with it
        self.filter_bar.focus_input()

    @guarded
    def action_clear_query(self) -> None:
        if self.workspace.clear_selection():
            return
        if self.filter_bar.value or self.reader.shown.result.query:
            self.run_query("")

    @guarded
    def action_only_unread(self) -> None:
        self.run_query(toggled(self.filter_bar.value, "is:unread", "is:read"))

    @guarded
    def action_only_starred(self) -> None:
        self.run_query(toggled(self.filter_bar.value, "is:starred", "is:unstarred"))

    @guarded
    def action_sort(self) -> None:
        order, request = self.reader.resort()
        self.query_text = request.query
        self.answers.ask(request)
        self.notify(f"Sorted by {order}.", timeout=2)

    # Loading and the index --------------------------------------------------

    def start_loading(self) -> None:
        """Load the rest of a preview library, then index it; index a full one at once."""
        if not self.reader.library.pending:
            self.start_index()
            return
        self.reader.loading()
        self._index_changed()
        self._load_rest(self.reader.library)

    @work(thread=True, group="load", exit_on_error=False)
    def _load_rest(self, preview: Library) -> None:
        self.post_message(LibraryLoaded(opening.load_rest(preview)))

    @on(LibraryLoaded)
    @guarded
    def _loaded(self, message: LibraryLoaded) -> None:
        self.reader.swap(message.library, self.paper_list.current)
        self._index_changed()
        self.show_notices()
        self.show_result()
        self.run_query(self.filter_bar.value)
        self._index_after_answer = True  # its worker would slow the swap's repaint
        keep_for_good()

    def start_index(self) -> None:
        """Open the index, building it first (with a progress bar) when it is not current."""
        library = self.reader.library
        if library.index_ready:
            return
        work = library.index_work()
        if work != "current":
            if work == "arrivals":
                self.reader.index_adding_arrivals()
            else:
                self.reader.index_progress(0, len(library))
            self._index_changed()
        self._build_index()

    def _start_index_after_paint(self) -> None:
        """Once the answer after a swap has painted: open or update the index, whose worker
        would have taken the CPU from that repaint."""
        if self._index_after_answer:
            self._index_after_answer = False
            self.call_after_refresh(self.start_index)

    @work(thread=True, group="index", exit_on_error=False)
    def _build_index(self) -> None:
        built = self.reader.library.ensure_index(
            lambda done, total, phase: self.post_message(IndexProgress(done, total, phase))
        )
        self.post_message(IndexReady(built))

    @on(IndexProgress)
    @guarded
    def _progress(self, message: IndexProgress) -> None:
        self.reader.index_progress(message.done, message.total, message.phase)
        self._index_changed()

    def _index_changed(self) -> None:
        self.index_status = self.reader.index
        self.note = self.reader.message()

    @on(IndexReady)
    @guarded
    def _index_ready(self, message: IndexReady) -> None:
        self.reader.index_ready()
        keep_for_good()
        self.index_status = self.reader.index  # the note stays until the query runs again
        self.show_notices()
        self.workspace.recount()  # the sidebar's text queries can be counted now
        if message.built:
            self.notify(f"Search index built: {len(self.reader.library):,} papers.", timeout=3)
        else:  # an index opened from disk: check its checksums in a thread, now it has painted
            self.reader.library.verify_index(
                lambda rebuilt: rebuilt and self.post_message(IndexReady(True)))
        if self.reader.waiting or self.filter_bar.value.strip():
            self.run_query(self.filter_bar.value)
        if self.paper_list.current:
            self.detail.similar.show_for(self.paper_list.current)

    def index_failed(self) -> None:
        """The build failed: text search stays off, filters still work."""
        self.reader.index_failed()
        self._index_changed()
        self.show_notices()

    @on(Worker.StateChanged)
    @guarded
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """The one place a worker's error is reported."""
        worker = event.worker
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        if worker.group in ("load", "index"):
            loading = worker.group == "load"
            log_exception(worker.error, "loading the library" if loading else "index build")
            then = "Showing the first papers only." if loading else "Text search is off; filters still work."
            self.notify(f"{one_line(worker.error)}. {then}", severity="error", timeout=15, markup=False)
            self.index_failed()
        else:
            self.app.report_error(worker.error, f"worker {worker.name}")
            if worker.group == "search":  # no answer is coming for the index to wait for
                self._start_index_after_paint()

    # The current paper ------------------------------------------------------

    @on(PaperList.Highlighted)
    @guarded
    def _paper_highlighted(self, message: PaperList.Highlighted) -> None:
        with self.app.batch_update():
            self._show_detail(message.paper_id)
            self.detail.similar.show_for(message.paper_id)

    @on(Workspace.Acted)
    @guarded
    def _acted(self, message: Workspace.Acted) -> None:
        self.show_outcome(message.outcome)
        if message.query is not None:
            self.run_query(message.query, keep=message.keep)

    # Marks ------------------------------------------------------------------

    @guarded
    def action_toggle_read(self) -> None:
        if not self.workspace.mark_selected("read"):
            self.show_outcome(self.reader.toggle_read(self.paper_list.current))

    @guarded
    def action_toggle_star(self) -> None:
        if not self.workspace.mark_selected("starred"):
            self.show_outcome(self.reader.toggle_star(self.paper_list.current))

    @guarded
    def action_decide(self, star: bool) -> None:
        self.show_outcome(self.workspace.decide(star))

    @guarded
    def action_jump_unread(self, step: int) -> None:
        self.show_outcome(self.reader.jump_unread(self.paper_list.ids, self.paper_list.cursor, step))

    @guarded
    def action_read_all_shown(self) -> None:
        self.workspace.read_all()

    @guarded
    def action_undo(self) -> None:
        self.show_outcome(self.reader.undo())

    @guarded
    def action_reload_marks(self) -> None:
        self.show_outcome(self.reader.reload_marks("Marks reloaded."))

    def poll_marks(self) -> None:
        try:
            changed = self.reader.library.marks_changed_elsewhere()
        except Exception as error:  # a broken store is reported by the next save
            log_exception(error, "polling marks")
            return
        if changed:
            self.show_outcome(self.reader.reload_marks("Marks changed in another papertui; reloaded."))

    # The paper and the app ------------------------------------------------

    @guarded
    def action_copy(self) -> None:
        paper_id = self.paper_list.current
        if paper_id is None:
            return
        text, said = clipboard_text(self.reader.title(paper_id), self.reader.library.paper(paper_id).link)
        self.app.copy_to_clipboard(text)
        self.notify(said, timeout=2)

    @guarded
    def action_open_url(self) -> None:
        self.daily.papers.open_link(self.paper_list.current)

    def action_daily(self, what: str) -> None:
        self.daily.run(what)  # guarded there; Esc's SkipAction must pass through

    @guarded
    def action_export(self) -> None:
        if not self.workspace.export_selected():
            self.app.push_screen(ExportScreen(self.reader.library, list(self.paper_list.ids),
                                              query=self.reader.query))

    @guarded
    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.app.settings.keymap))

    @guarded
    async def action_quit(self) -> None:
        self.on_unmount()  # before the exit: a running build would hold it up
        self.app.exit()
