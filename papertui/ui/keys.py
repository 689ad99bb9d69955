"""Every key of the reader, as named bindings with descriptions.

One catalog feeds the widgets' BINDINGS, the footer, the help screen and the
command palette, and its ids are what users remap in config.toml ``[keymap]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Key:
    """One binding and where it lives: "app", "list" or "detail"."""

    group: str
    owner: str
    binding: Binding

    @property
    def id(self) -> str:
        return self.binding.id or ""


def _key(group: str, owner: str, keys: str, action: str, description: str, long: str = "",
         show: bool = False, id: str | None = None) -> Key:
    """``description`` is short, for the footer; ``long`` says it fully, for help and Ctrl+P."""
    return Key(group, owner, Binding(keys, action, description, show=show, id=id or action,
                                     tooltip=long or description))


CATALOG: tuple[Key, ...] = (
    _key("Move", "list", "j,down", "cursor_down", "Down", "Next paper"),
    _key("Move", "list", "k,up", "cursor_up", "Up", "Previous paper"),
    _key("Move", "list", "g,home", "first", "First", "First paper"),
    _key("Move", "list", "G,end", "last", "Last", "Last paper"),
    _key("Move", "list", "pagedown", "page_down", "Page down"),
    _key("Move", "list", "pageup", "page_up", "Page up"),
    _key("Move", "app", "n", "next_unread", "Next unread", "Next unread paper"),
    _key("Move", "app", "p", "prev_unread", "Prev unread", "Previous unread paper"),
    _key("Move", "list", "enter,tab", "open_detail", "Abstract", "Read the abstract (focus the detail pane)"),
    _key("Move", "detail", "escape", "back_to_list", "Back", "Back to the list"),
    _key("Move", "detail", "j,down", "scroll_down", "Scroll", "Scroll the abstract down", id="detail_down"),
    _key("Move", "detail", "k,up", "scroll_up", "Scroll", "Scroll the abstract up", id="detail_up"),
    _key("Move", "detail", "enter", "similar", "Similar", "Go to the similar papers", id="detail_similar"),
    _key("Filter", "app", "slash", "focus_filter", "Filter", "Type a filter query", show=True),
    _key("Filter", "filter", "escape", "leave", "Back", "Leave the filter bar", id="filter_leave"),
    _key("Filter", "app", "escape", "clear_query", "Clear", "Clear the filter"),
    _key("Filter", "app", "U", "only_unread", "Unread", "Show only unread (again: all)", show=True),
    _key("Filter", "app", "asterisk", "only_starred", "Starred", "Show only starred (again: all)", show=True),
    _key("Filter", "app", "o", "sort", "Sort", "Sort by relevance, list order, title or date", show=True),
    _key("Marks", "app", "r", "toggle_read", "Read", "Toggle read", show=True),
    _key("Marks", "app", "s", "toggle_star", "Star", "Toggle star", show=True),
    _key("Marks", "app", "x", "decide_read", "Read+next", "Mark read, go to the next unread", show=True),
    _key("Marks", "app", "S", "decide_star", "Star+next", "Star and mark read, go to the next unread"),
    _key("Marks", "app", "A", "read_all_shown", "All read", "Mark every paper shown read"),
    _key("Marks", "app", "u", "undo", "Undo", "Undo the last mark change", show=True),
    _key("Marks", "app", "R", "reload_marks", "Reload", "Reload marks saved by another papertui"),
    _key("Paper", "app", "c", "copy", "Copy", "Copy the title and link"),
    _key("Paper", "app", "O", "open_url", "Open", "Open the paper's link in the browser"),
    _key("Paper", "app", "e", "export", "Export",
         "Export a reading list: starred, still to read, shown or all"),
    _key("App", "app", "question_mark", "help", "Help", "Show every key", show=True),
    _key("App", "app", "q", "quit", "Quit", show=True),
    _key("App", "help", "escape,q,question_mark", "close", "Close", "Close help", id="help_close"),
    _key("Export", "export", "enter", "export", "Export", "Write the file", id="export_confirm"),
    _key("Export", "export", "escape", "cancel", "Cancel", "Close without exporting",
         id="export_cancel"),
    _key("Export", "overwrite", "y,enter", "answer(True)", "Replace", "Replace the file",
         id="export_replace"),
    _key("Export", "overwrite", "n,escape", "answer(False)", "Keep", "Keep the file",
         id="export_keep"),
)

GROUPS = ("Move", "Filter", "Marks", "Paper", "App", "Export")
# The footer shows keys in this order, so that a narrow one still has the essentials.
FOOTER = ("focus_filter", "toggle_read", "toggle_star", "decide_read", "undo", "help",
          "only_unread", "only_starred", "sort", "quit")


def bindings(owner: str) -> list[Binding]:
    """The bindings one widget (or the app) declares, footer keys first in footer order."""
    def rank(key: Key) -> int:
        return FOOTER.index(key.id) if key.id in FOOTER else len(FOOTER)

    return [key.binding for key in sorted(CATALOG, key=rank) if key.owner == owner]


def binding_ids() -> set[str]:
    """Every id a keymap may name."""
    return {key.id for key in CATALOG}
