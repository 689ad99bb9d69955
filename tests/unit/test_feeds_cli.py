"""The feed commands end to end: subprocesses against a loopback server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from feed_server import ERROR_PAGE, HTML, Reply, fixture

DAILY = fixture("daily_papers-2026-06.json")
DAILY_IDS = {item["paper"]["id"] for item in json.loads(DAILY)}


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "papertui", *args],
                          capture_output=True, text=True, timeout=120)


pytestmark = pytest.mark.usefixtures("no_proxy")  # see tests/conftest.py


def library_ids(query: str = "") -> set[str]:
    out = papertui("search", query, "--json", "--limit", "0")
    assert out.returncode == 0, out.stderr
    return {hit["id"] for hit in json.loads(out.stdout)}


def test_fetch_brings_in_exactly_the_recorded_papers_and_a_second_fetch_changes_nothing(
    server, seed_library,
) -> None:
    server.route("/api/daily_papers", Reply(DAILY, etag=True))
    added = papertui("feed", "add", "hf-daily", "--url", server.url)
    assert added.returncode == 0, added.stderr
    seed = library_ids()
    fetched = papertui("fetch")
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout.strip() == "hf-daily: 7 days, 30 papers, 30 new"
    assert "fetching hf-daily" in fetched.stderr and "Traceback" not in fetched.stderr
    assert library_ids("source:hf-daily") == DAILY_IDS
    after = library_ids()
    assert after == seed | DAILY_IDS

    again = papertui("fetch", "hf-daily")
    assert again.returncode == 0 and again.stdout.strip() == "hf-daily: 1 day, unchanged"
    assert library_ids() == after
    listing = papertui("feeds").stdout
    assert "hf-daily" in listing and "30 papers" in listing and "1 day, unchanged" in listing


@pytest.mark.parametrize("reply", [
    Reply(b"busy", 503, "text/plain", {"Retry-After": "0"}),  # no backoff waits in a test
    Reply(ERROR_PAGE, 200, HTML),
    Reply(DAILY[:4000]),
], ids=["503", "html", "truncated"])
def test_a_failing_server_makes_fetch_exit_1_with_one_line_and_the_library_unchanged(
    server, reply, seed_library,
) -> None:
    server.route("/api/daily_papers", reply)
    papertui("feed", "add", "hf-daily", "--url", server.url)
    before = library_ids()
    fetched = papertui("fetch")
    assert fetched.returncode == 1
    problems = [line for line in fetched.stderr.splitlines() if not line.startswith("fetching ")]
    assert len(problems) == 1 and problems[0].startswith("papertui: hf-daily: ")
    assert "Traceback" not in fetched.stderr
    assert library_ids() == before


def test_fetch_without_feeds_says_so() -> None:
    out = papertui("fetch")
    assert out.returncode == 0 and out.stdout.startswith("no feeds")


@pytest.mark.parametrize(("args", "says"), [
    (["bogus"], "unknown feed kind 'bogus'"),
    (["arxiv-rss"], "arxiv-rss needs at least one arXiv category"),
    (["arxiv-rss", "CS.cl!"], "is not an arXiv category"),
    (["url", "not a url"], "malformed URL"),
    (["hf-daily", "--url", "localhost:80"], "malformed URL"),
])
def test_feed_add_refuses_bad_input_with_exit_2_and_one_line(args, says) -> None:
    out = papertui("feed", "add", *args)
    assert out.returncode == 2 and says in out.stderr and len(out.stderr.splitlines()) == 1


def test_names_default_to_the_kind_numbered_and_duplicates_or_unknown_names_exit_2() -> None:
    assert "added feed hf-daily:" in papertui("feed", "add", "hf-daily").stdout
    assert "added feed hf-daily-2:" in papertui("feed", "add", "hf-daily").stdout
    duplicate = papertui("feed", "add", "arxiv-rss", "cs.CL", "--name", "hf-daily")
    assert duplicate.returncode == 2 and "exists already" in duplicate.stderr
    assert papertui("feed", "remove", "nope").returncode == 2
    assert papertui("fetch", "nope").returncode == 2


def test_feed_remove_keeps_the_papers_unless_purged(server, seed_library) -> None:
    server.route("/api/daily_papers", Reply(DAILY))
    papertui("feed", "add", "hf-daily", "--url", server.url)
    papertui("feed", "add", "hf-daily", "--url", server.url, "--name", "other")
    papertui("fetch")
    assert papertui("feed", "remove", "other").returncode == 0
    assert library_ids("source:other") == DAILY_IDS
    purged = papertui("feed", "remove", "hf-daily", "--purge")
    assert purged.returncode == 0, purged.stderr
    assert "hf-daily" not in papertui("sources").stdout
    assert papertui("feeds").stdout.startswith("no feeds")
