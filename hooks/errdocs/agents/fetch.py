"""A remote file fetched once, within a time and a size limit, and kept with its ``ETag`` and
``Last-Modified`` so the next start asks only whether it changed (a ``304`` reuses the copy).

httpx2 is the HTTP client the MCP SDK itself uses (the maintained successor of httpx), so the
server brings no second one.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2

TIMEOUT = 10.0
"""Seconds a fetch may take in all, from connecting to the last byte (a server that trickles is cut off too)."""
MAX_BYTES = 32 * 1024 * 1024
"""The largest file fetched: an ``errors.json`` of thousands of codes is a few megabytes."""
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A file that could not be fetched; the message says which and why, in one line."""


def default_cache_dir() -> Path:
    """``$ERRDOCS_CACHE_DIR``, else ``$XDG_CACHE_HOME/errdocs``, else ``~/.cache/errdocs``."""
    if os.environ.get("ERRDOCS_CACHE_DIR"):
        return Path(os.environ["ERRDOCS_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "errdocs"


@dataclass(frozen=True)
class Fetched:
    """A fetched file: its bytes, its media type, and whether they came from the cache (``304``)."""

    body: bytes
    content_type: str
    from_cache: bool


class Fetcher:
    """Fetches ``http(s)`` URLs within ``timeout`` seconds and ``max_bytes``, caching each in ``cache_dir``."""

    def __init__(self, cache_dir: Path | None = None, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> None:
        self.cache_dir = cache_dir or default_cache_dir()
        self.timeout = timeout
        self.max_bytes = max_bytes

    def get(self, url: str) -> Fetched:
        """The file at ``url``: fetched, or the cached copy when the server says it has not changed."""
        if not url.startswith(("https://", "http://")):
            raise FetchError(f"{url}: not an http(s) URL")
        body_file, meta_file = self._cache_files(url)
        meta = self._cached_meta(meta_file, body_file)
        headers = {"Accept": "application/json, text/markdown, text/plain;q=0.9, */*;q=0.1"}
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
        deadline = time.monotonic() + self.timeout
        try:
            with httpx2.Client(timeout=self.timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS) as client:
                with client.stream("GET", url, headers=headers) as response:
                    if response.status_code == 304 and meta:
                        return Fetched(body_file.read_bytes(), meta.get("content_type", ""), from_cache=True)
                    if response.status_code != 200:
                        raise FetchError(f"{url}: the server answered HTTP {response.status_code}, not the file")
                    length = response.headers.get("Content-Length", "")
                    if length.isdigit() and int(length) > self.max_bytes:
                        raise FetchError(f"{url}: {int(length):,} bytes, over the limit of {self.max_bytes:,}")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise FetchError(f"{url}: more than {self.max_bytes:,} bytes, over the limit")
                        if time.monotonic() > deadline:
                            raise FetchError(f"{url}: took more than {self.timeout:g} s")
                        chunks.append(chunk)
                    fetched = Fetched(b"".join(chunks), response.headers.get("Content-Type", ""), from_cache=False)
                    self._store(body_file, meta_file, fetched, response.headers.get("ETag"), response.headers.get("Last-Modified"))
                    return fetched
        except httpx2.TimeoutException:
            raise FetchError(f"{url}: no answer within {self.timeout:g} s") from None
        except httpx2.HTTPError as err:
            raise FetchError(f"{url}: could not be fetched ({type(err).__name__}: {err})") from None

    def _cache_files(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.cache_dir / f"{key}.body", self.cache_dir / f"{key}.json"

    @staticmethod
    def _cached_meta(meta_file: Path, body_file: Path) -> dict[str, str]:
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return meta if isinstance(meta, dict) and body_file.is_file() else {}

    def _store(self, body_file: Path, meta_file: Path, fetched: Fetched, etag: str | None, last_modified: str | None) -> None:
        """Keep a copy for the next start, when the server gave a validator to ask with; a cache
        that cannot be written costs only that (the file was fetched)."""
        if not (etag or last_modified):
            return
        meta = {"etag": etag, "last_modified": last_modified, "content_type": fetched.content_type}
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            for path, data in ((body_file, fetched.body), (meta_file, json.dumps(meta).encode("utf-8"))):
                partial = path.with_suffix(path.suffix + f".{os.getpid()}.part")
                partial.write_bytes(data)
                partial.replace(path)  # whole or not at all: a reader never meets half a file
        except OSError:
            pass
