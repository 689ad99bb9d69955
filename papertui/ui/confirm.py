"""Ask before an action that changes many papers: y or Enter goes ahead, n or Esc does nothing."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from papertui.ui import keys
from papertui.ui.failsafe import dismiss_once, guarded
from papertui.ui.key_hints import KeyHints


class ConfirmScreen(ModalScreen[bool]):
    """One yes-or-no question, answered by key."""

    BINDINGS = keys.bindings("confirm")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body") as body:
            body.border_title = "Are you sure?"
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static("y or Enter: yes · n or Esc: no", id="confirm-keys")
        yield KeyHints()  # over the main screen's: this dialog's own keys

    @guarded
    def action_answer(self, yes: bool) -> None:
        dismiss_once(self, yes)


def confirm_then(app: App, question: str | None, action: Callable[[], object]) -> None:
    """Run ``action`` now when there is no ``question``, else once the user says yes."""
    if question is None:
        action()
        return
    app.push_screen(ConfirmScreen(question), lambda yes: action() if yes else None)
