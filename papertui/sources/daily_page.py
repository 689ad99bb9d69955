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
"""

from __future__ import annotations

import re

from papertui.errors import SourceError
from papertui.models import make_paper
from papertui.sources.base import ParsedSource

FORMAT = "daily-page"
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


def parse(text: str, path: str) -> ParsedSource:
    """Read a Daily Papers page copy; raise SourceError when it is not one."""
    source = path.rsplit("/", 1)[-1]
    blocks = _blocks(text)
    skip, title, date = _header(blocks)
    result = ParsedSource(path=path, format=FORMAT, title=title, date=date)
    pending: tuple[int, str] | None = None  # a title waiting for its abstract
    abstract: list[str] = []

    def flush() -> None:
        nonlocal pending, abstract
        if pending is not None:
            result.papers.append(
                make_paper(pending[1], abstract="\n\n".join(abstract), source=source)
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
