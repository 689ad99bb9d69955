"""The tag editor: one line of tags for the current paper or every selected paper.

It opens with the tags every chosen paper shares; the user edits the list
(a tag left off is removed, a new one is added, ``-name`` removes a tag from
all of them), with completion from the tags in use (→ or Tab takes it).
Enter saves, Esc closes without a change.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from papertui.errors import PapertuiError
from papertui.tag_entry import TagEdit, complete, parse, start_text
from papertui.ui import keys
from papertui.ui.failsafe import dismiss_once, guarded
from papertui.ui.typed_input import TypedInput

HINT = "Edit the list: a new name adds, a name left off removes, -name removes from all. " \
       "→ or Tab completes · Enter saves · Esc cancels"


class TagSuggester(Suggester):
    """Completes the word being typed from the tags in use."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value, self._tags)


class TagInput(TypedInput):
    """The line of tags; Tab takes the completion shown."""

    BINDINGS = keys.bindings("tags")

    @guarded
    def action_complete(self) -> None:
        self.action_cursor_right()  # at the end of the line this takes the suggestion

    @guarded
    def action_cancel(self) -> None:
        dismiss_once(self.screen, None)


class TagEditor(ModalScreen[TagEdit | None]):
    """Dismissed with the TagEdit to apply, or None."""

    AUTO_FOCUS = "#tag-input"

    def __init__(self, what: str, common: Sequence[str], some: dict[str, int], count: int,
                 in_use: Sequence[str]) -> None:
        super().__init__()
        self._what = what
        self._common = list(common)
        self._some = some
        self._count = count
        self._in_use = list(in_use)

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-editor") as body:
            body.border_title = "Tags"
            yield Static(f"Tags of {self._what}", id="tag-what", markup=False)
            if self._some:
                also = ", ".join(f"{tag} ({n} of {self._count})" for tag, n in self._some.items())
                yield Static(f"On some of them: {also}", id="tag-some", markup=False)
            yield TagInput(start_text(self._common), placeholder="tag, another-tag",
                           suggester=TagSuggester(self._in_use), id="tag-input")
            yield Static("", id="tag-problem", markup=False)
            yield Static(HINT, id="tag-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#tag-problem").display = False
        field = self.query_one(TagInput)
        field.cursor_position = len(field.value)

    @on(Input.Submitted)
    @guarded
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            edit = parse(event.value, self._common)
        except PapertuiError as error:
            problem = self.query_one("#tag-problem", Static)
            problem.update(str(error))
            problem.display = True
            return
        dismiss_once(self, edit)
