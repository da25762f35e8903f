# Eventry: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
NODE_CLIENTS := tests/clients/node
NODE_STAMP := $(NODE_CLIENTS)/node_modules/.installed
BINDINGS_TOOLS := tools/bindings
BINDINGS_STAMP := $(BINDINGS_TOOLS)/node_modules/.installed
ASYNCAPI_TOOLS := tools/asyncapi
ASYNCAPI_STAMP := $(ASYNCAPI_TOOLS)/node_modules/.installed
BROWSER_TOOLS := tests/browser/node
BROWSER_STAMP := $(BROWSER_TOOLS)/node_modules/.installed

.PHONY: run test fuzz lint format bench conformance chaos clean node-clients bindings-tools \
	asyncapi-tools browser-tools

run: $(STAMP) bindings-tools ## Set up, migrate, seed the demo and serve
	$(BIN)/eventry serve

# The suite's files are shared out between TEST_WORKERS processes (pytest-xdist; loadfile keeps
# a file's tests in one process, with its fixtures): in one process it takes an hour or more on a
# 2-core machine. TEST_WORKERS=0 runs it in this process (for pdb); each worker has its own
# throwaway databases, and more workers need more of PostgreSQL's connections (max_connections).
TEST_WORKERS ?= 2
test: $(STAMP) node-clients bindings-tools asyncapi-tools browser-tools ## Lint, check formatting and run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# `make test` runs the same tests with a small budget; this one raises it (derandomised: the
# seed stays fixed, so a failure found here replays the same way).
FUZZ_EXAMPLES ?= 100
PROPERTY_EXAMPLES ?= 2000
fuzz: $(STAMP) ## Longer fuzzing: schemathesis over the OpenAPI documents, and the property tests
	EVENTRY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) EVENTRY_PROPERTY_EXAMPLES=$(PROPERTY_EXAMPLES) \
		$(BIN)/python -m pytest -p no:cacheprovider tests/fuzz tests/unit/properties $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## Speed measurements and the classifier's agreement on real events (not tests)
	@for script in bench/*_speed.py bench/classifier_agreement.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Starts `eventry serve` (gunicorn, throwaway SQLite) and measures over the REST API only; pass
# e.g. CONFORMANCE_ARGS='--json figures.json' or '--url URL --token T' (see --help).
conformance: $(STAMP) ## Over the API: Confluent's, Karapace's vectors, a soundness probe, the JSON Schema test suite
	$(BIN)/python bench/conformance.py $(or $(CONFORMANCE),../shared/conformance) $(CONFORMANCE_ARGS)

# Starts its own PostgreSQL cluster (Debian's initdb and pg_ctl) and `eventry serve`, then runs the
# experiments one at a time; pass e.g. CHAOS_ARGS='--url URL --token T' or '--experiments stop-db'
# (see --help, docs/operations.md). Ctrl-C or touching the stop file ends the running experiment.
chaos: $(STAMP) ## Chaos experiments: database stopped, frozen, worker killed, hostile input, database slow
	$(BIN)/python -m chaos $(CHAOS_ARGS)

# The Node client that the /ccompat tests drive (tests/clients/node), from its lock file; without
# node and npm it is skipped here, and the tests that need it skip (or fail, in CI).
node-clients:
	@if command -v node >/dev/null && command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory $(NODE_STAMP); \
	else \
		echo "make: node or npm not found: skipping $(NODE_CLIENTS) (its tests will skip)"; \
	fi

$(NODE_STAMP): $(NODE_CLIENTS)/package.json $(NODE_CLIENTS)/package-lock.json
	npm ci --prefix $(NODE_CLIENTS) --no-audit --no-fund --ignore-scripts
	@touch $@

# The TypeScript bindings generator (json-schema-to-typescript) that the server runs with Node.js,
# and tsc that the tests type-check its output with (tools/bindings), from its lock file; without
# node and npm the TypeScript bindings answer 503 and their tests skip (or fail, in CI).
bindings-tools:
	@if command -v node >/dev/null && command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory $(BINDINGS_STAMP); \
	else \
		echo "make: node or npm not found: skipping $(BINDINGS_TOOLS) (TypeScript bindings answer 503)"; \
	fi

$(BINDINGS_STAMP): $(BINDINGS_TOOLS)/package.json $(BINDINGS_TOOLS)/package-lock.json
	npm ci --prefix $(BINDINGS_TOOLS) --no-audit --no-fund --ignore-scripts
	@touch $@

# The official AsyncAPI JSON Schemas (@asyncapi/specs) that the tests validate Eventry's AsyncAPI
# export against (tools/asyncapi), from its lock file; without node and npm those tests fail.
asyncapi-tools:
	@if command -v node >/dev/null && command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory $(ASYNCAPI_STAMP); \
	else \
		echo "make: node or npm not found: skipping $(ASYNCAPI_TOOLS) (the AsyncAPI export tests fail)"; \
	fi

$(ASYNCAPI_STAMP): $(ASYNCAPI_TOOLS)/package.json $(ASYNCAPI_TOOLS)/package-lock.json
	npm ci --prefix $(ASYNCAPI_TOOLS) --no-audit --no-fund --ignore-scripts
	@touch $@

# axe-core, which the browser tests inject into every page of the UI (tests/browser/node), from its
# lock file; without node and npm the accessibility tests skip (or fail, in CI).
browser-tools:
	@if command -v node >/dev/null && command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory $(BROWSER_STAMP); \
	else \
		echo "make: node or npm not found: skipping $(BROWSER_TOOLS) (the accessibility tests skip)"; \
	fi

$(BROWSER_STAMP): $(BROWSER_TOOLS)/package.json $(BROWSER_TOOLS)/package-lock.json
	npm ci --prefix $(BROWSER_TOOLS) --no-audit --no-fund --ignore-scripts
	@touch $@

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Eventry needs Python 3.11 or newer; run with PYTHON=/path/to/python3.11"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	@# pip install never removes: a venv made before requirements.txt dropped jsonschema's format
	@# extras still holds rfc3987-syntax, which jsonschema imports (1.5 s of CPU in every process).
	$(PIP) uninstall --yes rfc3987-syntax 2>/dev/null
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info $(NODE_CLIENTS)/node_modules $(BINDINGS_TOOLS)/node_modules \
		$(ASYNCAPI_TOOLS)/node_modules $(BROWSER_TOOLS)/node_modules
