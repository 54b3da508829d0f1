"""errdocs as another team gets it: the built wheel alone in a new virtual environment, no
checkout on sys.path. `errdocs new` writes a site that builds strict at once, with MkDocs,
ProperDocs and mkdocs-ng, and every page carries errdocs' page parts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.build

PAGE_PARTS = {
    "the Copy page menu": 'class="errdocs-copy"',
    "the twin link": '<link rel="alternate " type="text/markdown"',
    "the agent note": 'class="errdocs-agent-note"',
    "the stylesheet": "assets/stylesheets/errdocs.css",
}
ENV = {
    key: value for key, value in os.environ.items()
    if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
} | {"NO_MKDOCS_2_WARNING": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
"""Nothing of this checkout or of the test run's environment reaches the new venv."""


def run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(arg) for arg in args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, args))}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy of what the wheel is made of: pip builds in the source tree, and setuptools
    # would leave hooks/errdocs.egg-info and build/ in the checkout, where parallel workers race on
    # them and a later run reads stale metadata.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "hooks", source / "hooks", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out, source, cwd=out)
    (built,) = out.glob("errdocs-*.whl")
    return built


def new_venv(folder: Path, *requirements: str | Path, no_deps: tuple[str | Path, ...] = ()) -> Path:
    """A virtual environment with ``requirements`` (and ``no_deps`` without their dependencies); its bin/."""
    # Without pip of its own (bootstrapping one takes seconds): this run's pip installs into it,
    # without compiling every module it unpacks (Python compiles what it imports).
    run(sys.executable, "-m", "venv", "--without-pip", folder, cwd=folder.parent)
    pip = [sys.executable, "-m", "pip", "--python", folder / "bin" / "python", "install", "--quiet", "--no-compile"]
    run(*pip, *requirements, cwd=folder.parent)
    if no_deps:
        run(*pip, "--no-deps", *no_deps, cwd=folder.parent)
    return folder / "bin"


def assert_a_whole_site(site: Path) -> None:
    for name in ("llms.txt", "llms-full.txt", "errors.json", "envelope.schema.json", "errors/internal_error.md", "index.md"):
        assert (site / name).is_file(), name
    pages = [page for page in sorted(site.rglob("*.html")) if "http-equiv=\"refresh\"" not in page.read_text(encoding="utf-8")]
    assert len(pages) >= 8  # home, overview, changelog, five codes (and the 404 page)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        missing = [part for part, marker in PAGE_PARTS.items() if marker not in html]
        if page.name == "404.html":
            missing = [part for part in missing if part == "the stylesheet"]  # the 404 page has no twin
        assert missing == [], f"{page.relative_to(site)} lacks {', '.join(missing)}"


def test_the_wheel_alone_makes_a_new_site_that_builds_with_mkdocs_and_properdocs(wheel: Path, tmp_path: Path) -> None:
    bin_ = new_venv(tmp_path / "venv", wheel, "properdocs")
    where = run(bin_ / "python", "-c", "import errdocs; print(errdocs.__file__)", cwd=tmp_path).stdout
    assert str(tmp_path / "venv") in where and str(ROOT) not in where

    run(bin_ / "errdocs", "new", "mysite", "--name", "Quill Notes", "--docs-url", "https://docs.quill.test/",
        "--sdk", "python=quill-notes", "--sdk", "typescript=@quill/notes", cwd=tmp_path)
    site = tmp_path / "mysite"
    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()) == [
        "README.md", "docs/errors/overview.md", "docs/index.md", "mkdocs.yml", "registry.yaml",
    ]
    assert "registry.yaml: OK (5 codes" in run(bin_ / "errdocs", "check", cwd=site).stdout

    run(bin_ / "mkdocs", "build", "--strict", cwd=site)
    assert_a_whole_site(site / "site")
    assert "Quill Notes" in (site / "site" / "llms.txt").read_text(encoding="utf-8")
    assert "quill_notes.NotFoundError" in (site / "site" / "errors.json").read_text(encoding="utf-8")

    run(bin_ / "properdocs", "build", "--strict", "--site-dir", "site-properdocs", cwd=site)
    assert_a_whole_site(site / "site-properdocs")


def test_the_wheel_builds_a_new_site_with_mkdocs_ng(wheel: Path, tmp_path: Path) -> None:
    # mkdocs-ng replaces the `mkdocs` package and comes with its own Material, so errdocs goes
    # in without its dependencies (they name MkDocs' and Material's distributions), as the README says.
    bin_ = new_venv(tmp_path / "venv", "mkdocs-ng-material", "pydantic>=2.10,<3", "pyyaml", "markdown-it-py", "packaging",
                    no_deps=(wheel,))
    version = run(bin_ / "python", "-c", "import importlib.metadata as m; print(m.version('mkdocs-ng'))", cwd=tmp_path).stdout
    assert version.strip()
    run(bin_ / "errdocs", "new", "mysite", cwd=tmp_path)
    run(bin_ / "mkdocs", "build", "--strict", cwd=tmp_path / "mysite")
    assert_a_whole_site(tmp_path / "mysite" / "site")


def test_errdocs_new_refuses_a_folder_in_use_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "errdocs", "new", "taken"], cwd=tmp_path, capture_output=True, text=True,
                          env={**ENV, "PYTHONPATH": str(ROOT / "hooks")})
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "already exists" in proc.stderr
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["notes.txt", "taken"]
    bad = subprocess.run([sys.executable, "-m", "errdocs", "new", "fresh", "--docs-url", "http://docs.test"], cwd=tmp_path,
                         capture_output=True, text=True, env={**ENV, "PYTHONPATH": str(ROOT / "hooks")})
    assert bad.returncode == 1 and "site.docs_url" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "fresh").exists() and not list(tmp_path.glob(".fresh*"))


def test_errdocs_help_lists_every_command_on_a_line_of_its_own() -> None:
    env = {**ENV, "PYTHONPATH": str(ROOT / "hooks"), "COLUMNS": "100"}
    shown = subprocess.run([sys.executable, "-m", "errdocs", "--help"], capture_output=True, text=True, env=env, check=True).stdout
    lines = {line.split()[0]: line for line in shown.splitlines() if line.startswith("    ") and line.split()}
    assert sorted(lines) == ["check", "contract", "generate", "mcp", "new", "preview", "schema", "verify"]
    assert all(len(line.split()) > 3 for line in lines.values())  # each with what it does
    for command in lines:
        options = subprocess.run([sys.executable, "-m", "errdocs", command, "--help"], capture_output=True, text=True, env=env)
        assert options.returncode == 0
        assert undescribed(options.stdout) == [], command  # every argument and option says what it is


def undescribed(help_text: str) -> list[str]:
    """The arguments and options an argparse help lists without a description: an entry is a
    line indented by two spaces; its description follows on that line or on the next, deeper one."""
    lines = help_text.split("\n\n", 1)[1].splitlines() + [""]
    return [
        line.strip() for line, after in zip(lines, lines[1:])
        if re.match(r"^  \S", line) and not re.search(r"\S\s{2,}\S", line) and not re.match(r"^ {3,}\S", after)
    ]
