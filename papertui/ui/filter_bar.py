"""The filter bar: the query as you type it (debounced), and what it matched or why not."""

from __future__ import annotations

import re
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label

from papertui.ui import keys
from papertui.ui.failsafe import guarded
from papertui.ui.typed_input import TypedInput

PLACEHOLDER = "Filter: words, \"a phrase\", author:name, is:unread, is:starred …"
QUOTED = re.compile("“[^”]*”")  # a query inside a did-you-mean line (papertui.did_you_mean.quoted)


class FilterInput(TypedInput):
    """The query input; Enter searches at once, and Enter and Esc go back to the list.

    Both are priority keys, run as the app reads them: the focus moves at once, so
    the keys typed after them go to the list however fast they come, while the
    keys typed before them, still queued here, reach the query first.
    """

    BINDINGS = keys.bindings("filter")

    class Search(Message):
        """Enter, behind the keys typed before it."""

    def __init__(self, bar: FilterBar, **options: object) -> None:
        super().__init__(**options)
        self._bar = bar

    @guarded
    def action_leave(self) -> None:
        self._bar.leave()

    @guarded
    def action_search(self) -> None:
        self._bar.before_search()
        self._bar.leave()
        self.post_message(self.Search())


class FilterBar(Vertical):
    """The query, "N of M" beside it, and under it why a query cannot run (when it cannot).

    Posts QueryChanged a moment after typing stops, and at once on Enter.
    """

    DEBOUNCE = 0.15

    query_text: var[str] = var("", init=False)
    """The query asked for; shown in the field unless it is what the field itself announced."""
    status: var[str] = var("", init=False)
    """What the list shows: "N of M"."""
    note: var[tuple[str, str]] = var(("", ""), init=False)
    """Why the query is not applied, or what its spelling suggests, and its kind ("error",
    "waiting" or "spelling"); "" for nothing."""

    class QueryChanged(Message):
        """The query to show results for."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, *, back_to: Widget, before_search: Callable[[], object],
                 id: str | None = None) -> None:
        """``back_to`` takes the focus when the bar gives it up; ``before_search`` is called as
        Enter is read, before its search is asked for."""
        super().__init__(id=id)
        self._back_to = back_to
        self.before_search = before_search
        self._timer: Timer | None = None
        self._announced = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            yield Label("/", id="filter-prompt")
            yield FilterInput(self, placeholder=PLACEHOLDER, compact=True, id="filter-input")
            yield Label("", id="filter-status")
        yield Label("", id="filter-message")

    @property
    def value(self) -> str:
        """The query as typed."""
        return self.query_one(FilterInput).value

    def watch_query_text(self, query: str) -> None:
        """Show ``query`` without announcing it (it was asked for already)."""
        if query == self._announced:
            return  # the field's own query coming back; the field may hold newer typing
        self._cancel_timer()
        self._announced = query
        field = self.query_one(FilterInput)
        with field.prevent(Input.Changed):
            field.value = query
            field.cursor_position = len(query)

    def watch_status(self, text: str) -> None:
        self.query_one("#filter-status", Label).update(text)

    def watch_note(self, note: tuple[str, str]) -> None:
        text, kind = note
        message = self.query_one("#filter-message", Label)
        if not text and not message.display:
            return  # nothing shown, nothing to hide: spare the layout
        message.update(_italic_queries(text) if kind == "spelling" else text)
        for each in ("error", "waiting", "spelling"):
            message.set_class(bool(text) and kind == each, f"-{each}")
        message.display = bool(text)

    @property
    def message(self) -> str:
        """The problem, wait or spelling note shown under the query, "" when none."""
        label = self.query_one("#filter-message", Label)
        return str(label.content) if label.display else ""

    def focus_input(self) -> None:
        """Focus the field now, not after the keys already queued: they must land in it."""
        self.screen.set_focus(self.query_one(FilterInput))

    def leave(self) -> None:
        """Give the focus back now, not after the keys already queued: they are not the query's."""
        self.screen.set_focus(self._back_to)

    @property
    def typing(self) -> bool:
        """True while the field has focus (and takes every printable key)."""
        return self.screen.focused is self.query_one(FilterInput)  # has_focus lags behind

    @property
    def announcing(self) -> bool:
        """True while a query typed is yet to be announced (typing has not stopped long enough)."""
        return self._timer is not None

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _announce(self) -> None:
        self._timer = None
        self._announced = self.value
        self.post_message(self.QueryChanged(self.value))

    @on(FilterInput.Search)
    @guarded
    def _search_now(self, message: FilterInput.Search) -> None:
        message.stop()
        self._cancel_timer()
        self._announce()

    @guarded
    def on_input_changed(self, event: Input.Changed) -> None:
        """Announce the query once typing stops; not again when Enter announced it already
        (the field's changes from keys typed before Enter come after its Search, and asking
        again would throw away the search under way)."""
        event.stop()
        self._cancel_timer()
        if event.value != self._announced:
            self._timer = self.set_timer(self.DEBOUNCE, self._announce)


def _italic_queries(text: str) -> Content:
    """``text`` as it is (no markup: a query may hold brackets), its quoted queries in italics."""
    content = Content(text)
    for quoted in QUOTED.finditer(text):
        content = content.stylize("italic", quoted.start(), quoted.end())
    return content
