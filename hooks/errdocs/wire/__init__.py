"""errdocs.wire: one HTTP response checked against the registry, and coverage over many.

The wire contract is what the registry promises a client receives: the envelope's shape and
media type, each code's statuses and ``doc_url``, its lifecycle, sub-codes and category, the
declared headers and the retry policy. ``WireContract(registry).check(status, headers, body)``
returns a ``Verdict`` with the ``Problem`` list of one response; ``Coverage`` counts which
documented codes, statuses and sub-codes a set of verdicts exercised. Nothing here reads HAR
files or knows a test framework: ``errdocs verify`` and the pytest plugin drive it.
"""

from __future__ import annotations

from .check import Problem, Severity, Verdict, WireContract
from .coverage import Coverage

__all__ = ["Coverage", "Problem", "Severity", "Verdict", "WireContract"]
