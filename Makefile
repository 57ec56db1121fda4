# formsvc: the two commands of the README.
#   make run    install what is needed, prepare a demo database on first start, serve
#   make test   install what is needed and run the whole test suite
#   make lock   regenerate requirements.lock from pyproject.toml (LOCK_ARGS="--upgrade-package
#               weasyprint" to move one package; see docs/upgrading.md)
#   make bench  benchmarks (not part of make test): document renders, the first request
#               of a freshly started server (bench/first_request.py), then the load test
#   make load   the load test alone: formsvc serve under 50 simulated users for 60 s
#               (LOAD_ARGS="--users 20 --duration 30" to change; see bench/load.py)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FORMSVC_DB ?= instance/formsvc.db
# axe-core (accessibility rules the browser tests run) from the npm registry, kept out of git
AXE_VERSION := 4.14.1
AXE_DIR     := .cache/npm

# Every install takes its versions from the lock (pip -c: only the packages a target
# needs, at the locked version); pyproject.toml keeps the ranges `pip install .` accepts.
LOCK := requirements.lock

.PHONY: run test lint bench load lock clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install -q -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install -q -c $(LOCK) -e '.[test]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-bench: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install -q -c $(LOCK) -e '.[test,bench]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

run: $(VENV)/.installed-run
	@scripts/system-deps.sh run
	@if [ ! -f "$(FORMSVC_DB)" ]; then $(BIN)/formsvc init-db --demo; \
	 else $(BIN)/formsvc init-db && $(BIN)/formsvc demo-logins; fi
	@echo "formsvc: http://$(HOST):$(PORT)/"
	$(BIN)/formsvc serve --host $(HOST) --port $(PORT)

$(AXE_DIR)/.axe-core-$(AXE_VERSION):
	npm install --prefix $(AXE_DIR) --no-save --no-package-lock --no-audit --no-fund --silent axe-core@$(AXE_VERSION)
	touch $@

# After the whole suite, `make test` runs the non-browser tests twice more with the
# process clock moved by libfaketime: to 15 February and to 1 October of next year (a
# later calendar year, then a later programme year and a new fiscal year), so a test or
# a feature that only works on today's date fails now, not on 1 January. Not when
# PYTEST_ARGS picks tests; CLOCK_DAYS="" skips them. (libfaketime 0.9.10 mishandles
# timed waits on threading primitives, so tests wait with sleeps; leaving the monotonic
# clock unfaked instead makes time.sleep fail with EINVAL.)
# The wheel test (-m wheel) is left out of those two runs: it checks packaging, not dates
# (it passes under a moved clock too), and each run of it builds and installs the wheel.
# pytest-xdist runs the tests on every core (XDIST="" for one process, e.g. to debug).
XDIST ?= -n auto
NEXT_YEAR  := $(shell echo $$(( $$(date +%Y) + 1 )))
CLOCK_DAYS ?= $(NEXT_YEAR)-02-15 $(NEXT_YEAR)-10-01

test: $(VENV)/.installed-test $(AXE_DIR)/.axe-core-$(AXE_VERSION) lint
	@scripts/system-deps.sh test
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)
ifeq ($(strip $(PYTEST_ARGS)),)
	@for day in $(CLOCK_DAYS); do \
	  echo "formsvc: the non-browser tests with the clock at $$day 10:00 (faketime)"; \
	  faketime "$$day 10:00:00" $(BIN)/python -m pytest $(XDIST) -q -m "not browser and not wheel" -p no:cacheprovider || exit 1; \
	done
endif

# Style and layers ([tool.ruff], [tool.importlinter] in pyproject.toml); part of make test.
# `.venv/bin/ruff format .` and `.venv/bin/ruff check --fix .` repair most of what they report.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: $(VENV)/.installed-bench
	@scripts/system-deps.sh bench
	$(BIN)/python -m bench $(BENCH_ARGS)
	-$(BIN)/python -m bench.first_request $(FIRST_ARGS)
	$(BIN)/python -m bench.load $(LOAD_ARGS)

load: $(VENV)/.installed-bench
	@scripts/system-deps.sh run
	$(BIN)/python -m bench.load $(LOAD_ARGS)

lock:
	scripts/lock.sh $(LOCK_ARGS)

clean-venv:
	rm -rf $(VENV)
