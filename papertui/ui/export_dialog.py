"""The export dialog (`e`): what to export, in which format, to which file.

Three choices, Tab between them, arrows within one; Enter exports from anywhere
(in the file field too), Esc cancels. The counts in the "what" labels are taken
when the dialog opens and whenever it comes back to the front; the papers
exported are looked up again at the moment of export.

The choices of what and in which format are the core's (``export.SELECTIONS``,
``export.FORMATS``). The dialog starts on the last format used, and the file as
``reading-list-<today>.<ext>`` in the last folder used, else the user's documents
folder (see ui/export_choice.py). A relative name is taken from that folder; a
folder typed alone gets the default file name; a folder that does not exist is
said at once. Changing the format changes the extension: while the field still
holds the default the whole default is replaced (so the date is today's); once
the user has edited it, only a known export extension at its end (.md .bib .csv
.json .ris .csl.json) is swapped for the new one, and any other name is left
exactly as typed. The Markdown heading names the selection (or the query shown).

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
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from papertui import export
from papertui.errors import ExportError
from papertui.export import SELECTIONS, Selection
from papertui.ui import export_choice, keys
from papertui.ui.failsafe import dismiss_once, guarded, log_exception, one_line
from papertui.ui.typed_input import TypedInput

if TYPE_CHECKING:
    from papertui.library import Library


def papers(count: int) -> str:
    return f"{count:,} paper" if count == 1 else f"{count:,} papers"


class ChoiceSet(RadioSet, inherit_bindings=False):
    """A radio set whose arrows choose, as radio groups do, and which leaves Enter to the dialog.

    It keeps which button is pressed itself and sets the buttons at once, where
    RadioSet would go through two rounds of messages, so ``pressed_index`` is
    already right when an Enter typed just after an arrow is handled.
    """

    BINDINGS = [
        Binding("down,right", "move(1)", "Next", show=False),
        Binding("up,left", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, *buttons: RadioButton, id: str | None = None) -> None:
        super().__init__(*buttons, id=id)
        self._chosen = next((i for i, button in enumerate(buttons) if button.value), 0)

    @property
    def pressed_button(self) -> RadioButton | None:
        buttons = list(self.query(RadioButton))
        return buttons[self._chosen] if buttons else None

    @property
    def pressed_index(self) -> int:
        return self._chosen if self.pressed_button is not None else -1

    def action_move(self, step: int) -> None:
        count = len(self.query(RadioButton))
        if count:
            self.choose((self._chosen + step) % count)

    def on_radio_button_changed(self, event: RadioButton.Changed) -> None:
        """A click: choose that button (and leave RadioSet's own bookkeeping out)."""
        event.stop()
        event.prevent_default()
        self.choose(list(self.query(RadioButton)).index(event.radio_button))

    def choose(self, index: int) -> None:
        """Press button ``index`` and release the others, now."""
        buttons = list(self.query(RadioButton))
        self._chosen = index
        with self.prevent(RadioButton.Changed):
            for number, button in enumerate(buttons):
                button.value = number == index
        self.post_message(self.Changed(self, buttons[index]))


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
        query: str = "",
        today: datetime.date | None = None,
        folder: Path | None = None,
        selected: bool = False,
    ) -> None:
        """``selected``: ``shown_ids`` are the papers the user selected, offered first."""
        super().__init__()
        self._selected = selected
        self._library = library
        self._shown_ids = list(shown_ids)
        self._query = query.strip()  # what "Shown by the filter" is headed by
        self._today = today or datetime.date.today()
        remembered = export_choice.load()
        self._folder = folder or remembered.folder
        self._path_format = remembered.format  # the format the file name was last given
        self._default_path = export.default_filename(self._path_format, self._today)
        self._writing = False

    # Layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="export-body", can_focus=False) as body:
            body.border_title = "Export a reading list"
            with Horizontal(id="export-choices"):
                with Vertical(id="export-what-column"):
                    yield Label("What", classes="export-label")
                    yield ChoiceSet(*(RadioButton(s.label, value=s.key == "shown" if self._selected else i == 0,
                                                  id=f"export-{s.key}")
                                      for i, s in enumerate(SELECTIONS)), id="export-what")
                with Vertical(id="export-format-column"):
                    yield Label("Format", classes="export-label")
                    # The names alone: the file field shows the extension (.csl.json is long).
                    yield ChoiceSet(*(RadioButton(label, value=fmt == self._path_format, name=fmt)
                                      for fmt, label in export.FORMATS.items()),
                                    id="export-format")
            yield Label("File", classes="export-label")
            yield TypedInput(self._default_path, id="export-path", select_on_focus=False)
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
            label = "The selected papers" if self._selected and selection.key == "shown" else selection.label
            button.label = f"{label} ({count:,})"

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
        """Where the file goes: a folder typed alone (or ending in /) gets the default name."""
        typed = self._path_field.value.strip()
        if not typed:
            return None
        target = Path(os.path.abspath(self._folder / os.path.expanduser(typed)))
        if typed.endswith(("/", os.sep)) or target.is_dir():
            target = target / export.default_filename(self._format(), self._today)
        return target

    def _show_target(self) -> None:
        target = self._target()
        line = f"Saves to {target}" if target else ""
        missing = target is not None and not target.parent.is_dir()
        if missing:
            line += f" (the folder {target.parent} does not exist)"
        shown = self.query_one("#export-target", Static)
        shown.update(line)
        shown.set_class(missing, "-missing")

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
        elif (old := export.format_for_path(field.value)) is not None:
            stem = field.value[: -len(export.EXTENSIONS[old]) - 1]
            field.value = f"{stem}.{export.EXTENSIONS[fmt]}"
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
        selection, fmt = self._selection(), self._format()
        ids = self._ids_for(selection)
        heading = selection.heading if selection.query is not None else self._query
        if target.exists() and not target.is_dir():
            def answered(replace: bool | None) -> None:
                if replace:
                    self._start(ids, fmt, target, heading)
                else:
                    self._path_field.focus()

            self.app.push_screen(OverwriteScreen(target), answered)
        else:
            self._start(ids, fmt, target, heading)

    def _start(self, ids: list[str], fmt: str, target: Path, heading: str) -> None:
        self._writing = True
        self._show_problem("")
        self.query_one("#export-target", Static).update(f"Writing {target} …")
        self._write(self.app, ids, fmt, target, heading)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _write(self, app: App, ids: list[str], fmt: str, target: Path, heading: str) -> None:
        try:
            items = self._library.export_items(ids)
            text = export.render(items, fmt, list_name=self._library.name, on=self._today,
                                 selection=heading)
            export.write_atomic(target, text)
            export_choice.save(export_choice.ExportChoice(target.parent, fmt))
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
        if not self.post_message(message):
            app.call_from_thread(_tell, app, message)

    @on(Written)
    @guarded
    def _written(self, message: Written) -> None:
        self._writing = False
        if not self.is_active:  # closed (or covered) while the file was written
            _tell(self.app, message)
            return
        self.app.notify(f"Exported {papers(message.count)} to {message.path}", timeout=6, markup=False)
        dismiss_once(self, None)

    @on(Failed)
    @guarded
    def _failed(self, message: Failed) -> None:
        self._writing = False
        if not self.is_active:
            _tell(self.app, message)
            return
        self._show_target()
        self._show_problem(message.problem)

    @on(Button.Pressed, "#export-cancel")
    @guarded
    def action_cancel(self) -> None:
        dismiss_once(self, None)


def _tell(app: App, message: ExportScreen.Written | ExportScreen.Failed) -> None:
    """Tell the user how an export went that the dialog can no longer show."""
    if isinstance(message, ExportScreen.Written):
        app.notify(f"Exported {papers(message.count)} to {message.path}", markup=False)
    else:
        app.notify(f"Export failed: {message.problem}", severity="error", markup=False)


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
        dismiss_once(self, event.button.id == "overwrite-yes")

    @guarded
    def action_answer(self, replace: bool) -> None:
        dismiss_once(self, replace)
