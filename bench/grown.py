"""The search targets on a library that has grown, as a daily reader's does.

After the fresh-build measurements, the bench's library takes 30 fetches (a
loopback server answers each with 50 new papers as a Daily Papers response, text
from real records) and 100 note edits, through the app's own paths
(``Library.fetch_feeds``, ``Library.organise.set_note``): each adds index
segments, as weeks of use do. Then the same query set is timed again, first
screen and complete list. Everything runs on the library ``isolated`` points at.
"""

from __future__ import annotations

import json
import random
import time

from bench.fetch_merge import serve
from bench.measure import query_latency, timed
from bench.measure import first_screen as first_screen_of
from papertui import config
from papertui.feeds.spec import new_feed
from papertui.library import Library

FETCHES = 30
PER_FETCH = 50
NOTE_EDITS = 100
SETUP = (f"{FETCHES} fetches of {PER_FETCH} new papers each (one `url` feed, a loopback server)"
         f" and {NOTE_EDITS} note edits, then the query set of `bench/queries.py`")


def _batch(records: list[dict], number: int) -> bytes:
    """Daily Papers items for fetch ``number``: ids no library paper has, real text."""
    items = []
    for n in range(PER_FETCH):
        record = records[(number * PER_FETCH + n) % len(records)]
        title = f"Grown {number}.{n}: {record['title']}"
        items.append({"title": title, "paper": {
            "id": f"2702.{number * PER_FETCH + n:05d}", "title": title,
            "summary": record.get("summary") or "", "publishedAt": "2027-02-01T00:00:00.000Z",
            "authors": [{"name": a} for a in (record.get("authors") or [])[:5]],
            "upvotes": PER_FETCH - n}})
    return json.dumps(items).encode()


def grow(library: Library, records: list[dict], fetches: int = FETCHES,
         notes: int = NOTE_EDITS) -> dict:
    """Fetch and annotate as weeks of use do; how long it took and what it added."""
    before = len(library)
    asked = iter(range(fetches))
    server = serve(lambda: _batch(records, next(asked)))  # the Nth answer is batch N
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/daily.json"
        config.save(config.Config(feeds=(new_feed("url", [url]),)))
        fetch_ms = []
        for _ in range(fetches):
            ms, summary = timed(library.fetch_feeds)
            if summary.failed:
                raise RuntimeError("; ".join(summary.lines()))
            fetch_ms.append(ms)
    finally:
        server.shutdown()
    rng = random.Random(5)
    note_ms = []
    for pid in rng.sample(library.ids, notes):
        ms, _ = timed(lambda: library.organise.set_note(pid, f"grown note {pid}: worth a read"))
        note_ms.append(ms)
    return {"papers_before": before, "papers_after": len(library),
            "fetch_s": sum(fetch_ms) / 1000, "notes_s": sum(note_ms) / 1000}


def run(records: list[dict], repeats: int, fetches: int = FETCHES, notes: int = NOTE_EDITS) -> dict:
    """Grow the library, then time the query set on it."""
    library = Library.load()
    try:
        library.ensure_index()
        started = time.perf_counter()
        setup = (SETUP if (fetches, notes) == (FETCHES, NOTE_EDITS) else
                 f"{fetches} fetches and {notes} note edits (a quick run)")
        result = {"setup": setup, **grow(library, records, fetches, notes)}
        result["grow_s"] = time.perf_counter() - started
        result["search"] = query_latency(lambda q: library.search(q).ids,
                                         lambda q: first_screen_of(library, q), repeats)
        return result
    finally:
        library.close()
