"""The writer's loop under `mkdocs serve`, measured as a writer feels it (part of `make bench`).

``save_times``: a real `mkdocs serve` of a synthetic site on 127.0.0.1; each round saves
registry.yaml with one code's summary changed (one line, as an editor saves it) and polls that
code's served page until the new text is there, then saves docs/index.md with a new sentence
and polls the home page the same way. The time is from the save to the first response that
shows it: the watcher noticing the file, the rebuild, and the request (the dev server holds
requests while it builds). ``first_page``: from `make serve` starting, the venv present, to the
home page served. Every loop is bounded; servers are stopped by PID.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hosting"))
from local_servers import free_port, stop  # noqa: E402  (shared with the tests)

POLL = 0.02
"""Seconds between two requests while waiting for a save to show."""
SETTLE = 1.0
"""Seconds left between rounds, untimed: the watcher may report one save twice."""


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, needle: str, *, seconds: float, since: float | None = None) -> float:
    """Seconds from ``since`` (default: now) until ``url`` serves ``needle``; bounded by ``seconds``."""
    start = time.perf_counter() if since is None else since
    while time.perf_counter() - start < seconds:
        if needle in _fetch(url):
            return time.perf_counter() - start
        time.sleep(POLL)
    raise SystemExit(f"bench: {needle!r} never appeared at {url} within {seconds} s")


def _summary_edit(text: str, code: str, marker: str) -> str:
    """registry.yaml with ``code``'s summary line replaced (the synthetic layout: one line)."""
    start = text.index(f"\n  {code}:\n")
    line = re.compile(r"^(    summary: ).*$", re.M).search(text, start)
    assert line is not None
    return text[:line.start()] + f"{line.group(1)}{marker}." + text[line.end():]


def save_times(project: Path, runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Seconds from a save to the served page showing it, ``runs`` rounds: a code's text edit
    (``code``) and a hand-written page edit (``page``), under `mkdocs serve` of ``project``."""
    port = free_port()
    log = open(project.parent / f"{project.name}-serve.log", "w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        stdout=log, stderr=subprocess.STDOUT, env={**env, "PYTHONPATH": str(project / "hooks")}, cwd=project,
    )
    base = f"http://127.0.0.1:{port}/"
    registry, page = project / "registry.yaml", project / "docs" / "index.md"
    registry_text, page_text = registry.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")
    codes = re.findall(r"^  ([a-z0-9_]+):$", registry_text.split("\ncodes:\n", 1)[1], re.M)
    code = codes[len(codes) // 2]  # a code in the middle: its group, its shard, its overview row
    times: dict[str, list[float]] = {"code": [], "page": []}
    try:
        wait_for(base, "Synthetic API", seconds=1800)
        for run in range(runs):
            marker = f"Wombat edit {run} of the registry"
            started = time.perf_counter()
            registry.write_text(_summary_edit(registry_text, code, marker), encoding="utf-8")
            times["code"].append(wait_for(f"{base}errors/{code}/", marker, seconds=600, since=started))
            time.sleep(SETTLE)
            marker = f"Koala edit {run} of a page"
            started = time.perf_counter()
            page.write_text(page_text.replace("See [errors]", f"{marker}. See [errors]"), encoding="utf-8")
            times["page"].append(wait_for(base, marker, seconds=600, since=started))
            time.sleep(SETTLE)
    finally:
        stop(proc)
        log.close()
        registry.write_text(registry_text, encoding="utf-8")
        page.write_text(page_text, encoding="utf-8")
    return times


def first_page(runs: int, env: dict[str, str]) -> list[float]:
    """Seconds from `make serve` starting (this checkout, the venv present) to its home page served."""
    times = []
    for _ in range(runs):
        port = free_port()
        started = time.perf_counter()
        # Its own process group: make's child (mkdocs) is stopped with it, by make's PID.
        proc = subprocess.Popen(["make", "--no-print-directory", "serve", f"ADDR=127.0.0.1:{port}", f"VENV={sys.prefix}"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        try:
            times.append(wait_for(f"http://127.0.0.1:{port}/", "<html", seconds=600, since=started))
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)
    return times
