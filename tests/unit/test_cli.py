"""The command line, end to end through subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "papertui", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def indexed(seed_library) -> None:
    """The seed index, already built in this test's cache dir."""


def test_search_json_returns_scaling_law_papers_ranked(indexed) -> None:
    out = papertui("search", '"scaling law"', "--json")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert hits and all(set(h) == {"id", "title", "authors", "score", "read", "starred"} for h in hits)
    assert "Scaling Law" in hits[0]["title"]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_search_limit_defaults_to_20_and_0_means_all(indexed) -> None:
    assert len(json.loads(papertui("search", "", "--json").stdout)) == 20
    everything = json.loads(papertui("search", "", "--json", "--limit", "0").stdout)
    assert len(everything) == 67
    assert everything[0]["title"].startswith("ScaLearn")


def test_mark_then_search_shows_marks(indexed) -> None:
    first = json.loads(papertui("search", "", "--json", "--limit", "1").stdout)[0]["id"]
    out = papertui("mark", first, "--read", "--star")
    assert out.returncode == 0, out.stderr
    hit = json.loads(papertui("search", "is:starred", "--json").stdout)
    assert [(h["id"], h["read"], h["starred"]) for h in hit] == [(first, True, True)]
    papertui("mark", first, "--unstar")
    assert json.loads(papertui("search", "is:starred", "--json").stdout) == []


def test_info_prints_locations_and_counts(indexed) -> None:
    out = papertui("info")
    assert out.returncode == 0
    assert "papers   67" in out.stdout
    assert "xdg_data_home" in out.stdout and "xdg_cache_home" in out.stdout


def test_index_is_built_once_then_reused_then_rebuilt_on_request() -> None:
    assert "index built" in papertui("index").stderr
    assert "index current" in papertui("index").stderr
    assert "index built" in papertui("index", "--rebuild").stderr


@pytest.mark.parametrize(
    "args, status, message",
    [
        (("search", "is:bogus"), 2, "unknown filter"),
        (("mark", "nope-not-a-paper", "--read"), 1, "no paper with id"),
        (("mark", "x"), 2, "say what to change"),
        (("frobnicate",), 2, "invalid choice"),
    ],
)
def test_errors_exit_with_status_and_one_line(indexed, args, status, message) -> None:
    out = papertui(*args)
    assert out.returncode == status
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_a_closed_pipe_is_not_an_error(indexed) -> None:
    out = subprocess.run(f"{sys.executable} -m papertui search '' --limit 0 | head -1",
                         shell=True, capture_output=True, text=True, timeout=120)
    assert out.stdout.count("\n") == 1
    assert "Traceback" not in out.stderr and "Broken pipe" not in out.stderr


def test_add_opens_the_library_once(indexed, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from pathlib import Path

    from papertui import cli
    from papertui.state import StateStore

    opened = []
    real_open = StateStore.open.__func__

    def counted(cls, path):
        opened.append(path)
        return real_open(cls, path)

    monkeypatch.setattr(StateStore, "open", classmethod(counted))
    fixture = Path(__file__).parent.parent / "fixtures" / "arxiv-20.jsonl"
    assert cli.main(["add", str(fixture)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "library: 87 papers from 2 sources"
    assert len(opened) == 1
