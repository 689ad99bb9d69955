"""The fingerprint an index was built with: the schema version and the sources' stamps.

A fingerprint that differs from the library's means an update or a rebuild;
no fingerprint means the index is to be rebuilt (see :func:`forget`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh import index as whoosh_index

FINGERPRINT_FILE = "papertui-fingerprint.json"


class UnreadableFingerprint(ValueError):
    """The fingerprint file is there but cannot be read: the index is damaged."""


def read_fingerprint(directory: Path) -> dict | None:
    """The fingerprint the index was built with, None when there is none.

    UnreadableFingerprint when the file cannot be read or holds no fingerprint.
    """
    path = directory / FINGERPRINT_FILE
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        raise UnreadableFingerprint(f"cannot read {path.name}: {error}") from None
    if not (isinstance(found, dict) and isinstance(found.get("sources"), list)):
        raise UnreadableFingerprint(f"{path.name} holds no fingerprint")
    return found


def write_fingerprint(directory: Path, fingerprint: dict) -> None:
    """Save the fingerprint atomically: the index is current only once it is there."""
    temporary = directory / (FINGERPRINT_FILE + ".tmp")
    temporary.write_text(json.dumps(fingerprint), encoding="utf-8")
    os.replace(temporary, directory / FINGERPRINT_FILE)


def exists(directory: Path) -> bool:
    """True when ``directory`` holds a Whoosh index, current, damaged or not."""
    if not directory.is_dir():
        return False
    try:
        return whoosh_index.exists_in(str(directory))
    except Exception:  # a table of contents Whoosh cannot read: still an index, a damaged one
        return True


def forget(directory: Path) -> None:
    """Mark the index as out of date, so that it is rebuilt."""
    try:
        (directory / FINGERPRINT_FILE).unlink()
    except FileNotFoundError:
        pass
