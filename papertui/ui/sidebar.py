"""The sidebar: saved searches and built-in folders as virtual folders, with live counts.

Inbox, Unread and Starred come first, then the saved searches, then one entry
per tag. Each shows how many papers it finds, how many of those are unread
and new. The counts are computed in a worker (tens of ms a text query) and
only when what they depend on changed, so they never stall typing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from papertui.library import Library
from papertui.ui import keys
from papertui.ui.failsafe import guarded

from papertui.organising import active_folder

if TYPE_CHECKING:  # the values come from the facade's ``organise``
    from papertui.organising import Folder, FolderCount

_KIND_ORDER = {"builtin": 0, "saved": 1, "tag": 2}


def ordered(folders: Sequence[Folder]) -> list[Folder]:
    """Built-ins, then saved searches, then tags: the order the sidebar and 1–9 use."""
    return sorted(folders, key=lambda folder: _KIND_ORDER.get(folder.kind, 3))


def counts_text(count: FolderCount | None) -> Text:
    """"12/37 +5": unread of total, and how many are new; "…" while counting."""
    if count is None:
        return Text("…", style="dim")
    if count.problem:
        return Text("?", style="dim")
    text = Text(f"{count.unread:,}/{count.total:,}")
    if count.new:
        text.append(f" +{count.new:,}", style="bold")
    return text


class FolderList(OptionList):
    """The entries: Enter (or a click) shows one, Esc goes back to the list of papers."""

    BINDINGS = keys.bindings("sidebar")

    def __init__(self, *, choose: Callable[[int], object], leave: Callable[[], object],
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self._choose = choose
        self._leave = leave

    @guarded
    def action_select(self) -> None:
        if self.highlighted is not None:
            self._choose(self.highlighted)

    @guarded
    def action_leave(self) -> None:
        self._leave()

    def action_page_up(self) -> None:
        """A page up; the first entry if the sidebar has not been laid out yet (it just opened)."""
        if self.scrollable_content_region:
            super().action_page_up()
        else:  # OptionList pages by its line map, which it fills only once it has a size
            self.action_first()

    def action_page_down(self) -> None:
        """A page down; the last entry if the sidebar has not been laid out yet."""
        if self.scrollable_content_region:
            super().action_page_down()
        else:
            self.action_last()


class Sidebar(Vertical):
    """Folders with their counts. Choosing one, or Esc, calls back at once, in the key's action:
    the keys queued after it are then looked up where it moved the focus."""

    class Counted(Message):
        """A worker counted the folders for ``key``."""

        def __init__(self, key: object, folders: list[Folder], counts: list[FolderCount]) -> None:
            super().__init__()
            self.key = key
            self.folders = folders
            self.counts = counts

    def __init__(self, library: Callable[[], Library], *, choose: Callable[[str], object],
                 leave: Callable[[], object], id: str | None = None) -> None:
        """``choose`` is called with the query of the entry picked; ``leave`` on Esc."""
        super().__init__(id=id)
        self._library = library
        self._choose = choose
        self._leave = leave
        self._counted: object = None  # what the counts shown were computed for
        self.folders: list[Folder] = []
        self.counts: list[FolderCount | None] = []
        self.query = ""  # the filter bar's: the entry with this query is marked as shown

    def compose(self) -> ComposeResult:
        yield Label("Folders  unread/all +new", id="sidebar-title")
        yield FolderList(choose=self._picked, leave=self._leave, id="folder-list")

    def entries(self) -> list[Folder]:
        """The folders as they are now (cheap: no counting)."""
        return ordered(self._library().organise.folders())

    def recount(self, force: bool = False) -> None:
        """Count again in a worker if the marks, tags, papers or index changed (or ``force``)."""
        if not self.display:
            return
        library = self._library()
        key = (id(library), len(library), library.index_ready, library.counts(), library.new_count())
        if not force and key == self._counted:
            return
        self._counted = key
        folders = self.entries()
        if folders != self.folders:
            self._show(folders, [None] * len(folders))
        self._count(library, key, folders)

    @work(thread=True, exclusive=True, group="sidebar", exit_on_error=False)
    def _count(self, library: Library, key: object, folders: list[Folder]) -> None:
        try:
            counts = library.organise.counts([folder.query for folder in folders])
        except RuntimeError:  # marks changed while counting; that change asked for a recount
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Counted(key, folders, counts))

    @on(Counted)
    @guarded
    def _counted_now(self, message: Counted) -> None:
        message.stop()
        if message.key == self._counted:
            self._show(message.folders, list(message.counts))

    def show_query(self, query: str) -> None:
        """The filter bar shows ``query`` now: mark the entry that has it (if any)."""
        if query != self.query:
            before = self.active
            self.query = query
            if self.display and self.active != before:
                self._show(self.folders, self.counts)
                if self.active is not None:  # the cursor goes to it too
                    self.query_one(FolderList).highlighted = self.active

    @property
    def active(self) -> int | None:
        """The index of the entry whose query the filter bar shows, if any."""
        return active_folder(self.folders, self.query)

    def _show(self, folders: list[Folder], counts: list[FolderCount | None]) -> None:
        folder_list = self.query_one(FolderList)
        highlighted = folder_list.highlighted
        self.folders, self.counts = folders, counts
        active = self.active
        folder_list.clear_options()
        folder_list.add_options([self._option(n, f, c, n == active)
                                 for n, (f, c) in enumerate(zip(folders, counts))])
        if folders:
            folder_list.highlighted = min(highlighted or 0, len(folders) - 1)

    @staticmethod
    def _option(number: int, folder: Folder, count: FolderCount | None, active: bool = False) -> Option:
        """One entry: its number key, its name (``▸`` and bold when it is shown), its counts."""
        row = Table.grid(expand=True, padding=(0, 1, 0, 0))
        row.add_column(no_wrap=True, width=1)
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        row.add_column(no_wrap=True, justify="right")
        name = Text(folder.name, style="italic" if folder.kind == "tag" else "")
        if active:
            name = Text.assemble(("▸ ", "bold"), name)
            name.stylize("bold underline")
        row.add_row(Text(str(number + 1) if number < 9 else " ", style="dim"), name, counts_text(count))
        return Option(row)

    def show(self, shown: bool) -> None:
        """Show (and count) or hide the sidebar."""
        self.display = shown
        if shown:
            self.recount(force=True)

    def focus_list(self) -> None:
        """Focus the folders now: the keys queued after the one that asked are theirs."""
        self.screen.set_focus(self.query_one(FolderList))

    def _picked(self, index: int) -> None:
        if 0 <= index < len(self.folders):
            self._choose(self.folders[index].query)
