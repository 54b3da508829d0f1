"""Loading and validating: good registries load, bad ones give located one-line problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from errdocs.registry.load import RegistryError, load_registry
from errdocs.registry.model import RetryPolicy

from conftest import ROOT, dump_registry


def test_example_registry_loads(example_registry) -> None:
    assert list(example_registry.codes) == ["thing_missing", "server_broke"]
    assert example_registry.codes["server_broke"].retry.policy is RetryPolicy.backoff
    assert example_registry.codes["thing_missing"].http == ["404 Not Found"]  # a single string becomes a list
    assert example_registry.doc_url("server_broke") == "https://docs.example.test/errors/server_broke"


def test_agnes_registry_has_sixteen_codes(agnes_registry) -> None:
    assert len(agnes_registry.codes) == 16
    assert agnes_registry.doc_url("internal_error") == "https://docs.lasscyber.com/errors/internal_error"


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    return str(info.value).splitlines()


def test_wrong_status_is_located(tmp_path: Path, example_data) -> None:
    example_data["codes"]["thing_missing"]["http"] = "200 OK"
    text = dump_registry(example_data)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "200 OK" in row)
    [problem] = _problems(tmp_path, text)
    assert problem.startswith(f"registry.yaml:{line}:")
    assert ": codes.thing_missing.http: " in problem and "400-599" in problem


def test_every_problem_is_reported_at_once(tmp_path: Path, example_data) -> None:
    example_data["codes"]["thing_missing"]["retry"]["policy"] = "sometimes"
    del example_data["codes"]["server_broke"]["summary"]
    example_data["codes"]["server_broke"]["sumary"] = "typo"
    problems = _problems(tmp_path, dump_registry(example_data))
    assert len(problems) == 3
    assert any("codes.thing_missing.retry.policy: 'sometimes' is not allowed" in p for p in problems)
    assert any("codes.server_broke.summary: required field is missing" in p for p in problems)
    assert any("codes.server_broke.sumary: unknown key 'sumary'; did you mean 'summary'?" in p for p in problems)


def test_related_code_must_exist(tmp_path: Path, example_data) -> None:
    example_data["codes"]["thing_missing"]["related"] = [{"code": "nope"}]
    [problem] = _problems(tmp_path, dump_registry(example_data))
    assert "codes.thing_missing.related[0].code: unknown code 'nope'" in problem


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as info:
        load_registry(tmp_path / "registry.yaml")
    assert str(info.value).startswith("registry.yaml:1:1: (file): file not found")


def test_committed_json_schema_is_the_models() -> None:
    from errdocs.registry.schema import registry_schema_text

    committed = (ROOT / "registry.schema.json").read_text(encoding="utf-8")
    assert committed == registry_schema_text(), "run `make schema` and commit registry.schema.json"


def test_registry_points_editors_at_the_schema() -> None:
    first = (ROOT / "registry.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./registry.schema.json"
