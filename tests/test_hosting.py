"""Hosting: make preview's static server, the deploy workflow, other engines, make generate."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SITE_CODE, Built, copy_project, http_get, page_link_header, twin_link_header

pytestmark = pytest.mark.build


def test_preview_serves_pages_twins_and_llms_with_the_right_types(preview: str) -> None:
    status, headers, _ = http_get(preview + f"/errors/{SITE_CODE}", follow=False)
    assert status == 301 and headers["Location"].endswith(f"/errors/{SITE_CODE}/")
    status, headers, body = http_get(preview + f"/errors/{SITE_CODE}")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8" and b"<h1" in body
    status, headers, body = http_get(preview + f"/errors/{SITE_CODE}.md")
    assert (status, headers["Content-Type"]) == (200, "text/markdown; charset=utf-8")
    assert body.startswith(b"---\ntitle: ") and b"\n\n> ## Documentation Index\n" in body
    status, headers, body = http_get(preview + "/llms.txt")
    assert (status, headers["Content-Type"]) == (200, "text/plain; charset=utf-8") and body.startswith(b"# ")
    status, headers, _ = http_get(preview + "/errors.json")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    status, headers, body = http_get(preview + "/errors/no_such_code/")
    assert status == 404 and b"404" in body and headers["Content-Type"].startswith("text/html")


def test_preview_sends_the_builds_security_headers_on_pages_twins_and_llms_txt(preview: str, agnes_site: Built) -> None:
    block = (agnes_site.site / "_headers").read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines()
    assert block[0] == "/*"
    published = dict(line.strip().split(": ", 1) for line in block[1:])
    assert "'unsafe-inline'" not in published["Content-Security-Policy"].split("script-src", 1)[1].split(";", 1)[0]
    for path in ("/", f"/errors/{SITE_CODE}/", f"/errors/{SITE_CODE}.md", "/llms.txt", "/no/such/page"):
        _, headers, _ = http_get(preview + path)
        assert {name: headers[name] for name in published} == published, path
        assert headers["Server"] == "errdocs-preview", path  # no version named


def test_deploy_workflow_builds_strictly_and_publishes_site() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "make build" in runs
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages") for s in workflow["jobs"]["deploy"]["steps"])
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    build_recipe = re.search(r"^build:.*\n((?:\t.+\n)+)", makefile, re.M)[1]
    assert "mkdocs build --strict" in build_recipe and "--site-dir $(SITE)" in build_recipe
    assert re.search(r"^SITE \?= site$", makefile, re.M)  # what the workflow uploads


def _articles(site: Path) -> dict[str, str]:
    out = {}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        start, end = text.find("<article"), text.find("</article>")
        out[page.relative_to(site).as_posix()] = text[start:end] if start != -1 else ""
    return out


def test_properdocs_and_mkdocs_build_the_same_site(tmp_path: Path, agnes_site: Built) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    proc = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "pd")],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ours = {p.relative_to(agnes_site.site).as_posix() for p in agnes_site.site.rglob("*") if p.is_file()}
    theirs = {p.relative_to(tmp_path / "pd").as_posix() for p in (tmp_path / "pd").rglob("*") if p.is_file()}
    assert ours == theirs
    assert _articles(agnes_site.site) == _articles(tmp_path / "pd")
    for rel in [r for r in ours if r.endswith((".md", ".txt", ".json")) and not r.startswith("search/")]:
        assert (agnes_site.site / rel).read_bytes() == (tmp_path / "pd" / rel).read_bytes(), rel


def test_make_generate_needs_no_mkdocs_and_matches_the_build(tmp_path: Path, agnes_site: Built) -> None:
    # `sys.modules["mkdocs"] = None` makes any import of mkdocs fail: generate must not need it.
    code = (
        "import sys, runpy; sys.modules['mkdocs'] = None; sys.modules['material'] = None; "
        f"sys.argv = ['errdocs', 'generate', {str(tmp_path / 'out')!r}, '-f', {str(ROOT / 'mkdocs.yml')!r}]; "
        "runpy.run_module('errdocs', run_name='__main__')"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = tmp_path / "out"
    assert (out / "docs" / "errors" / f"{SITE_CODE}.md").is_file()
    overview = (out / "docs" / "errors" / "overview.md").read_text(encoding="utf-8")
    assert "<!-- errdocs" not in overview and f"| [`{SITE_CODE}`](/errors/{SITE_CODE}.md) |" in overview
    for rel in ("llms.txt", "llms-full.txt", f"errors/{SITE_CODE}.md", "index.md"):
        assert (out / "extra" / rel).read_bytes() == (agnes_site.site / rel).read_bytes(), rel
    for rel in ("errors.json", "envelope.schema.json", "errors.openapi.json"):
        assert (out / "docs" / rel).read_bytes() == (agnes_site.site / rel).read_bytes(), rel


@pytest.mark.parametrize("accept, markdown", [
    ("text/markdown", True),
    ("text/markdown; charset=utf-8", True),
    ("text/plain", True),
    ("text/html, text/markdown;q=0.9", False),
    ("text/markdown, text/html;q=0.9", True),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),  # a browser
    ("*/*", False),
    ("", False),
])
def test_preview_negotiates_markdown_at_every_page_address(preview: str, accept: str, markdown: bool) -> None:
    for path, twin in ((f"/errors/{SITE_CODE}", f"errors/{SITE_CODE}.md"), (f"/errors/{SITE_CODE}/", f"errors/{SITE_CODE}.md"),
                       ("/", "index.md"), ("/guides/retries/", "guides/retries.md")):
        status, headers, body = http_get(preview + path, **({"Accept": accept} if accept else {}))
        assert status == 200, path
        assert headers["Vary"] == "Accept, Accept-Encoding"  # negotiated, and compressed for those who ask
        # Either form of the page names the index, the ai-catalog and the twin (llms.txt v2 relations, and the older one).
        assert headers["Link"] == page_link_header("/" + twin), path
        if markdown:
            assert headers["Content-Type"] == "text/markdown; charset=utf-8"
            assert body == http_get(preview + "/" + twin)[2], path
        else:
            assert headers["Content-Type"] == "text/html; charset=utf-8" and b"<h1" in body


def test_preview_twins_name_the_index_and_their_page(preview: str) -> None:
    for twin, page in ((f"/errors/{SITE_CODE}.md", f"/errors/{SITE_CODE}/"), ("/index.md", "/"), ("/guides/retries.md", "/guides/retries/")):
        status, headers, _ = http_get(preview + twin)
        assert status == 200 and headers["Content-Type"] == "text/markdown; charset=utf-8", twin
        assert headers["Link"] == twin_link_header(page), twin
    assert "Link" not in http_get(preview + "/llms.txt")[1]  # a file that is no page's twin names nothing


def test_agents_find_the_index_where_they_look(preview: str, agnes_registry) -> None:
    assert http_get(preview + "/.well-known/llms.txt")[2] == http_get(preview + "/llms.txt")[2]
    status, headers, body = http_get(preview + "/robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.decode() == (f"User-agent: *\nAllow: /\n\nSitemap: {agnes_registry.site.docs_url}sitemap.xml\n"
                             "Agentmap: /.well-known/ai-catalog.json\n")
    status, headers, body = http_get(preview + "/.well-known/ai-catalog.json")
    assert status == 200 and headers["Content-Type"] == "application/json" and json.loads(body)["specVersion"] == "1.0"


def test_preview_compresses_text_and_says_how_long_to_cache(preview: str, agnes_site: Built) -> None:
    # As a real host does (and hosting/nginx.conf): gzip for clients that accept it, the
    # same bytes decompressed, a year for fingerprinted theme assets, minutes for the rest.
    for path in ("/", f"/errors/{SITE_CODE}/", "/llms.txt", "/search/search_index.json", "/assets/stylesheets/errdocs.css"):
        plain = http_get(preview + path)
        status, headers, body = http_get(preview + path, Accept_Encoding="gzip, deflate")
        assert status == 200 and headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(body) == plain[2] and "Accept-Encoding" in headers["Vary"], path
        assert "Content-Encoding" not in plain[1], path
        assert headers["Cache-Control"] == "public, max-age=300", path
    theme = [a for a in sorted((agnes_site.site / "assets").rglob("*")) if re.search(r"\.[0-9a-f]{8}\.min\.(css|js)$", a.name)]
    assert theme and all(
        http_get(preview + "/" + asset.relative_to(agnes_site.site).as_posix())[1]["Cache-Control"] == "public, max-age=31536000, immutable"
        for asset in theme
    )
    assert http_get(preview + "/", Accept_Encoding="gzip;q=0")[1].get("Content-Encoding") is None


@pytest.mark.parametrize("header, gzip_ok", [
    ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True),
    ("*;q=0, gzip", True), ("gzip;q=0", False), ("gzip;q=0, *", False), ("identity", False), ("", False),
])
def test_the_preview_reads_accept_encoding_like_a_host(header: str, gzip_ok: bool) -> None:
    from errdocs.tools.preview import accepts_gzip

    assert accepts_gzip(header) is gzip_ok


def test_the_preview_answers_304_to_a_current_copy(preview: str) -> None:
    status, headers, _ = http_get(preview + f"/errors/{SITE_CODE}/")
    assert status == 200 and headers["Last-Modified"]
    status, headers, body = http_get(preview + f"/errors/{SITE_CODE}/", If_Modified_Since=headers["Last-Modified"])
    assert (status, headers["Cache-Control"], body) == (304, "public, max-age=300", b"")


@pytest.mark.build
def test_the_site_builds_with_the_runtime_packages_alone(tmp_path: Path) -> None:
    # `make serve` installs `-e .` without the test tools or the MCP server's SDK: a strict build must import none of them.
    import importlib.metadata

    extras = [r for r in importlib.metadata.requires("errdocs") or [] if re.search(r"extra\s*==\s*['\"](test|mcp)['\"]", r)]
    test_only = {re.split(r"[<>=!~\[ ;(]", requirement, maxsplit=1)[0].lower().replace("_", "-") for requirement in extras}
    test_only -= {"errdocs"}  # the test extra takes the mcp extra as errdocs[mcp]
    modules = sorted(
        module for module, dists in importlib.metadata.packages_distributions().items()
        if any(dist.lower().replace("_", "-") in test_only for dist in dists) and not module.startswith("_") or module == "_pytest"
    )
    assert {"pytest", "hypothesis", "playwright", "mcp"} <= set(modules)
    project = copy_project(ROOT, tmp_path / "project")
    guard = (
        "import sys\n"
        f"BLOCKED = {modules!r}\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in BLOCKED:\n"
        "            raise ImportError(f'{name} is a test tool; the build must not need it')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from mkdocs.__main__ import cli\n"
        "sys.argv = ['mkdocs', 'build', '--strict', '-q', '-f', sys.argv[1]]\n"
        "cli()\n"
    )
    run = subprocess.run([sys.executable, "-c", guard, str(project / "mkdocs.yml")], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert (project / "site" / "errors" / SITE_CODE / "index.html").is_file()
