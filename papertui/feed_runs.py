"""Fetching the configured feeds, for the CLI and the app (through Library.fetch_feeds).

This part talks to the network and the data dir only; the library then makes
each fetched feed's folder one of its sources.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from papertui import config, paths
from papertui.catalog import stamp
from papertui.feeds import store
from papertui.feeds.fetch import FetchReport, fetch
from papertui.feeds.fetch_state import FetchState
from papertui.feeds.http import HttpClient
from papertui.feeds.spec import BadFeed, Feed
from papertui.sources.feed_folder import is_feed_folder

NO_FEEDS = "no feeds to fetch; add one, e.g. papertui feed add hf-daily"
# Called with a feed's name and what it is doing (a URL), as the fetch goes.
FeedProgress = Callable[[str, str], None]


@dataclass(frozen=True, slots=True)
class FetchSummary:
    """What a fetch did: one report per feed, and how many papers are new to the library."""

    reports: tuple[FetchReport, ...] = ()
    arrived: int = 0

    @property
    def failed(self) -> bool:
        """True when any feed failed (the others are still saved)."""
        return any(r.error for r in self.reports)

    def lines(self) -> list[str]:
        """One line per feed, or what to do when there are no feeds."""
        return [r.line() for r in self.reports] or [NO_FEEDS]


def configured(names: Sequence[str] | None = None) -> list[Feed]:
    """The feeds of config.toml, or those named; BadFeed names an unknown one."""
    feeds = config.load()[0].feeds
    if not names:
        return list(feeds)
    by_name = {f.name: f for f in feeds}
    for name in names:
        if name not in by_name:
            known = ", ".join(by_name) or "none yet"
            raise BadFeed(f"no feed named {name!r} (feeds: {known})")
    return [by_name[name] for name in names]


def fetch_feeds(feeds: Sequence[Feed], progress: FeedProgress | None = None,
                client: HttpClient | None = None) -> tuple[FetchReport, ...]:
    """Fetch each feed in turn; a failure is in its report and the others still run."""
    report = progress or (lambda _feed, _what: None)
    reports = []
    with (client or HttpClient()) as http, FetchState(paths.state_db()) as state:
        for feed in feeds:
            report(feed.name, "starting")
            reports.append(fetch(feed, http, state,
                                 progress=lambda what, name=feed.name: report(name, what)))
    return tuple(reports)


def folders(feeds: Sequence[Feed]) -> list[str]:
    """The folders of these feeds that hold fetched responses: the library's feed sources."""
    return [str(store.folder(f.name)) for f in feeds if is_feed_folder(str(store.folder(f.name)))]


def changed_folders(feeds: Sequence[Feed], merged: object) -> list[str]:
    """The folders of these feeds that changed since the catalog was ``merged`` from
    its files (the catalog's fingerprint: [path, size, mtime] of each)."""
    known = {tuple(s) for s in merged or ()} if isinstance(merged, list) else set()
    return [f for f in folders(feeds) if tuple(stamp(f)) not in known]


def due(now: float | None = None) -> bool:
    """True when feeds exist, auto_fetch is on, and a feed's last fetch is older than it
    (or it was never fetched)."""
    settings = config.load()[0]
    if not settings.feeds or settings.auto_fetch <= 0:
        return False
    with FetchState(paths.state_db()) as state:
        fetched = [state.status(f.name).last_fetch for f in settings.feeds]
    now = time.time() if now is None else now
    return any(t is None or now - t > settings.auto_fetch * 3600 for t in fetched)
