"""LLM surfaces: twins, llms.txt, llms-full.txt and the parity gate."""

from __future__ import annotations

import copy
import dataclasses
import re
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from llms_txt import parse_llms_file

from errdocs.publish.budgets import size_problems
from errdocs.publish.llms import NavSection, code_line
from errdocs.publish.parity import Expected, check_published
from errdocs.render.pages import generated_pages, render_page
from errdocs.publish.twins import PageDoc, twin_path
from errdocs.publish.twins import absolute_url
from errdocs.publish.material import flatten_material

from conftest import ROOT, Built, files_under, mkdocs_build, publish

DOCS = "https://docs.example.test/"
INDEX_LINES = 3


@pytest.mark.parametrize(
    "src, twin",
    [("index.md", "index.md"), ("errors/internal_error.md", "errors/internal_error.md"), ("guide/index.md", "guide.md")],
)
def test_twin_path(src: str, twin: str) -> None:
    assert twin_path(src) == twin


@pytest.mark.parametrize(
    "target, page, expected",
    [
        ("/errors/forbidden.md", "guides/x.md", DOCS + "errors/forbidden.md"),
        ("../errors/forbidden.md#causes", "guides/x.md", DOCS + "errors/forbidden.md#causes"),
        ("internal_error.md", "errors/overview.md", DOCS + "errors/internal_error.md"),
        ("#section", "errors/overview.md", DOCS + "errors/overview.md#section"),
        ("../img/a.png", "guides/x.md", DOCS + "img/a.png"),
        ("https://other.test/a", "index.md", "https://other.test/a"),
        ("mailto:a@b.test", "index.md", "mailto:a@b.test"),
    ],
)
def test_links_become_absolute(target: str, page: str, expected: str) -> None:
    assert absolute_url(target, page_src=page, docs_url=DOCS) == expected

UNBUDGETED = ("llms-full.txt", ".well-known/ai-catalog.json")
"""Files without a size budget: the whole text in one file, and the agent-resource manifest (a few entries, whatever the registry's size)."""


def test_tabs_and_admonitions_flatten_into_labelled_sections() -> None:
    source = '## SDK\n\n=== "Python"\n\n    Raises `X`.\n\n=== "TypeScript"\n\n    Raises `Y`.\n\n!!! tip "Careful"\n    Quote it.\n\nAfter.'
    flat = flatten_material(source)
    assert "### Python\n\nRaises `X`.\n\n### TypeScript\n\nRaises `Y`." in flat
    assert "> **Careful**\n>\n> Quote it.\n\nAfter." in flat
    assert "===" not in flat and "!!!" not in flat


def _pages(registry) -> dict[str, PageDoc]:
    pages = {
        "index.md": PageDoc("index.md", "Home", "The home page.", "# Home\n\nSee [errors](errors/overview.md)."),
        "errors/overview.md": PageDoc("errors/overview.md", "Errors", "All errors.", "# Errors\n\nx"),
    }
    for page in generated_pages(registry):
        if page.code:
            body = render_page(registry, page).split("---\n", 2)[2]
            pages[page.src_uri] = PageDoc(page.src_uri, page.code, None, body, code=page.code)
    return pages


def test_code_lines_carry_status_retry_and_summary(example_registry) -> None:
    assert code_line(example_registry, "server_broke") == (
        f"- [server_broke]({DOCS}errors/server_broke.md): HTTP 503; retryable with backoff; The server is down for a moment."
    )


def test_agents_learn_what_to_do_when_the_code_or_doc_url_may_be_absent(example_data) -> None:
    """An API whose code field is optional (Stripe's ``error.code``) sends some errors without one:
    llms.txt says to handle those by category and status, and promises a doc_url only where there is one."""
    from errdocs.publish.llms import agent_instructions

    from conftest import validated

    def instructions(data) -> str:
        return "\n".join(agent_instructions(validated(data)))

    required = instructions(example_data)
    assert "without `code`" not in required and "- `doc_url` in every error is the address" in required
    nested = copy.deepcopy(example_data)
    nested["envelope"] = [{"name": "error", "type": "object", "description": "The error.", "fields": [
        {**field, "role": {"detail": "message"}.get(field["name"], field["name"]),  # nested: no name implies a role
         **({"required": False} if field["name"] in ("code", "doc_url") else {})} for field in example_data["envelope"]]}]
    nested["envelope"][0]["fields"].append({"name": "type", "type": "string", "role": "category", "description": "The class."})
    for code in nested["codes"].values():
        code["category"] = "api_error"
    optional = instructions(nested)
    assert "- Some errors come without `error.code`: handle such an error by `error.type` and its HTTP status." in optional
    assert "- `error.doc_url` in an error that has one is the address of that code's page" in optional
    example_data["envelope"] = [{**field, **({"nullable": True} if field["name"] == "code" else {})} for field in example_data["envelope"]]
    assert "- Some errors come without `code`: handle such an error by its HTTP status." in instructions(example_data)


def test_surfaces_follow_the_nav_and_list_every_page(example_registry, tmp_path: Path) -> None:
    pages = _pages(example_registry)
    nav = [NavSection("Docs", ["index.md"]), NavSection("Errors", ["errors/overview.md", "errors/server_broke.md"])]
    publish(example_registry, pages, nav, tmp_path)
    files = files_under(tmp_path)
    parsed = parse_llms_file(files["llms.txt"])
    assert parsed.title == "Example API"
    assert list(parsed.sections) == ["Docs", "Errors", "Other pages", "Optional"]
    assert [entry.title for entry in parsed.sections["Other pages"]] == ["thing_missing"]  # not in nav, still listed
    twin = files["errors/server_broke.md"]
    facts, rest = _front_matter(twin)
    assert rest.startswith("> ## Documentation Index\n")
    assert facts == {
        "title": "server_broke", "url": DOCS + "errors/server_broke/",
        "code": "server_broke", "http_status": [503], "retryable": True, "retry_policy": "backoff", "sdk_retries": True,
        "sdk_exceptions": {"python": "example.ServerError", "typescript": "ServerError"},
        "doc_url": DOCS + "errors/server_broke",
    }
    assert files["llms-full.txt"].count("Documentation Index") == 1
    assert f"[errors]({DOCS}errors/overview.md)" in files["index.md"]


def test_size_budgets_are_per_surface_and_fail_loudly() -> None:
    from errdocs.registry.model import Budgets

    sizes = {"errors/big.md": 50_001, "llms.txt": 20_001, "llms/group-a.txt": 20_000, "llms-full.txt": 500_000}
    problems = size_problems(sizes, budgets=Budgets(llms_txt=20_000, twin=60_000))
    assert problems == [
        "llms.txt is 20,001 characters; the budget for llms.txt and each shard is 20,000 "
        "(shorten or split the page, or raise site.budgets.llms_txt; nothing is truncated)"
    ]
    assert size_problems(sizes, budgets=Budgets(twin=50_000)) == [
        "errors/big.md is 50,001 characters; the budget for each Markdown twin is 50,000 "
        "(shorten or split the page, or raise site.budgets.twin; nothing is truncated)"
    ]


def test_the_older_single_budget_still_sets_both(example_data) -> None:
    from errdocs.registry.model import Registry

    example_data["site"]["llms_size_budget"] = 4000
    assert Registry.model_validate(example_data).budgets.model_dump() == {"llms_txt": 4000, "twin": 4000}
    example_data["site"]["budgets"] = {"twin": 9000}
    assert Registry.model_validate(example_data).budgets.model_dump() == {"llms_txt": 50_000, "twin": 9000}


def test_parity_names_what_is_missing_where(example_registry, tmp_path: Path) -> None:
    # A build whose server_broke page was never made, whose overview lists server_broke only,
    # and whose HTML is not written: the publisher's own gate names each gap and where it is.
    pages = _pages(example_registry)
    del pages["errors/server_broke.md"]
    pages["errors/overview.md"] = PageDoc("errors/overview.md", "Errors", None, "# E\n\n| Code | HTTP | When | Retry? |\n| --- |\n| [`server_broke`](/errors/server_broke.md) | 503 | x | y |\n")
    site = tmp_path / "site"
    publisher = publish(example_registry, pages, [NavSection("Errors", list(pages))], site)
    problems = publisher.problems(site_dir=site, sources=set(pages))
    assert "parity: the codes table of docs/errors/overview.md is missing thing_missing" in problems
    assert "parity: the built code pages is missing server_broke" in problems
    assert "parity: the Markdown twins is missing server_broke" in problems
    assert "parity: the HTML output (errors/<code>/) is missing thing_missing, server_broke" in problems
    assert "parity: llms.txt is missing server_broke" in problems  # thing_missing's line is there...
    # ...until it is dropped from the llms.txt the gate is about to publish.
    view = publisher.gate_view()
    llms = "\n".join(line for line in view.indexes["llms.txt"].splitlines() if "[thing_missing]" not in line)
    dropped = dataclasses.replace(view, indexes={**view.indexes, "llms.txt": llms})
    assert "parity: llms.txt is missing thing_missing, server_broke" in check_published(Expected.of(example_registry), dropped, site_dir=site, sources=set(pages))


# --- on the real build ------------------------------------------------------------------------


def test_llms_txt_parses_and_lists_every_code_and_page(agnes_site: Built, agnes_registry) -> None:
    parsed = parse_llms_file((agnes_site.site / "llms.txt").read_text(encoding="utf-8"))
    entries = [entry for section in parsed.sections.values() for entry in section]
    base = agnes_registry.site.docs_url
    by_title = {entry.title: entry for entry in entries}
    for name, code in agnes_registry.codes.items():
        entry = by_title[name]
        assert entry.url == f"{base}errors/{name}.md"
        assert entry.desc.startswith(f"HTTP {'/'.join(map(str, code.statuses))}; ")
        assert code.summary in entry.desc
    hand_written = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    listed = {entry.url[len(base):] for entry in entries}
    assert {twin_path(src) for src in hand_written} <= listed
    for entry in entries:
        assert entry.desc, entry.title  # never a bare link
        assert (agnes_site.site / entry.url[len(base):]).is_file(), entry.url


def test_every_llms_link_is_served(served_agnes_site: str, agnes_site: Built, agnes_registry) -> None:
    parsed = parse_llms_file((agnes_site.site / "llms.txt").read_text(encoding="utf-8"))
    base = agnes_registry.site.docs_url
    urls = [entry.url for section in parsed.sections.values() for entry in section]
    assert len(urls) > 20
    for url in urls:
        with urllib.request.urlopen(served_agnes_site + url[len(base):], timeout=10) as response:
            assert response.status == 200, url
            assert response.read(), url


def test_twins_are_clean_and_absolute(agnes_site: Built) -> None:
    twins = [p for p in agnes_site.site.rglob("*.md")]
    assert len(twins) >= 16 + 8
    for path in twins:
        text = path.read_text(encoding="utf-8")
        facts, rest = _front_matter(text)
        assert facts["url"].startswith("https://docs.lasscyber.com/") and facts["title"], path
        assert rest.startswith("> ## Documentation Index\n> The complete index of this documentation is at: https://docs.lasscyber.com/llms.txt\n"), path
        prose = re.sub(r"^(`{3,}).*?^\1", "", text, flags=re.S | re.M)  # links inside code samples are not links
        for needle in ("<Snippet", "--8<--", "theme={null}", "<!-- errdocs"):
            assert needle not in text, (path, needle)
        assert not re.search(r'^\s*=== "', text, re.M) and not re.search(r"^\s*!!! ", text, re.M), path
        for target in re.findall(r"\]\(([^)\s]+)", prose):
            assert re.match(r"^(https://|mailto:)", target), (path, target)
    full = (agnes_site.site / "llms-full.txt").read_text(encoding="utf-8")
    assert full.count("Documentation Index") == 1
    assert full.count("\n# internal_error\n") == 1
    assert len(full) <= 100_000, len(full)
    for path in twins:  # every page opens with its source URL
        assert f"\n\nSource: {_front_matter(path.read_text(encoding='utf-8'))[0]['url']}\n\n# " in full, path


def _front_matter(twin: str) -> tuple[dict, str]:
    """A twin's front matter as CommonMark + front matter reads it (markdown-it-py), and the rest."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    tokens = MarkdownIt("commonmark").use(front_matter_plugin).parse(twin)
    assert tokens[0].type == "front_matter", twin[:200]
    assert not any(t.type == "heading_open" and t.map and t.map[0] < tokens[0].map[1] for t in tokens[1:])
    return yaml.safe_load(tokens[0].content), twin[twin.index("\n---\n", 3) + 6 :].lstrip("\n")


def test_html_pages_link_their_twin_and_the_index(agnes_site: Built) -> None:
    page = agnes_site.page("errors/internal_error/index.html")
    links = re.findall(r"<link ([^>]*)>", page)
    twin = [l for l in links if 'type="text/markdown"' in l]
    assert len(twin) == 1 and 'href="../../errors/internal_error.md"' in twin[0]
    assert re.search(r'rel="([^"]*)"', twin[0])[1].split() == ["alternate"]  # the alternate link type
    assert '<link rel="alternate" type="text/plain" href="../../llms.txt"' in page
    assert re.search(r'<a href="\.\./\.\./errors/internal_error\.md"[^>]*>View as Markdown</a>', page)


def _tampered_build(tmp_path: Path, tamper: str) -> Built:
    from conftest import copy_project

    project = copy_project(ROOT, tmp_path / "project")
    (project / "hooks" / "tamper.py").write_text(tamper, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - hooks/errors_site.py\n", "  - hooks/errors_site.py\n  - hooks/tamper.py\n")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return mkdocs_build(project)


def test_a_dropped_code_page_fails_the_build(tmp_path: Path) -> None:
    built = _tampered_build(tmp_path, (
        "def on_files(files, *, config):\n"
        "    files.remove(files.get_file_from_path('errors/forbidden.md'))\n"
        "    return files\n"
    ))
    assert built.returncode == 1
    assert "parity: the built code pages is missing forbidden" in built.output
    assert not (built.site / "llms.txt").exists()


def test_a_dropped_llms_line_fails_the_build(tmp_path: Path) -> None:
    built = _tampered_build(tmp_path, (
        "import errdocs.publish.llms as llms\n"
        "_original = llms.code_line\n"
        "llms.code_line = lambda registry, name: '' if name == 'forbidden' else _original(registry, name)\n"
    ))
    assert built.returncode == 1
    assert "parity: llms.txt is missing forbidden" in built.output


@pytest.mark.parametrize("docs_robots", [False, True], ids=["robots.txt written", "the docs' own robots.txt"])
def test_a_discarded_build_leaves_none_of_the_files_it_wrote(example_registry, tmp_path: Path, docs_robots: bool) -> None:
    from errdocs.build import Build

    site = tmp_path / "site"
    build = Build(example_registry, out_dir=site)
    build.page_markdown("index.md", "# Home\n\nSee [errors](errors/overview.md).\n", {}, fallback_title="Home")
    for src in build.pages:
        build.page_markdown(src, build.source(src).split("---\n", 2)[2], {}, fallback_title=src)
    build.nav = ["index.md", {"Errors": list(build.pages)}]
    build.seal()
    # The engine's files, written between seal and publish: a discarded build must leave them alone.
    engine = {"index.html", *(src.removesuffix(".md") + "/index.html" for src in build.pages)} | ({"robots.txt"} if docs_robots else set())
    for rel in engine:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("<html></html>", encoding="utf-8")
    build.publish()
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    written = files - engine
    # Every kind of file a build writes is there to be discarded.
    kinds = {"errors/server_broke.md", "llms.txt", ".well-known/llms.txt", "llms-full.txt", "errors/index.html"}
    assert kinds | ({"robots.txt"} if not docs_robots else set()) <= written
    build.discard()
    assert {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} == engine
    assert not (site / ".well-known").exists()  # folders made only for its files go too


def test_one_registry_change_reaches_html_twin_and_both_llms_files(project_copy) -> None:
    project = project_copy(ROOT)
    path = project / "registry.yaml"
    text = path.read_text(encoding="utf-8")
    old = yaml.safe_load(text)["codes"]["payload_too_large"]["summary"]
    path.write_text(text.replace(old, "Quokka summary for the surfaces test."), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    for rel in ("errors/payload_too_large/index.html", "errors/payload_too_large.md", "llms.txt", "llms-full.txt"):
        assert "Quokka summary for the surfaces test." in built.page(rel), rel


def sixty_codes(example_data: dict, lifecycle=lambda i: None) -> None:
    """Replace the example registry's codes by 60 in three groups (``lifecycle(i)``: code i's, if any)."""
    base = example_data["codes"]["thing_missing"]
    example_data["codes"] = {}
    for i in range(60):
        code = copy.deepcopy(base)
        code.update(group=f"Family {i % 3}", related=[], summary=f"Thing number {i} is missing.")
        if lifecycle(i):
            code["lifecycle"] = lifecycle(i)
        example_data["codes"][f"thing_{i:02d}"] = code


def publish_code_pages(registry, out: Path):
    """The code pages of ``registry`` published under ``out`` as a build does; ``(publisher, pages)``."""
    pages = {}
    for page in generated_pages(registry):
        if page.code:
            pages[page.src_uri] = PageDoc(page.src_uri, page.code, None, render_page(registry, page).split("---\n", 2)[2], code=page.code)
    return publish(registry, pages, [NavSection("Errors", list(pages))], out), pages


def test_large_registries_shard_llms_txt_by_group(example_data, tmp_path: Path) -> None:
    from errdocs.registry.model import Registry

    sixty_codes(example_data)
    example_data["site"]["llms_size_budget"] = 4000
    publisher, pages = publish_code_pages(Registry.model_validate(example_data), tmp_path)
    files = files_under(tmp_path)
    assert sorted(p for p in files if p.startswith("llms/")) == ["llms/family-0.txt", "llms/family-1.txt", "llms/family-2.txt"]
    index = parse_llms_file(files["llms.txt"])
    assert [e.url for e in index.sections["Errors"]] == [f"{DOCS}llms/family-{i}.txt" for i in range(3)]
    shard = parse_llms_file(files["llms/family-1.txt"])
    assert [e.title for e in shard.sections["Family 1"]] == [f"thing_{i:02d}" for i in range(1, 60, 3)]
    assert all(len(text) <= 4000 for path, text in files.items() if path not in UNBUDGETED)
    # the parity gate counts codes across llms.txt and its shards
    from errdocs.publish.contract import CONTRACT_FILES

    problems = publisher.problems(site_dir=None, sources=set(pages) | set(CONTRACT_FILES))
    assert [p for p in problems if "llms.txt" in p] == []


def test_deprecated_and_removed_codes_are_sharded_like_groups(example_data, tmp_path: Path) -> None:
    """Once llms.txt is sharded, the deprecated and removed codes leave ``## Optional`` for shards
    of their own, linked from it, and a state with more lines than one shard holds is split into parts."""
    from errdocs.registry.model import Registry

    def lifecycle(i: int):
        if 30 <= i < 57:
            return {"state": "deprecated", "since": "2.0.0", "replaced_by": "thing_00", "removal_date": "2027-01-01"}
        return {"state": "removed", "since": "2.0.0"} if i >= 57 else None

    sixty_codes(example_data, lifecycle)
    example_data["site"]["budgets"] = {"llms_txt": 4000}
    registry = Registry.model_validate(example_data)
    publisher, pages = publish_code_pages(registry, tmp_path)
    files = files_under(tmp_path)
    optional = [e.url.removeprefix(DOCS) for e in parse_llms_file(files["llms.txt"]).sections["Optional"]]
    assert optional[:-1] == ["llms/lifecycle/deprecated-codes-1-of-2.txt", "llms/lifecycle/deprecated-codes-2-of-2.txt",
                             "llms/lifecycle/removed-codes.txt"]
    def listed(path: str) -> list[str]:
        return [e.title for section in parse_llms_file(files[path]).sections.values() for e in section]

    in_order = list(registry.codes)  # a group's codes together, as everywhere
    assert listed(optional[0]) + listed(optional[1]) == [n for n in in_order if 30 <= int(n[-2:]) < 57]
    assert listed(optional[2]) == [n for n in in_order if int(n[-2:]) >= 57]
    assert listed("llms/family-0.txt") == [f"thing_{i:02d}" for i in range(0, 30, 3)]
    assert all(len(text) <= 4000 for path, text in files.items() if path not in UNBUDGETED)
    from errdocs.publish.contract import CONTRACT_FILES

    problems = publisher.problems(site_dir=None, sources=set(pages) | set(CONTRACT_FILES))
    assert [p for p in problems if "llms" in p] == []  # the gate counts the codes of every shard


class _TextBeforeArticle(HTMLParser):
    """The text of a page as a reader of its HTML meets it, and how much comes before <article>."""

    def __init__(self) -> None:
        super().__init__()
        self.before = self.total = 0
        self.skipping = 0
        self.in_article = False

    def handle_starttag(self, tag: str, attrs) -> None:  # type: ignore[no-untyped-def]
        self.in_article |= tag == "article"
        self.skipping += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            size = len(" ".join(data.split()))
            self.total += size
            self.before += 0 if self.in_article else size


def test_every_page_starts_its_content_early(agnes_site: Built) -> None:
    # Agents read pages top to bottom and stop early: the article must come before the
    # navigation and the table of contents (afdocs' content-start-position wants <= 10 %).
    late = {}
    for index in sorted(agnes_site.site.rglob("index.html")):
        html = index.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # a folder's redirect page (publish.folders), not a page
        parser = _TextBeforeArticle()
        parser.feed(html)
        if parser.before > 0.10 * parser.total:
            late[index.relative_to(agnes_site.site).as_posix()] = f"{parser.before}/{parser.total}"
    assert late == {}


def test_one_order_everywhere(agnes_site: Built, agnes_registry) -> None:
    # The overview table, the sidebar, prev/next, llms.txt and llms-full.txt list the codes
    # in one order: a reader's "Next" is the next row of the table.
    order = list(agnes_registry.codes)
    overview = agnes_site.page("errors/overview/index.html")
    first = overview.index(f'<td><a href="../{order[0]}/"')
    tables = overview[overview.rindex("<table", 0, first) : overview.index("<h2", first)]  # one per group
    assert re.findall(r'<tr>\s*<td><a href="\.\./([a-z_]+)/"', tables) == order
    # The sidebar (pruned: a page shows its own group open), group by group.
    sidebar = []
    for names in agnes_registry.code_groups().values():
        page = agnes_site.page(f"errors/{names[0]}/index.html")
        nav = page[page.index('data-md-type="navigation"') : page.index('data-md-type="toc"')]
        links = re.findall(r'href="(?:\.\./([a-z_]+)/|\./)"', nav)
        sidebar += [name or names[0] for name in links if (name or names[0]) in names]
    assert sidebar == order
    llms = agnes_site.page("llms.txt")
    assert re.findall(r"^- \[([a-z_]+)\]\(https://docs\.lasscyber\.com/errors/", llms, re.M) == order
    full = agnes_site.page("llms-full.txt")
    assert re.findall(r"^Source: https://docs\.lasscyber\.com/errors/([a-z_]+)/$", full, re.M) == ["overview", *order, "changelog"]
    for name, after in zip(order, order[1:]):
        page = agnes_site.page(f"errors/{name}/index.html")
        assert re.search(r'<a href="\.\./([a-z_]+)/" class="md-footer__link md-footer__link--next"', page)[1] == after, name


def test_codes_of_a_group_stay_together(example_data) -> None:
    from errdocs.registry.model import Registry

    data = copy.deepcopy(example_data)
    names = list(data["codes"])
    assert len(names) >= 2
    data["codes"][names[0]]["group"] = "First"
    data["codes"][names[-1]]["group"] = "First"
    for name in names[1:-1]:
        data["codes"][name]["group"] = "Second"
    registry = Registry.model_validate(data)
    assert list(registry.codes) == [names[0], names[-1], *names[1:-1]]


def test_the_inferred_sdk_exceptions_say_they_are_unconfirmed(agnes_site: Built, agnes_registry) -> None:
    # No published Agnes page names the SDK exceptions of these codes: the pages and twins say so.
    marked = [name for name, code in agnes_registry.codes.items() if code.unconfirmed]
    assert marked == ["not_found", "method_not_allowed"]
    for name in marked:
        facts, body = _front_matter(agnes_site.page(f"errors/{name}.md"))
        assert set(facts["unconfirmed"]) == {"sdk_exceptions"}
        assert "| **Unconfirmed** | SDK exceptions: No published page names" in body
        page = agnes_site.page(f"errors/{name}/index.html")
        assert "<strong>Unconfirmed</strong>: No published page names" in page


def test_the_public_site_says_nothing_of_how_it_is_built(agnes_site: Built) -> None:
    # The site is the API's documentation: benchmarks and build internals live in the repository.
    # The MCP server is named (`errdocs mcp`, with errdocs' mcp extra): agents run it; nothing else of the generator shows.
    internals = re.compile(r"bench|performance of the (site|build)|pytest|mkdocs|errdocs(?! mcp| with its mcp extra)|registry\.yaml|hooks/", re.I)
    surfaces = ["llms.txt", "llms-full.txt", "sitemap.xml", "search/search_index.json"]
    surfaces += [p.relative_to(agnes_site.site).as_posix() for p in agnes_site.site.rglob("*.md")]
    found = {rel: m.group(0) for rel in surfaces if (m := internals.search(agnes_site.page(rel)))}
    assert found == {}
