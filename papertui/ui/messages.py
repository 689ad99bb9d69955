"""What the main screen's workers report back, by message (the thread-safe way out of a worker)."""

from __future__ import annotations

import threading

from textual.message import Message

from papertui.library import Library
from papertui.reader import Answer


class SearchAnswered(Message):
    """A search finished; the reader drops the answer unless it is for the newest request.

    ``painted`` is set once the screen has shown it (or dropped it): the search worker
    waits for that before it takes the CPU again for the complete list.
    """

    def __init__(self, answer: Answer) -> None:
        super().__init__()
        self.answer = answer
        self.painted = threading.Event()


class IndexProgress(Message):
    """The index build has done ``done`` of ``total`` in its ``phase`` ("indexing", "writing" …)."""

    def __init__(self, done: int, total: int, phase: str = "indexing") -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.phase = phase


class IndexReady(Message):
    """Text search is available; ``built`` says whether a build ran."""

    def __init__(self, built: bool) -> None:
        super().__init__()
        self.built = built


class SimilarFound(Message):
    """The papers most like ``paper_id``."""

    def __init__(self, paper_id: str, similar: list[str]) -> None:
        super().__init__()
        self.paper_id = paper_id
        self.similar = similar


class LibraryLoaded(Message):
    """The full library, read in the background, is ready to replace the preview."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
