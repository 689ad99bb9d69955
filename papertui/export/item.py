"""What every export format is made of: a paper, its marks, tags and note, and facts from them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from papertui.models import Paper
from papertui.tex import tex_to_text

_YEAR = re.compile(r"\d{4}(?!\d)")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])(?!\d)")


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One paper of a reading list with its triage state, the user's tags and note.

    ``tags`` are case-folded tag names in a stable order; ``note`` is the user's
    Markdown note, "" when there is none.
    """

    paper: Paper
    read: bool
    starred: bool
    tags: tuple[str, ...] = ()
    note: str = ""


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, newlines included, made one space."""
    return " ".join(text.split())


def plain(text: str) -> str:
    """Title or abstract text as the app shows it: TeX read as text, on one line.

    Every export but BibTeX (which is TeX) writes this, so "$\\mu$P" is "μP" and
    "\\eg" is "e.g." in the app and in Markdown, CSV, JSON and RIS alike.
    """
    return one_line(tex_to_text(text))


def year_of(paper: Paper) -> str | None:
    """The four-digit year of the paper's ISO date, None when unknown."""
    match = _YEAR.match(paper.date or "")
    return match.group() if match else None


def month_of(paper: Paper) -> int | None:
    """The month (1-12) of the paper's ISO date, None when only the year is known."""
    match = _MONTH.match(paper.date or "")
    return int(match.group(1)) if match else None


def journal_of(paper: Paper) -> str | None:
    """The journal the paper appeared in, when a source said so."""
    journal = paper.extra.get("journal")
    return one_line(journal) or None if isinstance(journal, str) else None


def doi_of(paper: Paper) -> str | None:
    """A DOI from the source, else the DataCite DOI arXiv gives every preprint.

    The arXiv DOI names the preprint, so a paper with a journal gets none unless
    its source gave one.
    """
    doi = paper.extra.get("doi")
    if isinstance(doi, str) and doi.strip():
        return doi.strip()
    if paper.arxiv_id and not journal_of(paper):
        return f"10.48550/arXiv.{paper.arxiv_id}"
    return None


def tags_of(item: ExportItem) -> list[str]:
    """The triage state, then the user's tags: keywords that reference managers import as tags."""
    triage = ["read" if item.read else "unread"] + (["starred"] if item.starred else [])
    return list(dict.fromkeys([*triage, *item.tags]))


def note_of(item: ExportItem) -> str:
    """The note with its line ends made ``\\n`` and no blank lines around it."""
    return "\n".join(item.note.strip().splitlines())


def date_parts(paper: Paper) -> list[int]:
    """The paper's ISO date as [year, month, day], as far as it is known ([] when not)."""
    parts: list[int] = []
    for part in (paper.date or "").split("-")[:3]:
        if not part.isdigit():
            break
        parts.append(int(part))
    return parts
