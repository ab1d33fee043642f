"""``make serve``: the local API for manual tries, with the demo shop registered.

The virtual clock starts at the current time and only moves when asked, through two
local-only routes that the real API does not have:
``GET /_local/time`` (Unix seconds, to sign with) and ``POST /_local/advance?hours=N``
(fires every reminder due by then).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from infra.local.demo import setup_shop
from infra.local.runtime import LocalRuntime

MAX_ADVANCE_HOURS = 24 * 30


def local_routes(runtime: LocalRuntime) -> dict[str, Any]:
    def time_now(_: str) -> tuple[int, dict[str, Any]]:
        return 200, {"now": int(runtime.clock().timestamp()), "iso": runtime.clock().isoformat()}

    def advance(query: str) -> tuple[int, dict[str, Any]]:
        try:
            hours = float(parse_qs(query).get("hours", ["1"])[0])
        except ValueError:
            return 400, {
                "error": "invalid_query",
                "errors": [{"field": "hours", "reason": "must be a number"}],
            }
        if not 0 < hours <= MAX_ADVANCE_HOURS:
            return 400, {
                "error": "invalid_query",
                "errors": [{"field": "hours", "reason": f"between 0 and {MAX_ADVANCE_HOURS}"}],
            }
        fired = runtime.run_until(runtime.clock() + timedelta(hours=hours))
        return 200, {"now": runtime.clock().isoformat(), "timers_fired": fired}

    return {"GET /_local/time": time_now, "POST /_local/advance": advance}


def main(out_dir: Path, port: int) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0)
    runtime = LocalRuntime(out_dir, start, quiet=False)
    runtime.start(api_port=port, local_routes=local_routes(runtime))
    client = setup_shop(runtime)
    assert runtime.api is not None
    printed = {
        "api": runtime.api.url,
        "shop_id": client.shop_id,
        "secret": client.secret,
        "shopify_webhook_url": f"{runtime.api.url}/v1/webhooks/shopify/{client.shop_id}",
        "shopify_webhook_secret": client.webhook_secrets["shopify"],
        "woocommerce_webhook_url": f"{runtime.api.url}/v1/webhooks/woocommerce/{client.shop_id}",
        "woocommerce_webhook_secret": client.webhook_secrets["woocommerce"],
    }
    print(json.dumps(printed, indent=2))
    print("Emails land in", out_dir / "outbox", "- see README 'Try the API by hand'. Ctrl-C to stop.")
    try:
        runtime.api.wait()
    except KeyboardInterrupt:
        pass
    finally:
        runtime.stop()
