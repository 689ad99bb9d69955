"""A Hugging Face Daily Papers page saved as HTML (File -> Save Page As).

The page embeds its data as HTML-escaped JSON in the ``data-props`` attribute of
the element with ``data-target="DailyPapers"``; its ``dailyPapers`` list holds
items shaped like the daily papers API's, read as papertui.sources.hf_json reads
them (titles, arXiv ids, authors, upvotes...). A page without that attribute
gives the papers of its visible links (``/papers/<arXiv id>``): ids and titles.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from papertui.errors import SourceError
from papertui.models import make_paper
from papertui.sources import formats, hf_json
from papertui.sources.base import ParsedSource, collapse_whitespace, source_name

FORMAT = formats.HF_PAGE
_PAPER_LINK = re.compile(r"^(?:https?://(?:www\.)?huggingface\.co)?/papers/(\d{4}\.\d{4,5})(?:v\d+)?/?$")
_SIGNS = re.compile(r'data-target="DailyPapers"|href="(?:https://huggingface\.co)?/papers/\d{4}\.\d')


def is_daily_papers_page(text: str) -> bool:
    """True for HTML that holds Daily Papers data or links to papers on Hugging Face."""
    return bool(_SIGNS.search(text))


class _PageReader(HTMLParser):
    """Collects the DailyPapers props and, as a fallback, the text of paper links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.props: str | None = None
        self.links: dict[str, list[str]] = {}  # arXiv id -> texts of its links
        self._open: str | None = None  # the id of the paper link being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("data-target") == "DailyPapers" and self.props is None:
            self.props = found.get("data-props")
        if tag == "a" and (match := _PAPER_LINK.match(found.get("href") or "")):
            self._open = match.group(1)
            self.links.setdefault(self._open, [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None and data.strip():
            self.links[self._open].append(data)


def parse(text: str, path: str) -> ParsedSource:
    """Read the papers of a saved Daily Papers page."""
    reader = _PageReader()
    reader.feed(text)
    reader.close()
    result = ParsedSource(path=path, format=FORMAT, title="Daily Papers")
    if reader.props is not None:
        items = _daily_papers(reader.props, path)
        result.entries = len(items)
        hf_json.add_items(result, items)
        return result
    source = source_name(path)
    for paper_id, texts in reader.links.items():
        title = max((collapse_whitespace(t) for t in texts), key=len, default="")
        result.entries += 1
        result.add(make_paper(title, arxiv=paper_id, source=source) if title else None,
                   f"link to /papers/{paper_id}")
    if not result.entries:
        raise SourceError(path, "an HTML page with no Daily Papers data and no paper links")
    return result


def _daily_papers(props: str, path: str) -> list:
    """The ``dailyPapers`` list of the page's props."""
    try:
        data = json.loads(props)
    except (ValueError, RecursionError) as error:
        raise SourceError(path, f"the page's DailyPapers data is not valid JSON ({error})") from None
    items = data.get("dailyPapers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SourceError(path, "the page's DailyPapers data has no dailyPapers list")
    return items
