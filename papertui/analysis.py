"""Text analysis shared by the index, the query parser and the highlighter.

Two analyzers, both folding case and accents (``garcia`` finds "García"):

* ``STEMMED`` for ranked word and phrase search (``transformer`` finds "Transformers");
* ``PLAIN`` keeps words whole, for fuzzy and prefix terms, which miss on stems.
"""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.support.charset import accent_map

_TOKENS = r"\w+(?:\.?\w+)*"

PLAIN = RegexTokenizer(_TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)
STEMMED = PLAIN | StopFilter() | StemFilter(cachesize=200_000)


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
