"""The site: facts about the documented API and where its docs live (``site:``)."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, Field, Strict

from .field_types import HttpsUrl, Model, Text

ERRORS_DIR = "errors/"
"""Where the code pages live by default (``site.errors_path``), in the docs tree and under ``docs_url``."""

FOLDER_PATTERN = r"^([a-z0-9][a-z0-9_-]*/)+$"
_FOLDER_RE = re.compile(FOLDER_PATTERN)


def _folder_path(value: str) -> str:
    value = value if value.endswith("/") else value + "/"
    if not _FOLDER_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a folder path: give lowercase folder names joined by '/', relative to "
            "the docs root, e.g. errors/ or reference/errors/"
        )
    return value


def _with_slash(value: str) -> str:
    # doc_url is built by appending "errors/<code>"; a missing slash would
    # silently produce ".../docserrors/x".
    return value if value.endswith("/") else value + "/"


class ErrorStyle(str, Enum):
    """How an SDK hands an error to the caller; the pages word it accordingly."""

    raised = "raised"
    """Raised as an exception (Python, Ruby)."""
    thrown = "thrown"
    """Thrown (JavaScript, TypeScript, Java, C#, Kotlin, Swift, PHP)."""
    returned = "returned"
    """Returned as an error value (Go's ``error``, Rust's ``Result``)."""


LANGUAGE_ERROR_STYLES: dict[str, ErrorStyle] = {
    **dict.fromkeys(("python", "py", "ruby", "rb"), ErrorStyle.raised),
    **dict.fromkeys(("javascript", "js", "typescript", "ts", "java", "csharp", "c#", "cs", "kotlin", "kt", "swift", "php"),
                    ErrorStyle.thrown),
    **dict.fromkeys(("go", "golang", "rust", "rs"), ErrorStyle.returned),
}
"""How an SDK in each language (``Sdk.language``, with its usual short names) hands over errors,
unless it says otherwise; any other language raises."""


class Sdk(Model):
    """An SDK that surfaces codes as typed errors."""

    label: Text
    """Tab label, e.g. ``Python``."""
    package: Text
    """Package name as installed, e.g. ``acme-sdk``."""
    url: HttpsUrl
    """Package page (PyPI, npm, pkg.go.dev, ...)."""
    language: Annotated[str, Field(pattern=r"^[a-z0-9+#-]+$")]
    """Code-fence language used for this SDK's snippets, e.g. ``python``."""
    errors: Annotated[ErrorStyle, Strict(False)] | None = None
    """How errors reach the caller: ``raised``, ``thrown`` or ``returned`` (default by ``language``:
    raised in Python and Ruby; thrown in JavaScript, TypeScript, Java, C#, Kotlin, Swift and PHP;
    returned in Go and Rust; raised in any other)."""

    @property
    def error_style(self) -> ErrorStyle:
        """``errors`` as declared, else the usual way of its language."""
        return self.errors or LANGUAGE_ERROR_STYLES.get(self.language, ErrorStyle.raised)


class DocUrlForm(str, Enum):
    """The form of the address every error's ``doc_url`` carries, and so where its documentation is."""

    path = "path"
    """``<docs_url><errors_path><code>``: one page per code, named as the code (``errors/card_declined``)."""
    slug = "slug"
    """``<docs_url><errors_path><slug>``: one page per code, named by the code's slug, its
    underscores turned into hyphens (``errors/card-declined``)."""
    anchor = "anchor"
    """``<docs_url><errors_path without its slash>#<code>``: one page holding every code as a
    section whose id is the code (``errors#card_declined``); each code's full page stays at
    ``<errors_path><code>``."""


def slug(code: str) -> str:
    """The slug of a code (``card_declined`` -> ``card-declined``): the name of its page in the slug form."""
    return code.replace("_", "-")


AGENT_BUDGET = 50_000
"""Characters agents reliably read of one file: the default of every budget."""


class Budgets(Model):
    """Size budgets of the agent surfaces, in characters."""

    llms_txt: Annotated[int, Field(ge=1_000)] = AGENT_BUDGET
    """``llms.txt`` and each of its shard files (``llms/<group>.txt``)."""
    twin: Annotated[int, Field(ge=1_000)] = AGENT_BUDGET
    """Each page's Markdown twin; the codes table moves onto group pages to stay within it."""


class Site(Model):
    """Facts about the documented API and where its docs live."""

    name: Text
    """Product or API name, used in titles and ``llms.txt``."""
    summary: Text
    """One sentence describing the API: the ``llms.txt`` blockquote."""
    docs_url: Annotated[HttpsUrl, AfterValidator(_with_slash)]
    """Published base address of the docs; every ``doc_url`` starts with it (see ``doc_url_form``)."""
    errors_path: Annotated[str, AfterValidator(_folder_path), Field(json_schema_extra={"pattern": FOLDER_PATTERN})] = ERRORS_DIR
    """Folder of the code pages, in the docs tree and under ``docs_url``, e.g. ``reference/errors/``."""
    doc_url_form: Annotated[DocUrlForm, Strict(False)] = DocUrlForm.path
    """The form of every ``doc_url``: ``path`` (``errors/card_declined``, the default), ``slug``
    (``errors/card-declined``) or ``anchor`` (``errors#card_declined``, a section of one page)."""
    support_url: HttpsUrl
    """Where users file support tickets."""
    status_url: HttpsUrl
    """Public status page."""
    budgets: Budgets = Budgets()
    """Most characters an agent is handed in one file, per surface; past one the build fails."""
    llms_size_budget: Annotated[int, Field(ge=1_000)] | None = None
    """Older single budget for llms.txt and the twins; used for both unless ``budgets`` is given."""
    example_request_id: Text = "0f8e2d4c-6b1a-4e3f-9c7d-2a5b8e1f4c60"
    """``request_id`` shown in every example envelope."""
    sdks: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], Sdk] = {}
    """SDKs by id (``python``, ``typescript``): one content tab each on code pages."""

    @property
    def errors_url(self) -> str:
        """Published address of the folder of code pages: ``<docs_url><errors_path>``."""
        return f"{self.docs_url}{self.errors_path}"

    def page_name(self, code: str) -> str:
        """The name of a code's own page in ``errors_path``: its slug in the slug form, else the code."""
        return slug(code) if self.doc_url_form is DocUrlForm.slug else code

    @property
    def anchors_url(self) -> str | None:
        """In the anchor form, the address of the page of every code (``<docs_url>errors``), else None."""
        return f"{self.docs_url}{self.errors_path.rstrip('/')}" if self.doc_url_form is DocUrlForm.anchor else None

    def doc_url(self, code: str) -> str:
        """What an error with ``code`` carries as its ``doc_url`` (no trailing slash, as in envelopes)."""
        if self.anchors_url is not None:
            return f"{self.anchors_url}#{code}"
        return f"{self.errors_url}{self.page_name(code)}"
