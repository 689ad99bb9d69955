"""The index heals itself: whatever happened to it, the next launch says so in one line
and rebuilds it, through the facade and through the CLI, never with a traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from papertui import index, paths
from papertui.library import Library

# A process that takes Whoosh's write lock and is then killed while holding it:
# in a staging folder of its own (a build killed half-way), or in the index itself.
KILLED_WRITER = """
import os, sys
from pathlib import Path
from whoosh import index
from papertui.index import SCHEMA
target = Path(sys.argv[1])
if sys.argv[2] == "build":
    target = target.with_name(f"{target.name}.building-{os.getpid()}")
    target.mkdir(parents=True)
    ix = index.create_in(str(target), SCHEMA)
else:
    ix = index.open_dir(str(target))
writer = ix.writer()
writer.add_document(id="half-written", title="zyxwvut never committed")
print("holding the write lock", flush=True)
sys.stdin.read()
"""


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "papertui", *args], capture_output=True, text=True, timeout=120
    )


def kill_a_writer(target: Path, mode: str) -> None:
    """Run KILLED_WRITER until it holds the lock, then SIGKILL it."""
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target), mode],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout.readline() == "holding the write lock\n"
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL


def segment(folder: Path) -> Path:
    return next(folder.glob("*.seg"))


def cut_in_half(folder: Path) -> None:
    data = segment(folder).read_bytes()
    segment(folder).write_bytes(data[: len(data) // 2])


def empty_segment(folder: Path) -> None:
    segment(folder).write_bytes(b"")


def garbage_segment(folder: Path) -> None:
    segment(folder).write_bytes(os.urandom(segment(folder).stat().st_size))


def garbage_tail(folder: Path) -> None:
    data = bytearray(segment(folder).read_bytes())
    data[-2000:] = os.urandom(2000)
    segment(folder).write_bytes(bytes(data))


def garbage_table_of_contents(folder: Path) -> None:
    next(folder.glob("*.toc")).write_bytes(b"not a table of contents")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "segment cut in half": cut_in_half,
    "empty segment": empty_segment,
    "garbage segment": garbage_segment,
    "garbage at the end of the segment": garbage_tail,
    "garbage table of contents": garbage_table_of_contents,
}


def older_schema(folder: Path) -> None:
    fingerprint = index.read_fingerprint(folder)
    fingerprint["schema"] = index.SCHEMA_VERSION - 1
    (folder / index.FINGERPRINT_FILE).write_text(json.dumps(fingerprint), encoding="utf-8")


def leftovers() -> list[Path]:
    folder = paths.index_dir()
    return sorted(folder.parent.glob(f"{folder.name}.building-*")) + sorted(
        folder.parent.glob(f"{folder.name}.old-*"))


def assert_searches_work(library: Library) -> None:
    assert library.index_ready
    assert "A Survey on Mixture of Experts" in [library.paper(i).title
                                                for i in library.search("mixtre~").ids]
    assert len(library.search('"scaling law"').ids) >= 3
    assert len(library.similar(library.search("title:survey").ids[0])) == 5


def reopen_and_rebuild() -> Library:
    library = Library.load()
    assert library.ensure_index() is True
    assert_searches_work(library)
    assert leftovers() == []
    return library


def assert_one_notice(library: Library, start: str) -> None:
    assert len(library.notices) == 1, library.notices
    assert library.notices[0].startswith(start), library.notices
    assert "\n" not in library.notices[0]


def assert_cli_heals(start: str) -> None:
    out = papertui("search", "survey", "--json")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert [line for line in out.stderr.splitlines() if line.startswith("papertui:")] == [
        line for line in out.stderr.splitlines() if line.startswith(f"papertui: {start}")]
    assert f"papertui: {start}" in out.stderr
    assert any("Survey" in hit["title"] for hit in json.loads(out.stdout))
    assert Library.load().ensure_index() is False  # healed for good


# Through the facade ----------------------------------------------------------


def test_first_launch_builds_the_index_without_a_notice(isolated_dirs: Path) -> None:
    library = Library.load()
    assert library.ensure_index() is True
    assert library.notices == []
    assert_searches_work(library)


def test_deleted_index_is_rebuilt_with_a_notice(seed_library: Library) -> None:
    seed_library.close()
    shutil.rmtree(paths.index_dir())
    assert_one_notice(reopen_and_rebuild(), "The index was missing")


def test_emptied_index_folder_is_rebuilt_with_a_notice(seed_library: Library) -> None:
    seed_library.close()
    for file in paths.index_dir().iterdir():
        file.unlink()
    assert_one_notice(reopen_and_rebuild(), "The index was missing")


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_segment_or_toc_is_rebuilt_with_a_notice(
    seed_library: Library, damage: str
) -> None:
    seed_library.close()
    DAMAGE[damage](paths.index_dir())
    assert_one_notice(reopen_and_rebuild(), "The index was damaged")


def test_index_of_an_older_schema_is_rebuilt_with_a_notice(seed_library: Library) -> None:
    seed_library.close()
    older_schema(paths.index_dir())
    library = reopen_and_rebuild()
    assert_one_notice(library, "The index was made by another version of papertui")
    assert index.read_fingerprint(paths.index_dir())["schema"] == index.SCHEMA_VERSION


def test_build_killed_holding_the_write_lock_is_cleaned_up_and_redone(isolated_dirs: Path) -> None:
    kill_a_writer(paths.index_dir(), "build")
    [staging] = leftovers()
    assert (staging / "MAIN_WRITELOCK").exists()
    assert_one_notice(reopen_and_rebuild(), "An earlier index build was interrupted")


def test_rebuild_killed_after_the_old_index_was_moved_away_is_redone(seed_library: Library) -> None:
    """Killed between build()'s two renames: no index, an .old- and a .building- folder."""
    seed_library.close()
    folder = paths.index_dir()
    dead = 2**22 + 12345  # above the default pid_max, so no such process
    shutil.copytree(folder, folder.with_name(f"{folder.name}.building-{dead}"))
    os.replace(folder, folder.with_name(f"{folder.name}.old-{dead}"))
    assert_one_notice(reopen_and_rebuild(), "An earlier index build was interrupted")


def test_update_killed_holding_the_write_lock_does_not_block_the_next_one(
    isolated_dirs: Path,
) -> None:
    """Whoosh's WRITELOCK is an flock: the kernel drops it with the process, and the
    file staying behind is normal. The next update must not wait for it (30 s)."""
    seed = isolated_dirs / "page.txt"
    shutil.copy(paths.seed_file(), seed)
    Library.load(seed=seed).ensure_index()
    kill_a_writer(paths.index_dir(), "update")
    assert (paths.index_dir() / "MAIN_WRITELOCK").exists()
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\nA Brand New Title\n\nIts abstract.\n")
    library = Library.load(seed=seed)
    started = time.monotonic()
    assert library.ensure_index() is True
    assert time.monotonic() - started < 15
    assert library.notices == []
    assert [library.paper(i).title for i in library.search("brand").ids] == ["A Brand New Title"]
    assert library.search("zyxwvut").ids == []


def test_build_of_a_live_process_is_not_swept_away(seed_library: Library) -> None:
    """A .building- folder whose process still runs may be an orphaned build finishing."""
    folder = paths.index_dir()
    live = folder.with_name(f"{folder.name}.building-{os.getpid()}")
    live.mkdir()
    seed_library.close()
    index.forget(folder)
    library = Library.load()
    assert library.ensure_index() is True
    assert library.notices == []
    assert live.exists()


# Two instances at once ---------------------------------------------------------

BOTH_AT_ONCE = """
import json, sys
from papertui.library import Library
sys.stdin.readline()
library = Library.load()
built = library.ensure_index()
print(json.dumps([built, len(library.search("survey").ids), library.notices]), flush=True)
"""


def start_together(commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Start processes that each wait for a line on stdin, then release them at once."""
    children = [subprocess.Popen(c, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for c in commands]
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    results = []
    for command, child in zip(commands, children):
        out, err = child.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, child.returncode, out, err))
    return results


def assert_index_is_whole() -> None:
    library = Library.load()
    assert library.ensure_index() is False
    assert library.notices == []
    assert_searches_work(library)
    assert leftovers() == []
    library.close()


def test_two_instances_on_a_fresh_machine_build_once(isolated_dirs: Path) -> None:
    results = start_together([[sys.executable, "-c", BOTH_AT_ONCE]] * 2)
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    reports = [json.loads(r.stdout) for r in results]
    assert sorted(built for built, _, _ in reports) == [False, True]
    assert reports[0][1] == reports[1][1] > 0
    assert [notices for _, _, notices in reports] == [[], []]
    assert_index_is_whole()


def test_two_cli_searches_on_a_fresh_machine_both_answer(isolated_dirs: Path) -> None:
    command = [sys.executable, "-c",
               "import sys; sys.stdin.readline(); from papertui.cli import main; "
               "sys.argv[0] = 'papertui'; raise SystemExit(main(['search', 'survey', '--json']))"]
    results = start_together([command] * 2)
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "papertui:" not in result.stderr
    assert results[0].stdout == results[1].stdout
    assert json.loads(results[0].stdout)
    assert_index_is_whole()


# Through the CLI ---------------------------------------------------------------


def test_cli_rebuilds_a_deleted_index_with_a_notice(seed_library: Library) -> None:
    seed_library.close()
    shutil.rmtree(paths.index_dir())
    assert_cli_heals("The index was missing")


def test_cli_rebuilds_a_truncated_segment_with_a_notice(seed_library: Library) -> None:
    seed_library.close()
    cut_in_half(paths.index_dir())
    assert_cli_heals("The index was damaged")


def test_cli_cleans_up_a_killed_build_with_a_notice(isolated_dirs: Path) -> None:
    kill_a_writer(paths.index_dir(), "build")
    assert_cli_heals("An earlier index build was interrupted")
    assert leftovers() == []


def test_cli_rebuilds_an_index_of_an_older_schema_with_a_notice(seed_library: Library) -> None:
    seed_library.close()
    older_schema(paths.index_dir())
    assert_cli_heals("The index was made by another version of papertui")


def test_a_forgotten_index_with_an_unreadable_table_of_contents_is_rebuilt(
    seed_library: Library,
) -> None:
    """Asked to rebuild (no fingerprint), the index's files are not read: no traceback."""
    seed_library.close()
    index.forget(paths.index_dir())
    next(paths.index_dir().glob("*.toc")).write_bytes(bytes(range(100)))
    library = reopen_and_rebuild()
    assert library.notices == []


# The bulk writer ----------------------------------------------------------------


def test_the_bulk_writer_refuses_an_index_that_already_has_segments(tmp_path: Path) -> None:
    from whoosh import index as whoosh_index

    from papertui.index.bulk import BulkWriter
    from papertui.index.schema import SCHEMA

    ix = whoosh_index.create_in(str(tmp_path), SCHEMA)
    writer = ix.writer()
    writer.add_document(id="2501.00001", title="alpha")
    writer.commit()
    with pytest.raises(ValueError, match="only into an empty index; this one has 1 segment"):
        BulkWriter(ix)
    writer = ix.writer()  # the refused writer let go of the lock
    writer.add_document(id="2501.00002", title="beta")
    writer.commit()
    with ix.searcher() as searcher:
        assert sorted(fields["id"] for fields in searcher.all_stored_fields()) == [
            "2501.00001", "2501.00002"]


@pytest.mark.parametrize("value", [3, b"bytes", ["a", "list"]])
def test_the_bulk_writer_refuses_a_value_that_is_not_text(tmp_path: Path, value: object) -> None:
    from whoosh import index as whoosh_index

    from papertui.index.bulk import BulkWriter
    from papertui.index.schema import SCHEMA

    writer = BulkWriter(whoosh_index.create_in(str(tmp_path), SCHEMA))
    with pytest.raises(ValueError, match=f"field 'title' is a {type(value).__name__}"):
        writer.add_document(id="2501.00001", title=value)
    writer.cancel()
