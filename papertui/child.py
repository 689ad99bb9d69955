"""Running a job in a spawned child process, its progress piped back to the parent.

Building the index and parsing a large source are pure-Python CPU work that
holds the GIL: in a thread they stall the UI. In a spawned child they do not,
and the child reports its progress, then its result or its error, over a pipe.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection

from papertui.errors import PapertuiError

# progress(done, total, phase): ``phase`` names the step ("reading", "indexing",
# "writing", ...); ``done`` counts within it.
Progress = Callable[[int, int, str], None]


class ChildError(PapertuiError):
    """The job failed in the child process (or the child died); says why in one line."""


def _run(job: Callable, args: tuple, reports: bool, conn: Connection) -> None:
    def progress(done: int, total: int, phase: str = "") -> None:
        conn.send(("progress", done, total, phase))

    try:
        result = job(*args, progress=progress) if reports else job(*args)
        conn.send(("done", result))
    except BaseException as error:  # reported to the parent as one line
        conn.send(("error", str(error) if isinstance(error, PapertuiError)
                   else f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def run_in_child(job: Callable, *args: object, progress: Progress | None = None) -> object:
    """Run ``job(*args)`` in a spawned child, block until it ends, and return its result.

    ``job`` and ``args`` must pickle (``job`` a module-level function). With
    ``progress``, the job is also given ``progress=``, a function whose calls
    reach ``progress`` here. ChildError when the job raised or the child died.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(job, args, progress is not None, send), daemon=True)
    child.start()
    send.close()
    outcome = None
    try:
        while outcome is None:
            try:
                message = receive.recv()
            except EOFError:
                break
            if message[0] == "progress" and progress:
                progress(message[1], message[2], message[3])
            elif message[0] in ("done", "error"):
                outcome = message
    finally:
        child.join()
        receive.close()
    if outcome is None:
        raise ChildError(f"the child process exited with status {child.exitcode}")
    if outcome[0] == "error":
        raise ChildError(outcome[1])
    return outcome[1]
