"""Rebuilds under ``mkdocs serve`` that redo only what a save changed.

MkDocs rebuilds the whole site on every save. At 2,000 codes that took 25 s, and a profile
of one rebuild (``bench/RESULTS.md``) puts 95 % of it in work done once per page: Material's
templates (the navigation of every page), Markdown to HTML, the search plugin reading each
page's HTML, errdocs' checks of each page. So after the first build, the server's builder is
this module's: it compares the watched files with the last build's, and when only Markdown
pages, assets of the docs folder and codes of the registry changed, it runs MkDocs' own
steps for just the pages that show the change: the edited pages, and the pages whose
Markdown the registry now renders differently (``Build.changed_pages``); an edited asset
is copied. Everything made from every page is made again from the pages' kept facts:
``llms.txt`` and its shards, ``llms-full.txt``, the contract files, the search index (the
revised pages' entries replaced, in page order), the sitemap, the 404 page and the header
files. Files MkDocs excludes (an editor's swap file) change nothing. Anything else is a
whole build, as MkDocs would run it: an edit of ``mkdocs.yml`` or a template; a file
added or removed; a code added, removed, renamed or moved to another group or lifecycle
state; a page whose title or front matter changed; a registry or page with problems (the
banner goes on or off on every page); a warning in strict mode; and a site with a plugin,
hook or Markdown extension whose output depends on more than one page (``unrevisable``).
"""

from __future__ import annotations

import logging
import os
import time
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation
from mkdocs.utils import CountHandler

from ..build import docs_tree, revision_problem
from ..publish.headers import HEADERS_FILE
from ..registry.load import RegistryError
from ..registry.reload import read_registry
from .files import RenderedOnRead
from .theme import TEMPLATES

log = get_plugin_logger("errdocs")
READS_OTHER_FILES = ("pymdownx.snippets", "markdown_include.include", "mdx_include")
"""Markdown extensions that put other files into a page as it is converted: a page using one
may change with no edit of its own, so a site using one is always built whole."""
MATERIAL_SEARCH = "material.plugins.search.plugin"
OWN_META = frozenset({"description"})
"""Front matter keys only the page's own HTML shows (its ``<meta name="description">``): other
keys (``title``, and Material's ``icon`` and ``status``) show in every page's navigation."""


@dataclass(frozen=True)
class Built:
    """What a finished build leaves that the next revision works on: MkDocs' own objects."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment


def stat_files(paths: list[str]) -> dict[str, tuple[int, int]]:
    """Every file under ``paths`` (files or folders, symlinks followed as MkDocs does) with its
    modification time and size: what the dev server's watcher compares too."""
    found: dict[str, tuple[int, int]] = {}

    def note(path: str) -> None:
        try:
            info = os.stat(path)
        except OSError:
            return
        found[path] = (info.st_mtime_ns, info.st_size)

    for top in paths:
        if os.path.isdir(top):
            for folder, _, names in os.walk(top, followlinks=True):
                for name in names:
                    note(os.path.join(folder, name))
        else:
            note(top)
    return found


def watched(config: MkDocsConfig) -> list[str]:
    """The sources a build reads beside MkDocs' own package files: ``mkdocs.yml``, the docs folder,
    its ``watch:`` list (the registry among them), the theme's ``custom_dir`` and errdocs' templates."""
    paths = [config.config_file_path, config.docs_dir, *config.watch, str(TEMPLATES)]
    if config.theme.custom_dir:
        paths.append(config.theme.custom_dir)
    return [os.path.abspath(path) for path in paths if path]


def unrevisable(config: MkDocsConfig, is_errdocs: Callable[[Any], bool]) -> str | None:
    """Why a site cannot be revised page by page (a plugin or hook other than errdocs and Material's
    search, or a Markdown extension that reads other files), else None."""
    for name, plugin in config.plugins.items():
        if is_errdocs(plugin) or type(plugin).__module__ == MATERIAL_SEARCH:
            continue
        if isinstance(plugin, types.ModuleType):  # a hook file: errdocs' own when all its events are errdocs'
            events = [getattr(plugin, attr) for attr in dir(plugin) if attr.startswith("on_")]
            if all(is_errdocs(getattr(event, "__self__", None)) for event in events):
                continue
        return f"the site uses the plugin or hook {name!r}"
    for extension in config.markdown_extensions:
        if str(extension) in READS_OTHER_FILES:
            return f"the site uses the Markdown extension {extension!r}, which reads other files into pages"
    return None


class Revisions:
    """The dev server's builder once the first build is done: a revision of the last build where
    one can be made, else MkDocs' own whole build. ``plugin`` is the errdocs plugin serving."""

    def __init__(self, plugin: Any) -> None:
        self.plugin = plugin
        self.paths: list[str] = []
        """The watched files and folders, as the last configuration names them."""
        self.sources: dict[str, tuple[int, int]] | None = None
        """The watched files as the current build began to read them."""
        self.site: Built | None = None
        """The last build's MkDocs objects, once it finished; None while a build runs or after one failed."""
        self._nav: tuple[Navigation, Files] | None = None
        self._env: Environment | None = None
        self._whole: Callable[[], None] | None = None

    # --- what a build tells as it goes (from the plugin's events) ---

    def began(self, config: MkDocsConfig) -> None:
        """A build began (``on_config``): the first one notes the sources it reads, whose changes the
        watcher reports later (the rebuilder notes them for the others, before starting them)."""
        self.paths = [*watched(config), self._registry_path(config)]  # watched even when mkdocs.yml forgot to
        if self.sources is None:
            self.sources = stat_files(self.paths)
        self.site, self._nav, self._env = None, None, None

    def navigated(self, nav: Navigation, files: Files) -> None:
        """The build's navigation and files are final (``on_nav``)."""
        self._nav = (nav, files)

    def prepared(self, env: Environment) -> None:
        """Every page is read; the build's template environment is final (``on_env``)."""
        self._env = env

    def finished(self, config: MkDocsConfig) -> None:
        """The build wrote everything (``on_post_build``): a revision may start from it."""
        if self._nav is not None and self._env is not None:
            self.site = Built(config, self._nav[1], self._nav[0], self._env)

    # --- the server's builder ---

    def install(self, server: LiveReloadServer, builder: Callable[[], None], config: MkDocsConfig) -> LiveReloadServer:
        """Make ``rebuild`` the server's builder (MkDocs' ``builder`` stays the whole build), unless
        the site cannot be revised: then every save is a whole build, as MkDocs makes it."""
        reason = unrevisable(config, lambda plugin: plugin is self.plugin)
        if reason:
            log.info(f"Every save rebuilds the whole site: {reason}")
            return server
        self._whole = builder
        server.builder = self.rebuild  # the build loop calls server.builder(); watch() compares with it
        return server

    def rebuild(self) -> None:
        """The dev server's builder: a revision of the last build where one can be made, else a whole build."""
        assert self._whole is not None and self.sources is not None
        site = self.site
        now = stat_files(self.paths)
        changed = {path for path in {*self.sources, *now} if self.sources.get(path) != now.get(path)}
        reason = self._whole_build_reason(site, changed, now)
        if reason is None and not changed:
            return  # saved as it was, or already built: the watcher reports writes, not changes
        if reason is None:
            assert site is not None
            started = time.monotonic()
            try:
                revised = self._revise(site, changed, now)
            except Exception as err:  # anything unforeseen: the whole build shows it as MkDocs would
                revised = f"{type(err).__name__}: {err}"
            if isinstance(revised, tuple):
                self.sources = now
                pages, read = revised
                log.info(f"Revised {pages} of {len(site.files.documentation_pages())} pages in {time.monotonic() - started:.2f} "
                         f"seconds{read}")
                return
            reason = revised
        log.info(f"Building the whole site: {reason}")
        self.sources = now
        self._whole()

    def _whole_build_reason(self, site: Built | None, changed: set[str], now: dict[str, tuple[int, int]]) -> str | None:
        """Why this save needs a whole build, or None when the last build can be revised."""
        if site is None:
            return "the last build did not finish"
        build = self.plugin.build
        if build is None or build.problems:
            return "the last build showed problems"
        for path in sorted(changed):
            if path != self._registry_path(site.config) and _docs_change(site, path, now) is None:
                shown = _shown(path, site.config)
                if path not in now or path not in (self.sources or {}):
                    return f"{shown} was {'removed' if path not in now else 'added'}"
                return f"{shown} changed"
        return None

    def _registry_path(self, config: MkDocsConfig) -> str:
        return os.path.abspath(Path(config.config_file_path).parent / self.plugin.config.registry)

    def _revise(self, site: Built, changed: set[str], now: dict[str, tuple[int, int]]) -> tuple[int, str] | str:
        """Revise the last build for ``changed`` files: the number of pages built again and what was
        read of the registry (for the log line), or why a whole build is needed."""
        plugin, config, files = self.plugin, site.config, site.files
        previous = plugin.build
        changes = [change for change in (_docs_change(site, path, now) for path in changed) if change is not None]
        dirty = {file.src_uri for kind, file in changes if kind == "page" and file is not None}
        for kind, file in changes:
            if kind == "asset" and file is not None:
                file.copy_file()  # copied as a whole build copies it
        read = plugin.read
        if self._registry_path(config) in changed:
            try:
                read = read_registry(self._registry_path(config), display_name=plugin.config.registry,
                                     docs=docs_tree(Path(config.docs_dir)), previous=plugin.read)
            except RegistryError:
                return f"{plugin.config.registry} has problems"
        edited = read is not plugin.read
        build = previous.revise(read.registry, edited=edited)
        if edited:
            reason = revision_problem(plugin.read.registry, read.registry, pages_before=previous.pages.values(),
                                      pages_after=build.pages.values())
            if reason:
                return reason
            dirty |= set(build.changed_pages(plugin.read.registry))
        plugin.build, plugin.read, plugin.last_good = build, read, read.registry
        for file in files:
            if isinstance(file, RenderedOnRead):
                file._build = build  # generated pages render from the new build when read
        for src_uri, text in build.contract_files().items():
            contract = files.get_file_from_path(src_uri)
            if contract is not None and contract.content_string != text:
                contract.content_string = text
                contract.copy_file()
        serve_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        pages = [file.page for file in serve_files if file.src_uri in dirty and file.page is not None]
        if len(pages) != len(dirty):
            return "a changed page is not built under serve"
        counter = CountHandler()
        counter.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(counter)
        try:
            reason = self._build_pages(site, pages, serve_files)
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)
        if reason is None and config.strict and counter.get_counts():
            reason = "warnings in strict mode"
        if reason is not None:
            return reason
        return len(pages), f" ({plugin.config.registry}: only the edited codes read again)" if edited and read.partial else ""

    def _build_pages(self, site: Built, pages: list[Any], serve_files: list[Any]) -> str | None:
        """MkDocs' steps of a build (``mkdocs.commands.build.build``) for ``pages`` only, then the
        files made from every page; why a whole build is needed, or None when done."""
        config, files, nav, env = site.config, site.files, site.nav, site.env
        before = {page.file.src_uri: _shown_elsewhere(page) for page in pages}
        for page in pages:
            mkdocs_build._populate_page(page, config, files)
        moved = next((page for page in pages if _shown_elsewhere(page) != before[page.file.src_uri]), None)
        if moved is not None:
            return f"the title or front matter of {moved.file.src_uri} changed"
        env = config.plugins.on_env(env, config=config, files=files)
        if self.plugin.build.problems:
            return "the pages have problems"
        search = next((plugin for plugin in config.plugins.values()
                       if type(plugin).__module__ == MATERIAL_SEARCH and plugin.config.enabled), None)
        if search is not None:  # the revised pages' entries are made again as their pages are built
            urls = {page.url for page in pages}
            search.search_index.entries = [entry for entry in search.search_index.entries
                                           if entry["location"].split("#", 1)[0] not in urls]
        for page in pages:
            excluded = page.file.inclusion.is_excluded()
            mkdocs_build._build_page(page, config, serve_files, nav, env, excluded=excluded)
        for template in config.theme.static_templates:  # the sitemap and 404 page list every page
            mkdocs_build._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkdocs_build._build_extra_template(template, files, config, nav)
        if search is not None:  # in page order, as a whole build adds them
            order = {file.page.url: index for index, file in enumerate(serve_files) if file.page is not None}
            search.search_index.entries.sort(key=lambda entry: order.get(entry["location"].split("#", 1)[0], len(order)))
        for file in serve_files:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        return None


def _docs_change(site: Built, path: str, now: dict[str, tuple[int, int]]) -> tuple[str, File | None] | None:
    """How a revision takes a change of the file at ``path`` (absolute): ``("page", file)``,
    ``("asset", file)`` (a file of the docs folder copied as it is), ``("unused", None)`` (a file
    MkDocs excludes, ``.*`` and ``exclude_docs``: an editor's swap file); None when it takes a
    whole build (a file added or removed, one outside the docs folder, the docs' ``_headers``)."""
    docs = os.path.abspath(site.config.docs_dir)
    if not path.startswith(docs + os.sep):
        return None
    rel = Path(os.path.relpath(path, docs)).as_posix()
    file = site.files.get_file_from_path(rel)
    if file is None:
        probe = File(rel, docs, site.config.site_dir, site.config.use_directory_urls)
        set_exclusions([probe], site.config)  # MkDocs' own rule, on a file its last build did not see
        return ("unused", None) if probe.inclusion.is_excluded() else None
    if file.inclusion.is_excluded():
        return "unused", None
    if path not in now or file.generated_by or rel == HEADERS_FILE:
        return None
    if file.is_documentation_page():
        return ("page", file) if file.page is not None else None
    return "asset", file


def _shown_elsewhere(page: Any) -> tuple[Any, ...]:
    """What other pages show of ``page`` (the navigation, prev/next links): its title and front
    matter, but for the keys only its own page shows."""
    return page.title, {key: value for key, value in page.meta.items() if key not in OWN_META}


def _shown(path: str, config: MkDocsConfig) -> str:
    """``path`` as a writer knows it: relative to ``mkdocs.yml``'s folder when inside it."""
    base = os.path.dirname(os.path.abspath(config.config_file_path))
    return os.path.relpath(path, base) if path.startswith(base + os.sep) else path
