"""No tracebacks on screen: unexpected errors go to the log file, the user gets one line.

``guarded`` wraps a handler or action so that an exception in it is logged and
shown as a notice, and the app keeps running. (Left to Textual, an exception
in a handler exits the app; PaperApp sends what Textual prints then to the log.)
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from papertui import paths

MAX_LOG_BYTES = 1_000_000


def log_exception(error: BaseException, context: str = "") -> Path:
    """Append the error's traceback to the log file and return the file's path."""
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    return log_text("".join(lines), context)


def log_text(text: str, context: str = "") -> Path:
    """Append ``text`` (a traceback) to the log file and return the file's path."""
    path = paths.log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            path.replace(path.with_name(path.name + ".1"))
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"--- {stamp} {context}\n{text}\n")
    except OSError:
        logging.getLogger(__name__).exception("cannot write %s", path)
    return path


def prepare_child_processes() -> None:
    """Start multiprocessing's resource tracker while stderr is still the real one.

    Inside a running Textual app sys.stderr is a capture whose fileno() is -1,
    and spawning the tracker then fails ("bad value(s) in fds_to_keep"), which
    would fail the index build in its child process.
    """
    from multiprocessing import resource_tracker

    try:
        resource_tracker.ensure_running()
    except Exception as error:  # the build will report its own failure, if any
        log_exception(error, "starting the resource tracker")


def one_line(error: BaseException) -> str:
    """``Type: message`` on one line, not too long for a notice."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= 160 else text[:157] + "..."


def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Report an exception from ``method`` through ``self.app.report_error`` instead of dying."""

    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def run_async(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return await method(self, *args, **kwargs)
            except Exception as error:
                _report(self, error, method)
                return None

        return run_async

    @functools.wraps(method)
    def run(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            _report(self, error, method)
            return None

    return run


def _report(node: Any, error: Exception, method: Callable[..., Any]) -> None:
    report = getattr(node.app, "report_error", None)
    if report is None:
        raise error
    report(error, f"{type(node).__name__}.{method.__name__}")


def dismiss_once(screen: Any, result: Any = None) -> None:
    """Close a dialog unless it is closed already: two keys in one frame (Enter, then Esc)
    would otherwise both dismiss it, and the second would pop the screen below."""
    if screen.is_active:
        screen.dismiss(result)
