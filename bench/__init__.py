"""Benchmarks for papertui: ``python -m bench.run``; results go to docs/performance.md."""
