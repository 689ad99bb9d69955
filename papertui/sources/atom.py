"""arXiv API Atom responses and arXiv RSS 2.0 feeds (rss.arxiv.org).

Both keep titles and abstracts as given (TeX included) and lose hard line wraps.
Both give ``categories``; extra keys: ``comment``, ``journal``, ``doi`` (Atom)
and ``announce_type`` (RSS). The arXiv API reports errors as an entry titled "Error",
and arXiv RSS as an empty channel titled "Feed error for ..."; both become a
SourceError, not a source.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from typing import Any

from papertui.errors import SourceError
from papertui.models import Paper, arxiv_id, make_paper
from papertui.sources import formats
from papertui.sources.base import (
    ParsedSource,
    collapse_whitespace,
    iso_date,
    require_text,
    source_name,
    split_author_list,
)

ATOM_FORMAT = formats.ARXIV_ATOM
RSS_FORMAT = formats.ARXIV_RSS
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_RSS_DESCRIPTION = re.compile(
    r"^\s*arXiv:\S+\s+Announce Type:\s*(?P<type>\S+)\s+Abstract:\s*", re.IGNORECASE
)


def parse(text: str, path: str) -> ParsedSource:
    """Parse an arXiv Atom response or an arXiv RSS feed."""
    root = _parse_xml(text, path)
    if root.tag == f"{_ATOM}feed":
        return _parse_atom(root, path)
    if root.tag == "rss":
        return _parse_rss(root, path)
    raise SourceError(path, f"not an arXiv Atom or RSS feed (root element <{root.tag}>)")


def _parse_xml(text: str, path: str) -> ET.Element:
    """The document's root; DTDs are refused so entity expansion cannot blow up."""
    require_text(text, path)
    if declaration := _DECLARATION.search(text):
        line = text.count("\n", 0, declaration.start()) + 1
        raise SourceError(path, "DOCTYPE and ENTITY declarations are not allowed", line=line)
    try:
        return ET.fromstring(_undo_mojibake(text))
    except ET.ParseError as error:
        message = str(error).rsplit(": line ", 1)[0]
        raise SourceError(path, f"invalid XML: {message}", line=error.position[0]) from None
    except UnicodeError as error:
        raise SourceError(path, f"invalid XML: {error.reason}") from None


def _undo_mojibake(text: str) -> str:
    """Repair UTF-8 that was once decoded as Latin-1 ("RamÃ­rez" -> "Ramírez").

    Recorded API responses carry this damage. Text that really is Latin-1 or
    holds characters beyond U+00FF fails the round trip and is kept as it is.
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def _parse_atom(feed: ET.Element, path: str) -> ParsedSource:
    """The papers of an Atom feed, titled and dated by the feed itself."""
    entries = feed.findall(f"{_ATOM}entry")
    result = ParsedSource(
        path=path,
        format=ATOM_FORMAT,
        entries=len(entries),
        title=_child_text(feed, f"{_ATOM}title") or None,
        date=iso_date(_child_text(feed, f"{_ATOM}updated")),
    )
    source = source_name(path)
    for number, entry in enumerate(entries, start=1):
        _raise_api_error(entry, path)
        result.add(_atom_paper(entry, source), f"entry {number}")
    return result


def _raise_api_error(entry: ET.Element, path: str) -> None:
    """arXiv answers a bad query with one entry titled "Error" whose summary says why."""
    entry_id = _child_text(entry, f"{_ATOM}id")
    title = _child_text(entry, f"{_ATOM}title")
    if "/api/errors" in entry_id or (title == "Error" and not arxiv_id(entry_id)):
        reason = collapse_whitespace(_child_text(entry, f"{_ATOM}summary")) or "unknown error"
        raise SourceError(path, f"arXiv API error: {reason}")


def _atom_paper(entry: ET.Element, source: str) -> Paper | None:
    """The Paper of one Atom entry, or None when it has no title."""
    title = _child_text(entry, f"{_ATOM}title")
    if not title:
        return None
    entry_id = _child_text(entry, f"{_ATOM}id")
    found = arxiv_id(entry_id)
    extra: dict[str, Any] = {
        "comment": collapse_whitespace(_child_text(entry, f"{_ARXIV}comment")),
        "journal": collapse_whitespace(_child_text(entry, f"{_ARXIV}journal_ref")),
        "doi": _child_text(entry, f"{_ARXIV}doi"),
    }
    return make_paper(
        title,
        arxiv=found,
        abstract=collapse_whitespace(_child_text(entry, f"{_ATOM}summary")),
        authors=[_child_text(a, f"{_ATOM}name") for a in entry.findall(f"{_ATOM}author")],
        date=iso_date(_child_text(entry, f"{_ATOM}published")),
        url=None if found else _alternate_link(entry),
        source=source,
        extra={key: value for key, value in extra.items() if value},
        categories=[term for c in entry.findall(f"{_ATOM}category") if (term := c.get("term"))],
    )


def _alternate_link(entry: ET.Element) -> str | None:
    """The entry's web page: its ``alternate`` link (the default relation)."""
    for link in entry.findall(f"{_ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _parse_rss(rss: ET.Element, path: str) -> ParsedSource:
    """The papers of an RSS channel, titled and dated by the channel."""
    channel = rss.find("channel")
    items = channel.findall("item") if channel is not None else []
    result = ParsedSource(path=path, format=RSS_FORMAT, entries=len(items))
    if channel is not None:
        _raise_feed_error(channel, items, path)
        result.title = _child_text(channel, "title") or None
        result.date = _rfc822_day(_child_text(channel, "pubDate"))
    source = source_name(path)
    for number, item in enumerate(items, start=1):
        result.add(_rss_paper(item, source), f"item {number}")
    return result


def _raise_feed_error(channel: ET.Element, items: list[ET.Element], path: str) -> None:
    """arXiv answers a bad feed name with an empty channel titled "Feed error for ..."."""
    if not items and _child_text(channel, "title").lower().startswith("feed error"):
        reason = collapse_whitespace(_child_text(channel, "description")) or "unknown error"
        raise SourceError(path, f"arXiv feed error: {reason}")


def _rss_paper(item: ET.Element, source: str) -> Paper | None:
    """The Paper of one RSS item; its description is "arXiv:ID Announce Type: T Abstract: ..."."""
    title = _child_text(item, "title")
    if not title:
        return None
    link = _child_text(item, "link")
    guid = _child_text(item, "guid").removeprefix("oai:arXiv.org:")
    found = arxiv_id(link) or arxiv_id(guid)
    description = _child_text(item, "description")
    announce_type = _child_text(item, f"{_ARXIV}announce_type")
    if match := _RSS_DESCRIPTION.match(description):
        description = description[match.end() :]
        announce_type = announce_type or match.group("type")
    return make_paper(
        title,
        arxiv=found,
        abstract=collapse_whitespace(description),
        authors=split_author_list(_child_text(item, f"{_DC}creator")),
        date=_rfc822_day(_child_text(item, "pubDate")),
        url=None if found else (link or None),
        source=source,
        extra={"announce_type": announce_type} if announce_type else {},
        categories=[term for c in item.findall("category") if (term := (c.text or "").strip())],
    )


def _child_text(element: ET.Element, tag: str) -> str:
    """The stripped text of the first ``tag`` child, "" when absent."""
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _rfc822_day(value: str) -> str | None:
    """``YYYY-MM-DD`` of an RSS date such as "Mon, 15 Apr 2024 00:00:00 -0400"."""
    try:
        return parsedate_to_datetime(value).date().isoformat() if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
