"""The one link policy: which URLs registry text may send a reader to.

Every URL that can reach an ``href`` or ``src`` passes ``link_problem``: the registry's URL
fields, and every link, image, reference definition and autolink in its Markdown prose
(found by parsing the prose as CommonMark with markdown-it-py, not by a pattern). Allowed:
``https:`` URLs with a host, ``mailto:`` addresses, and pages of this site (``/path``,
``page.md``, ``#anchor``); ``//host/...`` is another site. Characters that could end a
Markdown link or open an attribute list are refused, so an accepted URL can be written
into Markdown as it is.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

ALLOWED_SCHEMES = ("https", "mailto")
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"'`\\()\[\]{}]")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_WORDS = {'"': 'a "', "'": "a '", "`": "a backtick", "\\": "a backslash"}
"""How a refused character reads in a problem where the character alone would not."""


def link_problem(url: str, *, written: bool = False) -> str | None:
    """Why ``url`` may not be linked from registry text, or None when it may.

    ``written``: the URL is a link destination already written in the registry's Markdown
    (as its parser read it), not a value the generator writes into a link itself; then only
    what no link may hold is refused (spaces, control characters)."""
    # Browsers decode character references in attributes: judge the URL they would see.
    seen = html.unescape(url)
    parts = urlsplit(seen)
    scheme = parts.scheme.lower()
    if scheme and scheme not in ALLOWED_SCHEMES:
        return f"URL {url!r} uses {scheme}:, which is not allowed (use https://, mailto: or a page of this site)"
    bad = (_SPACE_OR_CONTROL if written else _UNSAFE).search(url)
    if bad:
        char = bad.group()
        what = "a space" if char == " " else f"control character U+{ord(char):04X}" if not char.isprintable() or char.isspace() else _WORDS.get(char, char)
        return f"URL {url!r} contains {what}; percent-encode it (e.g. %20, %28)"
    if scheme:
        if scheme == "https" and not parts.netloc:
            return f"URL {url!r} has no host"
        if scheme == "mailto" and not parts.path:
            return f"URL {url!r} has no address"
        return None
    if parts.netloc or seen.startswith("//"):
        return f"URL {url!r} leaves this site without a scheme; write https://{seen.lstrip('/')}"
    if ":" in seen.split("/", 1)[0].split("#", 1)[0].split("?", 1)[0]:
        return f"URL {url!r} looks like a scheme; use https://, mailto: or a page of this site"
    return None


_PARSER = MarkdownIt("commonmark", {"html": False})  # raw HTML is text in registry prose (markup.prose)
_PARSER.validateLink = lambda url: True  # see every link: the policy decides, not the parser
_PARSER.normalizeLink = lambda url: url  # and see it as written (no percent-encoding)


def markdown_links(text: str) -> list[str]:
    """Every URL a Markdown text links or embeds as CommonMark reads it (``commonmark_links``),
    and any other target Python-Markdown could read as one."""
    # Python-Markdown, which renders the pages, is more lenient than CommonMark (a reference
    # definition followed by junk still defines it): anything either could read as a link
    # target is judged.
    return commonmark_links(text) + [match.group(1) for pattern in _LENIENT for match in pattern.finditer(text)]


def commonmark_links(text: str) -> list[str]:
    """Every URL a Markdown text links or embeds: inline links, images, autolinks and
    reference definitions (used or not), as CommonMark reads them."""
    env: dict = {}
    urls: list[str] = []
    tokens = _PARSER.parse(text, env)
    while tokens:
        token = tokens.pop()
        if token.children:
            tokens.extend(token.children)
        for attr in ("href", "src"):
            value = token.attrGet(attr) if token.attrs else None
            if value is not None:
                urls.append(str(value))
    return urls + [ref["href"] for ref in env.get("references", {}).values()]


_LENIENT = (
    re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M),  # [id]: target
    re.compile(r"\]\([ \t]*<?([^\s)>]+)"),  # ](target
)
