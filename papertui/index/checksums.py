"""Checksums of the index's files, recorded at every commit and verified after opening.

Whoosh never rewrites a file in place: a commit adds segment files and a new
table of contents (``_MAIN_<generation>.toc``) and removes the files no longer
used. So a recorded file that still exists must still hold what it held, and
every recorded file must exist while the newest table of contents is the one
recorded. A record made before a commit (the process died before recording)
is stale: files gone since are not damage, and new files are not checked.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from papertui.index.spelling import WORDS_FILE

CHECKSUM_FILE = "papertui-checksums.json"
_WRITE_LOCK = "MAIN_WRITELOCK"  # Whoosh's: held by every writer until its commit ends
_TOC = re.compile(r"_MAIN_(\d+)\.toc")
_CHUNK = 1 << 20
# Not checked: the fingerprint (read and checked on every open), locks, files being written.
_SKIPPED = ("papertui-fingerprint.json", CHECKSUM_FILE)
# The one file rewritten in place (replaced whole), after which it is recorded again.
_REWRITTEN = (WORDS_FILE,)


def record(directory: Path) -> None:
    """Record the checksum of every file of the index in ``directory``, atomically.

    Call it after every commit. Records are made under Whoosh's write lock,
    so no commit is half-written meanwhile, and the last one made sees every
    commit made before it. Only new files and the word list are read: Whoosh's
    files never change once written, so their recorded checksums stand (and a
    file damaged since is still found out).
    """
    with held(directory):
        before = _recorded(directory) or {}
        files = {path.name: before[path.name] if path.name in before
                 and path.name not in _REWRITTEN else checksum(path)
                 for path in _files(directory)}
        temporary = directory / (CHECKSUM_FILE + ".tmp")
        temporary.write_text(json.dumps({"toc": _newest_toc(directory), "files": files}),
                             encoding="utf-8")
        os.replace(temporary, directory / CHECKSUM_FILE)


def verify(directory: Path) -> str | None:
    """Why the index in ``directory`` is damaged, in a few words; None when it is not
    (or when no checksums were recorded: an index from before they were)."""
    try:
        recorded = json.loads((directory / CHECKSUM_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        return f"cannot read {CHECKSUM_FILE}: {error}"
    if not (isinstance(recorded, dict) and isinstance(recorded.get("files"), dict)):
        return f"{CHECKSUM_FILE} holds no checksums"
    current = recorded.get("toc") == _newest_toc(directory)
    for name, expected in sorted(recorded["files"].items()):
        try:
            found = checksum(directory / name)
        except FileNotFoundError:
            if current:
                return f"{name} is missing"
            continue
        except OSError as error:
            return f"cannot read {name}: {error.strerror or error}"
        if found != expected:
            return f"{name} does not match its checksum"
    return None


@contextmanager
def held(directory: Path) -> Iterator[None]:
    """Hold Whoosh's write lock: no commit or record is made meanwhile, so a verification
    made inside races none. Not while holding a writer of this index (it holds the lock)."""
    with open(directory / _WRITE_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def checksum(path: Path) -> str:
    """The CRC-32 of a file, read a megabyte at a time (both release the GIL)."""
    value = 0
    with open(path, "rb", buffering=0) as handle:
        while chunk := handle.read(_CHUNK):
            value = zlib.crc32(chunk, value)
    return f"{value:08x}"


def _recorded(directory: Path) -> dict[str, str] | None:
    """The checksums recorded by file name; None when none can be read."""
    try:
        found = json.loads((directory / CHECKSUM_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = found.get("files") if isinstance(found, dict) else None
    return files if isinstance(files, dict) else None


def _files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.iterdir()
                  if path.is_file() and path.name not in _SKIPPED
                  and not path.name.endswith((".tmp", "LOCK", ".lock")))


def _newest_toc(directory: Path) -> str | None:
    generations = [int(match.group(1)) for path in directory.iterdir()
                   if (match := _TOC.fullmatch(path.name))]
    return f"_MAIN_{max(generations)}.toc" if generations else None
