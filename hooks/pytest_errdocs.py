"""pytest plugin: an API's own test suite checks its error responses against the registry, with coverage.

Registered through pytest's ``pytest11`` entry point, so installing errdocs is enough, and
inactive unless asked for: without ``--errdocs-registry PATH`` (or ``errdocs_registry`` in the
ini file) it only adds its options, and imports nothing of errdocs. With a registry:

* the fixture ``errdocs_verify(response)`` checks one response of ``httpx``, ``requests`` or
  Starlette's ``TestClient`` (anything with ``status_code``, ``headers`` and ``content``) with
  ``errdocs.wire`` and fails the test with one line per violation; warnings (a deprecated
  code...) become ``ErrdocsWireWarning``. It returns the ``Verdict``;
* the session counts every checked response and reports the coverage at its end (documented
  codes, statuses and sub-codes never seen); ``--errdocs-require-coverage PERCENT`` (or
  ``errdocs_require_coverage``) fails the session below it.

This module sits beside the ``errdocs`` package rather than in it: pytest loads every entry
point plugin at start-up, and importing the package (pydantic, the model) would slow every
test run of a project that merely has errdocs installed.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

SESSION_PLUGIN = "errdocs-wire-session"


class ErrdocsWireWarning(UserWarning):
    """A response the contract allows but flags: a deprecated code, a sub-code the open field does not list."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("errdocs", "errdocs: error responses checked against the registry")
    group.addoption("--errdocs-registry", metavar="PATH", help="the registry (registry.yaml) to check responses against; turns the plugin on")
    group.addoption("--errdocs-require-coverage", metavar="PERCENT", type=float,
                    help="fail the session when fewer of the documented codes were seen")
    parser.addini("errdocs_registry", "the registry to check responses against (from the ini file's folder); turns the plugin on")
    parser.addini("errdocs_require_coverage", "fail the session when fewer of the documented codes were seen (percent)")


def pytest_configure(config: pytest.Config) -> None:
    given = config.getoption("errdocs_registry")
    base = config.invocation_params.dir
    if not given:
        given = config.getini("errdocs_registry")
        base = config.inipath.parent if config.inipath else config.rootpath
    if not given:
        return  # inactive: nothing asked for it
    from errdocs import RegistryError, load_registry

    path = Path(base, given)
    try:
        registry = load_registry(path, display_name=str(given))
    except RegistryError as err:
        raise pytest.UsageError(f"errdocs: {err}") from None
    required = config.getoption("errdocs_require_coverage")
    if required is None and config.getini("errdocs_require_coverage"):
        try:
            required = float(config.getini("errdocs_require_coverage"))
        except ValueError:
            raise pytest.UsageError(f"errdocs_require_coverage: {config.getini('errdocs_require_coverage')!r} is not a number") from None
    config.pluginmanager.register(WireSession(registry, required), SESSION_PLUGIN)


@pytest.fixture
def errdocs_verify(request: pytest.FixtureRequest):
    """``errdocs_verify(response)``: fail the test if the response breaks the registry's wire contract."""
    session = request.config.pluginmanager.get_plugin(SESSION_PLUGIN)
    if session is None:
        pytest.fail("errdocs_verify needs a registry: pass --errdocs-registry PATH or set errdocs_registry in the ini file",
                    pytrace=False)
    return session.verify


def _request_line(response: Any) -> str:
    try:
        request = response.request  # httpx raises when a response has no request
    except RuntimeError:
        return ""
    method = getattr(request, "method", "") or ""
    url = str(getattr(request, "url", "") or getattr(response, "url", "") or "")
    return f"{method} {url.split('?')[0]}".strip()


class WireSession:
    """The registry's contract for one test session, and the coverage of what the tests sent through it."""

    def __init__(self, registry: Any, required: float | None) -> None:
        from errdocs.wire import Coverage, WireContract

        self.contract = WireContract(registry)
        self.coverage = Coverage(registry)
        self.required = required
        self.checked = 0

    def verify(self, response: Any):
        """Check one response; fail the calling test on a violation. Returns the ``Verdict``."""
        try:
            status, headers, body = int(response.status_code), response.headers, bytes(response.content)
        except (AttributeError, TypeError, ValueError):
            pytest.fail(f"errdocs_verify: {type(response).__name__} is not a response (status_code, headers, content)", pytrace=False)
        verdict = self.contract.check(status, headers, body)
        if status >= 400:
            self.checked += 1
            self.coverage.add(verdict)
        where = f"{_request_line(response)} -> {status}".strip()
        for problem in verdict.problems:
            if problem not in verdict.errors:
                warnings.warn(ErrdocsWireWarning(f"{where}: {problem}"), stacklevel=2)
        if verdict.errors:
            lines = [f"{where}: {problem}" for problem in verdict.errors]
            pytest.fail("errdocs: the response breaks the documented contract:\n" + "\n".join(lines), pytrace=False)
        return verdict

    @property
    def coverage_ok(self) -> bool:
        return self.required is None or self.coverage.percent >= self.required

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.section("errdocs wire contract")
        terminalreporter.line(f"errdocs: {self.checked} error response{'s' if self.checked != 1 else ''} checked")
        for line in self.coverage.lines():
            terminalreporter.line(line)
        if not self.coverage_ok:
            terminalreporter.line(f"coverage: {self.coverage.percent:.1f}% is below the required {self.required:g}%", red=True)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not self.coverage_ok and exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
