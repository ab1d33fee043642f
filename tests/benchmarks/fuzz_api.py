"""The full fuzz of the API: 3,000 signed ``/v1/events`` bodies and 500 of each settings
route, erase and each platform's webhook, every answer below 500 (``make test`` runs 150 of
each).

    PYTHONPATH=.:shared .venv/bin/python tests/benchmarks/fuzz_api.py [events_count] [others_count]

Prints, per route, the examples run, the time taken and the pass/fail; the figures are
kept in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

ROUTES = {
    "test_events_never_5xx": "POST /v1/events",
    "test_policy_never_5xx": "PUT /v1/policy",
    "test_texts_never_5xx": "PUT /v1/texts",
    "test_templates_never_5xx": "PUT /v1/templates",
    "test_erase_never_5xx": "POST /v1/erase",
    "test_shopify_webhooks_never_5xx": "POST /v1/webhooks/shopify",
    "test_woocommerce_webhooks_never_5xx": "POST /v1/webhooks/woocommerce",
}


def main(argv: list[str]) -> int:
    events = int(argv[0]) if argv else 3000
    others = int(argv[1]) if len(argv) > 1 else 500
    failed = 0
    print(f"{'route':<30} {'bodies':>7} {'seconds':>8}  result")
    for test, route in ROUTES.items():
        count = events if "events" in test else others
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", "-p", "no:cacheprovider",
             f"tests/fuzz/test_no_5xx.py::{test}"],
            env={**os.environ, "RELANCE_FUZZ_EXAMPLES": str(count), "POWERTOOLS_LOG_LEVEL": "CRITICAL"},
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        verdict = "0 answers >= 500" if result.returncode == 0 else "FAILED"
        failed += result.returncode != 0
        print(f"{route:<30} {count:>7} {elapsed:>8.1f}  {verdict}")
        if result.returncode:
            print(result.stdout[-3000:])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
