"""A reading list as Markdown: a heading, then one checklist item per paper.

    # Starred · Daily Papers — 2025-08-13 — 2 papers

    - [x] ★ [Scaling Laws](https://arxiv.org/abs/2001.08361) — Jared Kaplan · `2001.08361`
      Tags: `survey` `baselines`
      > The user's note, as the Markdown it was written in.
    - [ ] **A paper without a link** · `a-paper-without-a-link`

The heading names the selection (starred, still to read, a query) and the list.
The title, its TeX read as text as in the app, is the text of its link, or bold
where no URL is known, so a parser can find it again; see the tests, which check
every title through markdown-it-py. The tags follow on the item's next line, and
the note is a block quote inside the item, which holds whatever Markdown the note
has: an unclosed code fence or HTML block ends with the quote, never swallowing
the papers after it, and no blank line makes the list loose.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from urllib.parse import quote

from .item import ExportItem, note_of, one_line, plain

MAX_AUTHORS = 5
AUTHORS_BEFORE_ET_AL = 3

# Every character that can open or close an inline construct in CommonMark, or
# in the common extensions (GFM tables and strikethrough, dollar math).
# Backslash-escaping any ASCII punctuation is always allowed, so over-escaping is
# harmless; escaping only these keeps the source readable.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>&|~$])")
# Link destinations may not hold spaces, < or >, and parentheses must balance.
_URL_SAFE = "/:?#[]@!$&'*+,;=%~-._"


def escape(text: str) -> str:
    """``text`` as Markdown inline source that renders exactly as ``text``."""
    return _INLINE_SPECIALS.sub(r"\\\1", one_line(text))


def render(
    items: Sequence[ExportItem], *, list_name: str, on: datetime.date, selection: str = ""
) -> str:
    count = f"{len(items)} paper" if len(items) == 1 else f"{len(items)} papers"
    name = " · ".join(escape(part) for part in (selection, list_name) if one_line(part))
    heading = f"# {name or 'Reading list'} — {on.isoformat()} — {count}"
    if not items:
        return heading + "\n"
    return "\n".join([heading, "", *map(_item_line, items)]) + "\n"


def _item_line(item: ExportItem) -> str:
    paper = item.paper
    title = escape(plain(paper.title)) or escape(paper.id)
    linked = f"[{title}]({quote(paper.link, safe=_URL_SAFE)})" if paper.link else f"**{title}**"
    line = f"- [{'x' if item.read else ' '}] {'★ ' if item.starred else ''}{linked}"
    if paper.authors:
        line += f" — {_authors(paper.authors)}"
    lines = [f"{line} · {_code(paper.id)}"]
    if item.tags:
        lines.append("  Tags: " + " ".join(_code(tag) for tag in item.tags))
    if note := note_of(item):
        lines += [f"  > {text}" if text else "  >" for text in note.split("\n")]
    return "\n".join(lines)


def _authors(authors: Sequence[str]) -> str:
    if len(authors) > MAX_AUTHORS:
        return ", ".join(escape(a) for a in authors[:AUTHORS_BEFORE_ET_AL]) + " et al."
    return ", ".join(escape(a) for a in authors)


def _code(text: str) -> str:
    """A code span that holds ``text`` whatever backticks it contains."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
