"""A reading list as RIS, for Zotero, Mendeley and EndNote.

The type is ``JOUR`` where a journal is known, else ``GEN``. RIS has no preprint
type, and Zotero's RIS importer has none either: it reads ``GEN`` (and any type
it does not know, such as ``UNPB``) as a journal article, keeping title, authors,
date, abstract, URL, DOI and tags, while ``ELEC`` becomes a web page, which has no
DOI field. Mendeley and EndNote read ``GEN`` as a generic reference.

Authors are written "Last, First", the form the RIS spec asks for and the one
Zotero splits into last and first name. Title and abstract have their TeX read as
text, as in the app (``\\eg`` is "e.g."). Read and starred, then the user's tags,
go in ``KW`` lines, which reference managers import as tags; the user's note is
``N1``, on one line like every value. arXiv papers get their DOI in ``DO``. There is
no ``ID``: the spec allows only 0-9 and A-Z there, and Zotero ignores it.
Lines end in CRLF as the spec says (rispy and Zotero read LF too); every value is
one line, and records are separated by a blank line, as in Zotero's own exports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from papertui.models import Paper

from .item import ExportItem, doi_of, journal_of, note_of, one_line, plain, tags_of, year_of
from .names import split_name

NEWLINE = "\r\n"


def render(items: Sequence[ExportItem]) -> str:
    lines = []
    for item in items:
        lines += [f"{tag}  - {one_line(value)}" for tag, value in _tags(item)]
        lines += ["ER  - ", ""]
    return NEWLINE.join(lines)


def _tags(item: ExportItem) -> Iterator[tuple[str, str]]:
    paper = item.paper
    journal = journal_of(paper)
    yield "TY", "JOUR" if journal else "GEN"
    yield "TI", plain(paper.title)
    for author in paper.authors:
        yield "AU", last_name_first(author)
    if year := year_of(paper):
        yield "PY", year
    if date := _ris_date(paper):
        yield "DA", date
    if journal:
        yield "T2", journal
    if paper.abstract.strip():
        yield "AB", plain(paper.abstract)
    if paper.link:
        yield "UR", paper.link
    if doi := doi_of(paper):
        yield "DO", doi
    for tag in tags_of(item):
        yield "KW", tag
    if note := note_of(item):
        yield "N1", note


def last_name_first(author: str) -> str:
    """"Jan van der Berg Jr." as "van der Berg, Jan, Jr."."""
    name = split_name(author)
    if name is None:
        return one_line(author)  # already inverted, a single name, or an organisation
    return ", ".join(part for part in name if part)


def _ris_date(paper: Paper) -> str | None:
    """The full date as RIS writes it, ``YYYY/MM/DD/``; None when only a year is known."""
    parts = (paper.date or "").split("-")
    if len(parts) < 2 or not all(part.isdigit() for part in parts):
        return None
    year, month, day = (parts + [""])[:3]
    return f"{year}/{month}/{day}/"
