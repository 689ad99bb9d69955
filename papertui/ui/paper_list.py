"""The paper list: a line-API view over an array of ids.

It renders only the rows on screen (toolong's design), so showing a new list,
moving the cursor and paging cost the same at 100 papers or 1M. Rows are
cached as Strips keyed by everything that changes how they look.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Protocol

from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from papertui.highlight import NO_HIGHLIGHTS, Highlights
from papertui.models import Mark
from papertui.paper_view import Row
from papertui.reader import Shown
from papertui.ui import keys
from papertui.ui.failsafe import guarded

STAR = "★"
SELECTED = "▌"
UNREAD = "●"


# From this terminal width (the app's "-columns" breakpoint), rows also show the date and
# the first author.
WIDE = 140
DATE_WIDTH, AUTHOR_WIDTH = 10, 16


class RowSource(Protocol):
    """What a row shows about a paper (papertui.paper_view.Rows)."""

    def row(self, paper_id: str) -> Row: ...

    def mark(self, paper_id: str) -> Mark: ...

    def tags(self, paper_id: str) -> tuple[str, ...]: ...


class PaperList(ScrollView, can_focus=True):
    """One row a paper: star, read mark, title and tags (and on wide terminals the date and
    first author); a cursor that marks nothing by moving."""

    BINDINGS = keys.bindings("list")
    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--cursor-blurred",
        "paper-list--unread",
        "paper-list--unread-dot",
        "paper-list--read",
        "paper-list--star",
        "paper-list--match",
        "paper-list--empty",
        "paper-list--tag",
        "paper-list--column",
        "paper-list--selected",
    }
    DEFAULT_CSS = """
    PaperList { overflow-x: hidden; }
    """

    shown: var[Shown | None] = var(None, init=False)
    """The result to show, and the paper to keep the cursor on."""

    class Highlighted(Message):
        """The cursor is on another paper (None when the list is empty)."""

        def __init__(self, paper_id: str | None) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(self, rows: RowSource, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows = rows
        self._ids: list[str] = []
        self._cursor = 0
        self._highlights: Highlights = NO_HIGHLIGHTS
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._looks: tuple[Style, ...] = ()  # the styles the cached rows were rendered in
        self._render_failed = False
        self.empty_message = "No papers match."
        self.selected: Container[str] = frozenset()  # the ids the workspace selected
        self.detail: Widget | None = None  # where Enter leads: the workspace's detail pane

    # What is shown ----------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        """The ids in display order."""
        return self._ids

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def current(self) -> str | None:
        """The id under the cursor."""
        return self._ids[self._cursor] if self._ids else None

    def watch_shown(self, shown: Shown | None) -> None:
        if shown is not None:
            self.show(shown.result.ids, shown.result.highlights, keep=shown.keep)

    def show(self, ids: list[str], highlights: Highlights = NO_HIGHLIGHTS, keep: str | None = None) -> None:
        """Show ``ids``, keeping the cursor on ``keep`` when it is among them, else at the top."""
        self._ids = ids
        if highlights != self._highlights:  # equal ones keep the cached rows (keyed by their id)
            self._highlights = highlights
            self._cache.clear()
        self._cursor = _index_of(ids, keep) if keep is not None else 0
        self.virtual_size = Size(0, len(ids))
        self.refresh()
        # Scrolling now would be clamped to the old list's length: wait for the new size.
        self.call_after_refresh(self._scroll_to_cursor, True)
        self.post_message(self.Highlighted(self.current))

    def refresh_marks(self) -> None:
        """Repaint after marks changed (the cache is keyed by mark, so old rows just miss)."""
        self.refresh()

    def select(self, paper_id: str) -> bool:
        """Put the cursor on ``paper_id``; False when it is not shown."""
        index = _index_of(self._ids, paper_id, default=-1)
        if index < 0:
            return False
        self.move_to(index)
        return True

    def move_to(self, index: int) -> None:
        """Move the cursor, clamped to the list, and scroll it into view."""
        if not self._ids:
            return
        index = max(0, min(index, len(self._ids) - 1))
        if index == self._cursor:
            return
        old, self._cursor = self._cursor, index
        self.refresh_line(old)
        self.refresh_line(index)
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self.current))

    def _scroll_to_cursor(self, center: bool = False) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_offset.y)
        if center and not top <= self._cursor < top + height:
            self.scroll_to(y=max(0, self._cursor - height // 2), animate=False)
        elif self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False)

    # Actions -----------------------------------------------------------------

    @guarded
    def action_cursor_down(self) -> None:
        self.move_to(self._cursor + 1)

    @guarded
    def action_cursor_up(self) -> None:
        self.move_to(self._cursor - 1)

    @guarded
    def action_first(self) -> None:
        self.move_to(0)

    @guarded
    def action_last(self) -> None:
        self.move_to(len(self._ids) - 1)

    @guarded
    def action_page_down(self) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + page, animate=False)
        self.move_to(self._cursor + page)

    @guarded
    def action_page_up(self) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=max(0, self.scroll_offset.y - page), animate=False)
        self.move_to(self._cursor - page)

    @guarded
    def action_open_detail(self) -> None:
        """Read the paper under the cursor: focus the detail pane now, not after the keys
        already queued, which are the pane's."""
        if self._ids and self.detail is not None:
            self.screen.set_focus(self.detail)

    @guarded
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_offset.y) + offset.y
        if 0 <= index < len(self._ids):
            self.move_to(index)
            if event.chain >= 2:
                self.action_open_detail()

    def on_resize(self) -> None:
        self._cache.clear()
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh_line(self._cursor)

    def on_blur(self) -> None:
        self.refresh_line(self._cursor)

    def notify_style_update(self) -> None:
        """Drop the cached rows when their styles changed (a theme); not on every focus
        change, which restyles the widget with the same looks."""
        super().notify_style_update()
        if not self.is_mounted:
            return  # nothing cached yet, and the component styles come with the mount
        looks = (self.rich_style, *(self.get_component_rich_style(name)
                                    for name in sorted(self.COMPONENT_CLASSES)))
        if looks != self._looks:
            self._looks = looks
            self._cache.clear()
            self.refresh()

    # Rendering ---------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        try:
            if not self._ids:
                return self._empty_line(y, width)
            if index >= len(self._ids):
                return Strip.blank(width, self.rich_style)
            return self._row(index, width)
        except Exception as error:  # one bad row must not take the app down
            if not self._render_failed:
                self._render_failed = True
                self.app.call_later(self.app.report_error, error, "PaperList.render_line")
            return Strip.blank(width, self.rich_style)

    def _empty_line(self, y: int, width: int) -> Strip:
        if y != 1:
            return Strip.blank(width, self.rich_style)
        style = self.rich_style + _foreground_of(self)("paper-list--empty")
        text = Text("  " + self.empty_message, no_wrap=True, end="")
        text.truncate(width, overflow="ellipsis", pad=True)
        text.stylize_before(style)
        return Strip(text.render(self.app.console), width)

    def _row(self, index: int, width: int) -> Strip:
        paper_id = self._ids[index]
        mark, tags = self._rows.mark(paper_id), self._rows.tags(paper_id)
        cursor = index == self._cursor
        wide = self.app.size.width >= WIDE
        key = (paper_id, mark, tags, width, wide, cursor and (2 if self.has_focus else 1),
               id(self._highlights), paper_id in self.selected)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(paper_id, mark, tags, width, wide, key[5], key[7])
            self._cache[key] = strip
        return strip

    def _render_row(self, paper_id: str, mark: Mark, tags: tuple[str, ...], width: int,
                    wide: bool, cursor: int, selected: bool = False) -> Strip:
        component = _foreground_of(self)
        title_style = component("paper-list--read" if mark.read else "paper-list--unread")
        if cursor:
            # The cursor's own text colour, so the row reads on the cursor's background.
            name = "paper-list--cursor" if cursor == 2 else "paper-list--cursor-blurred"
            cursor_style = self.get_component_rich_style(name)
            title_style += Style(color=cursor_style.color)
        row = self._rows.row(paper_id)
        title = row.title
        text = Text(no_wrap=True, end="")
        text.append(SELECTED, component("paper-list--selected")) if selected else text.append(" ")
        text.append(STAR if mark.starred else " ", component("paper-list--star"))
        text.append(" ")
        text.append(" " if mark.read else UNREAD, component("paper-list--unread-dot"))
        text.append(" ")
        start = len(text)
        text.append(title, title_style)
        match = self.get_component_rich_style("paper-list--match")
        for begin, end in self._highlights.spans("title", title):
            text.stylize(match, start + begin, start + end)
        after = self._after_title(row, tags, width, wide, component)
        text.truncate(max(width - after.cell_len, 0), overflow="ellipsis", pad=True)
        text.append_text(after)
        text.truncate(width, overflow="ellipsis", pad=True)
        if cursor:
            text.stylize_before(cursor_style)
        elif selected:
            text.stylize_before(self.get_component_rich_style("paper-list--selected"))
        text.stylize_before(self.rich_style)
        return Strip(text.render(self.app.console), width).simplify()


    def _after_title(self, row: Row, tags: tuple[str, ...], width: int, wide: bool,
                     component: Callable[[str], Style]) -> Text:
        """The tags as chips (with their own background), then (wide) the date and author."""
        after = Text(no_wrap=True, end="")
        chip = self.get_component_rich_style("paper-list--tag")
        room = width // 3  # the title keeps the most of the row
        for number, tag in enumerate(tags):
            more = len(tags) - number - 1
            if after.cell_len + len(tag) + 3 + (len(f" +{more}") if more else 0) > room:
                after.append(f" +{len(tags) - number}", component("paper-list--column"))
                break
            after.append(" ")
            after.append(f" {tag} ", chip)
        if wide:
            column = component("paper-list--column")
            after.append("  ")
            after.append(row.date.ljust(DATE_WIDTH)[:DATE_WIDTH], column)
            author = Text(row.author, column, no_wrap=True, end="")
            author.truncate(AUTHOR_WIDTH, overflow="ellipsis", pad=True)
            after.append("  ")
            after.append_text(author)
            after.append(" ")
        return after


def _foreground_of(widget: PaperList) -> Callable[[str], Style]:
    """A component's text style without its background, so the row's background shows.

    (The full style blends translucent theme colours such as $text-muted with
    the background; a partial style would not.)
    """

    def foreground(name: str) -> Style:
        full = widget.get_component_rich_style(name)
        return Style(color=full.color, bold=full.bold, italic=full.italic,
                     underline=full.underline, dim=full.dim, strike=full.strike)

    return foreground


def _index_of(ids: list[str], paper_id: str | None, default: int = 0) -> int:
    if paper_id is None:
        return default
    try:
        return ids.index(paper_id)
    except ValueError:
        return default

