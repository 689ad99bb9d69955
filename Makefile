# The two commands: `make run` and `make test`. Everything else is set up on demand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test screenshots bench bench-quick clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/papertui

test: $(STAMP)
	$(BIN)/python -m pytest -q

screenshots: $(STAMP)
	$(BIN)/python screenshots/make_screenshots.py

bench: $(STAMP)
	$(BIN)/python -m bench.run --sizes 1000,10000,74728,300000

bench-quick: $(STAMP)
	$(BIN)/python -m bench.run --sizes 1000 --quick --no-ui --out bench/out/quick --doc bench/out/quick/performance.md

clean:
	rm -rf $(VENV) build *.egg-info
