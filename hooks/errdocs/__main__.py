"""The ``errdocs`` command (also ``python -m errdocs``); none of it needs MkDocs."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

from .registry.load import DEFAULT_REGISTRY, RegistryError, load_registry
from .tools.breaking import BREAKING, COMPATIBLE, DOCS_ONLY, compare, unapproved

EPILOG = """\
Run `errdocs COMMAND --help` for a command's options. In a MkDocs site, `plugins: [errdocs]`
builds the error docs from the registry."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "new":
        return run_new(args)
    if args.command == "generate":
        return run_generate(args.config_file, args.out, args.registry)
    if args.command == "preview":
        from .tools.preview import serve

        return serve(args.site, port=args.port)
    if args.command == "contract":
        return run_contract(args.registry, args.base)
    if args.command == "check":
        return run_check(args.registry, args.docs_dir)
    if args.command == "verify":
        return run_verify(args)
    if args.command == "mcp":
        return run_mcp(args.source, args.http, args.cache_dir)
    return run_schema(args.output)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="errdocs", description="Error docs from one registry.", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    new = sub.add_parser("new", help="write a small working site to start from (registry, mkdocs.yml, docs/)")
    new.add_argument("dir", type=Path, help="folder to create (must not exist, or be empty)")
    new.add_argument("--name", help="the API's name (default: Example API)")
    new.add_argument("--summary", help="one sentence about the API")
    new.add_argument("--docs-url", help="where the docs will be published (https://..., default: https://docs.example.com/)")
    new.add_argument("--support-url", help="where users ask for help")
    new.add_argument("--status-url", help="the API's status page")
    new.add_argument("--sdk", action="append", default=[], metavar="LANGUAGE=PACKAGE",
                     help="an SDK the errors reach users through, e.g. python=example-sdk (repeatable)")
    check = sub.add_parser("check", help="validate a registry and print every problem with its line")
    check.add_argument("registry", nargs="?", default=DEFAULT_REGISTRY, type=Path, help=f"the registry file (default: {DEFAULT_REGISTRY})")
    check.add_argument("--docs-dir", type=Path, help="the site's docs folder, to check links to its pages (default: the docs_dir "
                       "of the mkdocs.yml beside the registry, else the docs folder beside it)")
    schema = sub.add_parser("schema", help="print the registry's JSON Schema, for editors")
    schema.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    contract = sub.add_parser("contract", help="breaking-change gate: exit 1 on a breaking change not recorded as intended")
    contract.add_argument("registry", nargs="?", default=DEFAULT_REGISTRY, type=Path, help=f"the registry file (default: {DEFAULT_REGISTRY})")
    contract.add_argument("--base", default="", help="git ref (default: latest v* tag, else origin/main, else HEAD~1)")
    generate = sub.add_parser("generate", help="write the generated pages, twins and LLM files, for engines without hooks")
    generate.add_argument("out", type=Path, help="output folder: OUT/docs to build, OUT/extra to copy over the built site")
    generate.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="the site's mkdocs.yml (default: mkdocs.yml)")
    generate.add_argument("--registry", help="the registry, from mkdocs.yml's folder (default: the errdocs plugin's option, else registry.yaml)")
    preview = sub.add_parser("preview", help="serve a built site on 127.0.0.1 as a static host would")
    preview.add_argument("site", nargs="?", type=Path, default=Path("site"), help="the built site (default: site)")
    preview.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (default: 8001)")
    verify = sub.add_parser("verify", help="check recorded traffic (HAR files) against the registry; exit 1 on a violation")
    verify.add_argument("har", nargs="+", type=Path, help="HAR 1.2 files, or folders of *.har files")
    verify.add_argument("--registry", default=DEFAULT_REGISTRY, type=Path, help=f"the registry file (default: {DEFAULT_REGISTRY})")
    verify.add_argument("--format", choices=("text", "json"), default="text", help="the report on stdout (default: text)")
    verify.add_argument("--junit-xml", type=Path, metavar="PATH", help="also write a JUnit XML report there, for CI")
    verify.add_argument("--base-url", action="append", default=[], metavar="URL",
                        help="check only entries whose URL starts with it (repeatable; default: every entry)")
    verify.add_argument("--require-coverage", type=_percent, metavar="PERCENT",
                        help="exit 1 when fewer of the documented codes were seen")
    mcp = sub.add_parser("mcp", help="serve a site's errors to agents over MCP (stdio, or Streamable HTTP with --http)")
    mcp.add_argument("source", nargs="?", default=DEFAULT_REGISTRY,
                     help=f"a site's errors.json (URL or file), a built site's folder, or a registry (default: {DEFAULT_REGISTRY})")
    mcp.add_argument("--http", metavar="HOST:PORT", help="serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    mcp.add_argument("--cache-dir", type=Path, help="where a fetched errors.json is kept with its ETag "
                     "(default: $ERRDOCS_CACHE_DIR, else $XDG_CACHE_HOME/errdocs, else ~/.cache/errdocs)")
    return parser


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage from 0 to 100")
    return value


def run_verify(args: argparse.Namespace) -> int:
    from .tools.verify import EXIT_INPUT, run

    try:
        registry = load_registry(args.registry, display_name=str(args.registry))
    except RegistryError as err:
        print(err, file=sys.stderr)
        return EXIT_INPUT
    return run(registry, args.har, output_format=args.format, junit=args.junit_xml, base_urls=args.base_url,
               required=args.require_coverage)


def run_new(args: argparse.Namespace) -> int:
    from .tools.scaffold import ScaffoldError, SiteOptions, new_site, parse_sdk

    given = {key: getattr(args, key) for key in ("name", "summary", "docs_url", "support_url", "status_url")}
    try:
        options = SiteOptions(**{key: value for key, value in given.items() if value is not None},
                              sdks=dict(parse_sdk(value) for value in args.sdk))
        written = new_site(args.dir, options)
    except ScaffoldError as err:
        print(f"errdocs new: {err}", file=sys.stderr)
        return 1
    print(f"errdocs new: wrote {len(written)} files to {args.dir}. Next: cd {args.dir} && mkdocs serve")
    return 0


MCP_PACKAGES = frozenset({"mcp", "mcp_types", "httpx2", "httpcore2", "starlette", "uvicorn", "sse_starlette"})
"""Top-level modules of the ``mcp`` extra: without them ``errdocs mcp`` says how to install it."""


def run_mcp(source: str, http: str | None, cache_dir: Path | None) -> int:
    try:
        from .agents.server import serve
    except ModuleNotFoundError as err:
        if (err.name or "").split(".")[0] not in MCP_PACKAGES:
            raise
        print("errdocs mcp: the MCP SDK is not installed; install errdocs with its mcp extra (pip install '/path/to/errdocs[mcp]')", file=sys.stderr)
        return 1
    return serve(source, http=http, cache_dir=cache_dir)


def run_check(path: Path, docs_dir: Path | None) -> int:
    """Everything a build would refuse about the registry, its links to the docs included."""
    from .build import docs_tree

    if docs_dir is not None and not docs_dir.is_dir():
        print(f"errdocs check: --docs-dir {docs_dir} is not a folder", file=sys.stderr)
        return 1
    docs_dir = docs_dir or default_docs_dir(path)
    try:
        registry = load_registry(path, display_name=str(path), docs=docs_tree(docs_dir) if docs_dir.is_dir() else None)
    except RegistryError as err:
        print(err, file=sys.stderr)
        return 1
    unchecked = "" if docs_dir.is_dir() else f"; no {docs_dir} folder, so links to site pages were not checked"
    print(f"{path}: OK ({len(registry.codes)} codes, version {registry.version}{unchecked})")
    return 0


def default_docs_dir(registry: Path) -> Path:
    """The docs folder of the site a registry belongs to: the ``docs_dir`` of the ``mkdocs.yml``
    beside it, else ``docs`` beside it (MkDocs' default)."""
    from .tools.generate import GenerateError, read_config

    config_file = registry.parent / "mkdocs.yml"
    try:
        configured = read_config(config_file).get("docs_dir") if config_file.is_file() else None
    except (GenerateError, yaml.YAMLError, OSError, UnicodeDecodeError):
        configured = None  # MkDocs will say what is wrong with its file; the registry is checked against the default
    return registry.parent / (configured if isinstance(configured, str) else "docs")


def run_schema(output: Path | None) -> int:
    from .registry.schema import registry_schema_text  # only `make schema` needs it

    text = registry_schema_text()
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def run_generate(config_file: Path, out: Path, registry_file: str | None) -> int:
    from .tools.generate import GenerateError, generate

    try:
        written = generate(config_file.resolve(), out, registry_file=registry_file)
    except (RegistryError, GenerateError) as err:
        print(err, file=sys.stderr)
        return 1
    print(f"generate: wrote {len(written)} files to {out}/docs (build these) and {out}/extra (copy over the site root)")
    return 0


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def default_base(cwd: Path) -> str | None:
    """The latest ``v*`` tag, else ``origin/main``, else the previous commit."""
    tag = _git("describe", "--tags", "--abbrev=0", "--match", "v*", cwd=cwd)
    if tag.returncode == 0 and tag.stdout.strip():
        return tag.stdout.strip()
    for ref in ("origin/main", "HEAD~1"):
        if _git("rev-parse", "--verify", "--quiet", ref + "^{commit}", cwd=cwd).returncode == 0:
            return ref
    return None


def run_contract(registry_path: Path, base: str) -> int:
    registry_path = registry_path.resolve()
    cwd = registry_path.parent
    try:
        load_registry(registry_path)
    except RegistryError as err:
        print(err, file=sys.stderr)
        return 1
    base = base or default_base(cwd) or ""
    if not base:
        print("contract: no base to compare with (no v* tag, no origin/main, no previous commit)")
        return 0
    prefix = _git("rev-parse", "--show-prefix", cwd=cwd).stdout.strip()
    shown = _git("show", f"{base}:{prefix}{registry_path.name}", cwd=cwd)
    if shown.returncode != 0:
        print(f"contract: {base} has no {prefix}{registry_path.name}; nothing to compare")
        return 0
    try:
        old = yaml.safe_load(shown.stdout) or {}
    except yaml.YAMLError as err:
        print(f"contract: the registry at {base} is not valid YAML: {' '.join(str(err).split())}", file=sys.stderr)
        return 1
    new = yaml.safe_load(registry_path.read_text(encoding="utf-8"))
    changes = compare(old, new)
    for change in changes:
        print(change)
    blocking = unapproved(changes, old, new)
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in (BREAKING, COMPATIBLE, DOCS_ONLY)}
    print(
        f"contract: {counts[BREAKING]} breaking, {counts[COMPATIBLE]} compatible, {counts[DOCS_ONLY]} docs-only "
        f"change(s) against {base} (version {old.get('version')} -> {new.get('version')})"
    )
    if blocking:
        print(
            f"contract: {len(blocking)} breaking change(s) not recorded as intended: "
            + ", ".join(sorted({c.subject for c in blocking}))
            + ". Bump the major `version` and list them in that version's changelog entry, or undo them.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
