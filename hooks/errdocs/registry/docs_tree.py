"""The registry against the docs tree it is built with: what only the docs folder shows wrong.

A code page must not take the place of a hand-written page, and every link from registry
text to a page of the site (``/guides/retries.md``, a related page's ``url``) must reach a
file of the docs folder or one the build adds. MkDocs would refuse such a link too, but
only later and naming the generated page; found here, it is named at the registry's line.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel

from .cross_references import Loc
from .document import Registry
from .field_types import holds_markdown
from .links import markdown_links


@dataclass(frozen=True)
class DocsTree:
    """The docs folder of a site, and what a build adds to it."""

    folder: Path
    generated: Callable[[Registry], Iterable[str]]
    """The docs paths a build of a registry adds (code pages, changelog, contract files...)."""


def docs_problems(registry: Registry, docs: DocsTree) -> list[tuple[Loc, str]]:
    """Code pages that would replace hand-written ones, and links to pages that do not exist."""
    problems: list[tuple[Loc, str]] = [
        (("codes", code), f"the page of code {code!r} would replace the hand-written {docs.folder.name}/{page}; choose another code name")
        for code in registry.codes
        if (docs.folder / (page := registry.code_page_path(code))).exists()
    ]
    return problems + link_problems(registry, docs)


def link_problems(registry: Registry, docs: DocsTree) -> list[tuple[Loc, str]]:
    """Links from registry text to pages that neither the docs folder nor the build holds."""
    generated = set(docs.generated(registry))
    return [
        (loc, f"link {url!r} reaches no page: {docs.folder.name}/{path} does not exist and the build adds no such file")
        for loc, url in site_links(registry)
        if (path := _page_path(url)) and path not in generated and not (docs.folder / path).is_file()
    ]


def site_links(registry: Registry) -> Iterator[tuple[Loc, str]]:
    """Every link from registry text to a page of this site written from the docs root
    (``/errors/forbidden.md``), with the place of the text that holds it."""
    for loc, text in _prose(registry, (), None, ()):
        # Most prose has no link: skip the parse (as the link policy does).
        if "](" in text or "]:" in text or "<" in text:
            yield from ((loc, url) for url in markdown_links(text) if _page_path(url))
    for name, code in registry.codes.items():
        for index, related in enumerate(code.related):
            if related.url and _page_path(related.url):
                yield ("codes", name, "related", index, "url"), related.url


def _page_path(url: str) -> str | None:
    """The docs path a site link names (``guides/retries.md``), or None for any other link."""
    if not url.startswith("/") or url.startswith("//"):
        return None
    return unquote(urlsplit(url).path).lstrip("/") or None


def _prose(value: Any, annotation: Any, metadata: Iterable[Any], loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every ``Markdown`` value under ``value``, found through the model's annotations."""
    if isinstance(value, BaseModel):
        for name, info in _prose_fields(type(value)):
            yield from _prose(getattr(value, name), info.annotation, info.metadata, (*loc, name))
        return
    annotation, metadata = _member(annotation, metadata, value)
    if isinstance(value, str):
        if holds_markdown(metadata):
            yield loc, value
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _prose(item, _args(annotation)[0], (), (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _prose(item, _args(annotation)[-1], (), (*loc, key))


@functools.cache
def _prose_fields(model: type[BaseModel]) -> list[tuple[str, Any]]:
    """The fields of ``model`` whose annotation can hold Markdown at any depth: the only ones
    worth walking (at 2,000 codes, walking every field took most of the docs check)."""
    return [(name, info) for name, info in model.model_fields.items()
            if _may_hold_markdown(info.annotation, info.metadata, {model})]


def _may_hold_markdown(annotation: Any, metadata: Iterable[Any], models: set[type]) -> bool:
    """Whether a value of ``annotation`` (with ``metadata``) can be or contain ``Markdown``, as
    ``_prose`` finds it; ``models`` are those being looked into (a model nested in itself counts as holding it)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        return _may_hold_markdown(inner, [*metadata, *more], models)
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return any(_may_hold_markdown(arg, metadata, models) for arg in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation in models or any(_may_hold_markdown(info.annotation, info.metadata, {*models, annotation})
                                           for info in annotation.model_fields.values())
    if isinstance(annotation, type) and origin is None and not typing.get_args(annotation):
        return issubclass(annotation, str) and holds_markdown(metadata)
    # Containers (list[...], dict[..., ...]) hold what their arguments hold; Any or an unknown form may hold anything.
    return not typing.get_args(annotation) or any(_may_hold_markdown(arg, (), models) for arg in typing.get_args(annotation))


def _args(annotation: Any) -> tuple[Any, ...]:
    return typing.get_args(annotation) or (Any,)


def _member(annotation: Any, metadata: Iterable[Any], value: Any) -> tuple[Any, list[Any]]:
    """``annotation`` without ``Annotated`` (its metadata joined to ``metadata``) and, for a
    union such as ``Markdown | None``, the member that can hold ``value``."""
    metadata = list(metadata)
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *more = typing.get_args(annotation)
            metadata += more
        elif origin is typing.Union or type(annotation).__name__ == "UnionType":
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = next((arg for arg in members if _can_hold(arg, value)), members[0])
        else:
            return annotation, metadata


def _can_hold(annotation: Any, value: Any) -> bool:
    base = typing.get_origin(annotation) or annotation
    if base is typing.Annotated:
        return _can_hold(typing.get_args(annotation)[0], value)
    return base is not Any and isinstance(base, type) and isinstance(value, base)
