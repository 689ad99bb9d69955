"""From a keystroke to the first screen, in tmux, as a user sees it.

The app runs in a 120x40 tmux pane on the prepared library. For each query the
bench types ``/``, clears the bar, types the query and Enter in one burst (Enter
searches at once: no typing debounce), then reads the pane each time the app
writes to it until the query's best paper is the list's top row. The time runs
from sending the keys to that read: what the search, the repaint and the
terminal cost together.

The keys go in, and the pane is read, through one tmux control-mode client
(``tmux -C``), which also reports each write of the app (``%output``): no
process is started per key or per read, and the pane is read when it changed
rather than every few ms, so the bench takes little of the CPU it measures
(on 2 cores, a read every 4 ms by a new ``tmux capture-pane`` process took
about a core).
"""

from __future__ import annotations

import queue
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.measure import isolated, summary, xdg_env
from bench.ui_probe import KEYSTROKE_QUERIES

SOCKET = "papertui-bench-keys"
TIMEOUT = 30.0
QUIET = 0.05  # s: read the pane anyway when the app has written nothing for this long
EMPTY_BAR = "Filter: words"  # the filter bar's placeholder: no query


class Pane:
    """One tmux control-mode client on the session ``keys``: commands, and the app's writes."""

    def __init__(self) -> None:
        self._client = subprocess.Popen(
            ["tmux", "-L", SOCKET, "-C", "attach", "-t", "keys"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.written = threading.Event()  # set on each %output: the app wrote to the pane
        self._replies: queue.Queue[list[str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        reply: list[str] | None = None
        for raw in self._client.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if line.startswith("%output "):
                self.written.set()
            elif line.startswith("%begin "):
                reply = []
            elif line.startswith(("%end ", "%error ")) and reply is not None:
                self._replies.put(reply)
                reply = None
            elif reply is not None:
                reply.append(line)

    def command(self, text: str) -> list[str]:
        """Run one tmux command through the client; the lines it printed."""
        while not self._replies.empty():  # the attach's own reply, or one left over
            self._replies.get_nowait()
        self._client.stdin.write(text.encode() + b"\n")
        self._client.stdin.flush()
        return self._replies.get(timeout=TIMEOUT)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.command("send-keys -t keys " + ("-l " if literal else "")
                     + " ".join(shlex.quote(key) for key in keys))

    def lines(self) -> list[str]:
        return self.command("capture-pane -p -t keys") or [""]

    def close(self) -> None:
        self._client.stdin.close()
        self._client.wait(timeout=5)


def _wait_for(pane: Pane, text: str, timeout: float = TIMEOUT, query: str | None = None) -> float:
    """perf_counter() of the first read that shows ``text`` (with ``query``: as the list's
    top row, under a bar holding ``query`` and a title bar counting what is shown);
    RuntimeError after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        pane.written.clear()
        lines = pane.lines()
        seen = time.perf_counter()
        if query is None and text in "\n".join(lines):
            return seen
        if query is not None and len(lines) > 2 and " shown" in lines[0] \
                and query in lines[1] and text in lines[2]:
            return seen
        pane.written.wait(QUIET)
    raise RuntimeError(f"{text!r} did not appear in tmux within {timeout:.0f} s")


def _best_titles(root: Path, queries: list[str]) -> dict[str, str]:
    """Each query's best paper's title as the list shows it (its start)."""
    from papertui.library import Library
    from papertui.tex import tex_to_text

    def shown(pid: str) -> str:
        return " ".join(tex_to_text(library.paper(pid).title).split())[:24]

    with isolated(root):
        library = Library.load()
        try:
            library.ensure_index()
            return {q: shown(library.search(q, limit=1).ids[0]) for q in queries}
        finally:
            library.close()


def _tmux(*args: str) -> None:
    subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, check=False)


def run(root: Path, queries: list[str] | None = None) -> dict:
    """ms from each query's keys to its first screen in tmux, p50/p95 and per query."""
    queries = queries or KEYSTROKE_QUERIES
    best = _best_titles(root, queries)
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in xdg_env(root).items())
    command = f"env {env} {shlex.quote(sys.executable)} -W ignore -m papertui"
    _tmux("kill-server")
    subprocess.run(["tmux", "-L", SOCKET, "new-session", "-d", "-x", "120", "-y", "40", "-s", "keys",
                    command], check=True, cwd=str(root))
    pane = Pane()
    times: dict[str, float] = {}
    try:
        _wait_for(pane, " of ", timeout=120)  # the filter bar counts: the list is there
        for query in queries:
            if EMPTY_BAR not in "\n".join(pane.lines()):
                for key in ("/", "Escape", "Escape"):  # into the bar, back, clear it
                    pane.keys(key)
                    time.sleep(0.3)  # two ESC bytes in a row would read as one Alt+Esc
                _wait_for(pane, EMPTY_BAR)
            before = time.perf_counter()
            pane.keys("/" + query, literal=True)
            pane.keys("Enter")
            times[query] = (_wait_for(pane, best[query], query=query) - before) * 1000
    finally:
        pane.keys("q")
        time.sleep(0.3)
        pane.close()
        _tmux("kill-server")
    stats = summary(list(times.values()))
    return {"tmux_keystroke": stats, "tmux_keystroke_p95_ms": stats["p95"],
            "tmux_keystroke_by_query": {q: round(ms) for q, ms in times.items()}}
