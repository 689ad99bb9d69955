"""Peak memory of the library as the app holds it: load, open the index, run every query.

Run in its own process (``python -m bench.memory``) with XDG dirs already pointing
at a prepared library; prints one JSON object.
"""

from __future__ import annotations

import json
import sys

from bench.measure import peak_rss_mb
from bench.queries import all_queries


def main() -> int:
    from papertui.library import Library

    baseline = peak_rss_mb()
    library = Library.load()
    library.ensure_index()
    loaded = peak_rss_mb()
    for _, query in all_queries():
        library.search(query)
    print(json.dumps({"interpreter_mb": baseline, "loaded_mb": loaded, "peak_mb": peak_rss_mb()}))
    library.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
