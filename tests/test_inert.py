"""Hostile registry strings stay text: no tags, no attributes, no broken tables, anywhere in site/."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_SITE, ROOT, SITE_CODE, copy_project, dump_registry, mkdocs_build

pytestmark = pytest.mark.build

HOSTILE = (
    '<script>alert("xss")</script> <img src=x onerror=alert(1)> " onmouseover="alert(2) '
    "a | b || c ``` `tick` {: onclick=\"alert(3)\" } {{ 7*7 }} --8<-- \"x.md\" <Snippet file=\"x.mdx\" /> "
    "&lt;b&gt; & [link](javascript:alert(4)) <!-- errdocs:codes-table -->"
)
# Markdown fields refuse javascript: links at validation, so they get the rest.
HOSTILE_PROSE = HOSTILE.replace("[link](javascript:alert(4))", "[link](https://ok.test/)")


def hostile_registry() -> dict:
    data = yaml.safe_load((EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8"))
    code = data["codes"]["server_broke"]
    code.update(
        summary=HOSTILE, when=HOSTILE_PROSE, steps=[HOSTILE_PROSE, HOSTILE_PROSE], sdk_note=HOSTILE_PROSE, group=HOSTILE,
    )
    code["overview"] = {"when": HOSTILE, "retry": HOSTILE}
    code["retry"]["label"] = HOSTILE_PROSE
    code["example"] = {"detail": {"message": HOSTILE, "items": [HOSTILE]}, "intro": HOSTILE_PROSE, "headers": {"Retry-After": HOSTILE}}
    code["sdk"]["python"] = {"exception": "example.ServerError", "note": HOSTILE_PROSE,
                             "attributes": [{"name": "retry_after", "type": HOSTILE, "description": HOSTILE_PROSE}]}
    code["sections"] = [{"title": HOSTILE, "body": HOSTILE_PROSE}]
    code["related"] = [{"code": "thing_missing", "note": HOSTILE}, {"title": HOSTILE, "url": "https://ok.test/", "note": HOSTILE}]
    data["codes"]["thing_missing"]["example"]["detail"] = HOSTILE
    data["headers"][0]["when"] = HOSTILE
    data["headers"][0]["meaning"] = HOSTILE_PROSE
    data["envelope"][0]["description"] = HOSTILE_PROSE
    data["envelope"][0]["type"] = HOSTILE
    data["site"]["sdks"]["python"]["label"] = HOSTILE
    return data


class Audit(HTMLParser):
    """Collects what the browser would see as markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.rows: list[int] = []
        self.tables: list[list[int]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}={value!r} on <{tag}>")
            # A value that stayed inside its quotes is text; what matters is a breakout
            # (caught above as an extra on* attribute) or an active URL.
            if name in ("href", "src", "action", "formaction") and value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")
        if tag in ("img", "snippet"):
            self.problems.append(f"<{tag}> element from registry text")
        if tag == "script":
            self.in_script = True
        if tag == "table":
            self.tables.append([])
        if tag == "tr" and self.tables:
            self.tables[-1].append(0)
        if tag in ("td", "th") and self.tables and self.tables[-1]:
            self.tables[-1][-1] += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        if tag == "table" and self.tables:
            widths = set(self.tables.pop())
            if len(widths) > 1:
                self.problems.append(f"a table whose rows have {sorted(widths)} cells")

    def handle_data(self, data):
        if self.in_script and ("xss" in data or "alert(" in data):
            self.problems.append("hostile text inside a <script>")


def test_hostile_strings_in_every_field_stay_inert(tmp_path: Path) -> None:
    project = copy_project(EXAMPLE_SITE, tmp_path / "project")
    (project / "registry.yaml").write_text(dump_registry(hostile_registry()), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    page = built.page("errors/server_broke/index.html")
    assert "&lt;script&gt;alert" in page  # the text is there, as text
    checked = 0
    for path in built.site.rglob("*.html"):
        audit = Audit()
        audit.feed(path.read_text(encoding="utf-8"))
        assert audit.problems == [], (path, audit.problems)
        checked += 1
    assert checked >= 4
    for path in built.site.rglob("*"):
        if path.suffix in {".html", ".json", ".xml", ".txt", ".md"}:
            text = path.read_text(encoding="utf-8")
            if path.suffix in {".md", ".txt"}:
                # Inside fenced code, Markdown shows text literally (an example's JSON
                # must show the detail exactly); everywhere else it must be escaped.
                text = re.sub(r"^(`{3,})[^\n]*\n.*?^\1\s*$", "", text, flags=re.S | re.M)
                text = re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", "", text)  # code spans, likewise literal
            assert '<script>alert("xss")' not in text, path
            assert "<img src=x" not in text, path
            assert "<Snippet" not in text, path


def _tree_digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    first = mkdocs_build(copy_project(ROOT, tmp_path / "one"), extra_env=env)
    second = mkdocs_build(copy_project(ROOT, tmp_path / "two"), extra_env=env)
    assert first.returncode == 0 and second.returncode == 0, first.output + second.output
    one, two = _tree_digest(first.site), _tree_digest(second.site)
    assert set(one) == set(two)
    differing = [path for path in one if one[path] != two[path]]
    assert differing == []
    for name in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "llms.txt", "llms-full.txt", f"errors/{SITE_CODE}.md"):
        assert name in one
