"""Drive the app headless in this process and print what it measured, as one JSON line.

    python -m bench.ui_probe start      # launch to the first list painted
    python -m bench.ui_probe interact   # filter changes, cursor moves, PageDown, toggles
    python -m bench.ui_probe keystroke  # a query's last key to its first screen painted
    python -m bench.ui_probe fetch [N]  # the event loop's lag while F fetches N (1,000) papers

XDG dirs must already point at a prepared library (bench.ui does that). The
time to the first list is counted from this interpreter's start (the parent
adds the interpreter's own start-up by timing the whole process).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

STARTED = time.perf_counter()

from bench.measure import peak_rss_mb, summary  # noqa: E402
from bench.queries import QUERIES  # noqa: E402

SIZE = (120, 40)
# Each class's first queries, and the query of the tmux check.
KEYSTROKE_QUERIES = [q for kind in ("term", "and", "phrase", "prefix", "field", "broad")
                     for q in QUERIES[kind][:4]] + ['"large language models"']
_painted: list[float] = []
_painted_what: list[tuple[str, bool]] = []  # per paint: the query shown, and whether its list is complete


def _watch_paints() -> None:
    """Record when the list last painted a row: the end of a repaint."""
    from papertui.ui.paper_list import PaperList

    render_line = PaperList.render_line

    def recorded(self, y: int):
        strip = render_line(self, y)
        if self.ids:
            _painted.append(time.perf_counter())
            shown = self.screen.reader.shown.result
            _painted_what.append((shown.query, shown.complete))
        return strip

    PaperList.render_line = recorded


async def _idle(pilot, app, until) -> None:
    """Let the app run until ``until()`` holds and it has painted since."""
    for _ in range(2000):
        await pilot.pause()
        if until():
            break
    await pilot.pause()


async def start() -> dict:
    from papertui.opening import open_library
    from papertui.ui.app import PaperApp

    _watch_paints()
    library = open_library()  # as `papertui` does: a preview when the catalog is stale
    loaded = time.perf_counter()
    app = PaperApp(library, restore_session=False)
    async with app.run_test(size=SIZE) as pilot:
        await _idle(pilot, app, lambda: bool(_painted))
        first = _painted[0]
        report = {"first_list_ms": (first - STARTED) * 1000, "load_ms": (loaded - STARTED) * 1000,
                  "peak_mb": peak_rss_mb()}
    app.main_screen.reader.library.close()  # the loaded library, in place of the preview
    return report


async def interact() -> dict:
    from papertui.library import Library
    from papertui.ui.app import PaperApp
    from papertui.ui.filter_bar import FilterBar

    _watch_paints()
    library = Library.load()
    app = PaperApp(library, restore_session=False)
    report: dict = {}
    async with app.run_test(size=SIZE) as pilot:
        await _idle(pilot, app, lambda: bool(_painted) and library.index_ready)
        for worker in list(app.workers):
            await worker.wait()

        async def timed_keys(key: str, count: int) -> list[float]:
            samples = []
            for _ in range(count):
                before = time.perf_counter()
                _painted.clear()
                await pilot.press(key)
                await pilot.pause()
                samples.append(((_painted[-1] if _painted else time.perf_counter()) - before) * 1000)
            return samples

        report["cursor_move"] = summary(await timed_keys("down", 30))
        report["page_down"] = summary(await timed_keys("pagedown", 30))
        repaint = []
        queries = [q for kind in ("term", "field", "and", "prefix", "is") for q in QUERIES[kind][:4]]
        for query in queries + [""]:
            before = time.perf_counter()
            _painted.clear()
            app.main_screen.filter_bar.post_message(FilterBar.QueryChanged(query))
            await _idle(pilot, app, lambda: app.main_screen.reader.shown.result.query == query
                        and app.main_screen.reader.shown.result.complete and bool(_painted))
            repaint.append(((_painted[-1] if _painted else time.perf_counter()) - before) * 1000)
        report["filter_repaint"] = summary(repaint)
        report["peak_mb"] = peak_rss_mb()
    library.close()
    return report


async def keystroke() -> dict:
    """ms from the key that completes a query to the list painting its first screen, and to
    its complete list, typing with no debounce: what the search path itself costs."""
    from textual.widgets import Input

    from papertui.library import Library
    from papertui.ui.app import PaperApp
    from papertui.ui.filter_bar import FilterBar, FilterInput

    _watch_paints()
    FilterBar.DEBOUNCE = 0.001  # no debounce (a timer of 0 s is not allowed)
    library = Library.load()
    app = PaperApp(library, restore_session=False)
    first, complete = [], []
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await _idle(pilot, app, lambda: bool(_painted) and library.index_ready)
        for worker in list(app.workers):
            await worker.wait()
        await pilot.press("slash")
        field = app.query_one(FilterInput)
        for query in KEYSTROKE_QUERIES:
            with field.prevent(Input.Changed):  # all but the last key, typed without a search
                field.value = query[:-1]
                field.cursor_position = len(field.value)
            _painted.clear()
            _painted_what.clear()
            before = time.perf_counter()
            await pilot.press(query[-1])
            await _idle(pilot, app, lambda: screen.reader.shown.result.query == query
                        and screen.reader.shown.result.complete and (query, True) in _painted_what)
            first.append((next(t for t, (q, _) in zip(_painted, _painted_what) if q == query) - before) * 1000)
            complete.append((next(t for t, w in zip(_painted, _painted_what) if w == (query, True))
                             - before) * 1000)
    library.close()
    return {"keystroke_first_screen": summary(first), "keystroke_complete": summary(complete),
            "keystroke_by_query": {q: [round(f), round(c)] for q, f, c in zip(KEYSTROKE_QUERIES, first, complete)},
            "peak_mb": peak_rss_mb()}


class LagWatch:
    """How late the event loop wakes a task that sleeps TICK seconds at a time: the
    longest any other work held the loop (a stall), sampled while it runs."""

    TICK = 0.005

    def __init__(self) -> None:
        self.lags: list[float] = []  # ms late, per wake
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.TICK)
            self.lags.append((time.perf_counter() - before - self.TICK) * 1000)

    def start(self) -> None:
        self.lags.clear()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> dict:
        """Stop watching; the worst lag and the 99th percentile, in ms."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        ranked = sorted(self.lags) or [0.0]
        return {"worst_ms": ranked[-1], "p99_ms": ranked[min(len(ranked) - 1, int(len(ranked) * 0.99))],
                "wakes": len(self.lags)}


async def fetch(arrivals: int = 1000) -> dict:
    """The event loop's lag from pressing F until the fetch's "N new" shows and the index
    has taken the arrivals: ``arrivals`` new papers served as a Daily Papers response by a
    loopback server. Changes the library: run it on a copy (bench.ui does)."""
    from bench.fetch_merge import daily_response, serve
    from papertui import config
    from papertui.feeds.spec import new_feed
    from papertui.library import Library
    from papertui.ui.app import PaperApp

    _watch_paints()
    library = Library.load()
    records = [{"title": p.title, "summary": p.abstract, "authors": list(p.authors)}
               for p in map(library.paper, library.ids[:200])]
    server = serve(daily_response(records, arrivals))
    app = PaperApp(library, restore_session=False)
    watch = LagWatch()
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.main_screen
            await _idle(pilot, app, lambda: bool(_painted) and library.index_ready)
            for worker in list(app.workers):
                await worker.wait()
            url = f"http://127.0.0.1:{server.server_address[1]}/daily.json"
            config.save(config.Config(feeds=(new_feed("url", [url]),)))  # after launch: no auto-fetch
            watch.start()
            started = time.perf_counter()
            await pilot.press("F")

            def landed() -> bool:
                return (screen.reader.library is not library and screen.reader.library.index_ready
                        and screen.daily.bar.activity.text.endswith(" new"))

            deadline = started + 600
            while not landed() and time.perf_counter() < deadline:
                await asyncio.sleep(0.05)
            took = time.perf_counter() - started
            lag = await watch.stop()
            shown = screen.daily.bar.activity.text
    finally:
        server.shutdown()
        app.main_screen.reader.library.close()  # the fetched library; the swap closed the first
    if not shown.endswith(" new"):
        raise RuntimeError(f"the fetch did not land within 600 s (the title bar says {shown!r})")
    return {"fetch_lag_worst_ms": lag["worst_ms"], "fetch_lag_p99_ms": lag["p99_ms"],
            "fetch_lag_wakes": lag["wakes"], "fetch_landed_s": took, "fetch_shown": shown,
            "peak_mb": peak_rss_mb()}


def main() -> int:
    from papertui.ui.interpreter import steady_interpreter

    steady_interpreter()  # as `papertui` does, after its imports and before the library loads
    mode = sys.argv[1] if len(sys.argv) > 1 else "start"
    modes = {"start": start, "interact": interact, "keystroke": keystroke, "fetch": fetch}
    report = asyncio.run(modes[mode](*map(int, sys.argv[2:])))
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
