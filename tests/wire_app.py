"""A small FastAPI application that fails with Agnes codes through real exception handlers.

It stands for the Agnes API in the tests of ``errdocs verify`` and of the pytest plugin: its
errors are built by its own handlers, as an API builds them (nothing here reads the registry),
so a check can only pass if the API and the docs agree. ``create_app(drifts=True)`` (or
``WIRE_APP_DRIFTS=1`` for ``uvicorn --factory wire_app:create_app``) plants six drifts, one per
endpoint, each the kind the docs and an API come apart by:

- ``GET /api/v1/policies/missing`` answers ``not_found`` with 410 instead of 404;
- ``GET /api/v1/me`` sends ``unauthorized`` with a stale ``doc_url`` (an old docs path);
- ``GET /api/v1/projects/archived`` sends ``project_archived``, a code the registry does not document;
- ``GET /api/v1/status`` sends ``service_unavailable`` without ``Retry-After``;
- ``GET /api/v1/billing`` sends ``billing_required`` with a ``request_id`` other than its ``X-Request-ID``;
- ``POST /api/v1/upload`` sends ``payload_too_large`` as ``application/problem+json``.

``GET /`` serves a page whose script calls every endpoint (``CALLS``) once, then shows ``#done``.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel
from local_servers import free_port, stop, wait_until_listening  # hosting/: shared with `make load`
from starlette.exceptions import HTTPException as StarletteHTTPException

DOCS = "https://docs.lasscyber.com/errors/"
STALE_DOCS = "https://docs.lasscyber.com/docs/errors/"
MAX_UPLOAD = 64

CODES = ["validation_error", "not_found", "method_not_allowed", "payload_too_large", "unauthorized", "forbidden",
         "rate_limit_exceeded", "billing_required", "service_unavailable", "internal_error"]
"""Every code this application returns (without drifts)."""

CALLS = [
    ("GET", "/api/v1/policies/missing", None),
    ("GET", "/no/such/route", None),
    ("DELETE", "/api/v1/policies/missing", None),
    ("POST", "/api/v1/analyze", '{"text": "hello"}'),
    ("POST", "/api/v1/upload", "x" * (MAX_UPLOAD + 1)),
    ("GET", "/api/v1/me", None),
    ("GET", "/api/v1/projects/archived", None),
    ("GET", "/api/v1/limited", None),
    ("GET", "/api/v1/billing", None),
    ("GET", "/api/v1/status", None),
    ("GET", "/api/v1/crash", None),
    ("GET", "/api/v1/policies/known", None),
]
"""What the page calls: method, path, body. The last one succeeds."""


class ApiError(Exception):
    """An error the API answers with its envelope: the code, the status and what else it sends."""

    def __init__(self, code: str, status: int, detail: object, *, headers: dict[str, str] | None = None,
                 doc_url: str | None = None, media_type: str = "application/json", request_id: str | None = None) -> None:
        self.code, self.status, self.detail = code, status, detail
        self.headers = headers or {}
        self.doc_url = doc_url or DOCS + code
        self.media_type = media_type
        self.request_id = request_id


def envelope_response(request: Request, error: ApiError) -> JSONResponse:
    request_id = request.state.request_id
    body = {"detail": error.detail, "code": error.code, "request_id": error.request_id or request_id, "doc_url": error.doc_url}
    return JSONResponse(body, status_code=error.status, media_type=error.media_type,
                        headers={"X-Request-ID": request_id, **error.headers})


class Analysis(BaseModel):
    policy_slug: str
    text: str


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wire app</title></head>
<body><h1>Calls</h1><ol id="calls"></ol>
<script>
const calls = %s;
(async () => {
  for (const [method, path, body] of calls) {
    const init = {method};
    if (body !== null) { init.body = body; init.headers = {"Content-Type": "application/json"}; }
    const response = await fetch(path, init);
    const text = await response.text();  // read whole, as a client does, before the next call
    const item = document.createElement("li");
    item.textContent = method + " " + path + " " + response.status + " " + text.length;
    document.getElementById("calls").append(item);
  }
  const done = document.createElement("p");
  done.id = "done";
  done.textContent = "done";
  document.body.append(done);
})();
</script></body></html>
"""


def create_app(drifts: bool | None = None) -> FastAPI:
    """The application; ``drifts`` (default: the ``WIRE_APP_DRIFTS`` environment variable) plants the six drifts."""
    drifts = os.environ.get("WIRE_APP_DRIFTS") == "1" if drifts is None else drifts
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def request_id(request: Request, call_next):
        request.state.request_id = str(uuid.uuid4())
        response = await call_next(request)
        response.headers.setdefault("X-Request-ID", request.state.request_id)
        return response

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return envelope_response(request, error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "bad_request")
        return envelope_response(request, ApiError(code, error.status_code if code != "bad_request" else 400, error.detail,
                                                   headers=dict(error.headers or {})))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        items = [{"loc": list(item["loc"]), "msg": item["msg"], "type": item["type"]} for item in error.errors()]
        return envelope_response(request, ApiError("validation_error", 422, items))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> JSONResponse:
        # Runs in Starlette's outermost middleware, after the request id middleware: it sets the header itself.
        return envelope_response(request, ApiError("internal_error", 500, "An unexpected error occurred."))

    @app.get("/", response_class=HTMLResponse)
    async def page() -> str:
        return PAGE % json.dumps(CALLS)

    @app.get("/api/v1/policies/{policy_id}")
    async def policy(policy_id: str) -> dict:
        if policy_id == "known":
            return {"id": policy_id}
        raise ApiError("not_found", 410 if drifts else 404, "Policy not found.")

    @app.post("/api/v1/analyze")
    async def analyze(analysis: Analysis) -> dict:
        return {"verdict": "allow", "policy": analysis.policy_slug}

    @app.post("/api/v1/upload")
    async def upload(request: Request) -> dict:
        body = await request.body()
        if len(body) > MAX_UPLOAD:
            raise ApiError("payload_too_large", 413, f"Request body exceeds {MAX_UPLOAD} bytes.",
                           media_type="application/problem+json" if drifts else "application/json")
        return {"size": len(body)}

    @app.get("/api/v1/me")
    async def me(request: Request) -> dict:
        if "authorization" not in request.headers:
            raise ApiError("unauthorized", 401, "Invalid authentication credentials",
                           doc_url=STALE_DOCS + "unauthorized" if drifts else None)
        return {"user": "me"}

    @app.get("/api/v1/projects/{project}")
    async def project(project: str) -> dict:
        if drifts:
            raise ApiError("project_archived", 403, "The project is archived.")
        raise ApiError("forbidden", 403, "Permission denied: missing scope project:read.")

    @app.get("/api/v1/limited")
    async def limited() -> dict:
        raise ApiError("rate_limit_exceeded", 429, "Rate limit exceeded for analysis endpoints. Limit: 100/minute.",
                       headers={"Retry-After": "30", "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0",
                                "X-RateLimit-Reset": "1762000060"})

    @app.get("/api/v1/billing")
    async def billing() -> dict:
        raise ApiError("billing_required", 402, "Subscription is past due.", headers={"X-Billing-Status": "past_due"},
                       request_id="5b3f6c7e-0000-4d40-9b12-3a59c01c6e91" if drifts else None)

    @app.get("/api/v1/status")
    async def status() -> dict:
        raise ApiError("service_unavailable", 503, "Service temporarily unavailable. Please retry.",
                       headers={} if drifts else {"Retry-After": "5"})

    @app.get("/api/v1/crash")
    async def crash() -> dict:
        raise RuntimeError("an unexpected failure inside the API")

    return app


PLANTED = {
    ("/api/v1/policies/missing", "GET", "status"),
    ("/api/v1/me", "GET", "doc_url"),
    ("/api/v1/projects/archived", "GET", "code"),
    ("/api/v1/status", "GET", "retry-after"),
    ("/api/v1/billing", "GET", "request-id"),
    ("/api/v1/upload", "POST", "media-type"),
}
"""The drifts ``create_app(drifts=True)`` plants: path, method and the rule that must name each."""


@contextlib.contextmanager
def served(*, drifts: bool, log: Path) -> Iterator[str]:
    """The application under uvicorn on 127.0.0.1 (a free port), stopped by its PID on exit; yields its base URL."""
    port = free_port()
    env = {**os.environ, "WIRE_APP_DRIFTS": "1" if drifts else "0",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(Path(__file__).parent.parent / "hosting")])}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "wire_app:create_app", "--factory", "--host", "127.0.0.1",
                                 "--port", str(port), "--no-access-log"], stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            wait_until_listening(port, seconds=30)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(proc)
