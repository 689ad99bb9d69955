"""Ask for a name: the saved search that ``w`` makes from the filter."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from papertui.ui import keys
from papertui.ui.failsafe import dismiss_once, guarded
from papertui.ui.typed_input import TypedInput


class NamePrompt(ModalScreen[str | None]):
    """A name for ``query``; ``save(name)`` says what is wrong with it, or None once saved."""

    BINDINGS = keys.bindings("name")
    AUTO_FOCUS = "#name-input"

    def __init__(self, query: str, save: Callable[[str], str | None]) -> None:
        super().__init__()
        self._query = query
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="name-prompt") as body:
            body.border_title = "Save search"
            yield Static(f"Save {self._query!r} as:", id="name-query", markup=False)
            yield TypedInput(placeholder="a name", id="name-input")
            yield Static("", id="name-problem", markup=False)
            yield Static("Enter saves · Esc cancels", id="name-hint")

    def on_mount(self) -> None:
        self.query_one("#name-problem").display = False

    @on(Input.Submitted)
    @guarded
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self._save(event.value.strip())
        if problem is None:
            dismiss_once(self, event.value.strip())
            return
        label = self.query_one("#name-problem", Static)
        label.update(problem)
        label.display = True

    @guarded
    def action_cancel(self) -> None:
        dismiss_once(self, None)
