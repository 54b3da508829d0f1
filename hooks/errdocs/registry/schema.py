"""``registry.schema.json``: the JSON Schema editors use for ``registry.yaml``, from the model.

Only ``make schema`` (and its test) runs this: a build never needs it.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Registry


def registry_schema() -> dict[str, Any]:
    schema = Registry.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Error-code registry (registry.yaml)"
    return schema


def registry_schema_text() -> str:
    # Sorted keys and a trailing newline: the committed file must be byte-stable.
    return json.dumps(registry_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
