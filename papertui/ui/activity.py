"""The title bar's activity area: "37 new", or a fetch or a PDF download with its progress.

It is also where the daily loop's workers run (papertui.ui.daily): a worker
thread reports by posting ``Report`` here (posting is thread-safe and never
blocks the thread), and the report's callback then runs on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.widgets import Label, ProgressBar

from papertui.activity import Activity
from papertui.ui.failsafe import guarded


class ActivityBar(Horizontal):
    """Shows an ``Activity``: its words, and a bar while something runs."""

    activity: var[Activity] = var(Activity(), init=False)

    class Report(Message):
        """A worker's news, for ``callback(*args)`` on the event loop."""

        def __init__(self, callback: Callable[..., Any], *args: Any) -> None:
            super().__init__()
            self.callback = callback
            self.args = args

    def compose(self) -> ComposeResult:
        yield Label("", id="activity-text")
        yield ProgressBar(show_eta=False, show_percentage=False, id="activity-bar")

    def on_mount(self) -> None:
        self.watch_activity(self.activity)

    def watch_activity(self, activity: Activity) -> None:
        if not self.children:
            return  # not composed yet: on_mount shows it
        self.display = bool(activity.text)  # nothing to say takes no room
        self.query_one("#activity-text", Label).update(activity.text)
        bar = self.query_one(ProgressBar)
        bar.display = activity.busy
        if activity.busy:
            bar.update(total=activity.total, progress=activity.done)

    def report(self, callback: Callable[..., Any], *args: Any) -> None:
        """From a worker thread: run ``callback(*args)`` on the event loop."""
        self.post_message(self.Report(callback, *args))

    @on(Report)
    @guarded
    def _reported(self, message: Report) -> None:
        message.stop()
        message.callback(*message.args)
