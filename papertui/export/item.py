"""What every export format is made of: a paper, its marks, and facts derived from both."""

from __future__ import annotations

import re
from dataclasses import dataclass

from papertui.models import Paper

_YEAR = re.compile(r"\d{4}(?!\d)")


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One paper of a reading list with its triage state."""

    paper: Paper
    read: bool
    starred: bool


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, newlines included, made one space."""
    return " ".join(text.split())


def year_of(paper: Paper) -> str | None:
    """The four-digit year of the paper's ISO date, None when unknown."""
    match = _YEAR.match(paper.date or "")
    return match.group() if match else None


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
    """The triage state as tags, which Zotero and most reference managers import."""
    return ["read" if item.read else "unread"] + (["starred"] if item.starred else [])
