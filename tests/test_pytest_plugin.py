"""The pytest plugin (``pytest_errdocs``) as an API's test suite uses it, run with pytester.

The suites below call the FastAPI application of ``tests/wire_app.py`` through Starlette's
TestClient, and through httpx and requests against it under uvicorn, and check each response
with the ``errdocs_verify`` fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from wire_app import CODES, served

pytest_plugins = ["pytester"]

REGISTRY = ROOT / "registry.yaml"

SUITE = '''
import httpx
import requests
from starlette.testclient import TestClient

from wire_app import create_app

client = TestClient(create_app(drifts=False), raise_server_exceptions=False)
drifted = TestClient(create_app(drifts=True), raise_server_exceptions=False)
BASE = {base!r}


def test_not_found(errdocs_verify):
    errdocs_verify(client.get("/api/v1/policies/missing"))


def test_rate_limited_through_httpx(errdocs_verify):
    errdocs_verify(httpx.get(BASE + "/api/v1/limited"))


def test_internal_error_through_requests(errdocs_verify):
    errdocs_verify(requests.get(BASE + "/api/v1/crash", timeout=10))


def test_success_is_not_an_error_response(errdocs_verify):
    assert errdocs_verify(client.get("/api/v1/policies/known")).problems == ()


def test_drifted_status(errdocs_verify):
    errdocs_verify(drifted.get("/api/v1/policies/missing"))
'''


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory):
    with served(drifts=False, log=tmp_path_factory.mktemp("wire-app") / "uvicorn.log") as base:
        yield base


@pytest.fixture
def suite(pytester: pytest.Pytester, api: str) -> pytest.Pytester:
    pytester.syspathinsert(ROOT / "tests")
    pytester.makepyfile(test_api=SUITE.format(base=api))
    return pytester


def test_a_drifting_response_fails_its_test_and_coverage_is_reported(suite: pytest.Pytester) -> None:
    result = suite.runpytest("--errdocs-registry", str(REGISTRY), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines([
        "*test_drifted_status*",
        "*GET http://testserver/api/v1/policies/missing -> 410: status: expected 404 (not_found), sent 410",
    ])
    failed = [r.nodeid for r in result.reprec.getreports("pytest_runtest_logreport") if r.failed]  # type: ignore[attr-defined]
    assert failed == ["test_api.py::test_drifted_status"]
    seen = ["not_found", "rate_limit_exceeded", "internal_error"]
    never = [name for name in _returned_codes() if name not in seen]
    result.stdout.fnmatch_lines([
        "*errdocs wire contract*",
        "errdocs: 4 error responses checked",
        f"coverage: 3 of {len(_returned_codes())} documented codes seen ({100 * 3 / len(_returned_codes()):.1f}%)",
        "  codes never seen: " + ", ".join(never),
    ])


def test_required_coverage_fails_a_green_session(suite: pytest.Pytester) -> None:
    result = suite.runpytest("--errdocs-registry", str(REGISTRY), "--errdocs-require-coverage", "50", "-p", "no:cacheprovider",
                             "-k", "not drifted")
    result.assert_outcomes(passed=4)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["coverage: 18.8% is below the required 50%"])


def test_the_ini_option_turns_it_on(suite: pytest.Pytester) -> None:
    suite.makeini(f"[pytest]\nerrdocs_registry = {REGISTRY}\n")
    result = suite.runpytest("-p", "no:cacheprovider", "-k", "not drifted")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*errdocs wire contract*"])


def test_inactive_unless_asked_for(suite: pytest.Pytester) -> None:
    # Loaded from the entry point in a fresh process, it imports nothing of errdocs and reports nothing...
    suite.makepyfile(test_quiet='''
import sys

def test_plugin_loaded_and_idle(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("errdocs")
    assert not [name for name in sys.modules if name == "errdocs" or name.startswith("errdocs.")]
''')
    result = suite.runpytest_subprocess("test_quiet.py", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "errdocs wire contract" not in result.stdout.str()
    # ...and its fixture says what it needs.
    result = suite.runpytest("test_api.py", "-p", "no:cacheprovider", "-k", "not_found")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*errdocs_verify needs a registry: pass --errdocs-registry PATH*"])


def test_a_broken_registry_is_a_usage_error(suite: pytest.Pytester, tmp_path: Path) -> None:
    broken = tmp_path / "registry.yaml"
    broken.write_text("version: 1\n", encoding="utf-8")
    result = suite.runpytest("--errdocs-registry", str(broken), "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
    result.stderr.fnmatch_lines([f"*errdocs: {broken}:*"])


def _returned_codes() -> list[str]:
    from errdocs import load_registry

    return [name for name, code in load_registry(REGISTRY).codes.items() if code.returned]


def test_the_app_returns_what_it_says() -> None:
    # CODES is what the other tests compare coverage with: each is a documented, returned code.
    assert set(CODES) <= set(_returned_codes())
