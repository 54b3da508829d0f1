"""The JSON Schema of ``registry.yaml``, derived from the records that validate it.

Only ``make schema`` (and its test) runs this: a build never needs it, so reading
attribute docstrings from the model's source with ``ast`` costs a build nothing.
"""

from __future__ import annotations

import ast
import datetime
import enum
import inspect
import json
import textwrap
import types
import typing
from typing import Any, Union

from .model import Registry
from .records import Bounds, Check, MinLen, OneOrList, Pattern, fields_of, is_record

SCHEMA_FILE = "registry.schema.json"
_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def registry_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    schema = _record_schema(Registry, defs)
    schema["$defs"] = dict(sorted(defs.items()))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Error-code registry (registry.yaml)"
    return schema


def registry_schema_text() -> str:
    # Sorted keys and a trailing newline: the committed file must be byte-stable.
    return json.dumps(registry_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _record_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    docs = attribute_docs(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for spec in fields_of(cls):
        prop = _type_schema(spec.annotation, defs)
        if "$ref" not in prop:
            prop["title"] = spec.name.replace("_", " ").title()
        if spec.name in docs:
            prop["description"] = docs[spec.name]
        if spec.required:
            required.append(spec.name)
        elif spec.default is None or isinstance(spec.default, (str, int, float, bool)):
            prop["default"] = spec.default
        properties[spec.name] = prop
    schema: dict[str, Any] = {"type": "object", "title": cls.__name__, "properties": properties,
                              "additionalProperties": False}
    if cls.__doc__:
        schema["description"] = inspect.cleandoc(cls.__doc__)
    if required:
        schema["required"] = required
    return schema


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        schema = _type_schema(base, defs)
        for item in meta:
            _constrain(schema, item)
        if any(isinstance(item, OneOrList) for item in meta):
            # YAML lets a one-item list be written as the item alone.
            return {"anyOf": [dict(schema["items"]), schema]}
        return schema
    if origin in (Union, types.UnionType):
        return {"anyOf": [_type_schema(arg, defs) for arg in typing.get_args(tp)]}
    if origin is list:
        return {"type": "array", "items": _type_schema(typing.get_args(tp)[0], defs)}
    if origin is dict:
        key_tp, value_tp = typing.get_args(tp)
        schema = {"type": "object", "additionalProperties": _type_schema(value_tp, defs)}
        names = _type_schema(key_tp, defs)
        if "pattern" in names:
            schema["propertyNames"] = {"pattern": names["pattern"]}
        return schema
    if is_record(tp):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # placeholder first: a record may refer to itself
            defs[tp.__name__] = _record_schema(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        defs[tp.__name__] = {"type": "string", "title": tp.__name__, "enum": [m.value for m in tp],
                             "description": inspect.cleandoc(tp.__doc__ or tp.__name__)}
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if tp is datetime.date:
        return {"type": "string", "format": "date"}
    if tp is type(None):
        return {"type": "null"}
    if tp is Any:
        return {}
    return {"type": _SCALARS[tp]}


def _constrain(schema: dict[str, Any], item: Any) -> None:
    """Add what a constraint means in JSON Schema; rules written in code (Check) have no equivalent."""
    if isinstance(item, Pattern):
        schema["pattern"] = item.regex
    elif isinstance(item, MinLen):
        key = {"string": "minLength", "array": "minItems", "object": "minProperties"}[schema["type"]]
        schema[key] = item.length
    elif isinstance(item, Bounds):
        for name, keyword in (("ge", "minimum"), ("gt", "exclusiveMinimum"), ("le", "maximum")):
            value = getattr(item, name)
            if value is not None:
                schema[keyword] = value
    elif not isinstance(item, (Check, OneOrList)):
        raise TypeError(f"schema: no JSON Schema for constraint {item!r}")


def attribute_docs(cls: type) -> dict[str, str]:
    """``{field: docstring}`` for each annotated attribute followed by a string literal."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs = {}
    for node, following in zip(body, body[1:]):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs
