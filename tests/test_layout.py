"""The core's shape: packages by concern, arrows one way, no cycle, nothing from MkDocs."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

CORE = ROOT / "hooks" / "errdocs"
LAYERS = ["registry", "render", "publish", "build", "tools", "plugin"]
"""Lowest first: a module may import from its own layer and the ones before it, never after."""


def _module(path: Path) -> str:
    parts = path.relative_to(CORE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(path): path for path in sorted(CORE.rglob("*.py"))}


def _imports(name: str) -> set[str]:
    """The errdocs modules ``name`` imports (relative imports resolved, ``from . import x`` as module x)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target)
    return {module for module in found if module in MODULES and module != name}


def _layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_no_module_of_the_core_imports_mkdocs() -> None:
    for name, path in MODULES.items():
        if name.startswith("errdocs.plugin"):
            continue  # the MkDocs adapter: the one part that imports MkDocs
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level]
        assert not [m for m in imported if m == "mkdocs" or m.startswith("mkdocs.")], name


def test_the_import_graph_has_no_cycle() -> None:
    graph = {name: _imports(name) for name in MODULES}
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
    # registry <- render <- publish <- build <- tools: validation never imports a renderer, and so on.
    own = _layer(name)
    if own is None:
        return  # errdocs/__init__ and __main__: the surface over every layer
    upward = [target for target in _imports(name) if (_layer(target) or 0) > own]
    assert upward == [], f"{name} imports from a higher layer: {upward}"


def test_the_top_level_holds_only_the_surface() -> None:
    top = sorted(path.name for path in CORE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "build.py"]
    assert sorted(p.name for p in CORE.iterdir() if p.is_dir() and p.name != "__pycache__") == [
        "plugin", "publish", "registry", "render", "tools"
    ]


def test_the_hook_is_thin() -> None:
    hook = (ROOT / "hooks" / "errors_site.py").read_text(encoding="utf-8")
    assert len(hook.splitlines()) <= 160
    imported = {node.module for node in ast.walk(ast.parse(hook)) if isinstance(node, ast.ImportFrom)}
    assert {m for m in imported if m and m.startswith("errdocs")} == {"errdocs.plugin"}, "the hook uses the adapter only"


def test_the_generator_names_no_api():
    """Nothing under hooks/ assumes Agnes: another team's registry gets no Agnes word."""
    import subprocess

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
    serve, test = dry("serve"), dry("test")
    assert "Setting up" in serve and "pip install --quiet -e .\n" in serve and ".[test]" not in serve
    assert "pip install --quiet -e \".[test]\"" in test and "Adding the test tools" in test
