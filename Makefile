# Build, serve and test the baclofen calculators site. GNU make; `make help` lists the targets.
# Environments are built on first use and rebuilt when their pinned requirements change:
#   .venv          Python >= 3.12, requirements/dev.txt (site, tests, lint, pyodide-build)
#   .venv-py311    CPython 3.11, requirements/test.txt (the package must stay 3.11-compatible)
#   node_modules   package-lock.json (the pinned Pyodide, axe-core)
#   build/pyodide-wheels   pytest + Hypothesis wheels for Pyodide (requirements/pyodide-test.txt)

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-print-directory

VENV := .venv
VENV_311 := .venv-py311
PY := $(VENV)/bin/python
PY_311 := $(VENV_311)/bin/python
VENV_STAMP := $(VENV)/.installed
VENV_311_STAMP := $(VENV_311)/.installed
NODE_STAMP := node_modules/.installed
WHEELS_STAMP := build/pyodide-wheels/.installed

CALCULATOR_TESTS := tests/calculators
LINT_PATHS ?= calculators sitebuild tools tests
# Comma-separated paths that ruff skips inside LINT_PATHS (none today).
LINT_EXCLUDE ?=
PYTEST_ARGS ?=
PORT ?= 8000
PIP_INSTALL := -m pip install --disable-pip-version-check --quiet

# --- Interpreters ---------------------------------------------------------------------------
# pyenv shims such as `python3.12` exist but fail unless that version is selected, so each
# candidate is actually run, and the interpreter's own sys.executable is used from then on.
# The version tests use sys.hexversion because a comma cannot appear inside $(call ...).
PYENV_VERSIONS := $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions
# $(call first_python,<commands>,<pyenv version glob>,<Python condition>)
define first_python
for p in $(1) $$(ls -d $(PYENV_VERSIONS)/$(2)/bin/python3 2>/dev/null | sort -rV); do \
  "$$p" -c 'import sys; assert $(3); print(sys.executable)' 2>/dev/null && break; \
done; true
endef
BUILD_CHECK := sys.hexversion >= 0x030C0000
PY311_CHECK := 0x030B0000 <= sys.hexversion < 0x030C0000

# Override on the command line: `make test PYTHON_BUILD=/path/to/python3.13`.
# Looked up lazily (at most once per run), so targets that need no venv do not pay for it.
PYTHON_BUILD ?= $(eval PYTHON_BUILD := $(shell $(call first_python,python3.14 python3.13 python3.12 python3,3.1*,$(BUILD_CHECK))))$(PYTHON_BUILD)
PYTHON_311 ?= $(eval PYTHON_311 := $(shell $(call first_python,python3.11 python3,3.11.*,$(PY311_CHECK))))$(PYTHON_311)

# Debian's Chromium drives the browser tests (tools/chromium.py names the same path). `make
# test` installs it when it is missing and it can (root with apt-get), so a fresh clone needs no
# step by hand; otherwise it stops with the exact command to run.
CHROMIUM := /usr/bin/chromium

# Test files that use the `browser` marker (tests/browser/ and any other directory).
BROWSER_TEST_FILES = $(shell grep -rlE --include='test_*.py' --include='*_test.py' 'mark\.browser\b' tests 2>/dev/null)

.PHONY: help
help:
	@echo "make serve          build the site and serve it at http://127.0.0.1:$(PORT)/"
	@echo "make test           all tests: CPython >= 3.12 (whole tests/), CPython 3.11 and Pyodide ($(CALCULATOR_TESTS)), other engines"
	@echo "make test-py        pytest tests/ in .venv (builds the site first when mkdocs.yml exists)"
	@echo "make test-py311     pytest $(CALCULATOR_TESTS) on CPython 3.11"
	@echo "make test-pyodide   pytest $(CALCULATOR_TESTS) inside the pinned Pyodide under Node"
	@echo "make test-browser   only the end-to-end tests (pytest -m browser tests)"
	@echo "make test-engines   the same site in Firefox ESR and WebKitGTK (installs them as root)"
	@echo "make test-lighthouse  Lighthouse on every page, mobile and desktop: build/lighthouse/lighthouse.md"
	@echo "make record-test-runs  after a passed make test: write its counts to validation/test-runs.json (Safety page)"
	@echo "make site           build the site into site/ (prepare, generate, finish); GENERATOR=zensical for Zensical"
	@echo "make check          fast feedback (< 30 s idle): ruff, mypy, tsc -b, node --test, launcher and Python tests without a site build"
	@echo "make lint           ruff check $(LINT_PATHS) and mypy --strict calculators/"
	@echo "make wheel          build the calculators wheel into dist/ (offline)"
	@echo "make bench | bundle run bench/run.py | tools/bundle.py"
	@echo "make clean          remove build outputs and caches; distclean also removes the environments"
	@echo "Extra pytest options: make test-py PYTEST_ARGS='-k oral -x'"

# --- Environments ---------------------------------------------------------------------------
.PHONY: .venv .venv-py311 node_modules chromium tools
.venv: $(VENV_STAMP)
.venv-py311: $(VENV_311_STAMP)
node_modules: $(NODE_STAMP)

# Machine packages the project needs and may install itself (Debian's, as root): Chromium for
# the browser tests, Node.js and npm for the pinned Pyodide.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo ">>> $(CHROMIUM) is missing: installing Debian's chromium (apt-get, as root)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  "$(CHROMIUM)" --version; \
	else \
	  echo "error: the browser tests need Chromium at $(CHROMIUM), and this user cannot install it." >&2; \
	  echo "  Run: sudo apt-get update && sudo apt-get install -y chromium" >&2; \
	  exit 1; \
	fi

tools:
	@missing=""; command -v node >/dev/null 2>&1 || missing="nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo ">>> installing Debian's$$missing (apt-get, as root)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "error: Node.js 18 or newer with npm is needed. Run: sudo apt-get install -y$$missing" >&2; \
	  exit 1; \
	fi

$(VENV_STAMP): requirements/dev.txt requirements/test.txt
	@if [ -z "$(PYTHON_BUILD)" ] || ! "$(PYTHON_BUILD)" -c 'import sys; assert $(BUILD_CHECK)' 2>/dev/null; then \
	  echo "error: the build venv needs Python >= 3.12 (pyodide-build requires it)." >&2; \
	  echo "  PYTHON_BUILD='$(PYTHON_BUILD)' is not one. Searched: python3.14, python3.13, python3.12, python3, $(PYENV_VERSIONS)/3.1*/bin/python3" >&2; \
	  echo "  Install one, or name it: make $(MAKECMDGOALS) PYTHON_BUILD=/path/to/python3.12" >&2; \
	  exit 1; \
	fi
	@echo ">>> Creating $(VENV) with $(PYTHON_BUILD) from requirements/dev.txt"
	rm -rf $(VENV)
	"$(PYTHON_BUILD)" -m venv $(VENV)
	$(PY) $(PIP_INSTALL) -r requirements/dev.txt
	@touch $@

$(VENV_311_STAMP): requirements/test.txt
	@if [ -z "$(PYTHON_311)" ] || ! "$(PYTHON_311)" -c 'import sys; assert $(PY311_CHECK)' 2>/dev/null; then \
	  echo "error: test-py311 needs CPython 3.11, the oldest version the package supports." >&2; \
	  echo "  PYTHON_311='$(PYTHON_311)' is not one. Searched: python3.11, python3, $(PYENV_VERSIONS)/3.11.*/bin/python3" >&2; \
	  echo "  Install one, or name it: make $(MAKECMDGOALS) PYTHON_311=/path/to/python3.11" >&2; \
	  exit 1; \
	fi
	@echo ">>> Creating $(VENV_311) with $(PYTHON_311) from requirements/test.txt"
	rm -rf $(VENV_311)
	"$(PYTHON_311)" -m venv $(VENV_311)
	$(PY_311) $(PIP_INSTALL) -r requirements/test.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json | tools
	npm ci --no-audit --no-fund
	@touch $@

$(WHEELS_STAMP): requirements/pyodide-test.txt requirements/test.txt tests/pyodide/fetch_wheels.py $(NODE_STAMP) $(VENV_STAMP)
	rm -rf $(@D)
	$(PY) tests/pyodide/fetch_wheels.py --dest $(@D)
	@touch $@

# --- Tests ----------------------------------------------------------------------------------
# Each pytest run's output is also kept in $(TEST_LOGS); `make record-test-runs` turns the
# three logs of a passed `make test` into validation/test-runs.json, which the Safety and
# validation page shows with the commit and date of the run.
TEST_LOGS := build/test-logs
# All runs, even when one fails (-k), so one CI log shows every failure; the exit status is
# still non-zero if any run failed. Two jobs for two cores, each job's output kept together
# (--output-sync), one browser at a time: Chromium's tests (about 550 s) beside everything
# else on CPython (3.12+ without a browser, then 3.11: about 230 s); then the other engines'
# tests (about 150 s, mostly waiting) beside the Pyodide run (about 110 s). Until 2026-12-08
# the whole CPython 3.12+ suite ran alone first (600-680 s), and `make test` took 822-924 s.
.PHONY: test test-setup run-browser-tests run-cpython-without-browser run-py-without-browser test-py test-py311 test-pyodide test-other-pythons test-browser test-engines run-engine-tests test-lighthouse record-test-runs
test:
	@start=$$(date +%s); rc=0; \
	$(MAKE) test-setup || rc=$$?; \
	$(MAKE) -k -j2 --output-sync=target run-browser-tests run-cpython-without-browser || rc=$$?; \
	$(MAKE) -k -j2 --output-sync=target run-engine-tests test-pyodide || rc=$$?; \
	echo ">>> make test: $$(( $$(date +%s) - start )) s, $$([ $$rc -eq 0 ] && echo passed || echo FAILED)"; \
	exit $$rc

# What the test runs need, made once before two of them run side by side.
test-setup: chromium $(VENV_STAMP) $(VENV_311_STAMP) $(NODE_STAMP) $(WHEELS_STAMP) $(if $(wildcard mkdocs.yml),site)

# Chromium's tests (marked `browser`, by tests/conftest.py for every test with a Chromium
# fixture), on the site already built. One browser job at a time: the other engines follow.
run-browser-tests:
	@echo ">>> pytest -m browser tests/ on $$($(PY) -V)"
	@mkdir -p $(TEST_LOGS)
	$(PY) -m pytest --durations=15 -m browser $(PYTEST_ARGS) tests 2>&1 | tee $(TEST_LOGS)/cpython-browser.log

# Beside them, on the other core: every test without a browser on CPython 3.12+, then
# tests/calculators on CPython 3.11 (even if the first failed). Pyodide's run goes beside the
# other engines' tests, which mostly wait (a browser, a real 90 s start-up deadline).
run-cpython-without-browser:
	@rc=0; $(MAKE) run-py-without-browser || rc=$$?; $(MAKE) test-py311 || rc=$$?; exit $$rc

run-py-without-browser:
	@echo ">>> pytest -m 'not browser' tests/ on $$($(PY) -V)"
	@mkdir -p $(TEST_LOGS)
	$(PY) -m pytest --durations=10 -m "not browser" $(PYTEST_ARGS) tests 2>&1 | tee $(TEST_LOGS)/cpython-other.log

# CPython 3.11, then Pyodide (both, even if the first fails).
test-other-pythons:
	@rc=0; $(MAKE) test-py311 || rc=$$?; $(MAKE) test-pyodide || rc=$$?; exit $$rc

# The whole tests/ directory, browser tests included; a strict site build is a test too.
test-py: chromium $(VENV_STAMP) $(NODE_STAMP) $(WHEELS_STAMP) $(if $(wildcard mkdocs.yml),site)
	@echo ">>> pytest tests/ on $$($(PY) -V)"
	@mkdir -p $(TEST_LOGS)
	$(PY) -m pytest --durations=15 $(PYTEST_ARGS) tests 2>&1 | tee $(TEST_LOGS)/cpython-build.log

test-py311: $(VENV_311_STAMP)
	@echo ">>> pytest $(CALCULATOR_TESTS) on $$($(PY_311) -V)"
	@mkdir -p $(TEST_LOGS)
	$(PY_311) -m pytest $(PYTEST_ARGS) $(CALCULATOR_TESTS) 2>&1 | tee $(TEST_LOGS)/cpython-311.log

test-pyodide: $(NODE_STAMP) $(WHEELS_STAMP)
	@echo ">>> pytest $(CALCULATOR_TESTS) in Pyodide under Node $$(node --version)"
	@mkdir -p $(TEST_LOGS)
	node tests/pyodide/run.mjs $(PYTEST_ARGS) $(CALCULATOR_TESTS) 2>&1 | tee $(TEST_LOGS)/pyodide.log

record-test-runs: $(VENV_STAMP)
	$(PY) tools/record_test_runs.py --logs $(TEST_LOGS) --out validation/test-runs.json

# The other engines: Firefox ESR (WebDriver BiDi) and WebKitGTK (classic WebDriver, on Xvfb),
# every calculator live, a field error and an offline reload, against the built site; and in
# Firefox the hostile-input corpus and the fault tests (a lost worker, a stalled start: about
# 100 s, most of it the real 90 s start-up deadline). ENGINES=firefox or ENGINES=webkit runs
# one engine. One file at a time: each drives its own browser. The setup script installs
# Debian's firefox-esr, webkit2gtk-driver and xvfb when run as root (otherwise it prints the
# command) and the pinned npm packages of tests/engines/.
ENGINE_TESTS := tests/engines/engines.test.mjs tests/engines/firefox.test.mjs
test-engines: $(if $(wildcard mkdocs.yml),site)
	$(MAKE) run-engine-tests

# The same, on the site already built (`make test` builds it in test-py).
run-engine-tests: $(VENV_STAMP) $(NODE_STAMP)
	bash tests/engines/setup.sh
	@echo ">>> node --test $(ENGINE_TESTS) (Firefox ESR, WebKitGTK)"
	BACLOFEN_SITE_DIR=site node --test --test-concurrency=1 $(ENGINE_TESTS)

# Lighthouse on every page of the sitemap, mobile and desktop, served by the launcher (gzip):
# accessibility, best practices and SEO must be 100; performance is measured, not asserted,
# into build/lighthouse/lighthouse.md (and .json, and each run's report in raw/). Not part of
# `make test` (about 12 minutes; the scores vary with the machine's load). A subset:
# make test-lighthouse LIGHTHOUSE_PAGES=oral/,intrathecal/ LIGHTHOUSE_FORMS=mobile
test-lighthouse: chromium $(VENV_STAMP) $(NODE_STAMP) site
	bash tests/engines/setup.sh
	CHROME_PATH=$(CHROMIUM) BACLOFEN_SITE_DIR=site PYTHON=$(PY) \
	  $(if $(LIGHTHOUSE_PAGES),LIGHTHOUSE_PAGES=$(LIGHTHOUSE_PAGES)) $(if $(LIGHTHOUSE_FORMS),LIGHTHOUSE_FORMS=$(LIGHTHOUSE_FORMS)) \
	  node --test --test-concurrency=1 tests/engines/lighthouse.test.mjs

# The `browser` subset wherever it lives (tests/browser/, tests/offline/, ...). pytest exits 5
# when it collects nothing; that is only a failure once some test file uses the marker.
test-browser: chromium $(VENV_STAMP) $(NODE_STAMP) $(if $(BROWSER_TEST_FILES),site)
	@rc=0; $(PY) -m pytest $(PYTEST_ARGS) -m browser tests || rc=$$?; \
	if [ $$rc -eq 5 ] && [ -z "$(BROWSER_TEST_FILES)" ]; then \
	  echo "test-browser: no test file uses the browser marker yet; nothing to run"; rc=0; \
	fi; \
	exit $$rc

# --- Site -----------------------------------------------------------------------------------
# Three steps (sitebuild/pipeline.py): prepare (the pinned Pyodide out of node_modules, the
# calculators wheel, the build description), generate (GENERATOR=mkdocs, strict, the default;
# or GENERATOR=zensical), finish (back-links, head tags, CSP, service worker, manifest).
.PHONY: site serve
GENERATOR ?= mkdocs
SITE_DIR ?= site
site: $(VENV_STAMP) $(NODE_STAMP)
	$(if $(SITE_URL),SITE_URL=$(SITE_URL) )$(PY) -m sitebuild build --generator $(GENERATOR) --site-dir $(SITE_DIR)

# Serves exactly what `make site` built, with the offline bundle's launcher (correct MIME types
# for .wasm/.mjs, compression, long-lived caching of versioned files); rerun after edits.
# The site is built for the port it is served on (QA D4): instant navigation follows only
# links whose port matches the sitemap's, which comes from SITE_URL. A busy port stops it,
# rather than moving to one the site was not built for.
serve: SITE_URL ?= http://127.0.0.1:$(PORT)/
serve: site
	$(PY) tools/launcher/serve.py --root site --port $(PORT) --no-browser --exact-port

# --- Fast feedback ---------------------------------------------------------------------------
# Everything that needs no site build and no browser, in under 30 s on two idle cores: lint,
# types (Python, and the browser JavaScript: `tsc -b` over the three projects that
# tsconfig.check.json references, one process, unchanged projects skipped), the JavaScript
# unit tests, the launcher's unit tests, and the Python tests not marked site_build or browser
# (tests/site/conftest.py refuses a site-building test that is not marked), with the light
# "check" Hypothesis profile (at most 10 examples per property: tests/hypothesis_profiles.py).
# Two jobs side by side, each with its output kept together: the calculator and site tests
# (CPU) and the rest (the launcher's tests mostly wait on sockets and timeouts). `make test`
# stays the full suite, with every property test's full count.
CHECK_TESTS := tests/calculators tests/site tests/test_import_isolation.py tests/test_hypothesis_profiles.py
CHECK_LAUNCHER_TESTS := tests/offline/test_launcher.py
CHECK_LOGS := build/check
.PHONY: check check-static check-pytest
check: $(VENV_STAMP) $(NODE_STAMP)
	@start=$$(date +%s); mkdir -p $(CHECK_LOGS); rc=0; \
	$(MAKE) check-static >$(CHECK_LOGS)/static.log 2>&1 & static=$$!; \
	$(MAKE) check-pytest >$(CHECK_LOGS)/pytest.log 2>&1 || rc=$$?; \
	wait $$static || rc=$$?; \
	cat $(CHECK_LOGS)/static.log $(CHECK_LOGS)/pytest.log; \
	echo ">>> make check: $$(( $$(date +%s) - start )) s, $$([ $$rc -eq 0 ] && echo passed || echo FAILED)"; \
	exit $$rc

# The two halves of `make check` (each also runs alone).
check-static: $(VENV_STAMP) $(NODE_STAMP)
	@echo ">>> ruff check $(LINT_PATHS) bench" && $(VENV)/bin/ruff check $(LINT_PATHS) bench
	@echo ">>> mypy" && $(VENV)/bin/mypy
	@echo ">>> tsc -b tsconfig.check.json" && node_modules/.bin/tsc -b tsconfig.check.json
	@echo ">>> node --test tests/js/" && node --test tests/js/
	@echo ">>> pytest $(CHECK_LAUNCHER_TESTS)"
	$(PY) -m pytest -q $(PYTEST_ARGS) $(CHECK_LAUNCHER_TESTS)

check-pytest: $(VENV_STAMP)
	@echo ">>> pytest (no site build, no browser; Hypothesis profile \"check\")"
	HYPOTHESIS_PROFILE=check $(PY) -m pytest -q -m "not site_build and not browser" $(PYTEST_ARGS) $(CHECK_TESTS)

# --- Other tools ----------------------------------------------------------------------------
.PHONY: lint wheel bench bundle
lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check $(if $(LINT_EXCLUDE),--extend-exclude '$(LINT_EXCLUDE)') $(LINT_PATHS)
	$(VENV)/bin/mypy

wheel: $(VENV_STAMP)
	$(PY) -m pip wheel --disable-pip-version-check --no-deps --no-build-isolation --wheel-dir dist .

# The desktop profile (5 runs), then the throttled-phone profile (--phone: 4x slower CPU, slow
# 4G, a phone-sized screen; 2 runs, each first visit downloads the runtime at 1.6 Mbit/s).
# BENCH_ARGS goes to both, e.g. BENCH_ARGS=--runs=3.
bench: chromium $(VENV_STAMP) $(NODE_STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/run.py --phone $(BENCH_ARGS)

bundle: $(VENV_STAMP) $(NODE_STAMP)
	$(PY) tools/bundle.py

# --- Cleaning -------------------------------------------------------------------------------
.PHONY: clean distclean
clean:
	rm -rf site dist build .pytest_cache .hypothesis .mypy_cache .ruff_cache ./*.egg-info
	find . -path ./node_modules -prune -o -path './.venv*' -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(VENV_311) node_modules
