"""Sorted runs of postings spilled to disk, and their merge, for the bulk writer.

A run holds the postings of one field over a stretch of documents, term by
term in byte order. Runs are made in document order, so a term's postings over
all documents are its postings in each run, one run after another.
"""

from __future__ import annotations

import heapq
import marshal
import struct
from array import array
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path

# One term's postings: its bytes, and the document numbers, weights and values.
Postings = tuple[bytes, array, array, list]
_SIZE = struct.Struct("<I")


def write(path: Path, postings: Iterable[Postings]) -> None:
    """Write ``postings`` (term by term in order) to a run file at ``path``."""
    with open(path, "wb") as handle:
        for btext, docnums, weights, values in postings:
            record = marshal.dumps((btext, docnums.tobytes(), weights.tobytes(), values))
            handle.write(_SIZE.pack(len(record)))
            handle.write(record)


def read(path: Path) -> Iterator[Postings]:
    """The postings of the run file at ``path``, term by term; the file is removed once read."""
    try:
        with open(path, "rb", buffering=1 << 20) as handle:
            while header := handle.read(_SIZE.size):
                btext, docnums, weights, values = marshal.loads(handle.read(_SIZE.unpack(header)[0]))
                yield btext, array("I", docnums), array("d", weights), values
    finally:
        path.unlink(missing_ok=True)


def merged(sources: Iterable[Iterator[Postings]]) -> Iterator[Postings]:
    """Each term once, in order, with its postings from every source in the sources' order."""
    current: Postings | None = None
    for entry in heapq.merge(*sources, key=itemgetter(0)):  # ties keep the sources' order
        if current is not None and entry[0] == current[0]:
            current[1].extend(entry[1])
            current[2].extend(entry[2])
            current[3].extend(entry[3])
            continue
        if current is not None:
            yield current
        current = entry
    if current is not None:
        yield current
