"""Shared fixtures: registries as data, and real MkDocs builds in temporary directories."""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from hypothesis import strategies as st
from local_servers import NGINX, free_port, nginx, stop  # hosting/: shared with `make load`

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE_SITE = FIXTURES / "example_site"
SITES = {
    "agnes": ROOT,
    "example_site": EXAMPLE_SITE,
    "payments_site": FIXTURES / "payments_site",
    "problem_site": FIXTURES / "problem_site",
    "stripe_site": FIXTURES / "stripe_site",
}
"""Every registry the generic tests run over, by name: the repository's own, and the sites of
``tests/fixtures`` (a team that swaps in its registry adds its site here)."""


def yaml_data(text: str) -> Any:
    """YAML text's data, read by libyaml (no checks: the errdocs loader is what tests check;
    the pure-Python reader takes seconds over a few thousand codes)."""
    return yaml.load(text, Loader=yaml.CSafeLoader)


def read_yaml(path: Path) -> Any:
    return yaml_data(path.read_text(encoding="utf-8"))


def dump_registry(data: Any) -> str:
    """Registry data as the YAML text an author would write (key order kept, Unicode as is).
    libyaml's emitter: the pure-Python one takes seconds over a few thousand codes."""
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)


def validated(data: Any):
    """``data`` validated as ``registry.yaml`` would be (``RegistryError`` with located problems if not)."""
    from errdocs.registry.load import validate_registry

    return validate_registry(data, text=dump_registry(data), file="registry.yaml")


def documented_values(schema: dict[str, Any]) -> list[Any]:
    """The values a field's JSON Schema lists, whether its set is open (``anyOf: [{enum}, {type}]``) or closed (``enum``)."""
    return schema["enum"] if "enum" in schema else schema["anyOf"][0]["enum"]


MARKDOWN_EXTENSIONS = ["admonition", "attr_list", "tables", "pymdownx.superfences", "pymdownx.tabbed"]
"""The Markdown extensions the sites use (their ``mkdocs.yml``), for rendering pages without MkDocs."""


SITE_CODE = [
    name for name, code in read_yaml(ROOT / "registry.yaml")["codes"].items()
    if (code.get("lifecycle") or {}).get("state", "active") != "removed"
][-1]
"""A code of the repository's own registry, for the tests about the generator that need one
(Agnes: ``internal_error``): a team that swaps in its registry keeps these tests as they are."""


EXAMPLE_DATA: dict[str, Any] = read_yaml(EXAMPLE_SITE / "registry.yaml")
"""The made-up Example API registry as plain data: deep-copy it before changing it (or use ``example_data``)."""

# --- registries mangled at random (hypothesis): valid or not, each must load or fail in located lines

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 1000), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["<script>alert(1)</script>", "a | b", "`x`", "{{ y }}", "--8<-- \"f\"", "404 Not Found", "never", "https://x.test/"]),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, prefix + (index,))
    return out


_ALL_PATHS = _paths(EXAMPLE_DATA)[1:]


@st.composite
def mutated_registries(draw) -> dict[str, Any]:
    """The example registry with up to four of its values replaced, deleted or renamed."""
    data = copy.deepcopy(EXAMPLE_DATA)
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(_ALL_PATHS))
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["replace", "delete", "rename"]))
            if action == "replace":
                parent[path[-1]] = draw(_VALUES)
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=10))] = parent.pop(path[-1])
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or reshaped this path
    return data



@pytest.fixture
def example_data() -> dict[str, Any]:
    """The made-up Example API registry as plain data, free to mutate."""
    return read_yaml(EXAMPLE_SITE / "registry.yaml")


@pytest.fixture(scope="session")
def example_registry():
    from errdocs.registry.load import load_registry

    return load_registry(EXAMPLE_SITE / "registry.yaml")


@pytest.fixture(scope="session")
def agnes_registry():
    from errdocs.registry.load import load_registry

    return load_registry(ROOT / "registry.yaml")


@dataclass
class Built:
    """Result of one ``mkdocs build`` run."""

    project: Path
    site: Path
    returncode: int
    output: str

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def copy_project(source: Path, dest: Path) -> Path:
    """Copy a site (mkdocs.yml, registry.yaml, docs/) next to a copy of hooks/ so paths stay valid."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "registry.yaml"):
        shutil.copy(source / name, dest / name)
    shutil.copytree(source / "docs", dest / "docs")
    if (source / "overrides").is_dir():
        shutil.copytree(source / "overrides", dest / "overrides")
    shutil.copytree(ROOT / "hooks", dest / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    config = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(config.replace("../../../hooks/", "hooks/"), encoding="utf-8")
    return dest


def mkdocs_build(project: Path, site: Path | None = None, *, extra_env: dict[str, str] | None = None) -> Built:
    site = site or project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    return Built(project, site, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture
def project_copy(tmp_path: Path) -> Callable[[Path], Path]:
    return lambda source: copy_project(source, tmp_path / "project")


@pytest.fixture(scope="session")
def agnes_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real site, built once per test session with --strict."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("agnes") / "project")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    return built


@pytest.fixture(scope="session")
def built_sites(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Any, Built]]:
    """``build(name)``: the site of ``SITES[name]`` built strict, and its registry; each built once per
    session, when a test first asks for it (Agnes' is ``agnes_site``). Read them; never change them."""
    from errdocs.registry.load import load_registry

    cache: dict[str, tuple[Any, Built]] = {}

    def build(name: str) -> tuple[Any, Built]:
        if name not in cache:
            if name == "agnes":
                built = request.getfixturevalue("agnes_site")
            else:
                built = mkdocs_build(SITES[name], tmp_path_factory.mktemp(name) / "site")
                assert built.returncode == 0, built.output
            cache[name] = (load_registry(SITES[name] / "registry.yaml"), built)
        return cache[name]

    return build


def wait_for_http(url: str, *, seconds: float = 30.0) -> None:
    """Poll ``url`` until it answers (bounded: at most ``seconds``)."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answered, even if with an error status
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing answered at {url} within {seconds} s")


@contextlib.contextmanager
def static_server(directory: Path):
    """``directory`` on a real static HTTP server bound to 127.0.0.1 (yields its base URL); stopped by PID."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_for_http(base)
        yield base
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def served_agnes_site(agnes_site: Built):
    """The built site on a real static HTTP server bound to 127.0.0.1."""
    with static_server(agnes_site.site) as base:
        yield base


@pytest.fixture(scope="session")
def preview(agnes_site: Built):
    """`make preview`'s server (python -m errdocs preview) on the built site; stopped by PID."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "errdocs", "preview", str(agnes_site.site), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/")
        yield base
    finally:
        stop(proc)


DISCOVERY_LINKS = ('</llms.txt>; rel="llms-txt", </llms.txt>; rel="describedby"; type="text/plain", '
                   '</.well-known/ai-catalog.json>; rel="ai-catalog"')
"""What the ``Link`` header of every page and twin starts with, on the preview and nginx alike: the index
(the older ``llms-txt`` relation and llms.txt v2's ``describedby``) and the ai-catalog manifest."""


def page_link_header(twin: str) -> str:
    """The ``Link`` header of a page address whose twin is ``twin`` (``/errors/x.md``)."""
    return f'{DISCOVERY_LINKS}, <{twin}>; rel="alternate"; type="text/markdown"'


def twin_link_header(page: str) -> str:
    """The ``Link`` header of a twin asked for at its ``.md`` address, whose page is ``page`` (``/errors/x/``)."""
    return f'{DISCOVERY_LINKS}, <{page}>; rel="alternate"; type="text/html"'


def published_headers(site: Path) -> dict[str, str]:
    """The headers of the ``/*`` block of the site's ``_headers``, as a host reads them: a line
    ``/*``, then its indented ``Name: value`` lines."""
    from errdocs.publish.headers import HEADERS_FILE

    block: dict[str, str] = {}
    lines = iter((site / HEADERS_FILE).read_text(encoding="utf-8").splitlines())
    for line in lines:
        if line == "/*":
            for inner in lines:
                if not inner.startswith((" ", "\t")):
                    return block
                name, _, value = inner.strip().partition(":")
                block[name] = value.strip()
    return block


OUTSIDE = "outside"
"""The name of the files beside the site root that nginx must never return (``outside.txt``, ``outside.md``)."""


@dataclass
class Nginx:
    """Debian's nginx running the shipped configuration over a copy of the built site."""

    base: str
    """``http://127.0.0.1:<port>``."""
    site: Path
    """Its root: a copy of the built site, with symlinks leading out of it."""
    sentinel: bytes
    """The content of the files beside the root: no response may contain it."""


@pytest.fixture(scope="session")
def nginx_site(agnes_site: Built, tmp_path_factory: pytest.TempPathFactory):
    """hosting/nginx.conf as shipped (only ``listen``, ``root`` and the headers' path changed) over
    a copy of the built site, beside which lie files it must never serve, and in which symlinks
    lead to them; stopped by PID."""
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (CI is set: .ci/run installs Debian's nginx)", pytrace=False)
        pytest.skip("nginx not installed; apt-get install -y nginx")
    prefix = tmp_path_factory.mktemp("nginx")
    site = prefix / "www" / "site"
    shutil.copytree(agnes_site.site, site)
    sentinel = f"sentinel {os.urandom(8).hex()}: outside the site root".encode()
    for suffix in (".txt", ".md"):
        (site.parent / f"{OUTSIDE}{suffix}").write_bytes(sentinel)
        (site / f"escape{suffix}").symlink_to(f"../{OUTSIDE}{suffix}")
    (site / "escape-dir").symlink_to("..", target_is_directory=True)
    with nginx(site, prefix=prefix) as port:
        yield Nginx(f"http://127.0.0.1:{port}", site, sentinel)


def publish(registry, pages: dict, nav: list, out: Path):
    """The LLM files of ``pages`` (PageDoc by docs path) as a build makes them, under ``out``: a
    ``Publisher`` given each page, sealed with ``nav`` and its indexes written. The size budget
    and the parity gate (``problems()``, ``gate_view()``) are the caller's to ask."""
    from errdocs.publish.publisher import Publisher

    publisher = Publisher(registry, out)
    for page in pages.values():
        publisher.add(page)
    publisher.seal(nav)
    publisher.write_indexes()
    return publisher


def files_under(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` as ``{relative path: text}``."""
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def http_get(url: str, *, follow: bool = True, **headers: str):  # -> (status, headers (case-insensitive), body)
    """One GET, redirects followed unless ``follow`` is False; ``Accept_Encoding=...`` sends ``Accept-Encoding``."""
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={key.replace("_", "-"): value for key, value in headers.items()})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()
