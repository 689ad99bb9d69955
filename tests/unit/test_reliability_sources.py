"""Bad paper files and bad config get a message, never a traceback.

Every source format, through ``sources.read_source`` and through ``papertui add``:
an empty file, a binary file, text that is not UTF-8, one 50 MB line, a document
cut short; a path that is a folder, missing, or unreadable. Each is one line that
names the file, and ``add`` exits with status 1.
"""

from __future__ import annotations

import gzip
import lzma
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bad_sources import compress

from papertui import config, paths
from papertui.errors import SourceError
from papertui.sources import read_source

FIXTURES = Path(__file__).parent.parent / "fixtures"
ROOT = os.geteuid() == 0
FIFTY_MB = 50 * 1024 * 1024


def _seed() -> bytes:
    return paths.seed_file().read_bytes()


# name -> (file name, a good file's content, what opens one 50 MB line in this format)
FORMATS: dict[str, tuple[str, Callable[[], bytes], bytes]] = {
    "daily page": ("page.txt", _seed, b""),
    "HF JSON": ("daily.json", lambda: (FIXTURES / "daily_papers-2026-06.json").read_bytes(),
                b'[{"paper": {"id": "2401.00001", "title": "'),
    "arXiv Atom": ("search.xml", lambda: (FIXTURES / "search-testing-100.xml").read_bytes(),
                   b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>'),
    "BibTeX": ("refs.bib", lambda: (FIXTURES / "d2l.bib").read_bytes(), b"@article{key, title={"),
    "arXiv JSONL": ("records.jsonl", lambda: (FIXTURES / "arxiv-20.jsonl").read_bytes(),
                    b'{"id": "2401.00001", "title": "'),
    "arXiv JSONL .gz": ("records.jsonl.gz", lambda: (FIXTURES / "arxiv-20.jsonl").read_bytes(),
                        b'{"id": "2401.00001", "title": "'),
    "arXiv JSONL .xz": ("records.jsonl.xz", lambda: (FIXTURES / "arxiv-20.jsonl").read_bytes(),
                        b'{"id": "2401.00001", "title": "'),
}


def _not_utf8(good: bytes, _: bytes) -> bytes:
    """A Latin-1 "café" in the middle, between two ASCII characters."""
    middle = len(good) // 2
    while good[middle - 1] >= 0x80 or good[middle] >= 0x80:
        middle += 1
    return good[:middle] + "caf\xe9".encode("latin-1") + good[middle:]


# kind -> how to make the bad content from (a good file, the 50 MB line's opening)
BAD: dict[str, Callable[[bytes, bytes], bytes]] = {
    "empty": lambda good, _: b"",
    "only whitespace": lambda good, _: b" \n\t\r\n" * 10,
    "binary": lambda good, _: bytes(range(256)) * 64,
    "not UTF-8": _not_utf8,
    "one 50 MB line": lambda good, opening: opening + b"a" * FIFTY_MB,
}
# Cut short mid-record. Whole documents (JSON, XML) fail to parse; line-based files
# keep what is whole and report the rest (see the test for those).
CUT_SHORT_DOCUMENTS = ("HF JSON", "arXiv Atom")


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """For each kind of bad input, one file of each format; written once per module."""
    files: dict[str, list[Path]] = {}
    for kind, make in BAD.items():
        folder = tmp_path_factory.mktemp(kind.replace(" ", "-"))
        files[kind] = []
        for name, (filename, good, opening) in FORMATS.items():
            path = folder / filename
            path.write_bytes(compress(filename, make(good(), opening)))
            files[kind].append(path)
    folder = tmp_path_factory.mktemp("cut-short")
    files["cut short"] = []
    for name in CUT_SHORT_DOCUMENTS:
        filename, good, _ = FORMATS[name]
        data = good()
        (folder / filename).write_bytes(data[: len(data) // 2])
        files["cut short"].append(folder / filename)
    return files


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "papertui", *args], capture_output=True, text=True, timeout=120
    )


def assert_one_line_per_file(out: subprocess.CompletedProcess[str], files: list[Path]) -> None:
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1
    assert out.stdout == ""
    lines = out.stderr.splitlines()
    assert len(lines) == len(files), out.stderr
    for line, path in zip(lines, files):
        assert line.startswith(f"papertui: {path}"), line


KINDS = [*BAD, "cut short"]


@pytest.mark.parametrize("kind", KINDS)
def test_read_source_raises_one_line_naming_the_file(bad_files, kind: str) -> None:
    for path in bad_files[kind]:
        with pytest.raises(SourceError) as caught:
            read_source(str(path))
        message = str(caught.value)
        assert message.startswith(f"{path}"), message
        assert "\n" not in message and len(message) < 300, message


@pytest.mark.parametrize("kind", KINDS)
def test_add_prints_one_line_per_file_and_exits_1(bad_files, kind: str) -> None:
    files = bad_files[kind]
    assert_one_line_per_file(papertui("add", *map(str, files)), files)
    assert paths.state_db().exists()
    assert papertui("sources").stdout.count("\n") == 2  # the bundled seed only


def test_the_messages_say_what_is_wrong(bad_files) -> None:
    def reasons(kind: str) -> set[str]:
        found = set()
        for path in bad_files[kind]:
            try:
                read_source(str(path))
            except SourceError as error:
                found.add(str(error).removeprefix(str(path)).lstrip(":0123456789 "))
        return found

    assert reasons("empty") == reasons("only whitespace") == {"empty file"}
    assert reasons("binary") == {"binary file, not a paper list"}
    assert all(r.startswith("not UTF-8 (byte 0xe9 at column") for r in reasons("not UTF-8"))


def test_cut_short_line_files_keep_what_is_whole_and_report_the_rest(tmp_path: Path) -> None:
    cut = {}
    for name in ("BibTeX", "arXiv JSONL", "arXiv JSONL .gz", "arXiv JSONL .xz"):
        filename, good, _ = FORMATS[name]
        data = good()
        cut[name] = tmp_path / filename
        cut[name].write_bytes(compress(filename, data[: len(data) // 2 + 7]))
    for name, path in cut.items():
        parsed = read_source(str(path))
        assert parsed.papers, name
        assert parsed.skipped, name  # the record the cut went through
    out = papertui("add", str(cut["BibTeX"]))
    assert out.returncode == 0, out.stderr
    assert "skipped" in out.stdout and "refs.bib" in out.stdout


def test_gzip_and_xz_that_are_not_gives_a_message(tmp_path: Path) -> None:
    data = (FIXTURES / "arxiv-20.jsonl").read_bytes()
    broken = {
        "plain.jsonl.gz": data,
        "plain.jsonl.xz": data,
        "cut.jsonl.gz": gzip.compress(data)[:500],
        "cut.jsonl.xz": lzma.compress(data)[:500],
    }
    files = []
    for filename, content in broken.items():
        files.append(tmp_path / filename)
        files[-1].write_bytes(content)
        with pytest.raises(SourceError, match=f"^{files[-1]}: cannot read: "):
            read_source(str(files[-1]))
    assert_one_line_per_file(papertui("add", *map(str, files)), files)


def test_a_folder_or_a_missing_path_gives_a_message(tmp_path: Path) -> None:
    folder, missing = tmp_path / "a-folder.bib", tmp_path / "missing.jsonl"
    folder.mkdir()
    with pytest.raises(SourceError, match=f"^{folder}: is a directory, not a paper file$"):
        read_source(str(folder))
    with pytest.raises(SourceError, match=f"^{missing}: no such file$"):
        read_source(str(missing))
    assert_one_line_per_file(papertui("add", str(folder), str(missing)), [folder, missing])


@pytest.mark.skipif(ROOT, reason="root can read a file without read permission")
def test_an_unreadable_file_gives_a_message(tmp_path: Path) -> None:
    path = tmp_path / "private.bib"
    path.write_bytes((FIXTURES / "d2l.bib").read_bytes())
    path.chmod(0)
    with pytest.raises(SourceError, match=f"^{path}: permission denied$"):
        read_source(str(path))
    assert_one_line_per_file(papertui("add", str(path)), [path])


def test_a_good_file_among_bad_ones_is_added_and_the_status_says_some_failed(
    seed_library, tmp_path: Path
) -> None:
    good = tmp_path / "records.jsonl"
    good.write_bytes((FIXTURES / "arxiv-20.jsonl").read_bytes())
    bad = tmp_path / "empty.bib"
    bad.write_bytes(b"")
    out = papertui("add", str(bad), str(good))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.splitlines() == [f"papertui: {bad}: empty file"]
    assert "records.jsonl: 20 entries" in out.stdout


# Bad config -------------------------------------------------------------------------


def write_config(content: bytes) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_bytes(content)


@pytest.mark.parametrize(
    "content, says",
    [
        (b'theme = "nord', "not valid TOML"),
        (b"[keymap\n", "not valid TOML"),
        (b'theme = "nord"\ncolour = "red"\n', "unknown setting 'colour'"),
        (b"theme = 42\n", "'theme' must be a theme name"),
        (b'keymap = "f"\n', "[keymap] must be a table"),
        (b"[keymap]\ntoggle_star = 1\n", "keymap.toggle_star must be keys"),
        (b'theme = "caf\xe9"\n', "cannot read"),
        (b"\x00\x01\x02binary", "not valid TOML"),
    ],
)
def test_bad_config_gives_one_line_and_the_defaults(content: bytes, says: str) -> None:
    write_config(content)
    settings, message = config.load()
    assert message is not None and says in message, message
    assert message.startswith(str(paths.config_file())) and "\n" not in message
    assert settings.theme in (config.DEFAULT_THEME, "nord")


def test_a_config_path_that_is_a_folder_gives_a_message() -> None:
    paths.config_file().mkdir(parents=True)
    settings, message = config.load()
    assert settings.theme == config.DEFAULT_THEME
    assert message is not None and "cannot read" in message
