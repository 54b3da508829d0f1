"""The MkDocs plugin ``errdocs`` (``plugins: [errdocs]``), which a hook file can use as well:
the only part of errdocs that imports MkDocs."""

from .config import ErrdocsConfig
from .plugin import ErrdocsPlugin, hook_events

__all__ = ["ErrdocsConfig", "ErrdocsPlugin", "hook_events"]
