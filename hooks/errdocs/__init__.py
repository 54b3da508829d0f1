"""errdocs: an error-code registry turned into documentation.

Plain functions and types only: registry in, Markdown and text out. Nothing in this
package imports MkDocs; ``hooks/errors_site.py`` is the thin adapter that wires it
into MkDocs events, and ``python -m errdocs`` runs it without MkDocs at all.

The packages, each answering one question:

* ``registry``: what the registry is (the model, and reading ``registry.yaml``);
* ``render``: Markdown for readers (escaping, snippets, pages, include markers, nav);
* ``publish``: what agents and machines read (twins, llms.txt, contract files, the parity gate);
* ``tools``: what runs outside a build (the breaking-change gate, generate, preview).

This module is the small surface the hook and the CLI use.
"""

from .build import Build, site_url_problem
from .publish.twins import twin_path
from .registry.load import RegistryError, load_registry
from .registry.model import Registry
from .render.active import active_content
from .render.includes import IncludeError
from .render.nav import add_code_groups, codes_table_page, lists_code_pages
from .render.html_passes import mark_chrome, with_banner

__all__ = [
    "Build",
    "active_content",
    "IncludeError",
    "Registry",
    "RegistryError",
    "add_code_groups",
    "codes_table_page",
    "lists_code_pages",
    "load_registry",
    "mark_chrome",
    "with_banner",
    "site_url_problem",
    "twin_path",
]
