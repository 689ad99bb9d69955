"""The bench's memory probe: what it charges to the processes a build starts."""

from __future__ import annotations

import os
import sys
import time

from bench.measure import children_peak, peak_rss_mb

BALLAST_MB = 300


def test_a_spawned_child_is_not_charged_this_processs_memory_before_its_exec() -> None:
    # Until its exec, a spawned child is a copy of this process, and its VmHWM
    # counts every page of this process's: 300 MB here. The exec drops them.
    ballast = b"x" * (BALLAST_MB << 20)
    assert peak_rss_mb() > BALLAST_MB  # the premise: a copy of this process holds the ballast
    with children_peak(every=0.005) as peaks:
        pid = os.fork()
        if pid == 0:  # the child: a fork-to-exec window long enough to be sampled
            try:
                time.sleep(0.3)
                os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(0.3)"])
            finally:
                os._exit(1)  # only if the exec failed
        os.waitpid(pid, 0)
    assert 0 < peaks[pid] < 100, peaks  # the interpreter it became was seen, and only that
    del ballast
