"""The Hugging Face daily papers API: a JSON list of ``{paper: {...}, ...}`` items.

``paper.id`` is the arXiv id. Title and summary come from ``paper`` (the item's
own copies are the fallback). Extra keys: ``upvotes`` (int) and ``githubRepo``.
"""

from __future__ import annotations

import os
from typing import Any

from papertui.errors import SourceError
from papertui.models import Paper, make_paper
from papertui.sources.base import (
    ParsedSource,
    Skipped,
    collapse_whitespace,
    iso_date,
    load_json,
    require_text,
)

FORMAT = "hf-json"


def parse(text: str, path: str) -> ParsedSource:
    """Parse one daily papers API response."""
    require_text(text, path)
    items = load_json(text, path)
    if not isinstance(items, list):
        raise SourceError(path, "expected a JSON list of Hugging Face daily papers")
    result = ParsedSource(path=path, format=FORMAT, entries=len(items))
    source = os.path.basename(path)
    for number, item in enumerate(items, start=1):
        paper = item.get("paper") if isinstance(item, dict) else None
        if isinstance(paper, dict):
            result.add(_paper(item, paper, source), f"item {number}")
        else:
            result.skipped.append(Skipped(f"item {number}", "no paper"))
    return result


def _paper(item: dict[str, Any], paper: dict[str, Any], source: str) -> Paper | None:
    """The Paper of one item, or None when it has no title."""
    title = _text(paper.get("title")) or _text(item.get("title"))
    if not title:
        return None
    return make_paper(
        title,
        arxiv=_text(paper.get("id")) or None,
        abstract=collapse_whitespace(_text(paper.get("summary")) or _text(item.get("summary"))),
        authors=_authors(paper.get("authors")),
        date=_day(paper.get("publishedAt")) or _day(item.get("publishedAt")),
        source=source,
        extra=_extra(paper),
    )


def _text(value: Any) -> str:
    """A stripped string value, or "" for anything else."""
    return value.strip() if isinstance(value, str) else ""


def _authors(value: Any) -> list[str]:
    """The names of ``[{"name": ...}, ...]``."""
    if not isinstance(value, list):
        return []
    return [_text(a.get("name")) for a in value if isinstance(a, dict)]


def _day(value: Any) -> str | None:
    """``YYYY-MM-DD`` of an ISO timestamp; a bare year or month is no day."""
    day = iso_date(value)
    return day if day and len(day) == 10 else None


def _extra(paper: dict[str, Any]) -> dict[str, Any]:
    """Upvotes and GitHub repository, where given."""
    extra: dict[str, Any] = {}
    upvotes = paper.get("upvotes")
    if isinstance(upvotes, int) and not isinstance(upvotes, bool):
        extra["upvotes"] = upvotes
    if repo := _text(paper.get("githubRepo")):
        extra["githubRepo"] = repo
    return extra
