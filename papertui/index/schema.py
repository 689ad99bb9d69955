"""What the index holds: its schema, and the indexed text of a paper."""

from __future__ import annotations

from whoosh.fields import ID, TEXT, Schema

from papertui.analysis import PLAIN, STEMMED
from papertui.models import Paper

# Bump when the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 2
Doc = tuple[str, str, str, str, str]  # id, title, abstract, authors, note

SCHEMA = Schema(
    id=ID(stored=True, unique=True, sortable=True),
    title=TEXT(analyzer=STEMMED, field_boost=3.0),
    abstract=TEXT(analyzer=STEMMED),
    authors=TEXT(analyzer=PLAIN, field_boost=1.5),
    title_plain=TEXT(analyzer=PLAIN, phrase=False),
    abstract_plain=TEXT(analyzer=PLAIN, phrase=False),
    note=TEXT(analyzer=STEMMED),
)
# Fuzzy and prefix terms are looked up in the unstemmed twin of a stemmed field.
PLAIN_TWIN = {"title": "title_plain", "abstract": "abstract_plain"}


def doc_of(paper: Paper, note: str = "") -> Doc:
    """The indexed text of a paper and the user's note on it, small enough to send to a child."""
    return (paper.id, paper.title, paper.abstract, "; ".join(paper.authors), note)


def fields_of(doc: Doc) -> dict[str, str]:
    """A document's value for every field of SCHEMA."""
    paper_id, title, abstract, authors, note = doc
    return {
        "id": paper_id,
        "title": title,
        "abstract": abstract,
        "authors": authors,
        "title_plain": title,
        "abstract_plain": abstract,
        "note": note,
    }
