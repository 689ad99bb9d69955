"""What the reader was showing when it quit: the query and the paper under the cursor.

A small JSON file in the data dir, written atomically; anything wrong with it
just means starting fresh. It is saved as it changes (the screen asks a
``Keeper`` every ``EVERY`` seconds), so a killed app reopens where it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from papertui import paths

EVERY = 1.0  # seconds between checks for a changed session


@dataclass(frozen=True, slots=True)
class Session:
    query: str = ""
    paper_id: str | None = None


def session_file() -> Path:
    return paths.data_dir() / "ui-state.json"


def load(path: Path | None = None) -> Session:
    """The last session, or an empty one."""
    try:
        data = json.loads((path or session_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Session()
    if not isinstance(data, dict):
        return Session()
    query = data.get("query")
    paper_id = data.get("paper_id")
    return Session(
        query if isinstance(query, str) else "",
        paper_id if isinstance(paper_id, str) else None,
    )


def save(session: Session, path: Path | None = None) -> bool:
    """Write the session atomically; False if it could not be written."""
    path = path or session_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".ui-state-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"query": session.query, "paper_id": session.paper_id}, out)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


class Keeper:
    """Saves what ``now()`` returns whenever it differs from what was saved last."""

    def __init__(self, now: Callable[[], Session], path: Path | None = None) -> None:
        self._now = now
        self._path = path
        self._saved: Session | None = None

    def keep(self) -> None:
        current = self._now()
        if current != self._saved and save(current, self._path):
            self._saved = current
