"""Read ``registry.yaml`` into a ``Registry``, or report every problem with its place.

The happy path is one C-speed YAML parse and one validating pass that builds the
typed records (``records.validate``). Line and
column numbers are only worked out when something is wrong: the file is then
composed a second time into a node tree and each error's path is walked down it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, NamedTuple

import yaml
from .contract import example_problems
from .model import Registry, cross_reference_problems
from .records import kind, validate
from .timing import PhaseTimer, paused_gc
from .yamlreader import YamlUsageError, read_yaml

MAX_REGISTRY_BYTES = 16 * 1024 * 1024
"""Larger files are refused before parsing: a registry of 10,000 codes is about 10 MB."""

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]


class Problem(NamedTuple):
    """One thing wrong with the registry, at a place in the file (sorts in file order)."""

    line: int
    column: int
    path: str
    message: str
    file: str = "registry.yaml"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {self.message}"


class RegistryError(Exception):
    """The registry cannot be used; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def load_registry(path: Path | str, *, display_name: str | None = None, timer: PhaseTimer | None = None) -> Registry:
    """Read, parse and validate the registry at ``path``; raise ``RegistryError`` on any problem."""
    path = Path(path)
    timer = timer or PhaseTimer()
    name = display_name or path.name
    with paused_gc():
        with timer.phase("load"):
            text = _read_text(path, name)
            data = _parse(text, name)
        with timer.phase("validate"):
            return validate_registry(data, text=text, file=name)


def validate_registry(data: Any, *, text: str, file: str) -> Registry:
    """Validate parsed YAML; ``text`` is only used to locate problems."""
    if data is None:
        raise RegistryError([Problem(1, 1, "(file)", "the file is empty; expected a mapping with version, site, envelope, retry_guidance and codes", file)])
    if not isinstance(data, dict):
        raise RegistryError([Problem(1, 1, "(file)", f"the top level must be a mapping, got {kind(data)}", file)])
    registry, problems = validate(Registry, data)
    if problems:
        raise RegistryError(_locate_all(problems, text, file))
    cross = cross_reference_problems(registry) or example_problems(registry)
    if cross:
        raise RegistryError(_locate_all(cross, text, file))
    return registry


def _read_text(path: Path, name: str) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise RegistryError([Problem(1, 1, "(file)", f"file not found: {path}", name)]) from None
    if size > MAX_REGISTRY_BYTES:
        raise RegistryError(
            [Problem(1, 1, "(file)", f"file is {size:,} bytes; the limit is {MAX_REGISTRY_BYTES:,} bytes", name)]
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise RegistryError(
            [Problem(line, column, "(file)", f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8", name)]
        ) from None


def _parse(text: str, name: str) -> Any:
    try:
        return read_yaml(text)
    except YamlUsageError as err:
        raise RegistryError([_at(err.mark, "(yaml)", err.message, name)]) from None
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


def _locate_all(problems: list[tuple[tuple[Any, ...], str]], text: str, file: str) -> list[Problem]:
    root = yaml.compose(text, Loader=_Loader)
    return [_locate(root, loc, message, file) for loc, message in problems]


def _locate(root: Any, loc: tuple[Any, ...], message: str, file: str) -> Problem:
    node, mark = root, root.start_mark if root is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    # Unknown keys point at the key itself; everything else at its value.
                    is_last = part == loc[-1] and message.startswith("unknown key")
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
