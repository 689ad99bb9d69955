"""From a keystroke to the first screen, in tmux, as a user sees it.

The app runs in a 120x40 tmux pane on the prepared library. For each query the
bench types ``/``, clears the bar, types the query and Enter in one burst (Enter
searches at once: no typing debounce), then reads the pane every few ms until
the query's best paper is the list's top row. The time runs from sending the keys to that
capture: what the search, the repaint and the terminal cost together.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import isolated, summary, xdg_env
from bench.ui_probe import KEYSTROKE_QUERIES

SOCKET = "papertui-bench-keys"
TIMEOUT = 30.0
POLL = 0.004  # s between two reads of the pane
EMPTY_BAR = "Filter: words"  # the filter bar's placeholder: no query


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True,
                          check=False).stdout


def _wait_for(text: str, timeout: float = TIMEOUT, query: str | None = None) -> float:
    """perf_counter() of the first capture that shows ``text`` (with ``query``: as the list's
    top row, under a bar holding ``query`` and a title bar counting what is shown);
    RuntimeError after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        lines = _tmux("capture-pane", "-p", "-t", "keys").splitlines() or [""]
        if query is None and text in "\n".join(lines):
            return time.perf_counter()
        if query is not None and len(lines) > 2 and " shown" in lines[0] \
                and query in lines[1] and text in lines[2]:
            return time.perf_counter()
        time.sleep(POLL)
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


def run(root: Path, queries: list[str] | None = None) -> dict:
    """ms from each query's keys to its first screen in tmux, p50/p95 and per query."""
    queries = queries or KEYSTROKE_QUERIES
    best = _best_titles(root, queries)
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in xdg_env(root).items())
    command = f"env {env} {shlex.quote(sys.executable)} -W ignore -m papertui"
    _tmux("kill-server")
    subprocess.run(["tmux", "-L", SOCKET, "new-session", "-d", "-x", "120", "-y", "40", "-s", "keys",
                    command], check=True, cwd=str(root))
    times: dict[str, float] = {}
    try:
        _wait_for(" of ", timeout=120)  # the filter bar counts: the list is there
        for query in queries:
            if EMPTY_BAR not in _tmux("capture-pane", "-p", "-t", "keys"):
                for key in ("/", "Escape", "Escape"):  # into the bar, back, clear it
                    _tmux("send-keys", "-t", "keys", key)
                    time.sleep(0.3)  # two ESC bytes in a row would read as one Alt+Esc
                _wait_for(EMPTY_BAR)
            before = time.perf_counter()
            _tmux("send-keys", "-t", "keys", "-l", "/" + query)
            _tmux("send-keys", "-t", "keys", "Enter")
            times[query] = (_wait_for(best[query], query=query) - before) * 1000
    finally:
        _tmux("send-keys", "-t", "keys", "q")
        time.sleep(0.3)
        _tmux("kill-server")
    stats = summary(list(times.values()))
    return {"tmux_keystroke": stats, "tmux_keystroke_p95_ms": stats["p95"],
            "tmux_keystroke_by_query": {q: round(ms) for q, ms in times.items()}}
