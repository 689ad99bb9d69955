"""Shared fixtures and helpers for the UI tests (imported by the test_ui_* modules).

The UI reaches the data only through Library; these fixtures build one on the
bundled seed with its index built once per session, so each test starts fast.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from papertui import paths
from papertui.library import Library

SEED_PAPERS = 67


def _read_seed_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Until the format detector lands, read the seed with its own parser."""
    if importlib.util.find_spec("papertui.sources.detect") is not None:
        return
    from papertui import catalog
    from papertui.sources import daily_page, decode

    def read_source(path: str):
        text = decode(Path(path).read_bytes(), path)
        return daily_page.parse(text, path)

    monkeypatch.setattr(catalog, "read_source", read_source)


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's index, built once (in a child process, as the app does)."""
    folder = tmp_path_factory.mktemp("prebuilt")
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            monkeypatch.setenv(name, str(folder / name.lower()))
        _read_seed_directly(monkeypatch)
        library = Library.load()
        library.ensure_index()
        library.close()
        return paths.index_dir()


@pytest.fixture
def make_library(built_index: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Library]:
    """Open the user's library (marks in the test's XDG dirs) with a ready-built index."""
    _read_seed_directly(monkeypatch)
    opened: list[Library] = []

    def make(with_index: bool = True) -> Library:
        index_dir = paths.index_dir()
        if with_index and not index_dir.exists():
            shutil.copytree(built_index, index_dir)
        library = Library.load()
        opened.append(library)
        return library

    yield make
    for library in opened:
        try:
            library.close()
        except Exception:
            pass


def first_title_words(library: Library, paper_id: str, count: int = 3) -> str:
    return " ".join(library.paper(paper_id).title.split()[:count])


async def settle(pilot, index: bool = True) -> None:
    """Wait until workers are done and their messages handled (no sleeps).

    A search replaced by a newer one ends cancelled, which is expected here.
    ``index=False`` leaves out the index build, for tests that hold it back.
    """
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(4):
        for worker in list(pilot.app.workers):
            if not index and worker.group == "index":
                continue
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
        await pilot.pause()


def notices(app) -> list[str]:
    """The notifications on screen, oldest first."""
    return [n.message for n in app._notifications]


def row_marks(app, paper_id: str):
    return app.library.mark(paper_id)


async def type_query(pilot, text: str, index: bool = True) -> None:
    """Focus the bar with /, type ``text``, press Enter (which applies it at once)."""
    await pilot.press("slash")
    field = pilot.app.query_one("#filter-input")
    field.value = ""
    await pilot.press(*text, "enter")
    await settle(pilot, index)
