"""Which words of a paper a query matched, as character spans to highlight."""

from __future__ import annotations

from dataclasses import dataclass, field

from papertui.analysis import spans

# Which indexed fields, stemmed or not, each displayed field's words are matched against.
_SHOWN = {
    "title": (("title", True), ("title_plain", False)),
    "abstract": (("abstract", True), ("abstract_plain", False)),
    "authors": (("authors", False),),
}


@dataclass(frozen=True, slots=True)
class Highlights:
    """The index terms a query matched, by indexed field."""

    terms: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, pairs: set[tuple[str, str]]) -> "Highlights":
        """Group (field, term) pairs by field."""
        grouped: dict[str, set[str]] = {}
        for name, term in pairs:
            grouped.setdefault(name, set()).add(term)
        return cls({name: frozenset(terms) for name, terms in grouped.items()})

    def __bool__(self) -> bool:
        return bool(self.terms)

    def spans(self, shown: str, text: str) -> list[tuple[int, int]]:
        """Sorted, non-overlapping spans of ``text`` to highlight in field ``shown``."""
        found: set[tuple[int, int]] = set()
        for indexed, stemmed in _SHOWN[shown]:
            found.update(spans(text, self.terms.get(indexed, frozenset()), stemmed))
        return sorted(found)


NO_HIGHLIGHTS = Highlights()
