"""Deterministic synthetic registries of N codes in the real registry format, and a site around them.

Each code carries realistic content (about 1.3 KB of YAML: summary, overview cells,
a paragraph of causes, an example, three steps, both SDKs, a related code), so the
work per code matches a real catalogue. Codes come in groups of 100 (100 groups at
N = 10,000), which the navigation nests so that no sidebar level lists more than 10
sections: a page's pruned sidebar then stays about the same size at every N.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STATUSES = ["400 Bad Request", "401 Unauthorized", "403 Forbidden", "404 Not Found", "409 Conflict",
            "422 Unprocessable Entity", "429 Too Many Requests", "500 Internal Server Error", "503 Service Unavailable"]
POLICY = {"429": "backoff", "503": "backoff", "500": "once", "401": "after_action", "403": "after_action"}
WORDS = ("account quota tenant policy analyzer request header token upstream budget window signature key "
         "payload schema field version region cache webhook invoice session scope resource").split()
GROUP_SIZE = 100


def _words(i: int, n: int) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n))


def code_entry(i: int, names: list[str]) -> dict:
    status = STATUSES[i % len(STATUSES)]
    policy = POLICY.get(status[:3], "never")
    entry = {
        "group": f"Group {i // GROUP_SIZE + 1:03d}",
        "http": [status],
        "summary": f"The {_words(i, 3)} of the request could not be accepted ({i}).",
        "overview": {"when": f"The {_words(i + 1, 4)} was rejected.", "retry": "Yes, with backoff." if policy == "backoff" else "No."},
        "retry": {"policy": policy, "label": f"{'Yes' if policy in ('backoff', 'once') else 'No'}: see the steps.",
                  "sdk_retries": policy in ("backoff", "once")},
        "when": (f"The server refused the call because the {_words(i, 5)} did not match what the "
                 f"route expects. This happens when a client sends a {_words(i + 2, 4)} that is "
                 f"older than the current contract, or when the {_words(i + 3, 3)} changed meanwhile.\n"),
        "example": {"detail": f"Code {names[i]} was returned for the {_words(i, 2)}."},
        "steps": [f"Check the {_words(i, 2)} in the request.", f"Compare it with the {_words(i + 1, 2)} you expect.",
                  "Send the corrected request, or file a ticket quoting the `request_id`."],
        "sdk": {"python": {"exception": "example.ApiError", "note": f"Check `e.code == \"{names[i]}\"`."},
                "typescript": {"exception": "ApiError", "note": f"Check `err.code === \"{names[i]}\"`."}},
        "sdk_note": "The SDKs raise this after their retry budget, if the code is retryable.",
        "related": [{"code": names[(i + 1) % len(names)], "note": "A neighbouring code."}],
    }
    if status.startswith("503"):
        entry["example"]["headers"] = {"Retry-After": 5}
    return entry


def registry(n: int) -> dict:
    base = yaml.safe_load((ROOT / "tests" / "fixtures" / "example_site" / "registry.yaml").read_text(encoding="utf-8"))
    names = [f"{WORDS[i % len(WORDS)]}_error_{i:05d}" for i in range(n)]
    base["codes"] = {name: code_entry(i, names) for i, name in enumerate(names)}
    if n == 1:
        base["codes"][names[0]]["related"] = []
    return base


def write_site(n: int, dest: Path, *, hooks: bool = True) -> Path:
    """A project (mkdocs.yml, registry.yaml, docs/) for N codes; ``hooks`` off gives no hook config."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "docs" / "errors").mkdir(parents=True)
    data = registry(n)
    (dest / "registry.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    first = next(iter(data["codes"]))
    (dest / "docs" / "index.md").write_text("---\ntitle: Synthetic API\ndescription: Benchmark site.\n---\n\n# Synthetic API\n\nSee [errors](errors/overview.md).\n", encoding="utf-8")
    (dest / "docs" / "errors" / "overview.md").write_text(
        "---\ntitle: Errors\ndescription: Every error.\n---\n\n# Errors\n\n"
        f"<!-- errdocs:example {first} -->\n\n<!-- errdocs:envelope-fields -->\n\n## Headers\n\n<!-- errdocs:headers -->\n\n"
        "## Codes\n\n<!-- errdocs:codes-table -->\n\n## Retrying\n\n<!-- errdocs:retry-guidance -->\n",
        encoding="utf-8",
    )
    shutil.copytree(ROOT / "hooks", dest / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


MKDOCS_YML = """site_name: Synthetic API
site_url: https://docs.example.test/
strict: true
{hooks}theme:
  name: material
  font: false
  features: [navigation.prune, content.code.copy, content.tabs.link, search.suggest]
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
validation:
  links:
    absolute_links: relative_to_docs
{plugins}nav:
{nav}"""


def mkdocs_yml(nav_yaml: str, *, hooks: bool, plugins: str = "") -> str:
    return MKDOCS_YML.format(hooks="hooks:\n  - hooks/errors_site.py\n" if hooks else "", plugins=plugins, nav=nav_yaml)
