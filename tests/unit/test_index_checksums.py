"""Damage inside the index is found: every file's checksum is recorded at each commit,
verified in the background after opening, and a mismatch rebuilds the index with a notice."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from papertui import paths
from papertui.index import checksums
from papertui.library import Library


def segment(folder: Path) -> Path:
    return max(folder.glob("*.seg"), key=lambda path: path.stat().st_size)


def flip_bytes_in_the_middle(path: Path) -> None:
    """Damage that Whoosh does not notice on opening: 64 bytes in the middle, inverted."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(byte ^ 0xFF for byte in data[middle:middle + 64])
    path.write_bytes(bytes(data))


def assert_every_file_is_recorded(folder: Path) -> None:
    """The record is current: it names every segment and table of contents there is."""
    files = {path.name for path in folder.iterdir() if path.suffix in (".seg", ".toc")}
    assert files <= set(checksums._recorded(folder) or {})


def verified(library: Library) -> bool:
    """Run the background verification and wait for it; True when it rebuilt."""
    finished = threading.Event()
    outcome: list[bool] = []
    library.verify_index(lambda rebuilt: (outcome.append(rebuilt), finished.set()))
    assert finished.wait(120)
    return outcome[0]


def test_a_fresh_build_records_a_checksum_of_every_file(seed_library: Library) -> None:
    folder = paths.index_dir()
    recorded = set(checksums._recorded(folder) or {})
    assert segment(folder).name in recorded
    assert {path.name for path in folder.glob("*.toc")} <= recorded
    assert "papertui-words.txt" in recorded
    assert checksums.verify(folder) is None


def test_bytes_flipped_in_a_segment_are_found_and_rebuilt_with_one_notice(
    seed_library: Library,
) -> None:
    folder = paths.index_dir()
    damaged = segment(folder)
    flip_bytes_in_the_middle(damaged)
    library = Library.load()
    assert library.ensure_index() is False  # opening alone does not notice
    assert library.notices == []
    assert checksums.verify(folder) == f"{damaged.name} does not match its checksum"

    assert verified(library) is True
    assert library.notices == [
        f"The index was damaged ({damaged.name} does not match its checksum); rebuilding it."]
    assert checksums.verify(folder) is None
    assert "A Survey on Mixture of Experts" in [library.paper(i).title
                                                for i in library.search("mixture experts").ids]
    assert verified(library) is False  # healed: no second rebuild, no second notice
    assert len(library.notices) == 1
    library.close()


def test_a_missing_file_is_damage(seed_library: Library) -> None:
    folder = paths.index_dir()
    (folder / "papertui-words.txt").unlink()
    assert checksums.verify(folder) == "papertui-words.txt is missing"


def test_note_edits_and_an_update_keep_the_checksums_valid(
    isolated_dirs: Path,
) -> None:
    seed = isolated_dirs / "page.txt"
    shutil.copy(paths.seed_file(), seed)
    library = Library.load(seed=seed)
    library.ensure_index()
    folder = paths.index_dir()
    paper_ids = list(library.ids[:12])
    for number, paper_id in enumerate(paper_ids):  # past the small segments' merge
        library.organise.set_note(paper_id, f"zanzibarnote{number} a note")
    assert len(list(folder.glob("*.seg"))) > 1
    assert_every_file_is_recorded(folder)
    assert checksums.verify(folder) is None
    assert verified(library) is False
    library.close()

    seed.write_text(seed.read_text(encoding="utf-8") + "\n\nA Brand New Title\n\nIts abstract.\n")
    library = Library.load(seed=seed)
    assert library.ensure_index() is True  # an update in place, not a build
    assert_every_file_is_recorded(folder)
    assert checksums.verify(folder) is None
    assert verified(library) is False
    assert library.notices == []
    assert [library.paper(i).title for i in library.search("brand").ids] == ["A Brand New Title"]
    assert len(library.search("zanzibarnote3").ids) == 1
    library.close()


def test_a_record_left_stale_by_a_commit_is_not_damage(seed_library: Library) -> None:
    """A process that died between its commit and its record: the files the commit
    removed are gone, which is no damage; the files it kept are still checked."""
    folder = paths.index_dir()
    stale = (folder / checksums.CHECKSUM_FILE).read_text(encoding="utf-8")
    seed_library.organise.set_note(seed_library.ids[0], "a note")
    (folder / checksums.CHECKSUM_FILE).write_text(stale, encoding="utf-8")
    assert checksums.verify(folder) is None
    flip_bytes_in_the_middle(segment(folder))
    assert checksums.verify(folder) == f"{segment(folder).name} does not match its checksum"
