"""Author names split into family name, given names and suffix, as RIS and CSL want them."""

from __future__ import annotations

from typing import NamedTuple

from .item import one_line

_PARTICLES = frozenset("da de del della der di dos du la le van von ten ter".split())
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())


class Name(NamedTuple):
    """One person's name; ``family`` keeps its particles ("van der Berg")."""

    family: str
    given: str
    suffix: str = ""


def split_name(author: str) -> Name | None:
    """"Jan van der Berg Jr." as ("van der Berg", "Jan", "Jr.").

    None for a name that is not written "given family": one word, an
    organisation ("... and ..."), or one already inverted with a comma.
    """
    words = one_line(author).split(" ")
    if "," in author or len(words) < 2 or "and" in (word.lower() for word in words):
        return None
    suffix = words.pop() if words[-1].lower() in _SUFFIXES and len(words) > 2 else ""
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Name(" ".join(words[start:]), " ".join(words[:start]), suffix)


def split_inverted(author: str) -> Name | None:
    """"O'Brien, Conan" as its parts; None for any other form.

    Three parts are left alone: BibTeX reads them "Last, Jr, First" and RIS
    "Last, First, Jr", so which is which cannot be told.
    """
    parts = [part.strip() for part in one_line(author).split(",")]
    if len(parts) != 2 or not all(parts) or "and" in author.lower().split():
        return None
    return Name(parts[0], parts[1])
