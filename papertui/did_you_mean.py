"""Did you mean: what the filter bar says about a query's spelling, and what ctrl+r searches.

The library corrects a query that finds nothing and shows the correction's
results (``SearchResult.corrected``); for a query that finds something it only
offers one (``suggestion``), and it marks the words no paper has (``unknown``).
``Spelling`` remembers a correction the user turned down, so that the query
is then searched as typed until it changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from papertui.searching import SearchResult


def quoted(text: str) -> str:
    """A query inside a sentence (the filter bar italicises what is quoted so)."""
    return f"“{text}”"


def marks(result: SearchResult) -> str:
    """Each unknown word with its suggestion: "trasnformer? → transformer"."""
    return " · ".join(f"{u.word}? → {u.suggestion}" if u.suggestion else f"{u.word}? (no paper has it)"
                      for u in result.unknown)


@dataclass(slots=True)
class Spelling:
    """The correction turned down for one query (ctrl+r), if any."""

    typed: str | None = None
    declined: str = ""

    def asked(self, query: str) -> bool:
        """Whether to correct ``query``: yes, unless its correction was turned down."""
        if query != self.typed:
            self.typed, self.declined = None, ""
        return self.typed is None

    def note(self, result: SearchResult) -> str:
        """What to say under the query about its spelling; "" for nothing."""
        if result.corrected:
            return (f"Showing results for {quoted(result.corrected)}; "
                    f"search instead for {quoted(result.query)} (ctrl+r)")
        if self.typed == result.query and self.declined:
            return (f"Showing results for {quoted(result.query)} as typed; "
                    f"search for {quoted(self.declined)} (ctrl+r)")
        said = marks(result)
        if result.suggestion:
            return f"{said} · did you mean {quoted(result.suggestion)}? (ctrl+r)"
        return said

    def switch(self, result: SearchResult) -> str | None:
        """ctrl+r: the query to search instead of ``result``'s; None when there is none.

        Shown a correction, search what was typed (as typed); shown that, the
        correction again; offered one, search it.
        """
        if result.corrected:
            self.typed, self.declined = result.query, result.corrected
            return result.query
        if self.typed == result.query and self.declined:
            self.typed, self.declined = None, ""
            return result.query
        return result.suggestion
