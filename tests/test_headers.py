"""The security headers the build publishes (errdocs.publish.headers): the hashes of the inline
code, the policy, and its two forms (``_headers`` and the nginx include) made from the same data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLE_SITE, Built, copy_project, mkdocs_build, published_headers

from errdocs.publish.headers import (
    HEADERS_FILE,
    NGINX_HEADERS_FILE,
    InlineCode,
    csp_hash,
    headers_file,
    nginx_include,
    security_headers,
)


def _block(text: str, folder: Path) -> dict[str, str]:
    (folder / HEADERS_FILE).write_text(text, encoding="utf-8")
    return published_headers(folder)


def nginx_headers(text: str) -> dict[str, str]:
    return {m[1]: m[2] for m in re.finditer(r'^add_header (\S+) "([^"]*)" always;$', text, re.M)}


def test_the_hash_is_the_one_browsers_compute() -> None:
    # The example of the CSP specification (and MDN): the exact source text, UTF-8, SHA-256, base64.
    assert csp_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    # The HTML parser turns CR LF into LF before the script exists: the hash is of that text.
    assert csp_hash("a;\r\nb;\rc;") == csp_hash("a;\nb;\nc;")


def test_every_inline_script_and_style_is_hashed_and_nothing_else() -> None:
    inline = InlineCode()
    inline.add(
        '<script>one()</script><SCRIPT type="module">two()</SCRIPT>'
        "<script type='text/javascript' data-x=\"a>b\">three()</script >"
        '<script id="__config" type="application/json">{"data": 1}</script>'
        '<script src="x.js"></script><script src="y.js">ignored()</script>'
        "<style>p { color: red }</style>"
    )
    assert inline.scripts == {csp_hash("one()"), csp_hash("two()"), csp_hash("three()")}
    assert inline.styles == {csp_hash("p { color: red }")}


def test_the_policy_allows_inline_code_only_by_hash() -> None:
    inline = InlineCode()
    inline.add("<script>b()</script><script>a()</script><style>x{}</style>")
    policy = dict(d.split(" ", 1) for d in security_headers(inline)["Content-Security-Policy"].split("; "))
    assert policy["script-src"] == " ".join(["'self'", *sorted([csp_hash("a()"), csp_hash("b()")])])
    assert "unsafe" not in policy["script-src"] and "unsafe" not in policy["style-src"]
    assert policy["style-src"] == f"'self' {csp_hash('x{}')}"
    assert policy["style-src-attr"] == "'unsafe-inline'"  # style="" only (Python-Markdown's aligned cells)
    assert (policy["frame-ancestors"], policy["object-src"], policy["base-uri"], policy["form-action"]) == (
        "'none'", "'none'", "'self'", "'self'")


def test_both_files_carry_the_same_headers(tmp_path: Path) -> None:
    inline = InlineCode()
    inline.add("<script>go()</script>")
    headers = security_headers(inline)
    assert _block(headers_file(headers), tmp_path) == headers == nginx_headers(nginx_include(headers))
    assert set(headers) == {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
                            "Permissions-Policy"}
    own = "/*.md\n  Content-Type: text/markdown; charset=utf-8\n"
    text = headers_file(headers, own)
    assert text.startswith("/*\n") and text.endswith("\n\n" + own) and _block(text, tmp_path) == headers


@pytest.mark.parametrize("value", ['a"b', "a$b", "a\\b", "a\nb"])
def test_a_value_nginx_would_not_take_literally_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        nginx_include({"X-Test": value})


@pytest.mark.build
def test_the_built_policy_names_every_inline_script_of_every_page(agnes_site: Built) -> None:
    headers = published_headers(agnes_site.site)
    assert nginx_headers((agnes_site.site / NGINX_HEADERS_FILE).read_text(encoding="utf-8")) == headers
    policy = headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src 'self' "))
    hashes = set(script_src.split()[2:])
    pages = sorted(agnes_site.site.rglob("*.html"))
    assert agnes_site.site / "404.html" in pages
    seen: set[str] = set()
    for page in pages:
        inline = InlineCode()
        inline.add(page.read_text(encoding="utf-8"))
        assert inline.scripts <= hashes, page
        assert not inline.styles, page  # no <style>: style-src stays 'self'
        seen |= inline.scripts
    # Exactly the scripts the pages have: Material's __md_* helpers (one per page depth), palette,
    # tabs and hash restorers, errdocs' page script and the 404 page's search button.
    assert hashes == seen and len(seen) == 8


@pytest.mark.build
def test_the_docs_own_headers_follow_the_build_block(tmp_path: Path) -> None:
    project = copy_project(EXAMPLE_SITE, tmp_path / "project")
    own = "/llms.txt\n  Content-Type: text/plain; charset=utf-8\n"
    (project / "docs" / HEADERS_FILE).write_text(own, encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    text = built.page(HEADERS_FILE)
    assert text.startswith("/*\n  Content-Security-Policy: ") and text.endswith("\n\n" + own)


def test_a_discarded_build_leaves_no_header_file(example_registry, tmp_path: Path) -> None:
    from errdocs.build import Build

    site = tmp_path / "site"
    build = Build(example_registry, out_dir=site)
    build.page_html("<html><script>go()</script></html>")
    build.publish_headers()
    assert {p.name for p in site.iterdir()} == {HEADERS_FILE, NGINX_HEADERS_FILE}
    build.discard()
    assert not site.exists() or list(site.iterdir()) == []
