"""Text analysis shared by the index, the query parser and the highlighter.

Two analyzers, both folding case and accents (``garcia`` finds "García"):

* ``STEMMED`` for ranked word and phrase search (``transformer`` finds "Transformers");
* ``PLAIN`` keeps words whole, for fuzzy and prefix terms, which miss on stems.

Indexing runs the same analysis through :func:`fast_words`, a fused loop that
gives the very same words and positions as the analyzer chain at a third of
its cost; the chain itself still serves queries and highlighting.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

_TOKENS = r"\w+(?:\.?\w+)*"

PLAIN = RegexTokenizer(_TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)
STEMMED = PLAIN | StopFilter() | StemFilter(cachesize=200_000)

# Words of one text, and the position of the first one (the rest follow on).
Words = Callable[[str], tuple[list[str], int]]


def spans(text: str, terms: frozenset[str], stemmed: bool) -> list[tuple[int, int]]:
    """Character spans of the words in ``text`` whose analysed form is in ``terms``."""
    if not terms or not text:
        return []
    analyzer = STEMMED if stemmed else PLAIN
    return [
        (token.startchar, token.endchar)
        for token in analyzer(text, chars=True, removestops=False)
        if token.text in terms
    ]


def fast_words(analyzer: object) -> Words | None:
    """A fused equivalent of ``analyzer`` for indexing, or None if it has another shape.

    Understands a RegexTokenizer, then a LowercaseFilter and a CharsetFilter,
    then optionally a StopFilter (renumbering) and a StemFilter: the shapes of
    PLAIN and STEMMED, whether these objects or copies unpickled from an index.
    """
    items = list(analyzer.items) if isinstance(analyzer, CompositeAnalyzer) else []
    shape = [type(item) for item in items]
    if shape[:3] != [RegexTokenizer, LowercaseFilter, CharsetFilter] or items[0].gaps:
        return None
    find_words = items[0].expression.findall
    if items[0].expression.groups:
        return None  # findall would return groups, not whole matches
    charmap = items[2].charmap
    if any(charmap.get(code, code) not in (code, chr(code)) for code in range(128)
           if chr(code) == chr(code).lower()):
        return None  # the charmap changes lower-case ASCII: no ASCII shortcut
    if shape[3:] == []:
        def plain(text: str) -> tuple[list[str], int]:
            words = [word.lower() for word in find_words(text)]
            return [w if w.isascii() else w.translate(charmap) for w in words], 0
        return plain
    if shape[3:] != [StopFilter, StemFilter]:
        return None
    stop, stemmer = items[3], items[4]
    if stop.max is not None or not stop.renumber or stemmer.lang or stemmer.ignore:
        return None
    stops, minsize, stemfn = stop.stops, stop.min, stemmer.stemfn
    stems: dict[str, str] = {}

    def stemmed(text: str) -> tuple[list[str], int]:
        words: list[str] = []
        first = 0
        for position, word in enumerate(find_words(text)):
            word = word.lower()
            if not word.isascii():
                word = word.translate(charmap)
            if len(word) < minsize or word in stops:
                continue
            stem = stems.get(word)
            if stem is None:
                stem = stems[word] = stemfn(word)
            if not words:
                first = position
            words.append(stem)
        return words, first

    return stemmed
