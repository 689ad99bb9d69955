"""Editing a paper's note: in $VISUAL or $EDITOR with the app suspended, else in a text area."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult, SuspendNotSupported
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from papertui.errors import PapertuiError
from papertui.note_editing import edit_text, editor
from papertui.ui import keys
from papertui.ui.failsafe import dismiss_once, guarded


class NoteEditor(ModalScreen[str | None]):
    """The note in a text area: Ctrl+O saves, Esc closes without saving."""

    BINDINGS = keys.bindings("note")
    AUTO_FOCUS = "#note-text"

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self._title = title
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor") as body:
            body.border_title = "Note (Markdown)"
            yield Static(self._title, id="note-what", markup=False)
            yield TextArea(self._text, id="note-text", soft_wrap=True)
            yield Static("Ctrl+O saves · Esc closes without saving · set $EDITOR to use your editor",
                         id="note-hint")

    @guarded
    def action_save(self) -> None:
        dismiss_once(self, self.query_one(TextArea).text)

    @guarded
    def action_cancel(self) -> None:
        dismiss_once(self, None)


def edit_note(app: App, title: str, text: str, save: Callable[[str], None],
              problem: Callable[[str], None]) -> None:
    """Let the user edit ``text``; ``save`` gets the new text, ``problem`` a line saying why not.

    With an editor set the app is suspended while it runs (in a test without a
    terminal it runs as is); without one, or where the app cannot be
    suspended, the note opens in a text area.
    """
    command = editor()
    if command is not None:
        try:
            if app.is_headless:  # no terminal to hand over
                edited = edit_text(command, text, title)
            else:
                with app.suspend():
                    edited = edit_text(command, text, title)
        except SuspendNotSupported:
            pass
        except PapertuiError as error:
            problem(str(error))
            return
        else:
            save(edited)
            return
    app.push_screen(NoteEditor(title, text), lambda edited: None if edited is None else save(edited))
