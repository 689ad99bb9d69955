"""An acknowledged mark survives a crash: SIGKILL at random moments, 20 times.

The child marks papers through the facade in a loop and prints "ack N" only after
set_marks() returns; each N is one transaction of three marks. After every kill the
store must open cleanly (integrity_check), every acknowledged transaction must be
there whole, and the one the kill interrupted must be there whole or not at all.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from papertui import paths
from papertui.library import Library
from papertui.models import Mark
from papertui.state import StateStore

KILLS = 20
PER_TRANSACTION = 3

MARKER = """
import sys
from papertui.library import Library
from papertui.models import Mark
run = sys.argv[1]
library = Library.load()
real = library.ids
print("ready", flush=True)
n = 0
while True:
    batch = {f"crash-{run}-{n}-{k}": Mark(read=k % 2 == 0, starred=True) for k in range(3)}
    batch[real[n % len(real)]] = Mark(read=True, starred=n % 2 == 0)
    library.set_marks(batch)
    print(f"ack {n}", flush=True)
    n += 1
"""


def expected(run: int, n: int) -> dict[str, Mark]:
    return {f"crash-{run}-{n}-{k}": Mark(read=k % 2 == 0, starred=True)
            for k in range(PER_TRANSACTION)}


def mark_until_killed(run: int, rng: random.Random) -> int:
    """Start a marker, SIGKILL it at a random moment; the number of acknowledged batches."""
    child = subprocess.Popen([sys.executable, "-c", MARKER, str(run)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acked = 0
    try:
        if rng.random() < 0.15:
            time.sleep(rng.uniform(0, 0.3))  # sometimes while it is still opening the store
        else:
            assert child.stdout.readline() == "ready\n"
            for _ in range(rng.randrange(0, 60)):
                line = child.stdout.readline()
                assert line == f"ack {acked}\n", (line, child.stderr.read())
                acked += 1
            time.sleep(rng.uniform(0, 0.004))  # lands anywhere in the next transaction
    finally:
        child.send_signal(signal.SIGKILL)
        # Read through the same buffered reader: readline() may have read ahead.
        rest, errors = child.stdout.read(), child.stderr.read()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, errors
    return acked + rest.count("ack ")


def integrity_check(db: Path) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


def test_acknowledged_marks_survive_sigkill_at_random_moments(seed_library: Library) -> None:
    started = time.monotonic()
    seed_library.close()
    rng = random.Random(20261126)
    acknowledged: dict[int, int] = {}
    for run in range(KILLS):
        acknowledged[run] = mark_until_killed(run, rng)
        assert integrity_check(paths.state_db()) == [("ok",)], f"after kill {run}"

    store = StateStore.open(paths.state_db())
    assert store.moved_aside is None
    marks = store.all()
    store.close()
    for run, acked in acknowledged.items():
        for n in range(acked):
            assert expected(run, n).items() <= marks.items(), f"lost ack {n} of run {run}"
        interrupted = expected(run, acked)
        present = [pid in marks for pid in interrupted]
        assert all(present) or not any(present), f"half a transaction in run {run}"
        assert f"crash-{run}-{acked + 1}-0" not in marks, f"unacknowledged runs ahead in {run}"
    assert sum(acknowledged.values()) > KILLS  # the kills did land mid-run
    assert Library.load().counts()[0] == 67
    assert time.monotonic() - started < 60
