"""errdocs' page parts in a Material site: the plugin's templates and stylesheet, placed so a
site's own ``custom_dir`` and ``extra_css`` still win."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

TEMPLATES = Path(__file__).parent / "templates"
"""Templates (``errdocs.html``, ``main.html``, ``404.html``, partials) and the stylesheet, shipped in the package."""
STYLESHEET = "assets/stylesheets/errdocs.css"
"""The stylesheet's path in the templates folder and on the site: MkDocs copies a theme
folder's non-template files to the site, and a docs file of the same path wins."""
THEME = "material"


def add_page_parts(config: MkDocsConfig) -> str | None:
    """Put errdocs' templates after the site's ``custom_dir`` and before the theme's own
    folders, and its stylesheet before the site's ``extra_css``. Returns a warning for a
    site ``main.html`` that would drop the parts, else None. Other themes get no parts."""
    theme = config.theme
    if theme.name != THEME:
        return None
    if str(TEMPLATES) not in theme.dirs:  # `mkdocs serve` may hand the same config again
        # Before the theme's folders, so these override Material's; after custom_dir, so the site's win.
        theme.dirs.insert(1 if theme.custom_dir else 0, str(TEMPLATES))
    if STYLESHEET not in config.extra_css:
        config.extra_css.insert(0, STYLESHEET)  # first: the site's own stylesheets come later and win
    return _overridden_main(theme.custom_dir)


def _overridden_main(custom_dir: str | None) -> str | None:
    """A site ``main.html`` that extends Material's ``base.html`` would drop every errdocs page part silently."""
    main = Path(custom_dir or "") / "main.html"
    if not custom_dir or not main.is_file() or "errdocs.html" in main.read_text(encoding="utf-8"):
        return None
    return (f"{main}: extend \"errdocs.html\" instead of \"base.html\", or the pages lose errdocs' parts "
            "(Markdown twin links, Copy page, the note for agents)")
