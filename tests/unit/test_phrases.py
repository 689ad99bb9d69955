"""Phrase positions read as arrays are the positions Whoosh reads, posting by posting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.query import Phrase

from papertui.index import SCHEMA
from papertui.index.phrases import STRIDE, TermPositions, phrase_docs
from papertui.index.schema import fields_of

FILLER = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()


def _abstract(number: int) -> str:
    """Short abstracts, and long ones: a word again after 300 others (a two-byte delta),
    a word 130 times (a count above 127), the phrase after the gap."""
    words = [FILLER[(number + step) % len(FILLER)] for step in range(3 + number % 5)]
    if number % 7 == 3:
        words = ["model", *[FILLER[step % len(FILLER)] for step in range(300)], "language", "model"]
    if number % 11 == 5:
        words = ["learning"] * 130 + ["language", "model"]
    if number % 3 == 0:
        words += ["language", "model"]
    if number % 4 == 1:
        words += ["model", "of", "language"]
    return " ".join(words) + (" singular" if number == 40 else "")


@pytest.fixture
def searcher(tmp_path: Path):
    writer = whoosh_index.create_in(str(tmp_path), SCHEMA).writer()
    for number in range(300):  # several posting blocks of 128
        fields = (f"p{number}", f"paper {number}", _abstract(number), "A", "")
        writer.add_document(**fields_of(fields))
    writer.commit()
    with whoosh_index.open_dir(str(tmp_path)).searcher() as opened:
        yield opened


@pytest.mark.parametrize("word", ["model", "languag", "learn", "alpha", "singular"])
def test_every_posting_has_whooshs_positions(searcher, word: str) -> None:
    reader = searcher.reader()
    postings = reader.postings("abstract", word.encode()).items_as("positions")
    expected = [docnum * STRIDE + position for docnum, positions in postings for position in positions]
    keys = TermPositions(reader, "abstract", word.encode()).keys(np.arange(reader.doc_count_all()))
    assert keys.tolist() == expected
    assert len(expected) > (0 if word == "singular" else 128)


PHRASES = [(["languag", "model"], 1), (["model", "languag"], 1), (["model", "languag"], 2),
           (["learn", "learn"], 1), (["learn", "languag", "model"], 1), (["model", "model"], 3)]


@pytest.mark.parametrize("words,slop", PHRASES)
def test_a_phrase_holds_where_whooshs_matcher_finds_it(searcher, words: list[str],
                                                       slop: int) -> None:
    reader = searcher.reader()
    hits = searcher.search(Phrase("abstract", words, slop=slop), limit=None)
    expected = sorted(hit.docnum for hit in hits)
    holding = [{docnum for docnum, _ in reader.postings("abstract", word.encode()).items_as("weight")}
               for word in words]
    candidates = np.array(sorted(set.intersection(*holding)), np.int64)
    terms = [TermPositions(reader, "abstract", word.encode()) for word in words]
    found = phrase_docs(terms, slop, candidates, reader.doc_count_all()).tolist()
    assert found == expected and expected
    some = candidates[::3]  # only some candidates asked: only those answered
    answered = phrase_docs(terms, slop, some, reader.doc_count_all()).tolist()
    assert answered == sorted(set(expected) & set(some.tolist()))
