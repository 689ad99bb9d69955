"""The Hugging Face daily papers API: a JSON list of ``{paper: {...}, ...}`` items.

``paper.id`` is the arXiv id. Title and summary come from ``paper`` (the item's
own copies are the fallback). ``upvotes`` (the item's or the paper's, the larger),
``githubRepo`` and ``projectPage`` become the Paper's ``upvotes``, ``github`` and
``project_page``. Extra keys: ``comments``, ``github_stars``, ``ai_summary``,
``ai_keywords`` (list), ``organization`` and ``submitter`` (names), where given.
"""

from __future__ import annotations

from typing import Any

from papertui.errors import SourceError
from papertui.models import Paper, make_paper
from papertui.sources import formats
from papertui.sources.base import (
    ParsedSource,
    Skipped,
    collapse_whitespace,
    iso_date,
    load_json,
    require_text,
    source_name,
)

FORMAT = formats.HF_JSON


def parse(text: str, path: str) -> ParsedSource:
    """Parse one daily papers API response."""
    require_text(text, path)
    items = load_json(text, path)
    if not isinstance(items, list):
        raise SourceError(path, "expected a JSON list of Hugging Face daily papers")
    result = ParsedSource(path=path, format=FORMAT, entries=len(items))
    add_items(result, items)
    return result


def add_items(result: ParsedSource, items: list[Any]) -> None:
    """Add the papers of daily papers items (the API's, or a saved page's) to ``result``."""
    source = source_name(result.path)
    for number, item in enumerate(items, start=1):
        paper = item.get("paper") if isinstance(item, dict) else None
        if isinstance(paper, dict):
            result.add(_paper(item, paper, source), f"item {number}")
        else:
            result.skipped.append(Skipped(f"item {number}", "no paper"))


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
        upvotes=max((n for n in map(_count, (paper.get("upvotes"), item.get("upvotes")))
                     if n is not None), default=None),
        github=_text(paper.get("githubRepo")) or None,
        project_page=_text(paper.get("projectPage")) or None,
        extra=_extra(item, paper),
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


def _extra(item: dict[str, Any], paper: dict[str, Any]) -> dict[str, Any]:
    """Comments, GitHub stars, the AI summary and keywords, organisation and submitter."""
    organization = paper.get("organization") or item.get("organization")
    submitter = item.get("submittedBy") or paper.get("submittedOnDailyBy")
    keywords = paper.get("ai_keywords")
    extra: dict[str, Any] = {
        "comments": _count(item.get("numComments")),
        "github_stars": _count(paper.get("githubStars")),
        "ai_summary": collapse_whitespace(_text(paper.get("ai_summary"))),
        "ai_keywords": [k.strip() for k in keywords if isinstance(k, str) and k.strip()]
        if isinstance(keywords, list) else None,
        "organization": _name_of(organization, "fullname", "name"),
        "submitter": _name_of(submitter, "fullname", "name", "user"),
    }
    return {key: value for key, value in extra.items() if value not in (None, "", [])}


def _name_of(value: Any, *keys: str) -> str:
    """The first non-empty name among ``keys`` of an object such as ``{"fullname": ...}``."""
    if isinstance(value, dict):
        return next((_text(value.get(k)) for k in keys if _text(value.get(k))), "")
    return ""


def _count(value: Any) -> int | None:
    """A count given as a JSON integer (not a boolean), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
