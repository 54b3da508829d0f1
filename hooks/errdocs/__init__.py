"""errdocs: an error-code registry turned into documentation.

Plain functions and types only: registry in, Markdown/text out. Nothing in this
package imports MkDocs; ``hooks/errors_site.py`` is the thin adapter that wires
it into MkDocs events, and ``python -m errdocs`` runs it without MkDocs at all.
"""
