"""What every source parser returns, and the small helpers the parsers share."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from papertui.errors import SourceError
from papertui.models import Paper


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that was not imported, with where it was and why."""

    where: str
    reason: str


@dataclass(slots=True)
class ParsedSource:
    """The papers read from one file, in the file's order, and what was skipped.

    ``title`` and ``date`` describe the list itself where the file says so,
    e.g. "Daily Papers" and "Aug 13".
    """

    path: str
    format: str
    papers: list[Paper] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    entries: int = 0
    title: str | None = None
    date: str | None = None

    def add(self, paper: Paper | None, where: str) -> None:
        """Keep ``paper``; None means the record at ``where`` had no title and is skipped."""
        if paper is None:
            self.skipped.append(Skipped(where, "no title"))
        else:
            self.papers.append(paper)


MAX_LABEL = 40


def source_name(path: str) -> str:
    """What a paper file is called in reports, filters and each paper's sources: its file name."""
    return os.path.basename(path)


def source_label(path: str, title: str | None, date: str | None) -> str:
    """What a source is shown as: the list's own title and date where the file gives a
    short one ("Daily Papers · Aug 13", not the bundled seed's "000_5f20306b54a37573.txt"),
    else its file name (a long RSS channel title or an Atom query echo reads worse)."""
    if title and len(title) <= MAX_LABEL:
        return f"{title} · {date}" if date else title
    return source_name(path)


def summarise(name: str, entries: int, papers: int, skipped: list[Skipped]) -> str:
    """The one-line ingest report of a source, e.g.
    "d2l.bib: 488 entries, 470 papers, 18 skipped (no title: 12, ...)"."""
    line = f"{name}: {entries} entries, {papers} papers"
    if skipped:
        reasons = Counter(s.reason for s in skipped)
        detail = ", ".join(f"{r}: {n}" for r, n in reasons.most_common())
        line += f", {len(skipped)} skipped ({detail})"
    return line


# Helpers shared by the parsers.

_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def require_text(text: str, path: str) -> None:
    """Raise SourceError for a file holding nothing but whitespace."""
    if not text or text.isspace():
        raise SourceError(path, "empty file")


def collapse_whitespace(text: str) -> str:
    """Join hard-wrapped lines and squeeze every run of whitespace into one space."""
    flat = text.replace("\n", " ")
    if "  " in flat or "\t" in flat or "\r" in flat:
        return " ".join(flat.split())
    return flat.strip()


def split_author_list(text: str) -> list[str]:
    """Split "A, B and C" (also "A, B, and C" or "A; B") into names."""
    names = re.split(r",\s*(?:and\s+)?|;\s*|\s+and\s+", text)
    return [name.strip() for name in names if name.strip()]


def iso_date(value: object) -> str | None:
    """The leading ``YYYY[-MM[-DD]]`` of an ISO date or timestamp string, else None."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value.strip())
    return match.group() if match else None


def load_json(text: str, path: str) -> Any:
    """Decode a whole JSON document; any failure is a SourceError naming the line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(path, f"invalid JSON: {error.msg}", line=error.lineno) from None
    except (ValueError, RecursionError) as error:
        # ValueError: integers too long to convert; RecursionError: absurd nesting.
        raise SourceError(path, f"invalid JSON: {error}") from None
