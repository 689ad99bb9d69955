"""Editing a note in the user's editor ($VISUAL, else $EDITOR) as a Markdown file."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from papertui.errors import PapertuiError


def editor(environ: Mapping[str, str] = os.environ) -> str | None:
    """The editor command the user set, None when neither $VISUAL nor $EDITOR is."""
    return environ.get("VISUAL", "").strip() or environ.get("EDITOR", "").strip() or None


def edit_text(command: str, text: str, title: str) -> str:
    """``text`` after the user edited it as a Markdown file in ``command``.

    PapertuiError when the editor cannot run or exits with an error (the note is then unchanged).
    """
    handle, name = tempfile.mkstemp(prefix="papertui-note-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        try:
            status = subprocess.run([*shlex.split(command), name]).returncode
        except (OSError, ValueError) as error:
            why = getattr(error, "strerror", None) or str(error)
            raise PapertuiError(f"cannot run the editor {command!r}: {why}") from None
        if status != 0:
            raise PapertuiError(f"the editor exited with status {status}; the note on"
                                f" {title!r} is unchanged")
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
