"""The pages an agent may read through the MCP server (each code's twin, ``llms.txt``), from
where the catalog came: the published site, a built site's folder, or the registry's site
generated without MkDocs into a temporary folder (``errdocs generate``'s own function)."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Iterator, Protocol

from ..tools.generate import GenerateError, generate
from ..registry.load import RegistryError
from .catalog import is_url
from .fetch import MAX_BYTES, Fetcher, FetchError


class DocumentError(Exception):
    """A page that cannot be read; the message says which and why, in one line."""


class Documents(Protocol):
    def read(self, path: str) -> str:
        """The text of the site's file at ``path``, relative to its root (``errors/x.md``, ``llms.txt``)."""
        ...


def _relative(path: str) -> str:
    if not path or path.startswith("/") or "\\" in path or ".." in path.split("/"):
        raise DocumentError(f"{path!r}: not a path inside the site")
    return path


class SiteFolder:
    """A built site on disk (its root: the folder of its ``errors.json``); nothing outside ``root`` is read."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def read(self, path: str) -> str:
        file = (self.root / _relative(path)).resolve()
        if not file.is_relative_to(self.root) or not file.is_file():
            raise DocumentError(f"{path}: no such file in {self.root}")
        if file.stat().st_size > MAX_BYTES:
            raise DocumentError(f"{path}: over {MAX_BYTES:,} bytes")
        return file.read_text(encoding="utf-8", errors="replace")


class RemoteSite:
    """The site the catalog was fetched from (``base``: the address of its root, where ``errors.json``
    is), each file fetched when read, within the fetcher's time and size limits: the published site,
    or a copy served elsewhere (a preview) alike."""

    def __init__(self, fetcher: Fetcher, base: str) -> None:
        self.fetcher, self.base = fetcher, base

    def read(self, path: str) -> str:
        try:
            return self.fetcher.get(self.base + _relative(path)).body.decode("utf-8", errors="replace")
        except FetchError as err:
            raise DocumentError(str(err)) from None


@contextlib.contextmanager
def documents_for(source: str, fetcher: Fetcher) -> Iterator[Documents | None]:
    """Where the pages of the catalog at ``source`` are: the site it was fetched from, the folder of its
    ``errors.json``, or, for a ``registry.yaml`` with a ``mkdocs.yml`` beside it, the pages generated
    from them (None without one: the tools still answer, with each page's address)."""
    if is_url(source):
        yield RemoteSite(fetcher, source.split("?", 1)[0].rsplit("/", 1)[0] + "/")
        return
    path = Path(source)
    if path.suffix not in (".yaml", ".yml"):
        yield SiteFolder(path if path.is_dir() else path.parent)
        return
    config = path.parent / "mkdocs.yml"
    if not config.is_file():
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="errdocs-mcp-") as out:
        try:
            generate(config.resolve(), Path(out), registry_file=path.name)
        except (GenerateError, RegistryError) as err:
            raise DocumentError(f"{config}: its pages could not be generated: {str(err).splitlines()[0]}") from None
        yield SiteFolder(Path(out) / "extra")


__all__ = ["DocumentError", "Documents", "RemoteSite", "SiteFolder", "documents_for"]
