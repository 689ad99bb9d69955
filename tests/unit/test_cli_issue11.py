"""Issue 11's command-line items: ids in any form, mark's unknown ids, usage errors, --help."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from papertui import __version__
from papertui.cli import build_parser
from test_marks_follow_ids import TITLE_KEY, bib

SECOND = "privacy-preserving-prompt-engineering-a-survey"


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "papertui", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def with_scalearn_id(seed_library, tmp_path: Path) -> None:
    """The seed, with a BibTeX file that gives ScaLearn its arXiv id 2310.01217."""
    seed_library.add_sources([str(bib(tmp_path))])
    seed_library.ensure_index()


@pytest.mark.parametrize("typed", ["2310.01217v2", "arXiv:2310.01217",
                                   "https://arxiv.org/abs/2310.01217"])
def test_mark_takes_an_id_in_any_form(with_scalearn_id, typed: str) -> None:
    out = papertui("mark", typed, "--star")
    assert (out.returncode, out.stdout, out.stderr) == (0, "*  2310.01217\n", "")


@pytest.mark.parametrize("typed", ["2310.01217", "https://arxiv.org/pdf/2310.01217v1"])
def test_search_for_an_id_finds_its_paper(with_scalearn_id, typed: str) -> None:
    out = papertui("search", typed, "--json")
    assert out.returncode == 0, out.stderr
    assert [hit["id"] for hit in json.loads(out.stdout)] == ["2310.01217"]


def test_mark_names_the_unknown_ids_and_marks_the_known_ones(seed_library) -> None:
    out = papertui("mark", TITLE_KEY, "2401.99999", SECOND, "nope", "--read")
    assert out.returncode == 1
    assert out.stderr == "papertui: no paper with id 2401.99999, nope (see papertui search)\n"
    assert out.stdout == f" r {TITLE_KEY}\n r {SECOND}\n"
    read = {hit["id"] for hit in json.loads(papertui("search", "is:read", "--json").stdout)}
    assert read == {TITLE_KEY, SECOND}


def test_mark_strict_changes_nothing_when_an_id_is_unknown(seed_library) -> None:
    out = papertui("mark", TITLE_KEY, "2401.99999", "--star", "--strict")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr == ("papertui: no paper with id 2401.99999 (see papertui search);"
                          " nothing was changed\n")
    assert json.loads(papertui("search", "is:starred", "--json").stdout) == []


@pytest.mark.parametrize("limit", ["-1", "many"])
def test_a_bad_limit_is_a_usage_error(limit: str) -> None:
    out = papertui("search", "", "--limit", limit)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("papertui search: argument --limit: ")


def test_remove_says_the_bundled_list_cannot_be_removed(seed_library) -> None:
    out = papertui("remove", "000_5f20306b54a37573.txt")
    assert out.returncode == 1
    assert out.stderr == ("papertui: Daily Papers · Aug 13 is the bundled list:"
                          " it cannot be removed\n")


def test_sources_shows_the_bundled_list_by_its_label(seed_library) -> None:
    out = papertui("sources")
    assert out.stdout.startswith("Daily Papers · Aug 13\tbundled\t")
    assert "    Daily Papers · Aug 13: 67 entries, 67 papers" in out.stdout


def test_version() -> None:
    out = papertui("--version")
    assert (out.returncode, out.stdout) == (0, f"papertui {__version__}\n")


def _parsers(parser: argparse.ArgumentParser, name: str = "papertui"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, child in action.choices.items():
                yield from _parsers(child, f"{name} {sub}")


def test_every_argument_of_every_command_has_a_description() -> None:
    missing = []
    for name, parser in _parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                missing += [f"{name} {c.dest}" for c in action._choices_actions if not c.help]
            elif not action.help:
                missing.append(f"{name}: {action.option_strings or action.dest}")
    assert missing == []
    commands = [name for name, _ in _parsers(build_parser())]
    assert {"papertui search", "papertui mark", "papertui feed add"} <= set(commands)
