"""Issue 11's core items: the index after a remove, ids in any form, source names and labels."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from papertui.errors import QueryError
from papertui.export import render
from papertui.library import Library
from test_marks_follow_ids import TITLE_KEY, bib


def page(folder: Path, name: str, *titles: str) -> Path:
    path = folder / name
    path.write_text("".join(f"{t}\n\nAbstract of {t.lower()}.\n\n" for t in titles),
                    encoding="utf-8")
    return path


def test_removing_a_source_updates_the_index_without_a_false_damage_notice(
        seed_library: Library, tmp_path: Path) -> None:
    seed_library.add_sources([str(bib(tmp_path)), str(page(tmp_path, "extra.txt", "Quokka Nets"))])
    seed_library.ensure_index()
    Library.load().remove_source("scalearn.bib")
    after = Library.load()
    assert after.ensure_index() is True
    assert not [n for n in after.notices if "damaged" in n or "rebuilding" in n]
    assert len(after) == 68
    assert after.search("scalearn").ids == [TITLE_KEY]
    assert after.search("quokka").ids
    Library.load().remove_source("extra")
    again = Library.load()
    assert again.ensure_index() is True and not again.notices
    assert again.search("quokka").ids == []
    assert Library.load().ensure_index() is False


@pytest.mark.parametrize("typed", [
    "2310.01217", "2310.01217v2", "arXiv:2310.01217", " arxiv:2310.01217v1 ",
    "https://arxiv.org/abs/2310.01217", "https://arxiv.org/pdf/2310.01217v3",
])
def test_an_id_in_any_form_finds_its_paper(seed_library: Library, tmp_path: Path,
                                           typed: str) -> None:
    seed_library.add_sources([str(bib(tmp_path))])
    assert seed_library.search(typed).ids == ["2310.01217"]
    assert seed_library.resolve(typed) == "2310.01217"


def test_an_id_no_paper_has_finds_nothing(seed_library: Library) -> None:
    assert seed_library.search("2401.99999").ids == []
    assert seed_library.search("https://arxiv.org/abs/2401.99999").ids == []


def test_an_ambiguous_source_prefix_lists_only_the_sources_it_matches(
        seed_library: Library, tmp_path: Path) -> None:
    seed_library.add_sources([str(page(tmp_path, name, f"Paper {name}"))
                              for name in ("alpha-1.txt", "alpha-2.txt", "beta.txt")])
    with pytest.raises(QueryError) as raised:
        seed_library.search("source:alpha")
    assert str(raised.value) == "'alpha' matches several sources (they are: alpha-1.txt, alpha-2.txt)"


def test_the_bundled_list_is_shown_by_its_label(seed_library: Library) -> None:
    assert seed_library.sources[0].label == "Daily Papers · Aug 13"
    assert seed_library.source_labels() == {"000_5f20306b54a37573.txt": "Daily Papers · Aug 13"}
    assert seed_library.sources[0].summary.startswith("Daily Papers · Aug 13: 67 entries")
    [item] = seed_library.export_items([TITLE_KEY])
    assert item.paper.sources == ("Daily Papers · Aug 13",)
    csv = render([item], "csv", list_name="x", on=datetime.date(2026, 6, 1))
    assert "Daily Papers · Aug 13" in csv and "000_5f" not in csv
