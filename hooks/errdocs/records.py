"""Typed records: immutable classes built from plain data, saying where the data is wrong.

The registry model (``model.py``) is written as ordinary annotated classes
deriving from ``Record`` (immutable and slotted); this module compiles, once per
class and on first use, a validator from their annotations. Validation walks the parsed YAML exactly once,
collects every problem as ``(path, message)`` and builds the typed objects in the
same pass. The JSON Schema for editors is derived from the same classes
(``schema.py``), so the model is the only description of the format.

Why not pydantic: it did the same job, but importing it and building the models
cost about 0.1 s per ``mkdocs build``, several times the hooks' own work on a
small site, and its models took more memory per code than slotted records.

Supported annotations: ``str``, ``int``, ``float``, ``bool``, ``datetime.date``,
``Any``, ``Enum`` subclasses (by value), ``list[X]``, ``dict[K, V]``, unions
(``X | None``), other records, and ``Annotated[X, constraint...]`` with the
constraints below.
"""

from __future__ import annotations

import datetime
import difflib
import enum
import re
import types
import typing
from typing import Any, Callable, Union

# --- constraints, used as Annotated[...] metadata -------------------------------------------
# Plain slotted classes: every build imports this module, and each dataclass would
# cost a few generated functions at import time.


class Pattern:
    """The string must match this regular expression (searched, so anchor it)."""

    __slots__ = ("regex",)

    def __init__(self, regex: str) -> None:
        self.regex = regex


class MinLen:
    """At least this many characters (strings) or entries (lists, mappings)."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length


class Bounds:
    """Numeric bounds; ``gt`` is exclusive, ``ge`` and ``le`` inclusive."""

    __slots__ = ("ge", "gt", "le")

    def __init__(self, *, ge: float | None = None, gt: float | None = None, le: float | None = None) -> None:
        self.ge, self.gt, self.le = ge, gt, le


class Check:
    """A rule in code: ``func(value)`` returns the (possibly normalised) value or raises ``Invalid``.

    With ``before=True`` it sees the raw YAML value, ahead of the type check.
    """

    __slots__ = ("func", "before")

    def __init__(self, func: Callable[[Any], Any], *, before: bool = False) -> None:
        self.func, self.before = func, before


class OneOrList:
    """A list field that also takes a single item written without brackets."""

    __slots__ = ()


class Invalid(ValueError):
    """A value breaks a rule. The message continues a line like ``codes.x.http: ``."""


class factory:  # noqa: N801 - reads like the callable it wraps: `tags: list[str] = factory(list)`
    """A field default made fresh for each record (``factory(list)``), as a shared one would be mutable."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


Loc = tuple[Any, ...]
Problems = list[tuple[Loc, str]]
Validator = Callable[[Any, Loc, Problems], Any]

BAD: Any = object()
"""Returned by a validator that has recorded a problem for its value."""
_MISSING = object()

# --- declaring records ------------------------------------------------------------------------


class RecordType(type):
    """Metaclass of records: annotated attributes become slots, their values the defaults.

    Nothing is generated per class (no ``exec`` as dataclasses do), so defining the
    model costs a build well under a millisecond.
    """

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> RecordType:
        # Underscored annotations are class-level bookkeeping (like Record's own), not fields.
        own = [name for name in namespace.get("__annotations__", {}) if not name.startswith("_")]
        defaults = {field: namespace.pop(field) for field in own if field in namespace}
        namespace["__slots__"] = tuple(own)
        cls = super().__new__(mcls, name, bases, namespace)
        inherited = [getattr(base, "_fields", ()) for base in bases]
        cls._fields = tuple(field for group in inherited for field in group) + tuple(own)  # type: ignore[attr-defined]
        cls._defaults = {k: v for base in bases for k, v in getattr(base, "_defaults", {}).items()} | defaults  # type: ignore[attr-defined]
        return cls


class Record(metaclass=RecordType):
    """Base of every record: immutable and slotted, built from field values.

    Also the project's light value type (pages, facts): defining one costs no
    generated code at import, unlike a dataclass.

    A subclass may define ``_rule(self) -> str | None``: a rule across its fields,
    checked once every field is valid; a returned message is a problem at the record.
    """

    if typing.TYPE_CHECKING:
        # Set on every class by RecordType. Not annotations at run time: each would be
        # a string evaluated again for every model class when its fields are read.
        _fields: tuple[str, ...]
        _defaults: dict[str, Any]

    def __init__(self, *args: Any, **values: Any) -> None:
        if args:  # positional arguments fill the fields in declaration order
            if len(args) > len(self._fields):
                raise TypeError(f"{type(self).__name__}() takes at most {len(self._fields)} arguments")
            for name, value in zip(self._fields, args):
                if name in values:
                    raise TypeError(f"{type(self).__name__}() got {name!r} twice")
                values[name] = value
        taken = 0
        for name in self._fields:
            if name in values:
                value = values[name]
                taken += 1
            elif name in self._defaults:
                value = self._defaults[name]
                if type(value) is factory:
                    value = value.make()
            else:
                raise TypeError(f"{type(self).__name__}() needs the field {name!r}")
            object.__setattr__(self, name, value)
        if taken != len(values):
            unknown = sorted(set(values) - set(self._fields))
            raise TypeError(f"{type(self).__name__}() has no field(s) {', '.join(unknown)}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._fields)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in self._fields))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"

    def _rule(self) -> str | None:
        return None


class FieldSpec(Record):
    """One field of a record, as validation and the schema exporter see it."""

    name: str
    annotation: Any
    required: bool
    default: Any


def fields_of(cls: type) -> list[FieldSpec]:
    """The fields of a record class in declaration order, annotations resolved."""
    hints = typing.get_type_hints(cls, include_extras=True)
    specs = []
    for name in cls._fields:  # type: ignore[attr-defined]
        default = cls._defaults.get(name, _MISSING)  # type: ignore[attr-defined]
        if type(default) is factory:
            default = default.make()
        specs.append(FieldSpec(name=name, annotation=hints[name], required=default is _MISSING, default=default))
    return specs


def is_record(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Record) and tp is not Record


# --- validating -------------------------------------------------------------------------------


_KINDS = {str: "a string", int: "an integer", float: "a number", bool: "true or false", dict: "a mapping",
          list: "a list", type(None): "nothing (null)", datetime.date: "a date", datetime.datetime: "a date and time"}


def kind(value: Any) -> str:
    """How a YAML value reads to its author: ``a string``, ``a list``..."""
    return _KINDS.get(type(value), type(value).__name__)


def validate(cls: type, data: Any) -> tuple[Any, Problems]:
    """``(instance, [])`` when ``data`` is valid for record ``cls``, else ``(None, problems)``."""
    problems: Problems = []
    value = validator_for(cls)(data, (), problems)
    return (None, problems) if problems else (value, [])


_COMPILED: dict[Any, Validator] = {}


def validator_for(tp: Any) -> Validator:
    """The compiled validator of a type, built on first use and kept (one per process)."""
    found = _COMPILED.get(tp)
    if found is None:
        found = _COMPILED[tp] = _compile(tp)
    return found


def _compile(tp: Any) -> Validator:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        return _annotated(validator_for(base), meta)
    if origin in (Union, types.UnionType):
        return _union([validator_for(arg) for arg in typing.get_args(tp)], typing.get_args(tp))
    if origin is list:
        return _list(validator_for(typing.get_args(tp)[0]))
    if origin is dict:
        key_tp, value_tp = typing.get_args(tp)
        return _dict(validator_for(key_tp), validator_for(value_tp))
    if is_record(tp):
        return _record(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum(tp)
    simple = _SIMPLE.get(tp)
    if simple is None:
        raise TypeError(f"records: unsupported annotation {tp!r}")
    return simple


def _exact(expected: type) -> Validator:
    def check(value: Any, loc: Loc, problems: Problems) -> Any:
        if type(value) is expected:  # exact: a YAML `yes` (bool) is not an integer
            return value
        problems.append((loc, f"expected {_KINDS[expected]} (got {kind(value)})"))
        return BAD

    return check


def _number(value: Any, loc: Loc, problems: Problems) -> Any:
    if type(value) is float or type(value) is int:
        return float(value)
    problems.append((loc, f"expected a number (got {kind(value)})"))
    return BAD


def _date(value: Any, loc: Loc, problems: Problems) -> Any:
    if type(value) is datetime.date:
        return value
    if type(value) is str:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append((loc, f"expected a date like 2026-01-31 (got {kind(value)})"))
    return BAD


def _anything(value: Any, loc: Loc, problems: Problems) -> Any:
    return value


_SIMPLE: dict[Any, Validator] = {str: _exact(str), int: _exact(int), bool: _exact(bool), float: _number,
                                 datetime.date: _date, Any: _anything, type(None): _exact(type(None))}


def _annotated(inner: Validator, meta: list[Any]) -> Validator:
    listify = any(isinstance(m, OneOrList) for m in meta)
    early = [m.func for m in meta if isinstance(m, Check) and m.before]
    rules = [_rule_of(m) for m in meta if not isinstance(m, OneOrList) and not (isinstance(m, Check) and m.before)]

    def check(value: Any, loc: Loc, problems: Problems) -> Any:
        if early:
            value = _apply(early, value, loc, problems)
            if value is BAD:
                return BAD
        if listify and type(value) is not list:
            value = [value]
        value = inner(value, loc, problems)
        if value is BAD or not rules:
            return value
        return _apply(rules, value, loc, problems)

    return check


def _apply(rules: list[Callable[[Any], Any]], value: Any, loc: Loc, problems: Problems) -> Any:
    """``value`` through each rule in turn; the first rule that fails is the problem."""
    for rule in rules:
        try:
            value = rule(value)
        except Invalid as err:
            problems.append((loc, str(err)))
            return BAD
    return value


def _rule_of(meta: Any) -> Callable[[Any], Any]:
    """A constraint as a function: value in, value out, ``Invalid`` raised when broken."""
    if isinstance(meta, Check):
        return meta.func
    if isinstance(meta, MinLen):
        def min_len(value: Any) -> Any:
            if len(value) < meta.length:
                raise Invalid("must not be empty" if isinstance(value, str) else "must have at least one entry")
            return value
        return min_len
    if isinstance(meta, Pattern):
        regex = re.compile(_end_of_text(meta.regex))

        def pattern(value: str) -> str:
            if not regex.search(value):
                raise Invalid(f"{value!r} does not match the expected form {meta.regex}")
            return value
        return pattern
    if isinstance(meta, Bounds):
        def bounds(value: float) -> float:
            if meta.ge is not None and value < meta.ge:
                raise Invalid(f"must be at least {meta.ge:g}")
            if meta.gt is not None and value <= meta.gt:
                raise Invalid(f"must be greater than {meta.gt:g}")
            if meta.le is not None and value > meta.le:
                raise Invalid(f"must be at most {meta.le:g}")
            return value
        return bounds
    raise TypeError(f"records: unsupported constraint {meta!r}")


def _end_of_text(pattern: str) -> str:
    # JSON Schema patterns are ECMA-262: a final `$` is the end of the text. In Python it
    # also matches before a trailing newline, so "name\n" would pass `^[a-z]+$`.
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern


def _union(members: list[Validator], args: tuple[Any, ...]) -> Validator:
    allows_none = type(None) in args
    real = [(m, a) for m, a in zip(members, args) if a is not type(None)]
    expected = _join([_describe(a) for _, a in real] + (["nothing (null)"] if allows_none else []))
    by_type = _dispatch_table(real)

    def check(value: Any, loc: Loc, problems: Problems) -> Any:
        if value is None and allows_none:
            return None
        if len(real) == 1:  # `X | None`: X's own problem is the clearest message
            return real[0][0](value, loc, problems)
        if by_type is not None:
            member = by_type.get(type(value))
            if member is not None:
                return member(value, loc, problems)
        else:
            for member, _ in real:
                tried: Problems = []
                out = member(value, loc, tried)
                if not tried:
                    return out
        problems.append((loc, f"expected {expected} (got {kind(value)})"))
        return BAD

    return check


def _dispatch_table(members: list[tuple[Validator, Any]]) -> dict[type, Validator] | None:
    """Python type -> member, when each YAML type can match one member only; else None (try each)."""
    table: dict[type, Validator] = {}
    for member, tp in members:
        types_ = _accepted_types(tp)
        if types_ is None:
            return None
        for accepted in types_:
            if accepted in table:
                return None
            table[accepted] = member
    return table


def _accepted_types(tp: Any) -> tuple[type, ...] | None:
    if typing.get_origin(tp) is typing.Annotated:
        return _accepted_types(typing.get_args(tp)[0])
    origin = typing.get_origin(tp) or tp
    if origin is float:
        return (float, int)
    if origin is datetime.date:
        return (datetime.date, str)
    if is_record(origin) or origin is dict:
        return (dict,)
    if isinstance(origin, type) and issubclass(origin, enum.Enum):
        return (str,)
    if origin in (str, int, bool, list):
        return (origin,)
    return None  # Any, nested unions: no dispatch, try each member


def _describe(tp: Any) -> str:
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    origin = typing.get_origin(tp) or tp
    return _KINDS.get(origin, "a mapping" if is_record(origin) else getattr(origin, "__name__", str(origin)))


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _list(item: Validator) -> Validator:
    def check(value: Any, loc: Loc, problems: Problems) -> Any:
        if type(value) is not list:
            problems.append((loc, f"expected a list (got {kind(value)})"))
            return BAD
        before = len(problems)
        out = [item(entry, loc + (index,), problems) for index, entry in enumerate(value)]
        return BAD if len(problems) > before else out

    return check


def _dict(key: Validator, item: Validator) -> Validator:
    def check(value: Any, loc: Loc, problems: Problems) -> Any:
        if type(value) is not dict:
            problems.append((loc, f"expected a mapping (got {kind(value)})"))
            return BAD
        before = len(problems)
        out = {}
        for name, entry in value.items():
            where = loc + (name,)
            checked = key(name, where, problems)
            out[checked] = item(entry, where, problems)
        return BAD if len(problems) > before else out

    return check


def _enum(cls: type[enum.Enum]) -> Validator:
    allowed = _join([repr(member.value) for member in cls])

    def check(value: Any, loc: Loc, problems: Problems) -> Any:
        try:
            return cls(value)
        except (ValueError, TypeError):
            problems.append((loc, f"{value!r} is not allowed; expected one of {allowed}"))
            return BAD

    return check


def _record(cls: type) -> Validator:
    # Fields are resolved on first use: by then every class the annotations name exists.
    plan: list[tuple[str, bool, Validator]] = []
    names: frozenset[str] = frozenset()
    has_rule = cls._rule is not Record._rule

    def prepare() -> None:
        nonlocal names
        specs = fields_of(cls)
        plan.extend((spec.name, spec.required, validator_for(spec.annotation)) for spec in specs)
        names = frozenset(spec.name for spec in specs)

    def check(value: Any, loc: Loc, problems: Problems) -> Any:
        if not plan:
            prepare()
        if type(value) is not dict:
            problems.append((loc, f"expected a mapping (got {kind(value)})"))
            return BAD
        before = len(problems)
        if not names.issuperset(value):
            for key in value:
                if key not in names:
                    problems.append((loc + (key,), unknown_key_message(key, [name for name, _, _ in plan])))
        kwargs = {}
        for name, required, field_check in plan:
            raw = value.get(name, _MISSING)
            if raw is _MISSING:
                if required:
                    problems.append((loc + (name,), "required field is missing"))
                continue
            kwargs[name] = field_check(raw, loc + (name,), problems)
        if len(problems) > before:
            return BAD
        instance = cls(**kwargs)
        if has_rule:
            message = instance._rule()
            if message:
                problems.append((loc, message))
                return BAD
        return instance

    return check


def unknown_key_message(key: Any, fields: list[str]) -> str:
    close = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r}; did you mean {close[0]!r}?"
    return f"unknown key {key!r}; expected one of: {', '.join(fields)}"
