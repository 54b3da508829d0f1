"""The size budgets of the files an agent reads: which budget each file has, and which files are over.

An agent reads each file whole, into a context window of limited size, so a file that
grows past its budget stops the build with a named problem; nothing is ever truncated.
``llms.txt`` and each of its shards have one budget, each twin another; ``llms-full.txt``
has none: it is everything in one file, for the agents that ask for exactly that.
"""

from __future__ import annotations

from ..registry.model import Budgets
from .llms import LLMS_FULL_TXT, LLMS_TXT, SHARD_DIR


def size_problems(sizes: dict[str, int], *, budgets: Budgets) -> list[str]:
    """``sizes``: characters of each LLM file. Only ``llms-full.txt`` has no budget (it is the
    everything-in-one file, for agents that ask for it)."""
    problems = []
    for path, size in sizes.items():
        if path == LLMS_FULL_TXT:
            continue
        index = path == LLMS_TXT or path.startswith(SHARD_DIR + "/")
        budget, setting, what = (
            (budgets.llms_txt, "llms_txt", "llms.txt and each shard") if index else (budgets.twin, "twin", "each Markdown twin")
        )
        if size > budget:
            problems.append(
                f"{path} is {size:,} characters; the budget for {what} is {budget:,} "
                f"(shorten or split the page, or raise site.budgets.{setting}; nothing is truncated)"
            )
    return problems
