"""What PaperApp gives its action mixins, declared once for type checkers and editors.

searching.py, indexing.py, loading.py and marking.py each hold one part of the
app's work as a class mixed into PaperApp; through ``self`` they reach the app's
library and widgets, Textual's App methods and one another's methods.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from papertui.library import Library

if TYPE_CHECKING:
    from textual.timer import Timer

    from papertui.ui.detail import DetailPane
    from papertui.ui.filter_bar import FilterBar
    from papertui.ui.paper_list import PaperList


class AppHost:
    """The base of the action mixins: what PaperApp provides them.

    The widgets and methods are declared for type checking only: at run time
    these stubs would come before App in PaperApp's MRO and shadow its methods.
    """

    library: Library
    _index_guard: threading.Lock
    _index_failed: bool
    _waiting_for_index: bool
    _keep: str | None

    if TYPE_CHECKING:
        paper_list: PaperList
        detail: DetailPane
        filter_bar: FilterBar

        # Textual's App
        def post_message(self, message) -> bool: ...

        def notify(self, message: str, **kwargs) -> None: ...

        def set_timer(self, delay: float, callback) -> Timer: ...

        def query_one(self, selector, expect_type=None): ...

        # PaperApp and the mixins, to one another
        def run_query(self, query: str) -> None: ...

        def start_index(self) -> None: ...

        def waiting_text(self) -> str: ...

        def show_new_notices(self) -> None: ...

        def update_counts(self) -> None: ...

        def marks_changed(self) -> None: ...

        def swap_library(self, library: Library) -> None: ...
