"""``errdocs mcp``: the lookups as MCP tools, and the pages as MCP resources, on the official MCP
Python SDK (``MCPServer``), over stdio or Streamable HTTP.

The tools' input schemas come from their annotated parameters and their output schemas from the
answer models of ``lookups``: every answer is structured, "not documented" included. Arguments
the schema refuses get the SDK's error naming the field; a catalog that could not be loaded gets
a tool error saying why (and is tried again on the next call); nothing stops the server.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Union

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.mcpserver.resources import FunctionResource
from mcp.types import ToolAnnotations
from pydantic import Field

from ..publish.contract import MCP_TOOLS
from ..publish.llms import LLMS_TXT
from .catalog import Catalog, CatalogError, is_url, load_catalog
from .documents import DocumentError, Documents, documents_for
from .fetch import Fetcher
from .lookups import ErrorAnswer, Explanation, FindAnswer, explain_response, find_errors, get_error

SERVER_NAME = "errdocs"
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


class Catalogs:
    """The catalog of one source, loaded once; until it loads, every use says why it could not."""

    def __init__(self, source: str, fetcher: Fetcher) -> None:
        self.source, self.fetcher = source, fetcher
        self.catalog: Catalog | None = None
        self.on_load: list[Callable[[Catalog], None]] = []

    def load(self) -> Catalog:
        if self.catalog is None:
            self.catalog = load_catalog(self.source, fetcher=self.fetcher)
            for listener in self.on_load:
                listener(self.catalog)
        return self.catalog

    def get(self) -> Catalog:
        """The catalog, or a tool error naming the source and the reason (a site that is down may come back)."""
        try:
            return self.load()
        except CatalogError as err:
            raise ToolError(f"The errors catalog could not be loaded: {err}") from None


def build_server(catalogs: Catalogs, documents: Documents | None) -> MCPServer:
    """The MCP server over ``catalogs``; ``documents`` serves the pages as resources (None: no resources)."""
    server = MCPServer(
        SERVER_NAME,
        title="Error lookup",
        instructions=("Look up an API's errors as its documentation publishes them: get_error for one code, find_errors to "
                      "search, explain_response for an error response you received (it says whether and when to retry)."),
        log_level="WARNING",
    )

    @server.tool(name="get_error", annotations=READ_ONLY, description=(
        f"{MCP_TOOLS['get_error']}: its HTTP status, category, meaning, the steps of what to do, the retry policy and what "
        "it means in seconds, SDK exceptions, sub-codes, lifecycle, doc_url and the page as Markdown. An unknown code "
        "gets documented: false and the closest documented spellings."))
    def get_error_tool(
        code: Annotated[str, Field(min_length=1, max_length=200, description="The error code, as the API sends it.")],
    ) -> ErrorAnswer:
        return get_error(catalogs.get(), code.strip())

    @server.tool(name="find_errors", annotations=READ_ONLY, description=(
        f"{MCP_TOOLS['find_errors']}: every code that matches all the filters given (none: every code), each with its "
        "statuses, category, retry policy, summary and doc_url."))
    def find_errors_tool(
        status: Annotated[Union[int, None], Field(ge=400, le=599, description="An HTTP status the code is sent with.")] = None,
        retryable: Annotated[Union[bool, None], Field(description="Whether sending the same request again can succeed.")] = None,
        category: Annotated[Union[str, None], Field(max_length=200, description="The code's category, for APIs that have them.")] = None,
        text: Annotated[Union[str, None], Field(max_length=500, description="Words that must all appear in the code, its summary, meaning, steps or sub-codes.")] = None,
    ) -> FindAnswer:
        return find_errors(catalogs.get(), status=status, retryable=retryable, category=category, text=text)

    @server.tool(name="explain_response", annotations=READ_ONLY, description=(
        f"{MCP_TOOLS['explain_response']}: give the HTTP status, the body as received (JSON or text) and the headers. "
        "The code and sub-code are read through the API's error envelope, whatever its shape; the answer says whether "
        "to retry and after how many seconds (Retry-After first, then the API's backoff), what to change, and plainly "
        "when the response is not a documented error or not this API's envelope."))
    def explain_response_tool(
        status: Annotated[int, Field(ge=100, le=599, description="The HTTP status of the response.")],
        body: Annotated[Any, Field(description="The response body: its JSON (an object), or its text as received.")],
        headers: Annotated[Union[dict[str, Union[str, int]], None], Field(description="The response headers, by name.")] = None,
    ) -> Explanation:
        return explain_response(catalogs.get(), status=status, body=body, headers=headers)

    if documents is not None:
        def add_resources(catalog: Catalog) -> None:
            # Each resource is named by its published address; it is read from where the catalog came from.
            pages = [(catalog.docs_url + LLMS_TXT, "llms.txt", "text/plain",
                      f"The index of the {catalog.name} documentation for agents.")]
            pages += [(entry.twin_url, f"{name}.md", "text/markdown", f"{name}: {entry.summary}")
                      for name, entry in catalog.codes.items() if entry.twin_url and entry.twin_url.startswith(catalog.docs_url)]
            for url, name, media_type, about in pages:
                server.add_resource(FunctionResource.from_function(
                    _reader(documents, url[len(catalog.docs_url):]), uri=url, name=name, mime_type=media_type, description=about))

        catalogs.on_load.append(add_resources)
        if catalogs.catalog is not None:
            add_resources(catalogs.catalog)
    return server


def _reader(documents: Documents, path: str) -> Callable[[], str]:
    def read() -> str:
        try:
            return documents.read(path)
        except DocumentError as err:
            raise ResourceError(str(err)) from None
    read.__name__ = "read_page"
    return read


def http_address(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) as ``(host, port)``; ``ValueError`` saying what is wrong."""
    host, colon, port = value.rpartition(":")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--http {value!r}: expected HOST:PORT, such as 127.0.0.1:8000")
    return host.strip("[]"), int(port)


def serve(source: str, *, http: str | None = None, cache_dir: Path | None = None) -> int:
    """Run the server until it is stopped: over stdio, or Streamable HTTP at ``http`` (``HOST:PORT``, path ``/mcp``)."""
    try:
        address = http_address(http) if http else None
    except ValueError as err:
        print(f"errdocs mcp: {err}", file=sys.stderr)
        return 2
    fetcher = Fetcher(cache_dir)
    catalogs = Catalogs(source, fetcher)
    try:
        catalogs.load()
    except CatalogError as err:
        if not is_url(source):
            print(f"errdocs mcp: {err}", file=sys.stderr)
            return 1
        # A site may be down for a while: the server starts, and its tools say why until the catalog loads.
        print(f"errdocs mcp: {err} (serving anyway: each tool call tries again)", file=sys.stderr)
    try:
        with documents_for(source, fetcher) as documents:
            server = build_server(catalogs, documents)
            with contextlib.suppress(KeyboardInterrupt):
                if address:
                    host, port = address
                    print(f"errdocs mcp: serving {source} on http://{host}:{port}/mcp (Streamable HTTP)", file=sys.stderr, flush=True)
                    server.run("streamable-http", host=host, port=port)
                else:
                    server.run("stdio")
    except DocumentError as err:
        print(f"errdocs mcp: {err}", file=sys.stderr)
        return 1
    return 0
