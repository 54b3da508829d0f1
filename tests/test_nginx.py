"""The shipped nginx configuration (hosting/nginx.conf), run for real: Debian's nginx on
127.0.0.1 over the built site (conftest's ``nginx_site``), checked for negotiation, types,
redirects, 404, discovery headers, compression, the build's security headers, and what it
answers to hostile requests: traversal, symlinks out of the root, odd methods, malformed
request lines, oversized headers, absurd dates, many-part ranges. Every such request gets
an answer, and none returns a byte of the files that lie beside the site root."""

from __future__ import annotations

import gzip
import socket
import time
from urllib.parse import urlsplit

import pytest

from conftest import SITE_CODE, Built, Nginx, http_get, page_link_header, published_headers, twin_link_header

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def nginx(nginx_site: Nginx) -> str:
    return nginx_site.base


def _get(url: str, **headers: str):
    """nginx answers as it is, redirects included."""
    return http_get(url, follow=False, **headers)


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_markdown_at_every_page_address(nginx: str, agnes_site: Built) -> None:
    twin = (agnes_site.site / "errors" / f"{SITE_CODE}.md").read_bytes()
    for path in (f"/errors/{SITE_CODE}", f"/errors/{SITE_CODE}/"):
        for accept in ("text/markdown", "text/plain", "text/markdown, text/html;q=0.9"):
            status, headers, body = _get(nginx + path, Accept=accept)
            assert (status, headers["Content-Type"], body) == (200, "text/markdown; charset=utf-8", twin), (path, accept)
            assert "Accept" in ", ".join(headers.get_all("Vary"))
    status, headers, body = _get(nginx + "/", Accept="text/markdown")
    assert status == 200 and body == (agnes_site.site / "index.md").read_bytes()


def test_browsers_get_html_with_discovery_links(nginx: str) -> None:
    status, headers, body = _get(nginx + f"/errors/{SITE_CODE}/", Accept=BROWSER)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8" and b"<h1" in body
    assert headers["Link"] == page_link_header(f"/errors/{SITE_CODE}.md")
    assert "Accept" in ", ".join(headers.get_all("Vary"))
    status, headers, _ = _get(nginx + f"/errors/{SITE_CODE}", Accept=BROWSER)
    assert status == 301 and headers["Location"] == f"/errors/{SITE_CODE}/"


def test_pages_and_twins_name_the_index_the_catalog_and_each_other(nginx: str) -> None:
    # The same Link header as `make preview` (tests/test_hosting.py), negotiated Markdown included.
    for path, twin in ((f"/errors/{SITE_CODE}/", f"/errors/{SITE_CODE}.md"), ("/", "/index.md"), ("/guides/retries/", "/guides/retries.md")):
        for accept in (BROWSER, "text/markdown"):
            status, headers, _ = _get(nginx + path, Accept=accept)
            assert status == 200 and headers["Link"] == page_link_header(twin), (path, accept)
        status, headers, _ = _get(nginx + twin)
        assert status == 200 and headers["Link"] == twin_link_header(path), twin
    assert _get(nginx + "/llms.txt")[1].get("Link") is None
    status, headers, body = _get(nginx + "/.well-known/ai-catalog.json")
    assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8" and b'"specVersion"' in body


def test_types_404_discovery_files_and_compression(nginx: str, agnes_site: Built) -> None:
    status, headers, body = _get(nginx + "/llms.txt")
    assert (status, headers["Content-Type"]) == (200, "text/plain; charset=utf-8")
    assert _get(nginx + "/.well-known/llms.txt")[2] == body
    assert _get(nginx + "/robots.txt")[2].startswith(b"User-agent: *\nAllow: /\n")
    assert _get(nginx + "/errors.json")[1]["Content-Type"] == "application/json; charset=utf-8"
    status, headers, body = _get(nginx + "/errors/no_such_code/")
    assert status == 404 and b"<html" in body.lower()
    status, headers, body = _get(nginx + "/llms-full.txt", Accept_Encoding="gzip")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"# ")
    assert "max-age" in _get(nginx + "/")[1]["Cache-Control"]
    # A year for fingerprinted theme assets only: the site's own stylesheet may change under its name.
    assets = sorted((agnes_site.site / "assets").rglob("*.min.css")) + [agnes_site.site / "assets/stylesheets/errdocs.css"]
    lifetimes = {a.name: _get(nginx + "/" + a.relative_to(agnes_site.site).as_posix())[1]["Cache-Control"] for a in assets}
    assert lifetimes.pop("errdocs.css") == "public, max-age=300" and set(lifetimes.values()) == {"public, max-age=31536000, immutable"}


def test_a_folder_address_answers_and_names_no_twin(nginx: str) -> None:
    # /errors/ is the build's redirect page (publish.folders): no twin, so no Link to one.
    for accept in (BROWSER, "text/markdown"):
        status, headers, body = _get(nginx + "/errors/", Accept=accept)
        assert status == 200 and b'http-equiv="refresh"' in body, accept
        assert headers.get("Link") is None and headers["Content-Type"] == "text/html; charset=utf-8", accept
    assert _get(nginx + "/errors", Accept="text/markdown")[:2][0] == 301  # to the folder address, as without Accept
    assert "rel=\"alternate\"" in _get(nginx + f"/errors/{SITE_CODE}/", Accept=BROWSER)[1]["Link"]


# The build's security headers, on every kind of response.


def test_every_response_carries_the_build_headers_once(nginx: str, nginx_site: Nginx) -> None:
    expected = published_headers(nginx_site.site)
    assert "script-src 'self' 'sha256-" in expected["Content-Security-Policy"]
    theme_css = next((nginx_site.site / "assets").rglob("main.*.min.css")).relative_to(nginx_site.site).as_posix()
    responses = {  # path, Accept -> status
        ("/", BROWSER): 200,
        (f"/errors/{SITE_CODE}/", BROWSER): 200,
        (f"/errors/{SITE_CODE}/", "text/markdown"): 200,  # the twin, negotiated (@markdown)
        (f"/errors/{SITE_CODE}.md", BROWSER): 200,
        ("/llms.txt", BROWSER): 200,
        ("/.well-known/llms.txt", BROWSER): 200,
        ("/errors.json", BROWSER): 200,
        ("/" + theme_css, BROWSER): 200,
        ("/assets/stylesheets/errdocs.css", BROWSER): 200,
        ("/errors/no_such_code/", BROWSER): 404,
        ("/404.html", BROWSER): 404,
        (f"/errors/{SITE_CODE}", BROWSER): 301,
        ("/errors", "text/markdown"): 301,
    }
    for (path, accept), status in responses.items():
        got, headers, _ = _get(nginx + path, Accept=accept)
        assert got == status, (path, accept, got)
        for name, value in expected.items():
            assert headers.get_all(name) == [value], (path, accept, name, headers.get_all(name))
        assert headers["Server"] == "nginx", (path, headers["Server"])  # server_tokens off: no version


def test_the_header_files_are_never_served(nginx: str) -> None:
    for path in ("/_headers", "/_headers.nginx.conf", "/_headers%2Enginx.conf", "//_headers"):
        status, _, body = _get(nginx + path)
        assert status == 404 and b"add_header" not in body and b"Content-Security-Policy:" not in body, path


# Accept and Accept-Encoding: what nginx can honour.


@pytest.mark.parametrize("accept, markdown", [
    ("text/markdown;q=0, text/html", False),
    ("text/html, text/markdown;q=0", False),
    ("text/markdown; q=0.0, text/plain", False),  # Markdown refused: the twin is text/markdown
    ("TEXT/MARKDOWN;Q=0", False),
    ("text/markdown;charset=utf-8;q=0.000, */*", False),
    ("text/plain;q=0, text/html", False),
    ("text/html;q=0, text/markdown", True),
    ("text/plain;q=0, text/markdown", True),
    ("text/html;q=0, text/plain", True),
    ("text/markdown;q=0.001", True),  # not zero
    ("text/markdown, text/html;q=0.9", True),
    ("text/markdownish, text/html", False),  # another type
    ("", False), ("*/*", False), (",,;;=q", False), ("text/markdown;q=", True),
])
def test_q_zero_is_refused(nginx: str, accept: str, markdown: bool) -> None:
    status, headers, _ = _get(nginx + f"/errors/{SITE_CODE}/", Accept=accept)
    wanted = "text/markdown; charset=utf-8" if markdown else "text/html; charset=utf-8"
    assert (status, headers["Content-Type"]) == (200, wanted), accept


@pytest.mark.parametrize("accept_encoding, gzipped", [
    ("gzip", True), ("GZIP", True), ("deflate, gzip;q=0.5", True), ("identity;q=0, gzip", True),
    ("gzip;q=0", False), ("deflate", False), ("br", False), ("identity", False),
    # nginx reads only a `gzip` token: `*` gets the identity encoding, which RFC 9110 12.5.3 allows.
    ("*", False), ("*;q=0", False),
])
def test_gzip_only_where_nginx_reads_it(nginx: str, accept_encoding: str, gzipped: bool) -> None:
    status, headers, body = _get(nginx + "/llms-full.txt", Accept_Encoding=accept_encoding)
    assert status == 200 and (headers.get("Content-Encoding") == "gzip") == gzipped, accept_encoding
    assert (gzip.decompress(body) if gzipped else body).startswith(b"# ")


# Ranges.


def test_one_range_is_served_and_many_get_the_whole_file(nginx: str, nginx_site: Nginx) -> None:
    whole = (nginx_site.site / "llms-full.txt").read_bytes()
    status, headers, body = _get(nginx + "/llms-full.txt", Range="bytes=0-9")
    assert (status, body, headers["Content-Range"]) == (206, whole[:10], f"bytes 0-9/{len(whole)}")
    for parts in (2, 200):
        ranges = ",".join(f"{i * 10}-{i * 10 + 1}" for i in range(parts))
        status, headers, body = _get(nginx + "/llms-full.txt", Range="bytes=" + ranges)
        assert (status, body) == (200, whole) and "multipart" not in headers["Content-Type"], parts
    assert _get(nginx + "/llms-full.txt", Range=f"bytes={len(whole) + 10}-")[0] == 416


# Hostile requests, sent as raw bytes: every one is answered, none reaches outside the root.


def _raw(base: str, request: bytes, *, seconds: float = 10.0, limit: int = 4_000_000) -> bytes:
    """Send ``request`` as is and read the answer until nginx closes (bounded in time and size)."""
    parts = urlsplit(base)
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    with socket.create_connection((parts.hostname, parts.port), timeout=seconds) as sock:
        sock.sendall(request)
        while time.monotonic() < deadline and sum(map(len, chunks)) < limit:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def _request(target: bytes, method: bytes = b"GET", *, headers: bytes = b"") -> bytes:
    return method + b" " + target + b" HTTP/1.1\r\nHost: docs.test\r\nConnection: close\r\n" + headers + b"\r\n"


def _status(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer.split(b" ", 2)[1])


def _answered_inside(nginx_site: Nginx, request: bytes) -> int:
    """The status nginx answers ``request`` with, once checked that it answered with nothing from outside the root."""
    answer = _raw(nginx_site.base, request)
    assert nginx_site.sentinel not in answer, request[:300]
    return _status(answer)


TRAVERSALS = [
    b"/../outside.txt", b"/%2e%2e/outside.txt", b"/%2E%2E/outside.txt", b"/.%2e/outside.txt", b"/..%2foutside.txt",
    b"/%2e%2e%2foutside.txt", b"/errors/..%2f..%2foutside.txt", b"/errors/%2e%2e/%2e%2e/outside.txt",
    b"//../outside.txt", b"/./../outside.txt", b"/..\\outside.txt", b"/%5c..%5coutside.txt", b"/..;/outside.txt",
    b"/outside.txt%00.html", b"/%00/../outside.txt", b"/errors/%2e%2e/%2e%2e/outside", b"/%2e%2e/outside",
    b"/escape.txt", b"/escape.md", b"/escape", b"/escape-dir/outside.txt", b"/escape-dir/site/index.html",
    b"/" + b"a" * 300, b"/" + b"%2e%2e/" * 50 + b"outside.txt", b"/" + b"a/" * 2000, b"/errors/" + b"x" * 5000,
    b"http://docs.test/../outside.txt", b"/?../../outside.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=lambda t: t[:40].decode("latin-1"))
@pytest.mark.parametrize("accept", [b"text/html", b"text/markdown"])
def test_traversal_and_symlinks_stay_inside_the_root(nginx_site: Nginx, target: bytes, accept: bytes) -> None:
    status = _answered_inside(nginx_site, _request(target, headers=b"Accept: " + accept + b"\r\n"))
    assert status >= 300 or target.startswith(b"/?"), (target, status)  # the query is no path: the home page


def test_the_symlinks_are_there_to_be_refused(nginx_site: Nginx) -> None:
    # The checks above are real: the links resolve to the files beside the root.
    assert (nginx_site.site / "escape.txt").read_bytes() == nginx_site.sentinel
    assert (nginx_site.site / "escape-dir" / "outside.md").read_bytes() == nginx_site.sentinel


@pytest.mark.parametrize("method", [b"HEAD", b"POST", b"PUT", b"DELETE", b"OPTIONS", b"TRACE", b"PATCH", b"CONNECT",
                                    b"PROPFIND", b"FOO", b"get", b"G\x00T"])
def test_every_method_is_answered(nginx_site: Nginx, method: bytes) -> None:
    body = b"Content-Length: 5\r\n" if method in (b"POST", b"PUT", b"PATCH") else b""
    request = _request(b"/escape.txt", method, headers=body) + (b"hello" if body else b"")
    status = _answered_inside(nginx_site, request)
    assert status >= 400, (method, status)


@pytest.mark.parametrize("request_line", [
    b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", b" / HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\n\r\n", b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n", b"GET /\x7f\xff HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\n\tfolded: line\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
    b"GET / HTTP/1.1\nHost: x\nConnection: close\n\n",  # bare LFs (closed after the answer, not kept alive)
    b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
    b"GET /../outside.txt HTTP/1.0\r\n\r\n",
])
def test_malformed_request_lines_are_answered(nginx_site: Nginx, request_line: bytes) -> None:
    _answered_inside(nginx_site, request_line)


def test_http_0_9_is_answered_from_inside(nginx_site: Nginx) -> None:
    for target in (b"/", b"/../outside.txt", b"/escape.txt"):
        answer = _raw(nginx_site.base, b"GET " + target + b"\r\n")
        assert answer and nginx_site.sentinel not in answer, target


@pytest.mark.parametrize("headers", [
    b"X-Big: " + b"a" * 100_000 + b"\r\n",  # beyond large_client_header_buffers
    b"Cookie: " + b"c=1; " * 3000 + b"\r\n",
    b"".join(b"X-H%d: v\r\n" % i for i in range(1_000)),
    b"".join(b"X-H%d: v\r\n" % i for i in range(20_000)),
    b"Accept: " + b"text/markdown;q=0, " * 400 + b"text/html\r\n",
    b"Accept: \x01\xff\xfe text/markdown\r\n",
    b"Accept-Encoding: " + b"gzip;q=0, " * 400 + b"*\r\n",
    b"Range: bytes=" + b",".join(b"%d-%d" % (i, i) for i in range(2_000)) + b"\r\n",
    b"Range: bytes=-0\r\n", b"Range: bytes=99999999999999999999-\r\n", b"Range: pages=1-2\r\n",
])
def test_huge_many_and_odd_headers_are_answered(nginx_site: Nginx, headers: bytes) -> None:
    status = _answered_inside(nginx_site, _request(f"/errors/{SITE_CODE}/".encode(), headers=headers))
    assert status in (200, 206, 400, 416, 494), status


@pytest.mark.parametrize("date", [b"Fri, 31 Dec 99999 23:59:59 GMT", b"Thu, 01 Jan 1970 00:00:00 GMT", b"0", b"-1",
                                  b"Sun, 06 Nov 1994 08:49:37 GMT", b"yesterday", b"\xff\xfe", b"Sat, 01 Jan 2000 00:00:00 GMT" * 300])
@pytest.mark.parametrize("header", [b"If-Modified-Since", b"If-Unmodified-Since", b"If-Range"])
def test_absurd_dates_are_answered(nginx_site: Nginx, header: bytes, date: bytes) -> None:
    extra = header + b": " + date + b"\r\n" + (b"Range: bytes=0-9\r\n" if header == b"If-Range" else b"")
    status = _answered_inside(nginx_site, _request(b"/llms.txt", headers=extra))
    assert status in (200, 206, 304, 412) or (status == 400 and len(date) > 8192), (header, date, status)  # 8 KB: the header buffer
