"""The marks store: a damaged one is moved aside, never overwritten, and said so; a
read-only or full disk gives one clear line, and a mark that was not saved is not shown."""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from papertui import cli, paths
from papertui.errors import ExportError, StateError
from papertui.export import atomic
from papertui.library import Library
from papertui.models import Mark
from papertui.state import StateStore

ROOT = os.geteuid() == 0
GARBAGE = b"this is not a database, it is a shopping list\n" * 200


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "papertui", *args], capture_output=True, text=True, timeout=120
    )


def errors_of(out: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in out.stderr, out.stderr
    return [line for line in out.stderr.splitlines() if line.startswith("papertui:")]


def aside_files() -> list[Path]:
    return sorted(paths.data_dir().glob("state.db.corrupt-*"))


def store_with_marks(count: int = 3000) -> dict[str, Mark]:
    marks = {f"2401.{n:05d}": Mark(read=True, starred=n % 3 == 0) for n in range(count)}
    store = StateStore.open(paths.state_db())
    store.set(marks)
    store.close()
    return marks


def damage_a_page(db: Path) -> None:
    """Overwrite the cell pointers of a table page in the middle of the file."""
    data = bytearray(db.read_bytes())
    page = len(data) // 4096 // 2
    data[page * 4096 + 100 : page * 4096 + 400] = b"\xff" * 300
    db.write_bytes(bytes(data))


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Callable[..., None]]:
    """Mount over a folder for one test (root with CAP_SYS_ADMIN only); unmounted after."""
    done: list[Path] = []

    def mount(*options: str, on: Path) -> None:
        on.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["mount", *options, str(on)], capture_output=True, text=True)
        if result.returncode:
            pytest.skip(f"cannot mount here: {result.stderr.strip()}")
        done.append(on)

    yield mount
    for folder in reversed(done):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def make_read_only(folder: Path, mounted: Callable[..., None]) -> None:
    """A real read-only folder: a read-only bind mount as root, else chmod."""
    if ROOT:
        mounted("--bind", "-o", "ro", str(folder), on=folder)
    else:
        folder.chmod(0o555)


@pytest.fixture
def seed_index_copy(built_seed_index: Path) -> Callable[[], None]:
    """Put the session's seed index in this test's cache dir, without loading anything."""
    return lambda: shutil.copytree(built_seed_index, paths.index_dir())


# Durability: what the module docstring promises, read back from SQLite ---------------

DURABLE = {"journal_mode": "wal", "synchronous": "FULL", "busy_timeout_ms": 10_000}


@pytest.mark.parametrize("before", ["none", "a store with marks", "garbage"])
def test_the_store_is_wal_with_full_sync_and_a_ten_second_busy_timeout(
    isolated_dirs: Path, before: str
) -> None:
    """However it was opened: created, reopened, or started fresh after moving garbage aside."""
    if before == "a store with marks":
        store_with_marks(10)
    elif before == "garbage":
        paths.state_db().parent.mkdir(parents=True)
        paths.state_db().write_bytes(GARBAGE)
    store = StateStore.open(paths.state_db())
    assert (store.moved_aside is not None) == (before == "garbage")
    assert store.settings() == DURABLE
    store.close()


def test_wal_is_recorded_in_the_file_itself(isolated_dirs: Path) -> None:
    store_with_marks(10)
    plain = sqlite3.connect(paths.state_db())
    try:
        assert plain.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        plain.close()


# A damaged store is moved aside, never overwritten -----------------------------------


def test_a_file_that_is_not_a_database_is_moved_aside_with_a_notice(isolated_dirs: Path) -> None:
    paths.state_db().parent.mkdir(parents=True)
    paths.state_db().write_bytes(GARBAGE)
    library = Library.load()
    [aside] = aside_files()
    assert library.moved_aside == aside
    assert aside.read_bytes() == GARBAGE
    assert library.notices == [
        f"The marks database was unreadable; it was moved to {aside} and a fresh one started."]
    library.set_marks({library.ids[0]: Mark(read=True)})
    assert Library.load().counts() == (67, 1, 0)
    assert aside.read_bytes() == GARBAGE


def test_a_database_with_a_damaged_page_is_moved_aside_not_half_used(isolated_dirs: Path) -> None:
    store_with_marks()
    damage_a_page(paths.state_db())
    damaged = paths.state_db().read_bytes()
    store = StateStore.open(paths.state_db())
    assert store.moved_aside is not None
    assert store.moved_aside.read_bytes() == damaged
    assert store.all() == {}
    store.close()
    fresh = sqlite3.connect(paths.state_db())
    try:
        assert fresh.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        fresh.close()


def test_the_wal_and_shm_files_go_aside_with_it(isolated_dirs: Path) -> None:
    db = paths.state_db()
    db.parent.mkdir(parents=True)
    db.write_bytes(GARBAGE)
    Path(f"{db}-wal").write_bytes(b"wal" * 100)
    Path(f"{db}-shm").write_bytes(b"shm" * 100)
    aside = StateStore.open(db).moved_aside
    assert Path(f"{aside}-wal").read_bytes() == b"wal" * 100
    assert Path(f"{aside}-shm").read_bytes() == b"shm" * 100


def test_an_earlier_aside_file_is_never_overwritten(isolated_dirs: Path, monkeypatch) -> None:
    monkeypatch.setattr("papertui.state.time.strftime", lambda _: "20260101-000000")
    db = paths.state_db()
    db.parent.mkdir(parents=True)
    for n in range(3):
        db.write_bytes(GARBAGE + bytes([n]))
        StateStore.open(db).close()
    assert [a.name for a in aside_files()] == [
        "state.db.corrupt-20260101-000000",
        "state.db.corrupt-20260101-000000-2",
        "state.db.corrupt-20260101-000000-3",
    ]
    assert [a.read_bytes()[-1] for a in aside_files()] == [0, 1, 2]


def test_two_instances_opening_a_damaged_database_move_it_aside_once(isolated_dirs: Path) -> None:
    db = paths.state_db()
    db.parent.mkdir(parents=True)
    for _ in range(10):
        db.write_bytes(GARBAGE)
        start = threading.Barrier(2)
        outcomes: list[object] = []

        def open_it() -> None:
            start.wait()
            try:
                store = StateStore.open(db)
                outcomes.append(store.moved_aside)
                store.set({"2401.00001": Mark(read=True)})
                store.close()
            except Exception as error:  # recorded, then asserted on
                outcomes.append(error)

        threads = [threading.Thread(target=open_it) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        moved = [o for o in outcomes if o is not None]
        assert len(moved) == 1 and moved[0].read_bytes() == GARBAGE
        assert StateStore.open(db).all() == {"2401.00001": Mark(read=True)}
        for path in db.parent.glob("state.db*"):
            if path.name != "state.db.lock":
                path.unlink()


@pytest.mark.parametrize(
    "command",
    [("search", "survey"), ("search", ""), ("mark", "2310.05175", "--read"), ("info",),
     ("sources",), ("export", "--all"), ("index",), ("remove", "x")],
    ids=lambda args: " ".join(args) or "''",
)
def test_every_command_stops_with_exit_1_and_says_where_the_database_went(
    seed_index_copy, command: tuple[str, ...]
) -> None:
    seed_index_copy()
    paths.state_db().parent.mkdir(parents=True)
    paths.state_db().write_bytes(GARBAGE)
    out = papertui(*command)
    [aside] = aside_files()
    assert out.returncode == 1
    assert out.stdout == ""
    assert errors_of(out) == [
        f"papertui: The marks database was unreadable; it was moved to {aside} and a fresh"
        " one started.",
        "papertui: nothing else was done; run the command again to carry on",
    ]
    assert aside.read_bytes() == GARBAGE


def test_the_command_run_again_carries_on_with_the_fresh_database(seed_index_copy) -> None:
    seed_index_copy()
    paths.state_db().parent.mkdir(parents=True)
    paths.state_db().write_bytes(GARBAGE)
    assert papertui("info").returncode == 1
    again = papertui("info")
    assert again.returncode == 0 and errors_of(again) == []
    assert "read     0" in again.stdout


def test_the_app_goes_on_and_carries_the_notice(isolated_dirs: Path, capsys) -> None:
    paths.state_db().parent.mkdir(parents=True)
    paths.state_db().write_bytes(GARBAGE)
    library = cli._library(app=True)
    assert library.moved_aside is not None
    assert library.notices[-1].startswith("The marks database was unreadable; it was moved to")
    assert "The marks database was unreadable" in capsys.readouterr().err
    library.close()


@pytest.mark.skipif(ROOT, reason="root reads a chmod 000 file anyway")
def test_an_unreadable_database_is_reported_and_left_where_it_is(isolated_dirs: Path) -> None:
    marks = store_with_marks(10)
    paths.state_db().chmod(0)
    try:
        with pytest.raises(StateError, match=f"cannot open the marks database {paths.state_db()}"):
            Library.load()
        out = papertui("info")
        assert out.returncode == 1 and len(errors_of(out)) == 1
        assert aside_files() == []
    finally:
        paths.state_db().chmod(0o644)
    assert StateStore.open(paths.state_db()).all() == marks


def test_a_database_that_cannot_be_opened_is_reported_and_left_where_it_is(
    isolated_dirs: Path, monkeypatch
) -> None:
    """What chmod 000 does for a user other than root: SQLite cannot open the file."""
    marks = store_with_marks(10)

    def cannot_open(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    with monkeypatch.context() as patch:
        patch.setattr("papertui.state.sqlite3.connect", cannot_open)
        with pytest.raises(StateError) as caught:
            StateStore.open(paths.state_db())
    assert str(caught.value) == (
        f"cannot open the marks database {paths.state_db()}: unable to open database file")
    assert aside_files() == []
    assert StateStore.open(paths.state_db()).all() == marks


# Read-only or full disk ------------------------------------------------------------


def test_a_read_only_data_dir_is_one_line_and_exit_1(seed_index_copy, mounted) -> None:
    marks = store_with_marks(10)
    make_read_only(paths.data_dir(), mounted)
    with pytest.raises(StateError) as caught:
        Library.load()
    message = str(caught.value)
    assert message.startswith(f"cannot open the marks database {paths.state_db()}")
    assert "read-only" in message and "\n" not in message
    seed_index_copy()
    out = papertui("search", "survey")
    assert out.returncode == 1
    assert errors_of(out) == [f"papertui: {message}"]
    assert aside_files() == []
    if not ROOT:
        paths.data_dir().chmod(0o755)
    else:
        subprocess.run(["umount", str(paths.data_dir())], check=True)
    assert StateStore.open(paths.state_db()).all() == marks


def test_a_full_disk_while_marking_keeps_the_marks_shown_as_they_were(
    seed_library: Library,
) -> None:
    """SQLite's own 'disk full': a page limit on the library's connection."""
    first = seed_library.ids[0]
    seed_library.set_marks({first: Mark(starred=True)})
    db = seed_library._store._db
    db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
    batch = {pid: Mark(read=True, starred=True) for pid in seed_library.ids}
    batch.update({f"2401.{n:05d}": Mark(read=True) for n in range(5000)})
    with pytest.raises(StateError) as caught:
        seed_library.set_marks(batch)
    assert str(caught.value) == f"cannot save marks to {paths.state_db()}: database or disk is full"
    assert seed_library.counts() == (67, 0, 1)
    assert seed_library.mark(first) == Mark(starred=True)
    assert Library.load().counts() == (67, 0, 1)
    db.execute("PRAGMA max_page_count = 1073741823")
    seed_library.set_marks({first: Mark(read=True, starred=True)})  # no transaction left open
    assert Library.load().mark(first) == Mark(read=True, starred=True)


def test_a_read_only_store_while_marking_keeps_the_marks_shown_as_they_were(
    seed_library: Library,
) -> None:
    first = seed_library.ids[0]
    seed_library._store._db.execute("PRAGMA query_only = 1")
    with pytest.raises(StateError) as caught:
        seed_library.set_marks({first: Mark(read=True)})
    assert str(caught.value) == (
        f"cannot save marks to {paths.state_db()}: attempt to write a readonly database")
    assert seed_library.mark(first) == Mark()
    assert seed_library.search("is:read").ids == []
    seed_library._store._db.execute("PRAGMA query_only = 0")
    seed_library.set_marks({first: Mark(read=True)})
    assert Library.load().mark(first) == Mark(read=True)


def test_a_really_full_disk_while_marking(isolated_dirs: Path, mounted, built_seed_index) -> None:
    """A 1 MB tmpfs as the data dir: the kernel's own ENOSPC, through the CLI and facade."""
    mounted("-t", "tmpfs", "-o", "size=1m", "tmpfs", on=paths.data_dir())
    shutil.copytree(built_seed_index, paths.index_dir())
    library = Library.load()
    first, everything = library.ids[0], library.ids[1:]
    library.set_marks({first: Mark(starred=True)})
    library.close()

    filler = paths.data_dir() / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 1024):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    out = papertui("mark", *everything, "--read")
    assert out.returncode == 1 and out.stdout == ""
    [line] = errors_of(out)  # SQLite fails opening (no room for its -shm) or saving
    assert line in (
        f"papertui: cannot save marks to {paths.state_db()}: database or disk is full",
        f"papertui: cannot open the marks database {paths.state_db()}: disk I/O error"
        f" (the disk holding {paths.data_dir()} is full)",
    )
    filler.unlink()
    assert Library.load().counts() == (67, 0, 1)
    assert papertui("mark", *everything, "--read").returncode == 0

    library = Library.load()
    assert library.counts() == (67, 66, 1)
    huge = {f"2401.{n:05d}-{'x' * 40}": Mark(read=True) for n in range(20000)}
    with pytest.raises(StateError, match="database or disk is full"):
        library.set_marks(huge)
    assert library.counts() == (67, 66, 1)
    assert library.mark(huge.popitem()[0]) == Mark()
    library.close()


def test_export_to_a_full_disk_is_one_line_and_leaves_the_old_file(seed_library, mounted,
                                                                   tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    mounted("-t", "tmpfs", "-o", "size=8k", "tmpfs", on=folder)
    (folder / "list.md").write_text("the old list\n")
    out = papertui("export", "--all", "-o", str(folder / "list.md"))
    assert out.returncode == 1
    assert errors_of(out) == [f"papertui: {folder / 'list.md'}: cannot write: the disk is full"]
    assert (folder / "list.md").read_text() == "the old list\n"
    assert os.listdir(folder) == ["list.md"]


def test_export_to_a_read_only_folder_is_one_line(seed_library, mounted, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    make_read_only(folder, mounted)
    out = papertui("export", "--all", "-o", str(folder / "list.md"))
    assert out.returncode == 1
    reason = "the file system is read-only" if ROOT else "permission denied"
    assert errors_of(out) == [f"papertui: {folder / 'list.md'}: cannot write: {reason}"]


def test_export_hitting_enospc_raises_export_error(seed_library, monkeypatch, tmp_path) -> None:
    """The same without mounting anything: the write itself fails with ENOSPC."""
    from papertui import export

    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", disk_full)
    target = tmp_path / "list.bib"
    target.write_text("old")
    items = seed_library.export_items(seed_library.ids[:3])
    text = export.render(items, "bib", list_name="x", on=datetime.date(2026, 1, 1))
    with pytest.raises(ExportError, match="cannot write: the disk is full"):
        export.write_atomic(target, text)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".list.bib")] == []


# The cache (catalog, index) is derived data, but a disk that cannot hold it is still a message.


def test_a_full_cache_disk_is_one_line_and_exit_1(isolated_dirs: Path, mounted) -> None:
    mounted("-t", "tmpfs", "-o", "size=64k", "tmpfs", on=paths.cache_dir())
    out = papertui("search", "survey")
    assert out.returncode == 1
    assert errors_of(out) == [
        f"papertui: cannot write the cache in {paths.cache_dir()}: database or disk is full"]
    assert not list(paths.cache_dir().glob("catalog.db.new-*"))


def test_a_read_only_cache_dir_is_one_line_and_exit_1(isolated_dirs: Path, mounted) -> None:
    make_read_only(paths.cache_dir().parent, mounted)
    out = papertui("info")
    assert out.returncode == 1
    [line] = errors_of(out)
    assert line.startswith(f"papertui: cannot write the cache in {paths.cache_dir()}: ")
