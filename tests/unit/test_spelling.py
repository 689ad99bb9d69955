"""Did you mean: which words are corrected, to what, and what of the query is kept."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from papertui.index import PaperIndex
from papertui.index.build import build, update
from papertui.index.spelling import (
    WORDS_FILE,
    Vocabulary,
    correct,
    damerau_dfa,
    suggest,
    words,
)
from papertui.query import parse

DOCS = [
    ("p1", "Transformers for protein folding", "We fold proteins with transformers.", "Ada Lovelace", ""),
    ("p2", "Transformer language models", "Large language models are transformers.", "Alan Turing", ""),
    ("p3", "Transporter robots in warehouses", "Robots carry boxes.", "Grace Hopper", ""),
    ("p4", "Diffusion models for images", "Diffusion denoises images.", "Geoffrey Hinton", ""),
    ("p5", "Transformer attention heads", "Attention heads of a transformer.", "Alan Turing", ""),
    ("p6", "Protein design with diffusion", "Designing proteins.", "Ada Lovelace", ""),
    ("p7", "Foxes in the wild", "Foxes and hounds.", "Reynard Fox", ""),
    ("p8", "Foxes hunting", "Foxes at night.", "Reynard Fox", ""),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    built = tmp_path_factory.mktemp("spelling") / "index"
    build(built, DOCS, {"v": 1})
    return built


@pytest.fixture(scope="module")
def opened(folder):
    paper_index = PaperIndex(folder)
    yield paper_index
    paper_index.close()


@pytest.fixture(scope="module")
def reader(folder):
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as opened_reader:
        yield opened_reader
    ix.close()


@pytest.fixture(scope="module")
def vocabulary(folder) -> Vocabulary:
    return Vocabulary.load(folder / WORDS_FILE)


def has_hits_in(opened: PaperIndex):
    return lambda query: bool(opened.hits(parse(query).text, 1)[0])


def test_a_swap_and_one_more_edit_are_two_edits() -> None:
    dfa = damerau_dfa("trasnformer", 2)
    assert dfa.accept("transformers")  # swap + insertion: Levenshtein 3
    assert dfa.accept("transformer")
    assert not dfa.accept("transporter")  # three substitutions


def test_a_swap_is_one_edit_not_two() -> None:
    dfa = damerau_dfa("form", 1)
    assert dfa.accept("from")
    assert not dfa.accept("fmro")


def test_only_words_of_letters_outside_filters_are_correctable() -> None:
    query = ("is:starred source:arxiv tag:reseach cat:cs.LG since:2023 2401.12345 GPT4 robo*"
             " difusion~ OR trasnformer")
    assert [w.text for w in words(query)] == ["trasnformer"]


def test_field_words_are_looked_up_in_their_field() -> None:
    (word,) = words("author:turnig")
    assert word.fields == ("authors",)


def test_the_build_saves_the_vocabulary_beside_the_index(vocabulary) -> None:
    assert vocabulary is not None
    assert vocabulary.frequency("foxes") == 4  # two papers, title and abstract
    assert vocabulary.frequency("turing") == 2  # an author of two papers


def test_unknown_words_come_with_a_suggestion(opened) -> None:
    unknown = opened.unknown_words("trasnformer attention diffusion")
    assert [(u.word.text, u.suggestion) for u in unknown] == [("trasnformer", "transformer")]


def test_a_known_word_is_not_corrected(opened) -> None:
    assert opened.correct("protein folding", has_hits_in(opened)) is None


def test_correction_keeps_fields_quotes_operators_and_case(reader, vocabulary) -> None:
    query = 'title:"Trasnformer attention" -diffuson is:unread'
    assert correct(reader, vocabulary, query) == 'title:"Transformer attention" -diffusion is:unread'


def test_fewer_edits_then_more_papers_win(reader, vocabulary) -> None:
    assert suggest(reader, vocabulary, "roxes")[:2] == ["foxes", "boxes"]  # 1 edit each; 2 papers, 1


def test_the_other_words_choose_among_near_suggestions(opened, reader, vocabulary) -> None:
    assert correct(reader, vocabulary, "roxes robots") == "foxes robots"
    assert opened.correct("roxes robots", has_hits_in(opened)) == "boxes robots"


def test_a_query_of_known_words_with_no_hits_is_corrected(opened) -> None:
    # "foxes" is a word of the index, but no paper has it with "warehouses".
    assert opened.correct("foxes warehouses", has_hits_in(opened)) == "boxes warehouses"


def test_two_edits_need_the_first_letter_right(reader, vocabulary) -> None:
    assert suggest(reader, vocabulary, "trnasformr") == ["transformer"]  # swap + deletion
    assert suggest(reader, vocabulary, "rtansformr") == []


def test_a_field_word_is_corrected_from_that_field_only(reader, vocabulary) -> None:
    # "turing" is an author's name and in no title.
    assert suggest(reader, vocabulary, "turnig", ("authors",)) == ["turing"]
    assert suggest(reader, vocabulary, "turnig", ("title_plain",)) == []


def test_a_damaged_vocabulary_does_not_load(tmp_path) -> None:
    path = tmp_path / "words"
    path.write_text("zebra 1\napple 2\n", encoding="utf-8")
    assert Vocabulary.load(path) is None
    path.write_text("apple x\n", encoding="utf-8")
    assert Vocabulary.load(path) is None


def test_an_update_adds_the_new_papers_words(tmp_path) -> None:
    folder = tmp_path / "index"
    build(folder, DOCS[:2], {"v": 1})
    update(folder, [("p9", "Quokka habitats", "Quokkas and wombats.", "Ada Lovelace", "")],
           ["p1", "p2", "p9"], {"v": 2})
    saved = Vocabulary.load(folder / WORDS_FILE)
    assert saved.frequency("quokka") == 1 and saved.frequency("wombats") == 1
    assert saved.frequency("lovelace") == 2  # p1's author, and p9's


def test_without_a_saved_vocabulary_it_is_read_from_the_index(tmp_path) -> None:
    folder = tmp_path / "index"
    build(folder, DOCS, {"v": 1})
    (folder / WORDS_FILE).unlink()
    paper_index = PaperIndex(folder)
    try:
        deadline = time.monotonic() + 10  # the words are read in the background meanwhile
        while paper_index.correct("trasnformer") is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert paper_index.correct("trasnformer") == "transformer"
        assert Vocabulary.load(folder / WORDS_FILE).frequency("foxes") == 4
    finally:
        paper_index.close()
