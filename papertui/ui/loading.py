"""Opening on a preview: the full library loads in a child process, then takes over.

``Library.open()`` gives a preview (the first papers of each source) when a
source is new or changed, so the first screen shows at once even for 75k
papers; ``load_rest()`` reads everything in a child process, and the app then
swaps the full library in, keeping the query and the cursor.
"""

from __future__ import annotations

from textual import work

from papertui.library import Library
from papertui.ui.chrome import BuildProgress
from papertui.ui.failsafe import guarded
from papertui.ui.host import AppHost
from papertui.ui.messages import LibraryLoaded


class LoadActions(AppHost):
    """Mixed into the app, which provides the library, the widgets and the index start."""

    def start_loading(self) -> None:
        """Load the rest of a preview library, then index it; index a full one at once."""
        if not self.library.pending:
            self.start_index()
            return
        self.query_one(BuildProgress).show_loading(
            f"Reading {len(self.library.stale)} new or changed source(s) — showing the first papers"
        )
        self._load_rest(self.library)

    @work(thread=True, group="load", exit_on_error=False)
    def _load_rest(self, preview: Library) -> None:
        self.post_message(LibraryLoaded(preview.load_rest()))

    @guarded
    def on_library_loaded(self, message: LibraryLoaded) -> None:
        self.query_one(BuildProgress).finish()
        self.swap_library(message.library)
        self.run_query(self.filter_bar.value)
        self.start_index()
