"""Marks follow their paper through every change of its id: add, merge, remove, an edited source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from papertui.library import Library
from papertui.models import Mark

SCALEARN = "ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by Learning to Scale"
TITLE_KEY = "scalearn-simple-and-highly-parameter-efficient-task-transfer-by-learning-to-scale"


def bib(folder: Path, name: str = "scalearn.bib", eprint: str | None = "2310.01217") -> Path:
    path = folder / name
    field = f"  eprint = {{{eprint}}},\n  archivePrefix = {{arXiv}},\n" if eprint else ""
    path.write_text(f"@article{{scalearn,\n  title = {{{SCALEARN}}},\n{field}"
                    "  author = {Frohmann, Markus},\n  year = {2023},\n}\n", encoding="utf-8")
    return path


@pytest.fixture
def starred(seed_library: Library) -> Library:
    assert seed_library.ids[0] == TITLE_KEY
    seed_library.set_marks({TITLE_KEY: Mark(starred=True)})
    return seed_library


def test_a_star_moves_to_the_arxiv_id_a_new_source_gives(starred: Library, tmp_path: Path) -> None:
    starred.add_sources([str(bib(tmp_path))])
    assert starred.ids[0] == "2310.01217"
    assert starred.mark("2310.01217").starred
    assert Library.load().mark("2310.01217").starred


def test_removing_that_source_brings_the_star_back_to_the_title_key(
        starred: Library, tmp_path: Path) -> None:
    starred.add_sources([str(bib(tmp_path))])
    Library.load().remove_source("scalearn.bib")
    after = Library.load()
    assert after.ids[0] == TITLE_KEY
    assert after.mark(TITLE_KEY).starred
    assert after.counts()[2] == 1
    again = Library.load()  # and it stays there
    assert again.mark(TITLE_KEY).starred


def test_a_star_made_on_the_arxiv_id_survives_the_remove(seed_library: Library, tmp_path: Path) -> None:
    seed_library.add_sources([str(bib(tmp_path))])
    seed_library.set_marks({"2310.01217": Mark(read=True, starred=True)})
    seed_library.close()
    Library.load().remove_source("scalearn.bib")
    assert Library.load().mark(TITLE_KEY) == Mark(read=True, starred=True)


def test_the_star_follows_add_remove_and_add_again(starred: Library, tmp_path: Path) -> None:
    source = str(bib(tmp_path))
    starred.add_sources([source])
    Library.load().remove_source("scalearn.bib")
    Library.load().add_sources([source])
    again = Library.load()
    assert again.mark("2310.01217").starred and not again.mark(TITLE_KEY).starred
    assert again.counts()[2] == 1


def test_an_edited_source_that_drops_the_id_keeps_the_star(starred: Library, tmp_path: Path) -> None:
    source = bib(tmp_path)
    starred.add_sources([str(source)])
    Library.load().close()
    stat = source.stat()
    bib(tmp_path, eprint=None)
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    after = Library.load()
    assert after.ids[0] == TITLE_KEY and after.mark(TITLE_KEY).starred
    bib(tmp_path)
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9))
    assert Library.load().mark("2310.01217").starred
