"""The app's searching: the query in a worker, stale answers dropped, the filter keys.

Each request gets a generation number; an answer is shown only if it answers
the newest request, so a slow old search never overwrites a newer one. A bad
query leaves the last good list in place and says why under the bar.
"""

from __future__ import annotations

import re

from textual import work
from textual.worker import get_current_worker

from papertui.errors import QueryError
from papertui.library import IndexNotReady, SearchResult
from papertui.ui import ordering
from papertui.ui.failsafe import guarded
from papertui.ui.host import AppHost
from papertui.ui.messages import SearchDone, SearchFailed, Shown


class SearchActions(AppHost):
    """Mixed into the app, which provides the library, the widgets and ``waiting_text``."""

    _generation: int
    _shown: Shown | None
    _sort: str | None

    def run_query(self, query: str, reuse: SearchResult | None = None) -> None:
        """Ask for ``query``'s results; only the newest request's answer will be shown."""
        self._generation += 1
        self._search(self._generation, query, self._sort, reuse)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, generation: int, query: str, sort: str | None, reuse: SearchResult | None) -> None:
        worker = get_current_worker()
        try:
            if reuse is not None:
                result = reuse
            else:
                with self._index_guard:
                    if worker.is_cancelled:
                        return  # replaced by a newer query before it started
                    result = self.library.search(query)
        except IndexNotReady:
            self.post_message(SearchFailed(generation, query, "", waiting=True))
            return
        except QueryError as error:
            self.post_message(SearchFailed(generation, query, str(error)))
            return
        order = ordering.effective(sort, result.ranked)
        ids = ordering.arrange(result.ids, order, result.ranked, self.library.sort)
        self.post_message(SearchDone(generation, Shown(query, result, order, ids)))

    @guarded
    def on_search_done(self, message: SearchDone) -> None:
        if message.generation != self._generation:
            return  # a newer query was asked for since: this answer is stale
        self._waiting_for_index = False
        self.show_result(message.shown)

    @guarded
    def on_search_failed(self, message: SearchFailed) -> None:
        if message.generation != self._generation:
            return
        self._waiting_for_index = message.waiting
        if message.waiting:
            kind = "error" if self._index_failed else "waiting"
            self.filter_bar.set_message(self.waiting_text(), kind)
        else:
            self.filter_bar.set_message(message.problem, "error")

    def show_result(self, shown: Shown) -> None:
        """Show a query's result: the list, "N of M", the counts."""
        keep = self._keep or self.paper_list.current
        self._keep = None
        self._shown = shown
        nothing = "No papers match the filter." if shown.query.strip() else "No papers yet."
        self.paper_list.empty_message = self.detail.empty_message = nothing
        self.paper_list.show(shown.ids, shown.result.highlights, keep=keep)
        status = f"{len(shown.ids):,} of {len(self.library):,}"
        if shown.order != ordering.default(shown.result.ranked):
            status += f" · by {shown.order}"
        self.filter_bar.set_status(status)
        self.filter_bar.set_message("")
        self.update_counts()

    @guarded
    def on_filter_bar_query_changed(self, message) -> None:
        self.run_query(message.query)

    @guarded
    def action_focus_filter(self) -> None:
        self.filter_bar.focus_input()

    @guarded
    def action_clear_query(self) -> None:
        if self.filter_bar.value or (self._shown and self._shown.query):
            self.filter_bar.set_query("")
            self.run_query("")

    @guarded
    def action_only_unread(self) -> None:
        self._toggle_filter("is:unread", "is:read")

    @guarded
    def action_only_starred(self) -> None:
        self._toggle_filter("is:starred", "is:unstarred")

    def _toggle_filter(self, term: str, opposite: str) -> None:
        """Add ``term`` to the query (replacing its opposite), or take it out if there."""
        query = self.filter_bar.value
        if has_term(query, term):
            query = without_term(query, term)
        else:
            query = f"{without_term(query, opposite)} {term}".strip()
        self.filter_bar.set_query(query)
        self.run_query(query)

    @guarded
    def action_sort(self) -> None:
        if self._shown is None:
            return
        ranked = self._shown.result.ranked
        order = ordering.following(self._shown.order, ranked)
        # Back at the default, the default it stays: a later text query is ranked again.
        self._sort = None if order == ordering.default(ranked) else order
        self.run_query(self._shown.query, reuse=self._shown.result)
        self.notify(f"Sorted by {order}.", timeout=2)


def has_term(query: str, term: str) -> bool:
    """True when ``term`` is a word of ``query`` (any case)."""
    return bool(re.search(rf"(?<!\S){re.escape(term)}(?!\S)", query, re.IGNORECASE))


def without_term(query: str, term: str) -> str:
    """``query`` without ``term`` and the space before it; the rest exactly as typed."""
    return re.sub(rf"(?:^|\s+){re.escape(term)}(?=\s|$)", "", query, flags=re.IGNORECASE).strip()
