"""The "for you" model's postings: read a block at a time, yet Whoosh's own, on any index."""

from __future__ import annotations

from pathlib import Path

import pytest
from foryou_corpus import RECORDS, ROBOTS
from whoosh.index import open_dir

from papertui.index import PaperIndex, doc_of
from papertui.index.build import build
from papertui.index.foryou import FIELDS, K1, TITLE_WEIGHT, B, Corpus
from papertui.index.schema import fields_of
from papertui.models import Paper

TERMS = ("robot", "tactil", "auction", "grasp", "cloth")


@pytest.fixture
def edited_index(tmp_path: Path) -> Path:
    """An index whose second paper was re-indexed (a note edit): two segments, one deletion."""
    directory = tmp_path / "index"
    build(directory, [doc_of(Paper(pid, title, abstract)) for pid, title, abstract in RECORDS],
          {"test": 1})
    opened = PaperIndex(directory)
    pid, title, abstract = RECORDS[1]
    opened.replace(fields_of(doc_of(Paper(pid, title, abstract), note="walking robots")))
    opened.close()
    return directory


def whooshs_docnums(reader, term: str) -> list[int]:
    """The docnums holding ``term`` in title or abstract, by Whoosh's public API."""
    found: set[int] = set()
    for field in FIELDS:
        if (field, term) in reader:
            matcher = reader.postings(field, term)
            while matcher.is_active():
                found.add(matcher.id())
                matcher.next()
    return sorted(found)


def test_an_edited_index_gives_whooshs_postings_without_the_replaced_version(
        edited_index: Path) -> None:
    reader = open_dir(str(edited_index)).reader()
    try:
        assert len(list(reader.leaf_readers())) == 2 and reader.has_deletions()
        corpus = Corpus(reader, reader.column_reader("id"))
        for term in TERMS:
            assert corpus.postings(term)[0].tolist() == whooshs_docnums(reader, term), term
        robots = [corpus.ids[docnum] for docnum in corpus.postings("robot")[0]]
        assert sorted(robots) == sorted(ROBOTS)  # the re-indexed paper once, its new version
        assert corpus.docnum[ROBOTS[1]] == len(RECORDS)  # the first docnum of the new segment
    finally:
        reader.close()


def test_a_one_segment_index_gives_whooshs_postings(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    build(directory, [doc_of(Paper(pid, title, abstract)) for pid, title, abstract in RECORDS],
          {"test": 1})
    reader = open_dir(str(directory)).reader()
    try:
        corpus = Corpus(reader, reader.column_reader("id"))
        for term in TERMS:
            assert corpus.postings(term)[0].tolist() == whooshs_docnums(reader, term), term
        assert corpus.postings("no-such-word")[0].tolist() == []
    finally:
        reader.close()


def test_each_factor_is_bm25_of_the_title_weighted_frequency_and_length(
        edited_index: Path) -> None:
    reader = open_dir(str(edited_index)).reader()
    try:
        corpus = Corpus(reader, reader.column_reader("id"))
        count = reader.doc_count_all()

        def length(docnum: int) -> float:
            return (TITLE_WEIGHT * (reader.doc_field_length(docnum, "title") or 0)
                    + (reader.doc_field_length(docnum, "abstract") or 0))

        average = sum(length(docnum) for docnum in range(count)) / count
        frequency: dict[int, float] = {}
        for field, weight in (("title", TITLE_WEIGHT), ("abstract", 1.0)):
            weight /= reader.schema[field].format.field_boost  # Whoosh's weights carry it
            matcher = reader.postings(field, "robot")
            while matcher.is_active():
                frequency[matcher.id()] = frequency.get(matcher.id(), 0.0) + weight * matcher.weight()
                matcher.next()
        docnums, factors = corpus.postings("robot")
        expected = [tf * (K1 + 1) / (tf + K1 * (1 - B + B * length(d) / average))
                    for d, tf in sorted(frequency.items())]
        assert docnums.tolist() == sorted(frequency)
        assert factors.tolist() == pytest.approx(expected)
    finally:
        reader.close()
