"""The benchmark: ``python -m bench.run --sizes 1000,10000,74728,300000 [--quick]``.

For each size it prepares a corpus file and a fresh library under bench/out/
(XDG dirs there, never the real home), then measures through the app's own code
paths: the library's cold load and index build (in the builder's child
process), warm start, search latency per query class, mark toggles, peak
memory, the CLI, and the UI when it is there; and the same corpus and queries
in SQLite FTS5 for the ratios. Then the feature benches (fetch-merge, organise,
for-you, spelling) at the largest size up to 74,728 papers. Results go to
bench/out/results.json and into the generated parts of docs/performance.md (the
BENCH block, and the FETCH and FORYOU blocks those benches write).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import baseline, corpus, fetch_merge, foryou, grown, measure, organise, report, spelling
from bench.fts5 import LAYOUT
from papertui.models import Mark

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"


def corpus_file(size: int, real: list[dict], out: Path) -> Path:
    """A JSON Lines source of ``size`` records (cached)."""
    if size > len(real):
        return corpus.generate(real, size, out=out)
    path = out / f"corpus-{size}.jsonl"
    if not path.exists():
        corpus.write_jsonl(real[:size], path)
    return path


def _subprocess(args: list[str], root: Path, timeout: float = 600) -> tuple[float, str]:
    env = {**os.environ, **measure.xdg_env(root)}
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)
    ms = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()[-400:]}")
    return ms, done.stdout


def run_size(size: int, real: list[dict], out: Path, repeats: int, ui: bool, quick: bool) -> dict:
    source = corpus_file(size, real, out)
    root = out / f"run-{size}"
    shutil.rmtree(root, ignore_errors=True)
    result: dict = {"size": size, "corpus": source.name}
    with measure.isolated(root):
        measure.register_source(source)
        library = measure.load_and_build(result)
        try:
            result["cli_search"] = measure.cli_latency(
                lambda argv: _subprocess([sys.executable, "-W", "ignore", "-m", "papertui", *argv],
                                         root)[0], 1 if quick else 3, 1 if quick else 3)
            marks = measure.seed_marks(library)
            result["search"] = measure.search_latency(library, repeats)
            result["toggle"] = measure.toggle_latency(library)
            result["fts5"] = baseline.run(library, marks, root / "fts5", repeats)
        finally:
            library.close()
    _, printed = _subprocess([sys.executable, "-W", "ignore", "-m", "bench.memory"], root)
    result["memory"] = json.loads(printed.strip().splitlines()[-1])
    cli = [_subprocess([sys.executable, "-W", "ignore", "-m", "papertui", "search", "transformer"],
                       root)[0] for _ in range(3)]
    result["cli_search_warm_ms"] = measure.summary(cli)
    if ui:
        try:
            from bench import ui as ui_bench

            result["ui"] = ui_bench.run(root, quick)
        except Exception as error:  # the UI is optional in a run: report why it is missing
            result["ui"] = {"error": f"{type(error).__name__}: {error}"}
    return result


def _guarded(name: str, action) -> dict:
    """One feature bench's result, or why it failed (a run goes on without it)."""
    print(f"bench: {name} ...", file=sys.stderr, flush=True)
    try:
        return action()
    except Exception as error:  # each bench is optional in a run: the report says why it is missing
        return {"error": f"{type(error).__name__}: {str(error)[:300]}"}


def _foryou(doc: Path) -> dict:
    """Issue 15's draws on the run's library, its seeded marks cleared first."""
    from papertui.library import Library

    library = Library.load()
    try:
        library.ensure_index()
        library.set_marks({pid: Mark() for pid in library.ids})
        result = foryou.run(library, [])
        result["papers"] = len(library)
        if str(doc) != "-":
            foryou.write(foryou.fragment(result, len(library)), doc)
        return result
    finally:
        library.close()


def run_features(size: int, out: Path, doc: Path, quick: bool) -> dict:
    """Organise, spelling, for-you and the grown library's search on the library of ``size``
    papers, and fetch-merge on a library of its own."""
    features: dict = {"size": size}
    if str(doc) != "-" and not doc.exists():  # the FOR YOU and FETCH blocks go into it
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text("# Performance\n", encoding="utf-8")
    with measure.isolated(out / f"run-{size}"):
        features["organise"] = _guarded("organise", organise.run)
        features["spelling"] = _guarded("spelling", lambda: spelling.run(f"corpus-{size}"))
        features["foryou"] = _guarded("for you", lambda: _foryou(doc))
        features["grown"] = _guarded("grown library", lambda: grown.run(  # last: it adds papers
            corpus.real_records(), *((1, 3, 10) if quick else (3, grown.FETCHES, grown.NOTE_EDITS))))

    def fetch() -> dict:
        result = fetch_merge.run(size, 100 if quick else 1000, out)
        if str(doc) != "-":
            fetch_merge.write(result, doc)
        return result

    features["fetch_merge"] = _guarded("fetch-merge", fetch)
    return features


def redo_fts5(args: argparse.Namespace) -> int:
    """Re-measure the FTS5 baseline for the sizes of the last results.json, in place."""
    from papertui.library import Library

    path = args.out / "results.json"
    results = json.loads(path.read_text(encoding="utf-8"))
    wanted = {int(s) for s in args.sizes.split(",") if s}
    for result in results["sizes"]:
        if result["size"] not in wanted:
            continue
        print(f"bench: FTS5 for {result['size']} papers ...", file=sys.stderr, flush=True)
        root = args.out / f"run-{result['size']}"
        with measure.isolated(root):
            library = Library.load()
            try:
                marks = {pid: library.mark(pid) for pid in library.ids
                         if library.mark(pid).read or library.mark(pid).starred}
                result["fts5"] = baseline.run(library, marks, root / "fts5", results["repeats"])
            finally:
                library.close()
        path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if str(args.doc) != "-":
        report.write(results, args.doc, configs=args.out / "buildconfigs.jsonl")
    print(report.headline(results))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,74728,300000")
    parser.add_argument("--quick", action="store_true", help="one timed pass per query")
    parser.add_argument("--repeats", type=int, help="timed passes over the query set (default 3)")
    parser.add_argument("--out", type=Path, default=corpus.OUT, help="data, indexes and results.json")
    parser.add_argument("--doc", type=Path, default=DOC, help="the report to (re)write, '-' for none")
    parser.add_argument("--real", type=Path, default=corpus.REAL_CORPUS, help="the arXiv JSON Lines corpus")
    parser.add_argument("--no-ui", action="store_true", help="skip the UI timings")
    parser.add_argument("--no-features", action="store_true",
                        help="skip the fetch-merge, organise, for-you and spelling benches")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other sizes of the last results.json, replace these")
    parser.add_argument("--fts5-only", action="store_true",
                        help="redo only the FTS5 side, on the libraries a previous run prepared")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite the report from the last results.json (and build configs)")
    args = parser.parse_args(argv)
    if args.fts5_only:
        return redo_fts5(args)
    if args.report_only:
        results = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        report.write(results, args.doc, configs=args.out / "buildconfigs.jsonl")
        print(report.headline(results))
        return 0
    repeats = args.repeats or (1 if args.quick else 3)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    real = corpus.real_records(args.real)
    results = {"machine": report.machine(), "started": started, "repeats": repeats,
               "quick": args.quick, "real_corpus": len(real), "fts5_layout": LAYOUT, "sizes": []}
    kept: list[dict] = []
    if args.merge and (args.out / "results.json").exists():
        earlier = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        kept = [s for s in earlier["sizes"] if s["size"] not in sizes]
        results["merged_from"] = earlier["machine"]["date"]
    for size in sizes:
        print(f"bench: {size} papers ...", file=sys.stderr, flush=True)
        results["sizes"].append(run_size(size, real, args.out, repeats, not args.no_ui, args.quick))
        results["sizes"].sort(key=lambda s: s["size"])
        merged = {**results, "sizes": sorted(kept + results["sizes"], key=lambda s: s["size"])}
        (args.out / "results.json").write_text(json.dumps(merged, indent=1), encoding="utf-8")
    results["sizes"] = sorted(kept + results["sizes"], key=lambda s: s["size"])
    if not args.no_features:
        feature_size = max((s for s in sizes if s <= report.TARGET_SIZE), default=sizes[0])
        results["features"] = run_features(feature_size, args.out, args.doc, args.quick)
    results["seconds"] = time.time() - started + (earlier.get("seconds", 0) if kept else 0)
    (args.out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    if str(args.doc) != "-":
        report.write(results, args.doc, configs=args.out / "buildconfigs.jsonl")
        print(f"bench: wrote {args.doc}", file=sys.stderr)
    print(report.headline(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
