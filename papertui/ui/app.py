"""PaperApp: settings, theme, keymap and errors. The reader itself is the main screen.

What the user sees and does lives in ui/main_screen.py over the plain-Python
model papertui/reader.py; the app only starts it, keeps the settings, and makes
sure that no error ever shows a traceback.
"""

from __future__ import annotations

import io
import sys
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App
from textual.binding import Binding
from textual.theme import Theme
from textual.timer import Timer

from papertui import config, paths
from papertui.library import Library
from papertui.ui import keymap, keys
from papertui.ui.commands import PaperCommands
from papertui.ui.failsafe import log_exception, log_text, one_line, prepare_child_processes
from papertui.ui.main_screen import MainScreen

THEME_SAVE_DELAY = 0.5


class PaperApp(App[None]):
    """A keyboard-first reader for a list of research papers."""

    CSS_PATH = Path(__file__).with_name("papertui.tcss")
    TITLE = "papertui"
    COMMANDS = App.COMMANDS | {PaperCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (140, "-columns")]

    def __init__(self, library: Library, *, opener: Callable[[str], object] | None = None,
                 config_path: Path | None = None, restore_session: bool = True) -> None:
        super().__init__()
        if not library.index_ready:
            prepare_child_processes()  # before Textual captures stderr
        self.main_screen = MainScreen(library, opener=opener or webbrowser.open,
                                      restore_session=restore_session)
        self._config_path = config_path
        self.settings, self._config_problem = config.load(config_path)
        self._theme_timer: Timer | None = None
        self._last_error: tuple[str, float] = ("", 0.0)
        # What Textual prints when it must stop (its traceback) goes to the log, not the terminal.
        self.error_console = Console(file=io.StringIO(), width=120, color_system=None,
                                     markup=False, highlight=False)
        self._fatal: str | None = None

    def get_default_screen(self) -> MainScreen:
        return self.main_screen

    # Settings -------------------------------------------------------------

    def on_mount(self) -> None:
        if self._config_problem:
            self.notify(self._config_problem, severity="warning", timeout=10, markup=False)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"Unknown theme {self.settings.theme!r} in config.toml; "
                        "pick one with Ctrl+P → Theme.", severity="warning", timeout=10)
        self.settings = keymap.apply(self, self.settings, self._config_path or paths.config_file())
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name == self.settings.theme:
            return
        self.settings = self.settings.with_theme(theme.name)
        if self._theme_timer is not None:
            self._theme_timer.stop()
        # The theme picker previews each theme it passes: save the one it settles on.
        self._theme_timer = self.set_timer(THEME_SAVE_DELAY, self._save_settings)

    def _save_settings(self) -> None:
        self._theme_timer = None
        problem = config.save(self.settings, self._config_path)
        if problem:
            self.notify(problem, severity="warning", timeout=10, markup=False)

    def on_unmount(self) -> None:
        if self._theme_timer is not None:
            self._theme_timer.stop()
            self._save_settings()

    def key_display(self, key: keys.Key) -> str:
        """How the keys of ``key`` read now, after the user's keymap."""
        chosen = self.settings.keymap.get(key.id, key.binding.key)
        shown = [self.get_key_display(Binding(k.strip(), "")) for k in chosen.split(",")]
        return " ".join(dict.fromkeys(s for s in shown if s))

    async def run_key_action(self, key: keys.Key) -> None:
        """Run a catalog entry's action where it lives (the palette's commands)."""
        main = self.main_screen
        targets: dict[str, Any] = {"list": main.paper_list, "detail": main.detail, "main": main,
                                   "workspace": main.workspace}
        await self.run_action(key.binding.action, targets.get(key.owner, main))

    # Errors ---------------------------------------------------------------

    def report_error(self, error: BaseException, context: str = "") -> None:
        """Log an unexpected error and say so in one line; the app carries on."""
        path = log_exception(error, context)
        line = f"Unexpected error: {one_line(error)}. Details in {path}"
        last, when = self._last_error
        if line != last or time.monotonic() - when > 5:
            self._last_error = (line, time.monotonic())
            self.notify(line, severity="error", timeout=10, markup=False)

    @property
    def fatal_message(self) -> str | None:
        """After an error nothing caught stopped the app: one line saying so (the rest is logged)."""
        printed = self.error_console.file.getvalue()
        if self._fatal is None and printed.strip():
            path = log_text(printed, "unhandled")
            last = [line.strip() for line in printed.splitlines() if line.strip()][-1]
            self._fatal = f"papertui: unexpected error: {last[:160]} (details in {path})"
        return self._fatal


def run_app(library: Library, *, app_class: type[PaperApp] = PaperApp, **run_options: Any) -> int:
    """Run the reader until the user quits; the exit status."""
    app = app_class(library)
    try:
        app.run(**run_options)
    finally:
        library.close()
    if app.fatal_message:
        print(app.fatal_message, file=sys.stderr)
        return 1
    return app.return_code or 0
