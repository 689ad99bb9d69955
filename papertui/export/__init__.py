"""A reading list as Markdown, BibTeX, CSV, JSON or RIS, and a safe way to save it.

The CLI and the app both export through ``render``, which turns papers and their
marks into the text of one format, and ``write_atomic``, which puts that text on
disk without ever leaving half a file. Nothing here knows the UI.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from . import bibtex, markdown, ris, tabular
from .atomic import write_atomic
from .citekeys import citation_key
from .item import ExportItem

__all__ = ["FORMATS", "ExportItem", "citation_key", "default_filename", "render", "write_atomic"]

FORMATS: dict[str, str] = {
    "md": "Markdown",
    "bib": "BibTeX",
    "csv": "CSV",
    "json": "JSON",
    "ris": "RIS",
}


def render(
    items: Sequence[ExportItem], fmt: str, *, list_name: str, on: datetime.date
) -> str:
    """The text of the reading list in ``fmt``, one of FORMATS' keys.

    A paper listed twice is exported once, where it first appears; an empty list
    gives a valid empty file of the format.
    """
    _check(fmt)
    first_of_each: dict[str, ExportItem] = {}
    for item in items:
        first_of_each.setdefault(item.paper.id, item)
    unique = tuple(first_of_each.values())
    if fmt == "md":
        return markdown.render(unique, list_name=list_name, on=on)
    if fmt == "bib":
        return bibtex.render(unique)
    if fmt == "csv":
        return tabular.render_csv(unique)
    if fmt == "json":
        return tabular.render_json(unique)
    return ris.render(unique)


def default_filename(fmt: str, on: datetime.date) -> str:
    """``reading-list-YYYY-MM-DD.<fmt>``."""
    _check(fmt)
    return f"reading-list-{on.isoformat()}.{fmt}"


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
