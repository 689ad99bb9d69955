"""Building the index in a child process, one build at a time per machine.

Whoosh indexing is pure-Python CPU work that holds the GIL, so a build in a
thread stalls the UI; a spawned child reports progress over a pipe instead.
A file lock makes a second instance wait for the first one's build.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

from papertui import index
from papertui.errors import PapertuiError


class BuildError(PapertuiError):
    """The index build failed in the child process."""


def lock_file(directory: Path) -> Path:
    """The file locked by ``build_lock``: once it exists, an index was built here."""
    return directory.with_name(directory.name + ".lock")


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


def _child(
    job: str,
    directory: Path,
    docs: Sequence[index.Doc],
    fingerprint: dict,
    keep: list[str] | None,
    conn: Connection,
) -> None:
    def progress(done: int, total: int) -> None:
        conn.send(("progress", done, total))

    try:
        if job == "build":
            index.build(directory, docs, fingerprint, progress)
        else:
            index.update(directory, docs, keep or [], fingerprint, progress)
        conn.send(("done",))
    except BaseException as error:  # reported to the parent as one line
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def run_in_child(
    job: str,
    directory: Path,
    docs: Sequence[index.Doc],
    fingerprint: dict,
    progress: Callable[[int, int], None] | None = None,
    keep: list[str] | None = None,
) -> None:
    """Run ``job`` in a spawned child, passing its progress to ``progress``.

    "build" builds a fresh index of ``docs``; "update" adds or replaces
    ``docs`` and deletes every indexed paper whose id is not in ``keep``.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(job, directory, docs, fingerprint, keep, send), daemon=True
    )
    child.start()
    send.close()
    outcome = None
    try:
        while True:
            try:
                message = receive.recv()
            except EOFError:
                break
            if message[0] == "progress" and progress:
                progress(message[1], message[2])
            elif message[0] in ("done", "error"):
                outcome = message
    finally:
        child.join()
        receive.close()
    if outcome is None or outcome[0] == "error":
        detail = outcome[1] if outcome else f"the builder exited with status {child.exitcode}"
        raise BuildError(f"index build failed: {detail}")
