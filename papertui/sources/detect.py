"""Which format a paper file is in, told from its content.

JSON and XML are told apart by their first value or root element; BibTeX by an
``@type{`` line; anything else is taken for the text of a Daily Papers page.
Only the start of a JSON file is decoded, so detection stays cheap on big files.
"""

from __future__ import annotations

import json
import re
from typing import Any

from papertui.errors import SourceError

_NON_SPACE = re.compile(r"\S")
_BIB_NAME = re.compile(r"\.bib(?:\.gz|\.xz)?$", re.IGNORECASE)
_ROOT_ELEMENT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_BIBTEX_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
_XML_HEAD = 4096


def detect(text: str, path: str) -> str:
    """The format name of ``text``, read from ``path``; SourceError if it is none we know."""
    found = _NON_SPACE.search(text)
    if not found:
        raise SourceError(path, "empty file")
    start = found.start()
    first = text[start]
    if first in "[{":
        return _json_format(text, start, path)
    if first == "<" and (root := _ROOT_ELEMENT.search(text, start, start + _XML_HEAD)):
        return _xml_format(root.group(1), text[start : start + _XML_HEAD], path)
    if text.startswith("<?xml", start):
        raise SourceError(path, "XML of an unknown kind (no root element)")
    if _BIBTEX_ENTRY.search(text) or _BIB_NAME.search(path):
        return "bibtex"
    return "daily-page"


def _json_format(text: str, start: int, path: str) -> str:
    """A JSON list is told by its first item: {"paper": ...} is Hugging Face's."""
    if text[start] == "{":
        return _jsonl_format(text, start, path)
    item_start = _skip_space(text, start + 1)
    if text.startswith("]", item_start):
        return "arxiv-json"  # an empty list: no papers whichever it is
    item = _decode_at(text, item_start, path)
    if isinstance(item, dict) and "paper" in item:
        return "hf-json"
    if _is_record(item):
        return "arxiv-json"
    raise SourceError(path, "a JSON list of neither Hugging Face daily papers nor arXiv records")


def _jsonl_format(text: str, start: int, path: str) -> str:
    """A JSON object first: JSON Lines of arXiv records, unless it is some other object."""
    try:
        first, _ = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        return "arxiv-json"  # its parser skips a broken first line or reports it
    if _is_record(first):
        return "arxiv-json"
    raise SourceError(path, "a JSON object that is not an arXiv record (no id or title)")


def _is_record(value: Any) -> bool:
    """True for an object that looks like an arXiv metadata record."""
    return isinstance(value, dict) and ("id" in value or "title" in value)


def _decode_at(text: str, index: int, path: str) -> Any:
    """The JSON value starting at ``index``; errors name their line."""
    try:
        return json.JSONDecoder().raw_decode(text, index)[0]
    except json.JSONDecodeError as error:
        raise SourceError(path, f"invalid JSON: {error.msg}", line=error.lineno) from None
    except (ValueError, RecursionError) as error:
        raise SourceError(path, f"invalid JSON: {error}") from None


def _skip_space(text: str, index: int) -> int:
    """The index of the first character at or after ``index`` that is not JSON whitespace."""
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _xml_format(root: str, head: str, path: str) -> str:
    """The format of an XML document with root element ``root`` and opening ``head``."""
    local = root.rpartition(":")[2]
    if local == "feed" and _ATOM_NAMESPACE in head:
        return "arxiv-atom"
    if local == "rss":
        return "arxiv-rss"
    if local.lower() == "html":
        raise SourceError(path, "an HTML page: save the page as text (select all, copy) instead")
    raise SourceError(path, f"XML of an unknown kind (root element <{root}>)")
