"""The plugin's options, as ``mkdocs.yml`` gives them (``plugins: [errdocs: {registry: ...}]``)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..registry.load import DEFAULT_REGISTRY


class ErrdocsConfig(Config):
    """What a site sets under ``plugins: - errdocs:``; MkDocs checks each option by its name."""

    registry = c.Type(str, default=DEFAULT_REGISTRY)
    """The registry file, relative to ``mkdocs.yml``."""
