"""Fetching the feeds for the app, without holding its event loop.

The network, the parse of each response and the merge into the catalog (seconds
of pure-Python work on a large library) run in a spawned child, which reports
each feed as it goes. The app's worker then opens the library again (the
catalog is current by then, so that is quick) and the app swaps it in; the
index takes only the papers of the feeds that changed, as after any reload.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from papertui import config, feed_runs
from papertui.child import ChildError, Progress, run_in_child
from papertui.feed_runs import NO_FEEDS, FetchSummary
from papertui.feeds.fetch import FetchReport
from papertui.library import Library

# Called as each feed starts or asks for a URL: (feed's number from 1, feeds, "name: what").
FetchProgress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a fetch did, and the library with what arrived (None when nothing changed)."""

    summary: FetchSummary
    library: Library | None = None

    def notices(self) -> list[tuple[str, str]]:
        """One (text, severity) per feed: its report, or why it could not be fetched."""
        if not self.summary.reports:
            return [(f"Nothing fetched: {NO_FEEDS}.", "warning")]
        return [(f"Could not fetch {r.line()}", "error") if r.error else (f"Fetched {r.line()}",
                                                                          "information")
                for r in self.summary.reports]


def has_feeds() -> bool:
    """True when config.toml names at least one feed."""
    return bool(config.load()[0].feeds)


def _fetch(seed: str, names: list[str], progress: Progress) -> FetchSummary:
    """The child's job: fetch, merge what arrived into the catalog, leave the index be."""
    library = Library.load(Path(seed))
    try:
        order = [feed.name for feed in feed_runs.configured(names)]

        def report(name: str, what: str) -> None:
            progress(order.index(name) + 1, len(order), f"{name}: {what}")

        return library.fetch_feeds(names, report, index=False)
    finally:
        library.close()


def fetch(shown: Library, names: Sequence[str] = (), progress: FetchProgress | None = None,
          ) -> Fetched:
    """Fetch the feeds (or those named) in a child; then open the library again if a feed
    brought anything. Blocks on the network: call it off the event loop.

    A child that dies is reported as every feed failing, in one line.
    """
    seed = Path(shown.sources[0].path)
    try:
        summary = run_in_child(_fetch, str(seed), list(names),
                               progress=progress or (lambda _done, _total, _what: None))
    except ChildError as error:
        failed = FetchReport("feeds", error=str(error))
        return Fetched(FetchSummary((failed,)))
    changed = any(not r.error and not r.unchanged for r in summary.reports)
    return Fetched(summary, Library.load(seed) if changed else None)
