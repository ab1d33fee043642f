"""SpamAssassin's score of every kind of email (3 steps x 2 languages x 2 customer x 2 value
segments), as SES would get it: Debian's spamassassin, local rules only (-L: no network tests).

    sudo apt-get install -y spamassassin     # Debian's package, ~40 s
    PYTHONPATH=.:shared .venv/bin/python tests/benchmarks/spam_scores.py

Prints each kind's score and the rules that fired; exits 1 when one scores above 0.5 (the
target; SpamAssassin junks at 5.0). The figures are kept in docs/benchmarks.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.emails.kinds import KINDS, Kind
from tests.unit.test_mime import _mime

TARGET = 0.5
_STATUS = re.compile(r"X-Spam-Status: \w+, score=(-?[\d.]+) required=[\d.]+ tests=([^\n]*(?:\n\t[^\n]*)*)")


def score(kind: Kind) -> tuple[float, str]:
    checked = subprocess.run(
        ["spamassassin", "-L", "-t"], input=_mime(kind), capture_output=True, check=True, timeout=120
    )
    found = _STATUS.search(checked.stdout.decode("utf-8", "replace"))
    if found is None:
        raise RuntimeError(f"{kind.name}: no X-Spam-Status in spamassassin's output")
    rules = re.sub(r"\s+", "", found.group(2)).split("autolearn")[0]
    return float(found.group(1)), rules.rstrip(",")


def main() -> int:
    if shutil.which("spamassassin") is None:
        print("spamassassin is not installed: sudo apt-get install -y spamassassin", file=sys.stderr)
        return 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        scores = list(pool.map(score, KINDS))
    print(f"{'kind':<32} {'score':>5}  rules")
    for kind, (points, rules) in zip(KINDS, scores, strict=True):
        print(f"{kind.name:<32} {points:>5.1f}  {rules}")
    worst = max(points for points, _ in scores)
    print(f"\n{len(scores)} kinds, highest score {worst:.1f} (target at most {TARGET})")
    return 1 if worst > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
