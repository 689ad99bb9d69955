"""Peak memory of the library as the app holds it: load, open the index, run every query.

Run in its own process (``python -m bench.memory``) with XDG dirs already pointing
at a prepared library; prints one JSON object. With ``--build``, the index is
first rebuilt and the build's own peak is reported too: the build child's
peak resident memory (its VmHWM, and its forked workers', sampled from /proc,
as ru_maxrss would charge it this process's memory at the spawn), its wall
and CPU time, and papers per second. (``make bench`` takes the same peak
during its own build: bench.measure.load_and_build.)
"""

from __future__ import annotations

import json
import resource
import sys
import time

from bench.measure import children_peak, peak_rss_mb
from bench.queries import all_queries


def main(argv: list[str]) -> int:
    from papertui.library import Library

    baseline = peak_rss_mb()
    library = Library.load()
    result: dict = {"interpreter_mb": baseline}
    if "--build" in argv:
        result.update(build_peak(library))
    library.ensure_index()
    result["loaded_mb"] = peak_rss_mb()
    for _, query in all_queries():
        library.search(query)
    result["peak_mb"] = peak_rss_mb()
    print(json.dumps(result))
    library.close()
    return 0


def build_peak(library) -> dict:
    """Rebuild the index, watching the peak memory of every process the build starts."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with children_peak() as peaks:
        library.invalidate_index()
        library.ensure_index()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"build_s": round(wall, 2), "build_papers_per_s": round(len(library) / wall),
            "build_child_cpu_s": round(cpu, 2),
            "build_child_peak_mb": round(max(peaks.values(), default=0.0), 1)}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
