"""The Whoosh full-text index: schema, build in a child process, open, search.

The index is derived data: deleting it loses nothing. It lives in the user
cache dir and carries a fingerprint of the schema version and the sources it
was built from; a mismatch means a rebuild. Marks never go into it.
"""

from __future__ import annotations

import json
import mmap
import os
import pickle
import shutil
import signal
import threading
import traceback
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3TermInfo
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Frequency, Positions
from whoosh.query import MultiTerm, Not, Query
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from papertui.analysis import PLAIN, STEMMED, fast_words
from papertui.models import Paper

SCHEMA_VERSION = 1
FINGERPRINT_FILE = "papertui-fingerprint.json"
Progress = Callable[[int, int], None]
Doc = tuple[str, str, str, str]  # id, title, abstract, authors

SCHEMA = Schema(
    id=ID(stored=True, unique=True, sortable=True),
    title=TEXT(analyzer=STEMMED, field_boost=3.0),
    abstract=TEXT(analyzer=STEMMED),
    authors=TEXT(analyzer=PLAIN, field_boost=1.5),
    title_plain=TEXT(analyzer=PLAIN, phrase=False),
    abstract_plain=TEXT(analyzer=PLAIN, phrase=False),
)
# Fuzzy and prefix terms are looked up in the unstemmed twin of a stemmed field.
PLAIN_TWIN = {"title": "title_plain", "abstract": "abstract_plain"}
# The fastest one-segment build measured (docs/performance.md): the bulk writer below,
# with the fields shared between two processes. Any dict without "bulk" is passed to
# Whoosh's ``ix.writer(**options)``, for comparison.
WRITER_OPTIONS = {"bulk": True, "workers": 2}


def doc_of(paper: Paper) -> Doc:
    """The indexed text of a paper, small enough to send to a child process."""
    return (paper.id, paper.title, paper.abstract, "; ".join(paper.authors))


def _fields(doc: Doc) -> dict[str, str]:
    paper_id, title, abstract, authors = doc
    return {
        "id": paper_id,
        "title": title,
        "abstract": abstract,
        "authors": authors,
        "title_plain": title,
        "abstract_plain": abstract,
    }


def read_fingerprint(directory: Path) -> dict | None:
    """The fingerprint the index was built with, or None when there is none."""
    try:
        return json.loads((directory / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def exists(directory: Path) -> bool:
    """True when ``directory`` holds a Whoosh index (current or not)."""
    return directory.is_dir() and whoosh_index.exists_in(str(directory))


def forget(directory: Path) -> None:
    """Mark the index as out of date, so that it is rebuilt."""
    try:
        (directory / FINGERPRINT_FILE).unlink()
    except FileNotFoundError:
        pass


def _write_fingerprint(directory: Path, fingerprint: dict) -> None:
    temporary = directory / (FINGERPRINT_FILE + ".tmp")
    temporary.write_text(json.dumps(fingerprint), encoding="utf-8")
    os.replace(temporary, directory / FINGERPRINT_FILE)


def build(
    directory: Path,
    docs: Sequence[Doc],
    fingerprint: dict,
    progress: Progress | None = None,
    writer_options: dict | None = None,
) -> None:
    """Build a fresh one-segment index beside ``directory``, then swap it in.

    A build that dies half-way leaves only a ``.building`` folder behind, never
    a half-built index under the real name.
    """
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(f"{directory.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    ix = whoosh_index.create_in(str(staging), SCHEMA)
    options = dict(writer_options or WRITER_OPTIONS)
    bulk = options.pop("bulk", False)
    writer = BulkWriter(ix, progress=progress, **options) if bulk else ix.writer(**options)
    total = len(docs)
    step = max(1, min(500, total // 100))
    try:
        for done, doc in enumerate(docs, start=1):
            writer.add_document(**_fields(doc))
            if progress and not bulk and done % step == 0:
                progress(done, total)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    _write_fingerprint(staging, fingerprint)
    if progress:
        progress(total, total)
    old = directory.with_name(f"{directory.name}.old-{os.getpid()}")
    if directory.exists():
        os.replace(directory, old)
    os.replace(staging, directory)
    shutil.rmtree(old, ignore_errors=True)


def update(
    directory: Path,
    add: Sequence[Doc],
    keep: Sequence[str],
    fingerprint: dict,
    progress: Progress | None = None,
) -> None:
    """Add or replace ``add`` and delete every paper not in ``keep``, without rebuilding."""
    ix = whoosh_index.open_dir(str(directory))
    writer = ix.writer(timeout=30.0)
    try:
        wanted = set(keep)
        with ix.searcher() as searcher:
            ids = searcher.reader().column_reader("id")
            stale = [ids[n] for n in range(searcher.reader().doc_count_all()) if ids[n] not in wanted]
        for paper_id in stale:
            writer.delete_by_term("id", paper_id)
        for done, doc in enumerate(add, start=1):
            writer.update_document(**_fields(doc))
            if progress and done % 100 == 0:
                progress(done, len(add))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    _write_fingerprint(directory, fingerprint)
    if progress:
        progress(len(add), len(add))


_LENGTHS = [None] + [byte_to_length(code) for code in range(1, 256)]
# Rough cost of indexing one character of a field, by how it is analysed and stored,
# to share the fields out between processes.
_COST = {Positions: 1.0, Frequency: 0.7}


class _Inverted:
    """The postings of some fields over all documents, one list per term, and their lengths.

    Each term's postings are appended in document order, so only the terms
    need sorting; the words come from ``analysis.fast_words``.
    """

    def __init__(self, schema, names: Sequence[str]) -> None:
        self._fields = [(name, schema[name]) for name in names if schema[name].indexed]
        self._words = {name: fast_words(field.analyzer) for name, field in self._fields
                       if type(field.format) in (Positions, Frequency)}
        self.postings: dict[str, dict[bytes, tuple[array, array, list]]] = {
            name: {} for name, _ in self._fields}
        self.lengths: dict[str, array] = {name: array("I") for name, _ in self._fields}
        self._single: dict[int, bytes] = {}  # the encoding of one position, by position
        self._counts: dict[int, bytes] = {}  # the encoding of a frequency, by frequency

    def add_all(self, docs: Sequence[dict], progress: Progress | None = None) -> None:
        total = len(docs)
        step = max(1, min(500, total // 100))
        for docnum, fields in enumerate(docs):
            for name, field in self._fields:
                value = fields.get(name)
                length = 0 if value is None else self._index(name, field, value, docnum)
                self.lengths[name].append(length)
            if progress and (docnum + 1) % step == 0:
                progress(docnum + 1, total)

    def _index(self, name: str, field, value, docnum: int) -> int:
        """Add one field's postings; return its length as SegmentWriter counts it."""
        terms = self.postings[name]
        words_of = self._words.get(name)
        if words_of is None:
            length = 0
            for btext, freq, weight, vbytes in field.index(value):
                length += freq if field.scorable else 0
                _add(terms, btext, docnum, weight, vbytes)
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
        else:
            counts = self._counts
            for word, count in Counter(words).items():
                vbytes = counts.get(count) or counts.setdefault(count, pack_uint(count))
                _add(terms, word.encode("utf-8"), docnum, count * boost, vbytes)
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

    def encode(self, codec, folder: Path) -> dict[str, tuple[Path, list, array]]:
        """Write each field's part of the postings file to ``folder``.

        Returns, by field, the part's path, its (term, terminfo) list with offsets
        from the part's start, and the field's length in each document.
        """
        encoded = {}
        for name, field in self._fields:
            part = folder / f"postings-{name}.part"
            quantised = array("B", map(length_to_byte, self.lengths[name]))
            terms = self.postings.pop(name)
            infos = []
            with open(part, "wb") as handle:
                postings = codec.postings_writer(StructFile(handle))
                for btext in sorted(terms):
                    postings.start_postings(field.format, W3TermInfo())
                    _fill_blocks(postings, *terms.pop(btext), quantised)
                    infos.append((btext, postings.finish_postings()))
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
    (tests/test_bench.py compares every term, posting, block and column); the
    postings file is a little smaller, as equal position encodings are shared
    and pickled once per block. Memory grows with the corpus, as
    docs/performance.md reports.
    """

    def __init__(self, ix, workers: int = 1, progress: Progress | None = None, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self._docs: list[dict] = []
        self._workers = workers
        self._progress = progress

    def add_document(self, **fields) -> None:
        if any(name.startswith("_") for name in fields):
            raise ValueError("BulkWriter takes no boosts or _stored_ values")
        self._check_state()
        self._check_fields(self.schema, fields)
        for name in fields:
            if self.schema[name].separate_spelling() or self.schema[name].vector:
                raise ValueError(f"BulkWriter cannot write spelling or vectors ({name})")
        self._docs.append(fields)
        self._added = True

    def _flush_segment(self) -> None:
        docs, schema = self._docs, self.schema
        forking = hasattr(os, "fork") and threading.active_count() == 1
        groups = _share(schema, docs, self._workers if forking else 1)
        folder = Path(self.storage.folder)
        workers = [_Forked(partial(_invert, schema, group, docs, self.codec, folder))
                   for group in groups[1:]]
        try:
            encoded = _invert(schema, groups[0], docs, self.codec, folder, self._progress)
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
                offset, length = info.extent()
                info.set_extent(base + offset, length)
                writer._tindex.add(prefix + btext, info.to_bytes())
            writer.finish_field()
        writer.close()


def _invert(schema, names: Sequence[str], docs: Sequence[dict], codec, folder: Path,
            progress: Progress | None = None) -> dict:
    inverted = _Inverted(schema, names)
    inverted.add_all(docs, progress)
    return inverted.encode(codec, folder)


class _MappedStorage(FileStorage):
    """Index files read through read-only memory maps, nothing copied up front.

    Whoosh's own mmap path copies every part of the compound segment file into
    a BytesIO when the index opens (about 450 MB at 74k papers, and 0.3 s).
    Here the compound file is read in place, through one map: memory holds
    only the pages that searches touch, as page cache the system can reclaim.
    Reads move the map's one file position, as Whoosh's non-mmap path does:
    one thread at a time per searcher (the app holds a lock around searches).
    """

    def __init__(self, path: str) -> None:
        # Not Whoosh's mmap: CompoundStorage then reads through open_file() below.
        super().__init__(path, supports_mmap=False)

    def open_file(self, name: str, **kwargs) -> StructFile:
        with open(self._fpath(name), "rb") as handle:
            try:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
        return StructFile(mapped, name=name, **kwargs)


def _expand_once(query: Query, reader) -> None:
    """Expand each prefix and fuzzy term of ``query`` once, for searching and highlighting.

    Whoosh expands a MultiTerm every time it is asked (a fuzzy term costs tens of
    ms at 74k papers); the expansion is kept on the query object, which lives
    for one search.
    """
    for node in query.leaves():
        if isinstance(node, MultiTerm) and "_btexts" not in vars(node):
            expanded = list(node._btexts(reader))
            node._btexts = lambda _reader, expanded=expanded: iter(expanded)


def _serve_lengths_from_memory(searcher: Searcher) -> None:
    """Answer the searcher's field-length lookups from bytes read once.

    BM25 asks for a document's field length for every posting it scores, and
    Whoosh reads each from the column file; a table per field (one byte a
    document) makes ranking a broad query much cheaper. Same answers: the
    length byte decoded, None for a zero byte, ``default`` without a column.
    """
    reader = searcher.reader()
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not isinstance(reader, SegmentReader):
        return  # several segments: leave Whoosh's own lookups
    count = reader.doc_count_all()
    tables: dict[str, bytes] = {}
    for name, field in reader.schema.items():
        column = perdoc._cached_reader(f"_{name}_len", LENGTHS_COLUMN) if field.scorable else None
        if column is not None:
            data = column._dbfile.get(column._basepos, column._count * column._fixedlen)
            tables[name] = bytes(data) + bytes(max(0, count - len(data)))
    fallback = reader.doc_field_length

    def doc_field_length(docnum: int, fieldname: str, default=0):
        table = tables.get(fieldname)
        if table is None:
            return fallback(docnum, fieldname, default)
        code = table[docnum]
        return _LENGTHS[code] if code else None

    # The searcher copied the reader's bound method when it was made: replace both.
    reader.doc_field_length = searcher.doc_field_length = doc_field_length


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


class PaperIndex:
    """An open index with one long-lived searcher."""

    def __init__(self, directory: Path) -> None:
        self._ix = _MappedStorage(str(directory)).open_index()
        self._searcher: Searcher = self._ix.searcher()
        self._ids = self._searcher.reader().column_reader("id")
        _serve_lengths_from_memory(self._searcher)

    @property
    def searcher(self) -> Searcher:
        """The searcher, for query expansion and similarity."""
        return self._searcher

    def doc_count(self) -> int:
        """How many papers are indexed."""
        return self._searcher.doc_count()

    def ranked_ids(self, query: Query) -> list[str]:
        """Every matching id, best first."""
        _expand_once(query, self._searcher.reader())
        results = self._searcher.search(query, limit=None)
        ids = self._ids
        return [ids[docnum] for _, docnum in results.top_n]

    def top_ids(self, query: Query, count: int) -> list[str]:
        """The ``count`` best matching ids, best first: what the list shows first."""
        _expand_once(query, self._searcher.reader())
        results = self._searcher.search(query, limit=count)
        ids = self._ids
        return [ids[docnum] for _, docnum in results.top_n]

    def matched_terms(self, query: Query) -> set[tuple[str, str]]:
        """(field, term) pairs that the query looks for, prefixes and fuzzy terms
        expanded, for highlighting. Terms under NOT are left out."""
        reader = self._searcher.reader()
        _expand_once(query, reader)
        found: set[tuple[str, str]] = set()

        def walk(node: Query) -> None:
            if isinstance(node, Not):
                return
            if isinstance(node, MultiTerm):
                found.update(
                    (field, _text(term)) for field, term in node.expanded_terms(reader)
                )
            elif node.is_leaf():
                found.update((field, _text(term)) for field, term in node.iter_all_terms())
            else:
                for child in node.children():
                    walk(child)

        walk(query)
        return found

    def docnum(self, paper_id: str) -> int | None:
        """The document number of an id, None when it is not indexed."""
        return self._searcher.document_number(id=paper_id)

    def similar(self, paper_id: str, abstract: str, count: int) -> list[str]:
        """Ids of the papers whose abstracts are most like ``abstract`` (this paper's)."""
        docnum = self.docnum(paper_id)
        if docnum is None or not abstract.strip():
            return []
        hits = self._searcher.more_like(docnum, "abstract", text=abstract, top=count)
        return [self._ids[hit.docnum] for hit in hits]

    def close(self) -> None:
        """Release the searcher and the index."""
        self._searcher.close()
        self._ix.close()
