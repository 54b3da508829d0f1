"""``errdocs verify``: recorded traffic (HAR files) checked against the registry, with coverage.

Every response of 400 or more is checked by ``errdocs.wire``; the report gives one line per
problem naming the file, the entry, the method and the address (without its query, which can
carry keys) and what differs, then a summary and the coverage. ``--format json`` gives the same
as data, ``--junit-xml`` writes a JUnit report for CI. Exit 0: clean; 1: a violation, or coverage
below ``--require-coverage``; 2: input that cannot be read (each file's problem on one line,
and no report: a report over part of the traffic would read as a pass).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TextIO
from urllib.parse import urlsplit

from ..registry.model import Registry
from ..wire import Coverage, Problem, Severity, WireContract
from .har import HarError, har_files, read_har

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT = 0, 1, 2


@dataclass(frozen=True)
class Response:
    """One checked error response, where it was found and what it showed."""

    file: str
    entry: int
    method: str
    url: str
    """Scheme, host and path: the query and fragment are left out (they can carry keys or personal data)."""
    status: int
    code: str | None
    problems: tuple[Problem, ...]

    @property
    def where(self) -> str:
        return f"{self.file}: entry {self.entry}: {self.method} {self.url} -> {self.status}"


@dataclass
class Report:
    """What a run found: problems, counts and coverage (the responses themselves only for JUnit)."""

    registry: Registry
    files: list[str] = field(default_factory=list)
    entries: int = 0
    checked: int = 0
    findings: list[tuple[Response, Problem]] = field(default_factory=list)
    responses: list[Response] | None = None
    """Every checked response, kept only when a JUnit report needs one test case each."""
    coverage: Coverage = field(init=False)
    required: float | None = None
    not_checked: list[str] = field(default_factory=list)
    """A line per ``headers`` row whose ``when`` promises nothing checkable."""

    def __post_init__(self) -> None:
        self.coverage = Coverage(self.registry)

    @property
    def violations(self) -> int:
        return sum(1 for _, p in self.findings if p.severity is Severity.error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.violations

    @property
    def coverage_ok(self) -> bool:
        return self.required is None or self.coverage.percent >= self.required

    @property
    def passed(self) -> bool:
        return self.violations == 0 and self.coverage_ok


def address(url: str) -> str:
    """``url`` without what can carry keys: its query, its fragment and any user and password."""
    parts = urlsplit(url)
    try:
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:  # a port that is not a number: keep only the scheme and path
        host, port = "…", ""
    return f"{parts.scheme}://{host}{port}{parts.path}" if parts.scheme else parts.path


def verify(registry: Registry, paths: list[Path], *, base_urls: Sequence[str] = (), keep_responses: bool = False,
           required: float | None = None) -> tuple[Report, list[str]]:
    """Check every error response of the HAR files under ``paths``: the report, and the input errors (one line each).

    Only entries whose URL starts with one of ``base_urls`` count, when any is given (a browser's
    HAR also holds other sites' traffic). A file with an input error contributes nothing."""
    contract = WireContract(registry)
    report = Report(registry, responses=[] if keep_responses else None, required=required,
                    not_checked=[f"not checked: the headers row {', '.join(h.names)} (its when {h.when!r} names no status "
                                 "and is not 'Always')" for h in contract.unread_headers])
    errors: list[str] = []
    files = har_files(paths)
    if not files:
        errors.append("errdocs verify: no HAR file in " + ", ".join(map(str, paths)))
    for path in files:
        label = str(path)
        own = Report(registry, responses=[] if keep_responses else None)
        try:
            for entry in read_har(path, label=label):
                own.entries += 1
                if entry.status < 400 or (base_urls and not entry.url.startswith(tuple(base_urls))):
                    continue
                verdict = contract.check(entry.status, entry.headers, entry.body)
                problems = verdict.problems
                if entry.unread:
                    problems += (Problem("body", "body", f"a {registry.envelope_media_type} envelope", entry.unread, Severity.warning),)
                response = Response(label, entry.index, entry.method, address(entry.url), entry.status, verdict.code, problems)
                own.checked += 1
                own.coverage.add(verdict)
                own.findings += [(response, p) for p in problems]
                if own.responses is not None:
                    own.responses.append(response)
        except HarError as err:
            errors.append(str(err))
            continue
        report.files.append(label)
        report.entries += own.entries
        report.checked += own.checked
        report.findings += own.findings
        if report.responses is not None:
            report.responses += own.responses or []
        report.coverage.merge(own.coverage)
    return report, errors


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def text_lines(report: Report) -> list[str]:
    lines = [f"{response.where}: {problem}" for response, problem in report.findings]
    lines.append(
        f"errdocs verify: {_count(len(report.files), 'file')}, {_count(report.entries, 'entry', 'entries')}, "
        f"{_count(report.checked, 'error response')} checked against {report.registry.site.name} {report.registry.version}: "
        f"{_count(report.violations, 'violation')}, {_count(report.warnings, 'warning')}"
    )
    lines += report.not_checked
    lines += report.coverage.lines()
    if report.required is not None and not report.coverage_ok:
        lines.append(f"coverage: {report.coverage.percent:.1f}% is below the required {report.required:g}%")
    return lines


def json_report(report: Report) -> dict[str, Any]:
    return {
        "registry": {"name": report.registry.site.name, "version": report.registry.version},
        "files": report.files,
        "entries": report.entries,
        "responses_checked": report.checked,
        "violations": report.violations,
        "warnings": report.warnings,
        "problems": [
            {"file": r.file, "entry": r.entry, "method": r.method, "url": r.url, "status": r.status, "code": r.code,
             "rule": p.rule, "severity": p.severity.value, "field": p.field, "expected": p.expected, "sent": p.sent}
            for r, p in report.findings
        ],
        "not_checked": report.not_checked,
        "coverage": {**report.coverage.as_data(), "required_percent": report.required, "ok": report.coverage_ok},
        "passed": report.passed,
    }


_XML_UNSAFE = dict.fromkeys([c for c in range(32) if c not in (9, 10, 13)] + [0xFFFE, 0xFFFF], "?")


def _xml(text: str) -> str:
    """Text XML 1.0 can hold: control characters (which a URL may carry) become ``?``."""
    return "".join(ch if not (0xD800 <= ord(ch) <= 0xDFFF) else "?" for ch in text.translate(_XML_UNSAFE))


def junit_xml(report: Report) -> ET.ElementTree:
    """One test suite per HAR file with a test case per checked error response, and one for coverage.

    The shape CI systems read (Jenkins' xunit ``junit-10.xsd``, which GitLab, GitHub actions and
    Azure follow): failures carry the problems as text, warnings go to ``system-out``."""
    root = ET.Element("testsuites", name="errdocs verify")
    responses = report.responses or []
    total = failures = 0
    for label in report.files:
        cases = [r for r in responses if r.file == label]
        failed = sum(1 for r in cases if any(p.severity is Severity.error for p in r.problems))
        suite = ET.SubElement(root, "testsuite", name=_xml(label), tests=str(len(cases)), failures=str(failed), errors="0",
                              skipped="0", time="0")
        for response in cases:
            name = f"entry {response.entry}: {response.method} {response.url} -> {response.status}" + (
                f" ({response.code})" if response.code else "")
            case = ET.SubElement(suite, "testcase", classname="errdocs.verify", name=_xml(name), time="0")
            errors = [str(p) for p in response.problems if p.severity is Severity.error]
            warnings = [str(p) for p in response.problems if p.severity is Severity.warning]
            if errors:
                failure = ET.SubElement(case, "failure", type="errdocs.verify", message=_xml(f"{_count(len(errors), 'violation')}: {errors[0]}"))
                failure.text = _xml("\n".join(errors))
            if warnings:
                ET.SubElement(case, "system-out").text = _xml("\n".join(warnings))
        total += len(cases)
        failures += failed
    coverage = ET.SubElement(root, "testsuite", name="coverage", tests="1", failures="0" if report.coverage_ok else "1",
                             errors="0", skipped="0", time="0")
    case = ET.SubElement(coverage, "testcase", classname="errdocs.verify", name="documented codes seen", time="0")
    if not report.coverage_ok:
        ET.SubElement(case, "failure", type="errdocs.coverage",
                      message=f"{report.coverage.percent:.1f}% is below the required {report.required:g}%").text = "\n".join(report.coverage.lines())
    ET.SubElement(case, "system-out").text = _xml("\n".join(report.coverage.lines() + report.not_checked))
    root.set("tests", str(total + 1))
    root.set("failures", str(failures + (0 if report.coverage_ok else 1)))
    root.set("errors", "0")
    ET.indent(root)
    return ET.ElementTree(root)


def _write_atomically(path: Path, tree: ET.ElementTree) -> None:
    # Written aside, then renamed: a CI system never reads half a report.
    fd, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            tree.write(out, encoding="utf-8", xml_declaration=True)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def run(registry: Registry, paths: list[Path], *, output_format: str = "text", junit: Path | None = None,
        base_urls: Sequence[str] = (), required: float | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """The command: verify, print the report, write the JUnit file; the exit status."""
    if junit is not None and not junit.parent.is_dir():
        print(f"errdocs verify: --junit-xml {junit}: no folder {junit.parent}", file=err)
        return EXIT_INPUT
    report, errors = verify(registry, paths, base_urls=base_urls, keep_responses=junit is not None, required=required)
    if errors:
        for line in errors:
            print(line, file=err)
        print(f"errdocs verify: {_count(len(errors), 'input problem')}; nothing verified", file=err)
        return EXIT_INPUT
    if output_format == "json":
        out.write(json.dumps(json_report(report), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write("\n".join(text_lines(report)) + "\n")
    if junit is not None:
        try:
            _write_atomically(junit, junit_xml(report))
        except OSError as error:
            print(f"errdocs verify: --junit-xml {junit}: {error.strerror or error}", file=err)
            return EXIT_INPUT
    return EXIT_OK if report.passed else EXIT_VIOLATIONS
