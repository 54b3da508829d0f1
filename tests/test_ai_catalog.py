"""``/.well-known/ai-catalog.json``: an Agentic Resource Discovery 1.0 manifest for every registry,
checked by the ARD conformance test as Lighthouse 13.5 ships it (its ``ard-schema`` audit runs the
same code), and linked from every page, ``robots.txt`` and the hosts' ``Link`` headers."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SITES, SITE_CODE, Built

REGISTRIES = [site / "registry.yaml" for site in SITES.values()]
LIGHTHOUSE = "lighthouse@13.5.0"
"""Pinned: its ``third-party/ard/ard.js`` is the ARD conformance test its ``ard-schema`` audit runs."""
VALIDATE = """
import {ConformanceTester} from 'lighthouse/third-party/ard/ard.js';
import fs from 'fs';
const out = {};
for (const file of process.argv.slice(2)) {
  const tester = new ConformanceTester();
  tester.validate_manifest(fs.readFileSync(file, 'utf8'), file);
  out[file] = {errors: tester.errors, warnings: tester.warnings};
}
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def ard_validator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lighthouse (pinned) installed in a temporary folder, with the script that runs its ARD conformance test."""
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI"):
            pytest.fail("npm is not installed (CI is set: .ci/run installs nodejs and npm)", pytrace=False)
        pytest.skip("npm not installed; apt-get install -y nodejs npm")
    folder = tmp_path_factory.mktemp("lighthouse")
    # --prefer-offline: a pinned version already in npm's cache is not looked up again on the registry.
    run = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefer-offline", "--prefix", str(folder), LIGHTHOUSE],
                         capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr[-2000:]
    script = folder / "validate.mjs"
    script.write_text(VALIDATE, encoding="utf-8")
    return script


def test_every_registry_gets_a_conforming_manifest(ard_validator: Path, tmp_path: Path) -> None:
    from errdocs.publish.ai_catalog import ai_catalog
    from errdocs.publish.contract import html_safe_json
    from errdocs.registry.load import load_registry

    files = []
    for path in REGISTRIES:
        file = tmp_path / f"{path.parent.name}.json"
        file.write_text(html_safe_json(ai_catalog(load_registry(path))), encoding="utf-8")
        files.append(str(file))
    run = subprocess.run(["node", str(ard_validator), *files], capture_output=True, text=True, timeout=120, cwd=ard_validator.parent)
    assert run.returncode == 0, run.stderr
    # No error and no warning: a warning alone would make Lighthouse score the audit 0.9.
    assert json.loads(run.stdout) == {file: {"errors": [], "warnings": []} for file in files}


def test_the_manifest_lists_the_server_and_every_agent_document(agnes_site: Built) -> None:
    manifest = json.loads(agnes_site.page(".well-known/ai-catalog.json"))
    server, documents = manifest["entries"]
    assert server["type"] == "application/mcp-server-card+json" and server["capabilities"] == ["get_error", "find_errors", "explain_response"]
    assert server["metadata"]["command"] == "errdocs mcp https://docs.lasscyber.com/errors.json"
    assert server["data"]["name"] == "com.lasscyber.docs/errors"
    assert documents["type"] == "application/ai-catalog+json"
    urls = {entry["url"] for entry in documents["data"]["entries"]}
    names = {"llms.txt", "llms-full.txt", "errors.json", "envelope.schema.json", "errors.openapi.json"}
    assert urls == {f"https://docs.lasscyber.com/{name}" for name in names}
    assert all((agnes_site.site / name).is_file() for name in names)
    for entry in [server, documents, *documents["data"]["entries"]]:
        assert 2 <= len(entry["representativeQueries"]) <= 5 and entry["identifier"].startswith("urn:air:docs.lasscyber.com:errors:")
    identifiers = [entry["identifier"] for entry in [server, documents, *documents["data"]["entries"]]]
    assert len(set(identifiers)) == len(identifiers)


def test_every_page_links_the_manifest_and_the_index_by_v2_relations(agnes_site: Built) -> None:
    for rel in ("index.html", f"errors/{SITE_CODE}/index.html", "404.html"):
        head = agnes_site.page(rel).split("</head>")[0]
        assert re.search(r'<link rel="ai-catalog" type="application/json" href="[^"]*/\.well-known/ai-catalog\.json"', head), rel
        assert re.search(r'<link rel="describedby" type="text/plain" href="[^"]*/llms\.txt"', head), rel
        assert re.search(r'<link rel="alternate" type="text/plain" href="[^"]*/llms\.txt"', head), rel  # the older relation, kept
    code_page = agnes_site.page(f"errors/{SITE_CODE}/index.html")
    assert f'<link rel="alternate " type="text/markdown" href="../../errors/{SITE_CODE}.md"' in code_page  # see errdocs.html for the space
    assert "Agentmap: /.well-known/ai-catalog.json\n" in agnes_site.page("robots.txt")
