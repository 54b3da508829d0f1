"""``make preview``: serve a built ``site/`` the way a static host does (not ``mkdocs serve``).

For local use only: a real host is nginx (``hosting/nginx.conf``) or a static host. It still
behaves as one, so tests can check what a host must get right:

* ``.md`` twins as ``text/markdown; charset=utf-8``, ``llms.txt`` as ``text/plain; charset=utf-8``,
  JSON as ``application/json``;
* ``/errors/<code>`` (the ``doc_url`` form, no trailing slash; ``/errors/<slug>`` or, for an
  anchor ``doc_url``, ``/errors``, whose fragment never reaches a server) answers with a 301
  to the folder, as GitHub Pages, Netlify and nginx do for a directory;
* unknown paths get ``404.html`` with status 404;
* content negotiation at every page address: ``Accept: text/markdown`` (or ``text/plain``
  preferred over HTML) gets the page's Markdown twin, the ``doc_url`` form included, with
  ``Vary: Accept``; browsers get HTML; ``q=0`` refuses a type;
* every page response names ``llms.txt`` (``rel="llms-txt"`` and llms.txt v2's ``describedby``), the
  page's twin (``alternate``, ``text/markdown``) and ``/.well-known/ai-catalog.json`` (``ai-catalog``) in
  a ``Link`` header, and every twin the index, the manifest and its page (``alternate``, ``text/html``);
* text is gzip-compressed for clients that accept it (``Vary: Accept-Encoding``), and every
  response says how long it may be cached: a year for fingerprinted theme assets, whose
  name changes with their content, five minutes for everything else (as ``hosting/nginx.conf``);
* the headers of the ``/*`` block of ``site/_headers`` (the Netlify / Cloudflare Pages file
  the build writes: the security headers) go with every response; ``_headers`` itself is
  never served, and ``Server`` names no version.

And it is safe to leave running: every address goes through one rule (``site_address`` then
``locate``: percent-decoded, normalised, confined to the site root with symlinks resolved),
every request gets an answer (400, 404, 405, 408, 414, 431, 501...), never a dropped
connection, and no client can hold it: a real listen backlog, a thread per connection, and
deadlines for reading a request and for taking a response.
"""

from __future__ import annotations

import calendar
import email.utils
import functools
import gzip
import html
import http.server
import io
import math
import os
import queue
import re
import stat
import sys
import threading
import time
import traceback
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

CONTENT_TYPES = {
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:css|js)$")
"""Material's theme assets carry a hash of their content in their name (``main.57a0d79d.min.css``)."""
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"

REQUEST_TIMEOUT = 5.0
"""Seconds a connection has to deliver a whole request line and headers, from the moment the
server is ready for it (the connection accepted, or the previous response sent). One deadline
for the whole request, not per read: a client sending a byte now and then would otherwise hold
its thread forever. An idle keep-alive socket is closed after it (Apache's KeepAliveTimeout is
also 5 s), and a client that began a request gets a 408."""
WRITE_TIMEOUT = 30.0
"""Seconds a client has to take a whole response: one that stops reading holds a thread no longer."""
LISTEN_BACKLOG = 511
"""Connections the kernel queues before the server accepts them (nginx's default on Linux). The
standard library's 5 dropped the SYNs of a burst, each retried by the client 1 s later (then 3, 7...)."""
ALLOW = "GET, HEAD"
HEADERS_FILE = "_headers"
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""A field name is an RFC 9110 token: anything else in ``_headers`` could split a response."""
OWN_HEADERS = frozenset({
    "content-length", "transfer-encoding", "connection", "content-encoding", "content-type", "location",
    "date", "server", "last-modified", "cache-control", "vary", "link", "allow",
})
"""Headers the preview sets per response: ``_headers`` repeating one would send it twice."""
MAX_DISCARDED_BODY = 65536
"""A refused request's body read before answering, so the answer is not lost to a TCP reset."""


def cache_control(path: str) -> str:
    """How long a response for URL ``path`` may be cached."""
    return LONG_CACHE if FINGERPRINTED.search(path) else SHORT_CACHE


QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")
"""RFC 9110's ``qvalue``: 0 to 1, three decimals at most (so ``nan``, ``inf``, ``2``, ``-1`` are unreadable)."""


def _qualities(header: str) -> dict[str, float]:
    """The ``q`` of each entry of an ``Accept`` or ``Accept-Encoding`` header, by lowercase name
    (1.0 when not given, 0 when unreadable; a name given twice keeps its highest ``q``)."""
    quality: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                q = float(value.strip()) if QVALUE.fullmatch(value.strip()) else 0.0
        name = name.strip().lower()
        if name:
            quality[name] = max(q, quality.get(name, 0.0))
    return quality


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip: its own entry wins over ``*``, and
    ``q=0`` refuses."""
    quality = _qualities(accept_encoding)
    return quality.get("gzip", quality.get("*", 0.0)) > 0


def wants_markdown(accept: str) -> bool:
    """Whether an ``Accept`` header prefers Markdown (or plain text) to HTML; ``q=0`` refuses a type."""
    quality = _qualities(accept)
    html_q = max(quality.get("text/html", 0.0), quality.get("text/*", 0.0), quality.get("*/*", 0.0))
    markdown = quality.get("text/markdown", 0.0)
    plain = quality.get("text/plain", 0.0)
    return (markdown > 0 and markdown >= html_q) or plain > html_q


def http_date(value: str) -> int | None:
    """Seconds since the epoch of an HTTP date, or None for anything else (RFC 9110: an invalid
    ``If-Modified-Since`` is ignored). HTTP dates are in GMT: another zone makes the date invalid,
    and integer arithmetic keeps an absurd one from overflowing."""
    try:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None or parsed[9] not in (0, None):
            return None
        return calendar.timegm(parsed[:6])
    except (TypeError, ValueError, OverflowError, IndexError):
        return None


# --- the one rule from a request target to a file of the site ----------------------------

class BadTarget(ValueError):
    """A request target that cannot name a file of the site: answered with 400."""


def site_address(target: str) -> tuple[str, str]:
    """The path of a request target, percent-decoded and normalised (``/a/./b/../c/`` is
    ``/a/c/``), and its query. Every answer starts here, so every branch sees the same path.

    Raises ``BadTarget`` for a target that is not a path (``*``, no leading slash), whose
    ``..`` would climb above the root, or that holds a NUL or a backslash (a separator on
    Windows; no name of a built site has one)."""
    if target.startswith("/"):
        path, _, query = target.partition("#")[0].partition("?")
    elif re.match(r"(?i)https?://", target):  # the absolute form, which servers must accept
        try:
            parts = urllib.parse.urlsplit(target)
        except ValueError as err:
            raise BadTarget(f"unreadable target ({err})") from None
        path, query = parts.path or "/", parts.query
    else:
        raise BadTarget("the target is not a path")
    decoded = urllib.parse.unquote(path)
    if "\x00" in decoded or "\\" in decoded:
        raise BadTarget("a NUL or a backslash in the path")
    segments: list[str] = []
    for segment in decoded.split("/"):
        if segment == "..":
            if not segments:
                raise BadTarget("the path climbs above the site root")
            segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    folder = bool(segments) and decoded.endswith(("/", "/.", "/.."))
    return "/" + "/".join(segments) + ("/" if folder else ""), query


@dataclass(frozen=True)
class Found:
    """A file or folder of the site: its real path (inside the root) and its modification time."""

    path: str
    is_dir: bool
    modified: int
    version: tuple[int, int]  # (modification time in ns, size): changes when the file is rebuilt


def locate(root: str, address: str) -> Found | None:
    """What a normalised ``address`` names in the site whose real path is ``root``, symlinks
    resolved; None for what is not there, resolves outside the root, is ``_headers``, is
    neither a file nor a folder, or cannot be looked at (a name over 255 bytes, a symlink loop)."""
    try:
        real = os.path.realpath(os.path.join(root, address.lstrip("/")))
        if (real != root and not real.startswith(root + os.sep)) or real == os.path.join(root, HEADERS_FILE):
            return None
        info = os.stat(real)
    except (OSError, ValueError):
        return None
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        return None  # a FIFO or a device would block or leak: a site has only files and folders
    return Found(real, stat.S_ISDIR(info.st_mode), int(info.st_mtime), (info.st_mtime_ns, info.st_size))


INDEX_LINKS = '</llms.txt>; rel="llms-txt", </llms.txt>; rel="describedby"; type="text/plain", </.well-known/ai-catalog.json>; rel="ai-catalog"'
"""What every page and twin names in its ``Link`` header (RFC 8288): the index, by the older ``llms-txt``
and by llms.txt v2's ``describedby``, and the Agentic Resource Discovery manifest."""


def page_links(twin_address: str) -> str:
    """The ``Link`` header of a page address, HTML or negotiated Markdown: the index, and the page's twin."""
    return f'{INDEX_LINKS}, <{urllib.parse.quote(twin_address)}>; rel="alternate"; type="text/markdown"'


def twin_links(page_address: str) -> str:
    """The ``Link`` header of a twin asked for by its ``.md`` address: the index, and the page it is the text of."""
    return f'{INDEX_LINKS}, <{urllib.parse.quote(page_address)}>; rel="alternate"; type="text/html"'


def page_of(address: str) -> str | None:
    """The page address of the twin at ``address`` (``/errors/x.md`` -> ``/errors/x/``, ``/index.md`` -> ``/``);
    None for any other address. The reverse of ``twin_of``."""
    if not address.endswith(".md") or address.endswith("/.md"):
        return None
    stem = address[: -len(".md")]
    return "/" if stem == "/index" else stem + "/"


def twin_of(address: str) -> str | None:
    """The address of the Markdown twin of the page at ``address`` (``/errors/x``, ``/errors/x/``,
    ``/``); None for a file's address (a dot in its last segment)."""
    stem = address.strip("/")
    if "." in stem.rsplit("/", 1)[-1]:
        return None
    return f"/{stem}.md" if stem else "/index.md"


@functools.lru_cache(maxsize=256)
def gzipped_file(path: str, version: tuple[int, int]) -> bytes:
    """A file's bytes gzip-compressed, once per ``version`` of it: compressing a page or a
    stylesheet takes 1 to 5 ms, more than the rest of an answer. ``mtime=0``: the same bytes every time."""
    with open(path, "rb") as file:
        return gzip.compress(file.read(), compresslevel=6, mtime=0)


def site_headers(site: Path) -> list[tuple[str, str]]:
    """The headers the ``/*`` block of ``site/_headers`` gives every response, read once at start.

    The Netlify / Cloudflare Pages format: a line without indentation names a URL pattern and
    starts its block, indented ``Name: value`` lines follow, ``#`` starts a comment. Only ``/*``
    applies to every address, so only it is read; a missing file gives no headers, and a line
    that could not be sent as is (not a header, a bad name, a header the preview sets itself)
    is skipped with a warning."""
    path = site / HEADERS_FILE
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    headers, in_block = [], False
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace():
            in_block = stripped == "/*"
        elif in_block and (header := _header_line(stripped)):
            headers.append(header)
        elif in_block:
            print(f"preview: {path}:{number}: skipped, not a header the preview can send: {stripped[:80]!r}", file=sys.stderr)
    return headers


def _header_line(line: str) -> tuple[str, str] | None:
    name, colon, value = line.partition(":")
    name, value = name.strip(), value.strip()
    if not colon or not HEADER_NAME.fullmatch(name) or name.lower() in OWN_HEADERS:
        return None
    if not value or not value.isascii() or not value.isprintable():
        return None
    return name, value


# --- reading requests within a deadline ----------------------------------------------------

class DeadlineReader(io.RawIOBase):
    """A socket's reads, each allowed only what is left of the current request's time."""

    def __init__(self, sock) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self._sock = sock
        self.deadline = math.inf
        self.received = 0
        self.expired = False

    def start(self, seconds: float) -> None:
        """A new request may arrive: it has ``seconds`` in all."""
        self.deadline, self.received, self.expired = time.monotonic() + seconds, 0, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("no complete request in time")
        self._sock.settimeout(max(left, 0.001))  # never 0: that would make the socket non-blocking
        try:
            count = self._sock.recv_into(buffer)
        except TimeoutError:
            self.expired = True
            raise
        self.received += count
        return count


class StaticSiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}
    protocol_version = "HTTP/1.1"  # keep-alive: every response has a Content-Length
    default_request_version = "HTTP/1.0"  # an unreadable first line still gets a status line (HTTP/0.9 has none)
    disable_nagle_algorithm = True  # headers and body go in two writes: Nagle would hold the body for an ACK
    server: PreviewServer

    def version_string(self) -> str:
        return "errdocs-preview"  # no version: nothing to look up in a list of vulnerabilities

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # replaced by one whose reads share the request's deadline
        self._reader = DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self._reader)

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionError:
            pass  # the client went away: there is no one left to answer

    def handle_one_request(self) -> None:
        # Nothing read yet: an early error must not answer with the last request's headers or method.
        self.headers, self.command, self.requestline = self.MessageClass(), "", ""
        self.request_version = self.default_request_version
        self._answered = False
        self._reader.start(REQUEST_TIMEOUT)
        super().handle_one_request()
        if self._reader.expired and self._reader.received and not self._answered:
            self.send_error(408)  # a request was begun but not finished in time; an idle socket is just closed

    def parse_request(self) -> bool:
        if not super().parse_request():
            if not self.requestline.split():
                self.send_error(400, "Empty request line")  # the standard library closes without a word
            return False
        if len(self.requestline.split()) == 2:
            self.send_error(400, "HTTP/0.9 is not served")  # it has no status line or headers to send
            return False
        if "Content-Length" in self.headers or "Transfer-Encoding" in self.headers:
            self.close_connection = True  # a body nobody reads would be taken for the next request
        return True

    def do_GET(self) -> None:
        try:
            self._answer()
        except Exception:
            if self._answered:
                raise  # mid-response: closing the connection is all that is left
            self.log_error("answering %r failed:\n%s", self.path, traceback.format_exc())
            self.send_error(500)  # a bug still gets an answer, not a dropped connection

    do_HEAD = do_GET  # _respond sends no body to HEAD

    def _refuse(self) -> None:
        self.send_error(405)

    # Known methods a static site does not take get 405 (RFC 9110 15.5.6); others, 501 (handle_one_request).
    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse

    def _answer(self) -> None:
        try:
            address, query = site_address(self.path)
        except BadTarget as err:
            return self.send_error(400, str(err))
        root = self.server.root
        twin_address = twin_of(address)
        twin = locate(root, twin_address) if twin_address else None
        if twin is not None and twin.is_dir:
            twin = None
        if twin is not None and wants_markdown(self.headers.get("Accept", "")):
            return self._send_file(twin, address, vary="Accept", link=page_links(twin_address))  # type: ignore[arg-type]
        found = locate(root, address)
        if found is not None and found.is_dir:
            if not address.endswith("/"):
                return self._redirect(address + "/", query)
            found = locate(root, address + "index.html")  # never a listing of the folder
        if found is None or found.is_dir:
            return self.send_error(404)
        # The page's Markdown (or a twin's page) and the site's index, for agents that read headers (RFC 8288).
        link = ""
        if twin is not None:
            link = page_links(twin_address)  # type: ignore[arg-type]
        elif (page := page_of(address)) is not None and locate(root, page + "index.html") is not None:
            link = twin_links(page)
        self._send_file(found, address, vary="Accept" if twin else "", link=link)

    def _send_file(self, found: Found, address: str, *, vary: str = "", link: str = "") -> None:
        content_type = self.guess_type(found.path)
        if self._unchanged_since(found.modified):
            return self._respond(304, b"", content_type, url=address, vary=vary, link=link, modified=found.modified)
        try:
            with open(found.path, "rb") as file:
                body = file.read()
        except OSError:
            return self.send_error(404)  # gone or unreadable since it was located
        self._respond(200, body, content_type, url=address, vary=vary, link=link, modified=found.modified, source=found)

    def _redirect(self, address: str, query: str) -> None:
        location = urllib.parse.quote(address) + ("?" + urllib.parse.quote(query, safe="/?:@!$&'()*+,;=%") if query else "")
        self._respond(301, b"", None, headers=[("Location", location)])

    def _unchanged_since(self, modified: int) -> bool:
        """Whether the client's copy (``If-Modified-Since``) is still current: it then gets a 304."""
        since = http_date(self.headers.get("If-Modified-Since", ""))
        return since is not None and modified <= since

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors take the same way out as pages: the site's headers, no version, and
        ``404.html`` for a 404. Any other error closes the connection."""
        if code == 404 and (page := locate(self.server.root, "/404.html")) is not None:
            with open(page.path, "rb") as file:
                return self._respond(404, file.read(), CONTENT_TYPES[".html"], source=page)
        self.log_error("code %d, message %s", code, message)
        if code in (405, 501):
            self._discard_body()
        short, long = self.responses.get(code, ("Error", ""))
        body = self.error_message_format % {
            "code": code, "message": html.escape(message or short, quote=False), "explain": html.escape(explain or long, quote=False),
        }
        allow = [("Allow", ALLOW)] if code in (405, 501) else []
        self._respond(code, body.encode("utf-8", "replace"), self.error_content_type, headers=allow, close=True)

    def _discard_body(self) -> None:
        length = self.headers.get("Content-Length", "")
        if length.isdigit() and int(length) <= MAX_DISCARDED_BODY:
            try:
                self.rfile.read(int(length))
            except OSError:
                pass  # still answered; the connection closes after it anyway

    def _respond(self, status: int, body: bytes, content_type: str | None, *, url: str = "", vary: str = "",
                 link: str = "", modified: int | None = None, headers: list[tuple[str, str]] | None = None,
                 close: bool = False, source: Found | None = None) -> None:
        """Send ``body`` (compressed when the client accepts it) with every header it needs; the
        one way out for every response. No body for HEAD and 304; ``source``, the file ``body`` was
        read from, lets its compressed bytes be reused."""
        vary_on = [vary] if vary else []
        compressed = False
        if content_type and content_type.startswith(COMPRESSIBLE):
            vary_on.append("Accept-Encoding")
            if body and accepts_gzip(self.headers.get("Accept-Encoding", "")):
                body = gzipped_file(source.path, source.version) if source else gzip.compress(body, mtime=0)
                compressed = True
        self._answered = True
        self.connection.settimeout(WRITE_TIMEOUT)
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        if modified is not None:
            self.send_header("Last-Modified", self.date_time_string(modified))
        self.send_header("Cache-Control", cache_control(url) if status in (200, 304) else "no-cache")
        if vary_on:
            self.send_header("Vary", ", ".join(vary_on))
        if link:
            self.send_header("Link", link)
        for name, value in [*(headers or []), *self.server.site_headers]:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if body and status != 304 and self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib signature)
        sys.stderr.write(f"preview: {self.address_string()} {format % args}\n")


class PreviewServer(http.server.ThreadingHTTPServer):
    """A thread per open connection, in daemon threads (Ctrl+C waits for no client), behind a real
    listen backlog; the site's root and ``_headers`` read once.

    Threads are reused: starting one per connection made the accept loop wait until each new
    thread ran, which held the server to half the requests per second at 64 clients
    (``bench/load.py``). There are as many as connections were ever open at once."""

    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True

    def __init__(self, site: Path, *, port: int, host: str = "127.0.0.1") -> None:
        self.root = os.path.realpath(site)
        self.site_headers = site_headers(site)
        self._connections: queue.SimpleQueue = queue.SimpleQueue()
        self._idle_threads = threading.Semaphore(0)
        super().__init__((host, port), functools.partial(StaticSiteHandler, directory=self.root))

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """Hand the connection to an idle thread, or to a new one when none is idle."""
        if not self._idle_threads.acquire(blocking=False):
            threading.Thread(target=self._serve_connections, daemon=self.daemon_threads).start()
        self._connections.put((request, client_address))

    def _serve_connections(self) -> None:
        while True:
            request, client_address = self._connections.get()
            self.process_request_thread(request, client_address)  # answers, then closes, the connection
            self._idle_threads.release()


def serve(site: Path, *, port: int) -> int:
    if not (site / "index.html").is_file():
        print(f"preview: {site}/index.html not found; run `make build` first", file=sys.stderr)
        return 1
    server = PreviewServer(site, port=port)
    print(f"preview: serving {site} on http://127.0.0.1:{port}/ for local use only; to publish the site, use nginx "
          "(hosting/nginx.conf) or a static host (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
