"""BulkWriter: one fresh segment from all the documents at once, several times faster.

This is the one module pinned to Whoosh's internals (its segment and postings
writers' private state); tests/unit/test_bench.py checks that what it writes
reads back exactly as what Whoosh's own writer writes.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import traceback
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_long, pack_uint, pack_ushort, unpack_long
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import NO_MERGE, SegmentWriter

from papertui.analysis import fast_words
from papertui.child import Progress
from papertui.index import runs

_LENGTHS = [None] + [byte_to_length(code) for code in range(1, 256)]
_INFO_HEAD = W3TermInfo._struct.size  # then the postings' offset (8 bytes) and length
# Rough cost of indexing one character of a field, by how it is analysed and stored,
# to share the fields out between processes.
_COST = {Positions: 1.0, Frequency: 0.7}
# Postings one process holds in memory before it spills them to a sorted run on
# disk: about 60 bytes each, so a build's memory stays bounded whatever the corpus.
SPILL_POSTINGS = 2_000_000


class _Inverted:
    """The postings of some fields over all documents, one list per term, and their lengths.

    Each term's postings are appended in document order, so only the terms
    need sorting; the words come from ``analysis.fast_words``. Every
    ``spill_at`` postings, those held go to a sorted run on disk (``runs``),
    merged with the others when the fields are encoded.
    """

    def __init__(self, schema, names: Sequence[str], folder: Path,
                 spill_at: int = SPILL_POSTINGS) -> None:
        self._fields = [(name, schema[name]) for name in names if schema[name].indexed]
        self._words = {name: fast_words(field.analyzer) for name, field in self._fields
                       if type(field.format) in (Positions, Frequency)}
        self.postings: dict[str, dict[bytes, tuple[array, array, list]]] = {
            name: {} for name, _ in self._fields}
        self.lengths: dict[str, array] = {name: array("I") for name, _ in self._fields}
        self._single: dict[int, bytes] = {}  # the encoding of one position, by position
        self._counts: dict[int, bytes] = {}  # the encoding of a frequency, by frequency
        self._folder, self._spill_at = folder, spill_at
        self._held = 0  # postings in memory since the last spill
        self._runs: dict[str, list[Path]] = {name: [] for name, _ in self._fields}

    def add_all(self, docs: Sequence[dict], progress: Progress | None = None) -> None:
        total = len(docs)
        step = max(1, min(500, total // 100))
        for docnum, fields in enumerate(docs):
            for name, field in self._fields:
                value = fields.get(name)
                length = 0 if value is None else self._index(name, field, value, docnum)
                self.lengths[name].append(length)
            if self._held >= self._spill_at:
                self._spill()
            if progress and (docnum + 1) % step == 0:
                progress(docnum + 1, total, "indexing")

    def _index(self, name: str, field, value, docnum: int) -> int:
        """Add one field's postings; return its length as SegmentWriter counts it."""
        terms = self.postings[name]
        words_of = self._words.get(name)
        if words_of is None:
            length = 0
            for btext, freq, weight, vbytes in field.index(value):
                length += freq if field.scorable else 0
                _add(terms, btext, docnum, weight, vbytes)
                self._held += 1
            return length
        words, first = words_of(value)
        boost = field.format.field_boost
        if type(field.format) is Positions:
            positions: dict[str, list[int]] = {}
            for position, word in enumerate(words, first):
                found = positions.get(word)
                if found is None:
                    positions[word] = [position]
                else:
                    found.append(position)
            for word, found in positions.items():
                _add(terms, word.encode("utf-8"), docnum, len(found) * boost,
                     self._encode_positions(found))
            self._held += len(positions)
        else:
            counts = self._counts
            counted = Counter(words)
            for word, count in counted.items():
                vbytes = counts.get(count) or counts.setdefault(count, pack_uint(count))
                _add(terms, word.encode("utf-8"), docnum, count * boost, vbytes)
            self._held += len(counted)
        return len(words) if field.scorable else 0

    def _encode_positions(self, positions: list[int]) -> bytes:
        """Positions.encode, with the common single position cached."""
        if len(positions) == 1:
            position = positions[0]
            found = self._single.get(position)
            if found is None:
                found = self._single[position] = pack_uint(1) + pickle.dumps([position], 2)
            return found
        deltas = [positions[0]] + [b - a for a, b in zip(positions, positions[1:])]
        return pack_uint(len(deltas)) + pickle.dumps(deltas, 2)

    def _spill(self) -> None:
        """Move the postings held in memory to one sorted run file per field."""
        for name, _ in self._fields:
            if self.postings[name]:
                path = self._folder / f"postings-{name}.run{len(self._runs[name])}"
                self._runs[name].append(path)
                runs.write(path, self.postings[name])
        self._held = 0

    def encode(self, codec) -> dict[str, tuple[Path, list, array]]:
        """Write each field's part of the postings file, its runs and the postings
        still in memory merged, to the folder.

        Returns, by field, the part's path, its (term, terminfo bytes) list with
        offsets from the part's start (bytes: a TermInfo object costs 500), and the
        field's length in each document.
        """
        encoded = {}
        for name, field in self._fields:
            part = self._folder / f"postings-{name}.part"
            quantised = array("B", map(length_to_byte, self.lengths[name]))
            sources = [runs.read(path) for path in self._runs.pop(name)]
            sources.append(runs.from_memory(self.postings.pop(name)))
            infos = []
            with open(part, "wb") as handle:
                postings = codec.postings_writer(StructFile(handle))
                for btext, docnums, weights, values in runs.merged(sources):
                    postings.start_postings(field.format, W3TermInfo())
                    _fill_blocks(postings, docnums, weights, values, quantised)
                    infos.append((btext, postings.finish_postings().to_bytes()))
            encoded[name] = (part, infos, self.lengths.pop(name))
        return encoded


def _add(terms: dict, btext: bytes, docnum: int, weight: float, vbytes: bytes | None) -> None:
    entry = terms.get(btext)
    if entry is None:
        entry = terms[btext] = (array("I"), array("d"), [])
    entry[0].append(docnum)
    entry[1].append(weight)
    entry[2].append(vbytes or b"")


def _fill_blocks(postings, docnums: array, weights: array, values: list, lengths: array) -> None:
    """What W3PostingsWriter.add_posting does one posting at a time, a block at a time.

    Full blocks are written; the last one stays buffered for finish_postings().
    """
    size, total = postings._blocklimit, len(docnums)
    for start in range(0, total, size):
        end = min(start + size, total)
        block_weights = weights[start:end]
        postings._ids = docnums[start:end]
        postings._weights = array("f", block_weights)
        postings._values = [v for v in values[start:end] if v]
        postings._maxweight = max(0, max(block_weights))
        known = [_LENGTHS[lengths[d]] for d in postings._ids if lengths[d]]
        postings._minlength = min(known) if known else None
        postings._maxlength = max(known) if known else 0
        if end < total:
            postings._write_block()


def _rebased(info: bytes, base: int) -> bytes:
    """W3TermInfo bytes with the postings' offset moved on by ``base`` (none when inlined)."""
    if info[0]:  # the postings are inlined: no offset
        return info
    offset = unpack_long(info[_INFO_HEAD:_INFO_HEAD + 8])[0] + base
    return info[:_INFO_HEAD] + pack_long(offset) + info[_INFO_HEAD + 8:]


def _share(schema, docs: Sequence[dict], parts: int) -> list[list[str]]:
    """The indexed field names split into ``parts`` groups of about equal cost."""
    costs = {}
    for name, field in schema.items():
        if field.indexed:
            chars = sum(len(d.get(name) or "") for d in docs[:2000]) + 1
            costs[name] = chars * _COST.get(type(field.format), 0.3)
    groups: list[list[str]] = [[] for _ in range(parts)]
    totals = [0.0] * parts
    for name in sorted(costs, key=costs.__getitem__, reverse=True):
        lightest = totals.index(min(totals))
        groups[lightest].append(name)
        totals[lightest] += costs[name]
    return [g for g in groups if g]


class _Forked:
    """``job`` run in a forked child; ``result()`` waits for what it returned.

    os.fork, not multiprocessing: the builder runs in a daemon process, which
    multiprocessing does not let start children.
    """

    def __init__(self, job: Callable[[], object]) -> None:
        read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    pickle.dump(job(), out, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(status)
        os.close(write)
        self._read = read

    def result(self) -> object:
        try:
            with os.fdopen(self._read, "rb") as source:
                data = source.read()
        finally:
            _, status = os.waitpid(self._pid, 0)
        if status != 0 or not data:
            raise RuntimeError(f"an index worker failed (wait status {status})")
        return pickle.loads(data)

    def cancel(self) -> None:
        """Stop the child and reap it (after a failure in the parent)."""
        try:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._read)
        except OSError:
            pass


class BulkWriter(SegmentWriter):
    """Writes one fresh segment from documents given all at once, several times faster.

    ``add_document`` only queues; ``commit`` inverts and writes. Whoosh's
    SegmentWriter pools every posting as a tuple, sorts them all (pickling runs
    to disk past ``limitmb``) and reads each posting's field length back from
    disk while writing: most of a build's time. Here each field is inverted in
    memory with only its terms sorted, and with ``workers`` > 1 the fields are
    shared out between forked processes (fields are independent until the
    final concatenation). The index reads back exactly as SegmentWriter's
    (tests/unit/test_bench.py compares every term, posting, block and column); the
    postings file is a little smaller, as equal position encodings are shared
    and pickled once per block. Past ``spill_at`` postings a process spills
    them to sorted runs on disk and merges the runs at the end, so its memory
    stays bounded: the documents' text, plus at most ``spill_at`` postings.

    ``beside`` writes the new segment into an index that has segments already
    (an update); the others are never merged, as their postings are not pooled.
    """

    def __init__(self, ix, workers: int = 1, progress: Progress | None = None,
                 spill_at: int = SPILL_POSTINGS, beside: bool = False, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        if self.segments and not beside:
            # Merging would pool the old segments' postings, which _flush_segment never writes.
            count = len(self.segments)
            self.cancel()
            raise ValueError(f"BulkWriter writes only into an empty index; this one has"
                             f" {count} segment{'s' if count > 1 else ''}")
        self._docs: list[dict] = []
        self._workers = workers
        self._progress = progress
        self._spill_at = spill_at

    def commit(self, mergetype=None, optimize=None, merge=None) -> None:
        """Write the new segment beside the index's segments: never a merge (see ``beside``)."""
        super().commit(mergetype=NO_MERGE)

    def add_document(self, **fields) -> None:
        if any(name.startswith("_") for name in fields):
            raise ValueError("BulkWriter takes no boosts or _stored_ values")
        self._check_state()
        self._check_fields(self.schema, fields)
        for name, value in fields.items():
            if self.schema[name].separate_spelling() or self.schema[name].vector:
                raise ValueError(f"BulkWriter cannot write spelling or vectors ({name})")
            if value is not None and not isinstance(value, str):
                raise ValueError(f"BulkWriter takes text only: field {name!r} is a"
                                 f" {type(value).__name__}, {value!r:.40}")
        self._docs.append(fields)
        self._added = True

    def _flush_segment(self) -> None:
        docs, schema = self._docs, self.schema
        forking = hasattr(os, "fork") and threading.active_count() == 1
        groups = _share(schema, docs, self._workers if forking else 1)
        folder = Path(self.storage.folder)
        invert = partial(_invert, schema, docs=docs, codec=self.codec, folder=folder,
                         spill_at=self._spill_at)
        workers = [_Forked(partial(invert, group)) for group in groups[1:]]
        try:
            encoded = invert(groups[0], progress=self._progress)
            while workers:
                encoded.update(workers[0].result())
                workers.pop(0)
        except BaseException:
            for worker in workers:
                worker.cancel()
            raise
        self._write_documents(encoded)
        self._write_postings(encoded)

    def _write_documents(self, encoded: dict) -> None:
        """Stored values, columns and field lengths, as SegmentWriter.add_document writes them."""
        schema, perdoc = self.schema, self.perdocwriter
        for number, fields in enumerate(self._docs):
            perdoc.start_doc(self.docnum + number)
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = encoded[name][2][number] if name in encoded else 0
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
            perdoc.finish_doc()
        self.docnum += len(self._docs)
        self._docs = []
        perdoc.close()

    def _write_postings(self, encoded: dict) -> None:
        """Concatenate the fields' postings in name order, with their term infos."""
        writer = self.fieldwriter
        for name in sorted(encoded):
            part, infos, _ = encoded.pop(name)
            if not infos:
                part.unlink()
                continue
            writer.start_field(name, self.schema[name])
            base = writer._postfile.tell()
            with open(part, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    writer._postfile.write(chunk)
            part.unlink()
            prefix = pack_ushort(writer._fieldid)
            for btext, info in infos:
                writer._tindex.add(prefix + btext, _rebased(info, base))
            writer.finish_field()
        writer.close()


def _invert(schema, names: Sequence[str], docs: Sequence[dict], codec, folder: Path,
            spill_at: int, progress: Progress | None = None) -> dict:
    inverted = _Inverted(schema, names, folder, spill_at)
    inverted.add_all(docs, progress)
    if progress:
        progress(0, 1, "writing")
    return inverted.encode(codec)
