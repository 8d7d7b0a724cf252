# eventwire: `make demo` and `make test` on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-quick lint eval bench artifacts clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv with .venv/bin/eventwire

demo: $(STAMP)  ## run the pipeline on examples/ and print a summary
	@mkdir -p out
	@rm -f out/demo.db
	$(BIN)/eventwire run examples --db out/demo.db
	$(BIN)/eventwire summary --db out/demo.db

test: $(STAMP)  ## lint and the whole test suite
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/pytest

test-quick: $(STAMP)  ## lint and the tests not marked slow (a few minutes less; `make test` runs everything)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/pytest -m "not slow"

eval: $(STAMP)  ## quality numbers on ../shared/data (docs/evaluation.md)
	$(BIN)/eventwire eval --data ../shared/data --json out/eval.json

bench: $(STAMP)  ## speed ratios (docs/performance.md)
	$(BIN)/python benchmarks/throughput.py

artifacts: $(STAMP)  ## rebuild every shipped artifact from ../shared/data
	$(BIN)/python scripts/build_kb.py
	$(BIN)/python scripts/build_gazetteer.py
	$(BIN)/python scripts/build_coding_tables.py
	$(BIN)/python scripts/train_coder.py
	$(BIN)/python scripts/train_roles.py
	$(BIN)/python scripts/train_confidence.py

clean:
	rm -rf out .pytest_cache .ruff_cache
