"""Generated corpora shared by the unit and UI tests."""

from __future__ import annotations

import json
from pathlib import Path

from papertui import catalog

FIXTURE = Path(__file__).parent / "fixtures" / "arxiv-20.jsonl"


def big_corpus(folder: Path, count: int) -> Path:
    """A JSON Lines file of ``count`` records, larger than the preview reads whole."""
    records = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    path = folder / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(count):
            record = dict(records[number % len(records)])
            record["id"] = f"2601.{number:05d}"
            record["title"] = f"{record['title']} (copy {number})"
            handle.write(json.dumps(record) + "\n")
    assert path.stat().st_size > catalog.WHOLE_FILE
    return path
