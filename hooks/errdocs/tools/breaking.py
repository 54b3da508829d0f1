"""The breaking-change gate: what changed in the contract between two registries.

The base registry is compared as plain data, not through the model: an old
registry written for an older model must still be readable to be compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..registry.model import major_version

BREAKING, COMPATIBLE, DOCS_ONLY = "breaking", "compatible", "docs-only"

# Fields of a code whose change is covered by a dedicated rule below; every other
# field is prose or presentation, so a change there is docs-only.
_RULED = {"http", "retry", "sdk", "lifecycle", "category", "subcodes"}


@dataclass(frozen=True)
class ContractChange:
    kind: str
    """``breaking``, ``compatible`` or ``docs-only``."""
    subject: str
    """The code, envelope field or header concerned."""
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}: {self.message}"


def _statuses(code: dict[str, Any]) -> list[int]:
    http = code.get("http") or []
    lines = [http] if isinstance(http, str) else list(http)
    out = []
    for line in lines:
        try:
            out.append(int(str(line)[:3]))
        except ValueError:
            continue
    return out


def _retry(code: dict[str, Any]) -> tuple[str | None, bool]:
    policy = (code.get("retry") or {}).get("policy")
    return policy, policy in ("backoff", "once")


def _state(code: dict[str, Any]) -> str:
    return (code.get("lifecycle") or {}).get("state", "active")


def _exceptions(code: dict[str, Any]) -> dict[str, str | None]:
    return {sdk_id: (value or {}).get("exception") for sdk_id, value in (code.get("sdk") or {}).items()}


def _given_or_changed(name: str, what: str, before: Any, after: Any, *, given: str) -> Iterable[ContractChange]:
    """A value clients branch on (a category, an SDK exception): giving a first one is harmless
    (``given`` says so), changing one breaks the clients that matched the old one."""
    if before == after:
        return
    if before is None:
        yield ContractChange(COMPATIBLE, name, given)
    else:
        yield ContractChange(BREAKING, name, f"{what} {before} -> {after}")


def _subcode_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> Iterable[ContractChange]:
    # Like codes: a client may handle a documented sub-code, so one that goes is breaking.
    for value in old:
        if value not in new:
            yield ContractChange(BREAKING, name, f"sub-code {value} deleted")
    added = [value for value in new if value not in old]
    if added:
        yield ContractChange(COMPATIBLE, name, f"sub-codes added: {', '.join(added)}")
    edited = [value for value in new if value in old and old[value] != new[value]]
    if edited:
        yield ContractChange(DOCS_ONLY, name, f"sub-codes edited: {', '.join(edited)}")


def _code_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> Iterable[ContractChange]:
    old_state, new_state = _state(old), _state(new)
    if old_state != new_state:
        if new_state == "removed":
            yield ContractChange(BREAKING, name, "code removed: clients stop receiving it")
        elif new_state == "deprecated":
            replaced = (new.get("lifecycle") or {}).get("replaced_by")
            yield ContractChange(COMPATIBLE, name, f"code deprecated (replaced by {replaced})")
        else:
            yield ContractChange(COMPATIBLE, name, f"lifecycle {old_state} -> {new_state}")
    if _statuses(old) != _statuses(new):
        yield ContractChange(BREAKING, name, f"HTTP status {_statuses(old)} -> {_statuses(new)}")
    (old_policy, old_retryable), (new_policy, new_retryable) = _retry(old), _retry(new)
    if old_retryable != new_retryable:
        word = {True: "retryable", False: "non-retryable"}
        yield ContractChange(BREAKING, name, f"{word[old_retryable]} -> {word[new_retryable]}")
    elif old_policy != new_policy:
        yield ContractChange(COMPATIBLE, name, f"retry policy {old_policy} -> {new_policy}")
    before, after = old.get("category"), new.get("category")
    yield from _given_or_changed(name, "category", before, after, given=f"category {after} given")
    yield from _subcode_changes(name, old.get("subcodes") or {}, new.get("subcodes") or {})
    old_sdk, new_sdk = _exceptions(old), _exceptions(new)
    for sdk_id in sorted(set(old_sdk) | set(new_sdk)):
        before, after = old_sdk.get(sdk_id), new_sdk.get(sdk_id)
        yield from _given_or_changed(name, f"{sdk_id} SDK exception", before, after,
                                     given=f"{sdk_id} SDK exception added: {after}")
    if (old.get("retry") or {}).get("sdk_retries") != (new.get("retry") or {}).get("sdk_retries"):
        yield ContractChange(COMPATIBLE, name, "SDK retry behaviour changed")
    prose = sorted(k for k in set(old) | set(new) if k not in _RULED and old.get(k) != new.get(k))
    old_retry = {k: v for k, v in (old.get("retry") or {}).items() if k not in ("policy", "sdk_retries")}
    new_retry = {k: v for k, v in (new.get("retry") or {}).items() if k not in ("policy", "sdk_retries")}
    if old_retry != new_retry:
        prose.append("retry.label")
    if prose:
        yield ContractChange(DOCS_ONLY, name, "edited " + ", ".join(prose))


def _envelope_fields(fields: Any, prefix: str = "") -> dict[str, dict[str, Any]]:
    """Every envelope field by its dotted path (``error.code``), members of objects included."""
    out: dict[str, dict[str, Any]] = {}
    for field in fields or []:
        path = prefix + str(field.get("name"))
        out[path] = field
        out.update(_envelope_fields(field.get("fields"), path + "."))
    return out


def _envelope_changes(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> Iterable[ContractChange]:
    for path, before in old.items():
        after = new.get(path)
        if after is None:
            yield ContractChange(BREAKING, path, "envelope field removed")
            continue
        # An object's members are compared one by one: its own entry is the rest.
        before, after = ({k: v for k, v in f.items() if k != "fields"} for f in (before, after))
        if before == after:
            continue
        if before.get("type") != after.get("type") or before.get("required", True) != after.get("required", True):
            yield ContractChange(BREAKING, path, "envelope field type or requiredness changed")
        elif bool(before.get("closed")) != bool(after.get("closed")):
            if after.get("closed"):
                yield ContractChange(COMPATIBLE, path, "closed: the API sends only the documented values")
            else:  # a client that relied on the closed set may now meet a value it cannot parse
                yield ContractChange(BREAKING, path, "opened: values the registry does not document may arrive")
        else:
            yield ContractChange(DOCS_ONLY, path, "envelope field description edited")
    for path, spec in new.items():
        if path not in old:
            if spec.get("required", True):
                yield ContractChange(BREAKING, path, "required envelope field added")
            else:
                yield ContractChange(COMPATIBLE, path, "optional envelope field added")


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[ContractChange]:
    """Every contract change from ``old`` to ``new`` (both parsed registry.yaml data)."""
    changes: list[ContractChange] = []
    old_codes, new_codes = old.get("codes") or {}, new.get("codes") or {}
    for name in old_codes:
        if name not in new_codes:
            changes.append(ContractChange(BREAKING, name, "code deleted from the registry (mark it removed instead)"))
    for name, code in new_codes.items():
        if name not in old_codes:
            changes.append(ContractChange(COMPATIBLE, name, "code added"))
        else:
            changes += _code_changes(name, old_codes[name] or {}, code or {})
    changes += _envelope_changes(_envelope_fields(old.get("envelope")), _envelope_fields(new.get("envelope")))
    old_headers = {n: h for h in old.get("headers") or [] for n in h.get("names") or []}
    new_headers = {n: h for h in new.get("headers") or [] for n in h.get("names") or []}
    for header in old_headers:
        if header not in new_headers:
            changes.append(ContractChange(BREAKING, header, "header removed"))
        elif old_headers[header] != new_headers[header]:
            changes.append(ContractChange(DOCS_ONLY, header, "header description edited"))
    for header in new_headers:
        if header not in old_headers:
            changes.append(ContractChange(COMPATIBLE, header, "header added"))
    for section in ("site", "retry_guidance", "changelog"):
        if old.get(section) != new.get(section):
            changes.append(ContractChange(DOCS_ONLY, section, "edited"))
    return changes


def unapproved(changes: list[ContractChange], old: dict[str, Any], new: dict[str, Any]) -> list[ContractChange]:
    """Breaking changes the new registry does not record as intended.

    A breaking change is intended when the registry's major version went up and the
    changelog entry of that version names its subject.
    """
    breaking = [c for c in changes if c.kind == BREAKING]
    if not breaking or major_version(new.get("version")) <= major_version(old.get("version")):
        return breaking
    entry = next((e for e in new.get("changelog") or [] if str(e.get("version")) == str(new.get("version"))), None)
    recorded = {str(c.get("subject")) for c in (entry or {}).get("changes") or []}
    return [c for c in breaking if c.subject not in recorded]
