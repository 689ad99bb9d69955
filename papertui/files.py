"""Replacing a file whole or not at all (config, fetched responses, downloaded PDFs)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def replacing(path: Path, prefix: str = ".tmp-", suffix: str = ".tmp") -> Iterator[BinaryIO]:
    """A temporary file beside ``path`` to write into; when the block ends it is synced and
    renamed over ``path``. On any error (in the block too) it is removed and the old file
    stays. OSError.

    The temporary name starts with "." so that a reader of the folder skips it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def replace_atomically(path: Path, data: bytes, prefix: str = ".tmp-") -> None:
    """Write ``data`` over ``path`` whole or not at all (see ``replacing``). OSError."""
    with replacing(path, prefix) as out:
        out.write(data)
