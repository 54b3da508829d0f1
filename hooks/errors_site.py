"""MkDocs hook: the thin adapter between MkDocs events and the ``errdocs`` package.

Each handler only moves data between MkDocs and plain functions; everything it
renders comes from ``errdocs``. State lives in ``_build`` and is replaced in
``on_config`` because ``mkdocs serve`` imports this module once and then runs
every rebuild through the same module object (mkdocs issue 3993).
"""

from __future__ import annotations

from pathlib import Path

from errdocs.includes import IncludeError, expand_includes
from errdocs.loading import RegistryError, load_registry
from errdocs.model import Registry
from errdocs.navigation import add_code_groups, has_errors_section
from errdocs.site import generated_pages
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

REGISTRY_FILE = "registry.yaml"


class _Build:
    """Everything one build knows; a fresh instance per build."""

    def __init__(self, registry: Registry, registry_path: Path) -> None:
        self.registry = registry
        self.registry_path = registry_path
        self.generated: dict[str, str] = {}


_build: _Build | None = None


def _state() -> _Build:
    if _build is None:  # only if MkDocs ran an event before on_config
        raise PluginError("errors_site: the registry was not loaded (on_config did not run)")
    return _build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = None
    path = Path(config.config_file_path).parent / REGISTRY_FILE
    try:
        registry = load_registry(path, display_name=REGISTRY_FILE)
    except RegistryError as err:
        raise PluginError(str(err)) from None
    if not config.site_url:
        config.site_url = registry.site.docs_url
    elif config.site_url.rstrip("/") + "/" != registry.site.docs_url:
        raise PluginError(
            f"mkdocs.yml: site_url {config.site_url!r} differs from {REGISTRY_FILE} site.docs_url "
            f"{registry.site.docs_url!r}; doc_url values would not be this site's addresses"
        )
    if config.nav is not None:
        config.nav = add_code_groups(config.nav, registry)
    _build = _Build(registry, path)
    return config


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    state = _state()
    # Without an errors section in an explicit nav the pages still build, reachable from the overview.
    inclusion = (
        InclusionLevel.NOT_IN_NAV
        if config.nav is not None and not has_errors_section(config.nav)
        else InclusionLevel.UNDEFINED
    )
    for src_uri, markdown in generated_pages(state.registry).items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None and not existing.generated_by:
            raise PluginError(
                f"docs/{src_uri} is generated from {REGISTRY_FILE}; delete the hand-written file and edit the registry"
            )
        state.generated[src_uri] = markdown
        files.append(File.generated(config, src_uri, content=markdown, inclusion=inclusion))
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = _state()
    if page.file.src_uri in state.generated:
        return markdown
    try:
        return expand_includes(markdown, state.registry)
    except IncludeError as err:
        raise PluginError(f"docs/{page.file.src_uri}: {err}") from None
