# dekkend: `make run` solves the bundled Achterhoek instance; `make test` runs lint and tests.
# Both create the virtual environment and install everything on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint bench serve clean workbooks messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p out
	$(BIN)/dekkend solve instances/achterhoek.json --out out/achterhoek.result.json
	@echo "resultaat / result JSON: out/achterhoek.result.json (--lang en: the summary in English)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy solver api

test: install lint
	$(BIN)/python -m pytest -q

# The HTTP API on 127.0.0.1:8000 (settings: DEKKEND_* environment variables, see api/settings.py).
serve: install
	$(BIN)/dekkend serve

# The example workbooks in instances/ are exports of the JSON instances, so they never drift.
workbooks: install
	$(BIN)/python -c "from solver.io.xlsx.write import write_example_workbooks; write_example_workbooks('instances')"

# The Dutch catalogue in step with the code's texts (then translate the empty ones; tests/i18n
# fails while any text has no Dutch).
messages: install
	$(BIN)/python -m solver.i18n.update

# BENCH_SCOPE=full for every OR-Library file; BENCH_BASELINES=0 skips PuLP/CBC and scipy.milp
bench: install
	$(BIN)/python -m pytest benchmarks/test_bench.py -q

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache .mypy_cache .hypothesis .benchmarks
