"""Executables that stand in for a PDF viewer or a desktop opener: each records its arguments."""

from __future__ import annotations

import json
import stat
import sys
import time
from pathlib import Path


def stub(folder: Path, name: str) -> tuple[Path, Path]:
    """An executable that writes its arguments, as JSON, to ``<name>.argv``."""
    record = folder / f"{name}.argv"
    script = folder / name
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, record


def recorded(record: Path) -> list[str]:
    """What a stub was called with (it runs detached: wait for it a little)."""
    deadline = time.monotonic() + 10
    while not record.exists() or not record.read_text():
        assert time.monotonic() < deadline, f"{record.name}: the stub was never called"
        time.sleep(0.02)
    return json.loads(record.read_text())
