"""Which format a paper file is in, told from its content.

JSON and XML are told apart by their first value or root element; an HTML page
is read only when it is a saved Hugging Face Daily Papers page. A file is
BibTeX when it is named ``.bib`` or when ``@type{...}`` entries make up most of
its text (BibTeX's own ``%`` comments aside), so a README with one example entry
is not a bibliography. Anything else is taken for the text of a Daily Papers page
unless it reads as Markdown: a page copy has no headings, lists, tables or code,
so a file where such lines are common (a README, papertui's own Markdown export)
is refused. Only the start of a JSON file is decoded, and only the head of a text
file is measured, so detection stays cheap on big files.
"""

from __future__ import annotations

import json
import re
from typing import Any

from papertui.errors import SourceError
from papertui.sources import formats
from papertui.sources.base import require_text
from papertui.sources.hf_page import is_daily_papers_page
from papertui.sources.paper_records import records_key

_NON_SPACE = re.compile(r"\S")
_BIB_NAME = re.compile(r"\.bib(?:\.gz|\.xz)?$", re.IGNORECASE)
_ROOT_ELEMENT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_BIBTEX_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
_XML_HEAD = 4096
_TEXT_HEAD = 256 * 1024
_BIB_COMMENT = re.compile(r"^[ \t]*%.*$", re.MULTILINE)
_CLOSERS = {"{": "}", "(": ")"}
# Lines that are Markdown structure: headings, list items, quotes, fences, tables, HTML.
_MARKDOWN_LINE = re.compile(
    r"[ \t]*(?:#{1,6}[ \t]|[-*+][ \t]|\d+[.)][ \t]|>|```|~~~|\||<[a-zA-Z/!])"
)
_FENCE = re.compile(r"[ \t]*(?:```|~~~)")
_MARKDOWN_SHARE = 0.2


def detect(text: str, path: str) -> str:
    """The format name of ``text``, read from ``path``; SourceError if it is none we know."""
    require_text(text, path)
    start = _NON_SPACE.search(text).start()
    first = text[start]
    if first in "[{":
        return _json_format(text, start, path)
    if first == "<" and (root := _ROOT_ELEMENT.search(text, start, start + _XML_HEAD)):
        if root.group(1).lower() == "html" and is_daily_papers_page(text):
            return formats.HF_PAGE
        return _xml_format(root.group(1), text[start : start + _XML_HEAD], path)
    if text.startswith("<?xml", start):
        raise SourceError(path, "XML of an unknown kind (no root element)")
    if _BIB_NAME.search(path):
        return formats.BIBTEX
    head = text[start : start + _TEXT_HEAD]
    if _bibtex_share(head) > 0.5:
        return formats.BIBTEX
    markup, lines = _markdown_lines(head)
    if markup and markup >= _MARKDOWN_SHARE * lines:
        raise SourceError(
            path,
            f"looks like a Markdown document ({markup} of {lines} lines are headings, lists,"
            " quotes, tables or code), not a paper list or a Daily Papers page",
        )
    return formats.DAILY_PAGE


def _bibtex_share(text: str) -> float:
    """How much of ``text``'s non-space content lies inside ``@type{...}`` entries."""
    if not _BIBTEX_ENTRY.search(text):
        return 0.0
    content = _BIB_COMMENT.sub("", text)
    total = len(content) - sum(map(str.isspace, content))
    inside, end = 0, 0
    for entry in _BIBTEX_ENTRY.finditer(content):
        if entry.start() < end:
            continue  # an "@" inside the previous entry
        end = _entry_end(content, entry.end() - 1)
        span = content[entry.start() : end]
        inside += len(span) - sum(map(str.isspace, span))
    return inside / max(total, 1)


def _entry_end(text: str, opener: int) -> int:
    """Where the entry opened by the brace or parenthesis at ``opener`` ends, else len(text)."""
    pair = re.compile(re.escape(text[opener]) + "|" + re.escape(_CLOSERS[text[opener]]))
    depth = 0
    for match in pair.finditer(text, opener):
        depth += 1 if match.group() == text[opener] else -1
        if depth == 0:
            return match.end()
    return len(text)


def _markdown_lines(text: str) -> tuple[int, int]:
    """(lines that are Markdown structure or fenced code, non-blank lines) of ``text``."""
    markup = lines = 0
    fenced = False
    for line in text.splitlines():
        if not line.strip():
            continue
        lines += 1
        fence = _FENCE.match(line) is not None
        if fenced or fence or _MARKDOWN_LINE.match(line):
            markup += 1
        fenced ^= fence
    return markup, lines


def _json_format(text: str, start: int, path: str) -> str:
    """A JSON list is told by its first item: {"paper": ...} is Hugging Face's."""
    if text[start] == "{":
        return _jsonl_format(text, start, path)
    item_start = _skip_space(text, start + 1)
    if text.startswith("]", item_start):
        return formats.ARXIV_JSON  # an empty list: no papers whichever it is
    item = _decode_at(text, item_start, path)
    if isinstance(item, dict) and "paper" in item:
        return formats.HF_JSON
    if _is_record(item):
        return formats.ARXIV_JSON
    raise SourceError(path, "a JSON list of neither Hugging Face daily papers nor arXiv records")


def _jsonl_format(text: str, start: int, path: str) -> str:
    """A JSON object first: one wrapping a list of paper records (``{"papers": [...]}``),
    else JSON Lines of arXiv records, unless it is some other object."""
    try:
        first, _ = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        return formats.ARXIV_JSON  # its parser skips a broken first line or reports it
    if records_key(first):
        return formats.PAPER_RECORDS
    if _is_record(first):
        return formats.ARXIV_JSON
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
        return formats.ARXIV_ATOM
    if local == "rss":
        return formats.ARXIV_RSS
    if local.lower() == "html":
        raise SourceError(path, "an HTML page: save the page as text (select all, copy) instead")
    raise SourceError(path, f"XML of an unknown kind (root element <{root}>)")
