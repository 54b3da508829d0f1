VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
ADDR ?= 127.0.0.1:8000

# Material 9.7+ prints a 12-line end-of-life notice on every build; the project knows
# (README, "Material's end of life") and a newcomer needs a quiet build.
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve build test check schema contract preview generate bench clean

# The environment is (re)created whenever pyproject.toml changes: what serving and
# building need first, the test tools (Playwright, hypothesis, ProperDocs...) only for
# `make test`, so the first `make serve` is up quickly.
$(STAMP): pyproject.toml
	@echo "Setting up $(VENV): MkDocs, Material for MkDocs and the errdocs hooks (first run only)..."
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e .
	@rm -f $(TEST_STAMP)
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	@echo "Adding the test tools to $(VENV) (first run only)..."
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(TEST_STAMP)

# Byte-compile the hooks, as pip does for installed packages: with PYTHONDONTWRITEBYTECODE
# set (common in containers and CI) every build would otherwise recompile them (~20 ms).
# compileall skips files whose .pyc is up to date.
BYTECODE := $(PY) -m compileall -q hooks

# --livereload is explicit: MkDocs 1.6 with Click 8.2.2+ turns it off by default (mkdocs#4032).
serve: $(STAMP)
	$(BYTECODE)
	$(PY) -m mkdocs serve --livereload --dev-addr $(ADDR)

# Built aside, then swapped in: a failed build leaves the previous site/ as it was.
build: $(STAMP)
	$(BYTECODE)
	rm -rf site.new
	$(PY) -m mkdocs build --strict --clean --site-dir site.new || { rm -rf site.new; exit 1; }
	rm -rf site.old && if [ -d site ]; then mv site site.old; fi && mv site.new site && rm -rf site.old

test: $(TEST_STAMP)
	$(PY) -m pytest

# Validate registry.yaml alone and print every problem (no MkDocs).
check: $(STAMP)
	$(PY) -m errdocs check registry.yaml

# Regenerate the JSON Schema editors use for registry.yaml (commit the result).
schema: $(STAMP)
	$(PY) -m errdocs schema --output registry.schema.json

# Breaking-change gate: compare registry.yaml with BASE (default: latest v* tag,
# else origin/main, else the previous commit). Exits 1 on an unrecorded breaking change.
BASE ?=
contract: $(STAMP)
	$(PY) -m errdocs contract registry.yaml $(if $(BASE),--base "$(BASE)")

# Serve the built site/ as a static host would (content types, redirects, 404), not mkdocs serve.
PREVIEW_PORT ?= 8001
preview: build
	$(PY) -m errdocs preview site --port $(PREVIEW_PORT)

# Generated pages, twins, llms and contract files for an engine without hooks (no MkDocs used).
OUT ?= generated
generate: $(STAMP)
	$(PY) -m errdocs generate "$(OUT)" -f mkdocs.yml

# Benchmarks (a script, not a test): A hooks vs B static at N = 16, 1,000, 10,000 codes.
# Needs mkdocs-llmstxt for the D comparison; about 15-25 minutes on 2 cores.
bench: $(STAMP)
	$(PY) -m pip install --quiet "mkdocs-llmstxt>=0.2"
	$(PY) bench/run.py

clean:
	rm -rf site $(VENV)

# The preview and nginx under 1, 16 and 64 concurrent clients (bench/load.py: a script, not a test).
load: build
	$(PY) bench/load.py
