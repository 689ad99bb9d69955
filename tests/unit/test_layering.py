"""The layers hold: import-linter's contracts (pyproject.toml), and no Textual in the core at run time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
CORE = [
    "papertui.cli", "papertui.opening", "papertui.library", "papertui.ingest", "papertui.index",
    "papertui.query", "papertui.state", "papertui.catalog", "papertui.sources", "papertui.models",
    "papertui.merge", "papertui.ordering", "papertui.highlight", "papertui.export",
    "papertui.config", "papertui.tex", "papertui.child",
]


def test_import_linter_contracts_are_kept() -> None:
    # Layers (ui above opening above the facade above the core above the models), the UI
    # kept off the core's insides, no Textual in the core, and no import cycles, counting
    # imports inside functions and under TYPE_CHECKING.
    lint_imports = Path(sys.executable).parent / "lint-imports"
    out = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
