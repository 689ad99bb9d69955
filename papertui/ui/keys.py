"""Every key of the reader, as named bindings with descriptions.

One catalog feeds the widgets' BINDINGS, the footer, the help screen and the
command palette, and its ids are what users remap in config.toml ``[keymap]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Key:
    """One binding and where it lives: "main" (the main screen), "list", "detail", "filter" or a dialog."""

    group: str
    owner: str
    binding: Binding

    @property
    def id(self) -> str:
        return self.binding.id or ""


def _key(group: str, owner: str, keys: str, action: str, description: str, long: str = "",
         show: bool = False, id: str | None = None, priority: bool = False) -> Key:
    """``description`` is short, for the footer; ``long`` says it fully, for help and Ctrl+P.

    A ``priority`` binding runs as the app reads the key, before it reads the next one.
    """
    return Key(group, owner, Binding(keys, action, description, show=show, id=id or action,
                                     tooltip=long or description, priority=priority))


CATALOG: tuple[Key, ...] = (
    _key("Move", "list", "j,down", "cursor_down", "Down", "Next paper"),
    _key("Move", "list", "k,up", "cursor_up", "Up", "Previous paper"),
    _key("Move", "list", "g,home", "first", "First", "First paper"),
    _key("Move", "list", "G,end", "last", "Last", "Last paper"),
    _key("Move", "list", "pagedown", "page_down", "Page down"),
    _key("Move", "list", "pageup", "page_up", "Page up"),
    _key("Move", "main", "n", "jump_unread(1)", "Next unread", "Next unread paper", id="next_unread"),
    _key("Move", "main", "p", "jump_unread(-1)", "Prev unread", "Previous unread paper", id="prev_unread"),
    _key("Move", "list", "enter,tab", "open_detail", "Abstract", "Read the abstract (focus the detail pane)"),
    _key("Move", "detail", "escape", "back_to_list", "Back", "Back to the list", show=True),
    _key("Move", "detail", "j,down", "scroll_down", "Scroll", "Scroll the abstract down", id="detail_down"),
    _key("Move", "detail", "k,up", "scroll_up", "Scroll", "Scroll the abstract up", id="detail_up"),
    _key("Move", "detail", "enter", "similar", "Similar", "Go to the similar papers", show=True,
         id="detail_similar"),
    _key("Move", "similar", "j,down", "cursor_down", "Down", "Next similar paper", id="similar_down"),
    _key("Move", "similar", "k,up", "cursor_up", "Up", "Previous similar paper", id="similar_up"),
    # A priority key: the keys typed right after it reach the filter bar, however fast they come.
    _key("Filter", "main", "slash", "focus_filter", "Filter", "Type a filter query", show=True,
         priority=True),
    # Priority keys: the keys typed right after them reach the list, however fast they come.
    _key("Filter", "filter", "escape", "leave", "Back", "Leave the filter bar", show=True,
         id="filter_leave", priority=True),
    _key("Filter", "filter", "enter", "search", "Search", "Search now, and go back to the list",
         id="filter_search", priority=True),
    # Before clear_query's Esc: it cancels a PDF download while one runs (and only then).
    _key("Paper", "main", "escape", "daily('cancel')", "Cancel", "Cancel the PDF download",
         id="cancel_download"),
    _key("Filter", "main", "escape", "clear_query", "Clear",
         "Clear the selection, else the filter"),
    # A priority key: it works while typing in the filter bar too (check_action lets it through).
    _key("Filter", "main", "ctrl+r", "respell", "Spelling",
         "Did you mean: search what was typed instead of its correction, or the correction offered",
         priority=True),
    _key("Filter", "main", "U", "only_unread", "Unread", "Show only unread (again: all)", show=True),
    _key("Filter", "main", "asterisk", "only_starred", "Starred", "Show only starred (again: all)", show=True),
    _key("Filter", "main", "N", "daily('only_new')", "New", "Show only new papers (again: all)",
         id="only_new"),
    _key("Filter", "main", "o", "sort", "Sort",
         "Sort by relevance, list order, title, date, upvotes or for you (closest to your stars)",
         show=True),
    _key("Marks", "main", "r", "toggle_read", "Read", "Toggle read", show=True),
    _key("Marks", "main", "s", "toggle_star", "Star", "Toggle star", show=True),
    _key("Marks", "main", "x", "decide(False)", "Read+next",
         "Mark read (the selection, if any), go to the next unread", show=True, id="decide_read"),
    _key("Marks", "main", "S", "decide(True)", "Star+next",
         "Star and mark read (the selection, if any), go to the next unread", id="decide_star"),
    _key("Marks", "main", "A", "read_all_shown", "All read", "Mark every paper shown (or selected) read"),
    _key("Marks", "main", "u", "undo", "Undo", "Undo the last change of marks, tags or notes", show=True),
    _key("Marks", "main", "R", "reload_marks", "Reload", "Reload marks saved by another papertui"),
    _key("Marks", "main", "C", "daily('catch_up')", "Catch up",
         "Catch up: no paper is new any more (marks stay; u undoes it)", id="catch_up"),
    _key("Paper", "main", "c", "copy", "Copy", "Copy the title and link"),
    _key("Paper", "main", "O", "open_url", "Open", "Open the paper's link in the browser"),
    _key("Paper", "main", "P", "daily('pdf')", "PDF",
         "Download the PDF and open it (kept: opens at once; a DOI alone: its page)", id="open_pdf"),
    _key("Paper", "main", "e", "export", "Export",
         "Export a reading list: the selection, starred, still to read, shown or all"),
    _key("Organise", "workspace", "b", "toggle_sidebar", "Sidebar",
         "Show or hide the sidebar: saved searches, Inbox, Unread, Starred and tags with counts"),
    *(_key("Organise", "workspace", str(n), f"jump_folder({n})", f"Folder {n}",
           f"Show sidebar entry {n} (while the list has focus)", id=f"folder_{n}") for n in range(1, 10)),
    _key("Organise", "workspace", "w", "save_search", "Save search", "Save the filter as a saved search"),
    _key("Organise", "workspace", "t", "edit_tags", "Tags", "Add or remove tags (of the selection, if any)"),
    _key("Organise", "workspace", "a", "edit_note", "Note",
         "Edit the paper's note in $VISUAL or $EDITOR (else in the app)"),
    _key("Organise", "sidebar", "j,down", "cursor_down", "Down", "Next sidebar entry", id="sidebar_down"),
    _key("Organise", "sidebar", "k,up", "cursor_up", "Up", "Previous sidebar entry", id="sidebar_up"),
    _key("Organise", "sidebar", "escape", "leave", "Back", "Back to the list", show=True,
         id="sidebar_leave"),
    _key("Organise", "tags", "tab", "complete", "Complete", "Complete the tag being typed",
         show=True, id="tags_complete"),
    _key("Organise", "tags", "escape", "cancel", "Cancel", "Close without changing tags", show=True,
         id="tags_cancel"),
    _key("Organise", "note", "ctrl+o", "save", "Save", "Save the note", show=True, id="note_save"),
    _key("Organise", "note", "escape", "cancel", "Cancel", "Close without saving the note", show=True,
         id="note_cancel"),
    _key("Organise", "name", "escape", "cancel", "Cancel", "Close without saving the search",
         show=True, id="name_cancel"),
    _key("Select", "workspace", "v", "select_range", "Range",
         "Select a range that follows the cursor (again: stop); s r t e act on the selection"),
    _key("Select", "workspace", "space", "toggle_selected", "Select", "Select or unselect this paper"),
    _key("Select", "workspace", "V", "select_all", "Select all", "Select every paper shown"),
    _key("App", "main", "F", "daily('fetch')", "Fetch", "Fetch every feed now", id="fetch"),
    _key("App", "main", "question_mark", "help", "Help", "Show every key", show=True),
    _key("App", "main", "q", "quit", "Quit", show=True),
    _key("App", "help", "escape,q,question_mark", "close", "Close", "Close help", show=True,
         id="help_close"),
    _key("App", "help", "j,down", "scroll(1)", "Down", "Scroll the help down", id="help_down"),
    _key("App", "help", "k,up", "scroll(-1)", "Up", "Scroll the help up", id="help_up"),
    _key("App", "confirm", "y,enter", "answer(True)", "Yes", "Go ahead (asked before changing many papers)",
         show=True, id="confirm_yes"),
    _key("App", "confirm", "n,escape", "answer(False)", "No", "Do nothing", show=True, id="confirm_no"),
    _key("Export", "export", "enter", "export", "Export", "Write the file", id="export_confirm"),
    _key("Export", "export", "escape", "cancel", "Cancel", "Close without exporting",
         id="export_cancel"),
    _key("Export", "overwrite", "y,enter", "answer(True)", "Replace", "Replace the file",
         id="export_replace"),
    _key("Export", "overwrite", "n,escape", "answer(False)", "Keep", "Keep the file",
         id="export_keep"),
)

GROUPS = ("Move", "Filter", "Marks", "Select", "Organise", "Paper", "App", "Export")
# The footer shows keys in this order, so that a narrow one still has the essentials.
FOOTER = ("focus_filter", "toggle_read", "toggle_star", "help", "quit", "decide_read", "undo",
          "only_unread", "only_starred", "sort")


def bindings(owner: str) -> list[Binding]:
    """The bindings one widget or screen declares, footer keys first in footer order."""
    def rank(key: Key) -> int:
        return FOOTER.index(key.id) if key.id in FOOTER else len(FOOTER)

    return [key.binding for key in sorted(CATALOG, key=rank) if key.owner == owner]


def binding_ids() -> set[str]:
    """Every id a keymap may name."""
    return {key.id for key in CATALOG}
