# saylau — one entry point for setup, demo, tests and benchmarks.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
NODE_STAMP := frontend/node_modules/.installed-stamp
JS_OUT  := src/saylau/site/static/saylau_site/js
JS_STAMP := $(JS_OUT)/.built-stamp
JS_SRC  := $(shell find frontend/src -name '*.js' 2>/dev/null) frontend/build.mjs

.PHONY: setup frontend demo demo-check test lint types unit test-pg bench clean

# Debian packages the project needs (libsodium for ristretto255, gettext for the message
# catalogues, chromium for the browser tests, DejaVu Sans for the stations' PDF voter lists).
# Installed only if missing; needs root, as on CI.
DEBS := libsodium23 gettext chromium fonts-dejavu-core
debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory debs
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The browser's scripts (booth, its worker, the ballot check page), bundled into the static files.
$(JS_STAMP): $(NODE_STAMP) $(JS_SRC)
	cd frontend && node build.mjs
	@mkdir -p $(JS_OUT)
	@touch $@

frontend: $(JS_STAMP)

setup: $(STAMP) $(NODE_STAMP) $(JS_STAMP)

# The core demo (quick, no server): a whole election simulated in one process, with two paper
# stations, then the independent verifier on its record. Then the voting service: a DEMO
# primaries election in var/ (members, roll, key ceremony and credential authority played in
# process, two paper stations with their commissions, voting open), how to sign in and vote,
# and the site on 127.0.0.1:8000 until Ctrl-C.
demo: setup
	@echo "== saylau demo 1/2: a simulated primaries election, then the independent verifier =="
	$(BIN)/saylau simulate --voters 400 --districts 3 --trustees 3 --threshold 2 \
	    --absent-trustees 1 --revote-rate 0.1 --paper-stations 2 --out demo-record
	$(BIN)/saylau verify demo-record.zip
	@echo "== saylau demo 2/2: the voting service, with a DEMO election to vote in =="
	$(BIN)/saylau demo setup
	$(BIN)/saylau demo outbox
	$(BIN)/saylau demo serve

# The same without a person: setup in var/demo-check, then a smoke test (the site in the
# background, a sign-in and a ballot over HTTP with the Python client, who voted on paper with
# one override, close, decrypt, tally, the paper protocols with one recount, publish, verify,
# stop).
DEMO_CHECK_VAR := $(CURDIR)/var/demo-check
demo-check: setup
	$(BIN)/saylau simulate --voters 200 --districts 3 --trustees 3 --threshold 2 \
	    --absent-trustees 1 --revote-rate 0.1 --paper-stations 2 --out demo-record
	$(BIN)/saylau verify demo-record.zip
	SAYLAU_VAR_DIR=$(DEMO_CHECK_VAR) $(BIN)/saylau demo setup --fresh
	SAYLAU_VAR_DIR=$(DEMO_CHECK_VAR) $(BIN)/saylau demo outbox
	SAYLAU_VAR_DIR=$(DEMO_CHECK_VAR) $(BIN)/saylau demo check

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports

types: setup
	$(BIN)/mypy

# Two workers (pytest-xdist): the suite is ~10 min of CPU; each worker has its own test
# database (test_gw0, test_gw1) and every live server takes a free port. PYTEST_WORKERS=0 runs
# it in one process.
PYTEST_WORKERS ?= 2
unit: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test: lint types unit

# The same suite against the local PostgreSQL (CI runs this when the server is up).
test-pg: setup
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/pytest -n $(PYTEST_WORKERS)

bench: setup
	$(BIN)/saylau bench crypto

clean:
	rm -rf $(VENV) frontend/node_modules $(JS_OUT) demo-record demo-record.zip $(DEMO_CHECK_VAR)
