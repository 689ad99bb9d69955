"""The help screen: every key, by group, as remapped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from papertui.ui import keys
from papertui.ui.failsafe import dismiss_once, guarded
from papertui.ui.key_hints import KeyHints

QUERY_HELP = (
    "Words are ANDed and ranked; also OR, NOT, \"a phrase\", prefix*, fuzzy~, "
    "title:word, author:name. Filters: is:read, is:unread, is:starred, is:unstarred, "
    "source:NAME. Remap any key in config.toml under [keymap], by the id shown here."
)


# Help ------------------------------------------------------------------------


class HelpScreen(ModalScreen[None]):
    """Every key, grouped, with the id to remap it by."""

    BINDINGS = keys.bindings("help")
    COLUMNS = (("Move", "Filter", "Organise"), ("Marks", "Select", "Paper", "App", "Export"))

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self._keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static("papertui keys", id="help-title")
            with Horizontal(id="help-columns"):
                for groups in self.COLUMNS:
                    yield Static(self._table(groups), classes="help-column")
            yield Static(QUERY_HELP, id="help-query", markup=False)
            yield Static("Ctrl+P opens the command palette: every action here, and Theme to change "
                         "the look (kept for next time). Esc, q or ? closes this help.", id="help-close")
        yield KeyHints()  # over the main screen's: this dialog's own keys

    def _table(self, groups: Sequence[str]) -> Table:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1, 0, 0))
        table.add_column("keys", style="bold", no_wrap=True)
        table.add_column("what", ratio=1)
        table.add_column("id", style="dim", no_wrap=True)
        for group in groups:
            if table.row_count:
                table.add_row("", "", "")
            table.add_row(Text(group, style="bold underline"), "", "")
            for key in keys.CATALOG:
                if key.group == group and key.owner != "help":
                    binding = key.binding
                    table.add_row(self._keys_of(binding), binding.tooltip or binding.description, key.id)
        return table

    def _keys_of(self, binding: Binding) -> str:
        chosen = self._keymap.get(binding.id or "", binding.key)
        shown = [self.app.get_key_display(Binding(k.strip(), "")) for k in chosen.split(",")]
        return " ".join(dict.fromkeys(s for s in shown if s))

    @guarded
    def action_close(self) -> None:
        dismiss_once(self, None)

    @guarded
    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=lines, animate=False)
