"""``make preview``: serve a built ``site/`` the way a static host does (not ``mkdocs serve``).

What a host must get right, and what this server does, so tests can check it:

* ``.md`` twins as ``text/markdown; charset=utf-8``, ``llms.txt`` as ``text/plain; charset=utf-8``,
  JSON as ``application/json``;
* ``/errors/<code>`` (the ``doc_url`` form, no trailing slash) answers with a 301 to
  ``/errors/<code>/``, as GitHub Pages, Netlify and nginx do for a directory;
* unknown paths get ``404.html`` with status 404;
* content negotiation at every page address: ``Accept: text/markdown`` (or ``text/plain``
  preferred over HTML) gets the page's Markdown twin, the ``doc_url`` form included, with
  ``Vary: Accept``; browsers get HTML;
* every page response names ``llms.txt`` and the page's twin in a ``Link`` header;
* text is gzip-compressed for clients that accept it (``Vary: Accept-Encoding``), and every
  response says how long it may be cached: a year for fingerprinted theme assets, whose
  name changes with their content, five minutes for everything else (as ``hosting/nginx.conf``).
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import io
import re
import sys
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


def cache_control(path: str) -> str:
    """How long a response for URL ``path`` may be cached."""
    return LONG_CACHE if FINGERPRINTED.search(path) else SHORT_CACHE


def _qualities(header: str) -> dict[str, float]:
    """The ``q`` of each entry of an ``Accept`` or ``Accept-Encoding`` header, by lowercase name
    (1.0 when not given, 0 when unreadable; a name given twice keeps its highest ``q``)."""
    quality: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        name = name.strip().lower()
        quality[name] = max(q, quality.get(name, 0.0))
    return quality


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip: its own entry wins over ``*``, and
    ``q=0`` refuses."""
    quality = _qualities(accept_encoding)
    return quality.get("gzip", quality.get("*", 0.0)) > 0


def wants_markdown(accept: str) -> bool:
    """Whether an ``Accept`` header prefers Markdown (or plain text) to HTML."""
    quality = _qualities(accept)
    html = max(quality.get("text/html", 0.0), quality.get("text/*", 0.0), quality.get("*/*", 0.0))
    markdown = quality.get("text/markdown", 0.0)
    plain = quality.get("text/plain", 0.0)
    return (markdown > 0 and markdown >= html) or plain > html


def page_twin(path: str) -> str | None:
    """The twin of the page at URL ``path`` (``/errors/x``, ``/errors/x/``, ``/``), as a site path."""
    if path.endswith((".html", ".md", ".txt", ".json", ".xml", ".css", ".js")) or "." in path.rsplit("/", 1)[-1]:
        return None
    stem = path.strip("/")
    return f"{stem}.md" if stem else "index.md"


class StaticSiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        twin = page_twin(path)
        site = Path(self.directory)
        if twin is not None and not (site / twin).is_file():
            twin = None
        if twin is not None and wants_markdown(self.headers.get("Accept", "")):
            return self._respond(200, (site / twin).read_bytes(), CONTENT_TYPES[".md"], path, vary="Accept")
        target = Path(self.translate_path(path))
        if target.is_dir():
            if not path.endswith("/"):
                return super().send_head()  # the 301 to the folder address
            target = target / "index.html"
        if not target.is_file():
            self.send_error(404)
            return None
        # The page's Markdown and the site's index, for agents that read headers (RFC 8288).
        link = f'</llms.txt>; rel="llms-txt", </{twin}>; rel="alternate"; type="text/markdown"' if twin else ""
        vary = "Accept" if twin else ""
        modified = int(target.stat().st_mtime)
        if self._unchanged_since(modified):
            return self._respond(304, b"", self.guess_type(str(target)), path, vary=vary, link=link, modified=modified)
        return self._respond(200, target.read_bytes(), self.guess_type(str(target)), path, vary=vary, link=link, modified=modified)

    def _unchanged_since(self, modified: int) -> bool:
        """Whether the client's copy (``If-Modified-Since``) is still current: it then gets a 304."""
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        try:
            return modified <= email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _respond(self, status: int, body: bytes, content_type: str, path: str, *, vary: str = "", link: str = "",
                 modified: int | None = None) -> io.BytesIO:
        """Send the headers of ``body`` (compressed when the client accepts it); return what to copy."""
        vary_on = [vary] if vary else []
        compressed = False
        if content_type.startswith(COMPRESSIBLE):
            vary_on.append("Accept-Encoding")
            if body and accepts_gzip(self.headers.get("Accept-Encoding", "")):
                body = gzip.compress(body, compresslevel=6, mtime=0)  # mtime=0: the same bytes every time
                compressed = True
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if compressed:
            self.send_header("Content-Encoding", "gzip")
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        if modified is not None:
            self.send_header("Last-Modified", self.date_time_string(modified))
        self.send_header("Cache-Control", cache_control(path) if status in (200, 304) else "no-cache")
        if vary_on:
            self.send_header("Vary", ", ".join(vary_on))
        if link:
            self.send_header("Link", link)
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            out = self._respond(404, page.read_bytes(), CONTENT_TYPES[".html"], self.path)
            if self.command != "HEAD":
                self.wfile.write(out.getvalue())
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib signature)
        sys.stderr.write(f"preview: {self.address_string()} {format % args}\n")


def make_server(site: Path, *, port: int, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    handler = functools.partial(StaticSiteHandler, directory=str(site))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve(site: Path, *, port: int) -> int:
    if not (site / "index.html").is_file():
        print(f"preview: {site}/index.html not found; run `make build` first", file=sys.stderr)
        return 1
    server = make_server(site, port=port)
    print(f"preview: serving {site} on http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
