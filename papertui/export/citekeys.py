"""BibTeX citation keys that name one paper, the same one in every export.

A key is ``<first author's last name><year><first significant title word>-<tag>``,
e.g. ``kaplan2020scaling-k3q7z``; with no usable author name it is
``<title word><year>-<tag>``. The tag is five letters or digits hashed from the
paper id.

Why every key carries the tag: readable keys collide (``wang2024survey`` names
dozens of LLM papers), and any rule that disambiguates only on collision, by
a/b/c or by a hash, changes a paper's key whenever a namesake joins or leaves
the export, which breaks the ``\\cite`` commands of a document written against
an earlier export. A key that is a function of the paper alone cannot change.

Two papers with the same readable part and the same tag would still clash within
one export: one pair in 60 million, so even 300 namesakes in one export clash
less than once in a thousand exports. ``assign_keys`` then lengthens the tags of
those papers only. That is the single case where a key depends on its neighbours,
and it is deterministic: the export order never matters.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from papertui.models import Paper, normalise_title

from .item import year_of

_SKIPPED_WORDS = frozenset(
    "a an and are as at by can do does for from how in into is it its of on or our"
    " the to toward towards via vs we what when where which who why with your".split()
)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NOT_KEY_CHARS = re.compile(r"[^a-z0-9]")
_TAG_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_TAG_LENGTH = 5


def citation_key(paper: Paper) -> str:
    """The paper's citation key, which depends on nothing but the paper."""
    return _key(paper, _TAG_LENGTH)


def assign_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Map each paper id to its citation key, unique within ``papers``."""
    by_id = {paper.id: paper for paper in papers}
    keys = {paper_id: citation_key(paper) for paper_id, paper in by_id.items()}
    tag_length = _TAG_LENGTH
    while clashing := _clashing_ids(keys):
        tag_length *= 2
        for paper_id in clashing:
            keys[paper_id] = _key(by_id[paper_id], tag_length)
    return keys


def _clashing_ids(keys: dict[str, str]) -> list[str]:
    ids_by_key: dict[str, list[str]] = defaultdict(list)
    for paper_id, key in keys.items():
        ids_by_key[key].append(paper_id)
    return [paper_id for ids in ids_by_key.values() if len(ids) > 1 for paper_id in ids]


def _key(paper: Paper, tag_length: int) -> str:
    word = _title_word(paper.title)
    year = year_of(paper) or ""
    author = _last_name(paper.authors[0]) if paper.authors else ""
    readable = f"{author}{year}{word}" if author else f"{word or 'paper'}{year}"
    return f"{readable}-{_tag(paper.id, tag_length)}"


def _tag(paper_id: str, length: int) -> str:
    number = int.from_bytes(hashlib.sha256(paper_id.encode("utf-8")).digest(), "big")
    chars = []
    for _ in range(length):
        number, digit = divmod(number, len(_TAG_ALPHABET))
        chars.append(_TAG_ALPHABET[digit])
    return "".join(chars)


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: ``"O'Brién"`` becomes ``"obrien"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _NOT_KEY_CHARS.sub("", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _last_name(author: str) -> str:
    if "," in author:  # "Last, First" as BibTeX writes it
        return _fold(author.split(",", 1)[0])
    words = author.split()
    while len(words) > 1 and _fold(words[-1]) in _NAME_SUFFIXES:
        words.pop()
    return _fold(words[-1]) if words else ""


def _title_word(title: str) -> str:
    for word in normalise_title(title).split():
        folded = _fold(word)
        if folded and folded not in _SKIPPED_WORDS and not folded.isdigit():
            return folded
    return ""
