"""``python -m tests.faults.matrix``: the fault matrix, call x fault -> outcome.

Runs every lifecycle with every AWS call failed once with each fault (the same runs as
``make test``'s fault suite) and prints each broken promise, then the table by operation
kept in docs/architecture.md#faults.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict

Row = tuple[str, str, str, list[str]]


def summarize(rows: dict[str, list[Row]]) -> str:
    lines = []
    by_operation: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for lifecycle, entries in rows.items():
        for call, fault, kept, problems in entries:
            operation = call.split(":", 1)[1]
            by_operation[(operation, fault)]["broken" if problems else kept] += 1
            if problems:
                lines.append(f"BROKEN {lifecycle} | {call} | {fault} | {'; '.join(problems)}")
    lines.append("| call | fault | runs | completed | dead-lettered | unconfirmed | broken |")
    lines.append("|---|---|---|---|---|---|---|")
    for (operation, fault), counts in sorted(by_operation.items()):
        total = sum(counts.values())
        lines.append(
            f"| `{operation}` | {fault} | {total} | {counts['completed']} | {counts['dead-lettered']} | "
            f"{counts['unconfirmed']} | {counts['broken']} |"
        )
    return "\n".join(lines)


def main() -> int:
    import pytest

    os.environ.update(RELANCE_FAULT_MATRIX="1", POWERTOOLS_LOG_LEVEL="CRITICAL")
    return int(pytest.main(["-q", "-s", "-p", "no:warnings", "-p", "no:cacheprovider",
                            "tests/faults/test_fault_injection.py::test_print_matrix"]))  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
