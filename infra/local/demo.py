"""``make demo``: a simulated week of a real shop on the local runtime, then its KPIs."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import urllib.error
import urllib.request
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from infra.local.client import ShopClient
from infra.local.demo_shop import DEMO_SHOP, DISCOUNT_CODES
from infra.local.demo_summary import examples, rules_summary, summary
from infra.local.runtime import LocalRuntime
from infra.local.shopify_traffic import as_webhook, on_shopify
from infra.local.simulation import Week
from relance.core.connectors import PLATFORMS
from relance.ports import OutgoingEmail
from relance.services.shops import register

START = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday
REPORT_TIME = time(2, 15)  # as template.yaml's ReportSchedule
TRACKED_LINK = re.compile(r"http://127\.0\.0\.1:\d+/r/[A-Za-z0-9_.-]+")


def setup_shop(runtime: LocalRuntime) -> ShopClient:
    secret = register(runtime.adapters, DEMO_SHOP)
    runtime.adapters.codes.upload(DEMO_SHOP.shop_id, DISCOUNT_CODES)
    domain = str(DEMO_SHOP.sender_email).split("@")[1]
    runtime.session.client("sesv2").create_email_identity(EmailIdentity=domain)
    assert runtime.api is not None
    client = ShopClient(runtime.api.url, DEMO_SHOP.shop_id, secret, runtime.clock)
    for platform in PLATFORMS:  # the demo shop takes both platforms' webhooks
        client.connect(platform, secrets.token_urlsafe(32))
    return client


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: object, **__: object) -> None:
        return None  # the shop's cart page is not part of the demo


def follow_link(url: str) -> int:
    """A customer's click on a tracked link: Relance's answer (302 to the cart, or an error)."""
    try:
        urllib.request.build_opener(_Stay).open(url, timeout=30)
    except urllib.error.HTTPError as answer:
        return answer.code
    return 200


def one_click_unsubscribe(url: str) -> int:
    """What a mail client does for RFC 8058: POST ``List-Unsubscribe=One-Click`` to the URL."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"the demo only talks to its local API, not {url}")
    request = urllib.request.Request(url, data=b"List-Unsubscribe=One-Click", method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return int(answer.status)


def _deliver(client: ShopClient, events: list[dict[str, Any]]) -> list[tuple[int, bool]]:
    """A shopper's events: by Shopify's webhooks for a Shopify shopper, else one signed batch.
    Each request's status, and whether Shopify sent it."""
    if not events or not on_shopify(events[0]["cart_id"]):
        return [(client.post_events(events)[0], False)]
    statuses = []
    for event in events:
        webhook = as_webhook(event)
        if webhook is not None:
            statuses.append((client.post_shopify(*webhook, webhook_id=f"demo-{event['id']}")[0], True))
    return statuses


def simulate(runtime: LocalRuntime, client: ShopClient, week: Week, until: datetime) -> dict[str, int]:
    """Interleave shoppers' events and due timers in time order, like the real world."""
    counts = {"requests": 0, "rejected": 0, "shopify": 0, "clicks": 0, "unsubscribes": 0}
    next_report = datetime.combine(START.date() + timedelta(days=1), REPORT_TIME, tzinfo=UTC)
    while True:
        candidates = [t for t in (week.next_time(), runtime.next_fire_time(), next_report) if t]
        moment = min(candidates)
        if moment > until:
            break
        if moment == next_report:
            runtime.clock.advance_to(moment)
            runtime.run_report({})  # the daily schedule: yesterday, every shop
            next_report += timedelta(days=1)
        elif moment == week.next_time():
            action = week.pop()
            runtime.clock.advance_to(action.at)
            if action.click:
                counts["clicks"] += follow_link(action.click) == 302
                continue
            if action.unsubscribe:
                counts["unsubscribes"] += one_click_unsubscribe(action.unsubscribe) == 200
                continue
            for status, by_shopify in _deliver(client, action.events):
                counts["requests"] += 1
                counts["rejected"] += status >= 400
                counts["shopify"] += by_shopify
        else:
            runtime.run_until(moment)
    runtime.run_until(until)
    return counts


def main(out_dir: Path = Path("out"), carts: int = 300) -> None:
    shutil.rmtree(out_dir / "outbox", ignore_errors=True)
    shutil.rmtree(out_dir / "reports", ignore_errors=True)
    runtime = LocalRuntime(out_dir, START).start()
    try:
        client = setup_shop(runtime)
        week = Week(START, carts)

        def read_reminder(mail: OutgoingEmail, _: str) -> None:
            links = TRACKED_LINK.findall(mail.text)
            unsubscribe = mail.headers.get("List-Unsubscribe", "").strip("<>") or None
            week.on_reminder(
                mail.recipient,
                int(mail.tags["step"]),
                runtime.clock(),
                links[0] if links else None,
                unsubscribe,
            )

        runtime.adapters.mailer.listeners.append(read_reminder)
        print(f"Relance local runtime: API on {runtime.api.url if runtime.api else '-'}, embedded AWS ready.")
        print(f"Simulating {carts} carts for {DEMO_SHOP.name} from {START.date()} over a week...")
        end = START + timedelta(days=11)
        counts = simulate(runtime, client, week, end)
        days = [START.date() + timedelta(days=n) for n in range(7)]
        runtime.run_report(
            {"shop_id": DEMO_SHOP.shop_id, "from": days[0].isoformat(), "to": days[-1].isoformat()}
        )
        runtime.mirror_reports()
        outbox = sorted((out_dir / "outbox").glob("*.html"))
        print(
            f"{counts['requests']} signed requests ({counts['shopify']} of them Shopify webhooks, "
            f"{counts['rejected']} refused), "
            f"{runtime.fired} timers fired, {len(outbox)} emails, "
            f"{counts['clicks']} clicks, {counts['unsubscribes']} one-click unsubscribes.\n"
        )
        print(summary(out_dir / "reports", days))
        print(rules_summary(runtime.decisions))
        calls = runtime.staff_calls()
        (out_dir / "staff_calls.jsonl").write_text(
            "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in calls)
        )
        print(
            f"High-value carts flagged to staff for a call: {len(calls)}  ({out_dir / 'staff_calls.jsonl'})"
        )
        print(examples(out_dir / "outbox"))
        print(f"\nEmails:  {out_dir / 'outbox'}/  (open the .html in a browser; the .eml are the exact MIME)")
        print(f"Reports: {out_dir / 'reports'}/kpis/shop={DEMO_SHOP.shop_id}/date=YYYY-MM-DD/kpis.csv|json")
    finally:
        runtime.stop()
