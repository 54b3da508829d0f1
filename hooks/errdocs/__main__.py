"""Command line: ``python -m errdocs {check,schema} [registry.yaml]`` (no MkDocs needed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .loading import RegistryError, load_registry
from .schema import registry_schema_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m errdocs", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a registry and print every problem")
    check.add_argument("registry", nargs="?", default="registry.yaml", type=Path)
    schema = sub.add_parser("schema", help="print the registry's JSON Schema")
    schema.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    args = parser.parse_args(argv)

    if args.command == "check":
        try:
            registry = load_registry(args.registry, display_name=str(args.registry))
        except RegistryError as err:
            print(err, file=sys.stderr)
            return 1
        print(f"{args.registry}: OK ({len(registry.codes)} codes, version {registry.version})")
        return 0
    text = registry_schema_text()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
