"""The organising commands: ``tag``, ``tags``, ``note`` and ``saved``.

Bad input (a tag name, an unknown paper id or saved search, a query that does
not parse, no editor for ``note --edit``) is one line and exit status 2.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable

from papertui.errors import PapertuiError, QueryError

Command = Callable[[argparse.Namespace], int]


class BadInput(PapertuiError):
    """Input a command cannot act on: exit status 2."""


def _usage_errors(command: Command) -> Command:
    """Bad input to an organising command is one line and exit status 2."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from papertui.organise import OrganiseError

        try:
            return command(args)
        except (BadInput, OrganiseError, QueryError) as error:
            print(f"papertui: {error}", file=sys.stderr)
            return 2

    return run


def _library():
    from papertui.library import Library

    library = Library.load()
    for notice in library.notices:
        print(f"papertui: {notice}", file=sys.stderr)
    return library


def _paper_ids(library, given: list[str]) -> list[str]:
    """The canonical ids; hidden papers count too. BadInput names an unknown one."""
    ids = []
    for one in given:
        pid = library.resolve(one)
        try:
            library.paper(pid)
        except KeyError:
            raise BadInput(f"no paper with id {one!r} (see papertui search)") from None
        ids.append(pid)
    return ids


@_usage_errors
def cmd_tag(args: argparse.Namespace) -> int:
    from papertui.organise import parse_tags

    if args.rename:
        if args.ids or args.add or args.remove:
            raise BadInput("--rename takes no ids, --add or --remove")
        library = _library()
        change = library.organise.rename_tag(*args.rename)
        print(change.label if change else f"no paper has the tag {args.rename[0]!r}")
        return 0
    add, remove = parse_tags(args.add or ""), parse_tags(args.remove or "")
    if not args.ids or not (add or remove):
        raise BadInput("say which papers and what to change: tag ID... --add a,b --remove c")
    library = _library()
    ids = _paper_ids(library, args.ids)
    library.organise.change_tags(ids, add, remove)
    for pid in ids:
        print(f"{pid}\t{' '.join(library.organise.tags_of(pid))}")
    return 0


@_usage_errors
def cmd_tags(args: argparse.Namespace) -> int:
    library = _library()
    _index_if_needed(library, [])
    for tag, count in library.organise.tag_counts().items():
        print(f"{count}\t{tag}")
    return 0


@_usage_errors
def cmd_note(args: argparse.Namespace) -> int:
    from papertui.note_editing import edit_text, editor as chosen_editor

    editor = chosen_editor()
    if args.edit and not editor:
        raise BadInput("note --edit needs an editor: set $VISUAL or $EDITOR (or use --set TEXT)")
    library = _library()
    [pid] = _paper_ids(library, [args.id])
    if args.set is None and not args.clear and not args.edit:
        print(library.organise.note(pid))
        return 0
    if args.edit:
        text = edit_text(editor, library.organise.note(pid), library.paper(pid).title)
    else:
        text = "" if args.clear else args.set
    change = library.organise.set_note(pid, text)
    print(f"{pid}: {change.label if change else 'note unchanged'}", file=sys.stderr)
    return 0


@_usage_errors
def cmd_saved(args: argparse.Namespace) -> int:
    library = _library()
    saved = library.organise.saved()
    _index_if_needed(library, [s.query for s in saved])
    counts = library.organise.counts([s.query for s in saved])
    print("name\tquery\tcount\tunread\tnew")
    for search, count in zip(saved, counts):
        numbers = count.problem or f"{count.total}\t{count.unread}\t{count.new}"
        print(f"{search.name}\t{search.query}\t{numbers}")
    return 0


def _index_if_needed(library, queries: list[str]) -> None:
    """Open the index (building it if need be) when a query or a hide rule searches text."""
    from papertui.query import parse

    for query in [*queries, *library.organise.hide_rules]:
        try:
            if parse(query).text is not None:
                library.ensure_index()
                return
        except QueryError:
            continue


@_usage_errors
def cmd_saved_add(args: argparse.Namespace) -> int:
    library = _library()
    library.organise.add_saved(args.name, args.query)
    print(f"saved {args.name!r}: {args.query}", file=sys.stderr)
    return 0


@_usage_errors
def cmd_saved_remove(args: argparse.Namespace) -> int:
    removed = _library().organise.remove_saved(args.name)
    print(f"removed {removed.name!r}: {removed.query}", file=sys.stderr)
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``tag``, ``tags``, ``note`` and ``saved`` to the command line."""
    tag = commands.add_parser("tag", help="add or remove tags on papers, or rename a tag")
    tag.add_argument("ids", nargs="*", metavar="ID", help="the papers to tag")
    tag.add_argument("--add", metavar="TAGS", help="comma-separated tags to add")
    tag.add_argument("--remove", metavar="TAGS", help="comma-separated tags to remove")
    tag.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"),
                     help="give every paper tagged OLD the tag NEW instead")
    tag.set_defaults(func=cmd_tag)

    tags = commands.add_parser("tags", help="list the tags in use, each with its count")
    tags.set_defaults(func=cmd_tags)

    note = commands.add_parser("note", help="print, set, edit or clear a paper's note")
    note.add_argument("id", metavar="ID", help="the paper")
    how = note.add_mutually_exclusive_group()
    how.add_argument("--set", metavar="TEXT", help="the note's new text")
    how.add_argument("--edit", action="store_true", help="edit it in $VISUAL or $EDITOR")
    how.add_argument("--clear", action="store_true", help="remove the note")
    note.set_defaults(func=cmd_note)

    saved = commands.add_parser("saved", help="list saved searches with their counts")
    saved.set_defaults(func=cmd_saved)
    actions = saved.add_subparsers(title="actions", metavar="ACTION",
                                   parser_class=type(saved))
    add = actions.add_parser("add", help="save a search")
    add.add_argument("name", metavar="NAME", help="its name in the sidebar")
    add.add_argument("query", metavar="QUERY", help="a query in the filter bar's language")
    add.set_defaults(func=cmd_saved_add)
    remove = actions.add_parser("remove", help="forget a saved search")
    remove.add_argument("name", metavar="NAME", help="its name")
    remove.set_defaults(func=cmd_saved_remove)
