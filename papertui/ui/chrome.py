"""The frame around the list: the title bar and the index-build progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var
from textual.widgets import Label, ProgressBar

from papertui.reader import IndexStatus


class TitleBar(Horizontal):
    """What is shown on the left ("Daily Papers · Aug 13"), live counts on the right."""

    heading: var[tuple[str, str]] = var(("", ""), init=False)
    """The list's name and the counts line."""

    def compose(self) -> ComposeResult:
        yield Label("papertui", id="app-name")
        yield Label("", id="list-name")
        yield Label("", id="counts")

    def watch_heading(self, heading: tuple[str, str]) -> None:
        name, counts = heading
        self.query_one("#list-name", Label).update(name)
        self.query_one("#counts", Label).update(counts)


def counts_line(papers: int, read: int, starred: int, shown: int | None, selected: int = 0,
                counting: bool = False) -> str:
    """"67 papers · 12 read · 3 starred", plus "· 5 shown" while filtered ("· 50+ shown"
    while ``counting`` the rest) and "· 3 selected"."""
    noun = "paper" if papers == 1 else "papers"
    line = f"{papers:,} {noun} · {read:,} read · {starred:,} starred"
    line = line if shown is None else f"{line} · {shown:,}{'+' if counting else ''} shown"
    return f"{line} · {selected:,} selected" if selected else line


class BuildProgress(Horizontal):
    """"Building the search index" with a bar and done/total, shown only while building: not
    while the index takes the papers a fetch brought (seconds, and a row that came and went
    would move the list twice)."""

    status: var[IndexStatus] = var(IndexStatus(), init=False)
    """Where the library and its index are; the bar shows while loading or building."""

    def compose(self) -> ComposeResult:
        yield Label("Building the search index", id="index-label")
        yield ProgressBar(show_eta=False, id="index-bar")
        yield Label("", id="index-count")

    def watch_status(self, status: IndexStatus) -> None:
        if status.stage == "loading":
            self.show_loading(status.what)
        elif status.stage == "building" and not status.arrivals_only:
            self.update_progress(status.done, status.total)
        else:
            self.finish()

    def show_loading(self, what: str) -> None:
        """An indeterminate bar: reading the sources before the index can start."""
        self.display = True
        self.query_one("#index-label", Label).update(what)
        self.query_one(ProgressBar).update(total=None)
        self.query_one("#index-count", Label).update("")

    def update_progress(self, done: int, total: int) -> None:
        self.display = True
        self.query_one("#index-label", Label).update("Building the search index")
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#index-count", Label).update(f"{done:,}/{total:,}")

    def finish(self) -> None:
        self.display = False
