"""Helpers for the browser tests (tests/test_browser.py): launching Debian's chromium, and what
"a page loads cleanly" means, written once so the deliberately-broken-page test runs the very same check."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
CHROMIUM_MISSING = "chromium not installed at /usr/bin/chromium; apt-get install -y chromium"


def browser_unavailable(reason: str) -> None:
    """Skip locally; never skip in CI (a CI run without a browser would silently test nothing)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


# Bounded waits (milliseconds).
LOAD_TIMEOUT_MS = 15_000
IDLE_TIMEOUT_MS = 5_000


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page_problems(target: Any, url: str) -> list[str]:
    """Load ``url`` in a fresh page and return every problem seen, as readable lines (empty list: clean).

    ``target`` is a Playwright ``Browser`` (the page then gets its own fresh context, so every asset is
    fetched cold) or a ``BrowserContext``. Problems are: console messages of type "error", uncaught
    exceptions, failed requests, responses with status >= 400, and any request leaving the site's origin
    (the site promises to make no third-party request; such requests are aborted, so the test never
    touches the network).
    """
    return pages_problems(target, [url])[url]


def pages_problems(target: Any, urls: Iterable[str], *, concurrency: int = 8) -> dict[str, list[str]]:
    """``page_problems`` for many URLs, loading up to ``concurrency`` pages at once (same checks, faster:
    the waits for the network to go idle overlap)."""
    urls = list(urls)
    report: dict[str, list[str]] = {}
    for start in range(0, len(urls), concurrency):
        batch = [_open(target, url) for url in urls[start : start + concurrency]]
        for url, page, problems in batch:
            _settle(page, problems)
            report[url] = problems
    return report


def _open(target: Any, url: str) -> tuple[str, Any, list[str]]:
    """Open a page with every listener attached, and start loading ``url`` (returns once it committed)."""
    origin = _origin(url)
    problems: list[str] = []
    page = target.new_page()
    page.set_default_timeout(LOAD_TIMEOUT_MS)

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            where = (msg.location or {}).get("url") or "?"
            problems.append(f"console error: {msg.text} (at {where})")

    def on_response(response: Any) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def on_request_failed(request: Any) -> None:
        if urlsplit(request.url).scheme in ("http", "https") and _origin(request.url) != origin:
            return  # reported once, as an off-site request, below
        problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def off_site(route: Any) -> None:
        problems.append(f"off-site request (aborted): {route.request.method} {route.request.url}")
        route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error.name}: {error.message}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.route(lambda u: urlsplit(u).scheme in ("http", "https") and _origin(u) != origin, off_site)
    try:
        if page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS) is None:
            problems.append(f"no response for {url}")
    except Exception as exc:  # noqa: BLE001 - a navigation error is a finding, not a crash of the check
        problems.append(f"navigation failed: {type(exc).__name__}: {exc}")
    return url, page, problems


def _settle(page: Any, problems: list[str]) -> None:
    """Wait (bounded) until the page has loaded and its network is idle, then close it."""
    try:
        page.wait_for_load_state("load", timeout=LOAD_TIMEOUT_MS)
        # Material fetches the search worker, its index and sitemaps after "load": wait for them too.
        page.wait_for_load_state("networkidle", timeout=IDLE_TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001 - a page that never loads or never goes idle is a problem
        problems.append(f"page did not settle: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        page.close()  # with a Browser target this also closes the page's throwaway context


# A small English stop-word list (plus lunr's own, which Material's index applies): words that say
# nothing about a particular code.
STOP_WORDS = frozenset(
    """about above after again against along already although always among another anything
    around because been before being below between both cannot could does doing down during
    each either every first from further have having here however into itself just least less
    many might more most much must neither never none nothing often once only other otherwise
    ought over own rather same several shall should since some still such than that their theirs
    them then there these they this those through thus under until upon very were what whatever
    when where whether which while whom whose will with within without would your yours yet
    also""".split()
)


def load_search_index(site: Path) -> list[dict[str, Any]]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def distinctive_word(summary: str, name: str, docs: Iterable[dict[str, Any]], page_location: str) -> str:
    """The summary word (>= 5 letters, no stop word, not part of the code's name) found on the fewest pages.

    ``docs`` is Material's search index; ``page_location`` the code page's location in it
    (``errors/<name>/``). The word must occur on that page, or search could not find it there.
    """
    pages: dict[str, str] = {}
    for doc in docs:
        key = doc["location"].split("#", 1)[0]
        pages[key] = pages.get(key, "") + " " + doc.get("title", "") + " " + doc.get("text", "")
    name_parts = set(name.lower().split("_"))
    best: tuple[int, int, int, str] | None = None
    for position, word in enumerate(re.findall(r"[A-Za-z]+", summary)):
        word = word.lower()
        if len(word) < 5 or word in STOP_WORDS or word in name_parts:
            continue
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        if not pattern.search(pages.get(page_location, "")):
            continue
        count = sum(1 for text in pages.values() if pattern.search(text))
        candidate = (count, -len(word), position, word)
        if best is None or candidate < best:
            best = candidate
    if best is None:
        raise ValueError(f"no distinctive word of >= 5 letters in the summary of {name!r}: {summary!r}")
    return best[3]


# Fallback for the copy-button test, installed with add_init_script: records what the page asked to copy,
# whichever way it copies (the async Clipboard API, or clipboard.js's execCommand("copy") on a selected
# hidden textarea). Only read when navigator.clipboard.readText() is unavailable in the headless browser.
CAPTURE_COPY_SCRIPT = r"""
(() => {
  window.__copied = null;
  document.addEventListener("copy", () => {
    const el = document.activeElement;
    if (el && typeof el.value === "string" && el.selectionStart != null) {
      window.__copied = el.value.substring(el.selectionStart, el.selectionEnd);
    } else {
      window.__copied = String(document.getSelection());
    }
  }, true);
  if (navigator.clipboard && navigator.clipboard.writeText) {
    const original = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (text) => { window.__copied = String(text); return original(text); };
  }
})();
"""
