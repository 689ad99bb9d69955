"""The FTS5 side of a run: build, marks, and the same query set, first screen and complete."""

from __future__ import annotations

from pathlib import Path

from bench.fts5 import FIRST_SCREEN, Fts5
from bench.measure import query_latency, summary, timed
from papertui import index
from papertui.library import Library
from papertui.models import Mark


def run(library: Library, marks: dict[str, Mark], folder: Path, repeats: int) -> dict:
    """Build the FTS5 twin of ``library`` in ``folder`` and time it like the Whoosh side."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fts5.db"
    for leftover in folder.glob("fts5.db*"):
        leftover.unlink()
    fts = Fts5(path)
    try:
        docs = [index.doc_of(library.paper(pid)) for pid in library.ids]
        seconds = fts.build(docs)
        report = {"build_s": seconds, "build_papers_per_s": len(docs) / seconds,
                  "index_mb": fts.size() / 2**20}
        fts.set_marks({pid: (m.read, m.starred) for pid, m in marks.items()})
        report.update(query_latency(fts.search, lambda query: fts.search(query, FIRST_SCREEN),
                                    repeats))
        pid = library.ids[len(library.ids) // 2]
        fts.db.execute("PRAGMA synchronous = FULL")  # as the marks store saves
        samples = []
        for flip in range(40):
            ms, _ = timed(lambda: fts.set_marks({pid: (False, flip % 2 == 0)}))
            samples.append(ms)
        report["toggle"] = summary(samples)
        return report
    finally:
        fts.close()
