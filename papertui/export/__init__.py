"""A reading list as Markdown, BibTeX, CSV, JSON, RIS or CSL-JSON, and a safe way to save it.

The CLI and the app both export through ``render``, which turns papers and their
marks into the text of one format, and ``write_atomic``, which puts that text on
disk without ever leaving half a file. Nothing here knows the UI.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from typing import NamedTuple

from . import bibtex, csljson, markdown, ris, tabular
from .atomic import write_atomic
from .citekeys import citation_key
from .item import ExportItem

__all__ = [
    "EXTENSIONS", "FORMATS", "SELECTIONS", "ExportItem", "Selection", "citation_key",
    "default_filename", "format_for_path", "render", "write_atomic",
]

FORMATS: dict[str, str] = {
    "md": "Markdown",
    "bib": "BibTeX",
    "csv": "CSV",
    "json": "JSON",
    "ris": "RIS",
    "csljson": "CSL-JSON",
}
# Each format's file extension, without the dot: its key unless named here.
EXTENSIONS: dict[str, str] = {fmt: fmt for fmt in FORMATS} | {"csljson": "csl.json"}


class Selection(NamedTuple):
    """One answer to "what to export", for the CLI (``--KEY``) and the app's dialog.

    ``query`` is a filter-bar query (None: the papers the app shows, which only the
    app has); ``heading`` names the selection in the export (see ``render``).
    """

    key: str
    label: str
    query: str | None
    heading: str


SELECTIONS = (
    Selection("starred", "Starred", "is:starred", "Starred"),
    Selection("unread-starred", "Still to read: starred and unread", "is:starred is:unread",
              "Still to read"),
    Selection("shown", "Shown by the filter", None, ""),
    Selection("all", "All papers", "", ""),
)


def render(
    items: Sequence[ExportItem],
    fmt: str,
    *,
    list_name: str,
    on: datetime.date,
    selection: str = "",
) -> str:
    """The text of the reading list in ``fmt``, one of FORMATS' keys.

    ``selection`` names what was exported ("Starred", "Still to read", a query) in
    the Markdown heading, before ``list_name``. A paper listed twice is exported
    once, where it first appears; an empty list gives a valid empty file of the format.
    """
    _check(fmt)
    first_of_each: dict[str, ExportItem] = {}
    for item in items:
        first_of_each.setdefault(item.paper.id, item)
    unique = tuple(first_of_each.values())
    if fmt == "md":
        return markdown.render(unique, list_name=list_name, on=on, selection=selection)
    if fmt == "bib":
        return bibtex.render(unique)
    if fmt == "csv":
        return tabular.render_csv(unique)
    if fmt == "json":
        return tabular.render_json(unique)
    if fmt == "csljson":
        return csljson.render(unique)
    return ris.render(unique)


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The format a file name asks for by its extension (``x.bib`` -> ``bib``), else None.

    Longer extensions are tried first, so a format such as ``.csl.json`` can sit
    beside ``.json``. Case does not matter (``X.BIB``).
    """
    name = os.fspath(path).lower()
    for fmt, extension in sorted(EXTENSIONS.items(), key=lambda pair: -len(pair[1])):
        if name.endswith("." + extension):
            return fmt
    return None


def default_filename(fmt: str, on: datetime.date) -> str:
    """``reading-list-YYYY-MM-DD.<extension>``, e.g. ``.bib`` or ``.csl.json``."""
    _check(fmt)
    return f"reading-list-{on.isoformat()}.{EXTENSIONS[fmt]}"


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
