"""Markdown for readers: escaping, snippets, the generated pages, include markers and the nav."""
