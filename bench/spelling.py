"""Known-item queries with a typo, searched as ``papertui search`` does (did you mean on).

For 50 papers of the corpus drawn with a fixed seed (those with at least three
title words of ASCII letters only and 5+ letters), the query is the paper's
three rarest such words (document frequency in title_plain plus abstract_plain,
ties alphabetical), in title order; the typo swaps the third and fourth letters
of the first word. A query succeeds when the paper is in its top 3.

Run with the library's XDG dirs set (a library holding the corpus, indexed):
    python -m bench.spelling [--source arxiv-74k]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from whoosh import index as whoosh_index

from papertui import paths
from papertui.analysis import PLAIN
from papertui.library import Library

SEED = 14
PAPERS = 50
TOP = 3


def rare_title_words(reader, title: str) -> list[str] | None:
    """The three rarest title words of ASCII letters, 5+ long, in title order."""
    seen: list[str] = []
    for token in PLAIN(title):
        word = token.text
        if word.isalpha() and word.isascii() and len(word) >= 5 and word not in seen:
            seen.append(word)
    if len(seen) < 3:
        return None
    frequency = {w: reader.doc_frequency("title_plain", w) + reader.doc_frequency("abstract_plain", w)
                 for w in seen}
    rarest = sorted(seen, key=lambda w: (frequency[w], w))[:3]
    return [w for w in seen if w in rarest]


def with_typo(word: str) -> str:
    """The third and fourth letters swapped."""
    return word[:2] + word[3] + word[2] + word[4:]


def known_items(library: Library, reader, source: str) -> list[tuple[str, str, str]]:
    """(paper id, query, query with the typo) for PAPERS papers drawn with SEED."""
    pool = [pid for pid in library.ids
            if any(name.startswith(source) for name in library.paper(pid).sources)]
    items = []
    for pid in random.Random(SEED).sample(pool, len(pool)):
        chosen = rare_title_words(reader, library.paper(pid).title)
        if chosen:
            items.append((pid, " ".join(chosen), " ".join([with_typo(chosen[0]), *chosen[1:]])))
        if len(items) == PAPERS:
            break
    return items


def run(source: str) -> dict:
    """Counts of papers found in the top 3, and the cost of a corrected search."""
    library = Library.load()
    library.ensure_index()
    ix = whoosh_index.open_dir(str(paths.index_dir()))
    try:
        with ix.reader() as reader:
            items = known_items(library, reader, source)
    finally:
        ix.close()
    found = {"as typed, no typo": 0, "typo, no correction": 0, "typo, did you mean": 0}
    corrected_ms: list[float] = []
    misses = []
    for pid, query, typo in items:
        found["as typed, no typo"] += pid in library.search(query, limit=TOP).ids
        found["typo, no correction"] += pid in library.search(typo, limit=TOP).ids
        started = time.perf_counter()
        result = library.search(typo, limit=TOP, correct=True)
        corrected_ms.append((time.perf_counter() - started) * 1000)
        found["typo, did you mean"] += pid in result.ids
        if pid not in result.ids:
            misses.append((pid, query, typo, result.corrected))
    library.close()
    ordered = sorted(corrected_ms)
    return {"queries": len(items), "found": found, "misses": misses,
            "search_with_correction_ms": {"p50": statistics.median(ordered),
                                          "p95": ordered[round(0.95 * (len(ordered) - 1))]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="arxiv-74k", help="the corpus's source name (prefix)")
    report = run(parser.parse_args().source)
    print(f"{report['queries']} known-item queries (seed {SEED}), paper in the top {TOP}:\n")
    print("| queries | found |\n|---|---:|")
    for name, count in report["found"].items():
        print(f"| {name} | {count} of {report['queries']} |")
    cost = report["search_with_correction_ms"]
    print(f"\nsearch with correction: p50 {cost['p50']:.1f} ms, p95 {cost['p95']:.1f} ms")
    for pid, query, typo, corrected in report["misses"]:
        print(f"  missed {pid}: {query!r} -> {typo!r} -> {corrected!r}")


if __name__ == "__main__":
    main()
