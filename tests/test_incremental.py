"""`mkdocs serve` revising its last build: after every save, every file it serves equals a clean
`mkdocs build` of the same sources, apart from serve's own address.

A scripted series of saves runs under a real `mkdocs serve` on 127.0.0.1 (a code's text, codes
added, renamed, deprecated and removed, a broken registry and its fix, a hand-written page),
on Agnes' 16 codes and on a generated registry of a few hundred. After each save the test
waits for the served page to show it, then reads every file of the served folder over HTTP
(the dev server holds requests while it builds) and compares it with a clean build; the
served folder holds no file the clean build lacks.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import yaml

from conftest import (ROOT, SITE_CODE, copy_project, dump_registry, free_port, mkdocs_build, read_yaml, stop, wait_for_http,
                      yaml_data)

pytestmark = pytest.mark.build

_LIVERELOAD = re.compile(rb"<script>\s*var livereload = function.*?livereload\(\d+, \d+\);\s*</script>", re.S)
"""The script the dev server puts into every HTML page it sends (not in the file it serves)."""


@dataclass
class Served:
    """A running `mkdocs serve` of ``project``."""

    project: Path
    base: str
    """``http://127.0.0.1:<port>/``: the address serve puts in ``site_url``."""
    folder: Path
    """The folder serve builds into and serves from."""
    log: Path
    saves: int = 0

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base + urllib.request.pathname2url(path), timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def save(self, rel: str, change: Callable[[str], str]) -> None:
        """Save ``rel`` (in the project) changed by ``change``, as an editor does."""
        path = self.project / rel
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        self.saves += 1

    def wait_for(self, path: str, shows: Callable[[int, str], bool], *, what: str, seconds: float = 120.0) -> None:
        """Poll ``path`` (bounded) until ``shows(status, text)``."""
        import time

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status, body = self.get(path)
            if shows(status, body.decode("utf-8", "replace")):
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what} at {path}; serve log:\n{self.log.read_text(encoding='utf-8')[-3000:]}")


@contextlib.contextmanager
def serving(project: Path, tmp: Path) -> Iterator[Served]:
    """`mkdocs serve` of ``project`` on a free port of 127.0.0.1, stopped by PID. Its temporary
    folder is one of the test's, so the folder it serves is known."""
    temp = tmp / "serve-tmp"
    temp.mkdir()
    port = free_port()
    log = tmp / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
            stdout=out, stderr=subprocess.STDOUT, cwd=project,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)},
        )
        try:
            base = f"http://127.0.0.1:{port}/"
            wait_for_http(base + "llms.txt", seconds=300)
            (folder,) = temp.glob("mkdocs_*")
            yield Served(project, base, folder, log)
        finally:
            stop(proc)


def _normalized(path: str, body: bytes, *, served_at: str, site_url: str) -> bytes:
    """A file as a clean build would have it: serve's address replaced by the site's, no live
    reload script, and the sitemap's gzip without its timestamp."""
    if path.endswith(".gz"):
        body = gzip.decompress(body)
    if path.endswith(".html"):
        body = _LIVERELOAD.sub(b"", body)
    for form in (str, lambda url: urllib.parse.quote(url, safe="/")):  # as is, and in a query ("Open in ChatGPT")
        body = body.replace(form(served_at).encode(), form(site_url).encode())
    return body


def assert_same_as_clean_build(served: Served, tmp: Path) -> None:
    """Every file served equals the same file of a clean strict build of the project as it is now, and
    the served folder holds exactly the clean build's files."""
    clean = mkdocs_build(served.project, tmp / f"clean-{served.saves}")
    assert clean.returncode == 0, clean.output[-3000:]
    site_url = yaml.safe_load((served.project / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    expected = sorted(p.relative_to(clean.site).as_posix() for p in clean.site.rglob("*") if p.is_file())
    differing = []
    for rel in expected:
        status, body = served.get(rel)
        want = (clean.site / rel).read_bytes()
        if status != 200 or _normalized(rel, body, served_at=served.base, site_url=site_url) != _normalized(rel, want, served_at="", site_url=""):
            differing.append(rel)
    assert differing == [], f"served files that differ from a clean build after save {served.saves}: {differing[:20]}"
    served.get("")  # answered once no build is running
    served_files = sorted(p.relative_to(served.folder).as_posix() for p in served.folder.rglob("*") if p.is_file())
    assert served_files == expected


def _revised(served: Served) -> int:
    """How many saves the dev server answered by revising its last build (from its log)."""
    return served.log.read_text(encoding="utf-8").count("errdocs: Revised ")


def _whole_builds(served: Served) -> int:
    """How many saves the dev server answered with a whole build (from its log)."""
    return served.log.read_text(encoding="utf-8").count("errdocs: Building the whole site: ")


def _registry_edit(served: Served, change: Callable[[dict[str, Any]], None]) -> None:
    """Save registry.yaml with ``change`` made to its data (the file stays in ``dump_registry``'s
    layout, so one value's change changes only its lines, as a writer's edit does)."""
    def edit(text: str) -> str:
        data = yaml_data(text)
        change(data)
        return dump_registry(data)
    served.save("registry.yaml", edit)


def _code_page(served: Served, code: str) -> str:
    from errdocs.registry.load import load_registry

    return load_registry(served.project / "registry.yaml").code_page_path(code).removesuffix(".md") + "/"


def _a_code_page_shows(served: Served, code: str, text: str) -> None:
    served.wait_for(_code_page(served, code), lambda status, body: status == 200 and text in body, what=f"{text!r}")


@pytest.fixture
def agnes(tmp_path: Path) -> Path:
    project = copy_project(ROOT, tmp_path / "project")
    registry = project / "registry.yaml"
    registry.write_text(dump_registry(read_yaml(registry)), encoding="utf-8")
    (project / "docs" / "assets").mkdir()
    (project / "docs" / "assets" / "note.txt").write_text("A file MkDocs copies as it is.\n", encoding="utf-8")
    return project


def test_every_save_serves_what_a_clean_build_makes_at_16_codes(agnes: Path, tmp_path: Path) -> None:
    with serving(agnes, tmp_path) as served:
        assert_same_as_clean_build(served, tmp_path)

        # A code's text: its page, twin, the overview's row, llms.txt and errors.json, revised in place.
        _registry_edit(served, lambda data: data["codes"][SITE_CODE].update(summary="Wombat failure on the server."))
        _a_code_page_shows(served, SITE_CODE, "Wombat failure")
        assert _revised(served) == 1 and "(registry.yaml: only the edited codes read again)" in served.log.read_text(encoding="utf-8")
        assert_same_as_clean_build(served, tmp_path)

        # Structure: a code added, then renamed while another is deprecated, then removed.
        entry = read_yaml(agnes / "registry.yaml")["codes"][SITE_CODE]
        _registry_edit(served, lambda data: data["codes"].update(quokka_error={**entry, "summary": "Quokka trouble."}))
        _a_code_page_shows(served, "quokka_error", "Quokka trouble")
        assert_same_as_clean_build(served, tmp_path)

        first = next(iter(read_yaml(agnes / "registry.yaml")["codes"]))

        def rename_and_deprecate(data: dict[str, Any]) -> None:
            data["codes"] = {("numbat_error" if name == "quokka_error" else name): code for name, code in data["codes"].items()}
            data["codes"][first]["lifecycle"] = {"state": "deprecated", "since": data["version"], "replaced_by": SITE_CODE,
                                                 "removal_date": "2099-01-01"}
        _registry_edit(served, rename_and_deprecate)
        _a_code_page_shows(served, "numbat_error", "Quokka trouble")
        assert_same_as_clean_build(served, tmp_path)

        _registry_edit(served, lambda data: data["codes"].pop("numbat_error"))
        served.wait_for("errors/numbat_error/", lambda status, _: status == 404, what="the removed code's page gone")
        assert_same_as_clean_build(served, tmp_path)

        # A broken registry keeps the last good site with the banner; the fix is a text edit again.
        page = _code_page(served, SITE_CODE)
        served.save("registry.yaml", lambda text: text.replace("policy: never", "policy: sometimes", 1))
        served.wait_for(page, lambda _, body: "The docs sources have errors" in body, what="the banner")
        served.save("registry.yaml", lambda text: text.replace("policy: sometimes", "policy: never", 1).replace(
            "Wombat failure on the server.", "Wombat failure, fixed.", 1))
        _a_code_page_shows(served, SITE_CODE, "Wombat failure, fixed.")
        assert_same_as_clean_build(served, tmp_path)

        # A hand-written page: that page and its twin, and the LLM files that list it; with an asset
        # of the docs folder (copied) and an editor's swap file (excluded by MkDocs: changes nothing).
        revised, whole = _revised(served), _whole_builds(served)
        served.save("docs/assets/note.txt", lambda text: text + "Edited.\n")
        (agnes / "docs" / "guides" / ".retries.md.swp").write_bytes(b"\0swap")
        served.save("docs/guides/retries.md", lambda text: text.replace("\n\n", "\n\nKoala paragraph.\n\n", 1))
        served.wait_for("guides/retries/", lambda _, body: "Koala paragraph" in body, what="the page edit")
        served.wait_for("assets/note.txt", lambda _, body: "Edited." in body, what="the asset edit")
        assert _revised(served) > revised and _whole_builds(served) == whole
        assert_same_as_clean_build(served, tmp_path)
    assert "Traceback" not in served.log.read_text(encoding="utf-8")


def test_every_save_serves_what_a_clean_build_makes_at_200_codes(tmp_path: Path) -> None:
    """The same series on a generated registry big enough for sharded llms.txt and group pages."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import mkdocs_yml, write_site

    project = write_site(200, tmp_path / "project")
    (project / "mkdocs.yml").write_text(mkdocs_yml("  - index.md\n  - Errors:\n    - errors/overview.md\n", hooks=True), encoding="utf-8")
    registry = project / "registry.yaml"
    data = read_yaml(registry)
    data["site"]["budgets"] = {"llms_txt": 20_000}  # llms.txt sharded, as it is past about 250 codes by default
    registry.write_text(dump_registry(data), encoding="utf-8")
    codes = list(data["codes"])
    with serving(project, tmp_path) as served:
        assert (served.folder / "llms").is_dir()  # llms.txt is sharded at this size
        _registry_edit(served, lambda data: data["codes"][codes[150]].update(summary="Wombat failure of the analyzer."))
        _a_code_page_shows(served, codes[150], "Wombat failure")
        assert _revised(served) == 1
        assert_same_as_clean_build(served, tmp_path)

        # A structural edit takes a whole build. The 16-code series compares the site with a clean
        # build after each one; here the series goes on to the final comparison.
        _registry_edit(served, lambda data: data["codes"][codes[7]].update(
            lifecycle={"state": "removed", "since": data["version"], "replaced_by": codes[8]}))
        _a_code_page_shows(served, codes[7], "Removed in version")
        assert _whole_builds(served) == 1

        page = _code_page(served, codes[150])
        served.save("registry.yaml", lambda text: text.replace("policy: never", "policy: sometimes", 1))
        served.wait_for(page, lambda _, body: "The docs sources have errors" in body, what="the banner")
        served.save("registry.yaml", lambda text: text.replace("policy: sometimes", "policy: never", 1))
        served.wait_for(page, lambda _, body: "The docs sources have errors" not in body, what="the banner gone")
        served.save("docs/errors/overview.md", lambda text: text.replace("# Errors\n", "# Errors\n\nKoala paragraph.\n", 1))
        served.wait_for("errors/overview/", lambda _, body: "Koala paragraph" in body, what="the page edit")
        assert _revised(served) == 2
        assert_same_as_clean_build(served, tmp_path)
