"""This site's MkDocs hook: errdocs' adapter (``errdocs.plugin``) with its default
options, the registry being ``registry.yaml`` beside ``mkdocs.yml``.

A site that installs errdocs can write ``plugins: [errdocs]`` instead; the events are the
same object's either way. MkDocs imports a hook once per `mkdocs serve` session, so edits
to errdocs itself need a restart of `make serve`."""

from errdocs.plugin import hook_events

globals().update(hook_events())
