"""``errdocs verify`` as people run it: HAR files recorded by Chromium against a real FastAPI app,
HAR files of another API (a nested envelope), bad input, and every report format.

The browser tests serve ``tests/wire_app.py`` under uvicorn on 127.0.0.1, let Chromium load its
page (whose script calls every endpoint) with Playwright recording a HAR, and verify that HAR
with the command, in a new process, as CI would.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml, TestSuite

from browser_checks import CHROMIUM, CHROMIUM_MISSING, LAUNCH_ARGS, browser_unavailable
from conftest import ROOT
from errdocs.registry.load import load_registry
from errdocs.render.snippets import example_envelope
from errdocs.tools.har import read_har
from har_traffic import har_entry, write_har
from wire_app import CODES, PLANTED, served

REGISTRY = ROOT / "registry.yaml"
PAYMENTS = ROOT / "tests" / "fixtures" / "payments_site" / "registry.yaml"
LINE = re.compile(r"^(?P<file>[^:]+\.har): entry (?P<entry>\d+): (?P<method>[A-Z]+) (?P<url>\S+) -> (?P<status>\d{3}): (?P<problem>.+)$")
WAIT_MS = 15_000


def verify(*args: object, registry: Path = REGISTRY) -> subprocess.CompletedProcess[str]:
    """``errdocs verify`` in a new process, as CI runs it."""
    return subprocess.run([sys.executable, "-m", "errdocs", "verify", *map(str, args), "--registry", str(registry)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def junit_failures(report: Path) -> list[str]:
    """The failed cases of a JUnit report as junitparser (the reader CI tools' plugins use)
    reads it: it refuses a file that is not JUnit XML."""
    xml = JUnitXml.fromfile(str(report))
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    assert suites and all(suite.tests == len(list(suite)) for suite in suites)
    return [case.name for suite in suites for case in suite if any(isinstance(r, Failure) for r in case.result)]


def returned_codes(path: Path = REGISTRY) -> list[str]:
    return [name for name, code in load_registry(path).codes.items() if code.returned]


# --- real traffic: Chromium against the FastAPI app under uvicorn

def _record(browser, base: str, har: Path) -> None:
    context = browser.new_context(record_har_path=str(har), record_har_content="embed")
    try:
        page = context.new_page()
        page.goto(base + "/", timeout=WAIT_MS)
        page.wait_for_selector("#done", timeout=WAIT_MS)
    finally:
        context.close()  # writes the HAR


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The HARs Chromium recorded against the app as it should be, and with its six drifts."""
    if not CHROMIUM.exists():
        browser_unavailable(CHROMIUM_MISSING)
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("har")
    hars = {"clean": folder / "clean.har", "drift": folder / "drift.har"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            for name, har in hars.items():
                with served(drifts=name == "drift", log=folder / f"{name}.log") as base:
                    _record(browser, base, har)
        finally:
            browser.close()
    return hars


def test_the_recorded_traffic_verifies_clean(recorded: dict[str, Path], tmp_path: Path) -> None:
    run = verify(recorded["clean"], "--junit-xml", tmp_path / "report.xml")
    assert run.returncode == 0, run.stdout + run.stderr
    summary = next(line for line in run.stdout.splitlines() if line.startswith("errdocs verify:"))
    # Every call of the page answered with an error but the last; Chromium may add /favicon.ico (a not_found).
    checked = int(re.search(r"(\d+) error responses checked", summary).group(1))
    assert checked >= 11 and summary.endswith(": 0 violations, 0 warnings")
    assert not [line for line in run.stdout.splitlines() if LINE.match(line)]
    # Coverage names exactly the documented codes the app never returns.
    never = [name for name in returned_codes() if name not in CODES]
    assert f"  codes never seen: {', '.join(never)}" in run.stdout.splitlines()
    assert junit_failures(tmp_path / "report.xml") == []


def test_planted_drifts_are_exactly_the_violations(recorded: dict[str, Path], tmp_path: Path) -> None:
    run = verify(recorded["drift"], "--junit-xml", tmp_path / "report.xml")
    assert run.returncode == 1, run.stdout + run.stderr
    lines = [LINE.match(line) for line in run.stdout.splitlines() if LINE.match(line)]
    rules = {"status": "status", "doc_url": "doc_url", "code": "code", "headers.Retry-After": "retry-after",
             "request_id": "request-id", "headers.Content-Type": "media-type"}
    found = set()
    for line in lines:
        assert line["file"] == str(recorded["drift"]) and line["url"].startswith("http://127.0.0.1:")
        field = line["problem"].split(": expected")[0]
        assert field in rules, run.stdout
        found.add((line["url"].split(":", 2)[2].split("/", 1)[1].join(["/", ""]), line["method"], rules[field]))
    assert found == PLANTED and len(lines) == len(PLANTED)
    assert "6 violations, 0 warnings" in run.stdout
    # Each line says what differs, expected against sent.
    text = run.stdout
    assert "status: expected 404 (not_found), sent 410" in text
    assert "doc_url: expected https://docs.lasscyber.com/errors/unauthorized, sent \"https://docs.lasscyber.com/docs/errors/unauthorized\"" in text
    assert 'code: expected a code the registry documents, sent "project_archived"' in text
    assert "headers.Content-Type: expected application/json, sent \"application/problem+json\"" in text
    # The same as data, and as JUnit.
    data = json.loads(verify(recorded["drift"], "--format", "json").stdout)
    assert {(p["url"].split("/", 3)[3].join(["/", ""]), p["method"], p["rule"]) for p in data["problems"]} == PLANTED
    assert data["violations"] == 6 and data["passed"] is False
    assert len(junit_failures(tmp_path / "report.xml")) == 6
    tree = ET.parse(tmp_path / "report.xml").getroot()
    assert tree.get("failures") == "6"
    failed = [case.get("name") for case in tree.iter("testcase") if case.find("failure") is not None]
    assert len(failed) == 6 and all(" -> " in name for name in failed)


def test_required_coverage(recorded: dict[str, Path]) -> None:
    percent = 100 * len(CODES) / len(returned_codes())
    below = verify(recorded["clean"], "--require-coverage", f"{percent + 1:.0f}")
    assert below.returncode == 1
    assert f"coverage: {percent:.1f}% is below the required {percent + 1:.0f}%" in below.stdout
    assert verify(recorded["clean"], "--require-coverage", f"{percent - 1:.0f}").returncode == 0


# --- another API: a nested envelope (payments_site), HARs written here

def _payments_entries(*, stale: bool = False) -> list[dict]:
    registry = load_registry(PAYMENTS)
    entries = [har_entry("https://api.paylane.test/v1/charges", 200, body='{"id": "ch_1"}', headers={"Content-Type": "application/json"})]
    for name, code in registry.codes.items():
        envelope = example_envelope(registry, name)
        if stale and name == "expired_card":
            envelope["error"]["doc_url"] = "https://docs.paylane.test/errors/card_expired"
        headers = {"Content-Type": "application/json", "Request-Id": registry.site.example_request_id,
                   **{key: str(value) for key, value in code.example.headers.items()}}
        if code.example_status == 429:
            headers.setdefault("Retry-After", "2")
        entries.append(har_entry(f"https://api.paylane.test/v1/{name}?card=4242424242424242", code.example_status,
                                 body=json.dumps(envelope), headers=headers, method="POST"))
    return entries


def test_another_apis_nested_envelope(tmp_path: Path) -> None:
    clean = verify(write_har(tmp_path / "paylane.har", _payments_entries()), registry=PAYMENTS)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert f"coverage: {len(returned_codes(PAYMENTS))} of {len(returned_codes(PAYMENTS))} documented codes seen (100.0%)" in clean.stdout
    assert "  sub-codes never seen: card_declined: lost_card" in clean.stdout
    stale = verify(write_har(tmp_path / "stale.har", _payments_entries(stale=True)), registry=PAYMENTS)
    assert stale.returncode == 1
    problems = [line for line in stale.stdout.splitlines() if LINE.match(line)]
    assert problems == [f"{tmp_path / 'stale.har'}: entry 2: POST https://api.paylane.test/v1/expired_card -> 402: error.doc_url: "
                        'expected https://docs.paylane.test/errors/expired_card, sent "https://docs.paylane.test/errors/card_expired"']
    assert "4242" not in stale.stdout  # the query is left out of every address


# --- bodies as HAR tools store them

AGNES_HEADERS = {"Content-Type": "application/json", "X-Request-ID": "r-1"}


def _not_found(**changes) -> bytes:
    return json.dumps({"detail": "Policy not found.", "code": "not_found", "request_id": "r-1",
                       "doc_url": "https://docs.lasscyber.com/errors/not_found", **changes}).encode()


def test_base64_and_compressed_bodies_are_read(tmp_path: Path) -> None:
    body = _not_found()
    deflated = zlib.compress(body)
    entries = [
        har_entry("http://api.test/a", 404, body=body, headers=AGNES_HEADERS, base64_body=True),
        har_entry("http://api.test/b", 404, body=gzip.compress(body), headers={**AGNES_HEADERS, "Content-Encoding": "gzip"}, base64_body=True),
        har_entry("http://api.test/c", 404, body=deflated, headers={**AGNES_HEADERS, "Content-Encoding": "deflate"}, base64_body=True),
    ]
    run = verify(write_har(tmp_path / "bodies.har", entries))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 error responses checked" in run.stdout and "0 violations, 0 warnings" in run.stdout


def test_binary_and_undecodable_bodies(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    entries = [
        har_entry("http://api.test/img", 404, body=png, headers={"Content-Type": "image/png", "X-Request-ID": "r"}, base64_body=True),
        har_entry("http://api.test/br", 404, body=b"\x8b\x05\x80" + bytes(range(200, 256)),
                  headers={**AGNES_HEADERS, "Content-Encoding": "br"}, base64_body=True),
    ]
    run = verify(write_har(tmp_path / "binary.har", entries))
    assert run.returncode == 1
    lines = [line.split(" -> ", 1)[1] for line in run.stdout.splitlines() if LINE.match(line)]
    assert lines == [
        '404: headers.Content-Type: expected application/json, sent "image/png"',
        "404: body: expected a JSON envelope (application/json), sent 264 bytes that are not JSON",
        "404: warning: body: expected a application/json envelope, sent no recorded body (status and headers checked only)",
        "404: warning: body: expected a application/json envelope, sent compressed with br, which errdocs does not decompress",
    ]


def test_bodies_are_never_printed(tmp_path: Path) -> None:
    secret = "Jane Roe, card 4242 4242 4242 4242, jane@example.com"
    entries = [
        har_entry("http://api.test/a", 404, body=_not_found(detail=secret, doc_url="https://docs.lasscyber.com/errors/x"), headers=AGNES_HEADERS),
        har_entry("http://api.test/b", 404, body=_not_found(detail={"customer": secret}, code=secret), headers=AGNES_HEADERS),
        har_entry("http://api.test/c", 404, body=b"<pre>" + secret.encode() + b"</pre>", headers=AGNES_HEADERS),
        har_entry("http://api.test/d", 404, body=_not_found(detail=[secret]), headers=AGNES_HEADERS),
    ]
    har = write_har(tmp_path / "private.har", entries)
    junit = tmp_path / "report.xml"
    for run in (verify(har, "--junit-xml", junit), verify(har, "--format", "json")):
        assert run.returncode == 1
        # A value where a code belongs shows only if it has a code's form; a message never shows.
        assert "4242" not in run.stdout and "jane@example.com" not in run.stdout and "Jane Roe" not in run.stdout
        assert f"a string of {len(secret)} characters" in run.stdout
    assert "4242" not in junit.read_text(encoding="utf-8")


def test_success_bodies_are_streamed_past(tmp_path: Path) -> None:
    entries = [har_entry(f"http://app.test/{n}", 200, body="x" * 10_000, headers={"Content-Type": "text/html"},
                         request_body="y" * 5_000) for n in range(3)]
    entries.append(har_entry("http://api.test/a", 404, body=_not_found(), headers=AGNES_HEADERS))
    read = list(read_har(write_har(tmp_path / "mixed.har", entries)))
    assert [(e.index, e.status, e.body is None) for e in read] == [(0, 200, True), (1, 200, True), (2, 200, True), (3, 404, False)]
    assert read[3].body == _not_found() and ("X-Request-ID", "r-1") in read[3].headers


def test_folders_and_base_url(tmp_path: Path) -> None:
    folder = tmp_path / "traffic"
    (folder / "day2").mkdir(parents=True)
    write_har(folder / "one.har", [har_entry("http://api.test/a", 404, body=_not_found(), headers=AGNES_HEADERS)])
    write_har(folder / "day2" / "two.har", [har_entry("https://cdn.other.test/x.js", 404, body="Not Found", headers={"Content-Type": "text/plain"})])
    (folder / "notes.txt").write_text("not a HAR", encoding="utf-8")
    everything = verify(folder)
    assert everything.returncode == 1 and "2 files, 2 entries, 2 error responses checked" in everything.stdout
    ours = verify(folder, "--base-url", "http://api.test/")
    assert ours.returncode == 0 and "2 files, 2 entries, 1 error response checked" in ours.stdout


# --- bad input: one located line each, exit 2, no traceback, no report

def _bad(tmp_path: Path, case: str) -> Path:
    har = tmp_path / f"{case}.har"
    good = json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
                               "entries": [har_entry("http://api.test/a", 404, body=_not_found(), headers=AGNES_HEADERS)] * 3}})
    text = {
        "not-json": "<html>this is a web page</html>",
        "truncated": good[: len(good) * 2 // 3],
        "empty": "",
        "version": good.replace('"version": "1.2"', '"version": "2.0"'),
        "no-version": good.replace('"version": "1.2", ', ""),
        "not-har": json.dumps({"entries": []}),
        "status": good.replace('"status": 404', '"status": "four"', 1),
        "base64": good.replace('"text": "{', '"encoding": "base64", "text": "{', 1),
        "encoding": good.replace('"text": "{', '"encoding": "rot13", "text": "{', 1),
        "headers": good.replace('"headers": [{"name": "Content-Type"', '"headers": ["Content-Type: x", {"name": "Content-Type"', 1),
        "huge-status": good.replace('"status": 404', '"status": 1e9999999', 1),
        "long-version": good.replace('"version": "1.2"', '"version": "' + "9" * 10_000 + '"', 1),
    }[case]
    har.write_text(text, encoding="utf-8")
    return har


BAD = {
    "not-json": "not-json.har: not valid JSON before its first entry (truncated or damaged?): lexical error: invalid char in json text.",
    "truncated": "truncated.har: not valid JSON after log.entries[1] (truncated or damaged?): parse error: premature EOF",
    "empty": "empty.har: not valid JSON before its first entry (truncated or damaged?): parse error: premature EOF",
    "version": "version.har: log.version: HAR '2.0' is not supported; errdocs reads HAR 1.2 and 1.1",
    "no-version": "no-version.har: log.version: missing; errdocs reads HAR 1.2 and 1.1",
    "not-har": "not-har.har: log.entries: missing; this is not a HAR file",
    "status": "status.har: log.entries[0].response.status: expected a number, got str",
    "base64": "base64.har: log.entries[0].response.content.text: not valid base64 (content.encoding is base64)",
    "encoding": "encoding.har: log.entries[0].response.content.encoding: 'rot13' is not an encoding HAR defines (base64, or none)",
    "headers": "headers.har: log.entries[0].response.headers: expected name/value objects",
    "huge-status": "huge-status.har: log.entries[0].response.status: expected an HTTP status, got 1E+9999999",
    "long-version": f"long-version.har: log.version: HAR '{'9' * 40}' is not supported; errdocs reads HAR 1.2 and 1.1",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_har_gives_one_located_line(tmp_path: Path, case: str) -> None:
    run = verify(_bad(tmp_path, case), "--junit-xml", tmp_path / "report.xml")
    assert run.returncode == 2
    assert run.stdout == "" and "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [f"{tmp_path}/{BAD[case]}", "errdocs verify: 1 input problem; nothing verified"]
    assert not (tmp_path / "report.xml").exists()


def test_hostile_values_are_findings_not_crashes_and_urls_lose_their_credentials(tmp_path: Path) -> None:
    # JSON nested past Python's stack, a Retry-After year past datetime's range, a login in the URL.
    deep = "[" * 200_000 + "]" * 200_000
    entries = [har_entry("https://user:s3cret@api.test/a", 404, body=deep, headers=AGNES_HEADERS),
               har_entry("http://api.test/b", 429, body=_not_found(),
                         headers={**AGNES_HEADERS, "Retry-After": "Mon, 01 Jan 99999999999999999999 00:00:00 GMT"})]
    run = verify(write_har(tmp_path / "hostile.har", entries), "--format", "json")
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]
    problems = json.loads(run.stdout)["problems"]
    assert any(p["field"] == "body" and "not JSON" in p["sent"] for p in problems)
    assert "s3cret" not in run.stdout and "user@" not in run.stdout
    assert {p["url"] for p in problems} >= {"https://api.test/a"}


def test_a_junit_path_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "report.xml").mkdir()  # a folder where the file should go
    run = verify(write_har(tmp_path / "ok.har", []), "--junit-xml", tmp_path / "report.xml")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[-1].startswith(f"errdocs verify: --junit-xml {tmp_path / 'report.xml'}: ")


def test_missing_paths_and_bad_options(tmp_path: Path) -> None:
    run = verify(tmp_path / "nowhere.har")
    assert run.returncode == 2 and run.stderr.splitlines()[0] == f"{tmp_path}/nowhere.har: cannot read: No such file or directory"
    run = verify(tmp_path)
    assert run.returncode == 2 and run.stderr.splitlines()[0] == f"errdocs verify: no HAR file in {tmp_path}"
    har = write_har(tmp_path / "ok.har", [])
    run = verify(har, "--require-coverage", "120")
    assert run.returncode == 2 and "is not a percentage from 0 to 100" in run.stderr and "Traceback" not in run.stderr
    run = verify(har, registry=tmp_path / "missing.yaml")
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_json_report_has_the_same_findings_as_the_text(tmp_path: Path) -> None:
    entries = [har_entry("http://api.test/a?token=t", 410, body=_not_found(), headers=AGNES_HEADERS),
               har_entry("http://api.test/b", 404, body=_not_found(), headers={"Content-Type": "application/json"})]
    har = write_har(tmp_path / "two.har", entries)
    text = [line for line in verify(har).stdout.splitlines() if LINE.match(line)]
    data = json.loads(verify(har, "--format", "json").stdout)
    assert [f"{p['file']}: entry {p['entry']}: {p['method']} {p['url']} -> {p['status']}: {p['field']}: expected {p['expected']}, sent {p['sent']}"
            for p in data["problems"]] == text
    assert [(p["rule"], p["code"]) for p in data["problems"]] == [("status", "not_found"), ("header", "not_found")]
    assert data["coverage"]["never_seen"] == [c for c in returned_codes() if c != "not_found"]
