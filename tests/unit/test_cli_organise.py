"""The tag, tags, note and saved commands, and their one-line errors (exit 2)."""

from __future__ import annotations

import sys

import pytest

from papertui.cli import main


@pytest.fixture
def ids(seed_library) -> list[str]:
    """Three paper ids of the seed library, its index ready in this test's dirs."""
    return seed_library.ids[:3]


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_tags_are_added_counted_renamed_and_found(capsys, ids):
    assert run(capsys, "tag", *ids[:2], "--add", "Survey,ml")[0] == 0
    assert run(capsys, "tag", ids[2], "--add", "ml")[0] == 0
    assert run(capsys, "tag", ids[0], "--remove", "ml")[0] == 0
    assert run(capsys, "tags")[1] == "2\tml\n2\tsurvey\n"
    assert run(capsys, "tag", "--rename", "ml", "baselines")[0] == 0
    assert run(capsys, "tags")[1] == "2\tbaselines\n2\tsurvey\n"
    status, out, _ = run(capsys, "search", "tag:baselines", "--json")
    assert status == 0 and [hit["id"] for hit in __import__("json").loads(out)] == ids[1:]


def test_bad_input_is_one_line_and_exit_2(capsys, ids, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    cases = [
        (("tag", ids[0], "--add", "no way"), "bad tag name 'no way'"),
        (("tag", "9999.99999", "--add", "x"), "no paper with id '9999.99999'"),
        (("note", "9999.99999", "--set", "x"), "no paper with id '9999.99999'"),
        (("note", ids[0], "--edit"), "note --edit needs an editor"),
        (("saved", "add", "Bad", "is:nonsense"), "unknown filter 'is:nonsense'"),
        (("saved", "remove", "Nope"), "no saved search named 'Nope'"),
    ]
    for args, message in cases:
        status, _, err = run(capsys, *args)
        assert (status, err.count("\n")) == (2, 1), (args, err)
        assert message in err
    assert run(capsys, "saved", "add", "Mine", "is:starred")[0] == 0
    status, _, err = run(capsys, "saved", "add", "mine", "is:read")
    assert status == 2 and "exists already" in err


def test_notes_are_set_edited_cleared_and_searchable(capsys, ids, tmp_path, monkeypatch):
    assert run(capsys, "note", ids[0], "--set", "Ask Ana about zorblax")[0] == 0
    assert run(capsys, "note", ids[0])[1] == "Ask Ana about zorblax\n"
    assert run(capsys, "search", "note:zorblax")[1].split()[0] == ids[0]
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\np = sys.argv[1]\nassert p.endswith('.md')\n"
                      "open(p, 'a').write(' and flibbertigibbet')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    assert run(capsys, "note", ids[0], "--edit")[0] == 0
    assert run(capsys, "note", ids[0])[1] == "Ask Ana about zorblax and flibbertigibbet\n"
    assert run(capsys, "search", "flibbertigibbet")[1].split()[0] == ids[0]
    assert run(capsys, "note", ids[0], "--clear")[0] == 0
    assert run(capsys, "search", "zorblax")[1] == ""


def test_saved_lists_each_search_with_its_counts(capsys, ids):
    run(capsys, "tag", *ids, "--add", "pile")
    run(capsys, "mark", ids[0], "--read")
    run(capsys, "saved", "add", "My pile", "tag:pile")
    run(capsys, "saved", "add", "Text", "scaling law")
    status, out, _ = run(capsys, "saved")
    lines = out.splitlines()
    assert status == 0 and lines[0] == "name\tquery\tcount\tunread\tnew"
    assert lines[1] == "My pile\ttag:pile\t3\t2\t0"
    assert lines[2].startswith("Text\tscaling law\t")
    assert run(capsys, "saved", "remove", "my pile")[0] == 0
    assert [line.split("\t")[0] for line in run(capsys, "saved")[1].splitlines()] == ["name", "Text"]
