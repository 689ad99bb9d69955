"""Where fetched responses are kept: one folder per feed in the data dir.

``<data dir>/feeds/<name>/`` holds each validated response as it came, written
atomically, and a marker file that makes the folder one library source named
after the feed (see papertui.sources.feed_folder). The library can be rebuilt
from these folders offline.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from papertui import paths
from papertui.catalog import read_cached
from papertui.errors import PapertuiError, SourceError
from papertui.files import replace_atomically
from papertui.sources.feed_folder import MARKER


class StoreError(PapertuiError):
    """A response could not be saved; the message names the folder and why."""


def folder(name: str) -> Path:
    """The folder of the feed called ``name``."""
    return paths.data_dir() / "feeds" / name


def paper_ids(name: str) -> set[str]:
    """The ids of the papers the feed's stored responses hold."""
    where = folder(name)
    if not (where / MARKER).exists():
        return set()
    try:
        parsed = read_cached(str(where), paths.cache_dir() / "parsed")
    except SourceError:
        return set()  # every stored response unreadable: the source list reports it
    return {paper.id for paper in parsed.papers}


def save(name: str, filename: str, body: bytes) -> bool:
    """Store one response atomically; False when an identical copy is there already.

    Skipping identical bodies keeps the folder, and so the library, untouched by a
    fetch that brought nothing new.
    """
    where = folder(name)
    target = where / filename
    try:
        if target.exists() and target.read_bytes() == body:
            return False
        where.mkdir(parents=True, exist_ok=True)
        if not (where / MARKER).exists():
            replace_atomically(where / MARKER, name.encode())
        replace_atomically(target, body)
    except OSError as error:
        raise StoreError(f"cannot save to {where}: {error.strerror or error}") from None
    return True


def unused_name(name: str, stem: str, suffix: str) -> str:
    """``stem`` + ``suffix``, or ``stem-2`` + ``suffix`` and so on when the feed holds that file:
    two responses of one second must not overwrite each other."""
    where, candidate, count = folder(name), stem + suffix, 1
    while (where / candidate).exists():
        count += 1
        candidate = f"{stem}-{count}{suffix}"
    return candidate


def holds(name: str, body: bytes) -> bool:
    """True when one of the feed's stored responses is exactly ``body``."""
    where = folder(name)
    if not where.is_dir():
        return False
    return any(path.is_file() and path.stat().st_size == len(body) and path.read_bytes() == body
               for path in where.iterdir() if not path.name.startswith("."))


def purge(name: str) -> None:
    """Delete the feed's folder and everything fetched into it."""
    try:
        shutil.rmtree(folder(name))
    except FileNotFoundError:
        pass
    except OSError as error:
        raise StoreError(f"cannot delete {folder(name)}: {error.strerror or error}") from None
