"""``papertui state export`` / ``state import`` move a library's state to a fresh home;
``papertui export`` carries tags and notes, as CSL-JSON too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

XDG = ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME")


def papertui(*args: str, home: Path | None = None, cwd: Path | None = None):
    """Run the CLI, in this test's dirs or (``home``) in another machine's."""
    env = dict(os.environ)
    if home is not None:
        env |= {name: str(home / name.lower()) for name in XDG} | {"HOME": str(home / "home")}
    return subprocess.run([sys.executable, "-m", "papertui", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=env)


def ok(*args: str, home: Path | None = None) -> str:
    out = papertui(*args, home=home)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture
def organised(seed_library) -> list[str]:
    """Two seed papers tagged, one starred with a note, and a saved search."""
    first, second = seed_library.ids[:2]
    ok("mark", first, "--star")
    ok("mark", second, "--read")
    ok("tag", first, second, "--add", "survey,to-read")
    ok("tag", second, "--remove", "to-read")
    ok("note", first, "--set", "Read section 3 about tokenizers")
    ok("saved", "add", "Surveys", "tag:survey is:unread")
    return [first, second]


QUERIES = ("tag:survey", "tag:to-read", "note:tokenizers", "tokenizers", "is:starred",
           "is:read")


def what_each_query_finds(home: Path | None = None) -> dict[str, list[str]]:
    found = {q: sorted(hit["id"] for hit in json.loads(ok("search", q, "--limit", "0", "--json",
                                                           home=home)))
             for q in QUERIES}
    found["saved"] = ok("saved", home=home).splitlines()
    return found


def test_state_moves_to_a_fresh_home_and_a_second_import_changes_nothing(organised, tmp_path):
    first, second = organised
    state = tmp_path / "state.jsonl"
    ok("state", "export", "-o", str(state))
    fresh = tmp_path / "fresh"
    report = ok("state", "import", str(state), home=fresh)
    assert report.splitlines()[-1] == f"imported {state}: 2 papers and 1 saved search changed"
    there = what_each_query_finds(fresh)
    assert there["tag:survey"] == sorted([first, second])
    assert (there["tag:to-read"], there["note:tokenizers"], there["is:starred"],
            there["is:read"]) == ([first], [first], [first], [second])
    assert first in there["tokenizers"]  # plain words match notes too
    assert there["saved"][1:] == ["Surveys\ttag:survey is:unread\t1\t1\t0"]
    here = what_each_query_finds()
    for query in ("tag:survey", "tag:to-read", "is:starred", "is:read", "saved"):
        assert there[query] == here[query], query
    assert ok("state", "import", str(state), home=fresh) == (
        f"imported {state}: nothing changed\n")
    assert ok("state", "export", home=fresh) == state.read_text(encoding="utf-8")


def test_an_imported_note_is_searchable_where_the_index_exists_already(organised, tmp_path):
    _, second = organised
    state = tmp_path / "note.jsonl"
    line = {"kind": "paper", "id": second,
            "note": {"text": "zebrafish idea", "changed": "2025-08-13T09:00:00Z"}}
    state.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert ok("search", "note:zebrafish") == ""
    assert ok("state", "import", str(state)).splitlines()[0] == f"{second}: note set"
    assert [hit["id"] for hit in json.loads(ok("search", "note:zebrafish", "--json"))] == [second]


def test_a_damaged_line_is_one_error_line_and_the_rest_is_imported(organised, tmp_path):
    first, second = organised
    good = ok("state", "export").splitlines()
    state = tmp_path / "damaged.jsonl"
    state.write_text("\n".join([good[0], '{"kind": "paper", "id": ', *good[1:]]) + "\n",
                     encoding="utf-8")
    fresh = tmp_path / "fresh"
    out = papertui("state", "import", str(state), home=fresh)
    assert out.returncode == 1
    assert out.stderr.splitlines() == [f"papertui: {state}:2: not JSON"
                                       " (Expecting value at column 25)"]
    assert out.stdout.splitlines()[-1] == (
        f"imported {state}: 2 papers and 1 saved search changed; 1 damaged lines skipped")
    there = what_each_query_finds(fresh)
    assert (there["tag:survey"], there["is:starred"]) == (sorted([first, second]), [first])


def test_state_errors_are_one_line(organised, tmp_path):
    missing = papertui("state", "import", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 1
    assert missing.stderr == f"papertui: {tmp_path / 'nope.jsonl'}: cannot read:" \
                             " No such file or directory\n"
    nowhere = papertui("state", "export", "-o", "/no/such/dir/state.jsonl")
    assert nowhere.returncode == 1 and "Traceback" not in nowhere.stderr
    assert nowhere.stderr.splitlines() == [
        "papertui: /no/such/dir/state.jsonl: cannot write: the folder does not exist"]


def test_export_carries_tags_and_notes_and_the_csl_json_extension_picks_csl_json(
        organised, tmp_path):
    first, _ = organised
    out = papertui("export", "--query", "tag:to-read", "-o", "refs.csl.json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (record,) = json.loads((tmp_path / "refs.csl.json").read_text(encoding="utf-8"))
    assert (record["keyword"], record["note"]) == (
        "unread, starred, survey, to-read", "Read section 3 about tokenizers")
    (row,) = json.loads(ok("export", "--query", "tag:to-read", "--format", "json"))
    assert (row["id"], row["tags"], row["note"]) == (
        first, ["survey", "to-read"], "Read section 3 about tokenizers")
