"""MkDocs hook: the thin adapter between MkDocs events and ``errdocs.Build``, in event order.

``mkdocs serve`` imports this module once and rebuilds through it (the build is replaced in
``on_config``). A failed rebuild blocks MkDocs' dev server, so while serving, problems are
printed and shown on every page, from the last registry that loaded; ``mkdocs build`` fails."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable

from errdocs import Build, IncludeError, Registry, RegistryError, active_content
from errdocs import add_code_groups, codes_table_page, lists_code_pages, load_registry, mark_chrome, site_url_problem, twin_path, with_banner
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs_files import GeneratedPage, nav_data

REGISTRY_FILE = "registry.yaml"
log = get_plugin_logger("errdocs")

_serving = False  # whether this process runs `mkdocs serve` (set once, in on_startup)
_last_good: Registry | None = None  # while serving: the last registry that loaded, shown while the file is broken
_build: Build | None = None  # the current build, replaced in on_config


def _guarded(event: Callable[..., Any]) -> Callable[..., Any]:
    """Under `serve`, an unforeseen error in an event is reported like any problem, and the
    build goes on with the event's input unchanged: a raised error would block the server."""
    @functools.wraps(event)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return event(*args, **kwargs)
        except Exception as err:
            if not _serving or _build is None or isinstance(err, PluginError):
                raise
            _fail(_build, [f"errdocs: {type(err).__name__} in {event.__name__}: {err}"])
            return args[0] if args else None
    return run


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
    except Exception as err:  # a RegistryError, or, under serve, anything unforeseen
        if not _serving or _last_good is None:
            if isinstance(err, RegistryError):
                raise PluginError(str(err)) from None
            raise
        problems, registry = (str(err) or type(err).__name__).splitlines(), _last_good
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
    _fail(_build, problems)
    return config


@_guarded
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    build = _current()
    clash = build.clash(file.src_uri for file in files if not file.generated_by)
    if clash:
        raise PluginError(clash)
    # Without an errors section in an explicit nav the pages still build, reachable from the overview.
    listed = config.nav is None or lists_code_pages(config.nav, build.registry)
    for page in build.pages.values():
        level = InclusionLevel.UNDEFINED if listed and page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(GeneratedPage.of(config, page.src_uri, build, inclusion=level))
    # The machine-readable contract is published as static files, so pages can link them.
    for src_uri, text in build.contract_files().items():
        files.append(File.generated(config, src_uri, content=text))
    return files


@_guarded
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    _current().nav = nav_data(nav.items)
    return nav


@_guarded
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build, src = _current(), page.file.src_uri
    try:
        markdown = build.page_markdown(src, markdown, page.meta, fallback_title=page.title or page.file.name)
    except IncludeError as err:
        _fail(build, [f"docs/{src}: {err}"])  # serve only: the page is shown as written
    page.meta["markdown_twin"] = twin_path(src)
    return markdown


@_guarded
def on_page_content(html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    found = active_content(html_text)  # the last guard: nothing in a page may run script
    _fail(_current(), [f"docs/{page.file.src_uri}: its HTML has {what}; remove it from the page or registry.yaml" for what in found])
    return mark_chrome(html_text)


@_guarded
def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    build = _current()
    build.seal()  # every page is read; the templates (MkDocs' memory peak) come next
    _fail(build, build.check(file.src_uri for file in files))  # before MkDocs writes its first file
    return env


@_guarded
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    return with_banner(output, _current().problems)  # problems are only ever kept under `serve`


@_guarded
def on_post_build(*, config: MkDocsConfig) -> None:
    _current().publish()


def on_build_error(*, error: Exception) -> None:
    if _build is not None:
        _build.discard()  # a failed build leaves no LLM file behind


def _current() -> Build:
    if _build is None:  # only if MkDocs ran an event before on_config
        raise PluginError("errors_site: the registry was not loaded (on_config did not run)")
    return _build


def _fail(build: Build, problems: list[str]) -> None:
    """Stop the build on ``problems`` (if any), except under `serve`, where stopping would block the server."""
    if problems and not _serving:
        raise PluginError("\n".join(problems))
    # Printed, not logged: in strict mode a logged warning fails the rebuild, which blocks the server.
    sys.stderr.write("".join(f"ERROR    -  {line}\n" for line in problems))
    build.problems += problems
