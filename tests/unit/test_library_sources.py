"""One library of many sources: add, remove, re-read, merge duplicates, index incrementally."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertui.errors import PapertuiError, QueryError
from papertui.library import Library
from papertui.models import Mark


def page(folder: Path, name: str, *titles: str) -> Path:
    path = folder / name
    path.write_text("".join(f"{t}\n\nAbstract of {t.lower()}.\n\n" for t in titles),
                    encoding="utf-8")
    return path


@pytest.fixture
def library(seed_library: Library) -> Library:
    return seed_library


def test_add_reports_and_indexes_only_the_new_papers(library: Library, tmp_path: Path) -> None:
    extra = page(tmp_path, "extra.txt", "Quokka Networks", "Quokka Transformers")
    [report] = library.add_sources([str(extra)])
    assert report.summary == "extra.txt: 2 entries, 2 papers; 2 added, 0 merged with papers already there"
    again = Library.load()
    assert len(again) == 69 and again.name == "All papers"
    progress: list[tuple[int, int, str]] = []
    assert again.ensure_index(lambda *step: progress.append(step)) is True
    assert (2, 2, "indexing") in progress and progress[-1] == (1, 1, "writing")
    assert [again.paper(i).title for i in again.search("quokka").ids] == [
        "Quokka Networks", "Quokka Transformers"]
    assert again.search("source:extra").ids == again.search("quokka").ids


def test_duplicates_merge_into_one_paper_with_one_set_of_marks(library: Library, tmp_path: Path) -> None:
    first = library.ids[0]
    library.set_marks({first: Mark(starred=True)})
    title = library.paper(first).title
    dup = page(tmp_path, "dup.txt", title.upper(), "Something Else Entirely")
    [report] = library.add_sources([str(dup)])
    assert (report.new, report.merged) == (1, 1)
    again = Library.load()
    assert len(again) == 68
    assert again.paper(first).sources == ("000_5f20306b54a37573.txt", "dup.txt")
    assert again.mark(first).starred


def test_remove_keeps_marks_and_prefix_must_be_unique(library: Library, tmp_path: Path) -> None:
    library.add_sources([str(page(tmp_path, "alpha-1.txt", "Alpha One")),
                         str(page(tmp_path, "alpha-2.txt", "Alpha Two"))])
    again = Library.load()
    alpha = again.search("source:alpha-1").ids[0]
    again.set_marks({alpha: Mark(read=True)})
    with pytest.raises(QueryError, match="matches several sources"):
        again.remove_source("alpha")
    assert again.remove_source("alpha-1").name == "alpha-1.txt"
    after = Library.load()
    assert len(after) == 68 and alpha not in after.ids
    after.ensure_index()
    assert after.search("alpha").ids and alpha not in after.search("alpha").ids
    assert after.mark(alpha).read  # the mark is kept for when the paper comes back


def test_the_seed_cannot_be_removed(library: Library) -> None:
    for name in ("000_5f", "Daily Papers"):
        with pytest.raises(PapertuiError, match="^Daily Papers · Aug 13 is the bundled list:"
                                               " it cannot be removed$"):
            library.remove_source(name)
    assert len(Library.load().sources) == 1


def test_a_changed_source_is_reread_at_the_next_launch(library: Library, tmp_path: Path) -> None:
    extra = page(tmp_path, "extra.txt", "Quokka Networks")
    library.add_sources([str(extra)])
    Library.load().ensure_index()
    page(tmp_path, "extra.txt", "Wombat Networks")
    again = Library.load()
    assert again.ensure_index() is True
    assert [again.paper(i).title for i in again.search("wombat").ids] == ["Wombat Networks"]
    assert again.search("quokka").ids == []


def test_an_unreadable_file_is_reported_and_not_added(library: Library, tmp_path: Path) -> None:
    [report] = library.add_sources([str(tmp_path / "missing.txt")])
    assert report.error and "missing.txt: no such file" in report.summary
    assert len(Library.load().sources) == 1
