"""`mkdocs serve` end to end: LLM files served, registry edits rebuilt, broken edits survived."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import yaml

from conftest import ROOT, SITE_CODE, copy_project, dump_registry, free_port, stop, wait_for_http

pytestmark = pytest.mark.build


def fetch(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")


def wait_until(predicate, *, seconds: float = 40.0, what: str) -> None:
    """Poll ``predicate`` (bounded) while checking the server keeps answering."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def served_project(tmp_path: Path):
    project = copy_project(ROOT, tmp_path / "project")
    port = free_port()
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=project,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_for_http(base + "llms.txt", seconds=60)
        yield project, base, tmp_path / "serve.log"
    finally:
        stop(proc)
        log.close()


def test_serve_publishes_llms_files_and_survives_a_broken_registry(served_project) -> None:
    project, base, log_path = served_project
    status, ctype, text = fetch(base + "llms.txt")
    assert status == 200 and "text/plain" in ctype and f"- [{SITE_CODE}](" in text
    status, _, twin = fetch(base + f"errors/{SITE_CODE}.md")
    assert status == 200 and twin.startswith("---\ntitle: ") and "\n---\n\n> ## Documentation Index\n" in twin
    page = fetch(base + f"errors/{SITE_CODE}/")[2]
    assert "livereload" in page  # live reload is on (mkdocs#4032 turned it off by default)

    registry = project / "registry.yaml"
    good = registry.read_text(encoding="utf-8")
    registry.write_text(_with_code(good, retry_policy="sometimes"), encoding="utf-8")
    wait_until(lambda: "'sometimes' is not allowed" in log_path.read_text(encoding="utf-8"), what="the error line")
    line = next(l for l in log_path.read_text(encoding="utf-8").splitlines() if "'sometimes' is not allowed" in l)
    assert "registry.yaml:" in line and f"codes.{SITE_CODE}.retry.policy" in line
    assert "Traceback" not in log_path.read_text(encoding="utf-8")
    # The server is still up and still serves the last good site.
    assert fetch(base + f"errors/{SITE_CODE}/")[0] == 200
    assert fetch(base + "llms.txt")[0] == 200

    registry.write_text(_with_code(good, summary="Wombat failure on the server."), encoding="utf-8")
    wait_until(lambda: "Wombat failure" in fetch(base + f"errors/{SITE_CODE}/")[2], what="the fixed page")
    assert "Wombat failure" in fetch(base + f"errors/{SITE_CODE}.md")[2]
    assert "Wombat failure" in fetch(base + "llms.txt")[2]


def _with_code(text: str, *, retry_policy: str | None = None, summary: str | None = None) -> str:
    """The registry ``text`` with ``SITE_CODE``'s retry policy or summary changed."""
    data = yaml.safe_load(text)
    code = data["codes"][SITE_CODE]
    if retry_policy is not None:
        code["retry"]["policy"] = retry_policy
    if summary is not None:
        code["summary"] = summary
    return dump_registry(data)


def test_serve_survives_a_bad_edit_of_every_class_and_recovers(served_project) -> None:
    """Registry mistakes (link, value, syntax, key, YAML feature) and late problems (size budget, include marker,
    active HTML): each keeps the last good site answering with the banner, then the fix recovers."""
    from test_hostile import BUILD_CASES, LATE

    project, base, log_path = served_project
    page = base + f"errors/{SITE_CODE}/"
    edits = [("registry.yaml", lambda _text, bad=bad: bad, message) for _, bad, _, message in
             (BUILD_CASES[kind] for kind in ("link", "value", "syntax", "key", "yaml"))]
    edits += [(rel, change, expected) for rel, change, expected in LATE.values()]
    for rel, change, expected in edits:
        target = project / rel
        good = target.read_text(encoding="utf-8")
        target.write_text(change(good), encoding="utf-8")
        wait_until(lambda: expected in log_path.read_text(encoding="utf-8"), what=f"the problem of {rel}: {expected}")
        wait_until(lambda: "The docs sources have errors" in fetch(page)[2], what=f"the banner for {expected}")
        assert fetch(base + "llms.txt")[0] == 200
        target.write_text(good, encoding="utf-8")
        wait_until(lambda: "The docs sources have errors" not in fetch(page)[2], what=f"the recovery from {expected}")
        log_path.write_text("", encoding="utf-8")  # the next edit's problem must be new
    assert "Traceback" not in log_path.read_text(encoding="utf-8")
