"""PaperApp: the reader. It composes the screen, wires the widgets together and owns the state.

Widgets post messages about what happened; the app decides and calls methods
on them. What the app does is split by what it owns: searching.py (queries and
the filter keys), indexing.py (the index build and similar papers), marking.py
(marks and undo); this module keeps start and stop, settings, errors and the
paper keys.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Horizontal
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from papertui import config
from papertui.highlight import NO_HIGHLIGHTS
from papertui.library import Library, SearchResult
from papertui.state import Mark
from papertui.tex import tex_to_text
from papertui.ui import keys, ordering, session
from papertui.ui.chrome import BuildProgress, TitleBar, counts_line
from papertui.ui.commands import PaperCommands
from papertui.ui.detail import DetailPane
from papertui.ui.dialogs import HelpScreen
from papertui.ui.export_dialog import ExportScreen
from papertui.ui.failsafe import guarded, log_exception, one_line
from papertui.ui.filter_bar import FilterBar
from papertui.ui.indexing import IndexActions, prepare_child_processes
from papertui.ui.loading import LoadActions
from papertui.ui.marking import MarkActions
from papertui.ui.messages import Shown
from papertui.ui.paper_list import PaperList
from papertui.ui.searching import SearchActions
from papertui.ui.triage import UndoStack

POLL_SECONDS = 2.0
THEME_SAVE_DELAY = 0.5


class LibraryRows:
    """What the list shows of each paper, from the library."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def title(self, paper_id: str) -> str:
        return tex_to_text(self.library.paper(paper_id).title)

    def mark(self, paper_id: str) -> Mark:
        return self.library.mark(paper_id)


class PaperApp(SearchActions, IndexActions, LoadActions, MarkActions, App[None]):
    """A keyboard-first reader for a list of research papers."""

    CSS_PATH = Path(__file__).with_name("papertui.tcss")
    TITLE = "papertui"
    BINDINGS = keys.bindings("app")
    COMMANDS = App.COMMANDS | {PaperCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(
        self,
        library: Library,
        *,
        opener: Callable[[str], object] | None = None,
        config_path: Path | None = None,
        restore_session: bool = True,
    ) -> None:
        super().__init__()
        if not library.index_ready:
            prepare_child_processes()  # before Textual captures stderr
        self.library = library
        self.opener: Callable[[str], object] = opener or webbrowser.open
        self.undo_stack = UndoStack()
        self.fatal_message: str | None = None
        self._config_path = config_path
        self.settings, self._config_problem = config.load(config_path)
        self._restore = restore_session
        self._rows = LibraryRows(library)
        # The widgets the app talks to, made here so that every handler can reach them.
        self.paper_list = PaperList(self._rows, id="paper-list")
        self.detail = DetailPane(id="detail")
        self.filter_bar = FilterBar(id="filter-bar")
        self._index_guard = threading.Lock()  # one Whoosh searcher: one thread at a time
        self._generation = 0
        self._shown: Shown | None = None
        self._sort: str | None = None  # None: relevance with a text query, else list order
        self._keep: str | None = None  # paper to keep the cursor on when results arrive
        self._index_percent = 0
        self._index_building = False
        self._index_failed = False
        self._waiting_for_index = False
        self._similar: LRUCache[str, list[str]] = LRUCache(512)
        self._theme_timer: Timer | None = None
        self._similar_timer: Timer | None = None
        self._last_error: tuple[str, float] = ("", 0.0)
        self._notices_shown = 0

    # Layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        yield self.filter_bar
        yield BuildProgress(id="index-progress")
        with Horizontal(id="main"):
            yield self.paper_list
            yield self.detail
        yield Footer()

    # Start and stop -------------------------------------------------------

    def on_mount(self) -> None:
        self._apply_settings()
        self.show_new_notices()
        last = session.load() if self._restore else session.Session()
        everything = Shown("", SearchResult("", self.library.ids), ordering.LIST, self.library.ids)
        # The whole list at once, browsable while a restored query waits for the index.
        self._keep = last.paper_id
        self.show_result(everything)
        if last.query.strip():
            self._keep = last.paper_id
            self.filter_bar.set_query(last.query)
            self.run_query(last.query)
        self.paper_list.focus()
        self.start_loading()
        self.set_interval(POLL_SECONDS, self._poll_marks)

    def swap_library(self, library: Library) -> None:
        """Show ``library`` from now on, in place of the preview it completes."""
        with self._index_guard:  # no search is running on the old one
            old, self.library = self.library, library
            old.close()
        self._rows.library = library
        self._similar.clear()
        self._notices_shown = 0
        self.show_new_notices()
        self.update_counts()

    def show_new_notices(self) -> None:
        """The library's one-line notices not shown yet (opening the index can add some)."""
        for notice in self.library.notices[self._notices_shown:]:
            self.notify(notice, severity="warning", timeout=10, markup=False)
        self._notices_shown = len(self.library.notices)

    def _apply_settings(self) -> None:
        if self._config_problem:
            self.notify(self._config_problem, severity="warning", timeout=10, markup=False)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"Unknown theme {self.settings.theme!r} in config.toml; "
                        "pick one with Ctrl+P → Theme.", severity="warning", timeout=10)
        keymap = {k: v for k, v in self.settings.keymap.items() if k in keys.binding_ids()}
        unknown = sorted(set(self.settings.keymap) - set(keymap))
        if unknown:
            self.notify("config.toml [keymap]: unknown binding ids " + ", ".join(unknown)
                        + " (? lists them)", severity="warning", timeout=10, markup=False)
        self.set_keymap(keymap)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name == self.settings.theme:
            return
        self.settings = self.settings.with_theme(theme.name)
        if self._theme_timer is not None:
            self._theme_timer.stop()
        # The theme picker previews each theme it passes: save the one it settles on.
        self._theme_timer = self.set_timer(THEME_SAVE_DELAY, self._save_settings)

    def _save_settings(self) -> None:
        self._theme_timer = None
        problem = config.save(self.settings, self._config_path)
        if problem:
            self.notify(problem, severity="warning", timeout=10, markup=False)

    @guarded
    async def action_quit(self) -> None:
        self._wrap_up()
        self.exit()

    def on_unmount(self) -> None:
        self._wrap_up()

    def _wrap_up(self) -> None:
        if getattr(self, "_wrapped_up", False):
            return
        self._wrapped_up = True
        if self._theme_timer is not None:
            self._theme_timer.stop()
            self._save_settings()
        if self._restore:
            try:
                session.save(session.Session(self.filter_bar.value, self.paper_list.current))
            except Exception as error:  # the widgets may be gone already
                log_exception(error, "saving the session")
        # A build still running in its child would keep the app from exiting until it ends.
        for child in multiprocessing.active_children():
            child.terminate()

    # Errors ---------------------------------------------------------------

    def report_error(self, error: BaseException, context: str = "") -> None:
        """Log an unexpected error and say so in one line; the app carries on."""
        path = log_exception(error, context)
        line = f"Unexpected error: {one_line(error)}. Details in {path}"
        last, when = self._last_error
        if line != last or time.monotonic() - when > 5:
            self._last_error = (line, time.monotonic())
            self.notify(line, severity="error", timeout=10, markup=False)

    def _handle_exception(self, error: Exception) -> None:
        """The last resort: log it, exit cleanly, and print one line instead of a traceback."""
        cause = getattr(error, "error", None) or error  # WorkerFailed wraps the real error
        path = log_exception(cause, "unhandled")
        self.fatal_message = f"papertui: unexpected error: {one_line(cause)} (details in {path})"
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    @on(Worker.StateChanged)
    @guarded
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        if worker.group == "load":
            log_exception(worker.error, "loading the library")
            self.query_one(BuildProgress).finish()
            self.notify(f"{one_line(worker.error)}. Showing the first papers only.",
                        severity="error", timeout=15, markup=False)
            self.index_failed(worker.error)
        elif worker.group == "index":
            log_exception(worker.error, "index build")
            self.notify(f"{one_line(worker.error)}. Text search is off; filters still work.",
                        severity="error", timeout=15, markup=False)
            self.index_failed(worker.error)
        else:
            self.report_error(worker.error, f"worker {worker.name}")

    # Between the widgets ---------------------------------------------------

    @on(FilterBar.Leave)
    @on(DetailPane.Leave)
    @guarded
    def _back_to_list(self) -> None:
        self.paper_list.focus()

    def update_counts(self) -> None:
        """The title bar: the list's name, and live counts."""
        papers, read, starred = self.library.counts()
        filtered = self._shown is not None and bool(self._shown.query.strip())
        shown = len(self._shown.ids) if filtered and self._shown else None
        self.query_one(TitleBar).show(self.library.name, counts_line(papers, read, starred, shown))

    # The current paper ----------------------------------------------------

    @on(PaperList.Highlighted)
    @guarded
    def _paper_highlighted(self, message: PaperList.Highlighted) -> None:
        with self.batch_update():
            self._show_detail(message.paper_id)
            if message.paper_id:
                self.request_similar(message.paper_id)
            else:
                self.detail.show_similar(None, "")

    def _show_detail(self, paper_id: str | None) -> None:
        if paper_id is None:
            self.detail.show(None, Mark())
            return
        paper = self.library.paper(paper_id)
        highlights = self._shown.result.highlights if self._shown else NO_HIGHLIGHTS
        self.detail.show(paper, self.library.mark(paper_id), highlights, self._source_label(paper.sources))

    def _source_label(self, names: tuple[str, ...]) -> str:
        """Where a paper comes from, by the lists' own names ("Daily Papers · Aug 13") where known."""
        labels = {}
        for source in self.library.sources:
            if source.title:
                labels[source.name] = f"{source.title} · {source.date}" if source.date else source.title
        return ", ".join(labels.get(name, name) for name in names)

    def marks_changed(self) -> None:
        """Repaint what shows marks, after any change to them."""
        self.paper_list.refresh_marks()
        self._show_detail(self.paper_list.current)
        self.update_counts()

    @on(PaperList.OpenDetail)
    @guarded
    def _open_detail(self) -> None:
        self.detail.focus()

    # Paper actions --------------------------------------------------------

    @guarded
    def action_copy(self) -> None:
        paper_id = self.paper_list.current
        if paper_id is None:
            return
        paper = self.library.paper(paper_id)
        self.copy_to_clipboard(f"{tex_to_text(paper.title)}\n{paper.link or paper.id}")
        self.notify("Copied the title and link.", timeout=2)

    @guarded
    def action_open_url(self) -> None:
        paper_id = self.paper_list.current
        if paper_id is None:
            return
        link = self.library.paper(paper_id).link
        if not link:
            self.notify("No link is known for this paper.", severity="warning", timeout=3)
            return
        self.notify(f"Opening {link}", timeout=3, markup=False)
        self._open_link(link)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_link(self, link: str) -> None:
        if self.opener(link) is False:
            self.call_from_thread(self._no_browser, link)

    def _no_browser(self, link: str) -> None:
        self.copy_to_clipboard(link)
        self.notify("No browser found; the link is on the clipboard.", severity="warning", timeout=5)

    @guarded
    def action_export(self) -> None:
        self.push_screen(ExportScreen(self.library, list(self.paper_list.ids)))

    @guarded
    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.settings.keymap))

    # Marks from elsewhere ---------------------------------------------------

    def _poll_marks(self) -> None:
        try:
            changed = self.library.marks_changed_elsewhere()
        except Exception as error:  # a broken store is reported by the next save
            log_exception(error, "polling marks")
            return
        if changed:
            self.reload_marks(announce="Marks changed in another papertui; reloaded.")

    # The command palette --------------------------------------------------

    def key_display(self, key: keys.Key) -> str:
        """How the keys of ``key`` read now, after the user's keymap."""
        chosen = self.settings.keymap.get(key.id, key.binding.key)
        shown = [self.get_key_display(Binding(k.strip(), "")) for k in chosen.split(",")]
        return " ".join(dict.fromkeys(s for s in shown if s))

    async def run_key_action(self, key: keys.Key) -> None:
        """Run a catalog entry's action where it lives (the palette's commands)."""
        targets = {"list": self.paper_list, "detail": self.detail}
        await self.run_action(key.binding.action, targets.get(key.owner, self))


def run_app(library: Library) -> int:
    """Run the reader until the user quits; the exit status."""
    app = PaperApp(library)
    try:
        app.run()
    finally:
        library.close()
    if app.fatal_message:
        print(app.fatal_message, file=sys.stderr)
        return 1
    return app.return_code or 0
