"""What the tag editor's one line means: the tags to keep or add, and ``-tag`` to remove.

The line starts with the tags every chosen paper has; the user edits it as a
list. A tag left off the line is removed, a new one is added, ``-name``
removes a tag from every paper (also one that only some of them have).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from papertui.organise import normalise_tag

_SPLIT = re.compile(r"[,\s]+")


@dataclass(frozen=True, slots=True)
class TagEdit:
    """Tags to add to and remove from every chosen paper."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


def start_text(common: Iterable[str]) -> str:
    """The line the editor opens with: the shared tags, ready for one more."""
    tags = list(common)
    return ", ".join(tags) + ", " if tags else ""


def parse(text: str, common: Sequence[str]) -> TagEdit:
    """The edit that ``text`` asks for; OrganiseError names a bad tag."""
    kept: dict[str, None] = {}
    dropped: dict[str, None] = {}
    for word in filter(None, _SPLIT.split(text)):
        if word.startswith("-") and len(word) > 1:
            dropped[normalise_tag(word[1:])] = None
        else:
            kept[normalise_tag(word.lstrip("+"))] = None
    add = [tag for tag in kept if tag not in common and tag not in dropped]
    remove = [tag for tag in common if tag not in kept] + [t for t in dropped if t not in common]
    return TagEdit(tuple(add), tuple(dict.fromkeys(remove)))


def complete(text: str, tags: Sequence[str]) -> str | None:
    """``text`` with its last word completed from ``tags`` (most used first); None for no match."""
    match = re.search(r"[-+]?([^,\s-][^,\s]*)$", text)
    if match is None:
        return None
    word = match.group(1).casefold()
    for tag in tags:
        if tag.startswith(word) and tag != word:
            return text + tag[len(word):]
    return None
