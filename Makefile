# nndl: build, serve and test the course. Every target does its own set-up on a fresh machine.
#   make test    offline engine tests (CPython 3.12 + NumPy 2.0.2) with coverage of py_src
#   make serve   build the site and serve it at http://127.0.0.1:8000/

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv test test-engine runtime test-pyodide site serve test-site clean

help:
	@echo "make test   - run all tests (sets everything up on a fresh machine)"
	@echo "make serve  - build the site and serve it at http://127.0.0.1:8000/"

REQUIREMENTS := requirements/engine.txt requirements/runtime.txt requirements/site.txt

$(STAMP): $(REQUIREMENTS) pyproject.toml scripts/find-python312
	@python312="$$(scripts/find-python312)"; \
	  echo "Creating $(VENV) with $$python312"; \
	  "$$python312" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(addprefix -r ,$(REQUIREMENTS))
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

venv: $(STAMP)

test: test-engine

test-engine: $(STAMP)
	$(PY) -m pytest tests --cov=nndl --cov-report=term-missing --cov-fail-under=95

# --- The in-browser runtime: build/runtime/ (Pyodide core, NumPy, the nndl wheel, the site lock) ---

# --- The site: mkdocs build into site/ with the runtime inside, served and tested in Chromium ---

serve:
	@echo "The site is not built yet: the lessons and the in-browser runtime arrive with the next issues."
	@echo "Until then, 'make test' runs the engine's test suite."

clean:
	rm -rf $(VENV) build site .pytest_cache .coverage
