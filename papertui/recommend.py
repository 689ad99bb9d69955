"""The "for you" model of a library: built from its stars, kept until the marks change.

The model itself (papertui.index.foryou) scores every indexed paper; this
module decides when to build it: for the starred papers, with the papers read
but not starred as mild negatives, again only when either set (or the open
index) changes. At 74k papers a build after one star changed takes about
50 ms, the first after the index opens about half a second (it reads the
postings), so callers run :meth:`ForYou.model` (and the orders it gives) off
the UI's event loop; :meth:`ForYou.why` and :meth:`ForYou.status` never build.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Container, Mapping, Sequence

from papertui.index import ForYou as Model
from papertui.index import PaperIndex
from papertui.models import Mark, Paper

NO_STARS = 'No starred papers yet: "for you" shows list order until you star some'
NO_INDEX = '"for you" needs the search index: list order until it is open'

Liked = tuple[tuple[str, ...], tuple[str, ...]]  # starred ids, read-but-not-starred ids


def liked(marks: Mapping[str, Mark], known: Container[str]) -> Liked:
    """The starred ids, and the read-but-not-starred ones, of the papers in ``known``."""
    starred = sorted(pid for pid, mark in marks.items() if mark.starred and pid in known)
    read = sorted(pid for pid, mark in marks.items()
                  if mark.read and not mark.starred and pid in known)
    return tuple(starred), tuple(read)


class ForYou:
    """A library's model, read through callables so that it always sees the library's now.

    ``marks`` returns a snapshot (a plain dict) of the marks; ``known`` the ids
    in the library; ``paper`` a paper by id.
    """

    def __init__(self, opened: Callable[[], PaperIndex | None],
                 marks: Callable[[], Mapping[str, Mark]], known: Callable[[], Container[str]],
                 paper: Callable[[str], Paper]) -> None:
        self._opened, self._marks, self._known, self._paper = opened, marks, known, paper
        self._lock = threading.Lock()  # one build at a time; a second caller reuses it
        self._built: tuple[tuple[PaperIndex, Liked], Model] | None = None  # read without the lock

    def model(self) -> Model | None:
        """The model for the marks as they are, built now if they changed (blocks for a build).

        None without stars or without an open index.
        """
        opened, wanted = self._opened(), liked(self._marks(), self._known())
        if opened is None or not wanted[0]:
            return None
        with self._lock:
            if self._built is None or self._built[0] != (opened, wanted):
                self._built = ((opened, wanted), opened.for_you(*wanted, self._text))
            return self._built[1]

    def order(self) -> Callable[[Sequence[str]], list[str]] | None:
        """The model's ordering of a list of ids (building it if needed), None without one."""
        model = self.model()
        return None if model is None else model.order

    def why(self, paper_id: str) -> list[str]:
        """The three words a paper shares most with the stars; none unless the model is current."""
        opened, built = self._opened(), self._built
        current = (opened, liked(self._marks(), self._known()))
        if opened is None or built is None or built[0] != current:
            return []
        return opened.explain(built[1], self._text(paper_id))

    def status(self) -> str | None:
        """Why "for you" falls back to list order, or None when it ranks."""
        if not liked(self._marks(), self._known())[0]:
            return NO_STARS
        return NO_INDEX if self._opened() is None else None

    def _text(self, paper_id: str) -> tuple[str, str]:
        paper = self._paper(paper_id)
        return paper.title, paper.abstract
