"""`make preview` probed as an attacker or a broken client would: raw requests on 127.0.0.1
against a copy of the built site with a sentinel file just outside its root, symlinks out
of it and a hand-written ``_headers``. Every request must be answered with a status line,
and no byte from outside the site may ever come back."""

from __future__ import annotations

import email.utils
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from conftest import ROOT, SITE_CODE, Built, free_port, http_get, stop, wait_for_http
from errdocs.tools.preview import REQUEST_TIMEOUT

pytestmark = pytest.mark.build

MARKER = f"errdocs-sentinel-{uuid.uuid4().hex}".encode()
"""Written only in files outside the served root: no response may contain it."""


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'sha256-AAAA'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HEADERS_FILE = (
    "# Written by hand for these probes, in the Netlify / Cloudflare Pages format.\n"
    "/*\n" + "".join(f"  {name}: {value}\n" for name, value in SECURITY_HEADERS.items())
    + "\n/*.md\n  X-Only-For-Markdown: yes\n"
)


@pytest.fixture(scope="module")
def outside(agnes_site: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding sentinel files and, below it, ``site/``: a copy of the built site with
    symlinks out of it (and one inside it) and a ``_headers`` file."""
    outer = tmp_path_factory.mktemp("outside")
    for name in ("secret.md", "secret", "secret.html", "index.html", "index.md", "README.md"):
        (outer / name).write_bytes(b"# outside the site\n" + MARKER + b"\n")
    site = outer / "site"
    shutil.copytree(agnes_site.site, site)
    (site / "_headers").write_text(HEADERS_FILE, encoding="utf-8")
    (site / "leak.md").symlink_to("../secret.md")  # a twin pointing out of the root
    (site / "leak.html").symlink_to(outer / "secret.html")
    (site / "errors" / "escape").symlink_to("../..")  # a folder pointing out of the root
    (site / "loop").symlink_to("loop")
    (site / "inside.md").symlink_to("index.md")  # stays in the root: served, as nginx does
    return outer


@pytest.fixture(scope="module")
def server(outside: Path):
    """The preview over ``outside/site`` (``(port, start line)``); stopped by PID."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "errdocs", "preview", str(outside / "site"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
    )
    try:
        start_line = proc.stdout.readline()  # printed before serving; EOF if the server fails
        wait_for_http(f"http://127.0.0.1:{port}/")
        yield port, start_line
    finally:
        stop(proc)
        proc.stdout.close()


def exchange(port: int, request: bytes, *, timeout: float = 10.0) -> bytes:
    """Send ``request`` as is, close our side, and return every byte the server sends back."""
    chunks = []
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    response = b"".join(chunks)
    assert MARKER not in response, request[:200]
    return response


def parse(response: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lowercase names) and body of one HTTP/1.x response; fails if there is none."""
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    match = re.fullmatch(r"HTTP/1\.[01] (\d{3})( .*)?", lines[0])
    assert match, f"no status line in the answer: {response[:120]!r}"
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return int(match[1]), headers, body


def request(port: int, target: str | bytes, *headers: str, method: bytes = b"GET") -> tuple[int, dict[str, str], bytes]:
    """One raw request (the target sent byte for byte, as ``curl --path-as-is``), parsed."""
    raw_target = target.encode("latin-1") if isinstance(target, str) else target
    lines = [method + b" " + raw_target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    lines += [h.encode("latin-1") for h in headers]
    return parse(exchange(port, b"\r\n".join(lines) + b"\r\n\r\n"))


# --- the site root holds -----------------------------------------------------------------

TRAVERSALS = [
    "/../secret", "/../secret.md", "/../../secret.md", "/../README", "/errors/../../secret.md",
    "/%2e%2e/secret", "/%2E%2E/secret.md", "/.%2e/secret", "/%2e./secret.md", "/..%2fsecret", "/%2e%2e%2fsecret.md",
    "/errors/..%2f..%2fsecret", "/errors/%2e%2e/%2e%2e/secret.md", "/..\\secret", "/..%5csecret.md", "/errors\\..\\..\\secret",
    "/%00/../secret", "/index.md%00.html", "/errors%00", "/..%00/secret", "//../secret.md", "/./../secret.md",
    "/%252e%252e/secret.md", "http://127.0.0.1/../secret.md", "/leak", "/leak.md", "/leak.html", "/loop",
    "/errors/escape/secret", "/errors/escape/secret.md", "/errors/escape/", "/errors/escape", "/errors/escape/index.md",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_traversal_in_every_form_gets_400_or_404_and_nothing_from_outside(server, target: str) -> None:
    port, _ = server
    for accept in ("Accept: text/markdown", "Accept: text/html", "Accept: */*"):
        status, _, _ = request(port, target, accept)  # `exchange` asserts the sentinel never comes back
        assert status in (400, 404), (target, accept, status)


def test_symlinks_inside_the_root_and_clean_paths_are_served(server) -> None:
    port, _ = server
    assert request(port, "/inside.md")[0] == 200
    for target in (f"/errors/%2e%2e/errors/{SITE_CODE}/", f"/errors/./{SITE_CODE}/", f"/guides/../errors/{SITE_CODE}/",
                   f"/errors%2f{SITE_CODE}/"):
        status, headers, body = request(port, target)
        assert status == 200 and headers["content-type"].startswith("text/html") and b"<h1" in body, target
    status, headers, _ = request(port, f"/guides/../errors/{SITE_CODE}")
    assert status == 301 and headers["location"] == f"/errors/{SITE_CODE}/"  # the normalised address


def test_long_segments_and_long_request_lines_are_answered(server) -> None:
    port, _ = server
    for target in ("/" + "a" * 256, "/" + "a" * 256 + ".md", "/errors/" + "b" * 300, "/" + "c/" * 3000, "/" + "%41" * 300):
        for accept in ("Accept: text/markdown", "Accept: text/html"):
            assert request(port, target, accept)[0] == 404, (target[:20], accept)
    assert request(port, "/" + "d" * 70_000)[0] == 414


# --- every malformed request is answered -------------------------------------------------

@pytest.mark.parametrize("raw, statuses", [
    (b"GARBAGE\r\n\r\n", {400}),
    (b"GET\r\n\r\n", {400}),
    (b"GET / HTTP/1.1 extra\r\n\r\n", {400}),
    (b"GET / HTTX/1.1\r\n\r\n", {400}),
    (b"GET / HTTP/1.1.1\r\n\r\n", {400}),
    (b"GET / HTTP/9.9\r\n\r\n", {505}),
    (b"GET /\r\n\r\n", {400}),  # HTTP/0.9: no status line or headers could be sent back
    (b"\r\n\r\n", {400}),
    (b"GET noslash HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    (b"GET * HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    (b"GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    (b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(range(32)) + b"\r\n\r\n", {400}),  # a TLS hello
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"x" * 70_000 + b"\r\n\r\n", {431}),
    (b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(150)) + b"\r\n", {431}),
])
def test_malformed_requests_are_answered(server, raw: bytes, statuses: set[int]) -> None:
    port, _ = server
    status, headers, _ = parse(exchange(port, raw))
    assert status in statuses and headers.get("connection") == "close", raw[:40]


@pytest.mark.parametrize("since", [
    "Mon, 01 Jan 2024 00:00:00 +99999999999999", "Mon, 01 Jan 2024 00:00:00 -99999999", "Mon, 01 Jan 99999 00:00:00 GMT",
    "Tue, 31 Feb 2024 25:61:61 GMT", "garbage", "0", "Mon, 01 Jan 2024 00:00:00", "\x7f\x80\xff",
])
def test_absurd_dates_are_ignored(server, since: str) -> None:
    port, _ = server
    status, _, body = request(port, f"/errors/{SITE_CODE}/", f"If-Modified-Since: {since}")
    assert status == 200 and b"<h1" in body, since


@pytest.mark.parametrize("method, status", [
    (b"POST", 405), (b"PUT", 405), (b"DELETE", 405), (b"PATCH", 405), (b"OPTIONS", 405), (b"TRACE", 405),
    (b"CONNECT", 405), (b"FOO", 501), (b"get", 501), (b"PROPFIND", 501),
])
def test_other_methods_are_refused_with_allow(server, method: bytes, status: int) -> None:
    port, _ = server
    raw = method + b" / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
    got, headers, _ = parse(exchange(port, raw))
    assert (got, headers.get("allow")) == (status, "GET, HEAD"), method


# --- headers: the site's own, and no version ---------------------------------------------

def test_every_response_carries_the_site_headers_and_names_no_version(server) -> None:
    port, _ = server
    answers = {
        "page": request(port, f"/errors/{SITE_CODE}/"),
        "twin": request(port, f"/errors/{SITE_CODE}", "Accept: text/markdown"),
        "twin file": request(port, f"/errors/{SITE_CODE}.md"),
        "llms.txt": request(port, "/llms.txt", "Accept-Encoding: gzip"),
        "404": request(port, "/no/such/page/"),
        "301": request(port, f"/errors/{SITE_CODE}"),
        "304": request(port, "/llms.txt", f"If-Modified-Since: {email.utils.formatdate(time.time(), usegmt=True)}"),
        "400": request(port, "/../secret"),
        "405": request(port, "/", method=b"POST"),
        "HEAD": request(port, "/", method=b"HEAD"),
        "bad line": parse(exchange(port, b"GARBAGE\r\n\r\n")),
    }
    assert [answers[k][0] for k in ("page", "404", "301", "304", "400", "405", "HEAD")] == [200, 404, 301, 304, 400, 405, 200]
    for what, (_, headers, _) in answers.items():
        assert {name: headers.get(name.lower()) for name in SECURITY_HEADERS} == SECURITY_HEADERS, what
        assert "x-only-for-markdown" not in headers, what  # only the `/*` block applies
        server_name = headers.get("server", "")
        assert not re.search(r"\d|python", server_name, re.I), (what, server_name)


def test_the_headers_file_itself_is_never_served(server) -> None:
    port, _ = server
    for target in ("/_headers", "/%5fheaders", "/./_headers", "/errors/../_headers", "/_headers/", "/_HEADERS"):
        status, _, body = request(port, target)
        assert status == 404 and b"Content-Security-Policy" not in body, target


def test_the_start_line_says_local_use_only_and_names_a_real_host(server) -> None:
    _, start_line = server
    assert "local use only" in start_line and "hosting/nginx.conf" in start_line, start_line


# --- negotiation, encodings, ranges ------------------------------------------------------

@pytest.mark.parametrize("accept, markdown", [
    ("text/markdown;q=0, text/html", False), ("text/markdown;q=0", False), ("text/markdown; q=0.000", False),
    ("text/markdown;Q=0, */*", False), ("text/plain;q=0, text/markdown;q=0, */*", False), ("*", False),
    ("", False), ("garbage,,;;q=", False), ("text/markdown;q=nan", False), ("text/markdown;q=inf", False),
    ("text/markdown;q=-1", False), ("text/markdown;q=2", False), ("text/markdown;q=0.001", True),
    ("text/html;q=0, text/markdown;q=0.1", True), ("TEXT/MARKDOWN", True), ("*/*;q=0.1, text/markdown", True),
])
def test_accept_edge_cases(server, accept: str, markdown: bool) -> None:
    port, _ = server
    status, headers, body = request(port, f"/errors/{SITE_CODE}/", f"Accept: {accept}")
    assert status == 200 and "Accept" in headers["vary"], accept
    wanted = "text/markdown; charset=utf-8" if markdown else "text/html; charset=utf-8"
    assert headers["content-type"] == wanted, accept


@pytest.mark.parametrize("encoding, gzipped", [
    ("gzip;q=0", False), ("*", True), ("", False), ("garbage", False), ("gzip;q=nan", False), ("GZIP", True),
    ("gzip;q=0.5, *;q=0", True), ("identity;q=0", False), (",,,;", False),
])
def test_accept_encoding_edge_cases(server, encoding: str, gzipped: bool) -> None:
    port, _ = server
    status, headers, _ = request(port, "/llms.txt", f"Accept-Encoding: {encoding}")
    assert status == 200 and (headers.get("content-encoding") == "gzip") is gzipped, encoding


def test_ranges_are_ignored_so_a_multipart_range_gets_the_whole_file(server, outside: Path) -> None:
    port, _ = server
    whole = (outside / "site" / "llms.txt").read_bytes()
    many = "bytes=" + ",".join(f"{i}-{i}" for i in range(200))
    for value in ("bytes=0-0", "bytes=0-10,20-30", many, "bytes=-1", "bytes=garbage"):
        status, headers, body = request(port, "/llms.txt", f"Range: {value}")
        assert (status, body) == (200, whole) and "content-range" not in headers, value[:30]


# --- slow and many clients ---------------------------------------------------------------

def _closed_after(sock: socket.socket, limit: float) -> tuple[float, bytes]:
    """Seconds until the server closes ``sock`` (at most ``limit``), and what it sent before."""
    start, received = time.monotonic(), b""
    sock.settimeout(0.25)
    while time.monotonic() - start < limit:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
    return time.monotonic() - start, received


def test_slow_and_idle_clients_block_no_one_and_are_closed_in_time(server) -> None:
    port, _ = server
    idle = socket.create_connection(("127.0.0.1", port))
    kept = socket.create_connection(("127.0.0.1", port))  # kept alive after one answer, then silent
    kept.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    half = socket.create_connection(("127.0.0.1", port))
    half.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
    trickle = socket.create_connection(("127.0.0.1", port))
    stop_trickling = threading.Event()

    def drip() -> None:  # one byte a second, never a whole request: only a deadline ends it
        for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"s" * 60:
            if stop_trickling.wait(1.0):
                return
            try:
                trickle.send(bytes([byte]))
            except OSError:
                return

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        for _ in range(10):  # the others are served at once meanwhile
            started = time.monotonic()
            assert http_get(f"http://127.0.0.1:{port}/llms.txt")[0] == 200
            assert time.monotonic() - started < 1.0
        limit = REQUEST_TIMEOUT + 3
        for sock, answers in ((idle, []), (kept, [200]), (half, [408]), (trickle, [408])):
            seconds, received = _closed_after(sock, limit)
            assert seconds < limit, f"still open after {limit} s"
            assert MARKER not in received
            # Nothing asked, nothing answered: an idle socket is closed as nginx closes one.
            assert re.findall(rb"^HTTP/1\.1 (\d{3}) ", received, re.M) == [str(a).encode() for a in answers]
    finally:
        stop_trickling.set()
        dripper.join(timeout=5)
        for sock in (idle, half, trickle):
            sock.close()


def test_pipelined_requests_on_one_connection_are_all_answered(server) -> None:
    port, _ = server
    requests = b"".join(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path for path in (b"/robots.txt", b"/../secret", b"/llms.txt"))
    response = exchange(port, requests + b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert re.findall(rb"^HTTP/1\.1 (\d{3}) ", response, re.M) == [b"200", b"400"]  # a 400 closes the connection


def _burst(port: int, count: int, *, seconds: float) -> tuple[float, int]:
    """Open ``count`` connections at once (non-blocking connects, as fast as the loop runs), then
    send a request on each: seconds until the last answer, and how many got none within ``seconds``."""
    started = time.monotonic()
    socks = []
    for _ in range(count):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))  # in progress: the kernel finishes it or queues it
        socks.append(sock)
    unanswered = 0
    try:
        for sock in socks:
            sock.settimeout(max(started + seconds - time.monotonic(), 0.01))
            try:
                sock.sendall(b"GET /llms.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                unanswered += not re.match(rb"HTTP/1\.[01] 200 ", sock.recv(64))
            except OSError:
                unanswered += 1
    finally:
        for sock in socks:
            sock.close()
    return time.monotonic() - started, unanswered


def test_a_burst_of_64_new_connections_is_served_without_a_stall(server) -> None:
    # A listen backlog of 5 drops the SYNs of such a burst: the client retries after 1 s (then 3, 7...).
    port, _ = server
    for _ in range(3):
        took, unanswered = _burst(port, 64, seconds=10)
        assert unanswered == 0 and took < 1.0, f"{unanswered} unanswered, the last answer after {took:.2f} s"


# --- the address rule ----------------------------------------------------------------------

@pytest.mark.parametrize("target, address", [
    ("/", "/"), ("/a/./b/../c/", "/a/c/"), ("/a/b/..", "/a/"), ("/a//b", "/a/b"), ("/a%2fb?x=1#f", "/a/b"),
    ("/%2e/a", "/a"), ("/a/%2E%2E", "/"), ("http://h/a/../b", "/b"), ("/caf%C3%A9", "/café"),
])
def test_every_target_is_decoded_and_normalised(target: str, address: str) -> None:
    from errdocs.tools.preview import site_address

    assert site_address(target)[0] == address


@pytest.mark.parametrize("target", ["/..", "/a/../..", "/%2e%2e/a", "/a%5cb", "/a%00", "*", "a/b", "http://[::1/", "ftp://h/a"])
def test_a_target_that_names_no_file_of_the_site_is_refused(target: str) -> None:
    from errdocs.tools.preview import BadTarget, site_address

    with pytest.raises(BadTarget):
        site_address(target)


# --- the `_headers` reader ---------------------------------------------------------------

def test_the_headers_file_reader_keeps_the_all_pages_block_only(tmp_path: Path) -> None:
    from errdocs.tools.preview import site_headers

    assert site_headers(tmp_path) == []  # no file, no extra headers
    (tmp_path / "_headers").write_text(
        "# comment\n/errors/*\n  X-Errors: 1\n/*\n  # an indented comment\n  X-A: 1\n\tX-B:  two words \n"
        "  not a header line\n  Bad Name: x\n  Content-Length: 5\n/*.md\n  X-C: 3\n/*\n  X-D: 4\n",
        encoding="utf-8",
    )
    assert site_headers(tmp_path) == [("X-A", "1"), ("X-B", "two words"), ("X-D", "4")]
    (tmp_path / "_headers").write_text(HEADERS_FILE, encoding="utf-8")
    assert site_headers(tmp_path) == list(SECURITY_HEADERS.items())
