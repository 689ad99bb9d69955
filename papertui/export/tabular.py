"""A reading list as CSV (RFC 4180) or JSON, with the same fields in both.

JSON keeps lists as lists, so ``authors`` and ``source`` are arrays there and
``"; "``-joined strings in CSV; ``read`` and ``starred`` are booleans in JSON and
``true``/``false`` in CSV; an unknown date or URL is null in JSON, empty in CSV.
The title has its TeX read as text, as in the app. ``categories`` (arXiv's, a list
in JSON), ``upvotes`` (Hugging Face's), ``github`` and ``project_page`` follow the
marks, empty or null when no source gave them. Last come the user's ``tags`` (a
list in JSON, ``"; "``-joined in CSV) and ``note`` (its lines kept; "" for none).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from .item import ExportItem, note_of, plain

FIELDS = (
    "id", "title", "authors", "date", "url", "source", "read", "starred",
    "categories", "upvotes", "github", "project_page", "tags", "note",
)
JOIN = "; "


def record(item: ExportItem) -> dict[str, Any]:
    """The fields of one paper, in JSON's types."""
    paper = item.paper
    return {
        "id": paper.id,
        "title": plain(paper.title),
        "authors": list(paper.authors),
        "date": paper.date,
        "url": paper.link,
        "source": list(paper.sources),
        "read": item.read,
        "starred": item.starred,
        "categories": list(paper.categories),
        "upvotes": paper.upvotes,
        "github": paper.github,
        "project_page": paper.project_page,
        "tags": list(item.tags),
        "note": note_of(item),
    }


def render_json(items: Sequence[ExportItem]) -> str:
    return json.dumps([record(item) for item in items], ensure_ascii=False, indent=2) + "\n"


def render_csv(items: Sequence[ExportItem]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 ends records with CRLF
    writer.writerow(FIELDS)
    for item in items:
        writer.writerow(_csv_cell(record(item)[name]) for name in FIELDS)
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return JOIN.join(value)
    return "" if value is None else str(value)
