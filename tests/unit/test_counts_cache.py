"""Folder counts are cached (category sets, text matches, what is new), and each cache
follows what it was made from: a mark, a tag, a note edit, a source added."""

from __future__ import annotations

import shutil
from pathlib import Path

from papertui.index import merging
from papertui.models import Mark

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_a_mark_changes_the_unread_counts_of_a_cached_query(seed_library):
    first = seed_library.ids[0]
    query = "is:unread since:1900"
    before = seed_library.organise.counts([query, "is:unread"])
    seed_library.set_marks({first: Mark(read=True)})
    after = seed_library.organise.counts([query, "is:unread"])
    assert after[0].total == before[0].total - 1
    assert after[1].total == before[1].total - 1


def test_a_tag_changes_the_counts(seed_library):
    ids = seed_library.ids[:3]
    assert seed_library.organise.counts(["tag:pile"])[0].total == 0
    seed_library.organise.change_tags(ids, add=["pile"])
    assert seed_library.organise.counts(["tag:pile"])[0].total == 3
    seed_library.organise.change_tags(ids[:1], remove=["pile"])
    assert seed_library.organise.counts(["tag:pile", "-tag:pile"])[0].total == 2


def test_a_note_edit_changes_the_counts_of_a_text_query(seed_library):
    paper = seed_library.ids[5]
    assert seed_library.organise.counts(["zorblax"])[0].total == 0
    seed_library.organise.set_note(paper, "zorblax")
    assert seed_library.organise.counts(["zorblax"])[0].total == 1
    seed_library.organise.set_note(paper, "")
    assert seed_library.organise.counts(["zorblax"])[0].total == 0


def test_added_papers_change_the_category_and_new_counts(seed_library, tmp_path):
    queries = ["cat:cs.*", "is:new", "since:1900"]
    before = seed_library.organise.counts(queries)
    extra = tmp_path / "arxiv-20.jsonl"
    shutil.copy(FIXTURES / "arxiv-20.jsonl", extra)
    seed_library.add_sources([str(extra)])
    seed_library.ensure_index()
    after = seed_library.organise.counts(queries)
    added = len(seed_library.search("source:arxiv-20").ids)
    assert added == 20
    assert after[0].total > before[0].total
    assert after[1].total == before[1].total + added  # they entered after new-since
    assert after[2].total >= before[2].total


def test_a_note_edit_never_merges_and_a_background_merge_folds_the_small_segments(
        seed_library, monkeypatch):
    monkeypatch.setattr("papertui.index.search.SMALL_SEGMENTS", 3)
    opened = seed_library._keeper.opened
    papers = seed_library.ids[:6]
    counts = []
    for number, pid in enumerate(papers[:4]):
        seed_library.organise.set_note(pid, f"plinkword {number}")
        counts.append(len(opened._ix._segments()))
    assert counts == [2, 3, 4, 5]  # each edit adds its segment: no merge on the edit's path
    assert opened._merger.running or opened._merger.failure == ""
    for number, pid in enumerate(papers[4:], start=4):  # edits while it merges wait for it
        seed_library.organise.set_note(pid, f"plinkword {number}")
    opened._merger.wait(60)
    assert opened._merger.failure == ""
    assert len(merging.small_segments(opened._ix._segments())) <= 2
    assert sorted(seed_library.search("plinkword").ids) == sorted(papers)


def test_a_paper_edited_again_across_a_merge_is_indexed_once(seed_library, monkeypatch):
    """The old version of an edited paper is found and deleted whether the edit is written
    at once, queued during a merge (written once it ends), or written after it, also when
    the merge moved the papers' document numbers."""
    monkeypatch.setattr("papertui.index.search.SMALL_SEGMENTS", 3)
    opened = seed_library._keeper.opened
    papers = seed_library.ids[:3]
    seed_library.organise.set_note(papers[0], "quorblat 0")
    seed_library.organise.set_note(papers[0], "quorblat 0 again")  # the merge drops the first
    for number, pid in enumerate(papers[1:], start=1):  # the fourth small segment: a merge
        seed_library.organise.set_note(pid, f"quorblat {number}")
    assert opened._merger.running or opened._merger.failure == ""
    for number in range(3):  # queued while it merges
        seed_library.organise.set_note(papers[0], f"vexnoodle {number}")
    opened._merger.wait(60)
    seed_library.organise.set_note(papers[1], "vexnoodle again")
    assert opened._merger.failure == ""
    assert sorted(seed_library.search("vexnoodle").ids) == sorted(papers[:2])
    assert seed_library.search("quorblat").ids == papers[2:]
    assert opened._searcher.doc_count() == len(seed_library.ids)
