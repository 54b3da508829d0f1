"""Errors looked up instead of read: a site's ``errors.json`` as a catalog, the lookups an agent
needs (``lookups.py``), and the MCP server that offers them (``server.py``, the only module that
imports the MCP SDK, an extra: ``errdocs[mcp]``). Nothing here knows MkDocs."""
