"""Write a file whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from papertui.errors import ExportError

_REASONS = {
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the path is not a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EISDIR: "it is a folder",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "the disk quota is used up"

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path``, replacing any file there in one step.

    The text goes to a temporary file in the same folder, is flushed to disk, and
    then renamed over ``path``, so a reader sees the old file or the new one, never
    half of one. On failure the temporary file is removed, the old file is left as
    it was, and ExportError says why in one line.
    """
    path = Path(path)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        reason = f"cannot write: the text is not valid Unicode ({error.reason})"
        raise ExportError(str(path), reason) from error
    temp: str | None = None
    try:
        fd, temp = _create_temp(path)
        try:
            _write_all(fd, data)
            _keep_mode(path, fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException as error:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if isinstance(error, OSError):
            raise ExportError(str(path), f"cannot write: {_reason(error)}") from error
        raise
    _sync_folder(path.parent)


def _create_temp(path: Path) -> tuple[int, str]:
    # Mode 0o666 lets the umask decide the permissions, as for any new file.
    for _ in range(100):
        temp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, _FLAGS, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(path.parent))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _keep_mode(path: Path, fd: int) -> None:
    """Give the new file the permissions of the one it replaces."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _reason(error: OSError) -> str:
    return _REASONS.get(error.errno or 0) or error.strerror or str(error)
