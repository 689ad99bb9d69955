"""What a feed is: its name, kind, arguments and base URL, as kept in config.toml.

```toml
[[feeds]]
name = "hf-daily"
kind = "hf-daily"
args = []
url = "https://huggingface.co"   # optional: replaces the kind's base URL
```

Adding a feed never touches the network: arXiv categories are checked for
their shape only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from papertui.errors import PapertuiError

DEFAULT_BASE = {
    "hf-daily": "https://huggingface.co",
    "arxiv-rss": "https://rss.arxiv.org",
    "arxiv-query": "https://export.arxiv.org",
    "url": None,
}
KINDS = tuple(DEFAULT_BASE)
DEFAULT_MAX = 500
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# cs.CL, astro-ph, astro-ph.GA, q-bio.NC, math.AG, physics: arXiv's archive[.subject] shape.
_CATEGORY = re.compile(r"^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2,})?$")


class BadFeed(PapertuiError):
    """A feed as given cannot be added or used: a usage error (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Feed:
    """One subscription. ``url`` replaces the kind's base URL (for ``url``, it is the URL)."""

    name: str
    kind: str
    args: tuple[str, ...] = ()
    url: str | None = None
    max: int = DEFAULT_MAX

    @property
    def base(self) -> str:
        """The base URL requests are made against, without a trailing slash."""
        return (self.url or DEFAULT_BASE[self.kind] or "").rstrip("/")

    def table(self) -> dict[str, Any]:
        """The ``[[feeds]]`` entry that stores this feed."""
        entry: dict[str, Any] = {"name": self.name, "kind": self.kind, "args": list(self.args)}
        if self.url:
            entry["url"] = self.url
        if self.max != DEFAULT_MAX:
            entry["max"] = self.max
        return entry


def new_feed(kind: str, args: Sequence[str], *, name: str | None = None,
             url: str | None = None, max_results: int | None = None,
             taken: Sequence[str] = ()) -> Feed:
    """A checked new feed; BadFeed says what is wrong in one line."""
    if kind not in KINDS:
        raise BadFeed(f"unknown feed kind {kind!r} (kinds: {', '.join(KINDS)})")
    if name is None:
        name = _free_name(kind, taken)
    elif name in taken:
        raise BadFeed(f"a feed named {name!r} exists already (see papertui feeds)")
    feed = Feed(name, kind, _checked_args(kind, args, url), url,
                DEFAULT_MAX if max_results is None else max_results)
    check(feed)
    return feed


def _free_name(kind: str, taken: Sequence[str]) -> str:
    """The kind itself, or the kind numbered from 2 when that name is taken."""
    name, number = kind, 2
    while name in taken:
        name, number = f"{kind}-{number}", number + 1
    return name


def _checked_args(kind: str, args: Sequence[str], url: str | None) -> tuple[str, ...]:
    args = tuple(a.strip() for a in args if a.strip())
    if kind == "hf-daily" and args:
        raise BadFeed(f"hf-daily takes no arguments (got {' '.join(args)!r})")
    if kind == "arxiv-rss":
        if not args:
            raise BadFeed("arxiv-rss needs at least one arXiv category, e.g. cs.CL")
        for category in args:
            if not _CATEGORY.match(category):
                raise BadFeed(f"{category!r} is not an arXiv category (e.g. cs.CL, astro-ph.GA)")
    if kind == "arxiv-query":
        if not args:
            raise BadFeed("arxiv-query needs a query, e.g. 'ti:diffusion AND cat:cs.CV'")
        args = (" ".join(args),)
    if kind == "url":
        if len(args) > 1:
            raise BadFeed("url takes one URL")
        if not args and not url:
            raise BadFeed("url needs the URL to fetch")
    return args


def check(feed: Feed) -> None:
    """Raise BadFeed when a feed (new or read from config) cannot be fetched as it is."""
    if not _NAME.match(feed.name):
        raise BadFeed(f"feed name {feed.name!r}: use letters, digits, '.', '_' or '-'"
                      " (64 at most, starting with a letter or digit)")
    if feed.kind not in KINDS:
        raise BadFeed(f"feed {feed.name!r}: unknown kind {feed.kind!r}")
    for url in (feed.url, *(feed.args if feed.kind == "url" else ())):
        if url is not None and not is_web_url(url):
            raise BadFeed(f"feed {feed.name!r}: malformed URL {url!r} (want http:// or https://)")
    if feed.max < 1:
        raise BadFeed(f"feed {feed.name!r}: max must be at least 1")


def is_web_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(text)
        parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in text


def from_config(value: Any, problems: list[str]) -> tuple[Feed, ...]:
    """The feeds of the ``[[feeds]]`` entries; a bad entry is left out and named in ``problems``."""
    if not isinstance(value, list):
        problems.append("'feeds' must be [[feeds]] entries")
        return ()
    feeds: list[Feed] = []
    for number, entry in enumerate(value, start=1):
        try:
            feed = _feed_of(entry)
            if any(f.name == feed.name for f in feeds):
                raise BadFeed(f"feed {feed.name!r} is named twice")
            check(feed)
        except BadFeed as error:
            problems.append(f"feeds entry {number}: {error}")
            continue
        feeds.append(feed)
    return tuple(feeds)


def _feed_of(entry: Any) -> Feed:
    if not isinstance(entry, dict):
        raise BadFeed("must be a table with name and kind")
    name, kind = entry.get("name"), entry.get("kind")
    args, url, most = entry.get("args", []), entry.get("url"), entry.get("max", DEFAULT_MAX)
    if not isinstance(name, str) or not isinstance(kind, str):
        raise BadFeed("needs name and kind in quotes")
    if not (isinstance(args, list) and all(isinstance(a, str) for a in args)):
        raise BadFeed("args must be a list of strings")
    if url is not None and not isinstance(url, str):
        raise BadFeed("url must be a string")
    if not isinstance(most, int) or isinstance(most, bool):
        raise BadFeed("max must be a number")
    return Feed(name, kind, tuple(args), url, most)
