"""`errdocs mcp`: the lookups over every fixture registry, and the server through real clients: the MCP
SDK's own client over stdio and over Streamable HTTP on 127.0.0.1, and the MCP Inspector's CLI.

Catalogs come in every form the server takes: a registry.yaml, a built site's errors.json (file or
folder) and an errors.json URL served by `make preview`'s server. Misbehaving catalog servers run in
threads of this process, bound to 127.0.0.1, and are shut down by each test.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import anyio
import pytest
from local_servers import free_port, stop, wait_until_listening

from conftest import ROOT, SITES, Built, copy_project, mkdocs_build, wait_for_http

pytest.importorskip("mcp", reason="errdocs mcp needs the mcp extra (the test extra includes it)")

from mcp import Client, StdioServerParameters  # noqa: E402

from errdocs.agents.catalog import CatalogError, load_catalog  # noqa: E402
from errdocs.agents.fetch import Fetcher  # noqa: E402
from errdocs.agents.lookups import explain_response, find_errors, get_error  # noqa: E402
from errdocs.publish.contract import MCP_TOOLS  # noqa: E402
from errdocs.registry.load import load_registry  # noqa: E402

REGISTRIES = [site / "registry.yaml" for site in SITES.values()]
"""Every registry of the repository: Agnes (flat envelope) and each fixture (nested, problem+json, ...)."""
PAYMENTS = ROOT / "tests" / "fixtures" / "payments_site"
INSPECTOR = "@modelcontextprotocol/inspector@2.12.0"
"""The MCP Inspector, pinned: its CLI lists and calls the tools as a client other than the SDK."""
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1"}

_EXPECTED_DECISION = {"never": "do_not_retry", "after_action": "retry_after_action", "backoff": "retry", "once": "retry"}


def _registry_id(path: Path) -> str:
    return path.parent.name if path.parent != ROOT else "agnes"


# --- the lookups, on every code of every registry -------------------------------------------------


@pytest.mark.parametrize("path", REGISTRIES, ids=_registry_id)
def test_explain_response_identifies_every_example_with_the_right_retry_decision(path: Path) -> None:
    # Each code's example response, as its page shows it (status, headers, body), fed back as received.
    registry = load_registry(path)
    catalog = load_catalog(str(path))
    backoff = registry.retry_guidance.backoff
    subcode_path = registry.roles.get(next((role for role in registry.roles if role.value == "subcode"), None))
    checked = 0
    for name, code in registry.codes.items():
        example = catalog.codes[name].example
        assert example is not None, name
        answer = explain_response(catalog, status=example.status, headers=example.headers, body=json.dumps(example.body))
        assert answer.verdict == "documented_error" and answer.code == name, (path, name, answer.message)
        assert answer.doc_url == registry.doc_url(name) and answer.status_documented is True, name
        policy = code.retry.policy
        shown = example.body
        for key in subcode_path or ():
            shown = shown.get(key) if isinstance(shown, dict) else None
        if isinstance(shown, str) and shown in code.subcodes:
            assert answer.subcode == shown and answer.subcode_documented is True, name
            policy = code.subcodes[shown].retry or policy
        assert answer.retry.decision == _EXPECTED_DECISION[policy.value], (name, policy)
        if answer.retry.decision == "retry":
            sent = example.headers.get("Retry-After")
            assert answer.retry.wait_seconds == (float(sent) if sent is not None else min(backoff.base_seconds, backoff.max_seconds)), name
            assert answer.retry.max_retries == (1 if policy.value == "once" else backoff.max_retries), name
        else:
            assert answer.retry.wait_seconds is None and answer.what_to_change, name
        checked += 1
    assert checked == len(registry.codes) > 0


def test_explain_response_reads_a_nested_envelope_and_its_subcode() -> None:
    catalog = load_catalog(str(PAYMENTS / "registry.yaml"))
    body = {"error": {"type": "card_error", "code": "card_declined", "message": "Declined.", "decline_code": "try_again_later",
                      "doc_url": "https://docs.paylane.test/errors/card_declined", "request_id": "r"}}
    answer = explain_response(catalog, status=402, body=body)
    # The code says "after action", but this sub-code says one retry may help: the sub-code wins.
    assert (answer.code, answer.subcode, answer.retry.decision, answer.retry.max_retries) == ("card_declined", "try_again_later", "retry", 1)
    assert answer.what_to_change[0] == "Send the same charge once more after a short wait."
    unknown = explain_response(catalog, status=402, body={"error": {**body["error"], "decline_code": "new_reason"}})
    assert unknown.subcode_documented is False and unknown.retry.decision == "retry_after_action"
    assert "not documented for card_declined" in unknown.message


def test_explain_response_honours_retry_after_over_the_backoff() -> None:
    catalog = load_catalog(str(ROOT / "registry.yaml"))
    body = {"detail": "Service unavailable.", "code": "service_unavailable", "request_id": "r", "doc_url": "x"}
    assert explain_response(catalog, status=503, body=body, headers={"retry-after": "42"}).retry.wait_seconds == 42
    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 120))
    assert 100 < explain_response(catalog, status=503, body=body, headers={"Retry-After": later}).retry.wait_seconds <= 120
    without = explain_response(catalog, status=503, body=body)
    assert without.retry.wait_seconds == 1 and without.retry.delays_seconds == [1, 2, 4]  # the registry's backoff
    assert "1 s, then 2 s, then 4 s" in without.retry.reason


@pytest.mark.parametrize("status, body, verdict", [
    (502, "<html><body>Bad gateway</body></html>", "not_json"),
    (500, "", "not_json"),
    (404, {"message": "Not Found"}, "not_this_envelope"),
    (404, [1, 2], "not_this_envelope"),
    (404, {"code": 404, "detail": "x"}, "not_this_envelope"),
    (418, {"detail": "x", "code": "brand_new_code"}, "undocumented_code"),
    (200, {"ok": True}, "not_an_error"),
])
def test_explain_response_says_plainly_what_is_not_a_documented_error(status: int, body: Any, verdict: str) -> None:
    catalog = load_catalog(str(ROOT / "registry.yaml"))
    answer = explain_response(catalog, status=status, body=body)
    assert answer.verdict == verdict and answer.error is None and answer.message
    assert answer.retry.decision in ("unknown", "do_not_retry")


def test_get_error_and_find_errors_answer_from_the_catalog() -> None:
    catalog = load_catalog(str(PAYMENTS / "registry.yaml"))
    registry = load_registry(PAYMENTS / "registry.yaml")
    answer = get_error(catalog, "card_declined")
    facts = answer.error
    assert answer.documented and facts is not None
    assert facts.what_to_do == registry.codes["card_declined"].steps and facts.meaning == registry.codes["card_declined"].when
    assert facts.subcode_field == "error.decline_code" and [s.value for s in facts.subcodes] == list(registry.codes["card_declined"].subcodes)
    assert facts.sdk_exceptions["go"].exception == "*paylane.CardError" and facts.twin_url == "https://docs.paylane.test/errors/card_declined.md"
    missing = get_error(catalog, "card_decline")
    assert not missing.documented and missing.error is None and missing.similar[0] == "card_declined"
    everything = find_errors(catalog)
    assert [e.code for e in everything.errors] == list(registry.codes) and everything.total == len(registry.codes)
    retryable = find_errors(catalog, retryable=True)
    assert {e.code for e in retryable.errors} == {name for name, code in registry.codes.items() if code.retryable}
    assert {e.code for e in find_errors(catalog, category="card_error", text="EXPIRY date").errors} == {"expired_card"}
    assert find_errors(catalog, status=599).total == 0


# --- catalogs that cannot be read -----------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers as the test's ``behaviour`` says: hang, 404, HTML, 100 MB, or some JSON."""

    behaviour = "json"
    payload = b"{}"

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        if self.behaviour == "hang":
            time.sleep(3)
            return
        if self.behaviour == "404":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.behaviour in ("huge", "huge-chunked"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if self.behaviour == "huge":
                self.send_header("Content-Length", str(100 * 1024 * 1024))
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(100):  # 100 MB at most, in 1 MB writes: the client hangs up long before
                    self.wfile.write(b" " * (1024 * 1024))
            return
        body = b"<!doctype html><html><body>Docs</body></html>" if self.behaviour == "html" else self.payload
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if self.behaviour == "html" else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def _catalog_server(behaviour: str, payload: bytes = b"{}") -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"behaviour": behaviour, "payload": payload})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/errors.json"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("behaviour, payload, says", [
    ("hang", b"", "no answer within 1 s"),
    ("404", b"", "answered HTTP 404"),
    ("html", b"", "answered HTML"),
    ("huge", b"", "over the limit"),
    ("huge-chunked", b"", "over the limit"),
    ("json", b'{"openapi": "3.1.0", "paths": {}}', "not an errdocs errors.json"),
    ("json", b'{"codes": {"x": {}}, "envelope": []}', "not an errdocs errors.json: name: Field required"),
    ("json", b"\xff\xfe", "not UTF-8"),
])
def test_a_bad_catalog_url_gets_one_line_saying_why(tmp_path: Path, behaviour: str, payload: bytes, says: str) -> None:
    with _catalog_server(behaviour, payload) as url:
        started = time.monotonic()
        with pytest.raises(CatalogError) as caught:
            load_catalog(url, fetcher=Fetcher(tmp_path, timeout=1.0))
        assert time.monotonic() - started < 10
    message = str(caught.value)
    assert message.startswith(url) and says in message and "\n" not in message, message


def test_a_catalog_url_is_fetched_once_then_revalidated_with_its_validators(tmp_path: Path, agnes_site: Built) -> None:
    seen: list[dict[str, str]] = []
    body = (agnes_site.site / "errors.json").read_bytes()

    class Conditional(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append({key.lower(): value for key, value in self.headers.items()})
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Conditional)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/errors.json"
        first, again = Fetcher(tmp_path).get(url), Fetcher(tmp_path).get(url)
    finally:
        server.shutdown()
        server.server_close()
    assert (first.from_cache, again.from_cache) == (False, True) and first.body == again.body == body
    assert "if-none-match" not in seen[0]
    assert seen[1]["if-none-match"] == '"v1"' and seen[1]["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"


# --- the server, through the SDK's own client -----------------------------------------------------


@pytest.fixture(scope="module")
def payments_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The nested-envelope fixture, built with --strict."""
    built = mkdocs_build(copy_project(PAYMENTS, tmp_path_factory.mktemp("payments") / "project"))
    assert built.returncode == 0, built.output
    return built


@contextlib.contextmanager
def _preview(site: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "errdocs", "preview", str(site), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def _stdio(*args: str, cache: Path) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "errdocs", "mcp", *args, "--cache-dir", str(cache)],
                                 env={**ENV, "PYTHONWARNINGS": "ignore"})


async def _session(client: Client, *, code: str, example: dict[str, Any], twin_prefix: str) -> None:
    """What every transport and catalog form must answer alike."""
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == set(MCP_TOOLS)
    for tool in tools.values():
        assert tool.input_schema["type"] == "object" and tool.output_schema and tool.output_schema["type"] == "object", tool.name
    assert tools["explain_response"].input_schema["required"] == ["status", "body"]
    found = await client.call_tool("get_error", {"code": code})
    assert not found.is_error and found.structured_content["documented"] is True
    assert found.structured_content["error"]["code"] == code
    unknown = await client.call_tool("get_error", {"code": "no_such_code_at_all"})
    assert not unknown.is_error and unknown.structured_content["documented"] is False
    listed = await client.call_tool("find_errors", {"text": code})
    assert code in [e["code"] for e in listed.structured_content["errors"]]
    explained = await client.call_tool("explain_response", {"status": example["status"], "headers": example["headers"], "body": example["body"]})
    assert explained.structured_content["verdict"] == "documented_error" and explained.structured_content["code"] == code
    as_text = await client.call_tool("explain_response", {"status": example["status"], "body": json.dumps(example["body"])})
    assert as_text.structured_content["code"] == code
    # Bad arguments: an error naming the field, and the server goes on serving.
    for arguments in ({}, {"status": "soon", "body": {}}, {"status": 99, "body": {}}):
        refused = await client.call_tool("explain_response", arguments)
        assert refused.is_error and "status" in refused.content[0].text and "Traceback" not in refused.content[0].text
    refused = await client.call_tool("get_error", {"code": 42})
    assert refused.is_error and "code" in refused.content[0].text
    assert (await client.call_tool("explain_response", {"status": 502, "body": "<html>"})).structured_content["verdict"] == "not_json"
    resources = {str(resource.uri): resource for resource in (await client.list_resources()).resources}
    twin = f"{twin_prefix}{code}.md"
    assert twin in resources and resources[twin].mime_type == "text/markdown"
    text = (await client.read_resource(twin)).contents[0].text
    assert text.startswith("---\n") and f'"code": "{code}"' in text or f"code: \"{code}\"" in text
    index = next(uri for uri in resources if uri.endswith("/llms.txt"))
    assert (await client.read_resource(index)).contents[0].text.startswith("# ")


def _example(source: str, code: str) -> dict[str, Any]:
    example = load_catalog(source).codes[code].example
    assert example is not None
    return example.model_dump()


def test_the_sdk_client_over_stdio_on_a_registry_and_a_built_site(tmp_path: Path, agnes_site: Built, payments_site: Built) -> None:
    cases = [
        (str(ROOT / "registry.yaml"), "rate_limit_exceeded", "https://docs.lasscyber.com/errors/"),
        (str(agnes_site.site), "internal_error", "https://docs.lasscyber.com/errors/"),
        (str(payments_site.site / "errors.json"), "card_declined", "https://docs.paylane.test/errors/"),
    ]

    async def run() -> None:
        for source, code, prefix in cases:
            async with Client(_stdio(source, cache=tmp_path)) as client:
                await _session(client, code=code, example=_example(source, code), twin_prefix=prefix)

    anyio.run(run)


def test_the_sdk_client_over_streamable_http_on_a_catalog_url(tmp_path: Path, payments_site: Built) -> None:
    # The catalog is a URL (the preview serving the built site): pages are read from where it came from.
    with _preview(payments_site.site) as site:
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "errdocs", "mcp", f"{site}/errors.json", "--http", f"127.0.0.1:{port}", "--cache-dir", str(tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
        try:
            wait_until_listening(port)

            async def run() -> None:
                async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                    await _session(client, code="card_declined", example=_example(f"{site}/errors.json", "card_declined"),
                                   twin_prefix="https://docs.paylane.test/errors/")

            anyio.run(run)
        finally:
            stop(proc)


def test_a_catalog_url_that_fails_leaves_the_server_serving_and_saying_why(tmp_path: Path) -> None:
    with _catalog_server("404") as url:
        async def run() -> None:
            async with Client(_stdio(url, cache=tmp_path)) as client:
                for _ in range(2):  # tried again on each call, and still serving
                    answer = await client.call_tool("get_error", {"code": "anything"})
                    assert answer.is_error and "could not be loaded" in answer.content[0].text and "HTTP 404" in answer.content[0].text

        anyio.run(run)


@pytest.mark.parametrize("args, says", [
    (["no/such/errors.json"], "cannot be read"),
    (["registry.yaml", "--http", "nowhere"], "expected HOST:PORT"),
])
def test_a_bad_local_catalog_or_address_stops_with_one_line(tmp_path: Path, args: list[str], says: str) -> None:
    run = subprocess.run([sys.executable, "-m", "errdocs", "mcp", *args], capture_output=True, text=True, timeout=60, env=ENV,
                         cwd=ROOT, stdin=subprocess.DEVNULL)
    assert run.returncode != 0 and says in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_without_the_sdk_errdocs_mcp_says_how_to_install_it() -> None:
    # The extra missing: a one-line message, not a traceback (the SDK is hidden from the import system).
    guard = ("import sys\n"
             "class Block:\n"
             "    def find_spec(self, name, path=None, target=None):\n"
             "        if name.split('.')[0] in ('mcp', 'httpx2'):\n"
             "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
             "sys.meta_path.insert(0, Block())\n"
             "from errdocs.__main__ import main\n"
             "sys.exit(main(['mcp', 'registry.yaml']))\n")
    run = subprocess.run([sys.executable, "-c", guard], capture_output=True, text=True, timeout=60, env=ENV, cwd=ROOT)
    assert run.returncode == 1 and run.stderr.strip() == "errdocs mcp: the MCP SDK is not installed; install errdocs with its mcp extra (pip install '/path/to/errdocs[mcp]')"


# --- the MCP Inspector's CLI ----------------------------------------------------------------------


def _npx() -> str:
    found = shutil.which("npx")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("npx is not installed (CI is set: .ci/run installs nodejs and npm)", pytrace=False)
        pytest.skip("npx not installed; apt-get install -y nodejs npm")
    return found


def _inspect(npx: str, server: list[str], *method: str) -> Any:
    run = subprocess.run([npx, "-y", INSPECTOR, "--cli", *server, *method], capture_output=True, text=True, timeout=300,
                         env=ENV, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, (method, run.stdout[-2000:], run.stderr[-2000:])
    return json.loads(run.stdout)


@pytest.mark.parametrize("source, code", [("registry.yaml", "service_unavailable"),
                                          ("tests/fixtures/payments_site/registry.yaml", "card_declined")],
                         ids=["agnes", "payments"])
def test_the_inspector_lists_the_tools_and_calls_each(tmp_path: Path, source: str, code: str) -> None:
    npx = _npx()
    server = [sys.executable, "-m", "errdocs", "mcp", str(ROOT / source), "--cache-dir", str(tmp_path)]
    listed = _inspect(npx, server, "--method", "tools/list")
    tools = {tool["name"]: tool for tool in listed["tools"]}
    assert set(tools) == set(MCP_TOOLS)
    assert all(tool["inputSchema"]["type"] == "object" and tool["outputSchema"]["type"] == "object" for tool in tools.values())
    got = _inspect(npx, server, "--method", "tools/call", "--tool-name", "get_error", "--tool-arg", f"code={code}")
    assert got["structuredContent"]["documented"] is True and got["structuredContent"]["error"]["code"] == code
    found = _inspect(npx, server, "--method", "tools/call", "--tool-name", "find_errors", "--tool-arg", "retryable=true")
    assert found["structuredContent"]["total"] >= 1 and all(e["retryable"] for e in found["structuredContent"]["errors"])
    example = _example(str(ROOT / source), code)
    explained = _inspect(npx, server, "--method", "tools/call", "--tool-name", "explain_response",
                         "--tool-arg", f"status={example['status']}", f"body={json.dumps(example['body'])}")
    assert explained["structuredContent"]["verdict"] == "documented_error" and explained["structuredContent"]["code"] == code
