"""Phrase positions with NumPy: which candidate documents hold a phrase, as Whoosh decides.

Whoosh's phrase matcher walks every document that holds all the words and
decodes each posting's positions in Python. Here a term's positions are read
one posting block at a time, only for the blocks that hold a candidate, and
decoded as arrays: each posting's value is a pickled list of position deltas,
almost always one byte each, at fixed offsets. A position is kept as a key,
``docnum * STRIDE + position``, so that a phrase is a chain of sorted-array
lookups (``SpanNear2`` with ``mindist=1``, ordered: each word ends 1 to
``slop`` positions after the previous one).
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib

import numpy as np
import numpy.ma  # noqa: F401  np.unique imports it when first called: ~40 ms of the first phrase
from whoosh.formats import Format, Positions
from whoosh.reading import SegmentReader

STRIDE = 1 << 32  # above any position, so that keys of two documents are never within a slop
KEYS_KEPT = 4_000_000  # decoded positions (8 bytes each) a ranker keeps for the next query
_HEADER = np.frombuffer(b"\x80\x02]q\x00", np.uint8)  # after the 4-byte count: pickle, list, memo


class TermPositions:
    """One term's postings in one segment, decoded to position keys block by block, on demand."""

    def __init__(self, reader: SegmentReader, fieldname: str, btext: bytes) -> None:
        self.format: Format = reader.schema[fieldname].format
        self.blocks: list[np.ndarray | None] = []  # sorted keys of each block, once decoded
        self.where: list[tuple[int, int, bool]] = []  # each block's data: start, length, compressed
        self.decoded = 0  # positions decoded so far
        info = reader._terms.term_info(fieldname, btext)
        if info.is_inlined():
            ids, _, values = info.inlined_postings()
            self.lasts = np.array([ids[-1]], np.int64)
            self.blocks.append(self._keys(np.asarray(ids, np.int64), list(values))[0])
            return
        self.postfile = reader._terms._postfile
        lasts: list[int] = []
        position, last = info.extent()[0] + 4, False  # after the header tag
        while not last:
            length = struct.unpack("!i", self.postfile.get(position, 4))[0]
            last, length = length < 0, abs(length)
            raw = self.postfile.get(position + 4, length)
            stream = io.BytesIO(raw)
            _, lastid, _, compression, _, _ = pickle.load(stream)
            at = stream.tell()
            self.where.append((position + 4 + at, length - at, bool(compression)))
            lasts.append(lastid)
            self.blocks.append(None)
            position += 4 + length
        self.lasts = np.asarray(lasts, np.int64)

    def keys(self, docnums: np.ndarray) -> np.ndarray:
        """Sorted position keys of the blocks that hold any of ``docnums`` (sorted, local):
        a superset of the keys of those documents."""
        wanted = np.unique(np.searchsorted(self.lasts, docnums))
        wanted = wanted[wanted < len(self.lasts)].tolist()
        missing = [block for block in wanted if self.blocks[block] is None]
        if missing:
            self._read(missing)
        found = [self.blocks[block] for block in wanted]
        return np.concatenate(found) if found else np.zeros(0, np.int64)

    def _read(self, blocks: list[int]) -> None:
        """Decode ``blocks`` (ascending) in one go: NumPy's cost is per call, not per posting."""
        ids: list[np.ndarray] = []
        values: list[bytes] = []
        sizes: list[int] = []
        for block in blocks:
            start, length, compressed = self.where[block]
            raw = self.postfile.get(start, length)
            deltas, _, found = pickle.loads(zlib.decompress(raw) if compressed else raw)
            ids.append(np.cumsum(np.asarray(deltas, np.int64)))
            values.extend(found)
            sizes.append(len(found))
        keys, counts = self._keys(np.concatenate(ids), values)
        self.decoded += len(keys)
        per_block = np.add.reduceat(counts, np.cumsum(sizes) - sizes) if len(counts) else counts
        for block, part in zip(blocks, np.split(keys, np.cumsum(per_block)[:-1])):
            self.blocks[block] = part

    def _keys(self, ids: np.ndarray, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """The keys of postings (documents ``ids``, positions in ``values``), in order (sorted,
        as the index holds them), and how many positions each posting has."""
        counts, positions = _positions(values, self.format)
        return np.repeat(ids, counts) * STRIDE + positions, counts


def _positions(values: list[bytes], format_: Format) -> tuple[np.ndarray, np.ndarray]:
    """Each value's count of positions, and every position, in order.

    A Positions value is ``pack_uint(n)`` then ``pickle.dumps(deltas, 2)``: ``\\x80\\x02]q\\x00``,
    then ``K d a .`` for one delta or ``( K d0 K d1 ... e .`` for more, when every delta is
    below 256. Those are read as arrays; any other value by the format (Whoosh's decoder).
    """
    sizes = np.fromiter(map(len, values), np.int64, len(values))
    starts = np.cumsum(sizes) - sizes
    data = np.frombuffer(b"".join(values) + bytes(13), np.uint8)  # fixed offsets stay inside
    counts = data[starts[:, None] + np.arange(4)].astype(np.int64) @ (1 << np.arange(24, -1, -8))
    single = counts == 1
    ends = starts + sizes
    plain = ((counts >= 1) & (sizes == np.where(single, 13, 12 + 2 * counts))
             & (data[starts[:, None] + np.arange(4, 9)] == _HEADER).all(axis=1)
             & (data[ends - 2] == np.where(single, ord("a"), ord("e")))
             & (data[ends - 1] == ord(".")))
    if type(format_) is not Positions:
        plain[:] = False
    others = {at: format_.decode_positions(values[at]) for at in np.flatnonzero(~plain).tolist()}
    for at, found in others.items():
        counts[at] = len(found)
    firsts = np.cumsum(counts) - counts
    owner = np.repeat(np.arange(len(values)), counts)
    read = plain[owner]
    nth = np.arange(len(owner))[read] - firsts[owner[read]]
    deltas = np.zeros(len(owner), np.int64)
    deltas[read] = data[starts[owner[read]] + np.where(single[owner[read]], 10, 11 + 2 * nth)]
    sums = np.cumsum(deltas)
    positions = sums - np.repeat(np.concatenate(([0], sums))[firsts], counts)
    for at, found in others.items():
        positions[firsts[at]:firsts[at] + len(found)] = found
    return counts, positions


def phrase_docs(terms: list[TermPositions], slop: int, candidates: np.ndarray,
                count: int) -> np.ndarray:
    """Which of ``candidates`` (sorted local docnums of a segment of ``count`` documents,
    each holding every word) have the words in order, each 1 to ``slop`` positions after
    the one before, as Whoosh's SpanNear2 matcher decides."""
    wanted = np.zeros(count, bool)
    wanted[candidates] = True
    reach = terms[0].keys(candidates)
    reach = reach[wanted[reach // STRIDE]]
    for term in terms[1:]:
        if not len(reach):
            break
        keys = term.keys(candidates)
        before = np.searchsorted(reach, keys) - 1  # the last reached position before each key
        near = (before >= 0) & (keys - reach[np.maximum(before, 0)] <= slop)
        reach = keys[near]
    return np.unique(reach // STRIDE)


class PositionCache:
    """Decoded term positions of one searcher's segments: the most recently used terms, up
    to KEYS_KEPT positions (the first screen and then the complete list read the same)."""

    def __init__(self) -> None:
        self._terms: dict[tuple[int, str, bytes], TermPositions] = {}

    def term(self, segment: int, reader: SegmentReader, fieldname: str,
             btext: bytes) -> TermPositions:
        key = (segment, fieldname, btext)
        found = self._terms.pop(key, None)
        while self._terms and sum(term.decoded for term in self._terms.values()) > KEYS_KEPT:
            self._terms.pop(next(iter(self._terms)))
        self._terms[key] = found or TermPositions(reader, fieldname, btext)
        return self._terms[key]
