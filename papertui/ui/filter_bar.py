"""The filter bar: the query as you type it (debounced), and what it matched or why not."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label

from papertui.ui import keys
from papertui.ui.failsafe import guarded

PLACEHOLDER = "Filter: words, \"a phrase\", author:name, is:unread, is:starred …"


class FilterInput(Input):
    """The query input; Esc goes back to the list."""

    BINDINGS = keys.bindings("filter")

    @guarded
    def action_leave(self) -> None:
        self.post_message(FilterBar.Leave())


class FilterBar(Vertical):
    """The query, "N of M" beside it, and under it why a query cannot run (when it cannot).

    Posts QueryChanged a moment after typing stops, and at once on Enter.
    """

    DEBOUNCE = 0.15

    class QueryChanged(Message):
        """The query to show results for."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Leave(Message):
        """Focus should go back to the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            yield Label("/", id="filter-prompt")
            yield FilterInput(placeholder=PLACEHOLDER, compact=True, id="filter-input")
            yield Label("", id="filter-status")
        yield Label("", id="filter-message")

    @property
    def value(self) -> str:
        """The query as typed."""
        return self.query_one(FilterInput).value

    def set_query(self, query: str) -> None:
        """Show ``query`` without announcing it (the caller runs it)."""
        self._cancel_timer()
        field = self.query_one(FilterInput)
        with field.prevent(Input.Changed):
            field.value = query
            field.cursor_position = len(query)

    def set_status(self, text: str) -> None:
        """Show what the list shows: "N of M"."""
        self.query_one("#filter-status", Label).update(text)

    def set_message(self, text: str = "", kind: str = "error") -> None:
        """Say why the query is not applied: a problem ("error") or a wait ("waiting"); "" hides it."""
        message = self.query_one("#filter-message", Label)
        if not text and not message.display:
            return  # nothing shown, nothing to hide: spare the layout
        message.update(text)
        message.set_class(bool(text) and kind == "error", "-error")
        message.set_class(bool(text) and kind == "waiting", "-waiting")
        message.display = bool(text)

    @property
    def message(self) -> str:
        """The problem or wait shown under the query, "" when none."""
        label = self.query_one("#filter-message", Label)
        return str(label.content) if label.display else ""

    def focus_input(self) -> None:
        self.query_one(FilterInput).focus()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _announce(self) -> None:
        self._timer = None
        self.post_message(self.QueryChanged(self.value))

    @guarded
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._cancel_timer()
        self._timer = self.set_timer(self.DEBOUNCE, self._announce)

    @guarded
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._cancel_timer()
        self._announce()
        self.post_message(self.Leave())
