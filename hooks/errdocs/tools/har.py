"""HAR 1.2 files read entry by entry: the responses ``errdocs verify`` checks, with located errors.

HAR (HTTP Archive) is what browsers' dev tools, Playwright, mitmproxy, Postman and k6 export. A
file can be tens of megabytes, so it is streamed (ijson, over yajl's C parser) and only what a
check needs is kept of each entry: method, URL, status, response headers and, for an error
response only, its body. A request body, a success response's body, cookies and timings are
skipped as they stream past. A file that cannot be read as HAR raises ``HarError`` with one line
naming the file, the entry and the field.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import ijson

HAR_VERSIONS = ("1.2", "1.1")
"""The versions read: 1.2, and 1.1, which it extends without changing a field verify reads."""
MAX_BODY = 16 * 1024 * 1024
"""The most bytes of one error body read or decompressed; an error envelope is a few hundred."""

_ENTRY = "log.entries.item"
_KEPT = {
    f"{_ENTRY}.request.method": "method",
    f"{_ENTRY}.request.url": "url",
    f"{_ENTRY}.response.status": "status",
    f"{_ENTRY}.response.content.text": "text",
    f"{_ENTRY}.response.content.encoding": "encoding",
}
_HEADER = f"{_ENTRY}.response.headers.item"
_HEADER_PARTS = {f"{_HEADER}.name": 0, f"{_HEADER}.value": 1}


class HarError(Exception):
    """A file that is not a readable HAR: its message is one line naming the file and where."""


@dataclass
class HarEntry:
    """The parts of one HAR entry a check reads."""

    index: int
    """Its position in ``log.entries``, from 0."""
    method: str
    url: str
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    """The response body as sent, decoded from base64 and decompressed; None when not recorded
    (or not kept: below 400), or when it cannot be read (``unread`` says why)."""
    unread: str | None = None
    """Why a recorded body could not be read (a compression errdocs cannot undo)."""

    @property
    def header_map(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers}


def read_har(path: Path, *, label: str | None = None) -> Iterator[HarEntry]:
    """The entries of the HAR file at ``path``, one at a time; raises ``HarError`` on anything unreadable.

    ``label`` names the file in errors (default: the path as given)."""
    label = label or str(path)
    index = -1
    try:
        with open(path, "rb") as stream:
            version, saw_entries = None, False
            entry: dict | None = None
            for prefix, event, value in ijson.parse(stream):
                if entry is not None:
                    if prefix == _ENTRY and event == "end_map":
                        yield _entry(entry, index, label)
                        entry = None
                    elif prefix in _KEPT:
                        key = _KEPT[prefix]
                        if key == "text" and _below_400(entry.get("status")):
                            continue  # a success body is never checked: not kept
                        entry[key] = value
                    elif prefix == _HEADER:
                        if event == "start_map":
                            entry["headers"].append([None, None])
                        elif event not in ("map_key", "end_map"):
                            raise HarError(f"{label}: log.entries[{index}].response.headers: expected name/value objects")
                    elif prefix in _HEADER_PARTS:
                        entry["headers"][-1][_HEADER_PARTS[prefix]] = value
                elif prefix == _ENTRY and event == "start_map":
                    index += 1
                    entry = {"headers": []}
                elif prefix == "log.entries" and event == "start_array":
                    saw_entries = True
                elif prefix == "log.version":
                    version = value
                    _check_version(version, label)
            if not saw_entries:
                raise HarError(f"{label}: log.entries: missing; this is not a HAR file")
            if version is None:
                raise HarError(f"{label}: log.version: missing; errdocs reads HAR {' and '.join(HAR_VERSIONS)}")
    except ijson.JSONError as err:
        where = f"after log.entries[{index}]" if index >= 0 else "before its first entry"
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__  # yajl's next lines quote the file
        raise HarError(f"{label}: not valid JSON {where} (truncated or damaged?): {reason}") from None
    except OSError as err:
        raise HarError(f"{label}: cannot read: {err.strerror or err}") from None


def _below_400(status: object) -> bool:
    return isinstance(status, (int, Decimal)) and status < 400


def _check_version(version: object, label: str) -> None:
    if version not in HAR_VERSIONS:
        raise HarError(f"{label}: log.version: HAR {str(version)[:40]!r} is not supported; errdocs reads HAR {' and '.join(HAR_VERSIONS)}")


def _entry(raw: dict, index: int, label: str) -> HarEntry:
    where = f"{label}: log.entries[{index}]"
    status = raw.get("status")
    if isinstance(status, Decimal):
        # Range first: int() of a huge exponent (1e9999999) would take minutes.
        if not (status.is_finite() and 100 <= status <= 999 and status == int(status)):
            raise HarError(f"{where}.response.status: expected an HTTP status, got {str(status)[:20]}")
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool):
        raise HarError(f"{where}.response.status: expected a number, got {type(status).__name__ if status is not None else 'nothing'}")
    for key in ("method", "url"):
        if not isinstance(raw.get(key), str):
            raise HarError(f"{where}.request.{key}: expected a string, got {type(raw.get(key)).__name__ if key in raw else 'nothing'}")
    headers = []
    for number, (name, value) in enumerate(raw["headers"]):
        if not isinstance(name, str) or not isinstance(value, str):
            raise HarError(f"{where}.response.headers[{number}]: expected a name and a value, both strings")
        headers.append((name, value))
    entry = HarEntry(index, raw["method"], raw["url"], status, headers)
    text = raw.get("text")
    if status >= 400 and text is not None:
        if not isinstance(text, str):
            raise HarError(f"{where}.response.content.text: expected a string")
        entry.body, entry.unread = _body(text, raw.get("encoding"), entry.header_map.get("content-encoding", ""), where)
    return entry


def _body(text: str, encoding: object, content_encoding: str, where: str) -> tuple[bytes | None, str | None]:
    """The body bytes of ``content.text``: base64 decoded, and decompressed where a tool kept the wire's compression."""
    if encoding in (None, ""):
        raw = text.encode("utf-8", "surrogatepass")
    elif encoding == "base64":
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise HarError(f"{where}.response.content.text: not valid base64 (content.encoding is base64)") from None
    else:
        raise HarError(f"{where}.response.content.encoding: {str(encoding)[:40]!r} is not an encoding HAR defines (base64, or none)")
    # HAR stores the decoded body, but some exporters keep the compressed bytes: recognise them by their magic.
    if raw[:2] == b"\x1f\x8b":
        return _inflate(raw, zlib.MAX_WBITS | 16, where)
    if content_encoding.strip().lower() == "deflate" and raw[:1] == b"\x78":
        return _inflate(raw, zlib.MAX_WBITS, where)
    if content_encoding.strip().lower() in ("br", "zstd") and not _looks_like_text(raw):
        return None, f"compressed with {content_encoding.strip()}, which errdocs does not decompress"
    return raw[: MAX_BODY + 1], None


def _inflate(raw: bytes, wbits: int, where: str) -> tuple[bytes | None, str | None]:
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(raw, MAX_BODY + 1)  # bounded: a small bomb cannot fill memory
    except zlib.error:
        raise HarError(f"{where}.response.content.text: compressed data that does not decompress") from None
    return out, None


def _looks_like_text(raw: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw[:1024])  # not final: a character cut at 1024 is fine
    except UnicodeDecodeError:
        return False
    return True


def har_files(paths: list[Path]) -> list[Path]:
    """The HAR files named: each file as given, and every ``*.har`` under each folder, in name order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*.har") if p.is_file())
        else:
            out.append(path)
    return out
