"""The filter language: Whoosh text syntax plus ``is:`` and ``source:`` filters.

* Bare words are ANDed; ``OR``, ``NOT``, ``"phrases"``, ``prefix*``, ``fuzzy~``
  and the fields ``title:``, ``abstract:`` and ``author:`` work as in Whoosh.
* ``is:read``, ``is:unread``, ``is:starred``, ``is:unstarred`` filter on marks;
  ``source:NAME`` on the file a paper came from (a unique prefix will do).
* Any other ``is:`` value, or a field with nothing after it, is a QueryError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser
from whoosh.analysis import STOP_WORDS
from whoosh.query import Every, FuzzyTerm, NullQuery, Prefix, Query, Wildcard

from papertui.errors import QueryError
from papertui.index import PLAIN_TWIN, SCHEMA

IS_VALUES = {"read": ("read", True), "unread": ("read", False),
             "starred": ("starred", True), "unstarred": ("starred", False)}
FIELD_ALIASES = {"title": "title", "abstract": "abstract", "author": "authors", "authors": "authors"}
_TOKEN = re.compile(r'"[^"]*"?|\S+')
_FIELD = re.compile(r"^(-?)([A-Za-z]+):(.*)$", re.DOTALL)
MAX_QUERY = 2000


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query split into its text part and its filters."""

    text: str = ""
    read: frozenset[bool] = frozenset()
    starred: frozenset[bool] = frozenset()
    sources: tuple[str, ...] = ()

    @property
    def has_text(self) -> bool:
        """True when there is a text part to search the index with."""
        return bool(self.text.strip())


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
    parser.add_plugin(qparser.MultifieldPlugin(["title", "abstract", "authors"]))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    for plugin in (qparser.RangePlugin, qparser.BoostPlugin):
        parser.remove_plugin_class(plugin)
    return parser


_PARSER = _make_parser()


def split(query: str) -> ParsedQuery:
    """Take the ``is:`` and ``source:`` filters out of a query string."""
    if len(query) > MAX_QUERY:
        raise QueryError(f"query too long ({len(query)} characters, at most {MAX_QUERY})")
    words: list[str] = []
    read: set[bool] = set()
    starred: set[bool] = set()
    sources: list[str] = []
    for token in _TOKEN.findall(query):
        match = _FIELD.match(token)
        if not match:
            words.append(token)
            continue
        negate, name, value = match.groups()
        name = name.lower()
        if name == "is":
            if negate or value.lower() not in IS_VALUES:
                raise QueryError(
                    f"unknown filter {token!r}: use is:read, is:unread, is:starred or is:unstarred"
                )
            flag, wanted = IS_VALUES[value.lower()]
            (read if flag == "read" else starred).add(wanted)
        elif name == "source":
            if negate or not value:
                raise QueryError("source: needs a source name, e.g. source:d2l.bib")
            sources.append(value)
        elif name in FIELD_ALIASES:
            if not value:
                raise QueryError(f"{name}: needs a word after it, e.g. {name}:transformer")
            words.append(f"{negate}{FIELD_ALIASES[name]}:{value}")
        else:
            # "GPT-4:" or "Note:" is text, not an unknown field.
            words.append(f"{negate}{match.group(2)} {value}".strip())
    return ParsedQuery(" ".join(words), frozenset(read), frozenset(starred), tuple(sources))


def to_whoosh(text: str) -> Query:
    """Parse the text part into a Whoosh query; QueryError when it cannot be."""
    try:
        parsed = _PARSER.parse(text)
    except Exception as error:  # Whoosh raises assorted errors on odd input.
        raise QueryError(f"cannot parse query: {error}") from None
    for node in parsed.leaves():
        if node.__class__.__name__ == "ErrorQuery":
            raise QueryError(f"cannot parse query near {text!r}")
        if isinstance(node, Every) or (
            isinstance(node, (Prefix, Wildcard)) and len(node.text.replace("*", "").replace("?", "")) < 2
        ):
            shown = getattr(node, "text", "*")
            raise QueryError(f"{shown!r} is too broad: a wildcard needs at least two letters")
    return parsed
