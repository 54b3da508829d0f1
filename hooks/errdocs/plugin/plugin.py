"""The adapter between MkDocs' events and ``errdocs.Build``, in event order: the ``errdocs``
plugin, and the same object behind a site's hook file (``hook_events``).

MkDocs keeps a plugin with ``on_startup`` for the whole ``mkdocs serve`` session, and
imports a hook module once per process, so the state here outlives one build: the build
itself is replaced in ``on_config``. A failed rebuild blocks MkDocs' dev server, so while
serving, problems are printed and shown on every page, from the last registry that
loaded; ``mkdocs build`` fails instead. After the first build under `serve`, a save
revises the last build where it can instead of building it again (``plugin/serve.py``)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import EVENTS, BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..build import Build, docs_tree, site_url_problem
from ..publish.headers import HEADERS_FILE
from ..publish.twins import twin_path
from ..registry.load import RegistryError, load_registry
from ..registry.reload import ReadRegistry, read_registry
from ..registry.model import Registry
from ..render.active import active_content
from ..render.includes import IncludeError
from ..render.nav import add_code_groups, codes_table_page, lists_code_pages
from ..render.html_passes import mark_chrome, with_banner
from .config import ErrdocsConfig
from .files import RenderedOnRead, nav_data
from .theme import add_page_parts

if TYPE_CHECKING:  # imported when serving only: a build, under any engine, never needs MkDocs' dev server
    from mkdocs.livereload import LiveReloadServer

    from .serve import Revisions

log = get_plugin_logger("errdocs")
Event = TypeVar("Event", bound=Callable[..., Any])
LAST = -100
"""The priority of the events that note a page's HTML: after every other plugin's edits, as it is written."""


def _guarded(event: Event) -> Event:
    """Under `serve`, an unforeseen error in an event is reported like any problem, and the
    build goes on with the event's input unchanged: a raised error would block the server."""
    @functools.wraps(event)
    def run(self: ErrdocsPlugin, *args: Any, **kwargs: Any) -> Any:
        try:
            return event(self, *args, **kwargs)
        except Exception as err:
            if not self.serving or self.build is None or isinstance(err, PluginError):
                raise
            self.fail([f"errdocs: {type(err).__name__} in {event.__name__}: {err}"])
            return args[0] if args else None
    return run  # type: ignore[return-value]


def _has_attr_list(config: MkDocsConfig) -> bool:
    """Whether the site's Markdown reads ``{#id}`` after a heading (by its short or full name)."""
    return any(str(name).rsplit(".", 1)[-1] == "attr_list" for name in config.markdown_extensions)


class ErrdocsPlugin(BasePlugin[ErrdocsConfig]):
    """Error docs from one registry: its pages, twins, LLM files and contract files, in any MkDocs site."""

    def __init__(self) -> None:
        self.serving = False
        """Whether this process runs `mkdocs serve` (set once, in on_startup)."""
        self.last_good: Registry | None = None
        """While serving: the last registry that loaded, shown while the file is broken."""
        self.build: Build | None = None
        """The current build, replaced in on_config."""
        self.read: ReadRegistry | None = None
        """While serving: the last registry read that loaded, which the next read after an edit compares with."""
        self.revisions: Revisions | None = None
        """While serving (not ``--dirty``): the dev server's builder after the first build."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        if self.serving and not dirty:  # --dirty keeps MkDocs' own partial rebuilds
            from .serve import Revisions

            self.revisions = Revisions(self)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.build = None
        name = self.config.registry
        path = Path(config.config_file_path).parent / name
        problems: list[str] = []
        if self.revisions is not None:
            self.revisions.began(config)
        try:
            if self.serving:  # keeps what reading the registry again after an edit needs
                self.read = read_registry(path, display_name=name, docs=docs_tree(Path(config.docs_dir)), previous=self.read)
                registry = self.read.registry
            else:
                registry = load_registry(path, display_name=name, docs=docs_tree(Path(config.docs_dir)))
        except Exception as err:  # a RegistryError, or, under serve, anything unforeseen
            if not self.serving or self.last_good is None:
                if isinstance(err, RegistryError):
                    raise PluginError(str(err)) from None
                raise
            problems, registry = (str(err) or type(err).__name__).splitlines(), self.last_good
            log.info(f"{name} has errors: serving the last good version until they are fixed")
        if self.serving:  # a plain build keeps no copy: the registry is let go once every page is read
            self.last_good = registry
        # `mkdocs serve` puts its own address in site_url; examples keep the published docs_url.
        mismatch = None if self.serving else site_url_problem(config.site_url, registry, registry_file=name)
        if mismatch:
            raise PluginError(f"mkdocs.yml: {mismatch}")
        config.site_url = config.site_url or registry.site.docs_url
        if registry.anchors_page_path is not None and not _has_attr_list(config):
            raise PluginError(f"mkdocs.yml: {name} sets site.doc_url_form: anchor, whose sections take their ids "
                              "from attr_list ({#card_declined}); add attr_list to markdown_extensions")
        # Rebuild on registry edits even if mkdocs.yml forgot to watch the registry.
        if str(path) not in {str(Path(item)) for item in config.watch}:
            config.watch.append(str(path))
        if config.nav is not None:
            config.nav = add_code_groups(config.nav, registry, codes_page=codes_table_page(config.nav, Path(config.docs_dir)))
        overridden = add_page_parts(config)
        if overridden:
            log.warning(overridden)
        self.build = Build(registry, out_dir=Path(config.site_dir), registry_file=name)
        self.fail(problems)
        return config

    @_guarded
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        build = self.current()
        clash = build.clash(file.src_uri for file in files if not file.generated_by)
        if clash:
            raise PluginError(clash)
        # The docs' own _headers is not copied as is: the build's _headers keeps its rules after the security headers.
        own = files.get_file_from_path(HEADERS_FILE)
        if own is not None and not own.generated_by:
            build.own_headers = own.content_string
            files.remove(own)
        # Without an errors section in an explicit nav the pages still build, reachable from the overview.
        listed = config.nav is None or lists_code_pages(config.nav, build.registry)
        for page in build.pages.values():
            level = InclusionLevel.UNDEFINED if listed and page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(RenderedOnRead.of(config, page.src_uri, build, inclusion=level))
        # The machine-readable contract is published as static files, so pages can link them. They
        # are written into the site now, and each file's source is itself there, which MkDocs leaves
        # in place: the build holds none of their text to its end.
        for src_uri, written in build.write_contract_files().items():
            files.append(File.generated(config, src_uri, abs_src_path=str(written)))
        return files

    @_guarded
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.current().nav = nav_data(nav.items)
        if self.revisions is not None:
            self.revisions.navigated(nav, files)
        return nav

    @_guarded
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        build, src = self.current(), page.file.src_uri
        try:
            markdown = build.page_markdown(src, markdown, page.meta, fallback_title=page.title or page.file.name)
        except IncludeError as err:
            self.fail([f"docs/{src}: {err}"])  # serve only: the page is shown as written
        page.meta["markdown_twin"] = twin_path(src)
        return markdown

    @_guarded
    def on_page_content(self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        found = active_content(html_text)  # the last guard: nothing in a page may run script
        self.fail([f"docs/{page.file.src_uri}: its HTML has {what}; remove it from the page or {self.config.registry}"
                   for what in found])
        return mark_chrome(html_text)

    @_guarded
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        build = self.current()
        build.seal()  # every page is read; the templates (MkDocs' memory peak) come next
        self.fail(build.check(file.src_uri for file in files))  # before MkDocs writes its first file
        if self.revisions is not None:
            self.revisions.prepared(env)
        return env

    @event_priority(LAST)
    @_guarded
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        build = self.current()
        output = with_banner(output, build.problems)  # problems are only ever kept under `serve`
        build.page_html(output)
        return output

    @event_priority(LAST)
    @_guarded
    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name.endswith((".html", ".htm")):  # 404.html: a page rendered as a template (sitemap.xml is not HTML)
            self.current().page_html(output_content)
        return output_content

    @_guarded
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        build = self.current()
        build.publish()
        build.publish_headers()
        if self.revisions is not None:
            self.revisions.finished(config)

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[[], None]) -> LiveReloadServer:
        if self.revisions is None:
            return server
        return self.revisions.install(server, builder, config)

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.discard()  # a failed build leaves no LLM file behind

    def current(self) -> Build:
        """The build of this run (MkDocs ran an event before on_config if there is none)."""
        if self.build is None:
            raise PluginError("errdocs: the registry was not loaded (on_config did not run)")
        return self.build

    def fail(self, problems: list[str]) -> None:
        """Stop the build on ``problems`` (if any), except under `serve`, where stopping would block the server."""
        if problems and not self.serving:
            raise PluginError("\n".join(problems))
        # Printed, not logged: in strict mode a logged warning fails the rebuild, which blocks the server.
        sys.stderr.write("".join(f"ERROR    -  {line}\n" for line in problems))
        self.current().problems += problems


def hook_events(**options: Any) -> dict[str, Callable[..., Any]]:
    """The plugin's events as a hook module's ``on_*`` functions, for a site that keeps a hook
    file (``globals().update(hook_events())``); ``options`` are the plugin's, checked as MkDocs would."""
    plugin = ErrdocsPlugin()
    errors, _ = plugin.load_config(options)
    if errors:
        raise PluginError("; ".join(f"errdocs hook option {key!r}: {err}" for key, err in errors))
    return {f"on_{event}": getattr(plugin, f"on_{event}") for event in EVENTS if hasattr(plugin, f"on_{event}")}
