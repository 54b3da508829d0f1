"""The security headers every response of the site carries, its Content-Security-Policy allowing exactly the inline code the build emitted.

Material for MkDocs and errdocs' own templates put a few small scripts inline in every
page (the ``__md_*`` helpers, the palette and tabs restorers, the Copy page handler). A
policy without ``'unsafe-inline'`` runs them only if it names each by its hash, so the
build hashes every inline ``<script>`` and ``<style>`` of every HTML page it writes (the
404 page included) and publishes the policy in two forms made from the same data:
``_headers`` (Netlify, Cloudflare Pages, ``make preview``) and an nginx include.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

HEADERS_FILE = "_headers"
"""The Netlify / Cloudflare Pages headers file at the site root: a ``/*`` block of the
security headers, then the rules of the docs' own ``_headers``, if they have one."""
NGINX_HEADERS_FILE = "_headers.nginx.conf"
"""The same headers as nginx ``add_header`` lines, for ``hosting/nginx.conf`` to include
(installed outside the site root: see the README's nginx recipe; never served)."""

_TAG = re.compile(
    r"<(?P<tag>script|style)\b(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>(?P<body>.*?)</(?P=tag)\s*>",
    re.IGNORECASE | re.DOTALL,
)
"""An inline element whose content a browser hashes as written (raw text: no entity decoding).
A pattern, not html.parser: the standard parser takes 5.6 ms over a 32 kB code page against
0.16 ms for this, about 55 s of every build at 10,000 codes. The HTML is the engine's own
output, and registry text in it is escaped (no raw ``<script``), so the pattern sees what a
browser sees; a missed element would show as a CSP violation in the browser tests."""
_ATTR = re.compile(r"""(?P<name>[^\s=/>"']+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+)))?""")
_JAVASCRIPT_TYPES = frozenset({
    "", "module", "text/javascript", "application/javascript", "application/ecmascript", "application/x-javascript",
    "application/x-ecmascript", "text/ecmascript", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript",
})
"""The ``type`` values of a ``<script>`` a browser runs (HTML's "JavaScript MIME type essence
matches", plus ``module``); any other type (``application/json``: Material's config) is data."""


def csp_hash(source: str) -> str:
    """``source`` as a CSP hash source: ``'sha256-<base64>'`` of its UTF-8 bytes, its line
    breaks normalized to LF first, as the browser's HTML parser does before hashing."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def _attributes(attrs: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(attrs):
        value = next((v for v in match.group("dq", "sq", "bare") if v is not None), "")
        found.setdefault(match["name"].lower(), value)  # the first of a repeated name counts, as in HTML
    return found


def _runs(attrs: dict[str, str]) -> bool:
    """Whether a ``<script>`` with these attributes runs inline code (no ``src``, a JavaScript type)."""
    return "src" not in attrs and attrs.get("type", "").strip().lower() in _JAVASCRIPT_TYPES


@dataclass
class InlineCode:
    """The hash of every distinct inline script and ``<style>`` seen in the site's HTML."""

    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)

    def add(self, page_html: str) -> None:
        """Note the inline scripts and ``<style>`` elements of one HTML document."""
        for match in _TAG.finditer(page_html):
            attrs = _attributes(match["attrs"])
            if match["tag"].lower() == "style":
                self.styles.add(csp_hash(match["body"]))
            elif _runs(attrs):
                self.scripts.add(csp_hash(match["body"]))


def content_security_policy(inline: InlineCode) -> str:
    """The site's policy: everything from the site itself, inline code only by its hash, no
    plugin, no framing, no foreign base or form target."""
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *sorted(inline.scripts)]),
        " ".join(["style-src 'self'", *sorted(inline.styles)]),
        # style="" runs no code, and Python-Markdown's aligned table cells and Material's scripts
        # set it. A browser without style-src-attr (CSP 3) falls back to style-src: unaligned cells.
        "style-src-attr 'unsafe-inline'",
        # Icons are data: URLs in Material's stylesheet; its search runs in a Web Worker from the site.
        "img-src 'self' data:",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def security_headers(inline: InlineCode) -> dict[str, str]:
    """Every header the site sends with every response, by name, in the order written."""
    return {
        "Content-Security-Policy": content_security_policy(inline),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    }


def headers_file(headers: dict[str, str], own_rules: str = "") -> str:
    """``_headers``: the ``/*`` block of ``headers``, then the docs' own rules as written."""
    block = "/*\n" + "".join(f"  {name}: {_one_line(value)}\n" for name, value in headers.items())
    return block + ("\n" + own_rules.rstrip("\n") + "\n" if own_rules.strip() else "")


def nginx_include(headers: dict[str, str]) -> str:
    """``headers`` as nginx ``add_header ... always;`` lines (every status: 404s and redirects too)."""
    lines = "".join(f'add_header {name} "{_nginx_value(value)}" always;\n' for name, value in headers.items())
    return (
        "# Written by the errdocs build (errdocs.publish.headers), the same headers as _headers.\n"
        "# Included by hosting/nginx.conf in the server and in every location with add_header\n"
        "# of its own (nginx drops inherited add_header there); reload nginx after each deploy.\n"
        + lines
    )


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"a header value spans lines: {value!r}")
    return value


def _nginx_value(value: str) -> str:
    """``value`` inside nginx double quotes: nginx would read ``$`` as a variable and ``"`` or ``\\`` as quoting."""
    if any(char in value for char in '"\\$') or "\n" in value:
        raise ValueError(f"a header value nginx cannot take literally: {value!r}")
    return value
