"""A small library on three topics, for the "for you" and PDF tests."""

from __future__ import annotations

import json
from pathlib import Path

ROBOTS = ["2601.00001", "2601.00002", "2601.00003", "2601.00004"]
AUCTIONS = ["2601.00005", "2601.00006", "2601.00007"]
OTHER = ["2601.00008", "2601.00009"]

RECORDS = [
    (ROBOTS[0], "Robot grasping with tactile sensors",
     "A robot arm learns grasping from tactile feedback and force sensing."),
    (ROBOTS[1], "Legged robots walking on rough terrain",
     "Quadruped robot locomotion with reinforcement learning and tactile feet."),
    (ROBOTS[2], "Robot manipulation of cloth",
     "Grasping and folding cloth with a dual robot arm and tactile fingers."),
    (ROBOTS[3], "Mechanism design for robots",
     "Auctions allocate tasks among robot teams."),
    (AUCTIONS[0], "Auctions and equilibria",
     "Nash equilibrium of first-price auctions with many bidders."),
    (AUCTIONS[1], "Learning to bid in repeated auctions",
     "Bidders learn equilibrium strategies in repeated second-price auctions."),
    (AUCTIONS[2], "Revenue of auctions with reserve prices",
     "Optimal reserve prices raise revenue when bidders are asymmetric."),
    (OTHER[0], "Unrelated paper", "Nothing in common here at all."),
    (OTHER[1], "Protein folding with diffusion", "Diffusion models predict protein structures."),
]


def write_corpus(folder: Path) -> Path:
    """The records as an arXiv JSON Lines file, in list order."""
    path = folder / "topics.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for pid, title, abstract in RECORDS:
            out.write(json.dumps({"id": pid, "title": title, "abstract": abstract,
                                  "authors": "A. Author", "categories": "cs.RO"}) + "\n")
    return path
