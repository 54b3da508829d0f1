"""MkDocs hook: the thin adapter between MkDocs events and the ``errdocs`` package.

Each handler only moves data between MkDocs and plain functions; everything it
renders comes from ``errdocs``. State lives in ``_build`` and is replaced in
``on_config`` because ``mkdocs serve`` imports this module once and then runs
every rebuild through the same module object (mkdocs issue 3993).

Under ``mkdocs serve`` a broken registry must not stop the server: MkDocs blocks
every request after a failed rebuild ("the server will appear stuck"). So while
serving, the problems are printed and shown on every page, and the site is built
from the last registry that loaded. ``mkdocs build`` always fails instead.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from errdocs import llms
from errdocs.contract import CONTRACT_FILES, write_contract_files
from errdocs.includes import IncludeError, expand_includes
from errdocs.loading import RegistryError, load_registry
from errdocs.model import Registry
from errdocs.navigation import add_code_groups, has_errors_section, nav_sections
from errdocs.publish import Publisher
from errdocs.site import GeneratedPage, generated_pages, render_page
from errdocs.timing import PhaseTimer, paused_gc
from errdocs.twins import page_doc, twin_path
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

REGISTRY_FILE = "registry.yaml"


class _Build:
    """Everything one build knows; a fresh instance per build."""

    def __init__(
        self,
        registry: Registry,
        registry_path: Path,
        site_dir: Path,
        *,
        serving: bool,
        problems: list[str],
        timer: PhaseTimer,
    ) -> None:
        self.timer = timer
        """Time spent in each phase of this build (reported for `make bench`)."""
        self.registry: Registry | None = registry
        """Released in on_env, once every page is read: the build's peak comes after."""
        self.registry_path = registry_path
        self.serving = serving
        """Built by `mkdocs serve`: problems are shown instead of stopping the server."""
        self.problems = problems
        """Registry or include problems shown on the served pages (serve only)."""
        self.generated: set[str] = set()
        """Docs paths of the generated pages (their content lives in their File only)."""
        self.code_of: dict[str, str] = {}
        """Docs path of each generated code page -> its code."""
        self.llms = Publisher(registry, site_dir)
        """Writes each page's twin into the site as soon as its Markdown is final."""
        self.nav: list[llms.NavSection] = []


_build: _Build | None = None
_last_good: Registry | None = None
"""The last registry that loaded in this process: what `serve` shows while the file is broken."""


def _state() -> _Build:
    if _build is None:  # only if MkDocs ran an event before on_config
        raise PluginError("errors_site: the registry was not loaded (on_config did not run)")
    return _build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build, _last_good
    _build = None
    serving = bool(config.site_url) and _is_dev_server(config.site_url)
    path = Path(config.config_file_path).parent / REGISTRY_FILE
    problems: list[str] = []
    timer = PhaseTimer()
    try:
        registry = load_registry(path, display_name=REGISTRY_FILE, timer=timer)
        if serving:  # a plain build keeps no copy: the registry is let go in on_env
            _last_good = registry
    except RegistryError as err:
        if not serving or _last_good is None:
            raise PluginError(str(err)) from None
        problems = str(err).splitlines()
        _report(problems + [f"{REGISTRY_FILE} has errors: serving the last good version until they are fixed"])
        registry = _last_good
    if not config.site_url:
        config.site_url = registry.site.docs_url
    elif not _is_dev_server(config.site_url) and config.site_url.rstrip("/") + "/" != registry.site.docs_url:
        raise PluginError(
            f"mkdocs.yml: site_url {config.site_url!r} differs from {REGISTRY_FILE} site.docs_url "
            f"{registry.site.docs_url!r}; doc_url values would not be this site's addresses"
        )
    # `mkdocs serve` must rebuild when the registry changes, even if mkdocs.yml
    # forgot `watch: [registry.yaml]` (serve reads config.watch after the first build).
    if str(path) not in {str(Path(item)) for item in config.watch}:
        config.watch.append(str(path))
    if config.nav is not None:
        config.nav = add_code_groups(config.nav, registry)
    _build = _Build(registry, path, Path(config.site_dir), serving=serving, problems=problems, timer=timer)
    return config


def _report(lines: list[str]) -> None:
    # Printed, not logged: under strict mode any logged warning or error makes the
    # rebuild fail, and a failed rebuild blocks the dev server.
    for line in lines:
        print(f"ERROR    -  {line}", file=sys.stderr, flush=True)


def _is_dev_server(site_url: str) -> bool:
    # `mkdocs serve` replaces site_url with its own loopback address before the
    # build; examples keep the published docs_url, which is what clients receive.
    return urlsplit(site_url).hostname in {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    state = _state()
    # Without an errors section in an explicit nav the pages still build, reachable from the overview.
    inclusion = (
        InclusionLevel.NOT_IN_NAV
        if config.nav is not None and not has_errors_section(config.nav)
        else InclusionLevel.UNDEFINED
    )
    with state.timer.phase("render"):
        pages = generated_pages(state.registry)
    for src_uri in [page.src_uri for page in pages] + list(CONTRACT_FILES):
        existing = files.get_file_from_path(src_uri)
        if existing is not None and not existing.generated_by:
            raise PluginError(
                f"docs/{src_uri} is generated from {REGISTRY_FILE}; delete the hand-written file and edit the registry"
            )
    for page in pages:
        state.generated.add(page.src_uri)
        if page.code is not None:
            state.code_of[page.src_uri] = page.code
        level = inclusion if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(_RegistryPage.of(config, page, state, inclusion=level))
    # The machine-readable contract is published as static files, so pages can link them.
    # They are written straight into site_dir (cleaned before on_files) rather than held
    # in memory for the whole build; MkDocs then skips copying a file onto itself.
    site_dir = Path(config.site_dir)
    with state.timer.phase("contract"):
        contract = write_contract_files(state.registry, site_dir)
    for src_uri in contract:
        files.append(File.generated(config, src_uri, abs_src_path=str(site_dir / src_uri)))
    return files


class _RegistryPage(File):
    """A generated page whose Markdown is rendered from the registry when MkDocs reads it.

    ``File.generated(content=...)`` would hold every page's source for the whole build
    beside the copy MkDocs keeps as ``page.markdown`` (about 30 MB at 10,000 codes).
    """

    _page: GeneratedPage
    _state: _Build

    @classmethod
    def of(cls, config: MkDocsConfig, page: GeneratedPage, state: _Build, *, inclusion: InclusionLevel) -> File:
        # generated() wants content or a path; the empty content is never read (see below).
        file = cls.generated(config, page.src_uri, content="", inclusion=inclusion)
        file._page, file._state = page, state
        return file

    @property
    def content_string(self) -> str:
        registry = self._state.registry
        if registry is None:
            raise PluginError(f"docs/{self.src_uri} was read after the pages were built; its source is generated then only")
        with self._state.timer.phase("render"):
            return render_page(registry, self._page)

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8")


def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
    _state().nav = [llms.NavSection(title, pages) for title, pages in nav_sections(_nav_data(nav.items))]
    return nav


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = _state()
    src = page.file.src_uri
    with state.timer.phase("includes"):
        markdown = _expanded(state, markdown, src)
    with state.timer.phase("llms"), paused_gc():
        # The twin is made from exactly this Markdown: what MkDocs is about to render.
        # It is written now (site_dir was cleaned before on_files), so no page's
        # Markdown has to be kept until the end of the build.
        state.llms.add(
            page_doc(
                state.registry,
                src,
                markdown,
                page.meta,
                code=state.code_of.get(src),
                generated=src in state.generated,
                fallback_title=page.title or page.file.name,
            )
        )
    page.meta["markdown_twin"] = twin_path(src)
    return markdown


def _expanded(state: _Build, markdown: str, src: str) -> str:
    if src in state.generated:
        return markdown
    try:
        return expand_includes(markdown, state.registry)
    except IncludeError as err:
        if not state.serving:
            raise PluginError(f"docs/{src}: {err}") from None
        _report([f"docs/{src}: {err}"])
        state.problems.append(f"docs/{src}: {err}")
        return markdown


def on_page_content(html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    problems = _state().problems
    if not problems:
        return html_text
    # Only ever set under `serve`: the writer sees the problem in the browser too.
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
    banner = (
        '<div class="admonition failure"><p class="admonition-title">The docs sources have errors; '
        f"this page shows the last good registry</p><ul>{items}</ul></div>"
    )
    return banner + html_text


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
    # MkDocs fires this once every page's Markdown is read and converted, before it
    # renders the templates (where its memory peaks). The LLM indexes are made now and
    # the registry is let go: nothing after this point needs it.
    state = _state()
    with state.timer.phase("llms"):
        state.llms.seal(state.nav)
    state.registry = None
    return env


def on_post_build(*, config: MkDocsConfig) -> None:
    state = _state()
    with state.timer.phase("llms"), paused_gc():
        # A failing size budget or parity gate removes the twins: no LLM file is left behind.
        problems = state.llms.finish(site_dir=Path(config.site_dir))
    if problems:
        _fail(state, problems)
    state.timer.report()


def on_build_error(*, error: Exception) -> None:
    # Twins may still be on their way to the writer process: let it finish rather than
    # leave a process behind (under `serve`, each failed rebuild would leave one).
    if _build is not None:
        _build.llms.close()


def _fail(state: _Build, problems: list[str]) -> None:
    """Stop the build, except under `serve`, where stopping would block the server."""
    if not state.serving:
        raise PluginError("\n".join(problems))
    _report(problems)


def _nav_data(items: list[Any]) -> list[Any]:
    """MkDocs' resolved navigation as plain nav data (works for explicit and automatic navs)."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            out.append({str(item.title): _nav_data(item.children)})
        elif isinstance(item, Page):
            out.append(item.file.src_uri)
    return out
