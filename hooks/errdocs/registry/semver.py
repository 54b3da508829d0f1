"""Contract versions (semver): what one looks like and how two compare."""

from __future__ import annotations

VERSION_PATTERN = r"^\d+\.\d+\.\d+$"
"""A contract version as the model accepts it: ``MAJOR.MINOR.PATCH``."""


def semver(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch
