"""``make preview``: serve a built ``site/`` the way a static host does (not ``mkdocs serve``).

What a host must get right, and what this server does, so tests can check it:

* ``.md`` twins as ``text/markdown; charset=utf-8``, ``llms.txt`` as ``text/plain; charset=utf-8``,
  JSON as ``application/json``;
* ``/errors/<code>`` (the ``doc_url`` form, no trailing slash) answers with a 301 to
  ``/errors/<code>/``, as GitHub Pages, Netlify and nginx do for a directory;
* unknown paths get ``404.html`` with status 404.
"""

from __future__ import annotations

import functools
import http.server
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


class StaticSiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

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
