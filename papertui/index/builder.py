"""Building or updating the index in a child process, one build at a time per machine.

The build holds the GIL for seconds, so it runs in a spawned child that
reports its progress. A file lock makes a second instance wait for the first
one's build, and the folders that killed builds left behind are swept up.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from papertui.child import ChildError, Progress, run_in_child
from papertui.errors import PapertuiError
from papertui.index.build import build, update
from papertui.index.schema import Doc


class BuildError(PapertuiError):
    """The index build failed in the child process."""


def lock_file(directory: Path) -> Path:
    """The file locked by ``build_lock``: once it exists, an index was built here."""
    return directory.with_name(directory.name + ".lock")


@contextmanager
def build_lock(directory: Path) -> Iterator[None]:
    """Hold the machine-wide build lock for ``directory`` (released if we die)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file(directory), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clear_leftovers(directory: Path) -> list[Path]:
    """Remove the ``.building-PID`` and ``.old-PID`` folders that killed builds left.

    Call it under ``build_lock``. A folder whose process is still alive is kept:
    that build's parent died, but the build itself may still finish.
    """
    removed = []
    for kind in ("building", "old"):
        for folder in directory.parent.glob(f"{directory.name}.{kind}-*"):
            pid = folder.name.rsplit("-", 1)[1]
            if pid.isdigit() and _alive(int(pid)):
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return sorted(removed)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_in_child(
    directory: Path, docs: Sequence[Doc], fingerprint: dict, progress: Progress | None = None
) -> None:
    """Build a fresh index of ``docs`` in a child process; BuildError if that fails."""
    _in_child(build, directory, docs, fingerprint, progress=progress)


def update_in_child(
    directory: Path,
    add: Sequence[Doc],
    keep: Sequence[str],
    fingerprint: dict,
    progress: Progress | None = None,
) -> None:
    """Add or replace ``add`` and delete every paper not in ``keep``, in a child process."""
    _in_child(update, directory, add, list(keep), fingerprint, progress=progress)


def _in_child(job: Callable, *args: object, progress: Progress | None) -> None:
    try:
        run_in_child(job, *args, progress=progress)
    except ChildError as error:
        raise BuildError(f"index build failed: {error}") from None
