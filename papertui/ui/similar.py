"""Similar papers under the detail pane: remembered by the reader, else found in a worker."""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.content import Content
from textual.timer import Timer
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from papertui.reader import Reader
from papertui.tex import tex_to_text
from papertui.ui import keys
from papertui.ui.failsafe import guarded
from papertui.ui.messages import SimilarFound

SIMILAR = 5
PATIENCE = 0.2  # seconds before saying "finding" (the answer usually comes sooner)


class SimilarPapers(OptionList):
    """The papers most like the one shown; a note (a disabled option) when there are none.

    A fixed height, and the note as an option rather than another widget: then a
    new paper's similar papers need no new layout, only a repaint.
    """

    BINDINGS = keys.bindings("similar")

    def __init__(self, reader: Reader, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self._reader = reader
        self._wanted: str | None = None
        self._timer: Timer | None = None
        self._shown: tuple[tuple, str] | None = None
        self.chosen: Callable[[str], object] | None = None  # Enter on a paper: go to it (the workspace)

    @property
    def has_papers(self) -> bool:
        return bool(self._shown and self._shown[0])

    def show_for(self, paper_id: str | None) -> None:
        """Show the papers most like ``paper_id`` (None: nothing)."""
        self._wanted = paper_id
        self._stop_timer()
        if paper_id is None:
            self.show(None, "")
            return
        known = self._reader.similar_known(paper_id)
        if known is not None:
            self._show_ids(known)
        elif not self._reader.library.index_ready:
            self.show(None, "Similar papers appear once the search index is built.")
        else:
            self._timer = self.set_timer(PATIENCE, lambda: self.show(None, "Finding similar papers…"))
            self.call_after_refresh(self._find_if_wanted, paper_id)  # the paper paints first

    def show(self, similar: list[tuple[str, str]] | None, note: str = "") -> None:
        """List similar papers as (id, title); or None with a note saying why there are none."""
        wanted = (tuple(similar or ()), note if not similar else "")
        if wanted == self._shown:
            return
        self._shown = wanted
        if similar:
            self.set_options(Option(tex_to_text(title), id=pid) for pid, title in similar)
        else:
            self.set_options([Option(Content.styled(note, "italic $text-muted"), disabled=True)])

    @guarded
    def action_select(self) -> None:
        """Enter or a click: go to the highlighted paper, in this action, so that the keys
        queued after Enter are looked up where it moves the focus."""
        option = self.highlighted_option
        if option is not None and option.id and self.chosen is not None:
            self.chosen(option.id)

    def _find_if_wanted(self, paper_id: str) -> None:
        if paper_id == self._wanted:  # else the cursor has moved on since
            self._find(paper_id)

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False)
    def _find(self, paper_id: str) -> None:
        if get_current_worker().is_cancelled:
            return  # the cursor has moved on; a newer request follows
        self.post_message(SimilarFound(paper_id, self._reader.find_similar(paper_id, SIMILAR)))

    @on(SimilarFound)
    @guarded
    def _found(self, message: SimilarFound) -> None:
        message.stop()
        self._reader.similar_found(message.paper_id, message.similar)
        if message.paper_id == self._wanted:
            self._stop_timer()
            self._show_ids(message.similar)

    def _show_ids(self, similar: list[str]) -> None:
        library = self._reader.library
        items = [(pid, library.paper(pid).title) for pid in similar]
        self.show(items, "No similar papers found." if not items else "")

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
