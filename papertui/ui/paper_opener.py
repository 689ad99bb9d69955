"""Opening the current paper outside the app: its link in the browser (O), its PDF (P).

``P`` opens a kept PDF at once; otherwise it downloads it in a thread worker
(progress in the title bar, Esc cancels) and then opens it in the viewer.
A paper with only a DOI opens its landing page. Failures are one notice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from textual.actions import SkipAction
from textual.screen import Screen

from papertui import activity
from papertui.errors import PapertuiError
from papertui.library import Library
from papertui.ui.activity import ActivityBar

CANCEL_ID = "cancel_download"
PROGRESS_EVERY = 0.05  # seconds between two download reports


class PaperOpener:
    """O and P for one main screen; ``changed`` is called when the download's state changes."""

    def __init__(self, screen: Screen, bar: ActivityBar, changed: Callable[[], None]) -> None:
        """``screen`` is the MainScreen (its reader and ``opener``, the browser)."""
        self.screen = screen
        self.bar = bar  # hosts the workers and shows the progress
        self._changed = changed
        self._download: tuple[str, threading.Event, activity.Activity] | None = None

    @property
    def activity(self) -> activity.Activity | None:
        """The download's progress, None when none runs."""
        return None if self._download is None else self._download[2]

    # The link ---------------------------------------------------------------

    def open_link(self, paper_id: str | None) -> None:
        """The paper's link in the browser; on the clipboard when no browser starts."""
        if paper_id is None:
            return
        link = self.screen.reader.library.paper(paper_id).link
        if not link:
            self._tell("No link is known for this paper.", "warning")
            return
        self._tell(f"Opening {link}")
        self.bar.run_worker(lambda: self._browse(link), thread=True, group="browser",
                            exit_on_error=False)

    def _browse(self, link: str) -> None:
        if self.screen.opener(link) is False:
            self.bar.report(self._no_browser, link)

    def _no_browser(self, link: str) -> None:
        self.screen.app.copy_to_clipboard(link)
        self._tell("No browser found; the link is on the clipboard.", "warning", 5)

    # The PDF ------------------------------------------------------------------

    def open_pdf(self, paper_id: str | None) -> None:
        """The paper's PDF in the viewer: the kept copy at once, else downloaded first."""
        if paper_id is None:
            return
        if self._download is not None:
            self._tell(f"A PDF is downloading; {self._cancel_key()} cancels it.")
            return
        library, cancel = self.screen.reader.library, threading.Event()
        if library.pdf_path(paper_id) is None:
            self._download = (paper_id, cancel, self._downloading(paper_id, 0, None))
            self._changed()
        self.bar.run_worker(lambda: self._opening(library, paper_id, cancel), thread=True,
                            group="pdf", exit_on_error=False)

    def cancel(self) -> None:
        """Stop the download at once (its worker drops what it gets, keeping nothing); SkipAction
        when none runs, so that the key does what it does otherwise."""
        if self._download is None:
            raise SkipAction()
        self._download[1].set()
        self._download = None
        self._changed()
        self._tell("PDF download cancelled.")

    def _opening(self, library: Library, paper_id: str, cancel: threading.Event) -> None:
        """In the worker: download (reporting progress now and then), then open the viewer."""
        last = 0.0

        def progress(done: int, total: int | None) -> None:
            nonlocal last
            if time.monotonic() - last >= PROGRESS_EVERY or done == total:
                last = time.monotonic()
                self.bar.report(self._progress, cancel, done, total)

        try:
            opened = library.open_pdf(paper_id, progress, cancel.is_set)
        except PapertuiError as error:
            if not cancel.is_set():  # a cancelled download was told of when it was cancelled
                self.bar.report(self._opened, cancel, False, f"No PDF: {error}")
            return
        page = " (no PDF known: its landing page)" if opened.startswith(("http:", "https:")) else ""
        self.bar.report(self._opened, cancel, True, f"Opening {opened}{page}")

    def _progress(self, cancel: threading.Event, done: int, total: int | None) -> None:
        if self._download is not None and self._download[1] is cancel:
            paper_id = self._download[0]
            self._download = (paper_id, cancel, self._downloading(paper_id, done, total))
            self._changed()

    def _opened(self, cancel: threading.Event, opened: bool, said: str) -> None:
        if self._download is not None and self._download[1] is cancel:
            self._download = None
            self._changed()
            if opened:
                self.screen.marks_changed()  # the detail pane's "PDF ✓", the rows' counts
        self._tell(said, "information" if opened else "error", 4 if opened else 10)

    def _downloading(self, paper_id: str, done: int, total: int | None) -> activity.Activity:
        return activity.downloading(paper_id, done, total, self._cancel_key())

    def _cancel_key(self) -> str:
        key = self.screen.app.settings.keymap.get(CANCEL_ID, "escape").split(",")[0]
        return "Esc" if key == "escape" else key

    def _tell(self, text: str, severity: str = "information", timeout: float = 3) -> None:
        self.screen.notify(text, severity=severity, timeout=timeout, markup=False)
