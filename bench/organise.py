"""Organising at scale (issue 13): tag and note saves, a note's index update, acting on
10,000 papers at once and its undo, and the counts of 20 saved searches.

``python -m bench.organise`` with XDG_* pointing at a library that holds the 74k
corpus (``papertui add arxiv-74k.jsonl.xz``). Everything it changes is undone or
cleared afterwards. Prints one table (Markdown) to stdout; ``make bench`` calls ``run``
and puts the figures in docs/performance.md.
"""

from __future__ import annotations

import dataclasses
import statistics
import time

from papertui.library import Library
from papertui.models import Mark

SAVES = 200
NOTE_UPDATES = 50
QUERIES = [
    "is:unread", "is:starred", "is:new", "tag:bench-a", "cat:cs.CL", "cat:cs.*", "cat:math.*",
    "since:2024-01-01", "transformer", "language model", "reinforcement learning",
    "graph neural network", "diffusion", "author:smith", "title:survey", "robot*",
    "is:unread cat:cs.LG", "tag:bench-a is:unread", "quantum", "note:bench",
]


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] * 1000


def run() -> dict:
    """The figures, in ms and s, on the library the XDG dirs point at."""
    library = Library.load()
    try:
        library.ensure_index()
        return _measure(library)
    finally:
        library.close()


def _measure(library: Library) -> dict:
    organise, ids = library.organise, library.ids
    result: dict = {"papers": len(ids)}

    tag_times = []
    for pid in ids[:SAVES]:
        start = time.perf_counter()
        organise.change_tags([pid], add=["bench-a"])
        tag_times.append(time.perf_counter() - start)
    result["tag_p95_ms"] = _p95(tag_times)

    note_times, index_times = [], []
    index_note, hooks = library._keeper.update_note, organise._hooks
    try:  # timed apart: the note's save, then its index update
        organise._hooks = dataclasses.replace(hooks, index_note=lambda paper, note: None)
        for pid in ids[:SAVES]:
            start = time.perf_counter()
            organise.set_note(pid, f"bench note for {pid}")
            note_times.append(time.perf_counter() - start)
    finally:
        organise._hooks = hooks
    for pid in ids[:NOTE_UPDATES]:  # past SMALL_SEGMENTS: a merge runs in the background
        start = time.perf_counter()
        index_note(library.paper(pid), f"bench note for {pid}")
        index_times.append(time.perf_counter() - start)
        time.sleep(0.1)  # a person types between notes
    result["note_p95_ms"] = _p95(note_times)
    result["note_index_p95_ms"] = _p95(index_times)
    result["note_index_max_ms"] = max(index_times) * 1000
    if library._keeper.opened is not None:
        library._keeper.opened._merger.wait()  # the counts below are timed on their own

    chosen = ids[1000:11000]
    start = time.perf_counter()
    organise.apply_marks("starred 10,000 papers", {pid: Mark(library.mark(pid).read, True)
                                                  for pid in chosen})
    starred = time.perf_counter() - start
    start = time.perf_counter()
    organise.undo_last()
    undone = time.perf_counter() - start
    result.update(star_10k_s=starred, undo_s=undone, starred_papers=len(chosen))

    start = time.perf_counter()
    organise.counts(QUERIES)
    result["counts_first_ms"] = (time.perf_counter() - start) * 1000
    library.set_marks({ids[0]: Mark(read=True)})
    start = time.perf_counter()
    organise.counts(QUERIES)
    result["counts_again_ms"] = (time.perf_counter() - start) * 1000
    library.set_marks({ids[0]: Mark()})

    # Put things back (the undo log keeps the bench's entries; they are harmless).
    organise.organiser.change_tags(ids[:SAVES], remove=["bench-a"])
    organise.organiser.set_notes({pid: "" for pid in ids[:SAVES]})
    for pid in ids[:NOTE_UPDATES]:
        index_note(library.paper(pid), "")
    return result


def main() -> None:
    result = run()
    print("| measure | value |\n|---|---|")
    for name, value in result.items():
        print(f"| {name} | {value:,.2f} |")


if __name__ == "__main__":
    main()
