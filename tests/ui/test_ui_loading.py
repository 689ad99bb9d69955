"""A new large source: the app shows its first papers at once, then the whole library."""

from __future__ import annotations

from pathlib import Path

from corpora import big_corpus
from ui_helpers import settle

from papertui.library import Library
from papertui.opening import open_library
from papertui.ui.app import PaperApp


async def test_preview_then_full_library_then_index(isolated_dirs: Path) -> None:
    corpus = big_corpus(isolated_dirs, 3000)
    [report] = Library.load().add_sources([str(corpus)], quick=True)
    assert report.error is None
    preview = open_library()
    assert preview.pending and len(preview) < 3067
    app = PaperApp(preview, restore_session=False)
    shown: list[str] = []  # every notification, however long it stays on screen
    notify = app.notify
    app.notify = lambda message, **kwargs: (shown.append(message), notify(message, **kwargs))
    async with app.run_test(size=(120, 36)) as pilot:
        assert len(app.main_screen.paper_list.ids) == len(preview)  # the first screen, at once
        await settle(pilot)
        assert not app.main_screen.reader.library.pending, shown
        assert len(app.main_screen.paper_list.ids) == 3067
        assert app.main_screen.reader.library.index_ready
        assert any(n.startswith("big.jsonl: 3000 entries, 3000 papers") for n in shown)
        await pilot.press("s")  # the full library was opened in a worker thread
        await pilot.pause()
        assert app.main_screen.reader.library.counts()[2] == 1
    assert Library.load().counts()[2] == 1
