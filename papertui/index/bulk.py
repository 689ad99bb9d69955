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
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import repeat
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3PostingsWriter, W3TermInfo
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
# disk: a few tens of bytes each, so a build's memory stays bounded whatever the corpus.
SPILL_POSTINGS = 2_000_000
# A block whose pickle is shorter than this is written uncompressed (see _PostingsWriter).
SMALL_BLOCK = 128
# A term with fewer postings than this keeps them in its term info, not in a block of the
# postings file: most terms are in one document, and a block costs more to write than to read.
INLINE = 2


class _Codes(dict):
    """Codes given on first sight: a term's number (0, 1, ...), or what ``make`` makes of a key."""

    def __init__(self, make: Callable[[object], object] | None = None) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: object) -> object:
        code = self[key] = len(self) if self._make is None else self._make(key)
        return code


class _Field:
    """One field's postings since the last spill, as columns in document order: each
    posting's term number, document, weight and encoded value, appended a document at
    a time (a call a column, not a call a posting)."""

    def __init__(self) -> None:
        self.numbers = _Codes()  # term -> its number, in order of first sight
        self.terms, self.docnums, self.weights = array("I"), array("I"), array("d")
        self.values: list[bytes] = []

    def add(self, terms: list, docnum: int, weights: list, values: list) -> None:
        numbers = self.numbers
        self.terms.extend([numbers[term] for term in terms])
        self.docnums.extend(repeat(docnum, len(terms)))
        self.weights.extend(weights)
        self.values.extend(values)

    def in_order(self) -> Iterator[runs.Postings]:
        """The postings held, term by term in byte order, each term's in document order.

        Each column is let go once reordered, so that sorting holds little more than
        the columns themselves."""
        words = [word.encode("utf-8") if isinstance(word, str) else word for word in self.numbers]
        numbers = np.frombuffer(self.terms, np.uint32)
        ends = np.cumsum(np.bincount(numbers, minlength=len(words))).tolist()
        order = np.argsort(numbers, kind="stable")  # stable: each term's documents stay in order
        del numbers
        docnums = np.frombuffer(self.docnums, np.uint32)[order]
        weights = np.frombuffer(self.weights, np.float64)[order]
        values = np.array(self.values, dtype=object)
        self.__init__()
        values = values[order]
        del order
        for number in sorted(range(len(words)), key=words.__getitem__):
            start, end = ends[number - 1] if number else 0, ends[number]
            yield (words[number], array("I", docnums[start:end].tobytes()),
                   array("d", weights[start:end].tobytes()), values[start:end].tolist())


class _Inverted:
    """The postings of some fields over all documents, and their lengths.

    Each field's postings are appended in document order as columns (``_Field``)
    and sorted by term when written; the words come from ``analysis.fast_words``.
    Every ``spill_at`` postings, those held go to a sorted run on disk (``runs``),
    merged with the others when the fields are encoded.
    """

    def __init__(self, schema, names: Sequence[str], folder: Path,
                 spill_at: int = SPILL_POSTINGS) -> None:
        self._fields = [(name, schema[name]) for name in names if schema[name].indexed]
        self._words = {name: fast_words(field.analyzer) for name, field in self._fields
                       if type(field.format) in (Positions, Frequency)}
        self.postings = {name: _Field() for name, _ in self._fields}
        self.lengths: dict[str, array] = {name: array("I") for name, _ in self._fields}
        # The encoding of one position, by position, and of a frequency, by frequency.
        self._single = _Codes(lambda position: pack_uint(1) + pickle.dumps([position], 2))
        self._counts = _Codes(pack_uint)
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
        postings = self.postings[name]
        words_of = self._words.get(name)
        if words_of is None:
            length, terms, weights, values = 0, [], [], []
            for btext, freq, weight, vbytes in field.index(value):
                length += freq if field.scorable else 0
                terms.append(btext)
                weights.append(weight)
                values.append(vbytes or b"")
            postings.add(terms, docnum, weights, values)
            self._held += len(terms)
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
            each, single = positions.values(), self._single
            postings.add(list(positions), docnum, [len(at) * boost for at in each],
                         [single[at[0]] if len(at) == 1 else _encoded(at) for at in each])
            self._held += len(positions)
        else:
            counted = Counter(words)
            counts, codes = counted.values(), self._counts
            postings.add(list(counted), docnum, [count * boost for count in counts],
                         [codes[count] for count in counts])
            self._held += len(counted)
        return len(words) if field.scorable else 0

    def _spill(self) -> None:
        """Move the postings held in memory to one sorted run file per field."""
        for name, _ in self._fields:
            if self.postings[name].values:
                path = self._folder / f"postings-{name}.run{len(self._runs[name])}"
                self._runs[name].append(path)
                runs.write(path, self.postings[name].in_order())
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
            sources.append(self.postings.pop(name).in_order())
            infos = []
            with open(part, "wb") as handle:
                postings = _PostingsWriter(StructFile(handle), blocklimit=codec._blocklimit,
                                           compression=codec._compression, inlinelimit=INLINE)
                for btext, docnums, weights, values in runs.merged(sources):
                    postings.start_postings(field.format, W3TermInfo())
                    _fill_blocks(postings, docnums, weights, values, quantised)
                    infos.append((btext, postings.finish_postings().to_bytes()))
            encoded[name] = (part, infos, self.lengths.pop(name))
        return encoded


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer, with a rare term's postings cheap to write.

    - A term with fewer than ``inlinelimit`` postings keeps them in its term info.
    - A small block is left uncompressed. Whoosh means to leave a block of under 20
      bytes uncompressed (its comment in ``_write_block``), yet compresses every
      block; on a block of a few postings zlib saves nothing and its set-up is most
      of the writing. Each block records its compression: readers take both.
    """

    def finish_postings(self) -> W3TermInfo:
        """The term's info, its postings inlined in it when there are few (Whoosh's own
        call to do so is misspelt) and they have values (an inlined posting without one
        reads back as "", not None); else in blocks."""
        terminfo, self._terminfo = self._terminfo, None
        if (not self.written() and len(self._ids) < self._inlinelimit
                and len(self._values) == len(self._ids)):
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            return terminfo
        if self._ids:
            self._terminfo = terminfo
            self._write_block(last=True)
            self._terminfo = None
        terminfo.set_extent(self._startoffset, self._postfile.tell() - self._startoffset)
        return terminfo

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = pickle.dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
        compression = self._compression if len(data) >= SMALL_BLOCK else 0
        if compression:
            data = zlib.compress(data, compression)
        ids = self._ids
        info = pickle.dumps((len(ids), ids[-1], self._maxweight, compression,
                             length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        length = len(info) + len(data)
        self._postfile.write_int(-length if last else length)  # negative: the last block
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


def _encoded(positions: list[int]) -> bytes:
    """Positions.encode of several positions."""
    deltas = [positions[0]] + [b - a for a, b in zip(positions, positions[1:])]
    return pack_uint(len(deltas)) + pickle.dumps(deltas, 2)


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


def _by_cost(schema, docs: Sequence[dict]) -> list[str]:
    """The indexed field names, the costliest to invert first (by a sample's text)."""
    costs = {}
    for name, field in schema.items():
        if field.indexed:
            chars = sum(len(d.get(name) or "") for d in docs[:2000]) + 1
            costs[name] = chars * _COST.get(type(field.format), 0.3)
    return sorted(costs, key=costs.__getitem__, reverse=True)


class _Fields:
    """The fields still to invert, shared by the forked processes through a pipe (a byte
    a field): each process takes the next one when it is done with one, so that they
    end close together whatever each field costs. Make it before forking."""

    def __init__(self, names: Sequence[str]) -> None:
        self._names = list(names)
        read, write = os.pipe()
        os.write(write, bytes(range(len(self._names))))  # a pipe holds 64 KB: room for them
        os.close(write)  # once every byte is read, reads find the end
        self._read = read

    def take(self) -> str | None:
        """The next field to invert, None once there are none (reading one byte is atomic)."""
        taken = os.read(self._read, 1)
        return self._names[taken[0]] if taken else None

    def close(self) -> None:
        os.close(self._read)


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
    memory, its postings sorted by term as columns, and with ``workers`` > 1
    forked processes take the fields one at a time (fields are independent
    until the final concatenation). The index reads back exactly as
    SegmentWriter's (tests/unit/test_bench.py compares every term, posting,
    block and column); the postings file differs in bytes, as equal position
    encodings are shared and small blocks are not compressed. Past ``spill_at``
    postings a process spills them to sorted runs on disk and merges the runs
    at the end, so its memory stays bounded: the documents' text, plus at most
    ``spill_at`` postings.

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
        fields = _Fields(_by_cost(schema, docs))
        invert = partial(_invert, schema, fields, docs=docs, codec=self.codec,
                         folder=Path(self.storage.folder), spill_at=self._spill_at)
        workers = [_Forked(invert) for _ in range(self._workers - 1 if forking else 0)]
        try:
            encoded = invert(progress=self._progress)
            while workers:
                encoded.update(workers[0].result())
                workers.pop(0)
        except BaseException:
            for worker in workers:
                worker.cancel()
            raise
        finally:
            fields.close()
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


def _invert(schema, fields: _Fields, docs: Sequence[dict], codec, folder: Path,
            spill_at: int, progress: Progress | None = None) -> dict:
    """Invert and encode the fields this process takes, one at a time, until none are left;
    ``progress`` follows the first one's inversion (the costliest, when taken first)."""
    encoded = {}
    while (name := fields.take()) is not None:
        inverted = _Inverted(schema, [name], folder, spill_at)
        inverted.add_all(docs, progress)
        if progress:
            progress(0, 1, "writing")
            progress = None
        encoded.update(inverted.encode(codec))
    return encoded
