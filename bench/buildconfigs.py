"""Index build throughput of candidate Whoosh configurations, each in a fresh process.

    python -m bench.buildconfigs --size 10000 --configs stock-256,stock-2048

Prints one JSON line per configuration (also appended to bench/out/buildconfigs.jsonl):
wall and CPU seconds (this process and its children), papers/s, peak RSS, segments.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus

OUT = corpus.OUT / "buildconfigs.jsonl"

# name -> (writer options, schema variant)
CONFIGS: dict[str, tuple[dict, str]] = {
    "stock-256": ({"procs": 1, "limitmb": 256}, "full"),
    "stock-1024": ({"procs": 1, "limitmb": 1024}, "full"),
    "stock-4096": ({"procs": 1, "limitmb": 4096}, "full"),
    "mp2-256": ({"procs": 2, "limitmb": 256, "multisegment": False}, "full"),
    "mp2-1024": ({"procs": 2, "limitmb": 1024, "multisegment": False}, "full"),
    "mp2-multiseg": ({"procs": 2, "limitmb": 256, "multisegment": True}, "full"),
    "stock-1024-noabsplain": ({"procs": 1, "limitmb": 1024}, "no_abstract_plain"),
    "stock-1024-noplain": ({"procs": 1, "limitmb": 1024}, "no_plain"),
    "bulk": ({"bulk": True, "workers": 1}, "full"),
    "bulk2": ({"bulk": True, "workers": 2}, "full"),
    "bulk-noabsplain": ({"bulk": True, "workers": 1}, "no_abstract_plain"),
    "bulk2-noabsplain": ({"bulk": True, "workers": 2}, "no_abstract_plain"),
}


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _schema(variant: str):
    from whoosh.fields import Schema

    from papertui.index.schema import SCHEMA

    names = dict(SCHEMA.items())
    if variant in ("no_abstract_plain", "no_plain"):
        names.pop("abstract_plain")
    if variant == "no_plain":
        names.pop("title_plain")
    return Schema(**names)


def run_one(name: str, size: int) -> dict:
    """Build once in this process and measure it."""
    from whoosh import index as whoosh_index

    from papertui.index.bulk import BulkWriter
    from papertui.index.schema import doc_of, fields_of

    options, variant = CONFIGS[name]
    real = corpus.real_records()
    docs = [doc_of(p) for p in corpus.papers_for(size, real)]
    del real
    schema = _schema(variant)
    directory = Path(tempfile.mkdtemp(prefix="papertui-buildcfg-", dir="/tmp"))
    try:
        wall, cpu = time.perf_counter(), _cpu()
        ix = whoosh_index.create_in(str(directory), schema)
        rest = dict(options)
        writer = BulkWriter(ix, **rest) if rest.pop("bulk", False) else ix.writer(**rest)
        for doc in docs:
            fields = fields_of(doc)
            writer.add_document(**{k: v for k, v in fields.items() if k in schema})
        added = time.perf_counter() - wall
        writer.commit()
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        segments = len(whoosh_index.open_dir(str(directory))._segments())
        disk = sum(f.stat().st_size for f in directory.iterdir())
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    from bench.measure import peak_rss_mb

    peak = round(max(peak_rss_mb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
    return {"config": name, "size": size, "options": options, "schema": variant,
            "wall_s": round(wall, 1), "add_s": round(added, 1), "cpu_s": round(cpu, 1),
            "papers_per_s": round(size / wall), "papers_per_cpu_s": round(size / cpu),
            "peak_rss_mb": peak, "segments": segments, "disk_mb": round(disk / 2**20, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(args.child, args.size)))
        return 0
    for name in args.configs.split(","):
        done = subprocess.run(
            [sys.executable, "-W", "ignore", "-m", "bench.buildconfigs", "--size", str(args.size),
             "--child", name], capture_output=True, text=True, check=False)
        line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else json.dumps(
            {"config": name, "size": args.size, "error": done.stderr.strip()[-500:]})
        print(line, flush=True)
        corpus.OUT.mkdir(parents=True, exist_ok=True)
        with open(OUT, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
