"""``papertui pdf ID [--open]``: download a paper's PDF (kept for next time), and open it."""

from __future__ import annotations

import argparse
import sys


def _progress(done: int, total: int | None) -> None:
    if not sys.stderr.isatty():
        return
    if total:
        width = 30
        filled = width * min(done, total) // total
        sys.stderr.write(f"\rdownloading [{'#' * filled}{'.' * (width - filled)}]"
                         f" {done // 1024} of {total // 1024} KiB")
    else:
        sys.stderr.write(f"\rdownloading {done // 1024} KiB")
    sys.stderr.flush()


def cmd_pdf(args: argparse.Namespace) -> int:
    from papertui.library import Library

    library = Library.load()
    try:
        for notice in library.notices:
            print(f"papertui: {notice}", file=sys.stderr)
        paper_id = library.resolve(args.id)
        if paper_id not in library.ids:
            print(f"papertui: no paper with id {args.id!r} (see papertui search)", file=sys.stderr)
            return 2
        try:
            if args.open:
                opened = library.open_pdf(paper_id, _progress)
            else:
                opened = str(library.download_pdf(paper_id, _progress))
        finally:
            if sys.stderr.isatty():
                sys.stderr.write("\n")
        print(opened)
        return 0
    finally:
        library.close()


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``pdf`` on the main parser's subcommands."""
    pdf = commands.add_parser("pdf", help="download a paper's PDF (kept), and print its path")
    pdf.add_argument("id", metavar="ID", help="the paper's id (arXiv id or title key)")
    pdf.add_argument("--open", action="store_true",
                     help="open it in the PDF viewer (a DOI's landing page in the browser)")
    pdf.set_defaults(func=cmd_pdf)

