"""The benchmark runs end to end, and the fast index build writes what Whoosh's writer writes."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from papertui.index import runs
from papertui.index.bulk import SPILL_POSTINGS, BulkWriter
from papertui.index.schema import SCHEMA, Doc, fields_of
from papertui.index.vectors import postings
from papertui.analysis import PLAIN, STEMMED, fast_words

ROOT = Path(__file__).resolve().parents[2]
WORDS = ("transformer transformers diffusion model models learning language large the of a an"
         " graph neural network robot robotics agent agents survey attention García Müller naïve"
         " Œuvre 3.5x e.g. U.S.A. İstanbul ΣΟΦΙΑ reinforcement policy gradient segmentation").split()


def synthetic_records(count: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for number in range(count):
        records.append({
            "id": f"2501.{number + 1:05d}",
            "title": " ".join(rng.choices(WORDS, k=rng.randint(3, 12))).title(),
            "summary": " ".join(rng.choices(WORDS, k=rng.randint(0, 160))),
            "authors": [f"{rng.choice(['Ana', 'Bo', 'Chen', 'José'])} {rng.choice(WORDS)}"
                        for _ in range(rng.randint(0, 4))],
            "categories": ["cs.LG"],
        })
    return records


def test_the_benchmark_runs_end_to_end_on_a_tiny_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in synthetic_records(200)), encoding="utf-8")
    out, doc = tmp_path / "out", tmp_path / "performance.md"
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "bench.run", "--sizes", "200", "--quick", "--no-ui", "--no-features",
         "--real", str(corpus), "--out", str(out), "--doc", str(doc)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "HOME": str(tmp_path / "home")},
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((out / "results.json").read_text())
    size = results["sizes"][0]
    assert size["papers"] >= 200  # the bundled seed list is loaded too
    assert size["search"]["hits"]["transformer"] > 0
    assert size["fts5"]["hits"]["transformer"] > 0
    assert size["search"]["complete"]["fuzzy"]["n"] > 0
    text = doc.read_text()
    assert "### Search at" in text and "<!-- BENCH:END -->" in text
    assert not (tmp_path / "home").exists()  # nothing was written to the home dir


def test_the_grown_library_bench_fetches_annotates_and_searches(tmp_path: Path) -> None:
    from bench import grown, measure
    from papertui.library import Library

    corpus = tmp_path / "tiny.jsonl"
    records = synthetic_records(120)
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with measure.isolated(tmp_path / "lib"):
        measure.register_source(corpus)
        result = grown.run(records, repeats=1, fetches=2, notes=3)
        library = Library.load()
        try:
            library.ensure_index()
            noted = library.search('note:"worth a read"').ids
            fetched = [pid for pid in library.ids if pid.startswith("2702.")]
        finally:
            library.close()
    assert result["papers_after"] - result["papers_before"] == 2 * grown.PER_FETCH
    assert len(fetched) == 2 * grown.PER_FETCH
    assert len(noted) == 3
    assert result["search"]["first_screen"]["term"]["n"] > 0


def _count_runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The run files the bulk writer spills, listed as they are written."""
    written: list[Path] = []
    write = runs.write

    def counted(path: Path, postings) -> None:
        written.append(path)
        write(path, postings)

    monkeypatch.setattr(runs, "write", counted)
    return written


def _build(folder: Path, docs: list[Doc], make_writer) -> object:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), SCHEMA)
    writer = make_writer(ix)
    for doc in docs:
        writer.add_document(**fields_of(doc))
    writer.commit()
    return whoosh_index.open_dir(str(folder)).reader()


def _postings(reader, field: str, term: bytes) -> list[tuple]:
    matcher, found = reader.postings(field, term), []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value(), matcher.block_max_weight(),
                      matcher.block_min_length(), matcher.block_max_length()))
        matcher.next()
    return found


@pytest.mark.parametrize(("workers", "spill_at"), [(1, SPILL_POSTINGS), (2, SPILL_POSTINGS),
                                                   (1, 400), (2, 1000)])
def test_the_bulk_writer_writes_what_whoosh_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, spill_at: int
) -> None:
    """Also when the postings go through several runs on disk (a low ``spill_at``)."""
    records = synthetic_records(400)  # common words get several 128-posting blocks
    docs = [(r["id"], r["title"], r["summary"], "; ".join(r["authors"]), "") for r in records]
    docs += [("x1", "", "", "", ""), ("x2", "The of a", "a an the", "", "a note of the reader")]
    written = _count_runs(monkeypatch)
    whoosh = _build(tmp_path / "whoosh", docs, lambda ix: ix.writer())
    bulk = _build(tmp_path / "bulk", docs,
                  lambda ix: BulkWriter(ix, workers=workers, spill_at=spill_at))
    if spill_at < SPILL_POSTINGS and workers == 1:  # forked workers' runs are not counted here
        for name in ("title", "abstract", "authors", "abstract_plain"):
            assert len([p for p in written if p.name.startswith(f"postings-{name}.run")]) >= 3
    assert not [p for p in (tmp_path / "bulk").iterdir() if ".run" in p.name or ".part" in p.name]
    terms = list(whoosh.all_terms())
    assert terms == list(bulk.all_terms())
    for field, term in terms:
        ours, theirs = bulk.term_info(field, term), whoosh.term_info(field, term)
        for stat in ("weight", "doc_frequency", "min_length", "max_length", "max_weight",
                     "min_id", "max_id"):
            assert getattr(ours, stat)() == getattr(theirs, stat)(), (field, term, stat)
        assert _postings(bulk, field, term) == _postings(whoosh, field, term), (field, term)
        # as the NumPy ranking reads them, inlined or in blocks, small blocks uncompressed
        assert [a.tolist() for a in postings(bulk, field, term)] == [
            a.tolist() for a in postings(whoosh, field, term)], (field, term)
    for name in SCHEMA.names():
        assert bulk.field_length(name) == whoosh.field_length(name)
        assert [bulk.doc_field_length(d, name) for d in range(len(docs))] == [
            whoosh.doc_field_length(d, name) for d in range(len(docs))]
    assert list(bulk.all_stored_fields()) == list(whoosh.all_stored_fields())
    assert list(bulk.column_reader("id")) == list(whoosh.column_reader("id"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)))
def test_fast_words_give_the_analyzers_words_and_positions(text: str) -> None:
    for analyzer in (PLAIN, STEMMED):
        words, first = fast_words(analyzer)(text)
        tokens = [(t.text, t.pos) for t in analyzer(text, positions=True, mode="index") if not t.stopped]
        assert tokens == [(word, first + n) for n, word in enumerate(words)]
