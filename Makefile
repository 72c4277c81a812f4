# saylau — one entry point for setup, demo, tests and benchmarks.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
NODE_STAMP := frontend/node_modules/.installed-stamp

.PHONY: setup demo test lint types unit test-pg bench clean

# Debian packages the project needs at run time (libsodium for ristretto255, gettext for the
# message catalogues). Installed only if missing; needs root, as on CI.
DEBS := libsodium23 gettext
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

setup: $(STAMP) $(NODE_STAMP)

demo: setup
	@echo "== saylau demo: a simulated primaries election, then the independent verifier =="
	$(BIN)/saylau simulate --voters 400 --districts 3 --trustees 3 --threshold 2 \
	    --absent-trustees 1 --revote-rate 0.1 --out demo-record
	$(BIN)/saylau verify demo-record.zip

lint: setup
	$(BIN)/ruff check src tests

types: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint types unit

# The same suite against the local PostgreSQL (CI runs this when the server is up).
test-pg: setup
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/pytest

bench: setup
	$(BIN)/saylau bench crypto

clean:
	rm -rf $(VENV) frontend/node_modules demo-record demo-record.zip
