"""The daily loop's commands: ``feed add``, ``feed remove``, ``feeds``, ``fetch`` and ``catch-up``.

Feeds are kept in config.toml; what fetching them brought is kept in the data
dir, one folder per feed, and each folder is one source of the library.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable, Sequence

from papertui import config, paths
from papertui.errors import PapertuiError
from papertui.feeds.spec import KINDS, BadFeed, Feed, new_feed

Command = Callable[[argparse.Namespace], int]


def _usage_errors(command: Command) -> Command:
    """Bad input to a feed command is one line and exit status 2."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except BadFeed as error:
            print(f"papertui: {error}", file=sys.stderr)
            return 2

    return run


def _settings(*, changing: bool) -> config.Config:
    """The config; one that has errors is not changed, since saving would drop what was wrong."""
    settings, message = config.load()
    if message and changing:
        raise PapertuiError(f"{message}; fix config.toml before changing feeds")
    if message:
        print(f"papertui: {message}", file=sys.stderr)
    return settings


def _save(settings: config.Config) -> None:
    if problem := config.save(settings):
        raise PapertuiError(problem)


def _named(feeds: Sequence[Feed], name: str) -> Feed:
    for feed in feeds:
        if feed.name == name:
            return feed
    known = ", ".join(f.name for f in feeds) or "none yet"
    raise BadFeed(f"no feed named {name!r} (feeds: {known})")


def _describe(feed: Feed) -> str:
    what = " ".join(feed.args)
    return f"{feed.kind} {what}".strip() + (f" from {feed.url}" if feed.url else "")


@_usage_errors
def cmd_feed_add(args: argparse.Namespace) -> int:
    settings = _settings(changing=True)
    feed = new_feed(args.kind, args.args, name=args.name, url=args.url, max_results=args.max,
                    taken=[f.name for f in settings.feeds])
    _save(settings.with_feeds((*settings.feeds, feed)))
    print(f"added feed {feed.name}: {_describe(feed)} (papertui fetch {feed.name} fetches it)")
    return 0


@_usage_errors
def cmd_feed_remove(args: argparse.Namespace) -> int:
    from papertui.feeds import store
    from papertui.feeds.fetch_state import FetchState

    settings = _settings(changing=True)
    feed = _named(settings.feeds, args.name)
    _save(settings.with_feeds(tuple(f for f in settings.feeds if f is not feed)))
    with FetchState(paths.state_db()) as state:
        state.forget(feed.name)
    if not args.purge:
        print(f"removed feed {feed.name}; the papers it fetched stay in the library")
        return 0
    from papertui.library import Library

    folder = str(store.folder(feed.name))
    library = Library.load()
    try:
        if any(source.path == folder for source in library.sources):
            library.remove_source(feed.name)
    finally:
        library.close()
    store.purge(feed.name)
    print(f"removed feed {feed.name} and the papers it fetched")
    return 0


def cmd_feeds(args: argparse.Namespace) -> int:
    from papertui.feeds.fetch_state import FetchState

    feeds = _settings(changing=False).feeds
    if not feeds:
        print("no feeds; add one, e.g. papertui feed add hf-daily")
        return 0
    with FetchState(paths.state_db()) as state:
        rows = [(f, state.status(f.name)) for f in feeds]
    width = max(len(f.name) for f in feeds)
    for feed, status in rows:
        when = (time.strftime("%Y-%m-%d %H:%M", time.localtime(status.last_fetch))
                if status.last_fetch else "never")
        result = status.last_result if status.ok else f"failed: {status.last_result}"
        print(f"{feed.name:{width}}  {feed.kind:11}  {when:16}  {status.papers:6} papers  {result}")
    return 0


@_usage_errors
def cmd_fetch(args: argparse.Namespace) -> int:
    from papertui.feed_runs import NO_FEEDS
    from papertui.library import Library

    feeds = {f.name: f for f in _settings(changing=False).feeds}
    for name in args.names:
        _named(list(feeds.values()), name)
    if not feeds:
        print(NO_FEEDS)
        return 0

    def progress(name: str, what: str) -> None:
        if what == "starting":
            print(f"fetching {name} ({_describe(feeds[name])})", file=sys.stderr)

    # Loaded first, so that the papers there before the fetch are not new.
    library = Library.load()
    try:
        for notice in library.notices:
            print(f"papertui: {notice}", file=sys.stderr)
        summary = library.fetch_feeds(args.names, progress)
    finally:
        library.close()
    for report in summary.reports:
        print(("papertui: " if report.error else "") + report.line(),
              file=sys.stderr if report.error else sys.stdout)
    return 1 if summary.failed else 0


def cmd_catch_up(args: argparse.Namespace) -> int:
    from papertui.library import Library

    library = Library.load()
    try:
        if args.undo:
            if not library.undo_catch_up():
                print("papertui: no catch-up to undo", file=sys.stderr)
                return 1
            print(f"undid the last catch-up: {library.new_count()} papers are new again")
            return 0
        done = library.catch_up()
    finally:
        library.close()
    print(f"caught up: {done.cleared} papers are no longer new (papertui catch-up --undo"
          " undoes it)")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the feed commands on the main parser's subcommands."""
    feed = commands.add_parser("feed", help="add or remove a feed")
    actions = feed.add_subparsers(title="actions", metavar="ACTION", required=True,
                                  parser_class=type(feed))
    add = actions.add_parser("add", help="subscribe to a feed (no network needed)")
    add.add_argument("kind", metavar="KIND", help=f"one of {', '.join(KINDS)}")
    add.add_argument("args", nargs="*", metavar="ARG",
                     help="arXiv categories (arxiv-rss), a query (arxiv-query) or a URL (url)")
    add.add_argument("--name", help="the feed's name (default: the kind, numbered if taken)")
    add.add_argument("--url", metavar="BASE", help="replace the base URL (mirrors, tests)")
    add.add_argument("--max", type=int, metavar="N", help="arxiv-query: most papers a fetch")
    add.set_defaults(func=cmd_feed_add)
    remove = actions.add_parser("remove", help="stop fetching a feed (its papers stay)")
    remove.add_argument("name", metavar="NAME", help="the feed's name")
    remove.add_argument("--purge", action="store_true", help="also drop the papers it fetched")
    remove.set_defaults(func=cmd_feed_remove)

    listing = commands.add_parser("feeds", help="list the feeds and their last fetch")
    listing.set_defaults(func=cmd_feeds)

    fetch = commands.add_parser("fetch", help="fetch every feed, or the ones named")
    fetch.add_argument("names", nargs="*", metavar="NAME", help="feeds to fetch (default: all)")
    fetch.set_defaults(func=cmd_fetch)

    catch_up = commands.add_parser("catch-up", help="clear what is new (is:new); marks stay")
    catch_up.add_argument("--undo", action="store_true", help="undo the last catch-up")
    catch_up.set_defaults(func=cmd_catch_up)
