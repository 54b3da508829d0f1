"""One bad registry per rule: the exact one-line error, the exit code, no traceback, no output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE_SITE, ROOT, copy_project, mkdocs_build

GOOD = (EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8")


def edit(old: str, new: str, count: int = 1) -> str:
    assert GOOD.count(old) >= 1, old
    return GOOD.replace(old, new, count)


# (id, registry text or bytes, the exact stderr of `python -m errdocs check registry.yaml`)
CASES = [
    ("yaml-syntax", edit("    summary: The thing does not exist.", "    summary: [unclosed"),
     "registry.yaml:52:13: (yaml): YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'"),
    ("empty-file", "", "registry.yaml:1:1: (file): the file is empty; expected a mapping with version, site, envelope, retry_guidance and codes"),
    ("comments-only", "# nothing here\n", "registry.yaml:1:1: (file): the file is empty; expected a mapping with version, site, envelope, retry_guidance and codes"),
    ("top-level-list", "- a\n- b\n", "registry.yaml:1:1: (file): the top level must be a mapping, got a list"),
    ("top-level-scalar", "just text\n", "registry.yaml:1:1: (file): the top level must be a mapping, got a string"),
    ("unknown-key-near-miss", edit("    summary: The thing does not exist.", "    sumary: The thing does not exist."),
     "registry.yaml:50:5: codes.thing_missing.summary: required field is missing\n"
     "registry.yaml:51:5: codes.thing_missing.sumary: unknown key 'sumary'; did you mean 'summary'?"),
    ("unknown-key-far", edit("  name: Example API", "  name: Example API\n  colour: blue"),
     "registry.yaml:5:3: site.colour: unknown key 'colour'; expected one of: name, summary, docs_url, errors_path, doc_url_form, support_url, status_url, budgets, llms_size_budget, example_request_id, sdks"),
    ("missing-required", edit("    steps: [Check the id.]\n", ""),
     "registry.yaml:50:5: codes.thing_missing.steps: required field is missing"),
    ("wrong-type", edit("    steps: [Check the id.]", "    steps: Check the id."),
     "registry.yaml:56:12: codes.thing_missing.steps: expected a list (got a string)"),
    ("wrong-type-number", edit("    max_retries: 3", "    max_retries: three"),
     "registry.yaml:42:18: retry_guidance.backoff.max_retries: expected an integer (got a string)"),
    ("code-not-snake-case", edit("  thing_missing:", "  ThingMissing:").replace("code: thing_missing", "code: ThingMissing"),
     "registry.yaml:49:3: codes.ThingMissing: code 'ThingMissing' is not snake_case (expected e.g. rate_limit_exceeded)"),
    ("slug-takes-a-group-page", edit("  docs_url: https://docs.example.test/", "  docs_url: https://docs.example.test/\n  doc_url_form: slug")
     .replace("  thing_missing:", "  codes_thing:"),
     "registry.yaml:50:3: codes.codes_thing: the page of code 'codes_thing' would take the name of a group page "
     "(errors/codes-...); choose another code name"),
    ("slug-takes-a-subcode-page", edit("  docs_url: https://docs.example.test/", "  docs_url: https://docs.example.test/\n  doc_url_form: slug")
     .replace("  thing_missing:", "  subcodes_thing:"),
     "registry.yaml:50:3: codes.subcodes_thing: the page of code 'subcodes_thing' would take the name of a sub-code page "
     "(errors/subcodes-...); choose another code name"),
    ("doc-url-form-unknown", edit("  docs_url: https://docs.example.test/", "  docs_url: https://docs.example.test/\n  doc_url_form: slugs"),
     "registry.yaml:7:17: site.doc_url_form: 'slugs' is not allowed; expected one of 'path', 'slug' or 'anchor'"),
    ("duplicate-code", GOOD.replace("  server_broke:\n", "  thing_missing:\n", 1),
     "registry.yaml:62:3: codes.thing_missing: duplicate key 'thing_missing' (first defined on line 49)"),
    ("duplicate-key-in-entry", edit("    summary: The thing does not exist.", "    summary: The thing does not exist.\n    summary: Again."),
     "registry.yaml:52:5: codes.thing_missing.summary: duplicate key 'summary' (first defined on line 51)"),
    ("status-out-of-range", edit("    http: 404 Not Found", "    http: 302 Found"),
     "registry.yaml:50:11: codes.thing_missing.http: HTTP status 302 is not an error status (400-599)"),
    ("status-not-a-status-line", edit("    http: 404 Not Found", "    http: Not Found"),
     "registry.yaml:50:11: codes.thing_missing.http[0]: expected a status line like '404 Not Found' or a status number like 404, got 'Not Found'"),
    ("status-number-without-standard-phrase", edit("    http: 404 Not Found", "    http: 499"),
     "registry.yaml:50:11: codes.thing_missing.http: HTTP 499 has no standard reason phrase; write the one the API sends after it, as in '499 <phrase>'"),
    ("status-listed-twice", edit("    http: 404 Not Found", "    http: [404, 404 Gone]"),
     "registry.yaml:50:11: codes.thing_missing.http: a status is listed twice"),
    ("status-class-mix", edit('    http: ["503 Service Unavailable"]', '    http: ["503 Service Unavailable", "429 Too Many Requests"]'),
     "registry.yaml:63:11: codes.server_broke.http: statuses mix client (4xx) and server (5xx) errors: ['503 Service Unavailable', '429 Too Many Requests']"),
    ("retry-policy", edit("policy: backoff", "policy: sometimes"),
     "registry.yaml:66:21: codes.server_broke.retry.policy: 'sometimes' is not allowed; expected one of 'never', 'after_action', 'backoff' or 'once'"),
    ("retry-policy-yaml-bool", edit("policy: never", "policy: no"),
     "registry.yaml:53:21: codes.thing_missing.retry.policy: False is not allowed; expected one of 'never', 'after_action', 'backoff' or 'once'"),
    ("related-unknown-code", edit("{code: server_broke, note: The other one.}", "{code: server_brokn, note: The other one.}"),
     "registry.yaml:61:16: codes.thing_missing.related[0].code: unknown code 'server_brokn'"),
    ("malformed-url", edit("  support_url: https://example.test/support", "  support_url: example.test/support"),
     "registry.yaml:7:16: site.support_url: must be an absolute https:// URL, got 'example.test/support'"),
    ("docs-url-not-https", edit("  docs_url: https://docs.example.test/", "  docs_url: http://docs.example.test/"),
     "registry.yaml:6:13: site.docs_url: must be an absolute https:// URL, got 'http://docs.example.test/'"),
    ("javascript-link-in-prose", edit("    when: The id names no thing.", "    when: See [this](javascript:alert(1))."),
     "registry.yaml:54:11: codes.thing_missing.when: link URL 'javascript:alert(1)' uses javascript:, which is not allowed (use https://, mailto: or a page of this site)"),
    ("non-utf8", GOOD.encode("utf-8").replace(b"Example API", b"Exampl\xe9 API", 1),
     "registry.yaml:4:15: (file): not valid UTF-8 (byte 0xe9); save the file as UTF-8"),
    ("alias", edit("    overview: {when: No such thing., retry: \"No.\"}", "    overview: &ov {when: No such thing., retry: \"No.\"}")
     .replace("    overview: {when: Temporary outage., retry: Yes with backoff.}", "    overview: *ov"),
     "registry.yaml:65:15: codes.server_broke: YAML anchors and aliases are not supported in the registry"),
]


def run_check(tmp_path: Path, content: str | bytes, *options: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "registry.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return subprocess.run(
        [sys.executable, "-m", "errdocs", "check", "registry.yaml", *options],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
    )


@pytest.mark.parametrize("content, expected", [pytest.param(c, e, id=i) for i, c, e in CASES])
def test_rule(tmp_path: Path, content: str | bytes, expected: str) -> None:
    result = run_check(tmp_path, content)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == expected + "\n"


def test_missing_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "errdocs", "check", "registry.yaml"], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")}, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == "registry.yaml:1:1: (file): file not found: registry.yaml\n"


def test_good_registry_passes(tmp_path: Path) -> None:
    result = run_check(tmp_path, GOOD)
    assert (result.returncode, result.stdout) == (
        0, "registry.yaml: OK (2 codes, version 2.3.0; no docs folder, so links to site pages were not checked)\n")
    shutil.copytree(EXAMPLE_SITE / "docs", tmp_path / "docs")
    assert run_check(tmp_path, GOOD).stdout == "registry.yaml: OK (2 codes, version 2.3.0)\n"


def test_check_prints_every_problem_at_once_each_at_its_line(tmp_path: Path) -> None:
    # An unknown key, a bad value, a link to a page docs/ does not have and an unknown
    # related code: no one of them hides another.
    shutil.copytree(EXAMPLE_SITE / "docs", tmp_path / "docs")
    content = (
        edit("    summary: The thing does not exist.", "    summary: The thing does not exist.\n    titel: Missing thing")
        .replace("policy: backoff", "policy: sometimes")
        .replace("    when: The id names no thing.", "    when: See [the guide](/guides/missing.md).")
        .replace("{code: server_broke, note: The other one.}", "{code: server_brokn, note: The other one.}")
    )
    result = run_check(tmp_path, content)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "registry.yaml:52:5: codes.thing_missing.titel: unknown key 'titel'; did you mean 'title'?",
        "registry.yaml:55:11: codes.thing_missing.when: link '/guides/missing.md' reaches no page: "
        "docs/guides/missing.md does not exist and the build adds no such file",
        "registry.yaml:62:16: codes.thing_missing.related[0].code: unknown code 'server_brokn'",
        "registry.yaml:67:21: codes.server_broke.retry.policy: 'sometimes' is not allowed; "
        "expected one of 'never', 'after_action', 'backoff' or 'once'",
    ]


def test_a_bad_value_outside_the_codes_hides_no_link_to_a_missing_page(tmp_path: Path) -> None:
    # The bad form is set aside for its default, so the links can still be followed.
    shutil.copytree(EXAMPLE_SITE / "docs", tmp_path / "docs")
    content = edit("  name: Example API", "  name: Example API\n  doc_url_form: hyphens").replace(
        "    when: The id names no thing.", "    when: See [the guide](/guides/missing.md).")
    result = run_check(tmp_path, content)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "registry.yaml:5:17: site.doc_url_form: 'hyphens' is not allowed; expected one of 'path', 'slug' or 'anchor'",
        "registry.yaml:55:11: codes.thing_missing.when: link '/guides/missing.md' reaches no page: "
        "docs/guides/missing.md does not exist and the build adds no such file",
    ]


def test_check_finds_a_bad_sub_code_beside_a_bad_required_value_an_unknown_key_and_a_missing_page(tmp_path: Path) -> None:
    # A required value outside the codes gets a stand-in of its type, so the links are still followed.
    site = ROOT / "tests" / "fixtures" / "payments_site"
    shutil.copytree(site / "docs", tmp_path / "docs")
    content = ((site / "registry.yaml").read_text(encoding="utf-8")
               .replace("  name: Paylane\n", "  name: Paylane\n  titel: Paylane docs\n", 1)
               .replace("    max_retries: 2", "    max_retries: two", 1)
               .replace("  intro: Retry only the calls that can succeed as sent.",
                        "  intro: Retry only the calls that can succeed as sent; see [the guide](/guides/missing.md).", 1)
               .replace("      insufficient_funds:\n", "      Insufficient Funds!:\n", 1))
    result = run_check(tmp_path, content)
    assert (result.returncode, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "site.titel", "retry_guidance.intro", "retry_guidance.backoff.max_retries",
        'codes.card_declined.subcodes["Insufficient\\u0020Funds!"]["[key]"]']
    assert "/guides/missing.md' reaches no page" in lines[1] and "expected an integer (got a string)" in lines[2]
    assert "'Insufficient Funds!' is not a sub-code" in lines[3]
    assert all(re.match(r"registry\.yaml:\d+:\d+: ", line) for line in lines)


def test_a_code_with_problems_of_its_own_still_counts_as_a_code(tmp_path: Path) -> None:
    # thing_missing lacks its summary; server_broke's link to it still stands, its own mistake is still found.
    content = edit("    summary: The thing does not exist.\n", "").replace(
        "    sdk_note: Both SDKs retry.", "    sdk_note: Both SDKs retry.\n    related: [{code: thing_missing}, {code: nothing_here}]")
    result = run_check(tmp_path, content)
    assert result.stderr.splitlines() == [
        "registry.yaml:50:5: codes.thing_missing.summary: required field is missing",
        "registry.yaml:77:45: codes.server_broke.related[1].code: unknown code 'nothing_here'",
    ]


def test_check_reads_the_docs_folder_from_mkdocs_yml_or_takes_it_as_an_option(tmp_path: Path) -> None:
    linked = edit("    when: The id names no thing.", "    when: See [the guide](/guides/ids.md).")
    (tmp_path / "pages" / "guides").mkdir(parents=True)
    (tmp_path / "pages" / "guides" / "ids.md").write_text("# Ids\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: X\ndocs_dir: pages\n", encoding="utf-8")
    assert run_check(tmp_path, linked).stdout == "registry.yaml: OK (2 codes, version 2.3.0)\n"
    (tmp_path / "mkdocs.yml").unlink()
    (tmp_path / "docs").mkdir()
    missing = run_check(tmp_path, linked)
    assert (missing.returncode, missing.stderr) == (1, "registry.yaml:54:11: codes.thing_missing.when: link '/guides/ids.md' "
                                                       "reaches no page: docs/guides/ids.md does not exist and the build adds no such file\n")
    given = run_check(tmp_path, linked, "--docs-dir", "pages")
    assert (given.returncode, given.stdout) == (0, "registry.yaml: OK (2 codes, version 2.3.0)\n")


def _alias_bomb() -> str:
    # Each level repeats the previous one 250 times: about 50 KB of text that
    # would expand to 250**40 items if aliases were followed.
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 40):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 250) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = _alias_bomb()
    assert 40_000 < len(bomb) < 60_000
    result = run_check(tmp_path, bomb)  # the subprocess timeout guards against expansion
    assert result.returncode == 1
    assert result.stderr == "registry.yaml:2:10: a1: YAML anchors and aliases are not supported in the registry\n"


def test_oversized_registry_is_refused_before_parsing(tmp_path: Path) -> None:
    big = GOOD + "#" + "x" * (20 * 1024 * 1024) + "\n"
    result = run_check(tmp_path, big)
    assert result.returncode == 1
    assert result.stderr == f"registry.yaml:1:1: (file): file is {len(big.encode()):,} bytes; the limit is 16,777,216 bytes\n"


def test_build_fails_cleanly_and_leaves_the_previous_site_alone(tmp_path: Path) -> None:
    project = copy_project(EXAMPLE_SITE, tmp_path / "project")
    assert mkdocs_build(project).returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "registry.yaml").write_text(GOOD.replace("policy: backoff", "policy: sometimes"), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert "Traceback" not in built.output
    assert "ERROR   -  registry.yaml:66:21: codes.server_broke.retry.policy: 'sometimes' is not allowed" in built.output
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


def test_a_build_names_the_registry_line_of_a_link_to_a_missing_page(tmp_path: Path) -> None:
    project = copy_project(EXAMPLE_SITE, tmp_path / "project")
    (project / "registry.yaml").write_text(
        edit("    when: The id names no thing.", "    when: See [the guide](/guides/missing.md)."), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 1
    assert ("ERROR   -  registry.yaml:54:11: codes.thing_missing.when: link '/guides/missing.md' reaches no page: "
            "docs/guides/missing.md does not exist and the build adds no such file") in built.output
    assert "thing_missing.md" not in built.output  # not the generated page's name
