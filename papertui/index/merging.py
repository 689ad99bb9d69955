"""Merging the one-paper segments that note edits leave, in a child process.

A note edit commits its paper as a new segment and never merges (a merge of
20 small segments is pure-Python work of about a second at 74k papers). Once
more than ``SMALL_SEGMENTS`` pile up, :class:`Merger` merges them in a spawned
child (which holds the GIL, not the app) while the open index keeps searching
the segments it has; it reopens them when the child is done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from whoosh.reading import SegmentReader

from papertui.child import ChildError, run_in_child
from papertui.index import checksums
from papertui.index.storage import MappedStorage

SMALL_SEGMENTS = 20


def small_segments(segments: list) -> list:
    """Every segment but the biggest (the bulk-built one)."""
    if not segments:
        return []
    biggest = max(segments, key=lambda segment: segment.doc_count_all())
    return [segment for segment in segments if segment is not biggest]


def merge_small_segments(writer, segments: list) -> list:
    """Whoosh merge policy: fold every small segment into the new one, and never rewrite
    the big (bulk-built) segment, which Whoosh's own policy rewrites after a few dozen
    note edits. Returns the segments kept as they are."""
    merged = small_segments(segments)
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if not any(segment is m for m in merged)]


def merge(directory: Path) -> int:
    """Merge the small segments of the index in ``directory``; how many there were.
    Run in a child process (see :class:`Merger`)."""
    ix = MappedStorage(str(directory)).open_index()
    try:
        count = len(small_segments(ix._segments()))
        if count > 1:
            writer = ix.writer(timeout=30.0)
            writer.commit(mergetype=merge_small_segments)
            checksums.record(directory)
        return count
    finally:
        ix.close()


class Merger:
    """At most one merge at a time, each in a child process watched by a daemon thread."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self.failure = ""  # why the last merge failed (the next note edit tries again)

    @property
    def running(self) -> bool:
        """True while a merge is under way."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, directory: Path, done: Callable[[], None]) -> bool:
        """Merge in the background and call ``done`` after; False when one is running."""
        if self.running:
            return False

        def watch() -> None:
            try:
                run_in_child(merge, directory)
                self.failure = ""
            except (ChildError, OSError, RuntimeError) as error:  # the child could not start
                self.failure = str(error)
            done()

        self._thread = threading.Thread(target=watch, name="papertui-merge", daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running merge, if any, is done."""
        if self._thread is not None:
            self._thread.join(timeout)
