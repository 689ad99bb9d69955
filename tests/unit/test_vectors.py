"""NumPy ranking gives Whoosh's own hits and BM25F scores, for every query shape it takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.query import And, AndNot, Or, Phrase, Prefix, Query, Term
from whoosh.writing import NO_MERGE

from papertui.index import SCHEMA
from papertui.index.schema import fields_of
from papertui.index.search import PaperIndex
from papertui.index.vectors import Ranker
from papertui.query import parse

WORDS = ("transformer transformers translation language model models modelling vision image "
         "generation generative diffusion gan attention agent large scaling experts mixture").split()
TEXT_QUERIES = [
    "transformer", "language model", "diffusion OR gan", "transformer NOT vision",
    '"language model"', '"large language model"', '"language model" agent',
    'model -"language model"', "trans*", "gener*", "transfomer~", "langauge~2",
    "title:attention", "author:wang", "note:todo", "title:model OR author:chen",
    "image generation model", "model of language",
    '"learning to learn"', 'title:"language model"', '"model language"', '"vision model"',
]
BUILT_QUERIES = [
    Or([Term("title", "attent", boost=2.0), Term("abstract", "model")], boost=1.5),
    And([Term("abstract", "model"), Term("title", "languag")], boost=0.5),
    Phrase("abstract", ["languag", "model"], boost=3.0),
    AndNot(Term("abstract", "model"), Term("title", "vision")),
    Prefix("title_plain", "ge", boost=2.0),
    Phrase("abstract", ["model", "languag"], slop=3),
]


def _paper(number: int) -> dict[str, str]:
    """A paper whose words vary with ``number``, so that lengths and frequencies differ."""
    pick = [WORDS[(number * step + step) % len(WORDS)] for step in (1, 3, 5, 7)]
    title = " ".join(pick[: 2 + number % 3])
    abstract = " ".join(pick * (1 + number % 4)) + (" large language model" if number % 3 == 0 else "")
    if number % 5 == 0:
        abstract += " a language of the model"
    if number % 4 == 1:  # its words, not the phrase: ranked above the phrase until checked
        title = f"model vision language {title}"
        abstract += " language vision model" * 2
    if number % 6 == 2:  # the same word twice in a row, after stop words go
        abstract += " learning to learn"
    if number % 6 == 4:  # the same words, apart
        abstract += " learn by learning"
    if number % 8 == 2:
        title = f"large language model {title}"
    authors = ["Wei Wang", "Li Chen", "Ada Lovelace"][number % 3]
    return fields_of((f"p{number}", title, abstract, authors, "todo read" if number % 7 == 0 else ""))


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    folder = tmp_path / "index"
    folder.mkdir()
    writer = whoosh_index.create_in(str(folder), SCHEMA).writer()
    for number in range(60):
        writer.add_document(**_paper(number))
    writer.commit()
    return folder


def _grown(directory: Path) -> PaperIndex:
    """The index after a note edit (a second segment) and a deleted paper."""
    writer = whoosh_index.open_dir(str(directory)).writer()
    writer.delete_by_term("id", "p3")
    writer.commit(mergetype=NO_MERGE)
    index = PaperIndex(directory)
    index.replace({**_paper(9), "note": "todo language model"})
    return index


def _queries() -> list[Query]:
    return [parse(text).text for text in TEXT_QUERIES] + BUILT_QUERIES


def _assert_as_whoosh(index: PaperIndex, directory: Path, query: Query) -> None:
    index.hits(query)  # expands prefix and fuzzy terms on the query, as every search does
    with whoosh_index.open_dir(str(directory)).searcher() as searcher:
        ranked = Ranker(searcher).hits(query, None)
        assert ranked is not None, f"not ranked with NumPy: {query!r}"
        hits, every = ranked
        expected = [(hit.score, hit.docnum) for hit in searcher.search(query, limit=None)]
    assert every and expected
    assert [docnum for _, docnum in hits] == [docnum for _, docnum in expected], repr(query)
    for (score, _), (want, _) in zip(hits, expected):
        assert score == pytest.approx(want, rel=1e-5), repr(query)


@pytest.mark.parametrize("query", _queries(), ids=repr)
def test_hits_and_scores_are_whooshs(directory: Path, query: Query) -> None:
    index = PaperIndex(directory)
    try:
        _assert_as_whoosh(index, directory, query)
    finally:
        index.close()


@pytest.mark.parametrize("query", _queries(), ids=repr)
def test_hits_and_scores_are_whooshs_after_a_note_edit_and_a_deletion(directory: Path,
                                                                      query: Query) -> None:
    index = _grown(directory)
    try:
        assert len(whoosh_index.open_dir(str(directory)).reader().leaf_readers()) > 1
        _assert_as_whoosh(index, directory, query)
    finally:
        index.close()


@pytest.mark.parametrize("text", TEXT_QUERIES)
def test_the_first_screen_is_the_top_of_the_complete_list(directory: Path, text: str) -> None:
    index = _grown(directory)
    try:
        complete, every = index.hits(parse(text).text)
        assert every and complete
        for limit in (1, 5, len(complete), len(complete) + 1):
            first, whole = index.hits(parse(text).text, limit)
            assert first == complete[:limit]
            assert whole == (len(complete) <= limit)
        assert all(pid != "p3" for pid, _ in complete)
    finally:
        index.close()


def test_a_phrase_first_screen_checks_more_candidates_until_its_best_is_certain(tmp_path: Path) -> None:
    """Papers with the phrase's words in their titles, but not the phrase, rank above the
    best paper with the phrase until positions are checked: more rounds find it."""
    folder = tmp_path / "index"
    folder.mkdir()
    writer = whoosh_index.create_in(str(folder), SCHEMA).writer()
    decoy = ("model vision language", "language vision model " * 6, "Li Chen")
    for number in range(4):  # the first also has the phrase, in a long note: a low true score
        note = "see the language model in chapter three of the long book" if number == 0 else ""
        writer.add_document(**fields_of((f"d{number}", *decoy, note)))
    writer.add_document(**fields_of(("best", "other", "language model language model", "Wei Wang", "")))
    for number in range(20):
        writer.add_document(**fields_of((f"f{number}", "diffusion", f"image generation {number}", "A", "")))
    writer.commit()
    index = PaperIndex(folder)
    try:
        complete, _ = index.hits(parse('"language model"').text)
        assert [pid for pid, _ in complete] == ["best", "d0"]
        assert index.hits(parse('"language model"').text, 1) == (complete[:1], False)
    finally:
        index.close()


@pytest.mark.parametrize("grown", [False, True], ids=["one segment", "after a note edit and a deletion"])
def test_similar_papers_are_whooshs_more_like_this(directory: Path, grown: bool) -> None:
    index = _grown(directory) if grown else PaperIndex(directory)
    try:
        with whoosh_index.open_dir(str(directory)).searcher() as searcher:
            ids = searcher.reader().column_reader("id")
            for docnum, fields in searcher.reader().iter_docs():
                abstract = _paper(int(fields["id"][1:]))["abstract"]
                expected = [ids[hit.docnum] for hit in searcher.more_like(docnum, "abstract",
                                                                          text=abstract, top=5)]
                assert len(expected) == 5
                assert index.similar(fields["id"], abstract, 5) == expected, fields["id"]
    finally:
        index.close()


def _counted_reads(monkeypatch) -> list[tuple[str, bytes]]:
    """Every posting list read from a segment from now on, as (field, term)."""
    from papertui.index import vectors

    reads: list[tuple[str, bytes]] = []
    postings = vectors.postings

    def counted(reader, fieldname, btext):
        reads.append((fieldname, btext))
        return postings(reader, fieldname, btext)

    monkeypatch.setattr(vectors, "postings", counted)
    return reads


def test_a_searcher_reads_a_terms_postings_once(directory: Path, monkeypatch) -> None:
    reads = _counted_reads(monkeypatch)
    query = parse('"language model" OR agent OR trans*').text
    PaperIndex(directory).hits(query)  # expands the prefix on the query
    with whoosh_index.open_dir(str(directory)).searcher() as searcher:
        ranker = Ranker(searcher)
        first = ranker.hits(query, None)
        read = list(reads)
        assert {("abstract", b"model"), ("abstract", b"agent")} <= set(read)
        assert ranker.hits(query, None) == first
        assert len(first[0]) > 5 and ranker.hits(query, 5)[0] == first[0][:5]
        assert reads == read  # the same terms again: nothing read


def test_the_kept_postings_stay_within_their_bound_oldest_out_first(directory: Path,
                                                                    monkeypatch) -> None:
    from papertui.index import vectors

    reads = _counted_reads(monkeypatch)
    monkeypatch.setattr(vectors, "POSTINGS_KEPT", 40)  # fewer than "model" and "agent" hold
    with whoosh_index.open_dir(str(directory)).searcher() as searcher:
        ranker = Ranker(searcher)
        for word in ("model", "agent", "model"):
            ranker.hits(Term("abstract", word), None)
        # "model" was put out to keep "agent", then read again
        assert reads == [("abstract", b"model"), ("abstract", b"agent"), ("abstract", b"model")]
        assert ranker.postings._size <= 40 or len(ranker.postings._terms) == 1
