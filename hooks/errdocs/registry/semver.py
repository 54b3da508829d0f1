"""Contract versions (semver): what one looks like and how two compare, read by ``packaging.version``.

The model accepts ``MAJOR.MINOR.PATCH`` only. The breaking-change gate also reads the base
registry as plain data, written by an older model or by hand, so ``major_version`` takes
whatever it finds there (``2``, ``2.0``, ``1.0.0-beta.1``).
"""

from __future__ import annotations

from typing import Any

from packaging.version import InvalidVersion, Version

VERSION_PATTERN = r"^\d+\.\d+\.\d+$"
"""A contract version as the model accepts it: ``MAJOR.MINOR.PATCH``."""


def semver(version: str) -> Version:
    """``version`` as a value that orders as semver does: ``1.10.0`` after ``1.9.0``, ``1.0.0-beta.1`` before ``1.0.0``."""
    return Version(version)


def major_version(version: Any) -> int:
    """The major number of a version as any registry wrote it; 0 when it is no version (missing, ``latest``)."""
    try:
        return Version(str(version)).major
    except InvalidVersion:
        return 0
