"""The MkDocs plugin `errdocs` (registered under `mkdocs.plugins`): the same pages as the hook,
its option, and errdocs' page parts beside a site's own templates and stylesheets."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, mkdocs_build

pytestmark = pytest.mark.build

PAYMENTS = ROOT / "tests" / "fixtures" / "payments_site"
PAGE_PARTS = ('class="errdocs-copy"', 'class="errdocs-agent-note"', 'type="text/markdown"', "assets/stylesheets/errdocs.css")


def as_plugin_site(project: Path, *, registry: str) -> None:
    """Turn a hook site into a plugin site whose registry has another name."""
    (project / "registry.yaml").rename(project / registry)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    del config["hooks"]
    config["plugins"] = ["search", {"errdocs": {"registry": registry}}]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def differing_files(left: Path, right: Path) -> list[str]:
    """Files that are in one tree only, or differ in bytes."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in sorted(cmp.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    filecmp.clear_cache()
    walk(filecmp.dircmp(left, right, ignore=[]), "")
    return sorted(found)


def test_a_foreign_registry_builds_the_same_site_through_the_plugin_as_through_the_hook(tmp_path: Path) -> None:
    hooked = mkdocs_build(copy_project(PAYMENTS, tmp_path / "hook"))
    assert hooked.returncode == 0, hooked.output
    project = copy_project(PAYMENTS, tmp_path / "plugin")
    as_plugin_site(project, registry="errors.yaml")
    plugged = mkdocs_build(project)
    assert plugged.returncode == 0, plugged.output
    assert differing_files(hooked.site, plugged.site) == []
    assert (plugged.site / "llms.txt").is_file() and (plugged.site / "errors.json").is_file()


def test_the_plugin_names_its_registry_in_problems(tmp_path: Path) -> None:
    project = copy_project(PAYMENTS, tmp_path / "plugin")
    as_plugin_site(project, registry="errors.yaml")
    text = (project / "errors.yaml").read_text(encoding="utf-8")
    (project / "errors.yaml").write_text(text.replace("version:", "versoin:", 1), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert "errors.yaml:" in built.output and "versoin" in built.output and "Traceback" not in built.output


def test_a_bad_plugin_option_is_refused_by_name(tmp_path: Path) -> None:
    project = copy_project(PAYMENTS, tmp_path / "plugin")
    as_plugin_site(project, registry="errors.yaml")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("registry: errors.yaml", "registry: 3"), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert "errdocs" in built.output and "registry" in built.output and "Traceback" not in built.output


def test_a_sites_own_templates_and_stylesheets_work_beside_the_page_parts(tmp_path: Path) -> None:
    project = copy_project(PAYMENTS, tmp_path / "plugin")
    as_plugin_site(project, registry="errors.yaml")
    (project / "overrides" / "partials").mkdir(parents=True)
    (project / "overrides" / "main.html").write_text(
        '{% extends "errdocs.html" %}\n{% block announce %}Team announcement{% endblock %}\n', encoding="utf-8")
    (project / "overrides" / "partials" / "copyright.html").write_text("<p>Team footer</p>\n", encoding="utf-8")
    (project / "docs" / "team.css").write_text(".md-typeset h1 { letter-spacing: 0; }\n", encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = "overrides"
    config["extra_css"] = ["team.css"]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    for page in sorted(built.site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        if "http-equiv=\"refresh\"" in html:
            continue  # a folder's redirect page
        for part in (*PAGE_PARTS, "Team announcement", "Team footer", "team.css"):
            assert part in html, f"{page.relative_to(built.site)}: no {part}"
        # errdocs' stylesheet comes first, so the site's own rules win.
        assert html.index("assets/stylesheets/errdocs.css") < html.index("team.css")


def test_a_main_template_that_drops_the_page_parts_is_named(tmp_path: Path) -> None:
    project = copy_project(PAYMENTS, tmp_path / "plugin")
    as_plugin_site(project, registry="errors.yaml")
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = "overrides"
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 1  # strict: the warning fails the build
    assert 'main.html: extend "errdocs.html" instead of "base.html"' in built.output
