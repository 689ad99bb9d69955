"""Replacing a small file whole or not at all (config, fetched responses)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_atomically(path: Path, data: bytes, prefix: str = ".tmp-") -> None:
    """Write ``data`` to a temporary file beside ``path``, sync it, then rename it over
    ``path``; on any error the temporary file is removed and the old file stays. OSError.

    The temporary name starts with "." so that a reader of the folder skips it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
