"""Two processes and the CLI marking at once lose nothing, and nobody crashes on a lock."""

from __future__ import annotations

import subprocess
import sys

from papertui.library import Library
from papertui.state import Mark

# Loads the library, waits for "go", then marks like the app does: each new mark is
# computed from the mark this process shows, which the other process makes stale.
MARKER = """
import json, sys
from papertui.library import Library
from papertui.state import Mark
flag, first, last, extra = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
library = Library.load()
ids = library.ids[first:last]
print("loaded", flush=True)
sys.stdin.readline()
for n in range(200):
    library.set_marks({f"{extra}-{n}": Mark(read=n % 2 == 0, starred=True)})
    if n < len(ids):
        old = library.mark(ids[n])
        new = Mark(True, old.starred) if flag == "read" else Mark(old.read, True)
        library.set_marks({ids[n]: new})
print(json.dumps(library.counts()), flush=True)
"""


def start_marker(*args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", MARKER, *args], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "loaded\n"
    return child


def test_two_processes_and_the_cli_marking_at_once_lose_nothing(seed_library: Library) -> None:
    ids = seed_library.ids
    reader = start_marker("read", "0", "67", "a")
    starrer = start_marker("star", "0", "34", "b")
    for child in (reader, starrer):
        child.stdin.write("go\n")
        child.stdin.flush()
    cli = subprocess.run([sys.executable, "-m", "papertui", "mark", *ids[34:], "--star"],
                         capture_output=True, text=True, timeout=60)
    outputs = [child.communicate(timeout=60) for child in (reader, starrer)]
    assert cli.returncode == 0, cli.stderr
    for child, (out, err) in zip((reader, starrer), outputs):
        assert child.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert "locked" not in cli.stderr

    seed_library.reload_marks()
    assert all(seed_library.mark(pid) == Mark(read=True, starred=True) for pid in ids)
    for prefix in ("a", "b"):
        assert [seed_library.mark(f"{prefix}-{n}") for n in range(200)] == [
            Mark(read=n % 2 == 0, starred=True) for n in range(200)]


def test_a_mark_made_elsewhere_is_noticed_and_reloaded(seed_library: Library) -> None:
    first, second = seed_library.ids[:2]
    assert not seed_library.marks_changed_elsewhere()
    seed_library.set_marks({first: Mark(read=True)})
    assert not seed_library.marks_changed_elsewhere()  # our own save is not "elsewhere"

    code = ("import sys; from papertui.library import Library; from papertui.state import Mark;"
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
    code = ("import sys; from papertui.library import Library; from papertui.state import Mark;"
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
