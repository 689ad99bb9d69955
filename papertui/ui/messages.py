"""What the app's workers report back, by message (the thread-safe way out of a worker)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from papertui.library import Library, SearchResult


@dataclass(frozen=True, slots=True)
class Shown:
    """What the list shows: a query's result in one order."""

    query: str
    result: SearchResult
    order: str
    ids: list[str]


class SearchDone(Message):
    """Results for search number ``generation``; dropped unless it is the newest."""

    def __init__(self, generation: int, shown: Shown) -> None:
        super().__init__()
        self.generation = generation
        self.shown = shown


class SearchFailed(Message):
    """Search number ``generation`` could not run: a bad query, or no index yet."""

    def __init__(self, generation: int, query: str, problem: str, waiting: bool = False) -> None:
        super().__init__()
        self.generation = generation
        self.query = query
        self.problem = problem
        self.waiting = waiting


class IndexProgress(Message):
    """The index build has done ``done`` of ``total`` papers."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


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
