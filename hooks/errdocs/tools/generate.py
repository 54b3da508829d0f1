"""Everything the plugin adds to a site, written to a directory without MkDocs.

For an engine that runs no MkDocs hooks (Zensical, or anything reading Markdown):
``python -m errdocs generate OUT`` writes

* ``OUT/docs/``: the docs tree to build from: hand-written pages with every include
  expanded, one page per code, the changelog, other docs files, and the contract JSON;
* ``OUT/extra/``: files to copy over the built site's root afterwards: the Markdown
  twins, ``llms.txt`` and ``llms-full.txt``.

It uses the same functions as the hook and runs the same parity gate (minus the
checks that need HTML).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from ..build import Build, docs_tree
from ..registry.load import DEFAULT_REGISTRY, load_registry
from ..render.includes import IncludeError
from ..render.nav import add_code_groups, codes_table_page


class GenerateError(Exception):
    """Something in the sources prevents generation; the message says what and where."""


class _PermissiveLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: unknown tags (``!ENV``, ``!!python/name``) become None."""


_PermissiveLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_PermissiveLoader)  # noqa: S506 (safe subclass)
    if not isinstance(data, dict):
        raise GenerateError(f"{path}: expected a mapping")
    return data


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """``(meta, body)`` the way MkDocs reads a page: a leading ``---`` YAML block is meta."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            meta = yaml.safe_load(text[4:end]) or {}
            if isinstance(meta, dict):
                return meta, text[end + 5 :]
    return {}, text


def registry_option(config: dict[str, Any]) -> str:
    """The registry a site's ``mkdocs.yml`` names (``plugins: - errdocs: {registry: ...}``), else the default."""
    for plugin in config.get("plugins") or []:
        options = plugin.get("errdocs") if isinstance(plugin, dict) else None
        if isinstance(options, dict) and isinstance(options.get("registry"), str):
            return options["registry"]
    return DEFAULT_REGISTRY


def generate(config_path: Path, out: Path, *, registry_file: str | None = None) -> list[Path]:
    """Write the generated tree under ``out``; return the files written. The registry is
    ``registry_file``, else the one ``mkdocs.yml`` gives the plugin (paths from ``mkdocs.yml``'s folder)."""
    config = read_config(config_path)
    project = config_path.parent
    docs_dir = project / str(config.get("docs_dir") or "docs")
    registry_file = registry_file or registry_option(config)
    registry = load_registry(project / registry_file, display_name=registry_file, docs=docs_tree(docs_dir))
    docs_out, extra_out = out / "docs", out / "extra"
    for folder in (docs_out, extra_out):
        if folder.exists():
            shutil.rmtree(folder)
    written: list[Path] = []

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)

    # Twins are written to OUT/extra/ as pages are made, as in a build: only their facts stay in memory.
    build = Build(registry, out_dir=extra_out, registry_file=registry_file)
    pages: set[str] = set()
    sources = sorted(path for path in docs_dir.rglob("*") if path.is_file())
    clash = build.clash(path.relative_to(docs_dir).as_posix() for path in sources)
    if clash:
        raise GenerateError(clash)  # the hook's rule, in the hook's words
    for source in sources:
        rel = source.relative_to(docs_dir).as_posix()
        if source.suffix != ".md":
            (docs_out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, docs_out / rel)
            written.append(docs_out / rel)
            continue
        text = source.read_text(encoding="utf-8")
        meta, body = split_front_matter(text)
        try:
            expanded = build.page_markdown(rel, body, meta, fallback_title=source.stem)
        except IncludeError as err:
            raise GenerateError(f"docs/{rel}: {err}") from None
        write(docs_out / rel, text[: len(text) - len(body)] + expanded)
        pages.add(rel)

    for src_uri in build.pages:
        source = build.source(src_uri)
        write(docs_out / src_uri, source)
        meta, body = split_front_matter(source)
        pages.add(src_uri)
        build.page_markdown(src_uri, body, meta, fallback_title="")
    contract = build.contract_files()
    for name, content in contract.items():
        write(docs_out / name, content)

    nav = config.get("nav")
    build.nav = add_code_groups(nav, registry, codes_page=codes_table_page(nav, docs_dir)) if nav else list(build.publisher.pages)
    build.seal()
    problems = build.check(pages | set(contract))
    if problems:
        build.discard()
        raise GenerateError("\n".join(problems))
    build.publish()
    written += sorted(path for path in extra_out.rglob("*") if path.is_file())
    return written
