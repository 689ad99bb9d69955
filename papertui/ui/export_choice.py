"""Where the export dialog starts: the last folder and format used, else the user's documents.

The last choice is a small JSON file in the data dir, written atomically after
each export; anything wrong with it just means starting from the defaults.
The default folder is the user's documents folder, else downloads, else home:
never the current folder, where a checkout would gain a stray file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from papertui import export, paths
from papertui.errors import ExportError


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """The folder to export to and the format (one of ``export.FORMATS``)."""

    folder: Path
    format: str = "md"


def choice_file() -> Path:
    return paths.data_dir() / "export-choice.json"


def default_folder() -> Path:
    """The user's documents folder, else downloads, else home (whichever exists first)."""
    for folder in (platformdirs.user_documents_dir(), platformdirs.user_downloads_dir()):
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


def load(path: Path | None = None) -> ExportChoice:
    """The last choice, where its folder still exists and its format is still offered."""
    fallback = ExportChoice(default_folder())
    try:
        data = json.loads((path or choice_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return fallback
    if not isinstance(data, dict):
        return fallback
    folder, fmt = data.get("folder"), data.get("format")
    return ExportChoice(
        Path(folder) if isinstance(folder, str) and Path(folder).is_dir() else fallback.folder,
        fmt if fmt in export.FORMATS else fallback.format,
    )


def save(choice: ExportChoice, path: Path | None = None) -> bool:
    """Remember ``choice`` atomically; False if it could not be written."""
    text = json.dumps({"folder": str(choice.folder), "format": choice.format})
    path = path or choice_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        export.write_atomic(path, text)
    except (ExportError, OSError):
        return False
    return True
