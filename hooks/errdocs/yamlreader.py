"""A strict, fast YAML reader: libyaml's event stream turned straight into Python data.

PyYAML's loaders build a node graph and then walk it in Python with generators and
a regex per scalar; on a 10,000-code registry that is most of the build's load
time. Here the C parser's events are consumed in one loop: quoted and block scalars
are strings, plain scalars that start like a word are strings, and only the rest
go through PyYAML's own resolver and constructors, so values come out exactly as
``yaml.safe_load`` would give them. The reader is also strict where PyYAML is lax:

* aliases are refused (a 50 KB "billion laughs" file would expand into a huge tree),
* duplicate keys are refused (PyYAML keeps the last one silently, hiding a duplicate code),
* merge keys (``<<``), explicit tags and multiple documents are refused.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]
# Plain scalars starting with one of these letters can only be strings under YAML 1.1's
# implicit types (booleans start with y/n/t/f/o, null with n/N, numbers and dates with digits).
_WORD_START = frozenset("abcdeghijklmpqrsuvwxzABCDEGHIJKLMPQRSUVWXZ_/$\"'`@%&*")
_STR_TAG = "tag:yaml.org,2002:str"


class YamlUsageError(Exception):
    """Valid YAML that the registry does not accept; carries the place."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Frame:
    __slots__ = ("container", "key", "key_marks", "has_key")

    def __init__(self, container: Any) -> None:
        self.container = container
        self.key: Any = None
        self.has_key = False
        self.key_marks: dict[Any, Any] = {}


def read_yaml(text: str) -> Any:
    """The single document in ``text`` as Python data; ``None`` for an empty document.

    Raises ``YamlUsageError`` for refused constructs and PyYAML's errors for bad syntax.
    """
    loader = _Loader(text)
    try:
        return _build(loader)
    finally:
        loader.dispose()


def _build(loader: Any) -> Any:
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    while True:
        event = loader.get_event()
        if event is None:
            return root
        kind = type(event)
        if kind is events.ScalarEvent:
            value = _scalar(loader, event)
            if stack:
                _add(stack, value, event.start_mark)
            else:
                root = value
        elif kind is events.MappingStartEvent or kind is events.SequenceStartEvent:
            _check_tag(event, "tag:yaml.org,2002:map" if kind is events.MappingStartEvent else "tag:yaml.org,2002:seq")
            stack.append(_Frame({} if kind is events.MappingStartEvent else []))
            stack[-1].key_marks[None] = event.start_mark  # where this container starts
        elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
            frame = stack.pop()
            if stack:
                _add(stack, frame.container, frame.key_marks[None])
            else:
                root = frame.container
        elif kind is events.AliasEvent:
            raise YamlUsageError(event.start_mark, "YAML anchors and aliases are not supported in the registry")
        elif kind is events.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise YamlUsageError(event.start_mark, "the registry must be a single YAML document (remove the second ---)")


def _add(stack: list[_Frame], value: Any, mark: Any) -> None:
    frame = stack[-1]
    container = frame.container
    if type(container) is list:
        container.append(value)
        return
    if not frame.has_key:
        if value == "<<" and mark is not None and isinstance(value, str):
            raise YamlUsageError(mark, "YAML merge keys (<<) are not supported in the registry")
        try:
            hash(value)
        except TypeError:
            raise YamlUsageError(mark, "a mapping key must be a plain value, not a list or mapping") from None
        if value in container or value in frame.key_marks:
            first = frame.key_marks.get(value)
            line = f" (first defined on line {first.line + 1})" if first is not None else ""
            raise YamlUsageError(mark, f"duplicate key {value!r}{line}")
        frame.key, frame.has_key = value, True
        frame.key_marks[value] = mark
        return
    container[frame.key] = value
    frame.has_key = False


def _check_tag(event: Any, default: str) -> None:
    tag = event.tag
    if tag is not None and tag not in ("!", default):
        raise YamlUsageError(event.start_mark, f"YAML tags ({tag}) are not supported in the registry")


def _scalar(loader: Any, event: Any) -> Any:
    value = event.value
    if event.tag is not None and event.tag not in ("!", _STR_TAG):
        raise YamlUsageError(event.start_mark, f"YAML tags ({event.tag}) are not supported in the registry")
    if event.style or event.tag is not None or (value and value[0] in _WORD_START):
        return value  # quoted, block, `!`-tagged or word-like: a string, no resolving needed
    if value == "<<":
        return value  # reported as a merge key by _add
    tag = loader.resolve(yaml.ScalarNode, value, event.implicit)
    if tag == _STR_TAG:
        return value
    construct = loader.yaml_constructors.get(tag)
    if construct is None:  # e.g. YAML 1.1's `=` "value" type, which SafeLoader cannot build either
        return value
    return construct(loader, yaml.ScalarNode(tag, value, event.start_mark, event.end_mark))
