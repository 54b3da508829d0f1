"""``errdocs new DIR``: a small working error-docs site to start from.

The files are in ``new_site/``, with ``$name``-style fields filled in from the options:
quoted for YAML (JSON strings are YAML scalars), escaped for Markdown (``*_md``). The site
is written into a folder beside DIR and moved into place only once its registry loads, so
a failure leaves nothing behind."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from ..build import docs_tree
from ..registry.load import DEFAULT_REGISTRY, RegistryError, load_registry
from ..render.markup import text as markdown_text

TEMPLATE = Path(__file__).parent / "new_site"
CODES = ("invalid_request", "unauthenticated", "not_found", "rate_limited", "internal_error")
"""The example codes of ``new_site/registry.yaml``, each with a ``$sdk_<code>`` field."""
EXCEPTION_CLASSES = {
    "invalid_request": "InvalidRequestError",
    "unauthenticated": "AuthenticationError",
    "not_found": "NotFoundError",
    "rate_limited": "RateLimitError",
    "internal_error": "ServerError",
}
PACKAGE_PAGES = {
    "python": "https://pypi.org/project/{package}/",
    "javascript": "https://www.npmjs.com/package/{package}",
    "typescript": "https://www.npmjs.com/package/{package}",
    "go": "https://pkg.go.dev/{package}",
    "ruby": "https://rubygems.org/gems/{package}",
    "rust": "https://crates.io/crates/{package}",
    "csharp": "https://www.nuget.org/packages/{package}",
    "php": "https://packagist.org/packages/{package}",
}
"""Where each language's packages are published: the SDK's ``url``."""
LABELS = {"javascript": "JavaScript", "typescript": "TypeScript", "csharp": "C#", "php": "PHP"}


class ScaffoldError(Exception):
    """The site cannot be written; the message says why, in one line."""


@dataclass(frozen=True)
class SiteOptions:
    """What ``errdocs new`` asks for; every one has a default."""

    name: str = "Example API"
    summary: str = ""
    """One sentence about the API (default: one made from ``name``)."""
    docs_url: str = "https://docs.example.com/"
    support_url: str = "https://example.com/support"
    status_url: str = "https://status.example.com/"
    sdks: dict[str, str] = field(default_factory=dict)
    """Package name by language (``{"python": "example-sdk"}``)."""


def parse_sdk(value: str) -> tuple[str, str]:
    """``LANGUAGE=PACKAGE`` (``python=example-sdk``) as ``(language, package)``."""
    language, _, package = value.partition("=")
    language = language.strip().lower()
    if not package.strip() or language not in PACKAGE_PAGES:
        raise ScaffoldError(
            f"--sdk {value!r}: expected LANGUAGE=PACKAGE with a language of {', '.join(PACKAGE_PAGES)} "
            "(add others to site.sdks in registry.yaml by hand)"
        )
    return language, package.strip()


def new_site(dest: Path, options: SiteOptions) -> list[Path]:
    """Write the site into ``dest`` (which must not exist or be empty); return the files written."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ScaffoldError(f"{dest}: already exists and is not an empty folder; choose a new one")
    fields = _fields(options)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        for source in sorted(path for path in TEMPLATE.rglob("*") if path.is_file()):
            target = staging / source.relative_to(TEMPLATE)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(Template(source.read_text(encoding="utf-8")).substitute(fields), encoding="utf-8")
        try:
            load_registry(staging / DEFAULT_REGISTRY, docs=docs_tree(staging / "docs"))
        except RegistryError as err:
            raise ScaffoldError(f"the options make an invalid registry: {' / '.join(str(err).splitlines())}") from None
        if dest.exists():
            dest.rmdir()  # empty, checked above
        os.replace(staging, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(path for path in dest.rglob("*") if path.is_file())


def _fields(options: SiteOptions) -> dict[str, str]:
    """Every ``$field`` of the template files."""
    summary = options.summary or f"The errors {options.name} returns: what each one means and what to do about it."
    fields = {key: json.dumps(value) for key, value in vars(options).items() if isinstance(value, str)}
    fields.update(summary=json.dumps(summary), name_md=markdown_text(options.name), summary_md=markdown_text(summary))
    fields["sdks"] = "".join(_sdk_lines(language, package) for language, package in options.sdks.items())
    if fields["sdks"]:
        fields["sdks"] = "\n  sdks:" + fields["sdks"]
    for code in CODES:
        fields[f"sdk_{code}"] = "".join(
            f"\n      {language}: {{exception: {json.dumps(_exception(language, package, EXCEPTION_CLASSES[code]))}}}"
            for language, package in options.sdks.items()
        )
        if fields[f"sdk_{code}"]:
            fields[f"sdk_{code}"] = "\n    sdk:" + fields[f"sdk_{code}"]
    return fields


def _sdk_lines(language: str, package: str) -> str:
    return (
        f"\n    {language}:"
        f"\n      label: {json.dumps(LABELS.get(language, language.title()))}"
        f"\n      package: {json.dumps(package)}"
        f"\n      url: {json.dumps(PACKAGE_PAGES[language].format(package=package))}"
        f"\n      language: {language}"  # which also says how its errors reach the caller (Sdk.errors)
    )


def _exception(language: str, package: str, name: str) -> str:
    """The error type as that language's code names it: qualified by a module in Python and Go."""
    module = re.sub(r"[^A-Za-z0-9_]", "_", package.rsplit("/", 1)[-1]).strip("_") or "sdk"
    if module[0].isdigit():
        module = "sdk_" + module
    if language == "python":
        return f"{module}.{name}"
    if language == "go":
        return f"*{module}.{name}"
    return name
