"""arXiv metadata records as JSON Lines (one object a line) or as one JSON array.

A record has ``id``, ``title``, ``summary`` (or ``abstract``), ``authors`` (a list
or a string "A, B and C"), ``categories`` (a list or a space-separated string) and
optionally ``published``/``update_date``, ``comment``, ``journal-ref``, ``doi``,
``pdf``, ``abs``. Titles and abstracts keep their TeX; abstracts lose their hard
line wraps. Without a date field the date is the month the arXiv id encodes.

``categories`` go on the Paper; extra keys: ``comment``, ``journal``, ``doi``, ``pdf``.

This parser reads 100k-record files (131 MB in about 2.5 s here), so the per-record
path avoids regexes and keeps to plain dict and str operations.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
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
    require_text,
    source_name,
    split_author_list,
)

FORMAT = formats.ARXIV_JSON
_FIRST_CHARACTER = re.compile(r"\S")
# (record field, extra key); the first present field wins a key.
_EXTRA_FIELDS = (
    ("comment", "comment"),
    ("comments", "comment"),
    ("journal-ref", "journal"),
    ("doi", "doi"),
    ("pdf", "pdf"),
)


def parse(text: str, path: str) -> ParsedSource:
    """Parse JSON Lines or a JSON array of arXiv records."""
    require_text(text, path)
    result = ParsedSource(path=path, format=FORMAT)
    first = _FIRST_CHARACTER.search(text)
    if first and first.group() == "[":
        unit, records = "record", _array_records(text, path)
    else:
        unit, records = "line", _jsonl_records(text, path, result.skipped)
    source = source_name(path)
    papers, skipped = result.papers, result.skipped
    with _gc_paused():
        for number, record in records:
            if not isinstance(record, dict):
                skipped.append(Skipped(f"{unit} {number}", "not a JSON object"))
                continue
            paper = _paper(record, source)
            if paper is None:
                skipped.append(Skipped(f"{unit} {number}", "no title"))
            else:
                papers.append(paper)
    result.entries = len(papers) + len(skipped)
    return result


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC: building 100k records re-scans the young heap thousands
    of times for no garbage (the records hold no cycles); pausing saves ~20%."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _array_records(text: str, path: str) -> Iterator[tuple[int, Any]]:
    """The items of a JSON array, numbered from 1."""
    data = load_json(text, path)
    if not isinstance(data, list):
        raise SourceError(path, "expected a JSON array of arXiv records")
    return enumerate(data, start=1)


def _jsonl_records(text: str, path: str, skipped: list[Skipped]) -> Iterator[tuple[int, Any]]:
    """Decode line by line; bad lines are skipped unless the file is not JSON Lines at all."""
    decode = json.JSONDecoder().raw_decode
    first_error: tuple[int, str] | None = None
    decoded_any = False
    # split("\n"), not splitlines(): U+2028 and friends may sit inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        error = None
        try:
            record, end = decode(line)
            if end != len(line):
                error = "invalid JSON: extra data after the record"
        except json.JSONDecodeError as exc:
            error = f"invalid JSON: {exc.msg}"
        except (ValueError, RecursionError) as exc:
            error = f"invalid JSON: {exc}"
        if error is None:
            decoded_any = True
            yield number, record
            continue
        if not decoded_any and first_error is None:
            first_error = (number, error)
        skipped.append(Skipped(f"line {number}", "invalid JSON"))
    if not decoded_any and first_error is not None:
        raise SourceError(path, f"{first_error[1]} (not JSON Lines)", line=first_error[0])


def _paper(record: dict[str, Any], source: str) -> Paper | None:
    """One record as a Paper, or None when it has no title."""
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        return None
    ident = record.get("id")
    arxiv = ident if isinstance(ident, str) else None
    abstract = record.get("summary") or record.get("abstract")
    url = record.get("abs")
    return make_paper(
        title,
        arxiv=arxiv,
        abstract=collapse_whitespace(abstract) if isinstance(abstract, str) else "",
        authors=_authors(record.get("authors")),
        date=_date(record, arxiv),
        url=url if isinstance(url, str) else None,
        source=source,
        extra=_extra(record),
        categories=_categories(record.get("categories")),
    )


def _authors(value: Any) -> list[str]:
    """Authors from a list of names (or of {"name": ...}) or from one string."""
    if isinstance(value, list):
        if all(isinstance(name, str) for name in value):
            return value
        return [_name(item) for item in value if _name(item)]
    if isinstance(value, str):
        return split_author_list(value)
    return []


def _name(item: Any) -> str:
    """An author given as a name or as {"name": ...}; "" for anything else."""
    if isinstance(item, dict):
        item = item.get("name")
    return item if isinstance(item, str) else ""


def _categories(value: Any) -> list[str]:
    """Categories from a list or a space-separated string."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [c for c in value if isinstance(c, str)]
    return []


def _extra(record: dict[str, Any]) -> dict[str, Any]:
    """Comment, journal, doi and pdf URL where the record has them."""
    extra: dict[str, Any] = {}
    for field, key in _EXTRA_FIELDS:
        value = record.get(field)
        if isinstance(value, str) and value and key not in extra:
            extra[key] = collapse_whitespace(value) if "\n" in value else value
    return extra


def _date(record: dict[str, Any], arxiv: str | None) -> str | None:
    """The published date, else the month the arXiv id encodes, else the last update."""
    return (
        iso_date(record.get("published"))
        or _id_month(arxiv)
        or iso_date(record.get("update_date"))
    )


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
