"""Helpers for the UI tests: starting the app, waiting for it to settle, reading what it shows.

The fixtures (``make_library``, ``built_seed_index``) are in conftest.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from textual import events

from papertui.library import Library
from papertui.ui.app import PaperApp

if TYPE_CHECKING:
    from textual.pilot import Pilot

SEED_PAPERS = 67


def first_title_words(library: Library, paper_id: str, count: int = 3) -> str:
    return " ".join(library.paper(paper_id).title.split()[:count])


async def settle(pilot, index: bool = True) -> None:
    """Wait until workers are done and their messages handled (no sleeps).

    A search replaced by a newer one ends cancelled, which is expected here.
    ``index=False`` leaves out the index build, for tests that hold it back.
    """
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(4):
        await typed(pilot)
        for worker in list(pilot.app.workers):
            if not index and worker.group == "index":
                continue
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
        await pilot.pause()


async def typed(pilot) -> None:
    """Wait until the query typed into the filter bar is announced, its debounce ended.

    A pause ends once the app looks idle, which it does while the debounce timer waits."""
    bar = pilot.app.main_screen.filter_bar
    await until(pilot, lambda: not bar.announcing, "(the filter bar, to announce the query typed)",
                every=bar.DEBOUNCE / 3)


@asynccontextmanager
async def running(
    library: Library, *, size: tuple[int, int] = (120, 36), **options: Any
) -> AsyncIterator[tuple[PaperApp, Pilot]]:
    """The app on ``library`` (with PaperApp's ``options``), started at ``size`` and settled."""
    app = recording(PaperApp(library, **options))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot


def recording(app: PaperApp) -> PaperApp:
    """``app``, keeping every notification it shows for ``notices``, however briefly shown."""
    show = app.notify

    def notify(message, **options):
        notify.told.append(str(message))
        return show(message, **options)

    notify.told = []
    app.notify = notify
    return app


def notices(app) -> list[str]:
    """Every notification the app has shown, oldest first."""
    return app.notify.told


def row_marks(app, paper_id: str):
    return app.main_screen.reader.library.mark(paper_id)


async def type_query(pilot, text: str, index: bool = True) -> None:
    """Focus the bar with /, type ``text``, press Enter (which applies it at once)."""
    await pilot.press("slash")
    field = pilot.app.query_one("#filter-input")
    field.value = ""
    await pilot.press(*text, "enter")
    await settle(pilot, index)


def burst(app, *keys: str) -> None:
    """Queue ``keys`` all at once, as a terminal delivers keys typed faster than the app reads."""
    named = {"slash": "/", "enter": "\r", "tab": "\t", "escape": "\x1b", "space": " "}
    for key in keys:
        app.post_message(events.Key(key, named.get(key, key if len(key) == 1 else None)))


async def until(pilot, done: Callable[[], bool], what: str = "", every: float | None = None) -> None:
    """Let the app handle its messages until ``done()``, pausing ``every`` s (None: until
    it looks idle) between looks; fail after 500 rounds.

    A pause waits until the process looks idle, which on a loaded machine it
    may do with keys still queued: wait for what the keys lead to instead."""
    for _ in range(500):
        if done():
            return
        await pilot.pause(every)
    raise AssertionError(f"the app never got there {what}".strip())


def drawn(widget) -> list[str]:
    """A widget's lines as drawn on screen, padding stripped."""
    return [strip.text.strip() for strip in widget.render_lines(widget.region.reset_offset)]


def body_lines(app) -> list[str]:
    """The detail pane's facts as drawn on screen, one string a line."""
    return [line for line in drawn(app.query_one("#detail-body")) if line]
