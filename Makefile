VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000

.PHONY: serve build test check schema contract preview generate bench clean

# The environment is (re)created whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

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

test: $(STAMP)
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
