"""arXiv metadata records as JSON Lines (one object a line) or as one JSON array.

A record has ``id``, ``title``, ``summary`` (or ``abstract``), ``authors`` (a list
or a string "A, B and C"), ``categories`` (a list or a space-separated string) and
optionally ``published``/``update_date``, ``comment``, ``journal-ref``, ``doi``,
``pdf``, ``abs``. Titles and abstracts keep their TeX; abstracts lose their hard
line wraps. Without a date field the date is the month the arXiv id encodes.

Extra keys: ``categories`` (list), ``comment``, ``journal``, ``doi``, ``pdf``.

This parser reads 100k-record files, so the per-record path avoids regexes
and keeps to plain dict and str operations.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from papertui.errors import SourceError
from papertui.models import Paper, arxiv_id, make_paper
from papertui.sources.base import (
    ParsedSource,
    Skipped,
    collapse_whitespace,
    iso_date,
    load_json,
    require_text,
    split_author_list,
)

FORMAT = "arxiv-json"
_EXTRA_FIELDS = (("comment", "comment"), ("comments", "comment"), ("journal-ref", "journal"),
                 ("doi", "doi"), ("pdf", "pdf"))


def parse(text: str, path: str) -> ParsedSource:
    """Parse JSON Lines or a JSON array of arXiv records."""
    require_text(text, path)
    result = ParsedSource(path=path, format=FORMAT)
    if text.lstrip().startswith("["):
        records = _array_records(text, path)
    else:
        records = _jsonl_records(text, path, result.skipped)
    source = os.path.basename(path)
    papers = result.papers
    for where, record in records:
        result.entries += 1
        if type(record) is not dict:
            result.skipped.append(Skipped(where, "not a JSON object"))
            continue
        paper = _paper(record, source)
        if paper is None:
            result.skipped.append(Skipped(where, "no title"))
        else:
            papers.append(paper)
    return result


def _array_records(text: str, path: str) -> Iterator[tuple[str, Any]]:
    """The items of a JSON array, numbered from 1."""
    data = load_json(text, path)
    if not isinstance(data, list):
        raise SourceError(path, "expected a JSON array of arXiv records")
    return ((f"record {number}", item) for number, item in enumerate(data, start=1))


def _jsonl_records(text: str, path: str, skipped: list[Skipped]) -> Iterator[tuple[str, Any]]:
    """Decode line by line; bad lines are skipped unless the file is not JSON Lines at all."""
    scan = json.JSONDecoder().scan_once
    first_error: tuple[int, str] | None = None
    decoded_any = False
    # split("\n"), not splitlines(): U+2028 and friends may sit inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        error = None
        try:
            record, end = scan(line, 0)
            if end != len(line):
                error = "invalid JSON: extra data after the record"
        except StopIteration:
            error = "invalid JSON"
        except (ValueError, RecursionError) as exc:
            error = f"invalid JSON: {exc}"
        if error is None:
            decoded_any = True
            yield f"line {number}", record
            continue
        if not decoded_any and first_error is None:
            first_error = (number, error)
        skipped.append(Skipped(f"line {number}", "invalid JSON"))
    if not decoded_any and first_error is not None:
        raise SourceError(path, f"{first_error[1]} (not JSON Lines)", line=first_error[0])


def _paper(record: dict[str, Any], source: str) -> Paper | None:
    """One record as a Paper, or None when it has no title."""
    title = record.get("title")
    if type(title) is not str or not title.strip():
        return None
    ident = record.get("id")
    arxiv = ident if type(ident) is str else None
    abstract = record.get("summary") or record.get("abstract")
    url = record.get("abs")
    return make_paper(
        title,
        arxiv=arxiv,
        abstract=collapse_whitespace(abstract) if type(abstract) is str else "",
        authors=_authors(record.get("authors")),
        date=iso_date(record.get("published")) or _id_month(arxiv) or iso_date(record.get("update_date")),
        url=url if type(url) is str else None,
        source=source,
        extra=_extra(record),
    )


def _authors(value: Any) -> list[str]:
    """Authors from a list of names (or of {"name": ...}) or from one string."""
    if type(value) is list:
        if all(type(name) is str for name in value):
            return value
        return [name if type(name) is str else name.get("name") for name in value
                if type(name) is str or (type(name) is dict and type(name.get("name")) is str)]
    if type(value) is str:
        return split_author_list(value)
    return []


def _extra(record: dict[str, Any]) -> dict[str, Any]:
    """Categories, comment, journal, doi and pdf URL where the record has them."""
    extra: dict[str, Any] = {}
    categories = record.get("categories")
    if type(categories) is str:
        categories = categories.split()
    if type(categories) is list and categories:
        extra["categories"] = [c for c in categories if type(c) is str]
    for field, key in _EXTRA_FIELDS:
        value = record.get(field)
        if type(value) is str and value and key not in extra:
            extra[key] = value
    return extra


def _id_month(text: str | None) -> str | None:
    """The submission month an arXiv id encodes: ``2503.11731`` -> ``2025-03``."""
    found = arxiv_id(text)
    if not found:
        return None
    digits = found.rpartition("/")[2][:4]
    if not "01" <= digits[2:] <= "12":
        return None
    century = "19" if digits[:2] >= "91" else "20"
    return f"{century}{digits[:2]}-{digits[2:]}"
