"""Did you mean: spelling correction of query words against the index's own words.

A query word is *unknown* when no paper has it in the unstemmed fields it is
searched in (a lookup in the index's term table). Suggestions come from the
:class:`Vocabulary`, the index's words of letters with their document
frequencies, held in memory as one sorted list: a Levenshtein automaton walks
it as Whoosh's ``reader.terms_within`` walks a field's terms, but by bisection
in memory rather than on disk (a hundred times faster), and it counts a swap of two
adjacent letters as one edit (Damerau) where Whoosh's counts two.

Suggestions within one edit are looked for anywhere in the word; two edits
only when there is none within one, and only after a first letter typed right
(as Whoosh and Lucene advise: it divides the cost by 3 to 5).

Only words made of letters are corrected: never ids, numbers, prefixes,
wildcards, fuzzy terms, operators or the values of filters (``is:``,
``source:``, ``tag:``, ``since:``, ``cat:``). The rest of the query, field
prefixes, quotes and operators included, is kept character for character.
"""

from __future__ import annotations

import os
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from whoosh.automata.fsa import ANY, DFA, EPSILON, NFA
from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import damerau_levenshtein

from papertui.analysis import PLAIN, fast_words
from papertui.index.schema import PLAIN_TWIN, Doc

_TITLE, _ABSTRACT = PLAIN_TWIN["title"], PLAIN_TWIN["abstract"]
# The unstemmed fields a word is looked up in, by the field written before it.
FIELDS: dict[str | None, tuple[str, ...]] = {
    None: (_TITLE, _ABSTRACT, "authors"),
    "title": (_TITLE,),
    "abstract": (_ABSTRACT,),
    "author": ("authors",),
    "authors": ("authors",),
}
WORDS_FILE = "papertui-words.txt"  # the saved Vocabulary, beside the index's own files
MIN_LENGTH = 3  # shorter words have too many neighbours to guess from
TWO_EDITS_FROM = 5  # words this long may be two edits away; shorter ones, one
TWO_EDITS_PREFIX = 1  # letters that must be right for a suggestion two edits away
MAX_SUGGESTIONS = 5
MAX_TRIES = 8  # corrected queries ``correct`` may run before it gives up

# A quoted phrase (maybe unterminated, maybe after a field), or a run of anything else.
_TOKEN = re.compile(r'(?:[-+]?[A-Za-z]+:)?"[^"]*"?|[^\s"]+')
_FIELD = re.compile(r"^([-+]?)([A-Za-z]+):")
_WORD = re.compile(r"\w+(?:\.?\w+)*")  # the analyzer's own tokens
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_PATTERN_MARKS = set("*?~^[]{}")
HasHits = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Word:
    """A correctable word of a query: where it is, and the fields it is searched in."""

    text: str
    start: int
    end: int
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unknown:
    """A word no paper has, with its best suggestion (None when there is none)."""

    word: Word
    suggestion: str | None


class Vocabulary:
    """The words of letters in the index's unstemmed fields, sorted, with the
    number of papers that have each (summed over the fields: an upper bound)."""

    def __init__(self, words: list[str], frequencies: array) -> None:
        self.words = words
        self.frequencies = frequencies

    @classmethod
    def from_reader(cls, reader: IndexReader, fields: tuple[str, ...] = FIELDS[None]) -> "Vocabulary":
        """Read the vocabulary from the index: about a second at 74k papers."""
        counts: dict[str, int] = {}
        for field in fields:
            for term, info in reader.iter_field(field):
                word = term.decode("utf-8") if isinstance(term, bytes) else term
                if word.isalpha():
                    counts[word] = counts.get(word, 0) + info.doc_frequency()
        words = sorted(counts)
        return cls(words, array("I", (counts[w] for w in words)))

    def with_texts(self, texts: Iterable[Sequence[str]]) -> "Vocabulary":
        """This vocabulary plus the words of more papers, each given as its
        (title, abstract, authors): what an index update added. Papers it
        replaced or deleted keep their counts, which stay upper bounds."""
        counts = dict(zip(self.words, self.frequencies))
        split = fast_words(PLAIN)  # the same words, several times faster
        for text in texts:
            for field_text in text:
                found = split(field_text)[0] if split else [t.text for t in PLAIN(field_text)]
                for word in set(found):
                    if word.isalpha():
                        counts[word] = counts.get(word, 0) + 1
        words = sorted(counts)
        return Vocabulary(words, array("I", (counts[w] for w in words)))

    def save(self, path: Path) -> None:
        """Write ``word frequency`` lines, atomically."""
        temporary = path.with_name(path.name + ".tmp")
        lines = (f"{w} {f}\n" for w, f in zip(self.words, self.frequencies))
        temporary.write_text("".join(lines), encoding="utf-8")
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> "Vocabulary | None":
        """The vocabulary saved at ``path``, or None when it is missing or damaged."""
        try:
            fields = path.read_text(encoding="utf-8").split()
            words, counts = fields[0::2], array("I", map(int, fields[1::2]))
        except (OSError, UnicodeError, ValueError, OverflowError):
            return None
        if len(words) != len(counts) or any(a >= b for a, b in zip(words, words[1:])):
            return None
        return cls(words, counts)

    def frequency(self, word: str) -> int:
        """How many papers have ``word`` (0 when none)."""
        at = bisect_left(self.words, word)
        return self.frequencies[at] if at < len(self.words) and self.words[at] == word else 0

    def within(self, dfa: DFA) -> Iterator[str]:
        """The words ``dfa`` accepts, skipping through the sorted list."""
        words, at, end = self.words, 0, len(self.words)
        if not words:
            return
        term = words[0]
        while True:
            match = dfa.next_valid_string(term)
            if match is None:
                return
            at = bisect_left(words, match, at)
            if at == end:
                return
            term = words[at]
            if term == match:
                yield term
                term += "\0"


def save_words(ix: Index, folder: Path) -> None:
    """Save the vocabulary of a freshly built index in its folder."""
    with ix.reader() as reader:
        Vocabulary.from_reader(reader).save(folder / WORDS_FILE)


def update_words(ix: Index, folder: Path, added: Iterable[Doc]) -> None:
    """Bring the saved vocabulary up to date after ``added`` went into the index."""
    saved = Vocabulary.load(folder / WORDS_FILE)
    if saved is None:
        save_words(ix, folder)
    else:
        saved.with_texts(doc[1:4] for doc in added).save(folder / WORDS_FILE)


def words(query: str) -> list[Word]:
    """The words of ``query`` that spelling may correct, in order."""
    found: list[Word] = []
    for token in _TOKEN.finditer(query):
        text, start = token.group(), token.start()
        fields = FIELDS[None]
        field = _FIELD.match(text)
        if field:
            name = field.group(2).lower()
            if name not in FIELDS:
                continue  # a filter's value, or a field we know nothing about
            fields = FIELDS[name]
            start += field.end()
            text = text[field.end():]
        if text in _OPERATORS or (not text.startswith('"') and _PATTERN_MARKS & set(text)):
            continue
        for match in _WORD.finditer(text):
            word = match.group()
            if word.isalpha() and len(word) >= MIN_LENGTH:
                found.append(Word(word, start + match.start(), start + match.end(), fields))
    return found


def _folded(word: str) -> str:
    """The word as the index holds it: lower case, accents folded."""
    tokens = [token.text for token in PLAIN(word)]
    return tokens[0] if len(tokens) == 1 else word.lower()


def is_known(reader: IndexReader, word: Word) -> bool:
    """True when some paper has ``word`` in a field it is searched in."""
    term = _folded(word.text)
    return any((field, term) in reader for field in word.fields)


@lru_cache(maxsize=256)
def damerau_dfa(term: str, maxdist: int, prefix: int = 0) -> DFA:
    """A DFA accepting the strings within ``maxdist`` edits of ``term`` that
    begin with its first ``prefix`` letters. An insertion, a deletion, a
    substitution or a swap of two adjacent letters each count as one edit (the
    optimal string alignment distance); Whoosh's own automaton has no swaps."""
    nfa = NFA((0, 0))
    length = len(term)
    for i in range(prefix):
        nfa.add_transition((i, 0), term[i], (i + 1, 0))
    for i in range(prefix, length):
        char = term[i]
        for edits in range(maxdist + 1):
            nfa.add_transition((i, edits), char, (i + 1, edits))
            if edits == maxdist:
                continue
            nfa.add_transition((i, edits), ANY, (i, edits + 1))  # insertion
            nfa.add_transition((i, edits), EPSILON, (i + 1, edits + 1))  # deletion
            nfa.add_transition((i, edits), ANY, (i + 1, edits + 1))  # substitution
            if i + 1 < length and term[i + 1] != char:  # swap
                nfa.add_transition((i, edits), term[i + 1], (i, edits, "swap"))
                nfa.add_transition((i, edits, "swap"), char, (i + 2, edits + 1))
    for edits in range(maxdist + 1):
        if edits < maxdist:
            nfa.add_transition((length, edits), ANY, (length, edits + 1))
        nfa.add_final_state((length, edits))
    return nfa.to_dfa()


def _ranked(
    reader: IndexReader, vocabulary: Vocabulary, term: str, fields: tuple[str, ...], dfa: DFA
) -> list[str]:
    """The words ``dfa`` accepts that some paper has in ``fields``: fewest edits
    first, then the most papers."""
    every_field = fields == FIELDS[None]
    ranked = []
    for found in vocabulary.within(dfa):
        if found == term:
            continue
        if every_field:
            count = vocabulary.frequency(found)
        else:
            count = sum(reader.doc_frequency(field, found) for field in fields)
        if count:
            ranked.append((damerau_levenshtein(term, found), -count, found))
    return [found for _, _, found in sorted(ranked)]


def tiers(
    reader: IndexReader, vocabulary: Vocabulary, word: str, fields: tuple[str, ...] = FIELDS[None]
) -> Iterator[list[str]]:
    """The suggestions for ``word``, best first: those one edit away, then (for
    words long enough) those two edits away, each list computed when asked for."""
    term = _folded(word)
    near = _ranked(reader, vocabulary, term, fields, damerau_dfa(term, 1))
    yield near
    if len(term) >= TWO_EDITS_FROM:
        far = _ranked(reader, vocabulary, term, fields, damerau_dfa(term, 2, TWO_EDITS_PREFIX))
        yield [found for found in far if found not in near]


def suggest(
    reader: IndexReader, vocabulary: Vocabulary, word: str, fields: tuple[str, ...] = FIELDS[None]
) -> list[str]:
    """The index words nearest ``word``: fewest edits first, then the most frequent."""
    for suggestions in tiers(reader, vocabulary, word, fields):
        if suggestions:
            return suggestions[:MAX_SUGGESTIONS]
    return []


def unknown_words(reader: IndexReader, vocabulary: Vocabulary, query: str) -> list[Unknown]:
    """The words of ``query`` that no paper has, each with its best suggestion:
    what the filter bar marks while the user types."""
    unknown = []
    for word in words(query):
        if not is_known(reader, word):
            best = suggest(reader, vocabulary, word.text, word.fields)
            unknown.append(Unknown(word, best[0] if best else None))
    return unknown


def _cased(suggestion: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return suggestion.upper()
    if like[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def _replace(query: str, choices: dict[Word, str]) -> str:
    parts, last = [], 0
    for word in sorted(choices, key=lambda w: w.start):
        parts += [query[last:word.start], _cased(choices[word], word.text)]
        last = word.end
    return "".join(parts) + query[last:]


def correct(
    reader: IndexReader, vocabulary: Vocabulary, query: str, has_hits: HasHits | None = None
) -> str | None:
    """``query`` with its unknown words corrected, or None when there is nothing to correct.

    Each unknown word takes its best suggestion. With ``has_hits`` (a query
    string -> any hits?), a correction must also find something: the other
    suggestions are tried a word at a time, up to MAX_TRIES queries, so that
    the rest of the query chooses among near suggestions. When every word is
    known but the query finds nothing, any word may be the typo: each is tried
    in turn, the rarest first.
    """
    query_words = words(query)
    unknown = [word for word in query_words if not is_known(reader, word)]
    if not unknown:
        if has_hits is None or has_hits(query):
            return None
        rarest = sorted(query_words, key=lambda word: vocabulary.frequency(_folded(word.text)))
        return _first_with_hits(reader, vocabulary, query, rarest, {}, has_hits)
    best = {word: found[0] for word in unknown
            if (found := suggest(reader, vocabulary, word.text, word.fields))}
    if not best:
        return None
    corrected = _replace(query, best)
    if has_hits is None or has_hits(corrected):
        return corrected
    return _first_with_hits(reader, vocabulary, query, unknown, best, has_hits)


def _first_with_hits(
    reader: IndexReader,
    vocabulary: Vocabulary,
    query: str,
    order: list[Word],
    best: dict[Word, str],
    has_hits: HasHits,
) -> str | None:
    """Try the suggestions of one word at a time, the other words at their best."""
    tries = 0
    for word in order:
        for suggestions in tiers(reader, vocabulary, word.text, word.fields):
            for suggestion in suggestions:
                if suggestion == best.get(word):
                    continue
                if tries == MAX_TRIES:
                    return None
                tries += 1
                corrected = _replace(query, {**best, word: suggestion})
                if has_hits(corrected):
                    return corrected
    return None
