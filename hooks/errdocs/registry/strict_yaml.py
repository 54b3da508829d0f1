"""PyYAML's C loader, made strict where a registry must not be lax.

* Aliases are refused: a 50 KB "billion laughs" file would otherwise expand into a huge tree.
* Duplicate keys are refused: PyYAML keeps the last one silently, hiding a duplicate code.
* Merge keys (``<<``), explicit tags and a second document are refused.
* Values a registry never means are refused where they enter: control characters in
  text (``"\\0"``, ``"\\e"``; only newlines and tabs), numbers that are not finite
  (``.nan``, ``.inf``), and nesting deeper than ``MAX_DEPTH``.

Everything else (scalar types, marks) is PyYAML's own ``CSafeLoader``.
"""

from __future__ import annotations

import collections
import math
import re
from typing import Any

import yaml

from .model import kind

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
MAX_DEPTH = 32
"""Deepest nesting of lists and mappings accepted; a real registry needs about 10."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the pure-Python one only where libyaml is missing
PLAIN_LOADER = _BaseLoader
"""PyYAML's own loader, for composing a text again to locate a problem."""


class RefusedYaml(yaml.MarkedYAMLError):
    """Valid YAML that a registry does not accept, with the place it starts."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(problem=message, problem_mark=mark)
        self.message = message


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """``CSafeLoader`` that refuses aliases, merge keys, duplicate keys, tags and extra documents."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text
        """Kept to find an alias's place (``CParser`` does not expose its input)."""

    def get_single_node(self) -> Any:
        try:
            node = super().get_single_node()
        except yaml.composer.ComposerError as err:
            if err.context != "expected a single document in the stream":
                raise
            raise RefusedYaml(err.problem_mark, "the registry must be a single YAML document (remove the second ---)") from None
        self._refuse_aliases_and_depth(node)
        return node

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        self._refuse_tag(node)  # aliases were refused once the document was composed
        value = super().construct_object(node, deep=deep)
        if isinstance(value, str):
            control = _CONTROL.search(value)
            if control:
                raise RefusedYaml(node.start_mark, f"control character U+{ord(control.group()):04X} is not allowed "
                                                   "in text (only newlines and tabs)")
        elif isinstance(value, float) and not math.isfinite(value):
            raise RefusedYaml(node.start_mark, f"numbers must be finite (got {node.value})")
        return value

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                raise RefusedYaml(key_node.start_mark, "YAML merge keys (<<) are not supported in the registry")
            if not isinstance(key_node, yaml.ScalarNode):
                raise RefusedYaml(key_node.start_mark, "a mapping key must be a plain value, not a list or mapping")
            key = self.construct_object(key_node)
            if not isinstance(key, str):
                # Every key of a registry is a name: `2024-01-01:` or `yes:` would not be one.
                raise RefusedYaml(key_node.start_mark, f"mapping keys must be text (got {kind(key)}); quote it: {key_node.value!r}")
            if key in seen:
                first = seen[key].line + 1
                raise RefusedYaml(key_node.start_mark, f"duplicate key {key!r} (first defined on line {first})")
            seen[key] = key_node.start_mark
        # Keys are built already: the base class would build them again, so only values are left.
        return {key: self.construct_object(value, deep=deep) for key, (_, value) in zip(seen, node.value)}

    def _refuse_aliases_and_depth(self, root: Any) -> None:
        """Refuse a node met twice (an alias: the composer shares the anchor's node) and nesting
        deeper than ``MAX_DEPTH``, walking the tree once, without recursion: a "billion laughs"
        file stops at its first alias, and any depth is safe to look at."""
        seen: set[int] = set()
        # Breadth first: an alias is met next to its first use, before any depth is reached.
        stack = collections.deque([(root, 0)] if root is not None else [])
        while stack:
            node, depth = stack.popleft()
            if id(node) in seen:
                raise RefusedYaml(_first_alias(self), "YAML anchors and aliases are not supported in the registry")
            seen.add(id(node))
            if depth > MAX_DEPTH:
                raise RefusedYaml(node.start_mark, f"nesting deeper than {MAX_DEPTH} levels is not supported in the registry")
            if isinstance(node, yaml.SequenceNode):
                stack.extend((child, depth + 1) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                stack.extend((part, depth + 1) for pair in node.value for part in pair)

    def _refuse_tag(self, node: Any) -> None:
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            # A quoted or block scalar resolves to str; a plain one to what its text reads as.
            # Any other tag was written explicitly.
            if tag == _STR or (not node.style and tag == self.resolve(yaml.ScalarNode, node.value, (True, False))):
                return
        elif tag == (_MAP if isinstance(node, yaml.MappingNode) else _SEQ):
            return
        raise RefusedYaml(node.start_mark, f"YAML tags ({tag}) are not supported in the registry")


def _first_alias(loader: Any) -> Any:
    """The mark of the first alias in the loader's text (only on the error path)."""
    events = yaml.parse(loader.text, Loader=_BaseLoader)
    return next((event.start_mark for event in events if isinstance(event, yaml.AliasEvent)), None)


def read_yaml(text: str) -> Any:
    """The single document in ``text`` as Python data (``None`` when empty), read strictly.

    Raises ``RefusedYaml`` for refused constructs and PyYAML's errors for bad syntax.
    """
    return read_yaml_document(text)[0]


def read_yaml_document(text: str) -> tuple[Any, Any]:
    """``read_yaml``, with the document's node tree too (``None`` when empty): the data was
    constructed from it, and its marks say where each value starts and ends."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()
