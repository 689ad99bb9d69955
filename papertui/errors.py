"""The errors the core raises; each carries a one-line message for the user."""

from __future__ import annotations


class PapertuiError(Exception):
    """Base of every error papertui reports to the user as one line."""


class SourceError(PapertuiError):
    """A paper file cannot be read: the message names the file and, where known, the line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class QueryError(PapertuiError):
    """A filter query cannot be parsed; the message says why."""


class IndexNotReady(QueryError):
    """A text query arrived before the index was built."""


class SearchCancelled(PapertuiError):
    """A search was given up because a newer one made it stale."""


class IndexProblem(PapertuiError):
    """The index on disk cannot be opened; it is rebuilt."""


class StateError(PapertuiError):
    """The marks store cannot be read or written."""


class ExportError(PapertuiError):
    """An export file cannot be written: the message names the file and says why."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
