"""What the title bar says about the daily loop: a fetch, a PDF download, or how many are new.

Plain values, so that the words are tested without a terminal; the app's
ActivityBar (papertui.ui.activity) shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1_000_000


@dataclass(frozen=True, slots=True)
class Activity:
    """One state of the title bar's activity area.

    ``busy`` shows a progress bar: ``total`` None makes it indeterminate.
    """

    text: str = ""
    busy: bool = False
    done: int = 0
    total: int | None = None


def new_papers(count: int) -> Activity:
    """ "37 new"; nothing when no paper is new."""
    return Activity(f"{count:,} new" if count else "")


def fetching(feed: int, feeds: int, what: str) -> Activity:
    """ "Fetching hf-daily (1/2)" while feed number ``feed`` of ``feeds`` is fetched;
    ``what`` is "name: what it is doing"."""
    name = what.split(": ", 1)[0]
    return Activity(f"Fetching {name} ({feed}/{feeds})", True, feed - 1, feeds)


def starting_fetch() -> Activity:
    return Activity("Fetching the feeds…", True)


def downloading(paper_id: str, done: int, total: int | None, cancel_key: str) -> Activity:
    """ "PDF 2401.00001 1.2/3.4 MB · Esc cancels", with a bar (indeterminate without a size)."""
    size = f"{done / MB:.1f}/{total / MB:.1f} MB" if total else f"{done / MB:.1f} MB"
    return Activity(f"PDF {paper_id} {size} · {cancel_key} cancels", True, done, total)
