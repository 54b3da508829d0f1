"""Folder addresses that answer: a reader who trims ``/errors/overview/`` to ``/errors/``
gets the folder's first page, not a 404.

Static hosts serve ``<folder>/index.html`` for a folder address, so every folder that
holds pages but no page of its own gets a small redirect page there: a meta refresh
and a plain link (hosts without redirect rules need both), ``noindex`` and a canonical
link, so search engines and crawlers keep to the real page. None is in the navigation,
the sitemap, search or the LLM files: they are not pages.
"""

from __future__ import annotations

import html
import posixpath
from typing import Iterable

FOLDER_PAGE = "index.html"


def folder_targets(page_paths: Iterable[str]) -> dict[str, str]:
    """``{folder: page path}`` for every folder above a page that is not itself a page: the
    first page under it, in the order given (navigation order). Paths are site-relative
    (``errors/overview/``, ``errors/overview.html``); the site root is not a folder here."""
    paths = list(page_paths)
    pages = set(paths)
    targets: dict[str, str] = {}
    for path in paths:
        parts = path.rstrip("/").split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth]) + "/"
            if folder not in pages and folder not in targets:
                targets[folder] = path
    return targets


def folder_page(folder: str, target: str, *, docs_url: str) -> str:
    """The redirect page of ``folder`` (both site-relative) to ``target``."""
    relative = posixpath.relpath(target, folder) + ("/" if target.endswith("/") else "")
    href = html.escape(relative, quote=True)
    canonical = html.escape(docs_url + target, quote=True)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Redirecting to {canonical}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'</head>\n<body>\n<p>This folder has no page of its own: go to <a href="{href}">{canonical}</a>.</p>\n'
        "</body>\n</html>\n"
    )
