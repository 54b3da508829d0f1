"""The last guard: a page's HTML may hold no script-running attribute or URL.

Registry text is made inert before it is rendered (``markup``, the link policy), and
this check proves it on the result: every page's HTML, hand-written or generated, is
scanned after Markdown has been converted. A page whose HTML has an ``on*`` event
attribute, a ``<script>``-like element in its body, an ``href``/``src`` with a scheme
other than http(s) or mailto, or a raw control character stops the build, naming the page
and what was found.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data"})
_ACTIVE_TAGS = frozenset({"script", "iframe", "object", "embed", "form", "base", "meta", "link", "style"})
_SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ACTIVE_TAGS:
            self.found.append(f"a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"an {name} attribute on <{tag}>")
            elif name in _URL_ATTRS and value is not None:
                # Browsers drop whitespace and control characters before reading the scheme.
                cleaned = "".join(ch for ch in html.unescape(value) if ch > " " and ch != "\x7f")
                scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/", 1)[0] else ""
                if scheme not in _SAFE_SCHEMES:
                    self.found.append(f"a {scheme}: URL in {name} of <{tag}>")

    handle_startendtag = handle_starttag


def active_content(page_html: str) -> list[str]:
    """What in ``page_html`` (a page body, as Markdown made it) could run script: [] when nothing."""
    scanner = _Scanner()
    scanner.feed(page_html)
    scanner.close()
    control = _CONTROL.search(page_html)
    if control:
        scanner.found.append(f"a raw control character U+{ord(control.group()):04X}")
    return sorted(set(scanner.found))
