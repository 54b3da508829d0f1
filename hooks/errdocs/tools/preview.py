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
* every page response names ``llms.txt`` and the page's twin in a ``Link`` header.
"""

from __future__ import annotations

import functools
import http.server
import io
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


def wants_markdown(accept: str) -> bool:
    """Whether an ``Accept`` header prefers Markdown (or plain text) to HTML."""
    quality: dict[str, float] = {}
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        quality[media.strip().lower()] = max(q, quality.get(media.strip().lower(), 0.0))
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
        if twin is not None and (site / twin).is_file() and wants_markdown(self.headers.get("Accept", "")):
            body = (site / twin).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", CONTENT_TYPES[".md"])
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept")
            self.end_headers()
            return io.BytesIO(body)
        self._twin = twin if twin is not None and (site / twin).is_file() else None
        return super().send_head()

    def end_headers(self) -> None:
        twin = getattr(self, "_twin", None)
        if twin is not None:
            # The page's Markdown and the site's index, for agents that read headers (RFC 8288).
            self.send_header("Vary", "Accept")
            self.send_header("Link", f'</llms.txt>; rel="llms-txt", </{twin}>; rel="alternate"; type="text/markdown"')
            self._twin = None
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", CONTENT_TYPES[".html"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
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
