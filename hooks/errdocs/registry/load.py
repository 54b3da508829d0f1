"""Read ``registry.yaml`` into a ``Registry``, or report every problem with its place.

The happy path is one strict C-speed YAML parse (``strict_yaml``) and one pydantic
validation. Line and column numbers are only worked out when something is wrong: the
file is then composed a second time into a node tree and each error's path is walked
down it, giving lines like ``registry.yaml:12:5: codes.x.http: ...``.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
import stat
import types
import typing
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

import yaml
from pydantic import BaseModel, ValidationError

from .docs_tree import DocsTree, docs_problems, link_problems
from .model import Loc, Registry, cross_reference_problems, kind
from .strict_yaml import PLAIN_LOADER as _PLAIN_LOADER
from .strict_yaml import RefusedYaml, StrictLoader, read_yaml

DEFAULT_REGISTRY = "registry.yaml"
"""The registry's file name when a site names none (beside ``mkdocs.yml``)."""
MAX_REGISTRY_BYTES = 16 * 1024 * 1024
"""Larger files are refused before parsing: a registry of 10,000 codes is about 10 MB."""


class Problem(NamedTuple):
    """One thing wrong with the registry, at a place in the file (sorts in file order)."""

    line: int
    column: int
    path: str
    message: str
    file: str = DEFAULT_REGISTRY

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {self.message}"


class RegistryError(Exception):
    """The registry cannot be used; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def load_registry(path: Path | str, *, display_name: str | None = None, docs: DocsTree | None = None) -> Registry:
    """Read, parse and validate the registry at ``path``; raise ``RegistryError`` on any problem.

    With ``docs`` (the site's docs folder and what a build adds to it), what would break
    against it is a problem of the registry too, found before anything is built: a code page
    that would replace a hand-written page, a link from registry text to no page."""
    path = Path(path)
    name = display_name or path.name
    text = read_registry_text(path, name)
    return validate_registry(parse_registry_text(text, name), text=text, file=name, docs=docs)


def validate_registry(data: Any, *, text: str, file: str, docs: DocsTree | None = None) -> Registry:
    """Validate parsed YAML, reporting every problem at once; ``text`` is only used to locate them."""
    if data is None:
        raise RegistryError([Problem(1, 1, "(file)", "the file is empty; expected a mapping with version, site, envelope, retry_guidance and codes", file)])
    if not isinstance(data, dict):
        raise RegistryError([Problem(1, 1, "(file)", f"the top level must be a mapping, got {kind(data)}", file)])
    unread: set[str] = set()
    try:
        registry: Registry | None = Registry.model_validate(data)
        problems: list[tuple[Loc, str]] = []
    except ValidationError as err:
        errors = err.errors()
        problems = [_problem(error) for error in errors]
        registry, unread, as_written = _readable_part(data, errors)
    else:
        as_written = True
    if registry is not None:
        if as_written:
            problems += cross_reference_problems(registry, unread=unread)
        if docs is not None:
            problems += docs_problems(registry, docs) if as_written else link_problems(registry, docs)
    if problems:
        raise RegistryError(_locate_all(problems, text, file))
    assert registry is not None  # no problem: the whole registry validated
    return registry


def _readable_part(data: dict[str, Any], errors: list[Any]) -> tuple[Registry | None, set[str], bool]:
    """The registry without what its shape problems touch, so that the rules across entries
    and the docs tree can still be checked: unknown keys are dropped (they carry nothing the
    rules read) and codes with problems of their own are set aside (returned by name: they
    exist, so references to them stand). A bad value elsewhere is replaced by a stand-in of
    the right type, or dropped for the model's default: the part is then not the registry as
    written (the third item is False), good for finding links to missing pages but not for the
    rules across entries, which could blame the stand-in. None when a problem cannot be set aside."""
    part = copy.deepcopy(data)
    unread: set[str] = set()
    as_written = True
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            _drop(part, loc)
        elif len(loc) >= 2 and loc[0] == "codes" and isinstance(part.get("codes"), dict):
            unread.add(str(loc[1]))
        elif loc and isinstance(loc[-1], str) and _droppable(part, loc):
            _set_aside(part, loc, error)
            as_written = False
        else:
            return None, unread, as_written
    codes = {name: code for name, code in part.get("codes", {}).items() if name not in unread}
    if not codes:
        return None, unread, as_written
    try:
        return Registry.model_validate({**part, "codes": codes}), unread, as_written
    except ValidationError:  # e.g. the dropped value was required
        return None, unread, as_written


_STAND_INS: dict[str, Any] = {"int_parsing": 1, "int_type": 1, "float_parsing": 1.0, "float_type": 1.0,
                              "bool_parsing": False, "bool_type": False, "string_type": "x"}
"""A value of the type pydantic expected, by its error type, to read the rest of a registry."""


def _set_aside(data: Any, loc: Loc, error: Any) -> None:
    """Put a stand-in where a bad value was (a bound the value broke is itself valid), else
    drop it so that the model's default applies; validation says whether that was enough."""
    bounds = error.get("ctx") or {}
    stand_in = next((bounds[key] for key in ("ge", "le") if isinstance(bounds.get(key), (int, float))), None)
    if stand_in is None and isinstance(bounds.get("gt"), (int, float)):
        stand_in = bounds["gt"] + 1
    if stand_in is None and isinstance(bounds.get("lt"), (int, float)):
        stand_in = bounds["lt"] - 1
    if stand_in is None:
        stand_in = _STAND_INS.get(error["type"])
    if stand_in is None:
        _drop(data, loc)
    else:
        for part in loc[:-1]:
            data = data[part]
        data[loc[-1]] = stand_in


def _droppable(data: Any, loc: Loc) -> bool:
    """Whether ``loc`` names a key of a mapping in ``data`` (pydantic's locations can also name
    a union member or a validator, which the data does not hold)."""
    for part in loc[:-1]:
        if not isinstance(data, (dict, list)) or (isinstance(data, dict) and part not in data) \
                or (isinstance(data, list) and not (isinstance(part, int) and 0 <= part < len(data))):
            return False
        data = data[part]
    return isinstance(data, dict) and loc[-1] in data


def _drop(data: Any, loc: Loc) -> None:
    """Delete the key at ``loc`` (its parents are mappings and lists as the error found them)."""
    for part in loc[:-1]:
        data = data[part]
    del data[loc[-1]]


# --- pydantic's errors -> the registry's words ---------------------------------------------------

_EXPECTED = {
    "string_type": "a string", "int_type": "an integer", "float_type": "a number", "bool_type": "true or false",
    "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
    "date_type": "a date like 2026-01-31", "none_required": "nothing (null)",
}


def _problem(error: Any) -> tuple[Loc, str]:
    """One pydantic error as ``(path in the registry, message)``."""
    loc, kind_of, value, ctx = tuple(error["loc"]), error["type"], error.get("input"), error.get("ctx") or {}
    if kind_of == "missing":
        return loc, "required field is missing"
    if kind_of == "extra_forbidden":
        return loc, unknown_key_message(loc[-1], list(_model_at(loc[:-1]).model_fields))
    if kind_of in _EXPECTED:
        return loc, f"expected {_EXPECTED[kind_of]} (got {kind(value)})"
    if kind_of == "enum":
        return loc, f"{value!r} is not allowed; expected one of {ctx['expected']}"
    if kind_of == "literal_error":
        return loc, f"{value!r} is not allowed; expected {ctx['expected']}"
    if kind_of == "string_pattern_mismatch":
        return loc, f"{value!r} does not match the expected form {ctx['pattern']}"
    if kind_of in ("string_too_short", "too_short"):
        return loc, "must not be empty" if isinstance(value, str) else "must have at least one entry"
    if kind_of in _BOUNDS:
        return loc, _BOUNDS[kind_of].format(_number(next(iter(ctx.values()))))
    if kind_of == "value_error":
        return loc, str(ctx["error"])
    return loc, error["msg"]  # our own PydanticCustomError messages, and anything unforeseen


_BOUNDS = {"greater_than_equal": "must be at least {}", "greater_than": "must be greater than {}",
           "less_than_equal": "must be at most {}", "less_than": "must be less than {}"}


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _model_at(loc: Loc) -> type[BaseModel]:
    """The model class that validates the mapping at ``loc`` (to list its fields)."""
    tp: Any = Registry
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            tp = tp.model_fields[part].annotation
        else:  # dict[K, V] -> V, list[X] -> X
            tp = typing.get_args(tp)[-1]
    return _unwrap(tp)


def _unwrap(tp: Any) -> Any:
    """``X`` out of ``Annotated[X, ...]`` and ``X | None``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            tp = next(arg for arg in typing.get_args(tp) if arg is not type(None))
        else:
            return tp


def unknown_key_message(key: Any, fields: list[str]) -> str:
    close = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r}; did you mean {close[0]!r}?"
    return f"unknown key {key!r}; expected one of: {', '.join(fields)}"


def read_registry_text(path: Path, name: str) -> str:
    """The registry file's text, or ``RegistryError`` when it cannot be read as a registry (missing, too big, not UTF-8)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise RegistryError([Problem(1, 1, "(file)", f"file not found: {path}", name)]) from None
    except OSError as err:
        raise RegistryError([Problem(1, 1, "(file)", f"cannot read {path}: {err.strerror}", name)]) from None
    if not stat.S_ISREG(info.st_mode):
        # A directory cannot be read, and a FIFO or device would block the build.
        raise RegistryError([Problem(1, 1, "(file)", f"{path} is not a regular file; the registry must be a YAML file", name)])
    size = info.st_size
    if size > MAX_REGISTRY_BYTES:
        raise RegistryError(
            [Problem(1, 1, "(file)", f"file is {size:,} bytes; the limit is {MAX_REGISTRY_BYTES:,} bytes", name)]
        )
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise RegistryError([Problem(1, 1, "(file)", f"cannot read {path}: {err.strerror}", name)]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise RegistryError(
            [Problem(line, column, "(file)", f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8", name)]
        ) from None


def parse_registry_text(text: str, name: str, *, read: Callable[[str], Any] = read_yaml) -> Any:
    """What ``read`` (``read_yaml`` or ``read_yaml_document``) makes of ``text``, its YAML
    problems raised as ``RegistryError`` lines (named ``name``)."""
    try:
        return read(text)
    except RefusedYaml as err:
        raise RegistryError([_at(err.problem_mark, _path_at(text, err.problem_mark), err.message, name)]) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = " ".join(" ".join(part.split()) for part in (err.context, err.problem) if part)
        raise RegistryError([_at(mark, "(yaml)", f"YAML syntax error: {message}", name)]) from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        char = err.character if isinstance(err.character, str) else chr(err.character)
        message = f"character {char!r} (U+{ord(char):04X}) is not allowed in YAML; remove it"
        raise RegistryError([Problem(line, column, "(yaml)", message, name)]) from None
    except yaml.YAMLError as err:
        raise RegistryError([Problem(1, 1, "(yaml)", f"YAML error: {' '.join(str(err).split())}", name)]) from None


def _at(mark: Any, path: str, message: str, file: str) -> Problem:
    if mark is None:
        return Problem(1, 1, path, message, file)
    return Problem(mark.line + 1, mark.column + 1, path, message, file)


# --- paths -> line:column ---------------------------------------------------------------------


def _path_at(text: str, mark: Any) -> str:
    """The field at ``mark`` as a path (``site.name``), found by composing the text plainly;
    ``(yaml)`` where that cannot be told (a construct the plain composer refuses too)."""
    try:
        node = yaml.compose(text, Loader=_PLAIN_LOADER)
    except (yaml.YAMLError, RecursionError):
        return "(yaml)"
    loc: list[Any] = []
    while mark is not None and node is not None and node.start_mark.index != mark.index:
        children = (
            [(key.value, value) for key, value in node.value] if isinstance(node, yaml.MappingNode)
            else list(enumerate(node.value)) if isinstance(node, yaml.SequenceNode) else []
        )
        inside = [(part, child) for part, child in children if child.start_mark.index <= mark.index < max(child.end_mark.index, child.start_mark.index + 1)]
        keys = [key for key, _ in node.value if key.start_mark.index == mark.index] if isinstance(node, yaml.MappingNode) else []
        if keys or not inside:
            if keys:
                loc.append(keys[0].value)
            break
        part, node = inside[0]
        loc.append(part)
    return _dotted(tuple(loc)) if loc else "(yaml)"


def _locate_all(problems: list[tuple[tuple[Any, ...], str]], text: str, file: str) -> list[Problem]:
    root = yaml.compose(text, Loader=StrictLoader)
    return [_locate(root, loc, message, file) for loc, message in problems]


def _locate(root: Any, loc: tuple[Any, ...], message: str, file: str) -> Problem:
    node, mark = root, root.start_mark if root is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    # Unknown keys and code names point at the key itself; everything else at its value.
                    is_last = part == loc[-1] and (message.startswith("unknown key") or tuple(loc[:-1]) == ("codes",))
                    mark = key_node.start_mark if is_last else value_node.start_mark
                    node = value_node
                    break
            else:
                break  # missing key: stay on the parent mapping
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return _at(mark, _dotted(loc), message, file)


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")  # fullmatch: `$` would accept a trailing newline


def _dotted(loc: tuple[Any, ...]) -> str:
    """``codes.x.related[0].code``; odd keys are JSON-quoted so the path never holds a space."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(str(part)):
            out += f".{part}" if out else str(part)
        else:
            out += "[" + json.dumps(str(part)).replace(" ", "\\u0020") + "]"
    return out or "(root)"
