"""App timings: first list shown (cold and warm, headless and in tmux), repaints, peak memory."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import ui_tmux
from bench.measure import isolated, xdg_env

TMUX_SOCKET = "papertui-bench"


def probe(root: Path, mode: str, *args: str) -> tuple[float, dict]:
    """Run ``bench.ui_probe MODE ARGS`` on the library under ``root``: (wall ms of the
    whole process, what it printed)."""
    env = {**os.environ, **xdg_env(root)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-W", "ignore", "-m", "bench.ui_probe", mode, *args],
                          env=env, capture_output=True, text=True, timeout=900, check=False)
    wall = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"ui_probe {mode} failed: {done.stderr.strip()[-600:]}")
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def _interpreter_ms() -> float:
    """What starting Python itself costs, to add to in-process times."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return (time.perf_counter() - started) * 1000


def _cold_root(root: Path) -> Path:
    """A copy of the library's data and config with an empty cache: no catalog, no index."""
    cold = root / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    for name in ("xdg_data_home", "xdg_config_home", "xdg_state_home"):
        if (root / name).exists():
            shutil.copytree(root / name, cold / name)
    return cold


def _first_title(root: Path) -> str:
    from papertui.library import Library
    from papertui.tex import tex_to_text

    with isolated(root):
        library = Library.load()
        try:
            title = tex_to_text(library.paper(library.ids[0]).title)
        finally:
            library.close()
    return title[:18]


def tmux_start(root: Path, expected: str, timeout: float = 60.0) -> float:
    """ms from launching `papertui` in a 120x40 tmux pane until ``expected`` is on screen."""
    if not shutil.which("tmux"):
        raise RuntimeError("tmux is not installed")
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in xdg_env(root).items())
    command = f"env {env} {shlex.quote(sys.executable)} -W ignore -m papertui"
    base = ["tmux", "-L", TMUX_SOCKET]
    subprocess.run(base + ["kill-server"], capture_output=True, check=False)
    started = time.perf_counter()
    subprocess.run(base + ["new-session", "-d", "-x", "120", "-y", "40", "-s", "bench", command],
                   check=True, cwd=str(root))
    try:
        while time.perf_counter() - started < timeout:
            shown = subprocess.run(base + ["capture-pane", "-p", "-t", "bench"], capture_output=True,
                                   text=True, check=False).stdout
            if expected in shown:
                return (time.perf_counter() - started) * 1000
            time.sleep(0.01)
        raise RuntimeError(f"{expected!r} did not appear in tmux within {timeout} s")
    finally:
        subprocess.run(base + ["send-keys", "-t", "bench", "q"], capture_output=True, check=False)
        time.sleep(0.3)
        subprocess.run(base + ["kill-server"], capture_output=True, check=False)


def run(root: Path, quick: bool = False) -> dict:
    """Every app timing for the library prepared under ``root`` (index already built)."""
    repeats = 1 if quick else 3
    interpreter = _interpreter_ms()
    report: dict = {"interpreter_ms": interpreter}
    cold_wall, cold = probe(_cold_root(root), "start")
    report["cold_headless_ms"] = cold["first_list_ms"] + interpreter
    report["cold_process_ms"] = cold_wall
    warm = [probe(root, "start") for _ in range(repeats)]
    report["warm_headless_ms"] = statistics.median(w[1]["first_list_ms"] for w in warm) + interpreter
    report["warm_load_ms"] = statistics.median(w[1]["load_ms"] for w in warm)
    expected = _first_title(root)
    try:
        report["warm_tmux_ms"] = statistics.median(tmux_start(root, expected) for _ in range(repeats))
    except (RuntimeError, subprocess.SubprocessError) as error:
        report["tmux_error"] = str(error)
    _, interaction = probe(root, "interact")
    report.update(interaction)
    _, keystroke = probe(root, "keystroke")  # headless Pilot: key press to the list's repaint
    report.update({k: v for k, v in keystroke.items() if k.startswith("keystroke_")})
    try:  # in tmux: the keys as a user types them, to the query's best paper on screen
        report.update(ui_tmux.run(root))
    except (RuntimeError, subprocess.SubprocessError) as error:
        report["tmux_keystroke_error"] = str(error)
    report["peak_mb"] = max(interaction["peak_mb"], keystroke["peak_mb"],
                            max(w[1]["peak_mb"] for w in warm))
    return report
