"""The package's shape: layers with arrows one way, no cycle, MkDocs only in its adapter.

The rules name layers (the packages under ``errdocs``), never modules: modules move
between files and packages split without changing a rule here.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

CORE = ROOT / "hooks" / "errdocs"
LAYERS = ["registry", "render", "publish", "wire", "build", "tools", "agents"]
"""The core's layers, lowest first: a module imports from its own layer and the ones before it, never after."""
SURFACE = len(LAYERS)
"""``errdocs/__init__`` and ``__main__``: the surface over every core layer."""
PLUGIN = "plugin"
PLUGIN_LAYER = SURFACE + 1
"""``errdocs/plugin/``, the MkDocs adapter: the top, the only part that may import MkDocs (or Jinja2)."""
ENGINE = ("mkdocs", "jinja2")


def _module(path: Path) -> str:
    parts = path.relative_to(CORE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(path): path for path in sorted(CORE.rglob("*.py"))}
CORE_MODULES = sorted(name for name in MODULES if name.split(".")[1:2] != [PLUGIN])
"""Every module but the adapter's."""


def _is_lazy(name: str, node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` sits in the package ``__init__``'s module-level ``__getattr__``: run on first use, not on import."""
    if name != "errdocs":
        return False
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__" and isinstance(parents.get(node), ast.Module):
            return True
    return False


def _imports(name: str) -> list[tuple[str, bool]]:
    """Every module ``name`` imports, as written or resolved (relative imports, ``from . import x`` as module x),
    with whether the import is lazy (``_is_lazy``)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, _is_lazy(name, node, parents)) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                module = f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                found.append((module, _is_lazy(name, node, parents)))
    return found


def _internal(name: str, *, lazy: bool = True) -> set[str]:
    """The errdocs modules ``name`` imports (without the lazy ones unless ``lazy``)."""
    return {module for module, is_lazy in _imports(name) if module in MODULES and module != name and (lazy or not is_lazy)}


def _layer(name: str) -> int | None:
    parts = name.split(".")
    if name in ("errdocs", "errdocs.__main__"):
        return SURFACE
    if parts[1] == PLUGIN:
        return PLUGIN_LAYER
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def test_the_rules_see_the_package() -> None:
    # Guards the checks below against reading nothing: the package and each layer hold modules.
    assert "errdocs" in MODULES
    assert {name.split(".")[1] for name in CORE_MODULES if "." in name} >= set(LAYERS) - {"build"}
    assert any(_layer(name) == LAYERS.index("build") for name in MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_belongs_to_a_layer(name: str) -> None:
    assert _layer(name) is not None, f"{name} is in no layer; put it in one of {LAYERS} (or the plugin)"


@pytest.mark.parametrize("name", CORE_MODULES)
def test_no_module_of_the_core_imports_mkdocs(name: str) -> None:
    engine = sorted(module for module, _ in _imports(name) if module.split(".")[0] in ENGINE)
    assert engine == [], f"{name} imports {engine}: only errdocs.{PLUGIN} may"


def test_the_import_graph_has_no_cycle() -> None:
    # Lazy imports run after every module is loaded: they close no cycle at import time.
    graph = {name: _internal(name, lazy=False) for name in MODULES}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            pytest.fail("import cycle: " + " -> ".join(path[path.index(name):] + [name]))
        if name not in done:
            for target in sorted(graph[name]):
                visit(target, path + [name])
            done.add(name)

    for name in graph:
        visit(name, [])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down_the_layers_only(name: str) -> None:
    # registry <- render <- publish <- wire <- build <- tools <- the surface <- the plugin:
    # validation never imports a renderer, and nothing below the plugin imports it.
    own = _layer(name)
    upward = sorted(
        target for target, lazy in _imports(name)
        if target in MODULES and target != name and (_layer(target) or 0) > (own or 0)
        and not (lazy and _layer(target) == PLUGIN_LAYER)  # `errdocs.__getattr__` may hand out the plugin
    )
    assert upward == [], f"{name} imports from a higher layer: {upward}"


def test_importing_the_core_loads_no_mkdocs() -> None:
    # What the surface and every core module import at import time, in a fresh interpreter.
    script = (
        "import importlib, json, sys\n"
        "import errdocs\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    loaded = set(json.loads(run.stdout))
    assert set(CORE_MODULES) <= loaded
    assert sorted(m for m in loaded if m.split(".")[0] in ENGINE or m.startswith(f"errdocs.{PLUGIN}")) == []


class _Permissive(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: its tags (``!ENV``, ``!!python/name``) become None."""


_Permissive.add_multi_constructor("", lambda loader, suffix, node: None)


def _hooks() -> list[Path]:
    """The hook files the sites' ``mkdocs.yml`` name."""
    configs = [ROOT / "mkdocs.yml", *sorted((ROOT / "tests" / "fixtures").glob("*/mkdocs.yml"))]
    found = {(config.parent / hook).resolve() for config in configs
             for hook in (yaml.load(config.read_text(encoding="utf-8"), Loader=_Permissive) or {}).get("hooks") or []}
    return sorted(found)


@pytest.mark.parametrize("hook", _hooks(), ids=lambda path: path.name)
def test_hooks_use_the_public_surface_only(hook: Path) -> None:
    tree = ast.parse(hook.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    inner = sorted(m for m in imported if m.startswith("errdocs.") and m.split(".")[1] != PLUGIN)
    assert inner == [], f"{hook.name} reaches inside the core: {inner}"


def test_the_generator_names_no_api():
    """Nothing under hooks/ assumes Agnes: another team's registry gets no Agnes word."""
    tracked = subprocess.run(["git", "ls-files", "hooks"], cwd=ROOT, capture_output=True, text=True, check=True)
    files = [ROOT / name for name in tracked.stdout.split()]
    assert files, "git ls-files found no hook file"
    naming = [str(path.relative_to(ROOT)) for path in files if "agnes" in path.read_text(encoding="utf-8").lower()]
    assert naming == []


def test_make_serve_installs_only_what_serving_needs(tmp_path: Path) -> None:
    # A dry run from a fresh checkout: `make serve` sets up the runtime packages and says so;
    # the test tools (Playwright, hypothesis, ProperDocs...) come with `make test` only.
    def dry(target: str) -> str:
        run = subprocess.run(["make", "-n", "-C", str(ROOT), target, f"VENV={tmp_path / 'venv'}"],
                             capture_output=True, text=True, timeout=30)
        assert run.returncode == 0, run.stderr
        return run.stdout
    # Both install from the hash-locked files only, and the project itself without dependencies.
    serve, test = dry("serve"), dry("test")
    first = next(line for line in serve.splitlines() if not line.startswith("make"))  # "make: Entering directory"
    assert first.startswith("echo \"Setting up"), first
    assert "--require-hashes --only-binary :all: -r requirements/site.lock\n" in serve
    assert "pip install --quiet --no-deps --no-build-isolation -e .\n" in serve
    assert "test.lock" not in serve and "[test]" not in serve
    assert "Adding the test tools" in test and "--require-hashes --only-binary :all: -r requirements/test.lock\n" in test
    for out in (serve, test):
        installs = [line for line in out.splitlines() if "pip install" in line]
        assert all("--require-hashes" in line or "--no-deps" in line for line in installs), installs
