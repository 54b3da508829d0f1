"""errdocs: an error-code registry turned into documentation.

The public surface is small:

* ``ErrdocsPlugin``: the MkDocs plugin (``plugins: [errdocs]``), loaded only when asked
  for, so ``import errdocs`` does not import MkDocs;
* ``load_registry``, ``Registry`` and ``RegistryError``: read and validate a registry;
* ``Build``: one engine-neutral build of the docs from a registry.

Inside, each package answers one question, and imports point down this list:

* ``registry``: what the registry is (the model, and reading the file);
* ``render``: Markdown for readers (escaping, snippets, pages, include markers, nav);
* ``publish``: what agents and machines read (twins, llms.txt, contract files, the parity gate);
* ``wire``: one HTTP response checked against the registry, and coverage (``errdocs verify``, the pytest plugin);
* ``build``: one build, driven by an engine or by ``generate``;
* ``tools``: what runs outside a build (the CLI's commands);
* ``plugin``: the MkDocs adapter, the only part that imports MkDocs.
"""

from __future__ import annotations

from typing import Any

from .build import Build
from .registry.load import RegistryError, load_registry
from .registry.model import Registry

__all__ = ["Build", "ErrdocsPlugin", "Registry", "RegistryError", "load_registry"]


def __getattr__(name: str) -> Any:
    # MkDocs is imported only by a site that asks for the plugin: the CLI and the core run without it.
    if name == "ErrdocsPlugin":
        from .plugin import ErrdocsPlugin

        return ErrdocsPlugin
    raise AttributeError(f"module 'errdocs' has no attribute {name!r}")
