"""Searching off the event loop, and painting each answer in one frame, as soon as it can."""

from __future__ import annotations

import threading
from contextlib import ExitStack

from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from papertui.reader import Reader, Request
from papertui.ui.messages import SearchAnswered

ANSWER_WAIT = 0.15  # s the screen waits for a query's first answer before it repaints, at most
PAINT_WAIT = 0.5  # s a search waits for its first screen to paint, at most
TYPING_WAIT = 0.05  # s the screen waits, from "/", for the keys typed with it, at most


class AnswerPacing:
    """Runs a screen's searches in a worker, and paces the screen and the worker.

    - From a query to its first answer, the screen's repaints wait (``ANSWER_WAIT``
      at most): they would only show the focus leaving the filter bar, taking
      the CPU from the search (a repaint of the whole screen costs tens of ms),
      and the answer would then paint again. Keys still act at once.
    - After a first screen, the worker waits for it to paint before it counts
      the complete list, which would otherwise halve the repaint's share of the CPU.
    - From the key that opens the filter bar, the repaints wait a moment
      (``TYPING_WAIT``): a query typed fast or pasted, Enter with it, paints once,
      with its answer, not once as typed and again answered (each a repaint of
      the whole screen, the focus having moved).
    """

    def __init__(self, screen: Screen, reader: Reader) -> None:
        self._screen = screen
        self._reader = reader
        self._held: ExitStack | None = None
        self._timer: Timer | None = None
        self._unpainted: threading.Event | None = None  # the answer shown, its paint to come

    def ask(self, request: Request) -> None:
        """Search for ``request``; its answers come to the screen as SearchAnswered."""
        self.hold()
        self._screen.run_worker(lambda: self._answer(request), thread=True, exclusive=True,
                                group="search", exit_on_error=False)

    def _answer(self, request: Request) -> None:
        worker = get_current_worker()  # exclusive: a newer query cancels it, even mid-search
        for answer in self._reader.answers(request, lambda: worker.is_cancelled):
            message = SearchAnswered(answer)  # the first screen, then the complete list
            self._screen.post_message(message)
            if answer.result is not None and not answer.result.complete:
                message.painted.wait(PAINT_WAIT)

    def accept(self, message: SearchAnswered, current: str | None) -> bool:
        """Take the answer into the reader and let the screen paint; False if it is stale."""
        if not self._reader.accept(message.answer, current):
            message.painted.set()  # nothing of it will paint
            return False  # a newer query was asked for since: its answer is still to come
        if self._unpainted is not None:
            self._unpainted.set()  # superseded before it painted
        self._unpainted = message.painted
        self.release()
        return True

    def typing(self) -> None:
        """Hold the repaints a moment (``TYPING_WAIT``) for the keys typed with this one."""
        self.hold(TYPING_WAIT)

    def hold(self, wait: float | None = None) -> None:
        """Hold the repaints until the next answer, ``wait`` s at most (None: ANSWER_WAIT;
        again: the wait counts from now)."""
        app = self._screen.app
        if self._timer is not None:
            self._timer.stop()
        if self._held is None:
            self._held = ExitStack()
            self._held.enter_context(app.batch_update())
        self._timer = app.set_timer(ANSWER_WAIT if wait is None else wait, self.release)

    def release(self) -> None:
        """Paint what changed while repaints waited; nothing when they were not waiting."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._held is not None:
            held, self._held = self._held, None
            held.close()
            self._screen.check_idle()  # the screen repaints when idle: wake it, in case it sleeps
        if self._unpainted is not None:
            self._screen.call_after_refresh(self._painted)

    def _painted(self) -> None:
        """After a refresh: the answer accepted has painted, unless the repaints were held
        again before it (Enter read just after the answer): then it paints on their release.
        While repaints are held, Textual runs after-refresh callbacks without a refresh."""
        if self._held is None and self._unpainted is not None:
            self._unpainted.set()
            self._unpainted = None
