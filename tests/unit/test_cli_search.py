"""`papertui search`: did you mean on stderr, clean JSON, real scores, the first-screen path."""

from __future__ import annotations

import json
import subprocess
import sys


def papertui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "papertui", *args], capture_output=True, text=True, timeout=120
    )


def test_a_misspelt_query_shows_the_correction_s_hits_with_a_note(seed_library) -> None:
    out = papertui("search", "mixtrue of experts", "--json")
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip() == (
        'papertui: no hits for "mixtrue of experts"; showing results for "mixture of experts"'
    )
    hits = json.loads(out.stdout)
    assert [h["id"] for h in hits] == seed_library.search("mixture of experts", limit=20).ids


def test_scores_are_bm25f_and_null_without_text(seed_library) -> None:
    ranked = json.loads(papertui("search", "mixture of experts", "--json").stdout)
    expected = seed_library.search("mixture of experts")
    assert [h["score"] for h in ranked] == [expected.scores[h["id"]] for h in ranked]
    listed = json.loads(papertui("search", "is:unread", "--json", "--limit", "3").stdout)
    assert [h["score"] for h in listed] == [None, None, None]


def test_the_first_screen_path_prints_the_top_of_the_complete_list(seed_library) -> None:
    first = json.loads(papertui("search", "model", "--json", "--limit", "7").stdout)
    every = json.loads(papertui("search", "model", "--json", "--limit", "0").stdout)
    assert len(every) > 7 and first == every[:7]
    shown = papertui("search", "model", "--limit", "7")
    assert shown.stderr.strip() == "7 of more than 7 hits"
