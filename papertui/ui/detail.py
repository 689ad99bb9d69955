"""The detail pane: one paper in full, its matched terms highlighted, then similar papers."""

from __future__ import annotations

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.content import Content
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from papertui.highlight import NO_HIGHLIGHTS, Highlights
from papertui.paper_view import (PaperView, counts_line, fold_id, links, topics_line, where_line,
                                 why_line)
from papertui.reader import Reader
from papertui.tex import tex_to_text
from papertui.ui import keys
from papertui.ui.failsafe import guarded
from papertui.ui.similar import SimilarPapers


# Styles in theme variables, resolved when drawn, so a theme change recolours everything.
TITLE = "bold $text"
MUTED = "$text-muted"
LINK = "underline $text-primary"
MATCH = "bold $text-warning on $warning-muted"
STAR = "bold $warning"
UNREAD = "bold $accent"
ACCENT = "$text-accent"
CHIP = "$text-accent on $accent-muted"
ID_LABEL = "id "


class DetailPane(VerticalScroll):
    """Title, authors, where from, topics, counts, links, id, tags, marks, abstract and the
    note; then "Similar papers"."""

    BINDINGS = keys.bindings("detail")

    def __init__(self, reader: Reader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[PaperView, Highlights] | None = None
        self.empty_message = "No paper selected."
        self.back_to: Widget | None = None  # where Esc leads: the workspace's list
        self.similar = SimilarPapers(reader, id="similar-list")

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")
        note = Static(id="detail-note")
        note.border_title = "Note"
        yield note
        yield Static(id="detail-abstract")
        yield Static("Similar papers", id="similar-title")
        yield self.similar

    # Down: what to show ---------------------------------------------------

    def show(self, view: PaperView | None, highlights: Highlights = NO_HIGHLIGHTS) -> None:
        """Show a paper and what is known about it; None shows an empty pane."""
        if view is not None and self._shown == (view, highlights):
            return  # as shown already (a complete list after its first screen): spare the layout
        previous = self._shown[0].paper.id if self._shown else None
        self._shown = (view, highlights) if view else None
        self.set_class(view is None, "-empty")
        self._paint()
        note = self.query_one("#detail-note", Static)
        note.display = bool(view and view.note)
        note.update(Markdown(view.note) if view and view.note else "")
        self.query_one("#detail-abstract", Static).update(self._abstract())
        if view is None or view.paper.id != previous:
            self.scroll_home(animate=False)

    def on_resize(self) -> None:
        self._paint()  # the id folds to the new width

    def _paint(self) -> None:
        body = self.query_one("#detail-body", Static)
        body.update(self._body(body.content_region.width))

    def _body(self, width: int) -> Content:
        if self._shown is None:
            return Content.styled(self.empty_message, MUTED)
        view, highlights = self._shown
        paper = view.paper
        parts: list[Content] = [_marked(tex_to_text(paper.title), "title", highlights, TITLE)]
        if paper.authors:
            parts.append(_marked(", ".join(paper.authors), "authors", highlights, MUTED))
        for line in (where_line(view), topics_line(paper), counts_line(paper)):
            if line:
                parts.append(Content.styled(line, MUTED))
        for label, url, after in links(paper):
            parts.append(Content.assemble((f"{label} ", MUTED), (url, LINK),
                                          (f"  {after}" if after else "", STAR)))
        # The id `papertui mark` takes, folded at its hyphens rather than mid-word.
        folded = fold_id(paper.id, width - len(ID_LABEL))
        parts.append(Content.styled(ID_LABEL + folded[0], MUTED))
        parts.extend(Content.styled(" " * len(ID_LABEL) + line, MUTED) for line in folded[1:])
        if view.tags:
            parts.append(_chips(view.tags))
        parts.append(_marks_line(view))
        if why := why_line(view):
            parts.append(Content.styled(why, ACCENT))
        return Content("\n").join(parts)

    def _abstract(self) -> Content:
        if self._shown is None:
            return Content("")
        view, highlights = self._shown
        abstract = tex_to_text(view.paper.abstract) if view.paper.abstract else ""
        if abstract:
            return _marked(abstract, "abstract", highlights, "")
        return Content.styled("No abstract.", MUTED)

    # Up: what the user did -----------------------------------------------

    @guarded
    def action_back_to_list(self) -> None:
        """Focus the list now, not after the keys already queued, which are the list's."""
        if self.back_to is not None:
            self.screen.set_focus(self.back_to)

    @guarded
    def action_similar(self) -> None:
        if self.similar.has_papers:
            self.screen.set_focus(self.similar)  # now: the keys queued after Enter are its
            if self.similar.highlighted is None:
                self.similar.highlighted = 0


def _marked(text: str, shown: str, highlights: Highlights, style: str) -> Content:
    out = Content.styled(text, style) if style else Content(text)
    for begin, end in highlights.spans(shown, text):
        out = out.stylize(MATCH, begin, end)
    return out


def _chips(tags: tuple[str, ...]) -> Content:
    return Content(" ").join(Content.styled(f" {tag} ", CHIP) for tag in tags)


def _marks_line(view: PaperView) -> Content:
    parts: list[tuple[str, str] | str] = []
    if view.mark.starred:
        parts += [("★ Starred", STAR), "  "]
    parts.append(("✓ Read", MUTED) if view.mark.read else ("● Unread", UNREAD))
    if view.pdf:
        parts += ["  ", ("PDF ✓", ACCENT)]
    return Content.assemble(*parts)
