"""The text copy of a Hugging Face "Daily Papers" page.

The page is a header (``new``, ``Get trending papers in your email inbox!``,
``Subscribe``, ``Daily Papers``, ``byAK and the research community``, a date
line such as ``Aug 13``), then blocks separated by blank lines: a title block,
then its abstract. Any header line may be missing.

How a paragraph is told from the next title: a block that follows an
abstract continues that abstract when it reads as prose, that is when it
spans several lines, is longer than 300 characters, or ends with a full stop
(titles such as "bert2BERT: ..." may start in lower case, so case is no clue). Otherwise it is the next title. The block
after a title is its abstract when it reads as prose or is longer than a
title can be; otherwise the earlier title had no abstract. A final title
with nothing after it is a paper without an abstract.

A date line with its year (``Aug 13, 2025``) becomes the ISO date of the list and
of each of its papers, so that they sort and cite by it (a paper found in another
source keeps the earlier date). Without a year the line is kept as the list's
label only: the page shows no year, and guessing one would be wrong for old copies.
"""

from __future__ import annotations

import re
from datetime import datetime

from papertui.errors import SourceError
from papertui.models import make_paper
from papertui.sources import formats
from papertui.sources.base import ParsedSource, source_name

FORMAT = formats.DAILY_PAGE
_HEADER = {
    "new",
    "get trending papers in your email inbox!",
    "subscribe",
    "daily papers",
    "byak and the research community",
}
_DATE = re.compile(
    r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?$"
)
MAX_TITLE = 400
_PROSE_LENGTH = 300


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Split into (first line number, lines) blocks on blank lines."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def _is_prose(lines: list[str]) -> bool:
    text = " ".join(lines)
    return (
        len(lines) > 1
        or len(text) > _PROSE_LENGTH
        or text.rstrip("\"')”’").endswith(".")
    )


def _header(blocks: list[tuple[int, list[str]]]) -> tuple[int, str | None, str | None]:
    """Skip the page header; return where papers start, the list's title and date."""
    title = date = None
    skip = 0
    for _, lines in blocks:
        if len(lines) != 1:
            break
        line = lines[0]
        if line.casefold() in _HEADER:
            if line.casefold() == "daily papers":
                title = "Daily Papers"
        elif _DATE.match(line) and date is None:
            date = line
        else:
            break
        skip += 1
    return skip, title, date


def _iso_day(date: str | None) -> str | None:
    """``2025-08-13`` for "Aug 13, 2025" (or "August 13, 2025"); None without a year."""
    if not date or "," not in date:
        return None
    month, rest = date.split(" ", 1)
    try:  # the date line's pattern admits "Sept" and "August": their first three letters name them
        return datetime.strptime(f"{month[:3]} {rest}", "%b %d, %Y").date().isoformat()
    except ValueError:
        return None


def parse(text: str, path: str) -> ParsedSource:
    """Read a Daily Papers page copy; raise SourceError when it is not one."""
    source = source_name(path)
    blocks = _blocks(text)
    skip, title, date = _header(blocks)
    day = _iso_day(date)
    result = ParsedSource(path=path, format=FORMAT, title=title, date=day or date)
    pending: tuple[int, str] | None = None  # a title waiting for its abstract
    abstract: list[str] = []

    def flush() -> None:
        nonlocal pending, abstract
        if pending is not None:
            result.papers.append(
                make_paper(pending[1], abstract="\n\n".join(abstract), date=day, source=source)
            )
        pending, abstract = None, []

    for number, lines in blocks[skip:]:
        text_block = " ".join(lines)
        if pending is not None and not abstract:
            if _is_prose(lines) or len(text_block) > MAX_TITLE:
                abstract.append(text_block)
                continue
        elif pending is not None and _is_prose(lines):
            abstract.append(text_block)
            continue
        flush()
        if len(lines) > 1 or len(text_block) > MAX_TITLE:
            raise SourceError(
                path,
                f"expected a paper title, found a paragraph of {len(text_block)} characters"
                " (not a Daily Papers page?)",
                line=number,
            )
        pending = (number, text_block)
    flush()
    if not result.papers:
        raise SourceError(path, "no papers found (not a Daily Papers page?)")
    result.entries = len(result.papers)
    return result
