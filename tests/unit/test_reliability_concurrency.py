"""Two processes and the CLI marking at once lose nothing, and nobody crashes on a lock."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from papertui.library import Library
from papertui.models import Mark

# Loads the library, waits for "go", then marks like the app does: each new mark is
# computed from the mark this process shows, which the other process makes stale. It
# keeps marking until told "stop", so its marking window covers the CLI's whole run.
# time.monotonic() is one system-wide clock on Linux: the processes' times compare.
MARKER = """
import json, sys, threading, time
from papertui.library import Library
from papertui.models import Mark
flag, first, last, extra = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
library = Library.load()
ids = library.ids[first:last]
print("loaded", flush=True)
sys.stdin.readline()
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
start = time.monotonic()
print("started", flush=True)
n, saw_other_at = 0, None
while n < 200 or not stop.is_set():
    library.set_marks({f"{extra}-{n}": Mark(read=n % 2 == 0, starred=True)})
    if n < len(ids):
        old = library.mark(ids[n])
        new = Mark(True, old.starred) if flag == "read" else Mark(old.read, True)
        library.set_marks({ids[n]: new})
    if saw_other_at is None and library.marks_changed_elsewhere():
        saw_other_at = time.monotonic()
    n += 1
    time.sleep(0.001)
end = time.monotonic()
print(json.dumps({"start": start, "end": end, "marked": n, "saw_other_at": saw_other_at}))
"""


def start_marker(*args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", MARKER, *args], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "loaded\n"
    return child


def tell(child: subprocess.Popen[str], word: str) -> None:
    child.stdin.write(f"{word}\n")
    child.stdin.flush()


def test_two_processes_and_the_cli_marking_at_once_lose_nothing(seed_library: Library) -> None:
    ids = seed_library.ids
    reader = start_marker("read", "0", "67", "a")
    starrer = start_marker("star", "0", "34", "b")
    for child in (reader, starrer):
        tell(child, "go")
    for child in (reader, starrer):
        assert child.stdout.readline() == "started\n"
    cli_start = time.monotonic()
    cli = subprocess.run([sys.executable, "-m", "papertui", "mark", *ids[34:], "--star"],
                         capture_output=True, text=True, timeout=60)
    cli_end = time.monotonic()
    for child in (reader, starrer):
        tell(child, "stop")
    outputs = [child.communicate(timeout=60) for child in (reader, starrer)]
    assert cli.returncode == 0, cli.stderr
    for child, (out, err) in zip((reader, starrer), outputs):
        assert child.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert "locked" not in cli.stderr

    windows = [json.loads(out) for out, _ in outputs]
    for window in windows:  # the CLI's whole run lies inside each marker's window
        assert window["start"] < cli_start < cli_end < window["end"], (window, cli_start, cli_end)
        # and each marker saw the other's (or the CLI's) commits while it was marking
        assert window["saw_other_at"] is not None
        assert window["start"] < window["saw_other_at"] < window["end"]

    seed_library.reload_marks()
    assert all(seed_library.mark(pid) == Mark(read=True, starred=True) for pid in ids)
    for prefix, window in zip(("a", "b"), windows):
        marked = window["marked"]
        assert marked >= 200
        assert [seed_library.mark(f"{prefix}-{n}") for n in range(marked)] == [
            Mark(read=n % 2 == 0, starred=True) for n in range(marked)]
        assert seed_library.mark(f"{prefix}-{marked}") == Mark()


def test_a_mark_made_elsewhere_is_noticed_and_reloaded(seed_library: Library) -> None:
    first, second = seed_library.ids[:2]
    assert not seed_library.marks_changed_elsewhere()
    seed_library.set_marks({first: Mark(read=True)})
    assert not seed_library.marks_changed_elsewhere()  # our own save is not "elsewhere"

    code = ("import sys; from papertui.library import Library; from papertui.models import Mark;"
            f" Library.load().set_marks({{{second!r}: Mark(starred=True)}})")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert seed_library.marks_changed_elsewhere()
    assert seed_library.mark(second) == Mark()

    seed_library.reload_marks()
    assert seed_library.mark(second) == Mark(starred=True)
    assert seed_library.mark(first) == Mark(read=True)
    assert not seed_library.marks_changed_elsewhere()


def test_saving_a_mark_does_not_hide_a_change_made_elsewhere(seed_library: Library) -> None:
    """The app polls marks_changed_elsewhere(); a save of its own in between must not
    swallow the other process's change (data_version only moves for other connections)."""
    first, second = seed_library.ids[:2]
    code = ("import sys; from papertui.library import Library; from papertui.models import Mark;"
            f" Library.load().set_marks({{{second!r}: Mark(starred=True)}})")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    seed_library.set_marks({first: Mark(read=True)})
    assert seed_library.marks_changed_elsewhere()
    seed_library.reload_marks()
    assert seed_library.counts() == (67, 1, 1)


def test_a_stale_view_changes_only_the_flag_it_changed(seed_library: Library) -> None:
    """Starring in one window must not unread what another window marked read."""
    pid = seed_library.ids[0]
    other = Library.load()
    other.set_marks({pid: Mark(read=True)})
    seed_library.set_marks({pid: Mark(read=False, starred=True)})  # its view: unread, unstarred
    assert seed_library.mark(pid) == Mark(read=True, starred=True)
    assert Library.load().mark(pid) == Mark(read=True, starred=True)
    other.close()


def test_cli_mark_prints_the_marks_now_saved(seed_library: Library) -> None:
    pid = seed_library.ids[0]
    seed_library.set_marks({pid: Mark(read=True)})
    out = subprocess.run([sys.executable, "-m", "papertui", "mark", pid, "--star"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["*r", pid]
    assert Library.load().counts() == (67, 1, 1)
