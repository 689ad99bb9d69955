"""What the detail pane and the list rows say about a paper, as plain text (no Textual).

``view_of`` gathers a paper's facts through the facade: its marks, where it came
from (by the sources' short labels), tags, note, a downloaded PDF and, in the
"for you" order, the words it shares with the stars. The functions below turn
them into the lines the UI styles, so each rule is tested without Pilot.
``Rows`` is what the list asks of each row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papertui.models import NO_MARK, Mark, Paper
from papertui.tex import tex_to_text

if TYPE_CHECKING:
    from papertui.library import Library

SEPARATOR = " · "


@dataclass(frozen=True, slots=True)
class PaperView:
    """One paper with everything the detail pane shows beside it."""

    paper: Paper
    mark: Mark = NO_MARK
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    note: str = ""
    pdf: bool = False
    why: tuple[str, ...] = ()


def view_of(library: Library, paper_id: str, *, why: bool = False) -> PaperView:
    """The view of ``paper_id``; ``why`` adds the "for you" terms (only that order has them)."""
    paper = library.paper(paper_id)
    labels = library.source_labels()
    return PaperView(
        paper,
        library.mark(paper_id),
        tuple(labels.get(name, name) for name in paper.sources),
        library.organise.tags_of(paper_id),
        library.organise.note(paper_id),
        library.pdf_path(paper_id) is not None,
        tuple(library.why(paper_id)) if why else (),
    )


def where_line(view: PaperView) -> str:
    """"2026-06-04 · daily_papers-2026-06.json": the date, then the sources.

    The date is left out when a source's label already ends with it (an RSS
    channel's "cs.CV updates on arXiv.org · 2025-03-18"), so it shows once.
    """
    date = view.paper.date or ""
    if date and any(label.endswith(SEPARATOR + date) for label in view.sources):
        date = ""
    return SEPARATOR.join(part for part in (date, *view.sources) if part)


def topics_line(paper: Paper) -> str:
    """"cs.CV · cs.AI · announced as cross": the arXiv categories and the RSS announce type."""
    parts = list(paper.categories)
    announce = paper.extra.get("announce_type")
    if isinstance(announce, str) and announce:
        parts.append(f"announced as {announce}")
    return SEPARATOR.join(parts)


def counts_line(paper: Paper) -> str:
    """"42 upvotes · 7 comments" from Hugging Face, "" when neither is known."""
    parts = []
    if paper.upvotes is not None:
        parts.append(_count(paper.upvotes, "upvote"))
    comments = paper.extra.get("comments")
    if isinstance(comments, int):
        parts.append(_count(comments, "comment"))
    return SEPARATOR.join(parts)


def links(paper: Paper) -> list[tuple[str, str, str]]:
    """(label, url, after) for the code, the project page and the paper's own link.

    ``after`` is what follows the URL: the repository's stars ("★ 1,234").
    """
    out = []
    if paper.github:
        stars = paper.extra.get("github_stars")
        out.append(("Code", paper.github, f"★ {stars:,}" if isinstance(stars, int) else ""))
    if paper.project_page:
        out.append(("Project", paper.project_page, ""))
    if paper.link:
        out.append(("Link", paper.link, ""))
    return out


def why_line(view: PaperView) -> str:
    """"For you: shares diffusion, video, motion with your stars", "" without terms."""
    if not view.why:
        return ""
    return f"For you: shares {', '.join(view.why)} with your stars"


def fold_id(paper_id: str, width: int) -> list[str]:
    """``paper_id`` in lines of at most ``width``, broken after a ``-`` where it can be.

    Title ids are long hyphenated words; a terminal would cut them anywhere.
    A part longer than a line is cut at the width. ``width`` < 1 folds nothing.
    """
    if width < 1 or len(paper_id) <= width:
        return [paper_id]
    lines: list[str] = []
    line = ""
    for part in _after_hyphens(paper_id):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
        while len(line) > width:
            lines.append(line[:width])
            line = line[width:]
    if line:
        lines.append(line)
    return lines


def clipboard_text(title: str, link: str | None) -> tuple[str, str]:
    """What ``c`` copies and what it says: the title and link, or the title alone."""
    if link:
        return f"{title}\n{link}", "Copied the title and link."
    return title, "Copied the title (no link known)."


def byline(paper: Paper) -> tuple[str, str]:
    """(date, first author) for the list's wide columns: ("2026-06-04", "Lai et al.")."""
    author = ""
    if paper.authors:
        first = tex_to_text(paper.authors[0])
        surname = first.split(",")[0] if "," in first else (first.split() or [""])[-1]
        author = surname + (" et al." if len(paper.authors) > 1 else "")
    return paper.date or "", author


@dataclass(frozen=True, slots=True)
class Row:
    """What one list row says: the title and, on wide terminals, the date and first author."""

    title: str
    date: str = ""
    author: str = ""


class Rows:
    """The list's rows, looked up through whichever library is open now (it is swapped on load)."""

    def __init__(self, library: Callable[[], Library]) -> None:
        self._library = library

    def row(self, paper_id: str) -> Row:
        paper = self._library().paper(paper_id)
        return Row(tex_to_text(paper.title), *byline(paper))

    def mark(self, paper_id: str) -> Mark:
        return self._library().mark(paper_id)

    def tags(self, paper_id: str) -> tuple[str, ...]:
        return self._library().organise.tags_of(paper_id)


def _after_hyphens(text: str) -> list[str]:
    """"a-bc-d" -> ["a-", "bc-", "d"]."""
    parts = text.split("-")
    return [part + "-" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")
