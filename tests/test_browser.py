"""The built site in a real browser: Playwright driving Debian's chromium against a real HTTP server.

Every page loads without console errors or failed requests, search finds every code, the code sample tabs
switch and stay linked, the copy button copies the example exactly, the palette toggles, the Markdown
twin link works, screenshots are kept as artifacts, and a deliberately broken page is caught by the
very same check (so the check is known to be real). Under the Content-Security-Policy the build publishes,
served by nginx and by `make preview`, no page has a violation and every feature that runs script works.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from browser_checks import (
    CAPTURE_COPY_SCRIPT,
    CHROMIUM,
    CHROMIUM_MISSING,
    LAUNCH_ARGS,
    browser_unavailable as _unavailable,
    distinctive_word,
    load_search_index,
    page_problems,
    pages_problems,
)
from conftest import ROOT, SITE_CODE, SITES, published_headers, static_server

pytestmark = pytest.mark.build

ARTIFACTS = ROOT / "test-artifacts"
WAIT_MS = 10_000  # upper bound for any single wait on the page
CODE_PAGE = SITE_CODE


@pytest.fixture(scope="module")
def browser():
    """One headless chromium for the whole module."""
    if not CHROMIUM.exists():
        _unavailable(CHROMIUM_MISSING)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright (Python package) not installed; pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def base(browser, request) -> str:
    """Base URL of the served real site. Asks for the browser first, so a missing chromium skips
    before the site is built."""
    return request.getfixturevalue("served_agnes_site")


@pytest.fixture(scope="module")
def hosted(browser, request) -> str:
    """Base URL of the real site through `make preview`'s server, which answers the 404 page
    for a missing address as a host does (the plain server of ``base`` does not)."""
    return request.getfixturevalue("preview") + "/"


@pytest.fixture(scope="module")
def built(browser, request):
    """The real site as built once per session (``agnes_site``), also asked for after the browser."""
    return request.getfixturevalue("agnes_site")


@pytest.fixture(scope="module")
def registry(browser, request):
    """The loaded registry (``agnes_registry``), also asked for after the browser."""
    return request.getfixturevalue("agnes_registry")


@pytest.fixture
def context(browser, base):
    """A fresh context per test (clean localStorage: tab and palette choices do not leak between tests)."""
    ctx = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, color_scheme="light")
    ctx.set_default_timeout(WAIT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


def _page_url(base: str, site: Path, index: Path) -> str:
    rel = index.parent.relative_to(site).as_posix()
    return base if rel == "." else urljoin(base, rel + "/")


# 1. Every page loads cleanly.


def test_every_page_loads_without_errors(browser, base, built, registry):
    pages = sorted(built.site.rglob("index.html"))
    urls = [_page_url(base, built.site, index) for index in pages]
    paths = {urlsplit(url).path for url in urls}
    expected = {"/", "/errors/overview/", "/errors/changelog/"} | {f"/errors/{name}/" for name in registry.codes}
    assert expected <= paths, f"pages missing from the build: {sorted(expected - paths)}"

    # One fresh context for the walk (pages load a few at a time); page_problems(browser, url) is the
    # same check for a single page.
    walk = browser.new_context()
    try:
        report = {url: problems for url, problems in pages_problems(walk, urls).items() if problems}
    finally:
        walk.close()
    lines = [f"{url}\n    " + "\n    ".join(problems) for url, problems in report.items()]
    assert not report, f"{len(report)} of {len(urls)} pages have problems:\n" + "\n".join(lines)


# 2. Search finds every code by name and by a word of its summary.


def _search(page, query: str, expected_path: str) -> list[str] | None:
    """Type ``query``; None once ``expected_path`` is among the results, else the result paths seen."""
    box = page.locator("input.md-search__input")
    # Clear first and wait for the result list to empty, so old results cannot satisfy the next query.
    box.fill("")
    box.press("End")  # Material reacts to key events, not to fill() alone
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=WAIT_MS)
    box.fill(query)
    box.press("End")
    try:
        page.wait_for_function(
            """path => [...document.querySelectorAll('.md-search-result__item a')]
                      .some(a => new URL(a.href).pathname === path)""",
            arg=expected_path,
            timeout=WAIT_MS,
        )
        return None
    except Exception:  # noqa: BLE001 - report what was found instead
        return page.eval_on_selector_all(
            ".md-search-result__item a", "els => [...new Set(els.map(a => new URL(a.href).pathname))]"
        )


def test_search_finds_every_code(context, built, registry):
    docs = load_search_index(built.site)
    page = context.new_page()
    page.goto("./", wait_until="load")
    page.wait_for_selector("input.md-search__input", timeout=WAIT_MS)
    misses = []
    for name, code in registry.codes.items():
        path = f"/errors/{name}/"
        word = distinctive_word(code.summary, name, docs, f"errors/{name}/")
        for query in (name, word):
            found = _search(page, query, path)
            if found is not None:
                misses.append(f"search {query!r} did not list {path}; results: {found}")
    assert not misses, "\n".join(misses)


# 3. Code sample tabs switch and stay linked across pages; SDK exceptions need no click.


def _assert_selected(page, label: str, other: str) -> None:
    from playwright.sync_api import expect

    sets = page.locator(".tabbed-set").filter(has=page.get_by_text(label, exact=True))
    assert sets.count() >= 1, f"no tab set with a {label!r} tab on {page.url}"
    for i in range(sets.count()):
        tabset = sets.nth(i)
        labels = tabset.locator(":scope > .tabbed-labels > label")
        texts = [t.strip() for t in labels.all_inner_texts()]
        blocks = tabset.locator(":scope > .tabbed-content > .tabbed-block")
        wanted, unwanted = texts.index(label), texts.index(other)
        radio = tabset.locator(f"input#{labels.nth(wanted).get_attribute('for')}")
        expect(radio).to_be_checked(timeout=WAIT_MS)
        expect(blocks.nth(wanted)).to_be_visible(timeout=WAIT_MS)
        expect(blocks.nth(unwanted)).to_be_hidden(timeout=WAIT_MS)


def test_code_sample_tabs_switch_and_stay_linked(context):
    page = context.new_page()
    page.goto("guides/retries/", wait_until="load")
    _assert_selected(page, "Python", "TypeScript")  # the default, so the click below is a real change

    page.locator(".tabbed-labels > label", has_text=re.compile(r"^\s*TypeScript\s*$")).first.click()
    _assert_selected(page, "TypeScript", "Python")

    page.goto("sdks/versioning/", wait_until="load")
    _assert_selected(page, "TypeScript", "Python")


def test_every_sdk_exception_shows_without_a_click(context, registry):
    page = context.new_page()
    for name, code in registry.codes.items():
        page.goto(f"errors/{name}/", wait_until="load")
        table = page.locator("h2#sdk-behaviour ~ div table").first
        for sdk_id, sdk in registry.site.sdks.items():
            row = table.locator("tr", has_text=sdk.label)
            assert row.is_visible(), (name, sdk_id)
            assert code.sdk[sdk_id].exception in row.inner_text(), (name, sdk_id)
            for attribute in code.sdk[sdk_id].attributes:
                assert attribute.name in row.inner_text(), (name, sdk_id, attribute.name)


# 4. The copy button copies the example JSON exactly.


def _copied_text(page) -> str:
    try:
        return page.evaluate("navigator.clipboard.readText()")
    except Exception:  # noqa: BLE001
        # Headless chromium without a readable clipboard: fall back to what CAPTURE_COPY_SCRIPT saw the
        # page copy (the same text Material hands to the clipboard).
        captured = page.evaluate("window.__copied")
        assert captured is not None, "the copy button copied nothing (clipboard unreadable, no copy event)"
        return captured


def _copy_json_example(page, name: str) -> str:
    """Click the copy button of code ``name``'s JSON example on its page (loaded); what it copied."""
    # The JSON example is the code block that parses to an object with this code (a page may also
    # show an HTTP block with status line and headers).
    block_id = page.evaluate(
        """name => {
            for (const pre of document.querySelectorAll('.md-typeset pre')) {
              const code = pre.querySelector('code');
              try {
                const data = JSON.parse(code.textContent);
                if (data && data.code === name) return pre.id;
              } catch (e) {}
            }
            return null;
        }""",
        name,
    )
    assert block_id, f"errors/{name}/: no JSON example block (or it has no id: copy button missing?)"
    page.evaluate("navigator.clipboard.writeText('(clipboard not written)').catch(() => {})")
    page.evaluate("window.__copied = null")
    pre = page.locator(f"pre#{block_id}")
    pre.hover()
    button = pre.locator("button[data-md-type='copy'], button.md-clipboard")
    assert button.count() == 1, f"errors/{name}/: expected one copy button on the JSON example"
    button.click()
    page.wait_for_function(
        "() => window.__copied !== null || document.querySelector('.md-dialog--active')", timeout=WAIT_MS
    )
    return _copied_text(page)


def test_copy_button_copies_example_json(context, base, registry):
    from errdocs.render.snippets import example_envelope

    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    context.add_init_script(CAPTURE_COPY_SCRIPT)
    page = context.new_page()
    mismatches = []
    for name in registry.codes:
        expected = json.dumps(example_envelope(registry, name), indent=2, ensure_ascii=False)
        page.goto(f"errors/{name}/", wait_until="load")
        copied = _copy_json_example(page, name)
        if copied.removesuffix("\n") != expected.removesuffix("\n"):
            mismatches.append(f"errors/{name}/ copied:\n{copied!r}\nexpected:\n{expected!r}")
    assert not mismatches, "\n".join(mismatches)


def _copy_page_as_markdown(page):
    """Open the Copy page menu of the loaded page from the keyboard and copy the page as Markdown; the menu."""
    menu = page.locator("details.errdocs-copy")
    assert menu.count() == 1, page.url
    menu.locator("summary").focus()
    page.keyboard.press("Enter")  # opens from the keyboard, as a native disclosure
    assert menu.evaluate("el => el.open"), page.url
    menu.get_by_role("button", name="Copy page as Markdown").click()
    page.wait_for_function("() => document.querySelector('.errdocs-copy__status').textContent !== ''", timeout=WAIT_MS)
    return menu


def test_copy_page_menu_copies_the_twin_and_links_the_assistants(context, base, built, registry):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    page = context.new_page()
    off_site: list[str] = []
    page.on("request", lambda request: off_site.append(request.url) if not request.url.startswith(base) else None)
    for name, code in registry.codes.items():
        page.goto(f"errors/{name}/", wait_until="load")
        menu = _copy_page_as_markdown(page)
        twin = (built.site / "errors" / f"{name}.md").read_text(encoding="utf-8")
        assert menu.locator(".errdocs-copy__status").text_content() == "Copied the page as Markdown.", name
        assert page.evaluate("navigator.clipboard.readText()") == twin, name
        links = {a.text_content(): a.get_attribute("href") for a in menu.locator("a").all()}
        assert links["View as Markdown"].endswith(f"errors/{name}.md")
        for label, host in (("Open in ChatGPT", "https://chatgpt.com/?q="), ("Open in Claude", "https://claude.ai/new?q=")):
            prompt = parse_qs(urlsplit(links[label]).query)["q"][0]
            assert links[label].startswith(host) and f"{registry.site.docs_url}errors/{name}.md" in prompt, (name, label)
    assert off_site == [], off_site  # nothing leaves the site until a person follows a link


def test_the_note_for_agents_is_hidden_from_people_and_screen_readers(context):
    page = context.new_page()
    page.goto(f"errors/{CODE_PAGE}/", wait_until="load")
    note = page.locator(".errdocs-agent-note")
    assert note.count() == 1 and "llms.txt" in note.text_content() and f"errors/{CODE_PAGE}.md" in note.text_content()
    assert note.get_attribute("aria-hidden") == "true"
    box = note.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    tree = page.locator("body").aria_snapshot()  # what assistive technology is given
    assert "Note for AI agents" not in tree and "Skip to content" in tree


# 5. The light/dark toggle.


def test_palette_toggle_switches_scheme(context):
    page = context.new_page()
    page.goto(f"errors/{CODE_PAGE}/", wait_until="load")
    _toggle_palette_twice(page)


def _toggle_palette_twice(page) -> None:
    """On a loaded page in the light scheme: the toggle switches to dark, then back."""
    from playwright.sync_api import expect

    body = page.locator("body")
    toggle = page.locator("form[data-md-component='palette'] label:visible")
    expect(body).to_have_attribute("data-md-color-scheme", "default", timeout=WAIT_MS)
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate", timeout=WAIT_MS)
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "default", timeout=WAIT_MS)


# 6. "View as Markdown" serves the twin.


@pytest.mark.parametrize(
    "path, twin",
    [("", "/index.md"), ("errors/overview/", "/errors/overview.md"), (f"errors/{CODE_PAGE}/", f"/errors/{CODE_PAGE}.md")],
)
def test_view_as_markdown_serves_twin(context, path, twin):
    page = context.new_page()
    page.goto(path, wait_until="load")
    link = page.locator(".errdocs-twin a[type='text/markdown']", has_text="View as Markdown")  # the one under the page
    assert link.count() == 1, f"/{path}: expected one 'View as Markdown' link"
    href = link.evaluate("a => a.href")  # the href as the browser resolves it
    assert urlsplit(href).path == twin
    response = page.request.get(href, timeout=WAIT_MS)
    assert response.status == 200, f"{href}: HTTP {response.status}"
    assert response.text().startswith("---\ntitle: ") and "\n\n> ## Documentation Index\n" in response.text(), response.text()[:200]


# 7. Screenshots, kept as test artifacts.


@pytest.mark.parametrize("path, name", [(f"errors/{CODE_PAGE}/", CODE_PAGE), ("errors/overview/", "overview")])
def test_screenshot_artifact(context, path, name):
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    target.unlink(missing_ok=True)
    page = context.new_page()
    page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle", timeout=WAIT_MS)
    page.screenshot(path=str(target), full_page=True, timeout=WAIT_MS)
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000, f"{target}: not a real screenshot"


# 8. A deliberately broken page is caught by the same check.


def test_broken_page_is_caught(browser, built, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built.site, site)
    broken = site / "errors" / CODE_PAGE / "index.html"
    html = broken.read_text(encoding="utf-8")
    assert "</body>" in html
    broken.write_text(
        html.replace("</body>", '<script>throw new Error("deliberately broken")</script>\n</body>', 1),
        encoding="utf-8",
    )
    missing = site / "errors" / "overview" / "index.html"
    html = missing.read_text(encoding="utf-8")
    missing.write_text(
        html.replace("</body>", '<img src="deliberately-missing.png" alt="">\n</body>', 1), encoding="utf-8"
    )

    with static_server(site) as copy_base:
        thrown = page_problems(browser, f"{copy_base}errors/{CODE_PAGE}/")
        not_found = page_problems(browser, f"{copy_base}errors/overview/")

    assert any("uncaught exception" in p and "deliberately broken" in p for p in thrown), thrown
    assert any("HTTP 404" in p and "deliberately-missing.png" in p for p in not_found), not_found


# 7. Other APIs' sites (tests/fixtures) load as cleanly as Agnes'.


@pytest.mark.parametrize("fixture", sorted(name for name in SITES if name != "agnes"))
def test_other_apis_sites_load_without_errors(browser, built_sites, fixture):
    _, built = built_sites(fixture)
    with static_server(built.site) as base:
        urls = [_page_url(base, built.site, index) for index in sorted(built.site.rglob("index.html"))]
        assert len(urls) >= 4
        walk = browser.new_context()
        try:
            report = {url: problems for url, problems in pages_problems(walk, urls).items() if problems}
        finally:
            walk.close()
    assert report == {}


# 9. Content first (the sidebars follow the article in the HTML): what a person sees still works.


def test_the_article_comes_first_and_the_layout_is_unchanged(context, built):
    page_html = (built.site / "errors" / CODE_PAGE / "index.html").read_text(encoding="utf-8")
    assert page_html.index("<article") < page_html.index('data-md-type="navigation"') < page_html.index('data-md-type="toc"')
    page = context.new_page()
    page.goto(f"errors/{CODE_PAGE}/", wait_until="load")
    nav, article, toc = (page.locator(selector).bounding_box() for selector in
                         (".md-sidebar--primary", "article.md-content__inner", ".md-sidebar--secondary"))
    assert nav["x"] < article["x"] < toc["x"], (nav, article, toc)  # navigation left, TOC right


@pytest.mark.parametrize("width", [1280, 390])
def test_the_copy_menu_follows_the_title_in_the_html_and_sits_beside_it(browser, base, built, width):
    for path in (f"errors/{CODE_PAGE}/", "errors/changelog/", ""):
        html = (built.site / path / "index.html").read_text(encoding="utf-8")
        article = html[html.index("<article"):]
        # The note for agents opens the article; the menu comes after the title.
        assert article.index('class="errdocs-agent-note"') < article.index("<h1") < article.index('class="errdocs-copy"'), path
        page = browser.new_page(base_url=base, viewport={"width": width, "height": 800})
        page.goto(path, wait_until="load")
        menu = page.locator("details.errdocs-copy > summary").bounding_box()
        # Every line box of the title's text, so a wrapped title is checked line by line.
        lines = page.evaluate("""() => {
            const range = document.createRange();
            range.selectNodeContents(document.querySelector("article h1"));
            return [...range.getClientRects()].map(r => ({x: r.x, y: r.y, right: r.right, bottom: r.bottom}));
        }""")
        first = lines[0]
        assert first["y"] <= menu["y"] + menu["height"] / 2 <= first["bottom"], (path, width, menu, first)  # level with it
        for line in lines:  # and never under the title's text
            apart = line["right"] <= menu["x"] or line["bottom"] <= menu["y"] or line["y"] >= menu["y"] + menu["height"]
            assert apart, (path, width, line, menu)
        page.close()


def test_toc_follows_the_reader(context):
    page = context.new_page()
    page.goto(f"errors/{CODE_PAGE}/", wait_until="load")
    page.evaluate("document.querySelector('#what-to-do').scrollIntoView()")
    page.wait_for_function(
        "() => document.querySelector(\".md-sidebar--secondary a.md-nav__link[href='#what-to-do']\").classList.contains('md-nav__link--active')",
        timeout=WAIT_MS,
    )


def test_the_mobile_drawer_opens_and_navigates(browser, base):
    ctx = browser.new_context(base_url=base, viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(WAIT_MS)
    try:
        page = ctx.new_page()
        page.goto(f"errors/{CODE_PAGE}/", wait_until="load")
        drawer = page.locator(".md-sidebar--primary")
        assert drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 1  # off screen, closed
        page.locator("label.md-header__button[for='__drawer']").click()
        page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().x >= 0")
        # It opens on the current page's section; any other page of it is a click away.
        section = drawer.locator("li.md-nav__item--active.md-nav__item--nested").last  # the innermost open panel
        sibling = section.locator(":scope > nav > ul > li > a.md-nav__link:not(.md-nav__link--active)").first
        target = sibling.get_attribute("href")
        sibling.click()
        page.wait_for_url(lambda url: url.rstrip("/").endswith(target.strip("./").rstrip("/")))
    finally:
        ctx.close()


def test_search_still_finds_a_code_from_the_header(context):
    page = context.new_page()
    page.goto("errors/overview/", wait_until="load")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.keyboard.type(CODE_PAGE)
    result = page.locator(".md-search-result__link").first
    result.wait_for()
    assert CODE_PAGE in result.get_attribute("href")


# 10. Readers: accessibility, tables, the 404 page and folder addresses.


def _site_pages(built) -> list[str]:
    """Every page of the site as a path for ``page.goto`` (folder redirect pages left out)."""
    paths = []
    for index in sorted(built.site.rglob("index.html")):
        if 'http-equiv="refresh"' in index.read_text(encoding="utf-8"):
            continue  # publish.folders: a redirect, tested below
        rel = index.parent.relative_to(built.site).as_posix()
        paths.append("" if rel == "." else rel + "/")
    return paths


def _component_cover(built) -> list[str]:
    """The pages of ``_site_pages`` that each bring a class attribute's value no earlier one has:
    together they show every component of the site (tables, admonitions, tabs, the header,
    the navigation) at least once, in a few of its pages."""
    seen: set[str] = set()
    cover = []
    for path in _site_pages(built):
        html = (built.site / path / "index.html").read_text(encoding="utf-8")
        classes = {name for value in re.findall(r'class="([^"]*)"', html) for name in value.split()}
        if classes - seen:
            cover.append(path)
            seen |= classes
    return cover


def _settled(page, path: str) -> None:
    # "load": the page's scripts have run (what is fetched later, the search worker's index,
    # changes nothing axe reads; the search dialog's check waits for its results).
    page.goto(path, wait_until="load")
    # Final colours, not a frame of Material's 125 ms colour transitions (a busy machine can
    # catch one), and the page's own script done: every code-copy wrapper out of the landmarks.
    # A constructed stylesheet, not a <style> element: the site's Content-Security-Policy (style-src
    # 'self') refuses the latter, and a host that sends it (nginx, `make preview`) would fail here.
    page.evaluate("""() => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; }");
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }""")
    page.wait_for_function("() => [...document.querySelectorAll('.md-code__nav')].every(nav => nav.getAttribute('role') === 'none')",
                           timeout=WAIT_MS)


@pytest.mark.parametrize("scheme, palette", [("light", "default"), ("dark", "slate")])
def test_axe_finds_no_violation_on_any_page(browser, hosted, built, scheme, palette):
    """Every page in the light palette. The dark palette changes colours, not markup, so it is
    checked on the pages that together show every component (``_component_cover``)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ctx = browser.new_context(base_url=hosted, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    ctx.set_default_timeout(WAIT_MS)
    found: dict[str, list[str]] = {}
    try:
        page = ctx.new_page()
        pages = _site_pages(built) if scheme == "light" else _component_cover(built)
        assert len(pages) >= 5, pages
        for path in [*pages, "404.html", "no/such/page/"]:
            _settled(page, path)
            assert page.evaluate("document.body.dataset.mdColorScheme") == palette, path
            for rule in axe.run(page).response["violations"]:
                found.setdefault(f"/{path} {rule['id']}", []).extend(str(node["target"]) for node in rule["nodes"])
        # The search dialog, open with results.
        _settled(page, "errors/overview/")
        page.keyboard.press("/")
        page.keyboard.type("rate limit")
        page.wait_for_selector(".md-search-result__item", timeout=WAIT_MS)
        for rule in axe.run(page).response["violations"]:
            found.setdefault(f"search dialog {rule['id']}", []).extend(str(node["target"]) for node in rule["nodes"])
    finally:
        ctx.close()
    assert found == {}, "\n".join(f"{where}: {targets[:5]}" for where, targets in found.items())


@pytest.mark.parametrize("width", [1280, 390])
def test_identifiers_in_table_cells_never_break(browser, base, built, width):
    page = browser.new_page(base_url=base, viewport={"width": width, "height": 900})
    broken: list[str] = []
    checked = scrolling = 0
    try:
        for path in _site_pages(built):
            page.goto(path, wait_until="load")
            # An inline element broken across lines has one client rect per line.
            result = page.evaluate("""() => {
                const cells = [...document.querySelectorAll("article table :is(td, th) :is(code, a)")]
                    .filter(el => /^\\S+$/.test(el.textContent.trim()));
                return {count: cells.length,
                        broken: cells.filter(el => el.getClientRects().length > 1).map(el => el.textContent.trim())};
            }""")
            checked += result["count"]
            broken += [f"/{path}: {text}" for text in result["broken"]]
            # A table too wide for the screen scrolls in its own box; the page never scrolls sideways.
            widths = page.evaluate("""() => ({page: document.documentElement.scrollWidth, screen: innerWidth,
                scrolling: [...document.querySelectorAll("article .md-typeset__scrollwrap")].filter(wrap =>
                    wrap.scrollWidth > wrap.clientWidth && getComputedStyle(wrap).overflowX === "auto").length})""")
            assert widths["page"] <= widths["screen"], (path, width, widths)
            scrolling += widths["scrolling"]
    finally:
        page.close()
    assert checked > 100  # every code name of the overview table, at least
    assert broken == [], broken
    assert (scrolling > 0) == (width < 600), scrolling  # on a phone the overview's tables scroll sideways


def test_the_404_page_helps_and_stays_on_the_site(browser, hosted):
    base = hosted
    page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        response = page.goto("no/such/page/", wait_until="load")
        assert response is not None and response.status == 404
        try:
            page.wait_for_load_state("networkidle", timeout=5_000)
        except Exception:  # noqa: BLE001
            pass
        hrefs = page.eval_on_selector_all("[href], [src]", "els => els.map(el => el.getAttribute('href') || el.getAttribute('src'))")
        assert not [href for href in hrefs if href.startswith("//")], hrefs  # "//llms.txt" would name a host
        assert [url for url in requests if not url.startswith(base)] == []
        assert [e for e in errors if "404" not in e] == [], errors  # only the page's own status is an error
        links = {a.text_content().strip(): a.get_attribute("href") for a in page.locator("article a").all()}
        assert links["Home"] in ("/", "/.") and links["Errors: Errors overview"] == "/errors/overview/", links
        page.get_by_role("button", name="Search the documentation").click()
        page.wait_for_function("() => document.getElementById('__search').checked", timeout=WAIT_MS)  # the dialog is open
        assert _search(page, CODE_PAGE, f"/errors/{CODE_PAGE}/") is None  # and it finds pages
    finally:
        page.close()


def test_every_folder_address_answers(browser, base, built):
    page = browser.new_page(base_url=base)
    try:
        folders = sorted({p.rsplit("/", 2)[0] + "/" for p in _site_pages(built) if p.count("/") >= 2})
        assert {"errors/", "guides/"} <= set(folders), folders
        for folder in folders:
            response = page.goto(folder, wait_until="load")
            assert response is not None and response.status == 200, folder
            page.wait_for_url(lambda url: urlsplit(url).path != "/" + folder, timeout=WAIT_MS)
            assert urlsplit(page.url).path.startswith("/" + folder), (folder, page.url)
            assert page.locator("article h1").count() == 1, page.url  # a real page
    finally:
        page.close()


# 11. Under the Content-Security-Policy the build publishes, served by nginx (hosting/nginx.conf)
#     and by `make preview`: no violation on any page, and every feature that runs script works.


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", event => window.__cspViolation(
  `${event.effectiveDirective} refused ${event.blockedURI || "inline code"} (${event.sourceFile || "?"}:${event.lineNumber})`));
"""
"""Reports every violation the page sees to the test (an init script: it runs whatever the policy says)."""


@pytest.fixture(params=["nginx", "preview"])
def csp_host(browser, request) -> str:
    """Base URL of a host that sends the build's headers: nginx with the shipped configuration,
    or `make preview`'s server (which reads the `/*` block of site/_headers)."""
    if request.param == "nginx":
        return request.getfixturevalue("nginx_site").base + "/"
    return request.getfixturevalue("preview") + "/"


@dataclass
class Watched:
    """A browser context and the policy violations its pages saw (events and console messages)."""

    context: Any
    violations: list[str] = field(default_factory=list)


@pytest.fixture
def csp_context(browser, csp_host):
    """A context on ``csp_host`` whose policy violations are collected."""
    ctx = browser.new_context(base_url=csp_host, viewport={"width": 1280, "height": 900}, color_scheme="light")
    ctx.set_default_timeout(WAIT_MS)
    watched = Watched(ctx)
    ctx.expose_function("__cspViolation", lambda text: watched.violations.append(text))
    ctx.add_init_script(CSP_LISTENER)
    ctx.on("page", lambda page: page.on("console", lambda message: watched.violations.append(f"console: {message.text}")
                                        if "Content Security Policy" in message.text else None))
    try:
        yield watched
    finally:
        ctx.close()


def test_every_page_runs_under_the_published_policy(csp_context, csp_host, built):
    policy = published_headers(built.site)["Content-Security-Policy"]
    page = csp_context.context.new_page()
    unprotected = []
    paths = [*_site_pages(built), "no/such/page/"]
    for path in paths:
        response = page.goto(path, wait_until="load")
        if response is None or response.headers.get("content-security-policy") != policy:
            unprotected.append(f"/{path}: {response and response.headers.get('content-security-policy')!r}")
        if path in (paths[0], paths[-1]):
            # What runs after "load" (the search worker fetching its index) is the same script on
            # every page: waiting for it on the first and the last page sees what it would do.
            try:
                page.wait_for_load_state("networkidle", timeout=5_000)
            except Exception:  # noqa: BLE001 - a busy worker; the page has loaded
                pass
    assert unprotected == [], f"served without the published policy {policy!r}:\n" + "\n".join(unprotected)
    assert csp_context.violations == [], "\n".join(csp_context.violations)


def test_every_feature_works_under_the_published_policy(csp_context, csp_host, built, registry):
    from errdocs.render.snippets import example_envelope

    csp_context.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=csp_host.rstrip("/"))
    csp_context.context.add_init_script(CAPTURE_COPY_SCRIPT)
    page = csp_context.context.new_page()
    response = page.goto(f"errors/{CODE_PAGE}/", wait_until="load")
    assert response.headers.get("content-security-policy") == published_headers(built.site)["Content-Security-Policy"]
    # Copy page copies the twin, byte for byte (errdocs' inline script, then fetch).
    assert _copy_page_as_markdown(page).locator(".errdocs-copy__status").text_content() == "Copied the page as Markdown."
    assert page.evaluate("navigator.clipboard.readText()") == (built.site / "errors" / f"{CODE_PAGE}.md").read_text(encoding="utf-8")
    # A code block's copy button copies the example (Material's bundle).
    expected = json.dumps(example_envelope(registry, CODE_PAGE), indent=2, ensure_ascii=False)
    assert _copy_json_example(page, CODE_PAGE).removesuffix("\n") == expected.removesuffix("\n")
    # The palette toggles (Material's bundle, and its inline palette restorer on the next page).
    _toggle_palette_twice(page)
    # Search finds a code (Material's search worker).
    assert _search(page, CODE_PAGE, f"/errors/{CODE_PAGE}/") is None
    # Content tabs switch and the choice is restored on another page (Material's inline tabs script).
    page.goto("guides/retries/", wait_until="load")
    page.locator(".tabbed-labels > label", has_text=re.compile(r"^\s*TypeScript\s*$")).first.click()
    _assert_selected(page, "TypeScript", "Python")
    page.goto("sdks/versioning/", wait_until="load")
    _assert_selected(page, "TypeScript", "Python")
    assert csp_context.violations == [], "\n".join(csp_context.violations)
