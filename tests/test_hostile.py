"""Hostile and broken registries, made from the real one: each is one located line, fast,
with nothing written; or, where the input is fine (BOM, CRLF), an inert build.

The corpus is built by editing ``registry.yaml`` as a clumsy writer or an attacker would.
Every bad case asserts the exact ``path: message`` and the line it points at, and that the
loader finds it in well under the 2 s a writer would wait.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs_build

AGNES = (ROOT / "registry.yaml").read_text(encoding="utf-8")
SUMMARY = '    summary: "Something failed unexpectedly on the server; quote the `request_id` when you report it."'
PYPI = "      url: https://pypi.org/project/agnes-security/"
CODE = "  internal_error:\n"
CODE_LINE = AGNES[: AGNES.index(CODE)].count("\n") + 1
"""The line of ``internal_error:`` in registry.yaml (its ``group:`` is the next one)."""


def swap(old: str, new: str) -> str:
    assert AGNES.count(old) >= 1, old
    return AGNES.replace(old, new, 1)


def summary(value: str) -> str:
    return swap(SUMMARY, f"    summary: {value}")


def when(markdown: str) -> str:
    """internal_error's `when` set to one line of Markdown (a YAML double-quoted string)."""
    old = AGNES[AGNES.index(CODE):]
    start = old.index("    when: |\n")
    end = old.index("\n    example:", start)
    return AGNES.replace(old[start:end], f"    when: {markdown}", 1)


IE = "codes.internal_error"
# (id, class, registry text, the field's path, the message, a text marking the line it points at)
CASES: list[tuple[str, str, str, str, str, str]] = [
    # --- links --------------------------------------------------------------------------------
    ("sdk-url-closes-the-link", "link", swap(PYPI, f"{PYPI}x)[y](javascript:alert(1)"), "site.sdks.python.url",
     "URL 'https://pypi.org/project/agnes-security/x)[y](javascript:alert(1)' contains ); percent-encode it (e.g. %20, %28)", "agnes-security/x)"),
    ("sdk-url-quote", "link", swap(PYPI, f'{PYPI}"onclick=alert(1)'), "site.sdks.python.url",
     "URL 'https://pypi.org/project/agnes-security/\"onclick=alert(1)' contains a \"; percent-encode it (e.g. %20, %28)", "onclick"),
    ("related-url-javascript", "link", swap("url: /administration/billing.md", "url: javascript:alert(1)"), "codes.billing_required.related[1]",
     "URL 'javascript:alert(1)' uses javascript:, which is not allowed (use https://, mailto: or a page of this site)", None),
    ("related-url-other-host", "link", swap("url: /administration/billing.md", "url: //evil.test/x.md"), "codes.billing_required.related[1]",
     "URL '//evil.test/x.md' leaves this site without a scheme; write https://evil.test/x.md", None),
    ("prose-link-single-quoted-title", "link", when("\"[a](https://ok.test 'x') [b](javascript:alert(1) 'y')\""), f"{IE}.when",
     "link URL 'javascript:alert(1)' uses javascript:, which is not allowed (use https://, mailto: or a page of this site)", "[b](javascript"),
    ("prose-reference-definition", "link", when('"See [docs][d].\\n\\n[d]: vbscript:msgbox(1)"'), f"{IE}.when",
     "link URL 'vbscript:msgbox(1)' uses vbscript:, which is not allowed (use https://, mailto: or a page of this site)", "vbscript"),
    ("prose-autolink", "link", when('"Open <javascript:alert(1)> now."'), f"{IE}.when",
     "link URL 'javascript:alert(1)' uses javascript:, which is not allowed (use https://, mailto: or a page of this site)", "<javascript"),
    ("prose-image-data", "link", when('"![x](data:text/html,hi)"'), f"{IE}.when",
     "link URL 'data:text/html,hi' uses data:, which is not allowed (use https://, mailto: or a page of this site)", "data:text"),
    ("prose-entity-scheme", "link", when('"[x](javascript&#58;alert(1))"'), f"{IE}.when",
     "link URL 'javascript:alert(1)' uses javascript:, which is not allowed (use https://, mailto: or a page of this site)", "&#58;"),
    ("prose-protocol-relative", "link", when('"[x](//evil.test/page)"'), f"{IE}.when",
     "link URL '//evil.test/page' leaves this site without a scheme; write https://evil.test/page", "//evil"),
    ("docs-url-http", "link", swap("docs_url: https://docs.lasscyber.com/", "docs_url: http://docs.lasscyber.com/"), "site.docs_url",
     "must be an absolute https:// URL, got 'http://docs.lasscyber.com/'", "docs_url:"),
    # --- values -------------------------------------------------------------------------------
    ("nan-seconds", "value", swap("base_seconds: 1\n", "base_seconds: .nan\n"), "retry_guidance.backoff.base_seconds",
     "numbers must be finite (got .nan)", "base_seconds"),
    ("inf-seconds", "value", swap("max_seconds: 30\n", "max_seconds: .inf\n"), "retry_guidance.backoff.max_seconds",
     "numbers must be finite (got .inf)", "max_seconds"),
    ("nan-in-detail", "value", swap("upstream_status: 502", "upstream_status: .NaN"), "codes.analyzer_unavailable.example.detail.upstream_status",
     "numbers must be finite (got .NaN)", "upstream_status: .NaN"),
    ("escaped-nul", "value", summary('"Broke\\0down."'), f"{IE}.summary",
     "control character U+0000 is not allowed in text (only newlines and tabs)", "Broke"),
    ("escaped-escape", "value", swap("  name: Agnes API", '  name: "Agnes\\eAPI"'), "site.name",
     "control character U+001B is not allowed in text (only newlines and tabs)", "Agnes\\e"),
    ("escaped-c1", "value", summary('"Broke\\Ndown."'), f"{IE}.summary",
     "control character U+0085 is not allowed in text (only newlines and tabs)", "Broke"),
    ("escaped-carriage-return", "value", summary('"Broke\\rdown."'), f"{IE}.summary",
     "control character U+000D is not allowed in text (only newlines and tabs)", "Broke"),
    ("blank-summary", "value", summary('"   "'), f"{IE}.summary", "must not be blank", '    summary: "   "'),
    ("blank-prose", "value", when('"  \\n  "'), f"{IE}.when", "must not be blank", '    when: "  '),
    ("date-detail", "value", swap('detail: "An unexpected error occurred."', "detail: 2024-01-01"), f"{IE}.example.detail",
     "expected a string, a mapping or a list (got a date)", "detail: 2024-01-01"),
    ("date-in-detail", "value", swap("upstream_status: 502", "upstream_status: 2024-01-01"), "codes.analyzer_unavailable.example.detail",
     "2024-01-01 is a date, not JSON data; quote it to make it a string", None),
    ("timestamp-summary", "value", summary("2024-01-01 10:00:00"), f"{IE}.summary",
     "expected a string (got a date and time)", "summary: 2024-01-01"),
    ("date-as-code-name", "value", swap(CODE, "  2024-01-01:\n"), "codes.2024-01-01",
     "mapping keys must be text (got a date); quote it: '2024-01-01'", "  2024-01-01:"),
    ("code-name-300", "value", swap(CODE, "  " + "a" * 300 + ":\n").replace("code: internal_error", "code: " + "a" * 300),
     "codes." + "a" * 300, "code 'aaaaaaaaaaaaaaaaaaaa'... is 300 characters; the most is 64", "  " + "a" * 300 + ":"),
    ("code-name-reserved", "value", swap(CODE, "  overview:\n").replace("code: internal_error", "code: overview"),
     "codes.overview", "code 'overview' is reserved for a generated page; choose another name", "  overview:\n    group"),
    ("deep-nesting", "value", swap('detail: "An unexpected error occurred."', "detail: " + "[" * 300 + "]" * 300), f"{IE}.example.detail" + "[0]" * 29,
     "nesting deeper than 32 levels is not supported in the registry", "detail: [[["),
    # --- syntax, types, keys, YAML features ----------------------------------------------------
    ("syntax", "syntax", summary("[unclosed"), "(yaml)",
     "YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'", None),
    ("tab-indent", "syntax", swap("    group: Server errors\n    http: [\"500", "    group: Server errors\n\thttp: [\"500"), "(yaml)",
     "YAML syntax error: while scanning a plain scalar found a tab character that violates indentation", None),
    ("wrong-type", "type", swap("      policy: once", "      policy: [once]"), f"{IE}.retry.policy",
     "['once'] is not allowed; expected one of 'never', 'after_action', 'backoff' or 'once'", "policy: [once]"),
    ("status-without-a-phrase", "type", swap('http: ["500 Internal Server Error"]', "http: 599"), f"{IE}.http",
     "HTTP 599 has no standard reason phrase; write the one the API sends after it, as in '599 <phrase>'", "http: 599"),
    ("unknown-key", "key", swap("    group: Server errors\n    http: [\"500", "    gruop: Server errors\n    http: [\"500"), f"{IE}.gruop",
     "unknown key 'gruop'; did you mean 'group'?", "gruop"),
    ("duplicate-key", "key", swap("    group: Server errors\n    http: [\"500", "    group: Server errors\n    group: Server errors\n    http: [\"500"),
     f"{IE}.group", f"duplicate key 'group' (first defined on line {CODE_LINE + 1})", "    group: Server errors\n    http: [\"500"),
    ("duplicate-code", "key", AGNES.replace("\nchangelog:", "\n  internal_error: {}\nchangelog:", 1), "codes.internal_error",
     f"duplicate key 'internal_error' (first defined on line {CODE_LINE})", "  internal_error: {}"),
    ("anchor-alias", "yaml", swap("      sdk_retries: true\n    when", "      sdk_retries: &t true\n      x: *t\n    when"), "codes.rate_limit_exceeded.retry",
     "YAML anchors and aliases are not supported in the registry", "x: *t"),
    ("merge-key", "yaml", swap("    overview:\n      when: \"An unexpected", "    overview:\n      <<: {}\n      when: \"An unexpected"), f"{IE}.overview",
     "YAML merge keys (<<) are not supported in the registry", "<<:"),
    ("python-tag", "yaml", summary("!!python/object:os.system x"), f"{IE}.summary",
     "YAML tags (tag:yaml.org,2002:python/object:os.system) are not supported in the registry", "!!python"),
    ("explicit-tag", "yaml", summary("!!binary aGk="), f"{IE}.summary",
     "YAML tags (tag:yaml.org,2002:binary) are not supported in the registry", "!!binary"),
    ("second-document", "yaml", AGNES + "---\nversion: 2\n", "(yaml)",
     "the registry must be a single YAML document (remove the second ---)", "---\nversion: 2"),
    ("empty", "file", "", "(file)",
     "the file is empty; expected a mapping with version, site, envelope, retry_guidance and codes", None),
    ("top-level-list", "file", "- a\n- b\n", "(file)", "the top level must be a mapping, got a list", None),
]


def _load(tmp_path: Path, text: str | bytes):
    from errdocs.registry.load import RegistryError, load_registry

    path = tmp_path / "registry.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    started = time.perf_counter()
    try:
        load_registry(path)
        problems = []
    except RegistryError as err:
        problems = err.problems
    return problems, time.perf_counter() - started


def _line_of(text: str, marker: str | None) -> int | None:
    return None if marker is None else text[: text.index(marker)].count("\n") + 1 + (len(marker) - len(marker.lstrip("\n")))


@pytest.mark.parametrize("text, path, message, marker", [pytest.param(t, p, m, k, id=i) for i, _, t, p, m, k in CASES])
def test_each_bad_registry_is_one_located_line(tmp_path: Path, text: str, path: str, message: str, marker: str | None) -> None:
    problems, seconds = _load(tmp_path, text)
    assert [f"{p.path}: {p.message}" for p in problems] == [f"{path}: {message}"]
    line = _line_of(text, marker)
    if line is not None:
        assert problems[0].line == line
    assert seconds < 2.0, f"found in {seconds:.2f} s"


def test_the_corpus_covers_every_class() -> None:
    classes = {}
    for _, kind, *_ in CASES:
        classes[kind] = classes.get(kind, 0) + 1
    assert len(CASES) >= 40 and {"link", "value", "syntax", "type", "key", "yaml", "file"} <= set(classes), classes


def test_the_registry_is_a_regular_file(tmp_path: Path) -> None:
    from errdocs.registry.load import RegistryError, load_registry

    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    for name in ("dir", "fifo"):
        with pytest.raises(RegistryError) as err:
            load_registry(tmp_path / name, display_name="registry.yaml")  # a FIFO would block a read
        assert str(err.value) == f"registry.yaml:1:1: (file): {tmp_path / name} is not a regular file; the registry must be a YAML file"


def test_huge_and_undecodable_files_are_refused(tmp_path: Path) -> None:
    problems, _ = _load(tmp_path, AGNES + "#" + "x" * (17 * 1024 * 1024) + "\n")
    assert [p.message for p in problems] == [f"file is {len(AGNES) + 17 * 1024 * 1024 + 2:,} bytes; the limit is 16,777,216 bytes"]
    problems, _ = _load(tmp_path, AGNES.encode("utf-8").replace(b"  name: Agnes API", b"  name: Agnes \xff API", 1))
    assert [str(p) for p in problems] == ["registry.yaml:26:15: (file): not valid UTF-8 (byte 0xff); save the file as UTF-8"]


@pytest.mark.parametrize("encoded", [("\ufeff" + AGNES).encode("utf-8"), AGNES.replace("\n", "\r\n").encode("utf-8")], ids=["bom", "crlf"])
def test_bom_and_crlf_still_load(tmp_path: Path, encoded: bytes) -> None:
    problems, _ = _load(tmp_path, encoded)
    assert problems == []


# --- the build: nothing written, one line, no traceback ----------------------------------------

BUILD_CASES = {kind: next((i, t, p, m) for i, k, t, p, m, _ in CASES if k == kind) for kind in ("link", "value", "syntax", "key", "yaml")}


@pytest.mark.build
@pytest.mark.parametrize("kind", sorted(BUILD_CASES))
def test_a_broken_registry_writes_nothing(tmp_path: Path, kind: str) -> None:
    _, text, path, message = BUILD_CASES[kind]
    project = copy_project(ROOT, tmp_path / "project")
    (project / "registry.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    built = mkdocs_build(project, out)
    assert built.returncode == 1 and "Traceback" not in built.output
    assert re.search(rf"^ERROR   -  registry\.yaml:\d+:\d+: {re.escape(path)}: {re.escape(message)}$", built.output, re.M), built.output
    assert not out.exists() or not any(out.iterdir())


LATE = {
    # problems found while pages are read: before MkDocs writes its first file, all the same
    "size-budget": ("registry.yaml", lambda text: text.replace("  example_request_id:", "  budgets: {twin: 1000}\n  example_request_id:", 1),
                    "characters; the budget for each Markdown twin is 1,000"),
    "include-marker": ("docs/errors/overview.md", lambda text: text + "\n<!-- errdocs:no-such-include -->\n", "unknown include 'no-such-include'"),
    "active-html": ("docs/guides/retries.md", lambda text: text + '\n<a href="javascript:alert(1)">x</a>\n', "its HTML has a javascript: URL in href of <a>"),
}


@pytest.mark.build
@pytest.mark.parametrize("case", sorted(LATE))
def test_late_problems_write_nothing_either(tmp_path: Path, case: str) -> None:
    rel, change, expected = LATE[case]
    project = copy_project(ROOT, tmp_path / "project")
    target = project / rel
    target.write_text(change(target.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "out"
    built = mkdocs_build(project, out)
    assert built.returncode == 1 and "Traceback" not in built.output
    assert expected in built.output, built.output
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]


@pytest.mark.build
def test_a_failed_make_build_keeps_the_previous_site(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    for name in ("Makefile", "pyproject.toml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    make = ["make", "-C", str(project), "build", f"PY={sys.executable}", "STAMP=", "BYTECODE=true"]
    # The Makefile itself silences Material's end-of-life notice: a newcomer's build is quiet.
    env = {key: value for key, value in os.environ.items() if key != "NO_MKDOCS_2_WARNING"}
    first = subprocess.run(make, capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0 and "end of life" not in first.stdout + first.stderr, first.stdout + first.stderr
    before = {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "registry.yaml").write_text(CASES[0][2], encoding="utf-8")
    failed = subprocess.run(make, capture_output=True, text=True, env=env, timeout=600)
    assert failed.returncode != 0 and "site.sdks.python.url" in failed.stdout + failed.stderr
    after = {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before and not (project / "site.new").exists()
