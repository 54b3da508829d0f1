"""End to end: real `mkdocs build --strict` runs, HTML checked against the registry."""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import pytest
import yaml

from errdocs.registry.load import load_registry

from conftest import EXAMPLE_SITE, ROOT, Built, dump_registry, mkdocs_build

pytestmark = pytest.mark.build


def article(built: Built, path: str) -> str:
    page = built.page(path)
    return page[page.index("<article") : page.index("</article>")]


def visible(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_every_code_page_matches_the_registry(agnes_site: Built) -> None:
    registry = load_registry(agnes_site.project / "registry.yaml")
    assert len(registry.codes) == 16
    for name, code in registry.codes.items():
        body = article(agnes_site, f"errors/{name}/index.html")
        text = visible(body)
        for line in code.http:
            assert line in text, (name, line)
        assert f'"doc_url": "https://docs.lasscyber.com/errors/{name}"' in text, name
        assert f'"code": "{name}"' in text
        for sdk_id in registry.site.sdks:
            assert code.sdk[sdk_id].exception in text, (name, sdk_id)
        sdk = body[body.index('id="sdk-behaviour"'):]
        assert "tabbed-set" not in sdk[: sdk.index("</table>")], name  # one table, no tabs
        assert all(f"<td>{sdk_.label} (" in sdk for sdk_ in registry.site.sdks.values()), name
        steps = re.findall(r"<ol>(.*?)</ol>", body, re.S)
        assert steps and len(re.findall(r"<li>", steps[0])) == len(code.steps), name
        assert visible(code.retry.label.replace("`", ""))[:20] in text.replace("`", ""), name


def test_overview_tables_have_one_linked_row_per_code(agnes_site: Built) -> None:
    registry = load_registry(agnes_site.project / "registry.yaml")
    body = article(agnes_site, "errors/overview/index.html")
    tables = "".join(t for t in re.findall(r"<table>(.*?)</table>", body, re.S) if "<th>Retry?</th>" in t)  # one per group
    links = re.findall(r'<tr>\s*<td><a href="\.\./(\w+)/"><code>(\w+)</code></a></td>', tables)
    assert [target for target, _ in links] == list(registry.codes)
    assert all(target == label for target, label in links)
    assert "Which codes to retry" in body  # the retry guidance, expanded


def test_no_include_syntax_survives_anywhere(agnes_site: Built) -> None:
    for path in agnes_site.site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".md", ".txt", ".json", ".xml"}:
            content = path.read_text(encoding="utf-8")
            for needle in ("<Snippet", "--8<--", "<!-- errdocs", "&lt;!-- errdocs"):
                assert needle not in content, (path, needle)


def test_generated_pages_are_not_in_docs() -> None:
    assert not any((ROOT / "docs" / "errors").glob("*_*.md"))
    registry = load_registry(ROOT / "registry.yaml")
    for name in registry.codes:
        assert not (ROOT / "docs" / "errors" / f"{name}.md").exists()


def test_registry_edits_reach_every_page_after_one_rebuild(project_copy) -> None:
    project = project_copy(ROOT)
    data = yaml.safe_load((project / "registry.yaml").read_text(encoding="utf-8"))
    data["codes"]["internal_error"]["summary"] = "Zebra summary for the rebuild test."
    data["codes"]["not_found"]["http"] = ["410 Gone"]
    extra = dict(copy.deepcopy(data["codes"]["not_found"]), summary="A seventeenth code.", related=[])
    extra["overview"] = {"when": "Seventeenth code row.", "retry": "No."}
    data["codes"]["gone_for_good"] = extra
    (project / "registry.yaml").write_text(dump_registry(data), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    assert "Zebra summary for the rebuild test." in built.page("errors/internal_error/index.html")
    assert "`410 Gone`" not in built.page("errors/not_found/index.html")
    assert "410 Gone" in visible(built.page("errors/not_found/index.html"))
    overview = built.page("errors/overview/index.html")
    assert re.search(r'href="\.\./not_found/"><code>not_found</code></a></td>\s*<td>410</td>', overview)
    assert re.search(r'href="\.\./gone_for_good/"><code>gone_for_good</code></a></td>', overview)
    assert (built.site / "errors" / "gone_for_good" / "index.html").exists()


def test_another_apis_registry_builds_another_site(tmp_path: Path) -> None:
    built = mkdocs_build(EXAMPLE_SITE, tmp_path / "site")
    assert built.returncode == 0, built.output
    page = built.page("errors/server_broke/index.html")
    assert "https://docs.example.test/errors/server_broke" in page
    assert "lasscyber" not in page.lower() and "agnes" not in page.lower()
    nav = re.findall(r'md-nav__link[^>]*>\s*(?:<span[^>]*>)?\s*([^<]+?)\s*<', page)
    assert "Server problems" in nav


def test_broken_registry_fails_the_build_with_one_line(project_copy) -> None:
    project = project_copy(EXAMPLE_SITE)
    text = (project / "registry.yaml").read_text(encoding="utf-8").replace("policy: backoff", "policy: sometimes")
    (project / "registry.yaml").write_text(text, encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert re.search(r"ERROR\s+-\s+registry\.yaml:\d+:\d+: codes\.server_broke\.retry\.policy: 'sometimes' is not allowed", built.output)
    assert "Traceback" not in built.output
    assert not (project / "site").exists()
