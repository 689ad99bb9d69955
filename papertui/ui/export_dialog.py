"""The export dialog (`e`): what to export, in which format, to which file.

Three choices, Tab between them, arrows within one; Enter exports from anywhere
(in the file field too), Esc cancels. The counts in the "what" labels are taken
when the dialog opens and whenever it comes back to the front; the papers
exported are looked up again at the moment of export.

The file starts as ``reading-list-<today>.<ext>`` in the current folder. Changing
the format changes its extension: while the field still holds the default the
whole default is replaced (so the date is today's); once the user has edited it,
only a known export extension at its end (.md .bib .csv .json .ris) is swapped
for the new one, and any other name is left exactly as typed.

The file is written by ``papertui.export.write_atomic`` in a thread worker. An
existing file is replaced only after the user says so; a failure (no such
folder, no permission, disk full) is shown in the dialog, which stays open with
every choice as it was.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from papertui import export
from papertui.errors import ExportError
from papertui.ui import keys
from papertui.ui.failsafe import guarded, log_exception, one_line

if TYPE_CHECKING:
    from papertui.library import Library


class Selection(NamedTuple):
    """One answer to "what to export": a label, and a filter query (None: the papers shown)."""

    key: str
    label: str
    query: str | None


# The same filters as `papertui export --starred / --unread-starred / --all`.
SELECTIONS = (
    Selection("starred", "Starred", "is:starred"),
    Selection("still-to-read", "Still to read: starred and unread", "is:starred is:unread"),
    Selection("shown", "Shown by the filter", None),
    Selection("all", "All papers", ""),
)


def papers(count: int) -> str:
    return f"{count:,} paper" if count == 1 else f"{count:,} papers"


class ChoiceSet(RadioSet, inherit_bindings=False):
    """A radio set whose arrows choose, as radio groups do, and which leaves Enter to the dialog.

    An arrow presses its button at once, where RadioSet would go through two rounds
    of messages, so ``pressed_index`` is already right when an Enter typed just
    after the arrow is handled.
    """

    BINDINGS = [
        Binding("down,right", "move(1)", "Next", show=False),
        Binding("up,left", "move(-1)", "Previous", show=False),
    ]

    def action_move(self, step: int) -> None:
        buttons = list(self.query(RadioButton))
        if not buttons:
            return
        chosen = (max(self.pressed_index, 0) + step) % len(buttons)
        with self.prevent(RadioButton.Changed):
            for index, button in enumerate(buttons):
                button.value = index == chosen
        self._pressed_button = buttons[chosen]
        self._selected = chosen
        self.post_message(self.Changed(self, buttons[chosen]))


class ExportScreen(ModalScreen[None]):
    """Export the starred, still-to-read, shown or all papers to a file."""

    # The two radio sets sit side by side down to 78 columns; below 22 rows everything is compact.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (78, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    # Focused as the screen is shown, so keys typed ahead (e Tab Down ...) land where they should.
    AUTO_FOCUS = "#export-what"

    BINDINGS = keys.bindings("export")

    class Written(Message):
        """The file was written."""

        def __init__(self, path: Path, count: int) -> None:
            super().__init__()
            self.path = path
            self.count = count

    class Failed(Message):
        """The file could not be written; ``problem`` says why in one line."""

        def __init__(self, problem: str) -> None:
            super().__init__()
            self.problem = problem

    def __init__(
        self,
        library: "Library",
        shown_ids: Sequence[str],
        *,
        today: datetime.date | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__()
        self._library = library
        self._shown_ids = list(shown_ids)
        self._today = today or datetime.date.today()
        self._folder = folder or Path.cwd()
        self._path_format = "md"  # the format the file name was last given
        self._default_path = export.default_filename(self._path_format, self._today)
        self._writing = False

    # Layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="export-body", can_focus=False) as body:
            body.border_title = "Export a reading list"
            with Horizontal(id="export-choices"):
                with Vertical(id="export-what-column"):
                    yield Label("What", classes="export-label")
                    yield ChoiceSet(*(RadioButton(s.label, value=i == 0, id=f"export-{s.key}")
                                      for i, s in enumerate(SELECTIONS)), id="export-what")
                with Vertical(id="export-format-column"):
                    yield Label("Format", classes="export-label")
                    yield ChoiceSet(*(RadioButton(f"{name} (.{ext})", value=i == 0, name=ext)
                                      for i, (ext, name) in enumerate(export.FORMATS.items())),
                                    id="export-format")
            yield Label("File", classes="export-label")
            yield Input(self._default_path, id="export-path", select_on_focus=False)
            yield Static("", id="export-target", markup=False)
            yield Static("", id="export-problem", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export (Enter)", id="export-go", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="export-cancel", compact=True)

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False  # Tab moves between the three choices only
        self._show_target()

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Count each choice of what to export again (the app may call this when marks change)."""
        for selection in SELECTIONS:
            count = len(self._ids_for(selection))
            button = self.query_one(f"#export-{selection.key}", RadioButton)
            button.label = f"{selection.label} ({count:,})"

    # The three choices ----------------------------------------------------

    @property
    def _path_field(self) -> Input:
        return self.query_one("#export-path", Input)

    def _selection(self) -> Selection:
        return SELECTIONS[max(self.query_one("#export-what", ChoiceSet).pressed_index, 0)]

    def _format(self) -> str:
        pressed = self.query_one("#export-format", ChoiceSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "md"

    def _ids_for(self, selection: Selection) -> list[str]:
        """The papers of ``selection``, each once: list order, or the order shown."""
        if selection.query is None:
            ids = self._shown_ids
        else:
            ids = self._library.search(selection.query).ids
        return list(dict.fromkeys(ids))

    def _target(self) -> Path | None:
        typed = self._path_field.value.strip()
        if not typed:
            return None
        return Path(os.path.abspath(self._folder / os.path.expanduser(typed)))

    def _show_target(self) -> None:
        target = self._target()
        self.query_one("#export-target", Static).update(f"Saves to {target}" if target else "")

    def _show_problem(self, problem: str) -> None:
        line = self.query_one("#export-problem", Static)
        line.update(problem)
        line.set_class(bool(problem), "-shown")
        if problem:
            self.call_after_refresh(line.scroll_visible, animate=False)

    @on(RadioSet.Changed, "#export-format")
    @guarded
    def _format_changed(self) -> None:
        self._follow_format()

    def _follow_format(self) -> None:
        """Give the file the chosen format's extension (see the module's docstring)."""
        fmt = self._format()
        if fmt == self._path_format:
            return
        field = self._path_field
        if field.value == self._default_path:
            field.value = export.default_filename(fmt, self._today)
        else:
            stem, ext = os.path.splitext(field.value)
            if ext[1:].lower() in export.FORMATS:
                field.value = f"{stem}.{fmt}"
        self._path_format = fmt
        self._default_path = export.default_filename(fmt, self._today)
        self._show_target()

    @on(RadioSet.Changed, "#export-what")
    @on(Input.Changed, "#export-path")
    @guarded
    def _choice_changed(self) -> None:
        self._show_target()
        self._show_problem("")

    # Export ---------------------------------------------------------------

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def _export_asked(self) -> None:
        self.action_export()

    @guarded
    def action_export(self) -> None:
        if self._writing:
            return
        self._follow_format()  # an Enter typed right after an arrow comes before its message
        target = self._target()
        if target is None:
            self._show_problem("Type the name of the file to export to.")
            self._path_field.focus()
            return
        ids, fmt = self._ids_for(self._selection()), self._format()
        if target.exists() and not target.is_dir():
            def answered(replace: bool | None) -> None:
                if replace:
                    self._start(ids, fmt, target)
                else:
                    self._path_field.focus()

            self.app.push_screen(OverwriteScreen(target), answered)
        else:
            self._start(ids, fmt, target)

    def _start(self, ids: list[str], fmt: str, target: Path) -> None:
        self._writing = True
        self._show_problem("")
        self.query_one("#export-target", Static).update(f"Writing {target} …")
        self._write(self.app, ids, fmt, target)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _write(self, app: App, ids: list[str], fmt: str, target: Path) -> None:
        try:
            items = self._library.export_items(ids)
            text = export.render(items, fmt, list_name=self._library.name, on=self._today)
            export.write_atomic(target, text)
        except ExportError as error:
            self._report(app, self.Failed(str(error)))
        except Exception as error:
            path = log_exception(error, "export")
            self._report(app, self.Failed(f"Unexpected error: {one_line(error)}. Details in {path}"))
        else:
            self._report(app, self.Written(target, len(items)))

    def _report(self, app: App, message: Written | Failed) -> None:
        """Tell the dialog; if it was closed meanwhile (Esc while writing), tell the user directly.

        ``app`` is passed in because a closed screen no longer knows its app.
        """
        if self.post_message(message):
            return
        if isinstance(message, ExportScreen.Written):
            text, severity = f"Exported {papers(message.count)} to {message.path}", "information"
        else:
            text, severity = f"Export failed: {message.problem}", "error"
        app.call_from_thread(app.notify, text, severity=severity, markup=False)

    @on(Written)
    @guarded
    def _written(self, message: Written) -> None:
        self._writing = False
        self.app.notify(f"Exported {papers(message.count)} to {message.path}", timeout=6, markup=False)
        self.dismiss(None)

    @on(Failed)
    @guarded
    def _failed(self, message: Failed) -> None:
        self._writing = False
        self._show_target()
        self._show_problem(message.problem)

    @on(Button.Pressed, "#export-cancel")
    @guarded
    def action_cancel(self) -> None:
        self.dismiss(None)


class OverwriteScreen(ModalScreen[bool]):
    """Replace an existing file? y or Enter replaces it, n or Esc keeps it."""

    BINDINGS = keys.bindings("overwrite")

    def __init__(self, target: Path) -> None:
        super().__init__()
        self._target = target

    def compose(self) -> ComposeResult:
        with Vertical(id="overwrite-body") as body:
            body.border_title = "Replace the file?"
            yield Static(f"{self._target.name} already exists in {self._target.parent}.",
                         id="overwrite-question", markup=False)
            with Horizontal(id="overwrite-buttons"):
                yield Button("Replace (y)", id="overwrite-yes", variant="primary", compact=True)
                yield Button("Keep it (n)", id="overwrite-no", compact=True)

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False

    @on(Button.Pressed)
    @guarded
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "overwrite-yes")

    @guarded
    def action_answer(self, replace: bool) -> None:
        self.dismiss(replace)
