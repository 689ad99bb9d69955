"""The command line. Textual is imported only by the commands that open the app."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from papertui import __version__, cli_feeds, cli_organise, cli_pdf, cli_state, ordering
from papertui.errors import PapertuiError, QueryError


def _progress_bar(done: int, total: int, phase: str) -> None:
    if not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // max(total, 1)
    count = f"{done}/{total}" if total > 1 else ""
    sys.stderr.write(f"\r{phase:9} [{'#' * filled}{'.' * (width - filled)}] {count:<15}")
    sys.stderr.flush()


def _marks_label(read: bool, starred: bool) -> str:
    return ("*" if starred else " ") + ("r" if read else " ")


FIRST_SCREEN = 50  # hits a search may print without ranking every hit


def cmd_search(args: argparse.Namespace) -> int:
    library = _library()
    _ensure_index(library)
    first_screen = 0 < args.limit <= FIRST_SCREEN  # rank only the best hits, not every one
    result = library.search(args.query, order=ordering.NAMES[args.sort] if args.sort else None,
                            limit=args.limit if first_screen else None, correct=True)
    if result.order == ordering.FORYOU and library.for_you_status():
        print(f"papertui: {library.for_you_status()}", file=sys.stderr)
    if result.corrected is not None:
        print(f'papertui: no hits for "{args.query}"; showing results for "{result.corrected}"',
              file=sys.stderr)
    elif result.suggestion is not None:
        print(f'papertui: did you mean "{result.suggestion}"?', file=sys.stderr)
    ids = result.ids if args.limit == 0 else result.ids[: args.limit]
    rows = []
    for pid in ids:
        paper, mark = library.paper(pid), library.mark(pid)
        rows.append({"id": pid, "title": paper.title, "authors": list(paper.authors),
                     "score": result.scores.get(pid) if result.ranked else None,
                     "read": mark.read, "starred": mark.starred})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{_marks_label(row['read'], row['starred'])} {row['id']}  {row['title']}")
        total = len(result.ids) if result.complete else f"more than {len(ids)}"
        print(f"{len(ids)} of {total} hits", file=sys.stderr)
    return 0


def cmd_mark(args: argparse.Namespace) -> int:
    from papertui.models import Mark

    if args.read is None and args.star is None:
        raise UsageError("say what to change: --read, --unread, --star or --unstar")
    library = _library()
    changes, unknown = {}, []
    for given in args.ids:
        pid = library.resolve(given)
        if pid not in library:
            unknown.append(given)
            continue
        old = library.mark(pid)
        changes[pid] = Mark(
            old.read if args.read is None else args.read,
            old.starred if args.star is None else args.star,
        )
    if unknown:
        print(f"papertui: no paper with id {', '.join(unknown)} (see papertui search)"
              + ("; nothing was changed" if args.strict else ""), file=sys.stderr)
        if args.strict or not changes:
            return 1
    library.set_marks(changes)
    for pid in changes:
        saved = library.mark(pid)  # with any flag another process set meanwhile
        print(f"{_marks_label(saved.read, saved.starred)} {pid}")
    return 1 if unknown else 0


def cmd_info(args: argparse.Namespace) -> int:
    library = _library()
    total, read, starred = library.counts()
    for what, where in library.locations().items():
        print(f"{what:8} {where}")
    print(f"papers   {total}")
    print(f"read     {read}")
    print(f"starred  {starred}")
    print(f"index    {'current' if library.index_is_current() else 'to be built'}")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    library = _library()
    if args.rebuild:
        library.invalidate_index()
    built = _ensure_index(library)
    print(f"index {'built' if built else 'current'}: {len(library)} papers", file=sys.stderr)
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from papertui.ui.app import run_app
    from papertui.ui.interpreter import steady_interpreter

    steady_interpreter()
    return run_app(_library(app=True))


def cmd_add(args: argparse.Namespace) -> int:
    library = _library()
    reports = library.add_sources(args.files)
    for report in reports:
        print(("papertui: " if report.error else "") + report.summary,
              file=sys.stderr if report.error else sys.stdout)
    if not any(r.error is None for r in reports):
        return 1
    _ensure_index(library)
    print(f"library: {len(library)} papers from {len(library.sources)} sources")
    return 1 if any(r.error for r in reports) else 0


def cmd_open(args: argparse.Namespace) -> int:
    from papertui.ui.app import run_app
    from papertui.ui.interpreter import steady_interpreter

    reports = _library().add_sources(args.files, quick=True)
    failed = [r for r in reports if r.error]
    for report in failed:
        print(f"papertui: {report.summary}", file=sys.stderr)
    if len(failed) == len(reports):
        return 1
    steady_interpreter()
    return run_app(_library(app=True))


def cmd_sources(args: argparse.Namespace) -> int:
    library = _library()
    for number, source in enumerate(library.sources):
        kind = "bundled" if number == 0 else source.format or "unreadable"
        print(f"{source.label}\t{kind}\t{source.path}")
        print(f"    {source.summary}")
        for skipped in source.skipped[: args.details]:
            print(f"    skipped {skipped.where}: {skipped.reason}")
        hidden = len(source.skipped) - args.details
        if hidden > 0:
            print(f"    ... {hidden} more skipped (--details N to list more)")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    removed = _library().remove_source(args.source)
    print(f"removed {removed.label} ({removed.path}); its papers' marks are kept")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import datetime

    from papertui import export

    named = export.format_for_path(args.output) if args.output not in (None, "-") else None
    if args.format and named and args.format != named:
        raise UsageError(f"--format {args.format} contradicts the file name {args.output}")
    fmt = args.format or named or "md"
    library = _library()
    chosen = next(s for s in export.SELECTIONS if s.key == args.selection)
    query = args.query if args.query is not None else chosen.query
    if args.query is not None:
        _ensure_index(library)
    items = library.export_items(library.search(query).ids)
    selection = f"Query {args.query}" if args.query is not None else chosen.heading
    text = export.render(items, fmt, list_name=library.name, on=datetime.date.today(),
                         selection=selection)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        print(f"exported {len(items)} papers", file=sys.stderr)
    else:
        export.write_atomic(Path(args.output), text)
        print(f"exported {len(items)} papers to {args.output}", file=sys.stderr)
    return 0


class UsageError(PapertuiError):
    """Bad command-line usage: exit status 2."""


def _ensure_index(library) -> bool:
    """Bring the index up, printing the notices that doing so gave (a rebuild's reason)."""
    seen = len(library.notices)
    built = library.ensure_index(_progress_bar)
    if built and sys.stderr.isatty():
        sys.stderr.write("\n")  # after the progress bar
    for notice in library.notices[seen:]:
        print(f"papertui: {notice}", file=sys.stderr)
    return built


def _library(*, app: bool = False):
    """The user's library, its notices printed first.

    A damaged marks database was moved aside while loading: a command stops
    there (exit 1) so the user sees it; the app goes on and shows the notice.
    """
    from papertui.library import Library
    from papertui.opening import open_library

    library = open_library() if app else Library.load()
    for notice in library.notices:
        print(f"papertui: {notice}", file=sys.stderr)
    if library.moved_aside is not None and not app:
        library.close()
        raise PapertuiError("nothing else was done; run the command again to carry on")
    return library


def _count(text: str) -> int:
    """A whole number, 0 or more; else a usage error."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    from papertui import export as formats  # light: no Textual, no Whoosh
    parser = _Parser(
        prog="papertui", description="A keyboard-first terminal reader for lists of research papers."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="print the version and exit")
    parser.set_defaults(func=cmd_app)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    search = commands.add_parser("search", help="search the library and print ranked hits")
    search.add_argument("query", help="query in the filter bar's language ('' lists every paper)")
    search.add_argument("--limit", type=_count, default=20, metavar="N",
                        help="hits to print, 0 for all (default 20)")
    search.add_argument("--json", action="store_true", help="print a JSON array")
    search.add_argument("--sort", choices=list(ordering.NAMES), default=None,
                        help="order of the hits (default: relevance for text, else list order)")
    search.set_defaults(func=cmd_search)

    mark = commands.add_parser("mark", help="change marks")
    mark.add_argument("ids", nargs="+", metavar="ID",
                      help="arXiv ids (any version, arXiv:, abs or pdf URLs) or title keys")
    read = mark.add_mutually_exclusive_group()
    read.add_argument("--read", dest="read", action="store_const", const=True, help="mark read")
    read.add_argument("--unread", dest="read", action="store_const", const=False,
                      help="mark unread")
    star = mark.add_mutually_exclusive_group()
    star.add_argument("--star", dest="star", action="store_const", const=True, help="star")
    star.add_argument("--unstar", dest="star", action="store_const", const=False, help="unstar")
    mark.add_argument("--strict", action="store_true",
                      help="change nothing when any id is unknown (default: mark the known ones)")
    mark.set_defaults(func=cmd_mark, read=None, star=None)

    add = commands.add_parser("add", help="add paper files to the library")
    add.add_argument("files", nargs="+", metavar="FILE", help="files of papers (see README: formats)")
    add.set_defaults(func=cmd_add)

    open_ = commands.add_parser("open", help="add paper files, then open the app")
    open_.add_argument("files", nargs="+", metavar="FILE", help="files of papers to add first")
    open_.set_defaults(func=cmd_open)

    sources = commands.add_parser("sources", help="list the sources and what was skipped")
    sources.add_argument("--details", type=int, default=5, metavar="N",
                         help="skipped records to list per source (default 5)")
    sources.set_defaults(func=cmd_sources)

    remove = commands.add_parser("remove", help="remove a source (marks stay)")
    remove.add_argument("source", metavar="SOURCE", help="its name, or a unique prefix")
    remove.set_defaults(func=cmd_remove)

    export = commands.add_parser("export", help="write the reading list")
    chosen = export.add_mutually_exclusive_group()
    default = formats.SELECTIONS[0]
    for selection in formats.SELECTIONS:
        if selection.query is not None:  # "the papers shown" is the app's alone
            text = selection.label.lower() + (" (default)" if selection is default else "")
            chosen.add_argument(f"--{selection.key}", dest="selection", action="store_const",
                                const=selection.key, help=text)
    chosen.add_argument("--query", metavar="Q", help="papers matching a filter-bar query")
    export.add_argument("--format", choices=list(formats.FORMATS), default=None,
                        help="the file format (default: from the file name's extension, else md)")
    export.add_argument("-o", "--output", metavar="FILE", help="file to write, - for stdout (default)")
    export.set_defaults(func=cmd_export, selection=default.key)

    info = commands.add_parser("info", help="where things live, and counts")
    info.set_defaults(func=cmd_info)

    index = commands.add_parser("index", help="build the index (it is built on first use)")
    index.add_argument("--rebuild", action="store_true", help="rebuild even if current")
    index.set_defaults(func=cmd_index)
    cli_feeds.add_commands(commands)
    cli_organise.add_commands(commands)
    cli_pdf.add_commands(commands)
    cli_state.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; 0 on success, 2 for bad usage or query, 1 for other errors."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (QueryError, UsageError) as error:
        print(f"papertui: {error}", file=sys.stderr)
        return 2
    except PapertuiError as error:
        print(f"papertui: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `papertui search x | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
