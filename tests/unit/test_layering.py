"""The core never imports Textual: checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "papertui.cli", "papertui.library", "papertui.index", "papertui.query", "papertui.state",
    "papertui.sources", "papertui.models", "papertui.merge", "papertui.highlight",
    "papertui.export", "papertui.config", "papertui.tex",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ui_talks_to_the_core_only_through_the_facade() -> None:
    from pathlib import Path

    import papertui.ui

    for module in Path(papertui.ui.__file__).parent.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        for forbidden in ("import whoosh", "from whoosh", "import sqlite3", "papertui.index",
                          "papertui.state import StateStore", "papertui.builder"):
            assert forbidden not in source, f"{module.name} uses {forbidden}"
