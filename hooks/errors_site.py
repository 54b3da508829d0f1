"""MkDocs hook: the thin adapter between MkDocs events and ``errdocs.Build``, in event order.

``mkdocs serve`` imports this module once and rebuilds through it, so the build is replaced
in ``on_config``. A failed rebuild blocks MkDocs' dev server ("the server will appear stuck"),
so while serving, problems are printed and shown on every page, and the site is built from
the last registry that loaded; ``mkdocs build`` fails instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from errdocs import Build, IncludeError, Registry, RegistryError
from errdocs import add_code_groups, codes_table_page, lists_code_pages, load_registry, problems_banner, site_url_problem, twin_path
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

REGISTRY_FILE = "registry.yaml"
log = get_plugin_logger("errdocs")

_serving = False  # whether this process runs `mkdocs serve` (set once, in on_startup)
_last_good: Registry | None = None  # while serving: the last registry that loaded, shown while the file is broken
_build: Build | None = None  # the current build, replaced in on_config


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build, _last_good
    _build = None
    path = Path(config.config_file_path).parent / REGISTRY_FILE
    problems: list[str] = []
    try:
        registry = load_registry(path, display_name=REGISTRY_FILE, docs_dir=Path(config.docs_dir))
    except RegistryError as err:
        if not _serving or _last_good is None:
            raise PluginError(str(err)) from None
        problems, registry = str(err).splitlines(), _last_good
        log.info(f"{REGISTRY_FILE} has errors: serving the last good version until they are fixed")
    if _serving:  # a plain build keeps no copy: the registry is let go once every page is read
        _last_good = registry
    # `mkdocs serve` puts its own address in site_url; examples keep the published docs_url.
    mismatch = None if _serving else site_url_problem(config.site_url, registry)
    if mismatch:
        raise PluginError(f"mkdocs.yml: {mismatch}")
    config.site_url = config.site_url or registry.site.docs_url
    # Rebuild on registry edits even if mkdocs.yml forgot `watch: [registry.yaml]`.
    if str(path) not in {str(Path(item)) for item in config.watch}:
        config.watch.append(str(path))
    if config.nav is not None:
        config.nav = add_code_groups(config.nav, registry, codes_page=codes_table_page(config.nav, Path(config.docs_dir)))
    _build = Build(registry, out_dir=Path(config.site_dir))
    if problems:
        _fail(_build, problems)
    return config


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    build = _current()
    clash = build.clash(file.src_uri for file in files if not file.generated_by)
    if clash:
        raise PluginError(clash)
    # Without an errors section in an explicit nav the pages still build, reachable from the overview.
    listed = config.nav is None or lists_code_pages(config.nav, build.registry)
    for page in build.pages.values():
        level = InclusionLevel.UNDEFINED if listed and page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(_GeneratedPage.of(config, page.src_uri, build, inclusion=level))
    # The machine-readable contract is published as static files, so pages can link them.
    for src_uri, text in build.contract_files().items():
        files.append(File.generated(config, src_uri, content=text))
    return files


class _GeneratedPage(File):
    """A generated page rendered when MkDocs reads it, not held for the whole build (30 MB at 10,000 codes)."""

    _build: Build

    @classmethod
    def of(cls, config: MkDocsConfig, src_uri: str, build: Build, *, inclusion: InclusionLevel) -> File:
        # generated() wants content or a path; the empty content is never read.
        file = cls.generated(config, src_uri, content="", inclusion=inclusion)
        file._build = build
        return file

    @property
    def content_string(self) -> str:
        return self._build.source(self.src_uri)

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8")


def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    _current().nav = _nav_data(nav.items)
    return nav


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build, src = _current(), page.file.src_uri
    try:
        markdown = build.page_markdown(src, markdown, page.meta, fallback_title=page.title or page.file.name)
    except IncludeError as err:
        _fail(build, [f"docs/{src}: {err}"])  # serve only: the page is shown as written
    page.meta["markdown_twin"] = twin_path(src)
    return markdown


def on_page_content(html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Problems are only ever kept under `serve`: the writer sees them in the browser too.
    return problems_banner(_current().problems) + html_text


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    _current().seal()  # every page is read; the templates (MkDocs' memory peak) come next
    return env


def on_post_build(*, config: MkDocsConfig) -> None:
    build = _current()
    problems = build.finish(site_dir=Path(config.site_dir))
    if problems:
        _fail(build, problems)


def _current() -> Build:
    if _build is None:  # only if MkDocs ran an event before on_config
        raise PluginError("errors_site: the registry was not loaded (on_config did not run)")
    return _build


def _fail(build: Build, problems: list[str]) -> None:
    """Stop the build, except under `serve`, where stopping would block the server."""
    if not _serving:
        raise PluginError("\n".join(problems))
    # Printed, not logged: in strict mode a logged warning fails the rebuild, which blocks the server.
    print("\n".join(f"ERROR    -  {line}" for line in problems), file=sys.stderr, flush=True)
    build.problems += problems


def _nav_data(items: list[Any]) -> list[Any]:
    """MkDocs' resolved navigation as plain nav data (works for explicit and automatic navs)."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            out.append({str(item.title): _nav_data(item.children)})
        elif isinstance(item, Page):
            out.append(item.file.src_uri)
    return out
