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


@pytest.fixture
def plugin_site(tmp_path: Path) -> Path:
    """The payments site as a plugin site whose registry is ``errors.yaml``."""
    project = copy_project(PAYMENTS, tmp_path / "plugin")
    (project / "registry.yaml").rename(project / "errors.yaml")
    edit_config(project, hooks=None, plugins=["search", {"errdocs": {"registry": "errors.yaml"}}])
    return project


def edit_config(project: Path, **changes: object) -> None:
    """Set (or, with None, delete) top-level keys of the project's mkdocs.yml."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
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


def test_a_foreign_registry_builds_the_same_site_through_the_plugin_as_through_the_hook(tmp_path: Path, plugin_site: Path) -> None:
    hooked = mkdocs_build(copy_project(PAYMENTS, tmp_path / "hook"))
    assert hooked.returncode == 0, hooked.output
    plugged = mkdocs_build(plugin_site)
    assert plugged.returncode == 0, plugged.output
    assert differing_files(hooked.site, plugged.site) == []
    assert (plugged.site / "llms.txt").is_file() and (plugged.site / "errors.json").is_file()


def test_the_plugin_names_its_registry_in_problems(plugin_site: Path) -> None:
    text = (plugin_site / "errors.yaml").read_text(encoding="utf-8")
    (plugin_site / "errors.yaml").write_text(text.replace("version:", "versoin:", 1), encoding="utf-8")
    built = mkdocs_build(plugin_site)
    assert built.returncode == 1
    assert "errors.yaml:" in built.output and "versoin" in built.output and "Traceback" not in built.output


def test_a_bad_plugin_option_is_refused_by_name(plugin_site: Path) -> None:
    edit_config(plugin_site, plugins=["search", {"errdocs": {"registry": 3}}])
    built = mkdocs_build(plugin_site)
    assert built.returncode == 1
    assert "errdocs" in built.output and "registry" in built.output and "Traceback" not in built.output


@pytest.mark.parametrize("extension", ["attr_list", "markdown.extensions.attr_list", None])
def test_the_anchor_form_needs_attr_list_for_its_section_ids(plugin_site: Path, extension: str | None) -> None:
    """Without attr_list a heading's ``{#card_declined}`` would be text, and no doc_url would find its section."""
    text = (plugin_site / "errors.yaml").read_text(encoding="utf-8")
    (plugin_site / "errors.yaml").write_text(text.replace("  docs_url:", "  doc_url_form: anchor\n  docs_url:", 1), encoding="utf-8")
    config = yaml.safe_load((plugin_site / "mkdocs.yml").read_text(encoding="utf-8"))
    others = [item for item in config["markdown_extensions"] if item != "attr_list"]
    edit_config(plugin_site, markdown_extensions=others + ([extension] if extension else []))
    built = mkdocs_build(plugin_site)
    if extension:
        assert built.returncode == 0, built.output
        assert 'id="card_declined"' in (built.site / "errors" / "index.html").read_text(encoding="utf-8")
    else:
        assert built.returncode == 1
        assert "doc_url_form: anchor" in built.output and "add attr_list to markdown_extensions" in built.output
        assert "Traceback" not in built.output


def test_a_sites_own_templates_and_stylesheets_work_beside_the_page_parts(plugin_site: Path) -> None:
    project = plugin_site
    (project / "overrides" / "partials").mkdir(parents=True)
    (project / "overrides" / "main.html").write_text(
        '{% extends "errdocs.html" %}\n{% block announce %}Team announcement{% endblock %}\n', encoding="utf-8")
    (project / "overrides" / "partials" / "copyright.html").write_text("<p>Team footer</p>\n", encoding="utf-8")
    (project / "docs" / "team.css").write_text(".md-typeset h1 { letter-spacing: 0; }\n", encoding="utf-8")
    theme = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]
    edit_config(project, theme={**theme, "custom_dir": "overrides"}, extra_css=["team.css"])
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


def test_a_main_template_that_drops_the_page_parts_is_named(plugin_site: Path) -> None:
    (plugin_site / "overrides").mkdir()
    (plugin_site / "overrides" / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    theme = yaml.safe_load((plugin_site / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]
    edit_config(plugin_site, theme={**theme, "custom_dir": "overrides"})
    built = mkdocs_build(plugin_site)
    assert built.returncode == 1  # strict: the warning fails the build
    assert 'main.html: extend "errdocs.html" instead of "base.html"' in built.output
