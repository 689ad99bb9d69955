"""JSON that wraps paper records: ``{"papers": [...]}``, ``{"results": [...]}``.

Tools and APIs write lists such as ``{"count": N, "papers": [...], "query_info": ...}``.
Each record may name its fields in several ways: ``arxiv_id`` or ``id``;
``summary`` or ``abstract``; ``authors`` as a list (of names or of
``{"name": ...}``) or one string; ``published`` or ``date``; ``url``, ``link``
or ``pdf_url``; optional ``categories`` (a list or a space-separated string).
arXiv ids lose their versions.
"""

from __future__ import annotations

from typing import Any

from papertui.errors import SourceError
from papertui.models import Paper, arxiv_id, make_paper
from papertui.sources import formats
from papertui.sources.base import (
    ParsedSource,
    Skipped,
    collapse_whitespace,
    iso_date,
    load_json,
    source_name,
    split_author_list,
)

FORMAT = formats.PAPER_RECORDS
LIST_KEYS = ("papers", "results")


def records_key(value: Any) -> str | None:
    """The key holding the records when ``value`` is such a wrapper, else None."""
    if isinstance(value, dict):
        for key in LIST_KEYS:
            if isinstance(value.get(key), list):
                return key
    return None


def parse(text: str, path: str) -> ParsedSource:
    """Parse a JSON object wrapping a list of paper records."""
    data = load_json(text, path)
    key = records_key(data)
    if key is None:
        raise SourceError(path, f"expected a JSON object with a list of {' or '.join(LIST_KEYS)}")
    records = data[key]
    result = ParsedSource(path=path, format=FORMAT, entries=len(records))
    if isinstance(data.get("title"), str):
        result.title = data["title"].strip() or None
    source = source_name(path)
    for number, record in enumerate(records, start=1):
        where = f"{key} item {number}"
        if isinstance(record, dict):
            result.add(_paper(record, source), where)
        else:
            result.skipped.append(Skipped(where, "not a JSON object"))
    return result


def _first(record: dict[str, Any], *keys: str) -> str:
    """The first of ``keys`` holding a non-empty string, stripped; "" if none does."""
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _paper(record: dict[str, Any], source: str) -> Paper | None:
    title = _first(record, "title")
    if not title:
        return None
    link = _first(record, "url", "link", "pdf_url")
    found = arxiv_id(_first(record, "arxiv_id", "id")) or arxiv_id(link)
    categories = record.get("categories")
    if isinstance(categories, str):
        categories = categories.split()
    return make_paper(
        title,
        arxiv=found,
        abstract=collapse_whitespace(_first(record, "summary", "abstract")),
        authors=_authors(record.get("authors")),
        date=iso_date(_first(record, "published", "date")),
        url=None if found else (link or None),
        source=source,
        categories=[c for c in categories if isinstance(c, str)]
        if isinstance(categories, list) else (),
    )


def _authors(value: Any) -> list[str]:
    """Authors from a list of names or of {"name": ...}, or from one string."""
    if isinstance(value, str):
        return split_author_list(value)
    if not isinstance(value, list):
        return []
    names = (item.get("name") if isinstance(item, dict) else item for item in value)
    return [name for name in names if isinstance(name, str)]
