"""What the benchmark measures on papertui itself, through the code paths the app uses.

Every function runs inside ``isolated(root)``: XDG dirs under ``root``, never the real home.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.queries import CLI_BASELINE, CLI_QUERIES, all_queries
from papertui import paths
from papertui.library import Library
from papertui.models import Mark
from papertui.state import StateStore

FIRST_SCREEN = 50
XDG = ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")


def xdg_env(root: Path) -> dict[str, str]:
    """The environment that points papertui at ``root`` (for child processes too).

    Absolute paths only: platformdirs ignores a relative XDG_* and would fall
    back to the real home.
    """
    root = root.resolve()
    env = {name: str(root / name.lower()) for name in XDG}
    env["HOME"] = str(root / "home")
    return env


@contextmanager
def isolated(root: Path) -> Iterator[None]:
    """Point papertui's dirs at ``root`` for the duration."""
    env = xdg_env(root)
    saved = {name: os.environ.get(name) for name in env}
    for name, value in env.items():
        Path(value).mkdir(parents=True, exist_ok=True)
        os.environ[name] = value
    try:
        for where in (paths.data_dir(), paths.cache_dir(), paths.config_dir()):
            if not where.is_relative_to(root.resolve()):
                raise RuntimeError(f"papertui would use {where}, outside {root}")
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """(milliseconds, result) of one call."""
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def summary(samples: list[float]) -> dict:
    """Median and 95th percentile (nearest rank) of a list of milliseconds."""
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0}
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"n": len(ordered), "p50": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


def register_source(corpus: Path) -> None:
    """Add the corpus to the library, as `papertui add` does."""
    store = StateStore.open(paths.state_db())
    try:
        store.add_source(str(corpus.resolve()))
    finally:
        store.close()


def directory_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def load_and_build(report: dict) -> Library:
    """Cold load (parse, catalog), index build in the builder child (its time, and the peak
    memory of its processes), then a warm reload."""
    ms, library = timed(Library.load)
    report["load_cold_ms"] = ms
    cpu = children_cpu()
    with children_peak() as peaks:
        ms, built = timed(library.ensure_index)
    assert built, "the index was expected to be built"
    papers = len(library)
    report.update(papers=papers, build_s=ms / 1000, build_papers_per_s=papers / (ms / 1000),
                  build_peak_mb=max(peaks.values(), default=None),
                  build_child_cpu_s=children_cpu() - cpu,
                  index_mb=directory_size(paths.index_dir()) / 2**20)
    library.close()
    ms, library = timed(Library.load)
    report["load_warm_ms"] = ms
    ms, built = timed(library.ensure_index)
    assert not built, "the index was rebuilt on a warm start"
    report["index_open_warm_ms"] = ms
    return library


def seed_marks(library: Library, seed: int = 7) -> dict[str, Mark]:
    """Mark 20% of the papers read and 2% starred, in one transaction."""
    rng = random.Random(seed)
    marks = {}
    for pid in library.ids:
        roll = rng.random()
        read, starred = roll < 0.20, rng.random() < 0.02
        if read or starred:
            marks[pid] = Mark(read=read, starred=starred)
    library.set_marks(marks)
    return marks


def first_screen(library: Library, query: str) -> list[str]:
    """The hits the list shows first, with the terms to highlight: the app's first call."""
    return library.search(query, limit=FIRST_SCREEN).ids


def search_latency(library: Library, repeats: int) -> dict:
    """Per query class: the complete list and the first screen (Library.search), in ms."""
    return query_latency(lambda query: library.search(query).ids,
                         lambda query: first_screen(library, query), repeats)


def cli_latency(run: Callable[[list[str]], float], repeats: int, per_class: int = 3) -> dict:
    """``papertui search Q --json --limit 50`` per class (its first ``per_class`` queries)
    against the no-text baseline, in ms; ``run`` times one command line. Call it before any
    paper is starred.

    Each query's run follows a baseline run, so that each class is compared with baseline
    runs made under the same load (a shared machine's slow seconds hit both)."""
    def timed_search(query: str) -> float:
        return run(["search", query, "--json", "--limit", str(FIRST_SCREEN)])

    paired: dict[str, list[float]] = {}
    classes: dict[str, list[float]] = {}
    for _ in range(repeats):
        for kind, queries in CLI_QUERIES.items():
            for query in queries[:per_class]:
                paired.setdefault(kind, []).append(timed_search(CLI_BASELINE))
                classes.setdefault(kind, []).append(timed_search(query))
    stats = {kind: summary(samples) for kind, samples in classes.items()}
    return {"baseline": CLI_BASELINE,
            "baseline_ms": summary([ms for samples in paired.values() for ms in samples]),
            "classes": stats,
            "over_baseline_p95": {kind: stats[kind]["p95"] - summary(paired[kind])["p95"]
                                  for kind in stats}}


def query_latency(complete_hits: Callable[[str], list], first: Callable[[str], object],
                  repeats: int) -> dict:
    """Time every query of the set, complete and first screen, after one warm-up pass."""
    queries = all_queries()
    for _, query in queries:  # warm the caches once, as a reader's first keystrokes do
        complete_hits(query)
    complete: dict[str, list[float]] = {}
    screen: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    per_query: dict[str, list[float]] = {}
    for _ in range(repeats):
        for kind, query in queries:
            ms, ids = timed(lambda: complete_hits(query))
            complete.setdefault(kind, []).append(ms)
            per_query.setdefault(query, []).append(ms)
            hits[query] = len(ids)
            ms, _ = timed(lambda: first(query))
            screen.setdefault(kind, []).append(ms)
    return {
        "complete": {kind: summary(v) for kind, v in complete.items()},
        "first_screen": {kind: summary(v) for kind, v in screen.items()},
        "hits": hits,
        "per_query_p50": {q: statistics.median(v) for q, v in per_query.items()},
    }


def toggle_latency(library: Library, count: int = 40, seed: int = 11) -> dict:
    """One star toggle, saved as the app saves it."""
    rng = random.Random(seed)
    samples = []
    for pid in rng.sample(library.ids, min(count, len(library.ids))):
        old = library.mark(pid)
        ms, _ = timed(lambda: library.set_marks({pid: Mark(old.read, not old.starred)}))
        samples.append(ms)
        library.set_marks({pid: old})
    return summary(samples)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    VmHWM, not ru_maxrss: on Linux a child started by fork+exec inherits the
    parent's ru_maxrss, which would charge the benchmark's own memory to it.
    """
    return _hwm_mb("self") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def children_peak(every: float = 0.02) -> Iterator[dict[int, float]]:
    """Watch every process this one starts meanwhile: yields {pid: peak MB (VmHWM)},
    filled by sampling /proc every ``every`` s (the index builder child and its workers).
    A spawned child counts from its exec: before it, it is a copy of this process."""
    peaks: dict[int, float] = {}
    done = threading.Event()
    me = Path("/proc/self").resolve().name
    mine = _cmdline(me)

    def sample() -> None:
        while not done.wait(every):
            for pid in _descendants(me):
                peaks[pid] = max(peaks.get(pid, 0.0), _hwm_after_exec(pid, mine))

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    try:
        yield peaks
    finally:
        done.set()
        watcher.join()


def _descendants(pid: str) -> list[int]:
    """Every process below ``pid``, from /proc's children lists."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.append(int(child))
            found.extend(_descendants(child))
    return found


def _hwm_after_exec(pid: int, parent_cmdline: bytes) -> float:
    """``pid``'s peak resident memory in MB, or 0 while it is still a copy of this process.

    Between the fork and the exec of a spawned child, its VmHWM is this process's
    memory (the pages the fork shares), which the exec drops. The command line,
    read before and after VmHWM, tells that copy from the program it becomes.
    """
    before = _cmdline(pid)
    peak = _hwm_mb(pid)
    return 0.0 if parent_cmdline in (before, _cmdline(pid)) else peak


def _cmdline(pid: int | str) -> bytes:
    """A process's command line as /proc holds it (empty once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _hwm_mb(pid: int | str) -> float:
    """A process's peak resident memory in MB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
