"""The state commands: ``state export`` and ``state import`` (see papertui.state_sync)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from papertui.errors import PapertuiError


def cmd_state_export(args: argparse.Namespace) -> int:
    from papertui.export import write_atomic

    library = _library()
    try:
        text = library.export_state()
    finally:
        library.close()
    lines = text.count("\n")
    if args.output in (None, "-"):
        sys.stdout.write(text)
        print(f"exported the state: {lines} lines", file=sys.stderr)
    else:
        write_atomic(Path(args.output), text)
        print(f"exported the state to {args.output}: {lines} lines", file=sys.stderr)
    return 0


def cmd_state_import(args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        raise PapertuiError(f"{args.file}: cannot read: {error.strerror or error}") from None
    library = _library()
    try:
        report = library.import_state(data.decode("utf-8", errors="surrogateescape"))
    finally:
        library.close()
    for problem in report.problems:
        print(f"papertui: {args.file}:{problem.removeprefix('line ')}", file=sys.stderr)
    for change in report.changes:
        print(change)
    skipped = f"; {len(report.problems)} damaged lines skipped" if report.problems else ""
    print(f"imported {args.file}: {report.summary()}{skipped}")
    return 1 if report.problems else 0


def _library():
    """The user's library, its notices printed; stop if the marks database was moved aside."""
    from papertui.library import Library

    library = Library.load()
    for notice in library.notices:
        print(f"papertui: {notice}", file=sys.stderr)
    if library.moved_aside is not None:
        library.close()
        raise PapertuiError("nothing else was done; run the command again to carry on")
    return library


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``state export`` and ``state import``."""
    state = commands.add_parser("state", help="move marks, tags, notes and saved searches")
    actions = state.add_subparsers(title="actions", metavar="ACTION", required=True,
                                   parser_class=type(state))
    export = actions.add_parser("export", help="write them all as JSON Lines")
    export.add_argument("-o", "--output", metavar="FILE", help="file to write, - for stdout (default)")
    export.set_defaults(func=cmd_state_export)
    merge = actions.add_parser("import", help="merge a state file: the newest change wins")
    merge.add_argument("file", metavar="FILE", help="a file written by papertui state export")
    merge.set_defaults(func=cmd_state_import)
