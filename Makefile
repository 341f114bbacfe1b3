# dualscope: two commands from a fresh clone, `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check bench fuzz clean venv bytecode

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# pip byte-compiles what it installs, but an editable install runs from src/: compile it too,
# or every start compiles ~130 modules again where PYTHONDONTWRITEBYTECODE is set.
bytecode:
	$(BIN)/python -m compileall -q src >/dev/null

demo: $(STAMP) bytecode
	$(BIN)/python examples/make_sample.py examples/sample
	rm -f build/demo.duckdb
	$(BIN)/dualscope screen examples/sample/works.jsonl.gz --db build/demo.duckdb --out build/demo-report

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

check: $(STAMP)
	$(BIN)/ruff check src tests bench scripts examples
	$(BIN)/ruff format --check src tests bench scripts examples
	$(BIN)/mypy

bench: $(STAMP) bytecode
	$(BIN)/python bench/run_all.py

fuzz: $(STAMP)
	DUALSCOPE_FUZZ_EXAMPLES=5000 $(BIN)/python -m pytest -q -p no:cacheprovider tests -m "not browser" -k fuzz --hypothesis-show-statistics

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
