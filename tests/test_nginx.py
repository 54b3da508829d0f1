"""The shipped nginx configuration (hosting/nginx.conf), run for real: Debian's nginx on
127.0.0.1 over the built site, checked for negotiation, types, redirects, 404, discovery
headers and compression, and stopped by PID."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, SITE_CODE, Built, free_port, http_get, stop, wait_for_http

pytestmark = pytest.mark.build

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def nginx(agnes_site: Built, tmp_path_factory: pytest.TempPathFactory):
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (CI is set: .ci/run installs Debian's nginx)", pytrace=False)
        pytest.skip("nginx not installed; apt-get install -y nginx")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    shipped = (ROOT / "hosting" / "nginx.conf").read_text(encoding="utf-8")
    assert "    listen 80;\n" in shipped and "    root /var/www/docs/site;\n" in shipped
    site_conf = shipped.replace("    listen 80;\n", f"    listen 127.0.0.1:{port};\n").replace(
        "    root /var/www/docs/site;\n", f"    root {agnes_site.site};\n")
    (prefix / "docs.conf").write_text(site_conf, encoding="utf-8")
    temp = "".join(f"    {kind}_temp_path {prefix}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(
        f"daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"events {{}}\nhttp {{\n    access_log off;\n{temp}    include {prefix}/docs.conf;\n}}\n",
        encoding="utf-8",
    )
    check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/", seconds=20)
        yield base
    finally:
        stop(proc, signal.SIGQUIT)  # graceful stop of master and worker


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
    assert headers["Link"] == f'</llms.txt>; rel="llms-txt", </errors/{SITE_CODE}.md>; rel="alternate"; type="text/markdown"'
    assert "Accept" in ", ".join(headers.get_all("Vary"))
    status, headers, _ = _get(nginx + f"/errors/{SITE_CODE}", Accept=BROWSER)
    assert status == 301 and headers["Location"] == f"/errors/{SITE_CODE}/"


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
