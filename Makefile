# dualscope: two commands from a fresh clone, `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check bench fuzz clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/make_sample.py examples/sample
	rm -f build/demo.duckdb
	$(BIN)/dualscope screen examples/sample/works.jsonl.gz --db build/demo.duckdb --out build/demo-report

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

check: $(STAMP)
	$(BIN)/ruff check src tests bench scripts examples
	$(BIN)/ruff format --check src tests bench scripts examples
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

fuzz: $(STAMP)
	DUALSCOPE_FUZZ_EXAMPLES=5000 $(BIN)/python -m pytest -q -p no:cacheprovider tests -m "not browser" -k fuzz --hypothesis-show-statistics

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
