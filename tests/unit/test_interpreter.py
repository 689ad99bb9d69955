"""The interpreter settings for the app: a steadied process keeps what it loaded out of full
garbage collections; a process that runs many apps (this one) does not."""

from __future__ import annotations

import gc
import sys

from papertui.ui import interpreter


def test_only_a_steadied_process_keeps_its_library_out_of_garbage_collections(monkeypatch) -> None:
    switch = sys.getswitchinterval()
    monkeypatch.setattr(interpreter, "_steady", False)
    try:
        gc.unfreeze()
        interpreter.keep_for_good()
        assert gc.get_freeze_count() == 0  # the tests' process would keep every app for good
        interpreter.steady_interpreter()
        assert sys.getswitchinterval() == interpreter.SWITCH_INTERVAL
        gc.unfreeze()
        loaded = [[n] for n in range(1000)]  # what a library load leaves
        interpreter.keep_for_good()
        assert gc.get_freeze_count() >= len(loaded)
    finally:
        gc.unfreeze()
        sys.setswitchinterval(switch)
