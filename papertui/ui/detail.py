"""The detail pane: one paper in full, its matched terms highlighted, then similar papers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from papertui.highlight import NO_HIGHLIGHTS, Highlights
from papertui.models import Paper
from papertui.state import Mark
from papertui.tex import tex_to_text
from papertui.ui import keys
from papertui.ui.failsafe import guarded


# Styles in theme variables, resolved when drawn, so a theme change recolours everything.
TITLE = "bold $text"
MUTED = "$text-muted"
LINK = "underline $text-primary"
MATCH = "bold $text-warning on $warning-muted"
STAR = "bold $warning"
UNREAD = "bold $accent"


class DetailPane(VerticalScroll):
    """Title, authors, date, source, id, link, marks and abstract; then "Similar papers"."""

    BINDINGS = keys.bindings("detail")

    class Leave(Message):
        """Focus should go back to the list."""

    class SimilarChosen(Message):
        """The user picked a similar paper to jump to."""

        def __init__(self, paper_id: str) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[Paper, Mark, Highlights, str] | None = None
        self.empty_message = "No paper selected."
        self._similar_shown: tuple[tuple, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")
        yield Static("Similar papers", id="similar-title")
        # A fixed height, and a note as a disabled option rather than another widget:
        # then a new paper's similar papers need no new layout, only a repaint.
        yield OptionList(id="similar-list", compact=True)

    # Down: what to show ---------------------------------------------------

    def show(self, paper: Paper | None, mark: Mark, highlights: Highlights = NO_HIGHLIGHTS,
             source: str = "") -> None:
        """Show ``paper``; None shows an empty pane."""
        previous = self._shown[0].id if self._shown else None
        self._shown = (paper, mark, highlights, source) if paper else None
        self.set_class(paper is None, "-empty")
        self.query_one("#detail-body", Static).update(self._body())
        if paper is None or paper.id != previous:
            self.scroll_home(animate=False)

    def show_similar(self, similar: list[tuple[str, str]] | None, note: str = "") -> None:
        """List similar papers as (id, title); or None with a note saying why there are none."""
        wanted = (tuple(similar or ()), note if not similar else "")
        if wanted == self._similar_shown:
            return
        self._similar_shown = wanted
        options = self.query_one("#similar-list", OptionList)
        if similar:
            options.set_options(
                Option(tex_to_text(title), id=pid)
                for pid, title in similar
            )
        else:
            options.set_options([Option(Content.styled(note, "italic $text-muted"), disabled=True)])

    def _body(self) -> Content:
        if self._shown is None:
            return Content.styled(self.empty_message, MUTED)
        paper, mark, highlights, source = self._shown
        parts: list[Content] = [_marked(tex_to_text(paper.title), "title", highlights, TITLE)]
        if paper.authors:
            parts.append(_marked(", ".join(paper.authors), "authors", highlights, MUTED))
        facts = [paper.date or "", source, paper.id]  # the id `papertui mark` takes
        parts.append(Content.styled(" · ".join(f for f in facts if f), MUTED))
        if paper.link:
            parts.append(Content.styled(paper.link, LINK))
        parts.append(_marks_line(mark))
        parts.append(Content(""))
        abstract = tex_to_text(paper.abstract) if paper.abstract else ""
        if abstract:
            parts.append(_marked(abstract, "abstract", highlights, ""))
        else:
            parts.append(Content.styled("No abstract.", MUTED))
        return Content("\n").join(parts)

    # Up: what the user did -----------------------------------------------

    @guarded
    def action_back_to_list(self) -> None:
        self.post_message(self.Leave())

    @guarded
    def action_similar(self) -> None:
        options = self.query_one("#similar-list", OptionList)
        if self._similar_shown and self._similar_shown[0]:
            options.focus()
            if options.highlighted is None:
                options.highlighted = 0

    @guarded
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.SimilarChosen(event.option.id))


def _marked(text: str, shown: str, highlights: Highlights, style: str) -> Content:
    out = Content.styled(text, style) if style else Content(text)
    for begin, end in highlights.spans(shown, text):
        out = out.stylize(MATCH, begin, end)
    return out


def _marks_line(mark: Mark) -> Content:
    parts: list[tuple[str, str] | str] = []
    if mark.starred:
        parts += [("★ Starred", STAR), "  "]
    parts.append(("✓ Read", MUTED) if mark.read else ("● Unread", UNREAD))
    return Content.assemble(*parts)
