"""HAR 1.2 files made in tests: entries shaped as browsers and Playwright write them."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any


def har_entry(url: str, status: int, *, body: bytes | str | None = None, headers: dict[str, str] | None = None,
              method: str = "GET", base64_body: bool = False, request_body: str | None = None) -> dict[str, Any]:
    """One entry as a browser records it: request, response with headers and content, timings."""
    raw = body.encode() if isinstance(body, str) else body
    content: dict[str, Any] = {"size": len(raw or b""), "mimeType": (headers or {}).get("Content-Type", "")}
    if raw is not None:
        if base64_body:
            content.update(text=base64.b64encode(raw).decode(), encoding="base64")
        else:
            content["text"] = raw.decode("utf-8", "surrogateescape")
    request: dict[str, Any] = {"method": method, "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
                               "headers": [{"name": "Accept", "value": "*/*"}], "queryString": [], "headersSize": -1, "bodySize": 0}
    if request_body is not None:
        request["postData"] = {"mimeType": "application/json", "text": request_body}
    return {
        "startedDateTime": "2026-12-01T10:00:00.000Z", "time": 1.5,
        "request": request,
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [],
                     "headers": [{"name": k, "value": v} for k, v in (headers or {}).items()],
                     "content": content, "redirectURL": "", "headersSize": -1, "bodySize": len(raw or b"")},
        "cache": {}, "timings": {"send": 0.1, "wait": 1.2, "receive": 0.2},
    }


def har_document(entries: list[dict[str, Any]], *, version: str = "1.2") -> dict[str, Any]:
    return {"log": {"version": version, "creator": {"name": "errdocs tests", "version": "1"}, "pages": [], "entries": entries}}


def write_har(path: Path, entries: list[dict[str, Any]], *, version: str = "1.2") -> Path:
    path.write_text(json.dumps(har_document(entries, version=version)), encoding="utf-8")
    return path
