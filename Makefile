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

.PHONY: serve build test check schema contract preview generate bench lock load clean

# The environments come from lock files with a hash for every file (requirements/, made by
# `make lock`): pip refuses any file whose hash differs and any package the lock does not pin,
# and installs wheels only, so no package's setup code runs at install time. The project itself
# is installed last without dependencies and without build isolation: its build backend
# (setuptools) is in the lock too instead of being fetched unpinned into a throwaway environment.
PIP_LOCKED := $(PY) -m pip install --quiet --require-hashes --only-binary :all: -r

# The environment is (re)created whenever pyproject.toml or a lock changes: what serving and
# building need first, the test tools (Playwright, hypothesis, ProperDocs...) only for
# `make test`, so the first `make serve` is up quickly.
$(STAMP): pyproject.toml requirements/site.lock
	@echo "Setting up $(VENV): MkDocs, Material for MkDocs and the errdocs hooks (first run only)..."
	$(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) requirements/site.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@rm -f $(TEST_STAMP)
	@touch $(STAMP)

# test.lock holds site.lock's versions (it is compiled with site.lock as constraints) plus the
# test tools, so this step only adds packages.
$(TEST_STAMP): $(STAMP) requirements/test.lock
	@echo "Adding the test tools to $(VENV) (first run only)..."
	$(PIP_LOCKED) requirements/test.lock
	@touch $(TEST_STAMP)

# Re-resolve both locks from pyproject.toml (newest versions within its bounds), with uv, itself
# pinned by hash in requirements/lock-tool.txt and installed apart from the project's packages.
# --universal: one lock for every Python the project supports (>=3.10) and every platform, with
# markers where versions differ. The build backend comes from [build-system] requires (read
# with tomllib: `make lock` needs Python 3.11+, the environments it locks do not).
LOCK_TOOL := $(VENV)/lock-tool
UV_COMPILE = $(LOCK_TOOL)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.10 \
	--custom-compile-command "make lock"
BUILD_REQUIRES := $(PYTHON) -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))'
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) requirements/lock-tool.txt --target $(LOCK_TOOL) --upgrade
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - -o requirements/site.lock
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - --extra test -c requirements/site.lock -o requirements/test.lock

# Byte-compile the hooks, as pip does for installed packages: with PYTHONDONTWRITEBYTECODE
# set (common in containers and CI) every build would otherwise recompile them (~20 ms).
# compileall skips files whose .pyc is up to date. Skipped where hooks/ cannot be written (a
# read-only checkout): Python then compiles them in memory, which costs those ~20 ms and nothing
# else. Not PYTHONPYCACHEPREFIX: it moves every .pyc, those pip wrote for the venv's packages
# too, so the first build after setting it recompiles the whole environment.
BYTECODE := if [ -w hooks/errdocs ]; then $(PY) -m compileall -q hooks; fi

# --livereload is explicit: MkDocs 1.6 with Click 8.2.2+ turns it off by default (mkdocs#4032).
# MkDocs watches docs/, mkdocs.yml and its `watch:` list (registry.yaml), and reads templates
# afresh on each rebuild but does not watch theme folders: --watch adds errdocs' page parts, so
# editing one rebuilds. The Python of hooks/ is imported once per process: not watched, as a
# rebuild would not run the edited code (restart `make serve`; README).
TEMPLATES := hooks/errdocs/plugin/templates
serve: $(STAMP)
	$(BYTECODE)
	$(PY) -m mkdocs serve --livereload --watch $(TEMPLATES) --dev-addr $(ADDR)

# Built aside, then swapped in: a failed build leaves the previous site/ as it was. Two builds
# at once take turns: each locks the checkout's folder from before it builds until after its
# swap, and builds into a folder of its own (site.new/PID; the previous site goes to
# site.old/PID), so none removes a folder another one is using and site/ is always one whole
# build (absent only between the swap's two renames). site.new/ and site.old/ are ignored by git
# and removed when empty. Only SITE's folder needs to be writable.
# The lock is flock(2) on the folder, through Python because macOS has no flock(1): no lock file
# to leave behind, and the kernel drops the lock when the build ends, even killed. The shell
# below inherits the locked descriptor.
define LOCK_AND_RUN
import fcntl, os, sys
folder, command = sys.argv[1], sys.argv[2:]
fd = os.open(folder, os.O_RDONLY)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    print(f"Waiting for another build in {os.path.abspath(folder)} to finish...", file=sys.stderr, flush=True)
    fcntl.flock(fd, fcntl.LOCK_EX)
os.set_inheritable(fd, True)
os.execvp(command[0], command)
endef
export LOCK_AND_RUN
# SITE is where the site goes (default site/, beside mkdocs.yml): a checkout that is read-only
# as a whole builds with SITE (and VENV) outside it. The lock is taken on SITE's folder.
SITE ?= site
build: $(STAMP)
	$(BYTECODE)
	mkdir -p $(dir $(SITE))
	$(PY) -c "$$LOCK_AND_RUN" $(dir $(SITE)) sh -c '\
	mkdir -p $(SITE).new $(SITE).old && \
	trap "rm -rf $(SITE).new/$$$$ $(SITE).old/$$$$; rmdir $(SITE).new $(SITE).old 2>/dev/null" EXIT && trap "exit 1" INT TERM HUP && \
	$(PY) -m mkdocs build --strict --clean --site-dir $(SITE).new/$$$$ && \
	if [ -d $(SITE) ]; then mkdir $(SITE).old/$$$$ && mv $(SITE) $(SITE).old/$$$$/; fi && mv $(SITE).new/$$$$ $(SITE)'

test: $(TEST_STAMP)
	$(PY) -m pytest -n auto

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
	$(PY) -m errdocs preview $(SITE) --port $(PREVIEW_PORT)

# Generated pages, twins, llms and contract files for an engine without hooks (no MkDocs used).
OUT ?= generated
generate: $(STAMP)
	$(PY) -m errdocs generate "$(OUT)" -f mkdocs.yml

# Benchmarks (a script, not a test): A hooks vs B static at N = 16, 1,000, 10,000 codes, and the
# writer's loop under `mkdocs serve` (save to page served) at 16, 400 and 2,000 codes.
# Needs mkdocs-llmstxt for the D comparison; about 25-35 minutes on 2 cores.
# BENCH_ARGS passes options (python bench/run.py --help), e.g. BENCH_ARGS="--sizes 16,1000".
BENCH_ARGS ?=
bench: $(STAMP)
	$(PY) -m pip install --quiet "mkdocs-llmstxt>=0.2"
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf site site.new site.old $(VENV)

# The preview and nginx under 1, 16 and 64 concurrent clients (bench/load.py: a script, not a test).
load: build
	$(PY) bench/load.py
