"""`make build` as people and CI run it: two at once, and from a read-only checkout.

These drive the real Makefile with the environment running the tests (``VENV`` is this
interpreter's, and ``-o`` keeps its install stamp as it is), so they never install anything.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, read_yaml

pytestmark = pytest.mark.build

VENV = Path(sys.prefix)
CODES = [name for name, code in read_yaml(ROOT / "registry.yaml")["codes"].items()
         if (code.get("lifecycle") or {}).get("state", "active") != "removed"]


def project_copy(dest: Path) -> Path:
    """A checkout of the site to build with make: its sources, the Makefile and the locks."""
    project = copy_project(ROOT, dest)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "requirements", project / "requirements")
    return project


def make_build(project: Path, *, prefix: list[str] | None = None) -> list[str]:
    return [*(prefix or []), "make", "-C", str(project), "--no-print-directory", "build",
            f"VENV={VENV}", f"PY={sys.executable}", "-o", f"{VENV}/.installed"]


def assert_whole_site(site: Path) -> None:
    """Every page a build writes for this registry is there, and none is empty."""
    expected = ["index.html", "404.html", "llms.txt", "llms-full.txt", "errors/index.html", "errors.json",
                *(f"errors/{name}/index.html" for name in CODES), *(f"errors/{name}.md" for name in CODES)]
    missing = [rel for rel in expected if not (site / rel).is_file() or (site / rel).stat().st_size == 0]
    assert not missing, f"{site} lacks {missing}"


def test_two_builds_at_once_leave_one_whole_site(tmp_path: Path) -> None:
    # The old swap (rm -rf site.old; mv site site.old; mv site.new site; rm -rf site.old) run
    # twice at once lost site/ about every other time. Three rounds of two concurrent builds.
    project = project_copy(tmp_path / "project")
    site = project / "site"
    for _ in range(3):
        runs = [subprocess.Popen(make_build(project), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for _ in range(2)]
        outputs = [run.communicate(timeout=300)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert_whole_site(site)
        # The per-build folders are gone (site.new/PID, site.old/PID, and their parents once empty).
        assert not [p.name for p in project.iterdir() if p.name.startswith("site.")]


def test_a_build_waits_while_another_holds_the_lock(tmp_path: Path) -> None:
    # Deterministic half of the test above: hold the lock ourselves (flock on the checkout's
    # folder, as the Makefile does), see the build wait and say so, then let it go.
    project = project_copy(tmp_path / "project")
    site = project / "site"
    fd = os.open(project, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        run = subprocess.Popen(make_build(project), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(3)  # a whole build takes about as long: it must not have started
        assert run.poll() is None and not site.exists()
    finally:
        os.close(fd)  # releases the lock
    output = run.communicate(timeout=300)[0]
    assert run.returncode == 0, output
    assert f"Waiting for another build in {project} to finish..." in output
    assert_whole_site(site)


def _can_mount_read_only() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=30).returncode == 0


READ_ONLY = ('for p in "$@"; do [ "$p" = -- ] && break; '
             'mount --bind "$p" "$p" && mount -o remount,bind,ro "$p" "$p" || exit 98; done; '
             'for p in "$@"; do [ "$p" = -- ] && break; '
             'if [ -w "$p" ]; then echo "$p is writable"; exit 99; fi; done; '
             'while [ "$1" != -- ]; do shift; done; shift; exec "$@"')
"""``sh -c READ_ONLY sh PATH... -- COMMAND...``: PATHs made read-only, then COMMAND run.
Root ignores permission bits, so chmod -R a-w proves nothing: the paths are made truly
read-only by read-only bind mounts in a private mount namespace (writes fail with EROFS, as
on a read-only volume)."""


def build_read_only(paths: list[Path], command: list[str]) -> None:
    run = subprocess.run(["unshare", "-m", "sh", "-c", READ_ONLY, "sh", *map(str, paths), "--", *command],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs root and `unshare -m` to mount files read-only")
def test_a_checkout_with_read_only_sources_builds(tmp_path: Path) -> None:
    # Every file and folder of the checkout read-only but the folder itself, where site/ goes
    # (its swap folders beside it): the byte-compile step used to fail here. The environment
    # stays writable.
    project = project_copy(tmp_path / "project")
    build_read_only(sorted(project.iterdir()), make_build(project))
    assert_whole_site(project / "site")
    assert not list((project / "hooks").rglob("__pycache__"))  # nothing was written among the sources


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs root and `unshare -m` to mount files read-only")
def test_a_wholly_read_only_checkout_builds_into_a_site_outside_it(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    site = tmp_path / "out" / "site"
    build_read_only([project], [*make_build(project), f"SITE={site}"])
    assert_whole_site(site)
    assert not (project / "site").exists() and not list((project / "hooks").rglob("__pycache__"))



def test_make_serve_rebuilds_when_a_page_part_template_changes(tmp_path: Path) -> None:
    # MkDocs reads templates afresh on each rebuild but watches no theme folder by itself;
    # `make serve` watches errdocs' templates. PYTHONPATH puts the copy's errdocs first, so the
    # plugin's templates are the copy's.
    from conftest import free_port

    project = project_copy(tmp_path / "project")
    port = free_port()
    log_path = tmp_path / "serve.log"
    command = ["make", "-C", str(project), "--no-print-directory", "serve", f"ADDR=127.0.0.1:{port}",
               f"VENV={VENV}", f"PY={sys.executable}", "-o", f"{VENV}/.installed"]
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, "PYTHONPATH": str(project / "hooks")})
        try:
            def wait(predicate, what: str) -> None:
                deadline = time.monotonic() + 60
                while not predicate():
                    assert proc.poll() is None and time.monotonic() < deadline, f"{what}: {log_path.read_text()}"
                    time.sleep(0.25)

            def home_page() -> str:
                try:
                    return urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
                except OSError:  # not listening yet, or between two builds
                    return ""

            # What a writer sees, not the log: MkDocs may rebuild once at start (a change it detects
            # while it starts to watch), so counting "Documentation built" lines races with that.
            wait(lambda: "<summary>Copy page</summary>" in home_page(), "serving")
            part = project / "hooks" / "errdocs" / "plugin" / "templates" / "partials" / "copy-page.html"
            part.write_text(part.read_text(encoding="utf-8").replace("<summary>Copy page</summary>",
                                                                       "<summary>Copy this page</summary>"))
            wait(lambda: "<summary>Copy this page</summary>" in home_page(), "the template edit served")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)  # make and its mkdocs: the session this test started
            proc.wait(timeout=20)


# --- what make installs, and what the workflow runs ------------------------------------------


def _locked(lock: str) -> dict[str, list[str]]:
    """Each requirement line of a lock (name -> the versions it pins, one per marker) and its hashes checked."""
    from packaging.requirements import Requirement

    pins: dict[str, list[str]] = {}
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        spec, _, hashes = line.partition(" --hash=")
        assert hashes, f"{lock}: no hash for {spec}"
        req = Requirement(spec.strip())
        (pin,) = req.specifier  # exactly one ==version
        assert pin.operator == "==", spec
        pins.setdefault(req.name.lower().replace("_", "-"), []).append(pin.version)
    return pins


def test_the_locks_pin_every_dependency_within_pyproject_bounds() -> None:
    # A bound changed in pyproject.toml without `make lock` shows here, not as a pip error.
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    site, test = _locked("site.lock"), _locked("test.lock")
    extras = project["project"]["optional-dependencies"]
    # The test extra takes other extras of the project itself (errdocs[mcp]): the lock pins theirs.
    tested = [inner for text in extras["test"]
              for inner in ([r for extra in Requirement(text).extras for r in extras[extra]]
                            if Requirement(text).name == project["project"]["name"] else [text])]
    groups = [(site, project["project"]["dependencies"] + project["build-system"]["requires"]), (test, tested)]
    for pins, requirements in groups:
        for text in requirements:
            req = Requirement(text)
            versions = pins.get(req.name.lower().replace("_", "-"))
            assert versions and all(req.specifier.contains(v) for v in versions), (text, versions)
    # test.lock is site.lock plus the test tools: installing it over the site environment only adds.
    assert all(test.get(name) == versions for name, versions in site.items()), "test.lock moved a site.lock pin"


def test_the_workflow_pins_each_action_by_commit() -> None:
    import re

    import yaml

    workflow = (ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:- )?uses: (\S+)(.*)$", workflow, re.M)
    assert len(uses) == 4
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref
        assert re.fullmatch(r" # v\d+ \(v[\d.]+\)", comment), (ref, comment)  # the tag it was
    steps = yaml.safe_load(workflow)["jobs"]["build"]["steps"]
    assert not [s for s in steps if "pip install" in s.get("run", "")]  # packages only through make's locks
