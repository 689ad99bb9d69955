"""The filter language: Whoosh text syntax plus filters such as ``is:`` and ``source:``.

* Bare words are ANDed; ``OR``, ``NOT``, ``"phrases"``, ``prefix*``, ``fuzzy~``
  and the fields ``title:``, ``abstract:`` and ``author:`` work as in Whoosh.
* ``NAME:VALUE`` for a NAME in papertui.filters' registry is a filter (see
  papertui.filter_kinds for the list); a leading ``-`` negates it where allowed.
* An unknown ``is:`` value, a filter or field with nothing after it, or a bad
  filter value is a QueryError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser
from whoosh.analysis import STOP_WORDS
from whoosh.query import Every, FuzzyTerm, NullQuery, Prefix, Query, Wildcard

from papertui import filter_kinds, organise  # noqa: F401  (register the filters)
from papertui.errors import QueryError
from papertui.filters import IS, Filter, check_known, kind
from papertui.index import PLAIN_TWIN, SCHEMA

FIELD_ALIASES = {"title": "title", "abstract": "abstract", "author": "authors", "authors": "authors",
                 "note": "note"}
_TOKEN = re.compile(r'"[^"]*"?|\S+')
_FIELD = re.compile(r"^(-?)([A-Za-z]+):(.*)$", re.DOTALL)
MAX_QUERY = 2000


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query split into its text part, parsed for the index, and its filters."""

    text: Query | None = None  # None: no text to search the index with
    filters: tuple[Filter, ...] = ()


class _Parser(qparser.QueryParser):
    """Whoosh's parser, sending fuzzy and prefix terms to the unstemmed fields."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        if termclass in (FuzzyTerm, Prefix, Wildcard):
            fieldname = PLAIN_TWIN.get(fieldname, fieldname)
        elif fieldname == "authors" and removestops and text.lower() in STOP_WORDS:
            # Title and abstract drop "of"; so must authors, or "mixture of experts"
            # would require an author named "of".
            return NullQuery
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def _make_parser() -> _Parser:
    parser = _Parser(None, SCHEMA)
    parser.add_plugin(qparser.MultifieldPlugin(["title", "abstract", "authors", "note"]))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    for plugin in (qparser.RangePlugin, qparser.BoostPlugin):
        parser.remove_plugin_class(plugin)
    return parser


_PARSER = _make_parser()


def parse(query: str) -> ParsedQuery:
    """Parse a filter-bar query; QueryError says what is wrong with it."""
    if len(query) > MAX_QUERY:
        raise QueryError(f"query too long ({len(query)} characters, at most {MAX_QUERY})")
    words: list[str] = []
    filters: list[Filter] = []
    for token in _TOKEN.findall(query):
        match = _FIELD.match(token)
        if not match:
            words.append(token)
            continue
        negate, name, value = match.groups()
        name = name.lower()
        if name == IS or kind(name) is not None:
            chosen = check_known(name, value, token, bool(negate))
            if chosen not in filters:
                filters.append(chosen)
        elif name in FIELD_ALIASES:
            if not value:
                raise QueryError(f"{name}: needs a word after it, e.g. {name}:transformer")
            words.append(f"{negate}{FIELD_ALIASES[name]}:{value}")
        else:
            # "GPT-4:" or "Remark:" is text, not an unknown field.
            words.append(f"{negate}{match.group(2)} {value}".strip())
    text = " ".join(words)
    return ParsedQuery(_text_query(text) if text.strip() else None, tuple(filters))


def _text_query(text: str) -> Query | None:
    """The text part as a Whoosh query; None when nothing is left to search for."""
    try:
        parsed = _PARSER.parse(text)
    except IndexError:  # Whoosh's parser on an operator with nothing to apply to ("NOT OR")
        raise QueryError("cannot parse query: AND, OR or NOT needs a word on each side") from None
    for node in parsed.leaves():
        if isinstance(node, Every) or (
            isinstance(node, (Prefix, Wildcard)) and len(node.text.replace("*", "").replace("?", "")) < 2
        ):
            shown = getattr(node, "text", "*")
            raise QueryError(f"{shown!r} is too broad: a wildcard needs at least two letters")
    return None if isinstance(parsed, type(NullQuery)) else parsed
