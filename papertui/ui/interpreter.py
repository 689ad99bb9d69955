"""The interpreter's settings for a responsive event loop beside worker threads."""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL = 0.001  # s a worker thread may hold the interpreter before the UI's turn
_steady = False  # steady_interpreter() was called: this process runs the app until it exits


def steady_interpreter() -> None:
    """Keep the event loop's pauses short while workers run: call it once, after the imports
    and before the library loads.

    The imports leave some 66,000 objects that live as long as the process; frozen, a full
    garbage collection no longer walks them (about 40 ms each time at 74k papers, which
    came on top of whatever the loop was doing). A shorter switch interval hands the
    interpreter back from a worker thread (loading, indexing) to the UI sooner.
    """
    global _steady
    _steady = True
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL)


def keep_for_good() -> None:
    """Leave what exists now out of later full garbage collections: call it once the library
    or its index has loaded, as they live as long as the process (a full collection walked
    its papers and postings, some 25 ms at 74k papers, on top of whatever the loop was doing).

    Only in a steadied process: one that runs many apps (the tests) would keep each for good.
    """
    if _steady:
        gc.freeze()
