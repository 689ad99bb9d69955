"""Organising through the facade: tags and notes in search, hide rules, folder counts, undo."""

from __future__ import annotations

import pytest

from papertui import paths
from papertui.errors import QueryError
from papertui.library import Library
from papertui.models import Mark
from papertui.organise import OrganiseError


def test_tag_filter_matches_the_tag_exactly(seed_library):
    first, second, third = seed_library.ids[:3]
    seed_library.organise.change_tags([first, second], add=["Survey"])
    seed_library.organise.change_tags([third], add=["survey-old"])
    assert seed_library.search("tag:survey").ids == [first, second]
    assert seed_library.search("tag:SURVEY").ids == [first, second]
    assert third in seed_library.search("-tag:survey").ids  # survey-old is another tag
    assert first not in seed_library.search("-tag:survey").ids
    with pytest.raises(QueryError, match="bad tag name"):
        seed_library.search("tag:no!")


def test_a_note_is_searchable_by_field_and_by_plain_words_at_once(seed_library):
    paper = seed_library.ids[7]
    assert seed_library.search("zorblax").ids == []
    seed_library.organise.set_note(paper, "Ask Ana about the zorblax baseline")
    assert seed_library.search("note:zorblax").ids == [paper]
    assert seed_library.search("zorblax").ids == [paper]
    assert seed_library.search("Note:zorblax").ids == [paper]
    seed_library.organise.set_note(paper, "")
    assert seed_library.search("zorblax").ids == []


def test_a_note_survives_a_rebuild_of_the_index(seed_library):
    paper = seed_library.ids[3]
    seed_library.organise.set_note(paper, "quintessentially flumoxed")
    seed_library.invalidate_index()
    seed_library.ensure_index()
    assert seed_library.search("flumoxed").ids == [paper]


def test_one_undo_takes_back_a_whole_action_even_after_a_restart(seed_library):
    ids = seed_library.ids[:3]
    change = seed_library.organise.apply_marks("starred 3 papers",
                                               {pid: Mark(starred=True) for pid in ids})
    assert change is not None
    seed_library.organise.change_tags(ids, add=["a"])
    seed_library.close()
    again = Library.load()
    try:
        assert again.organise.undo_last().label == "tagged 3 papers a"
        assert again.search("tag:a").ids == []
        assert again.organise.undo_last().label == "starred 3 papers"
        assert [again.mark(pid) for pid in ids] == [Mark()] * 3
        assert again.organise.undo_last() is None
    finally:
        again.close()


def test_a_note_undo_restores_the_text_and_the_index(seed_library):
    paper = seed_library.ids[2]
    seed_library.organise.set_note(paper, "first wibblewobble")
    seed_library.organise.set_note(paper, "second quarkle")
    assert seed_library.organise.undo_last().label == f"edited the note on {paper}"
    assert seed_library.organise.note(paper) == "first wibblewobble"
    assert seed_library.search("quarkle").ids == []
    assert seed_library.search("wibblewobble").ids == [paper]


def test_hide_rules_keep_papers_out_of_results_and_counts(isolated_dirs, built_seed_index):
    import shutil

    shutil.copytree(built_seed_index, paths.index_dir())
    plain = Library.load()
    plain.ensure_index()
    titled = set(plain.search("title:language").ids)
    total = len(plain)
    plain.close()
    assert titled
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text('theme = "nord"\n\n[hide]\nrules = ["title:language",'
                                   ' "is:bogus"]\n')
    library = Library.load()
    try:
        assert any("config.toml:4: hide rule 'is:bogus' is ignored" in n for n in library.notices)
        library.ensure_index()
        assert library.organise.hidden_count() == len(titled)
        assert set(library.search("is:hidden").ids) == titled
        assert not titled & set(library.search("").ids)
        assert library.counts()[0] == total - len(titled)
        some = sorted(titled)[0]
        library.organise.change_tags([some], add=["x"])  # ids still act on hidden papers
        assert library.organise.tags_of(some) == ("x",)
        assert library.organise.tag_counts() == {}  # but it is not counted
        [count] = library.organise.counts(["tag:x"])
        assert count.total == 0
    finally:
        library.close()


def test_folder_counts_give_total_unread_and_new(seed_library):
    ids = seed_library.ids[:4]
    seed_library.organise.change_tags(ids, add=["pile"])
    seed_library.set_marks({ids[0]: Mark(read=True)})
    seed_library.organise.add_saved("Pile", "tag:pile")
    counts = seed_library.organise.counts(["tag:pile", "is:starred", "is:nonsense"])
    assert (counts[0].total, counts[0].unread) == (4, 3)
    assert counts[1].total == 0
    assert "unknown filter" in counts[2].problem
    names = [f.name for f in seed_library.organise.folders()]
    assert names == ["Inbox", "Unread", "Starred", "pile", "Pile"]


def test_saved_search_must_parse_and_names_are_unique(seed_library):
    with pytest.raises(QueryError):
        seed_library.organise.add_saved("bad", "is:nonsense")
    seed_library.organise.add_saved("Mine", "is:starred")
    with pytest.raises(OrganiseError):
        seed_library.organise.add_saved("mine", "is:read")


def test_many_note_edits_merge_only_the_small_segments(seed_library):
    papers = seed_library.ids[:24]
    for number, pid in enumerate(papers):
        seed_library.organise.set_note(pid, f"plonkword {number}")
    seed_library._keeper.opened._merger.wait()  # edits made while it merges go in after it
    assert sorted(seed_library.search("plonkword").ids) == sorted(papers)
    seed_library.organise.set_note(papers[0], "")
    assert len(seed_library.search("plonkword").ids) == 23
    seed_library.close()
    again = Library.load()
    try:
        assert again.ensure_index() is False  # the index on disk holds every paper once
        assert len(again.search("plonkword").ids) == 23
    finally:
        again.close()
