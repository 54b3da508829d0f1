"""Command line (no MkDocs needed).

    python -m errdocs check [registry.yaml]        validate, print every problem
    python -m errdocs schema [-o FILE]             JSON Schema of registry.yaml
    python -m errdocs contract [--base REF]        breaking-change gate against a git ref
    python -m errdocs generate OUT [-f mkdocs.yml] the generated docs tree + LLM files, for hook-less engines
    python -m errdocs preview [SITE]               serve a built site as a static host would
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

from .registry.load import RegistryError, load_registry
from .tools.breaking import BREAKING, COMPATIBLE, DOCS_ONLY, compare, unapproved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m errdocs", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a registry and print every problem")
    check.add_argument("registry", nargs="?", default="registry.yaml", type=Path)
    schema = sub.add_parser("schema", help="print the registry's JSON Schema")
    schema.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    contract = sub.add_parser("contract", help="classify contract changes against a git ref; exit 1 on unrecorded breaking ones")
    contract.add_argument("registry", nargs="?", default="registry.yaml", type=Path)
    contract.add_argument("--base", default="", help="git ref (default: latest v* tag, else origin/main, else HEAD~1)")
    generate = sub.add_parser("generate", help="write generated pages, twins, llms and contract files to OUT")
    generate.add_argument("out", type=Path)
    generate.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    preview = sub.add_parser("preview", help="serve a built site on 127.0.0.1 like a static host")
    preview.add_argument("site", nargs="?", type=Path, default=Path("site"))
    preview.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)

    if args.command == "generate":
        return run_generate(args.config_file, args.out)
    if args.command == "preview":
        from .tools.preview import serve

        return serve(args.site, port=args.port)

    if args.command == "contract":
        return run_contract(args.registry, args.base)

    if args.command == "check":
        try:
            registry = load_registry(args.registry, display_name=str(args.registry))
        except RegistryError as err:
            print(err, file=sys.stderr)
            return 1
        print(f"{args.registry}: OK ({len(registry.codes)} codes, version {registry.version})")
        return 0
    from .registry.schema import registry_schema_text  # only `make schema` needs it

    text = registry_schema_text()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def run_generate(config_file: Path, out: Path) -> int:
    from .tools.generate import GenerateError, generate

    try:
        written = generate(config_file.resolve(), out)
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
