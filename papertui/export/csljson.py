"""A reading list as CSL-JSON, which Zotero, pandoc and every citeproc read.

An array of items. ``id`` is the BibTeX citation key (see citekeys), so
``pandoc --citeproc`` cites ``@kaplan2020scaling-k3q7z`` from either file; it
is also given as ``citation-key``. A paper with a journal is ``article-journal``
with the journal as ``container-title``; any other paper is an ``article``, and an
arXiv preprint says so as Zotero's own preprints do: ``publisher`` "arXiv",
``number`` "arXiv:<id>" and arXiv's DOI. Names are ``family``/``given`` where they
can be split, else ``literal``; ``issued`` has the date parts that are known.
Title and abstract have their TeX read as text, as in the app. ``keyword`` holds
read or unread, starred and the user's tags, comma-separated as CSL has it, and
``note`` the user's note. Fields that are unknown are left out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .citekeys import assign_keys
from .item import (
    ExportItem, date_parts, doi_of, journal_of, note_of, one_line, plain, tags_of,
)
from .names import split_inverted, split_name


def render(items: Sequence[ExportItem]) -> str:
    keys = assign_keys(item.paper for item in items)
    records = [_record(item, keys[item.paper.id]) for item in items]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _record(item: ExportItem, key: str) -> dict[str, Any]:
    paper = item.paper
    journal = journal_of(paper)
    record: dict[str, Any] = {
        "id": key,
        "citation-key": key,
        "type": "article-journal" if journal else "article",
        "title": plain(paper.title),
        "author": [csl_name(author) for author in paper.authors],
        "issued": {"date-parts": [parts]} if (parts := date_parts(paper)) else None,
        "container-title": journal,
        "DOI": doi_of(paper),
        "URL": paper.link,
        "abstract": plain(paper.abstract),
        "keyword": ", ".join(tags_of(item)),
        "note": note_of(item),
    }
    if paper.arxiv_id and not journal:
        record |= {"publisher": "arXiv", "number": f"arXiv:{paper.arxiv_id}"}
    return {name: value for name, value in record.items() if value}


def csl_name(author: str) -> dict[str, str]:
    """One author as CSL's ``family``/``given`` (and ``suffix``), or as one ``literal``."""
    name = split_name(author) or split_inverted(author)
    if name is None:
        return {"literal": one_line(author)}
    fields = {"family": name.family, "given": name.given, "suffix": name.suffix}
    return {field: value for field, value in fields.items() if value}
